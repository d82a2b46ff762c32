// The TextMate injection grammar, tokenized with VS Code's own engine (vscode-textmate +
// vscode-oniguruma from the pinned code-server install) together with the built-in Markdown
// grammar. Skipped when that install is absent.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const ROOT = path.resolve(__dirname, '../..');
const VSCODE = path.join(ROOT, '.vscode-test', 'code-server-4.100.3', 'node_modules', 'code-server', 'lib', 'vscode');
const MD_GRAMMAR = path.join(VSCODE, 'extensions', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json');
const OUR_GRAMMAR = path.join(ROOT, 'syntaxes', 'worktracker.injection.tmLanguage.json');
const available = fs.existsSync(MD_GRAMMAR) && fs.existsSync(path.join(VSCODE, 'node_modules', 'vscode-textmate'));

interface Token {
  text: string;
  scopes: string[];
}

async function tokenizer(): Promise<(text: string) => Token[][]> {
  const req = createRequire(path.join(VSCODE, 'package.json'));
  const tm = req('vscode-textmate');
  const onig = req('vscode-oniguruma');
  const wasm = fs.readFileSync(path.join(VSCODE, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => {
      if (scope === 'text.html.markdown') return tm.parseRawGrammar(fs.readFileSync(MD_GRAMMAR, 'utf8'), MD_GRAMMAR);
      if (scope === 'worktracker.injection') return tm.parseRawGrammar(fs.readFileSync(OUR_GRAMMAR, 'utf8'), OUR_GRAMMAR);
      return null;
    },
    // What package.json's `injectTo: ["text.html.markdown"]` does in VS Code.
    getInjections: (scope: string) => (scope === 'text.html.markdown' ? ['worktracker.injection'] : undefined),
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  return (text: string) => {
    let stack = tm.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      return r.tokens.map((t: { startIndex: number; endIndex: number; scopes: string[] }) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}

function scopesOf(lines: Token[][], line: number, text: string): string {
  const t = lines[line].find((x) => x.text.trim() === text);
  return t ? t.scopes.join(' ') : `<no token "${text}" in: ${lines[line].map((x) => JSON.stringify(x.text)).join(' ')}>`;
}

const SAMPLE = [
  '### 2.1 PHASE 1 — Root Cause Fix — COMPLETE',
  '',
  '| Agent | Status | Started | Notes |',
  '|-------|--------|---------|-------|',
  '| ps-r-001 | ✅ DONE | 2026-01-09 | all good |',
  '| nse-k-002 | IN PROGRESS 🔄 | 2026-01-09 | halfway done |',
  '| agent-a-003 | 🔒 BLOCKED | - | waits |',
  '| agent-b-004 | failed | - | see log |',
  '',
  '| Direction | Artifact | Status |',
  '|-----------|----------|--------|',
  '| ps→nse | findings.md | PENDING |',
  '',
  'Plain prose mentions COMPLETE and ps-r-001 without colour.',
  '',
  '```',
  '| ps-r-009 | COMPLETE |',
  '```',
].join('\n');

test('status words, emoji, agent ids and directions get standard scopes in tracker tables', { skip: !available && 'code-server install not present' }, async () => {
  const lines = (await tokenizer())(SAMPLE);
  assert.match(scopesOf(lines, 4, 'DONE'), /markup\.inserted\.status\.complete\.worktracker/);
  assert.match(scopesOf(lines, 4, '✅'), /markup\.inserted/);
  assert.match(scopesOf(lines, 4, 'ps-r-001'), /variable\.other\.constant\.agent-id\.worktracker/);
  assert.match(scopesOf(lines, 5, 'IN PROGRESS'), /markup\.changed\.status\.in-progress\.worktracker/);
  assert.match(scopesOf(lines, 6, 'BLOCKED'), /markup\.deleted\.status\.blocked\.worktracker/);
  assert.match(scopesOf(lines, 7, 'failed'), /markup\.deleted\.status\.failed\.worktracker/);
  assert.match(scopesOf(lines, 11, 'ps'), /entity\.name\.tag\.pipeline\.worktracker/);
  assert.match(scopesOf(lines, 11, '→'), /keyword\.operator\.direction\.worktracker/);
  assert.match(scopesOf(lines, 11, 'PENDING'), /comment\.status\.pending\.worktracker/);
});

test('headings keep their Markdown scope and gain the status scope', { skip: !available && 'code-server install not present' }, async () => {
  const lines = (await tokenizer())(SAMPLE);
  const s = scopesOf(lines, 0, 'COMPLETE');
  assert.match(s, /markup\.heading\.markdown/);
  assert.match(s, /markup\.inserted\.status\.complete\.worktracker/);
});

test('prose, notes and fenced code are left alone', { skip: !available && 'code-server install not present' }, async () => {
  const lines = (await tokenizer())(SAMPLE);
  assert.doesNotMatch(lines[13].map((t) => t.scopes.join(' ')).join(' '), /worktracker/);
  // "done" inside a Notes cell is not a status cell start.
  assert.doesNotMatch(scopesOf(lines, 5, 'halfway done'), /worktracker/);
  assert.doesNotMatch(lines[16].map((t) => t.scopes.join(' ')).join(' '), /worktracker/);
});
