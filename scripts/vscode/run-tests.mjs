// `npm run test:vscode`: runs the integration suite inside a real VS Code (code-server, pinned version) with no
// internet. The workbench URL's `payload` carries extensionDevelopmentPath + extensionTestsPath (the mechanism VS
// Code's own browser integration tests use); the suite runs in code-server's Node extension host and the workbench
// reports the end through window.codeAutomationExit(code). Exit code: 0 only if every test passed.
//
// Env: TEST_TIMEOUT_S (default 300), WORKTRACKER_TEST_GREP (mocha grep), CHROMIUM_PATH, VERBOSE=1,
//      KEEP_RUN_DIR=1 (keep the throwaway workspace and logs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import {
  ROOT, ensureCodeServer, shuttingDown, startCodeServer, launchBrowser, workbenchUrl, makeWorkspace, freePort, onShutdown, log,
  HarnessError, CODE_SERVER_VERSION,
} from './code-server.mjs';
import { buildTests, TESTS_ENTRY } from './build-tests.mjs';

const timeoutS = Number(process.env.TEST_TIMEOUT_S || 300);
const verbose = !!process.env.VERBOSE;
const outDir = path.join(ROOT, 'test-output', 'vscode');

let server;
let browser;
let runDir;
const finish = onShutdown(async () => {
  await browser?.close();
  await server?.stop();
  if (server) log(`stopped code-server (pid ${server.pid})`);
  if (runDir && server?.logFile && fs.existsSync(server.logFile)) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.copyFileSync(server.logFile, path.join(outDir, 'code-server.log'));
  }
  if (runDir && !process.env.KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
  else if (runDir) log('kept', runDir);
});

// Workbench/extension-host chatter that says nothing about the tests.
const NOISE = /^(Resolv|getaddrinfo ENOTFOUND|Creating a socket|Updating additional|ChatSessionStore|\[Service Worker\]|Started local extension host|Extension host agent|\[LocalProcess|Ignoring the error while validating workspace folder|Long running operations)/;

try {
  ensureCodeServer();
  const n = await buildTests();
  log(`built ${n} integration test file(s)`);
  if (!fs.existsSync(TESTS_ENTRY)) throw new HarnessError(`missing ${TESTS_ENTRY}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (pkg.main && !fs.existsSync(path.join(ROOT, pkg.main))) log(`WARNING: ${pkg.main} does not exist; run \`npm run build\` (activation will fail)`);

  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'worktracker-vscode-'));
  const workspace = path.join(runDir, 'workspace');
  const { copiedExamples } = makeWorkspace(workspace);
  const resultsFile = path.join(runDir, 'results.json');
  const port = await freePort();
  server = await startCodeServer({
    runDir, workspace, port,
    // The extension host inherits code-server's environment.
    env: {
      TEST_RESULTS_FILE: resultsFile,
      WORKTRACKER_TEST_EXAMPLES: copiedExamples ? path.join(workspace, 'examples') : '',
      WORKTRACKER_TEST_DEMO: path.join(workspace, 'demo'),
    },
  });
  log(`code-server ${CODE_SERVER_VERSION} up at ${server.url} (pid ${server.pid}); workspace ${workspace}${copiedExamples ? ' (with examples)' : ''}`);

  browser = await launchBrowser();
  const { context } = browser;
  let done;
  const exited = new Promise((r) => { done = r; });
  const seen = new Set();
  // Automation hooks the workbench looks for (IAutomatedWindow); they must exist before it boots.
  await context.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = util.format(...(args || []));
    if (!verbose && NOISE.test(line)) return;
    seen.add(line);
    console.log(line.split('\n').map((l) => `  | ${l}`).join('\n'));
  });
  await context.exposeFunction('codeAutomationExit', (code) => done(Number(code)));
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => { if (verbose) log('[pageerror]', e.message.slice(0, 300)); });
  if (verbose) page.on('console', (m) => log(`[browser ${m.type()}]`, m.text().slice(0, 400)));

  const url = workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: ROOT, extensionTestsPath: TESTS_ENTRY });
  log('opening the workbench');
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  let timer;
  const timedOut = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutS * 1000); });
  const code = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (code === 'timeout') {
    fs.mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: path.join(outDir, 'timeout.png') }).catch(() => {});
    log(`TIMEOUT after ${timeoutS}s (screenshot: test-output/vscode/timeout.png)`);
  }

  let results;
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the suite never reached the end */ }
  let rc = code === 'timeout' ? 2 : code;
  if (!results) {
    console.log('\nno test results: the suite did not run (see the log above and test-output/vscode/code-server.log)');
    console.log('0 passed, 1 failed');
    if (rc === 0) rc = 1;
  } else {
    if (results.error) console.log(`\nFAILED: ${results.error}`);
    for (const f of results.failed) console.log(`FAILED: ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
    console.log(`\n${results.passed.length} passed, ${results.failed.length} failed${results.pending.length ? `, ${results.pending.length} pending` : ''}`);
    if (results.failed.length > 0 && rc === 0) rc = 1;
    if (results.passed.length + results.failed.length === 0) {
      console.log('FAILED: no integration test ran');
      if (rc === 0) rc = 1; // an empty run proves nothing
    }
  }
  log(`exit code ${rc}`);
  await finish(rc);
} catch (e) {
  if (shuttingDown()) await new Promise(() => {}); // SIGINT/SIGTERM cleanup is already running and will exit
  console.error(e instanceof HarnessError ? `error: ${e.message}` : e);
  console.log('0 passed, 1 failed');
  await finish(1);
}
