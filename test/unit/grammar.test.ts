// The TextMate injection grammar, tokenized with VS Code's own engine (vscode-textmate +
// vscode-oniguruma from the pinned code-server install) together with the built-in Markdown
// grammar. Skipped when that install is absent.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

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

/** Statuses as the reader knows them: the grammar's words must cover them (issue 10: EXECUTING, NEW, SCHEDULED). */
test('the committed grammar is the generator\'s output and knows status.ts\'s words', () => {
  const before = fs.readFileSync(OUR_GRAMMAR, 'utf8');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grammar-'));
  // Run the generator on a copy of the inputs, so the check never rewrites the committed file.
  fs.mkdirSync(path.join(tmp, 'scripts', 'ext'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'src', 'core'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'syntaxes'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'ext', 'make-grammar.mjs'), path.join(tmp, 'scripts', 'ext', 'make-grammar.mjs'));
  fs.copyFileSync(path.join(ROOT, 'src', 'core', 'status.ts'), path.join(tmp, 'src', 'core', 'status.ts'));
  execFileSync(process.execPath, [path.join(tmp, 'scripts', 'ext', 'make-grammar.mjs')]);
  const generated = fs.readFileSync(path.join(tmp, 'syntaxes', 'worktracker.injection.tmLanguage.json'), 'utf8');
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.equal(before, generated, 'syntaxes/ is stale: run node scripts/ext/make-grammar.mjs');
  const g = JSON.parse(before) as { patterns: { match?: string }[] };
  const all = g.patterns.map((p) => p.match ?? '').join('\n');
  for (const w of ['EXECUTING', 'NEW', 'SCHEDULED', 'COMPLETED', 'NOT[ _-]STARTED', 'ON[ _-]HOLD']) assert.ok(all.includes(w), `status word ${w}`);
});

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

const REAL = [
  '| Agent | Status | Started | Completed | Notes |',
  '|-------|--------|---------|-----------|-------|',
  '| ps-architect-task001-rev | COMPLETE | 2026-02-11 | 2026-02-11 | Accepted: maxLength:50. Rejected: minItems:1 |',
  '| **EN-410** | EXECUTING | - | - | New feature |',
  '| fix-reviser-p1 | SCHEDULED | - | - | |',
  '| x | NEW | - | - | |',
  '',
  '| Field | Value |',
  '|-------|-------|',
  '| **Status** | ✅ ACCEPTED (0.93) |',
  '| Status | Completed |',
  '',
  'Decision - ACCEPTED: by the user.',
].join('\n');

test('header cells and prose are not statuses; agent ids of every shape get a scope', { skip: !available && 'code-server install not present' }, async () => {
  const lines = (await tokenizer())(REAL);
  // The header row: `Started`, `Completed`, `Status` are column names.
  assert.doesNotMatch(lines[0].map((t) => t.scopes.join(' ')).join(' '), /\.status\./);
  assert.match(scopesOf(lines, 0, '| Agent | Status | Started | Completed | Notes |'), /meta\.table\.header\.worktracker/);
  assert.doesNotMatch(lines[7].map((t) => t.scopes.join(' ')).join(' '), /\.status\./);
  // Prose in a Notes cell and a sentence are not statuses.
  assert.doesNotMatch(scopesOf(lines, 2, '| Accepted: maxLength:50. Rejected: minItems:1 |'), /\.status\./);
  assert.doesNotMatch(lines[12].map((t) => t.scopes.join(' ')).join(' '), /worktracker/);
  // The words the reader knows.
  assert.match(scopesOf(lines, 3, 'EXECUTING'), /markup\.changed\.status\.in-progress\.worktracker/);
  assert.match(scopesOf(lines, 4, 'SCHEDULED'), /comment\.status\.pending\.worktracker/);
  assert.match(scopesOf(lines, 5, 'NEW'), /comment\.status\.pending\.worktracker/);
  assert.doesNotMatch(lines[3].map((t) => (t.text.includes('New feature') ? t.scopes.join(' ') : '')).join(' '), /\.status\./);
  // Ids.
  assert.match(scopesOf(lines, 2, 'ps-architect-task001-rev'), /variable\.other\.constant\.agent-id\.worktracker/);
  assert.match(scopesOf(lines, 3, 'EN-410'), /variable\.other\.constant\.agent-id\.worktracker/);
  assert.match(scopesOf(lines, 4, 'fix-reviser-p1'), /variable\.other\.constant\.agent-id\.worktracker/);
  // A key/value row keeps its status colour.
  assert.match(scopesOf(lines, 9, 'ACCEPTED'), /markup\.inserted\.status\.complete\.worktracker/);
  assert.match(scopesOf(lines, 10, 'Completed'), /markup\.inserted\.status\.complete\.worktracker/);
});
