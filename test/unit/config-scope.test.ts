// Settings read per resource (getConfig(uri)) must be declared with `"scope": "resource"`, else
// VS Code logs "Accessing a window scoped configuration for a resource is not expected" on each read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

test('every setting getConfig reads is declared with resource scope', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const props: Record<string, { scope?: string }> = pkg.contributes.configuration.properties;
  const src = readFileSync(path.join(ROOT, 'src/vscode/config.ts'), 'utf8');
  const body = src.slice(src.indexOf('export function getConfig'));
  const keys = [...body.slice(0, body.indexOf('\n}\n')).matchAll(/c\.get<[^(]*?>\('([\w.]+)'/g)].map((m) => `worktracker.${m[1]}`);
  assert.ok(keys.length >= 8, `read keys: ${keys.join(', ')}`);
  for (const k of keys) {
    assert.ok(props[k], `${k} is declared`);
    assert.ok(props[k].scope === 'resource' || props[k].scope === 'language-overridable', `${k} has scope ${props[k].scope ?? '(window by default)'}`);
  }
});
