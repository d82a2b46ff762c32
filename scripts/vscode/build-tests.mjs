// Compiles the integration tests (test/integration/index.ts + suite/**/*.test.ts) to CommonJS under
// out/test/integration/, one bundle per file. `vscode` is provided by the extension host and mocha is loaded from
// node_modules (it requires its reporters dynamically, so it must not be bundled); everything else (our src/ and
// ESM-only deps like remark) is bundled so the CJS extension host can load it.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './code-server.mjs';

export const TESTS_OUT = path.join(ROOT, 'out', 'test', 'integration');
export const TESTS_ENTRY = path.join(TESTS_OUT, 'index.js');

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? find(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

export async function buildTests() {
  const src = path.join(ROOT, 'test', 'integration');
  const entryPoints = [path.join(src, 'index.ts'), ...find(path.join(src, 'suite'))];
  // Start clean: a deleted suite file must not keep running from a stale bundle.
  fs.rmSync(TESTS_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: src,
    outdir: TESTS_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
  });
  return entryPoints.length - 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = await buildTests();
  console.log(`built ${n} integration test file(s) into ${path.relative(ROOT, TESTS_OUT)}`);
}
