// `npm run test:vscode`: runs the integration suite inside a real VS Code (code-server, pinned version) with no
// internet. The workbench URL's `payload` carries extensionDevelopmentPath + extensionTestsPath (the mechanism VS
// Code's own browser integration tests use); the suite runs in code-server's Node extension host and the workbench
// reports the end through window.codeAutomationExit(code). Two passes, each on a fresh server and workspace: the
// whole suite with workspace trust off and the demo + examples in the workspace, then the `Activation on open` and
// `Restricted Mode` tests in a workspace with no tracker, trust on and the folder untrusted.
// Exit code: 0 only if every test of both passes passed.
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
    fs.copyFileSync(server.logFile, path.join(outDir, 'code-server-interrupted.log'));
  }
  if (runDir && !process.env.KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
  else if (runDir) log('kept', runDir);
});

// Suites that run only in the second pass (fresh window, workspace without trackers, untrusted).
const SECOND_PASS = ['Activation on open', 'Restricted Mode'];

// Workbench/extension-host chatter that says nothing about the tests.
const NOISE = /^(Resolv|getaddrinfo ENOTFOUND|Creating a socket|Updating additional|ChatSessionStore|\[Service Worker\]|Started local extension host|Extension host agent|\[LocalProcess|Ignoring the error while validating workspace folder|Long running operations)/;

/**
 * One run of the suite in a fresh code-server + browser. `untrusted`: workspace trust enabled and the folder left
 * untrusted (Restricted Mode); `grep` narrows the mocha tests. Returns { rc, results }.
 */
async function runPass({ name, untrusted = false, grep }) {
  const passDir = fs.mkdtempSync(path.join(runDir, `${name}-`));
  const workspace = path.join(passDir, 'workspace');
  // The untrusted pass starts with no tracker at all, so nothing activates the extension before its tests open one;
  // `outside` is a folder beside the workspace for files opened from outside it.
  const { copiedExamples } = makeWorkspace(workspace, untrusted ? { demo: false, examples: false, fixtures: false } : {});
  const outside = path.join(passDir, 'outside');
  fs.mkdirSync(outside, { recursive: true });
  const resultsFile = path.join(passDir, 'results.json');
  const port = await freePort();
  server = await startCodeServer({
    runDir: passDir, workspace, port, untrusted,
    // The extension host inherits code-server's environment.
    env: {
      TEST_RESULTS_FILE: resultsFile,
      WORKTRACKER_TEST_EXAMPLES: copiedExamples ? path.join(workspace, 'examples') : '',
      WORKTRACKER_TEST_DEMO: path.join(workspace, 'demo'),
      // Our own fixture pairs, read by tests that write copies into the workspace.
      WORKTRACKER_TEST_FIXTURES: path.join(ROOT, 'test', 'fixtures'),
      WORKTRACKER_TEST_OUTSIDE: untrusted ? outside : '',
      ...(grep ? { WORKTRACKER_TEST_GREP: grep } : {}),
    },
  });
  log(`[${name}] code-server ${CODE_SERVER_VERSION} up at ${server.url} (pid ${server.pid}); workspace ${workspace}${copiedExamples ? ' (with examples)' : ''}${untrusted ? ' (untrusted: Restricted Mode)' : ''}`);

  browser = await launchBrowser();
  const { context } = browser;
  let done;
  const exited = new Promise((r) => { done = r; });
  // Automation hooks the workbench looks for (IAutomatedWindow); they must exist before it boots.
  await context.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = util.format(...(args || []));
    if (!verbose && NOISE.test(line)) return;
    console.log(line.split('\n').map((l) => `  | ${l}`).join('\n'));
  });
  await context.exposeFunction('codeAutomationExit', (code) => done(Number(code)));
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => { if (verbose) log('[pageerror]', e.message.slice(0, 300)); });
  if (verbose) page.on('console', (m) => log(`[browser ${m.type()}]`, m.text().slice(0, 400)));

  const url = workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: ROOT, extensionTestsPath: TESTS_ENTRY });
  log(`[${name}] opening the workbench`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  let timer;
  const timedOut = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutS * 1000); });
  const code = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (code === 'timeout') {
    fs.mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: path.join(outDir, `timeout-${name}.png`) }).catch(() => {});
    log(`[${name}] TIMEOUT after ${timeoutS}s (screenshot: test-output/vscode/timeout-${name}.png)`);
  }
  await browser.close();
  browser = undefined;
  await server.stop();
  fs.mkdirSync(outDir, { recursive: true });
  if (fs.existsSync(server.logFile)) fs.copyFileSync(server.logFile, path.join(outDir, `code-server-${name}.log`));
  server = undefined;

  let results;
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the suite never reached the end */ }
  return { rc: code === 'timeout' ? 2 : code, results };
}

try {
  ensureCodeServer();
  const n = await buildTests();
  log(`built ${n} integration test file(s)`);
  if (!fs.existsSync(TESTS_ENTRY)) throw new HarnessError(`missing ${TESTS_ENTRY}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (pkg.main && !fs.existsSync(path.join(ROOT, pkg.main))) log(`WARNING: ${pkg.main} does not exist; run \`npm run build\` (activation will fail)`);
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'worktracker-vscode-'));

  // The whole suite in a trusted workspace, then the Restricted Mode tests in an untrusted one (they are pending in
  // the first pass). WORKTRACKER_TEST_GREP picks one: the restricted pass when it names Restricted Mode, else the
  // trusted pass.
  const grep = process.env.WORKTRACKER_TEST_GREP;
  const restricted = { name: 'restricted', untrusted: true, grep: `/^(${SECOND_PASS.join('|')})\\b/` };
  const passes = !grep ? [{ name: 'trusted' }, restricted] : /restricted|activation on open/i.test(grep) ? [restricted] : [{ name: 'trusted', grep }];
  let rc = 0;
  let passed = 0;
  let failedN = 0;
  let pending = 0;
  for (const pass of passes) {
    const { rc: code, results } = await runPass(pass);
    let prc = code;
    if (!results) {
      console.log(`\n[${pass.name}] no test results: the suite did not run (see the log above and test-output/vscode/code-server-${pass.name}.log)`);
      failedN++;
      if (prc === 0) prc = 1;
    } else {
      if (results.error) console.log(`\n[${pass.name}] FAILED: ${results.error}`);
      for (const f of results.failed) console.log(`[${pass.name}] FAILED: ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
      // Tests of the other pass show as pending here; count them once, where they run.
      const ran = results.passed.length + results.failed.length;
      passed += results.passed.length;
      failedN += results.failed.length;
      if (pass.name === 'trusted') pending += results.pending.filter((t) => !SECOND_PASS.some((s) => t.startsWith(s))).length;
      console.log(`[${pass.name}] ${results.passed.length} passed, ${results.failed.length} failed`);
      if (results.failed.length > 0 && prc === 0) prc = 1;
      if (ran === 0) {
        console.log(`[${pass.name}] FAILED: no integration test ran`);
        failedN++;
        if (prc === 0) prc = 1; // an empty run proves nothing
      }
    }
    if (prc !== 0 && rc === 0) rc = prc;
  }
  console.log(`\n${passed} passed, ${failedN} failed${pending ? `, ${pending} pending` : ''}`);
  log(`exit code ${rc}`);
  await finish(rc);
} catch (e) {
  if (shuttingDown()) await new Promise(() => {}); // SIGINT/SIGTERM cleanup is already running and will exit
  console.error(e instanceof HarnessError ? `error: ${e.message}` : e);
  console.log('0 passed, 1 failed');
  await finish(1);
}
