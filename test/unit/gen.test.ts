// The committed generated files are what `npm run gen` makes: a change to a generator, to the status
// vocabulary it reads, or a hand edit of an output without its generator fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const OUTPUTS = ['syntaxes/worktracker.injection.tmLanguage.json', 'schemas/orchestration.schema.json', 'media/icon.png', 'package.json'];

test('npm run gen reproduces every committed generated file byte for byte', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wt-gen-check-'));
  try {
    // The generators find their inputs and outputs relative to themselves: give them the same layout.
    cpSync(path.join(ROOT, 'scripts'), path.join(tmp, 'scripts'), { recursive: true });
    mkdirSync(path.join(tmp, 'src', 'core'), { recursive: true });
    cpSync(path.join(ROOT, 'src', 'core', 'status.ts'), path.join(tmp, 'src', 'core', 'status.ts'));
    // The language-model tools come from src/tools/definitions.ts (zod, through tsx).
    cpSync(path.join(ROOT, 'src', 'core', 'model.ts'), path.join(tmp, 'src', 'core', 'model.ts'));
    cpSync(path.join(ROOT, 'src', 'tools'), path.join(tmp, 'src', 'tools'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'junction');
    for (const d of ['syntaxes', 'schemas', 'media']) mkdirSync(path.join(tmp, d), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(tmp, 'package.json'));
    execFileSync(process.execPath, [path.join(tmp, 'scripts', 'gen.mjs')], { stdio: 'pipe' });
    for (const f of OUTPUTS) {
      const made = readFileSync(path.join(tmp, f));
      const committed = readFileSync(path.join(ROOT, f));
      assert.ok(made.equals(committed), `${f} differs from what \`npm run gen\` makes: run it and commit the result`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
