// `npm run test:electron`: the same suite (out/test/integration/index.js) in desktop VS Code via
// @vscode/test-electron, for machines that can download VS Code from update.code.visualstudio.com.
// Offline, use `npm run test:vscode` (code-server) instead. Headless Linux needs a display: `xvfb-run -a npm run test:electron`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildTests, TESTS_ENTRY } from '../../scripts/vscode/build-tests.mjs';
import { ROOT, CACHE_DIR, makeWorkspace } from '../../scripts/vscode/code-server.mjs';

// Same VS Code as the code-server pin (code-server 4.100.3 = VS Code 1.100.3); override with VSCODE_VERSION.
const version = process.env.VSCODE_VERSION || '1.100.3';
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'worktracker-electron-'));
const workspace = path.join(runDir, 'workspace');
const resultsFile = path.join(runDir, 'results.json');
let rc = 1;
try {
  await buildTests();
  const { copiedExamples } = makeWorkspace(workspace);
  rc = await runTests({
    version,
    cachePath: CACHE_DIR,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: TESTS_ENTRY,
    extensionTestsEnv: {
      TEST_RESULTS_FILE: resultsFile,
      WORKTRACKER_TEST_EXAMPLES: copiedExamples ? path.join(workspace, 'examples') : '',
      WORKTRACKER_TEST_DEMO: path.join(workspace, 'demo'),
    },
    // A fresh profile: no other extensions, no welcome page, no workspace-trust prompt.
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust',
      `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
  });
} catch (e) {
  console.error('test:electron failed:', e instanceof Error ? e.message : e);
  rc = 1;
} finally {
  let results;
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* suite did not run */ }
  if (results) console.log(`\n${results.passed.length} passed, ${results.failed.length} failed`);
  else console.log('\nno test results: the suite did not run\n0 passed, 1 failed');
  if (!results || results.failed.length > 0 || results.passed.length === 0) rc = rc || 1;
  fs.rmSync(runDir, { recursive: true, force: true });
}
process.exit(rc);
