// extensionTestsPath module, the contract shared by @vscode/test-electron and our code-server runner:
// `run(): Promise<void>` executes inside the real extension host (so `vscode` is the real API) and rejects when
// any test fails. Compiled by scripts/vscode/build-tests.mjs to out/test/integration/index.js.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  }).sort();
}

interface Results { passed: string[]; failed: { title: string; error: string }[]; pending: string[]; error?: string }

export function run(): Promise<void> {
  const suiteDir = path.join(__dirname, 'suite');
  const files = findTests(suiteDir);
  const resultsFile = process.env.TEST_RESULTS_FILE;
  const results: Results = { passed: [], failed: [], pending: [] };
  const write = (): void => {
    // The runner reads this file: a missing file means the suite never ran, which must fail the run too.
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  };
  if (files.length === 0) {
    results.error = `no compiled integration tests (*.test.js) under ${suiteDir}`;
    write();
    return Promise.reject(new Error(results.error));
  }
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.WORKTRACKER_TEST_TIMEOUT_MS ?? 30_000),
  });
  // `/re/` is a regular expression (to pick several suites); anything else is a plain substring.
  const grep = process.env.WORKTRACKER_TEST_GREP;
  const re = grep && /^\/(.+)\/$/.exec(grep);
  if (grep) mocha.grep(re ? new RegExp(re[1]) : grep);
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        write();
        console.log(`${results.passed.length} passed, ${results.failed.length} failed${results.pending.length ? `, ${results.pending.length} pending` : ''}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (e) {
      // A suite file that throws while loading lands here, not in a test.
      results.failed.push({ title: 'loading the suite', error: String(e instanceof Error ? e.stack : e) });
      write();
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    runner.on('pass', (t) => results.passed.push(t.fullTitle()));
    runner.on('fail', (t, err: unknown) => results.failed.push({ title: t.fullTitle(), error: String(err instanceof Error ? err.message : err) }));
    runner.on('pending', (t) => results.pending.push(t.fullTitle()));
  });
}
