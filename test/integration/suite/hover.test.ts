// Hovers inside a real VS Code: artifact paths (checklist, table, YAML), agent ids, escaping.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, SMALL_TRACKER, SMALL_YAML, writeFixture } from './util';

async function hoverText(uri: vscode.Uri, line: number, needle: string, offset = 1): Promise<{ text: string; hovers: vscode.Hover[] }> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const col = doc.lineAt(line).text.indexOf(needle);
  assert.ok(col >= 0, `"${needle}" not on line ${line}: ${doc.lineAt(line).text}`);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, col + offset))) ?? [];
  const text = hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
  return { text, hovers };
}

function lineOf(text: string, prefix: string): number {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  assert.ok(i >= 0, prefix);
  return i;
}

describe('hovers', () => {
  before(async function () {
    this.timeout(180_000);
    await getApi();
  });

  it('on a checklist path: resolved path, size, first heading, producer and its status, open/reveal links', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML, { 'docs/findings.md': '# Findings Report\n\nEight options were found.\n' });
    const { text } = await hoverText(f.md, lineOf(SMALL_TRACKER, '- [x] `docs/findings.md`'), 'docs/findings.md', 2);
    assert.match(text, /docs\/findings\.md/);
    assert.match(text, /✔/);
    assert.match(text, /\d+ B/);
    assert.match(text, /Findings Report/);
    assert.match(text, /Produced by \*\*agent\\-a\\-001\*\* — COMPLETE/);
    assert.match(text, /\(command:worktracker\.openArtifact\?/);
    assert.match(text, /\(command:worktracker\.revealArtifact\?/);
  });

  it('on a missing path says so and where it looked', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const { text } = await hoverText(f.md, lineOf(SMALL_TRACKER, '- [ ] `docs/design.md`'), 'docs/design.md', 2);
    assert.match(text, /Not found/);
    assert.match(text, /docs\/design\.md/);
    assert.doesNotMatch(text, /openArtifact/);
  });

  it('on a bare file name in an agent table cell', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML, { 'docs/findings.md': '# Findings Report\n' });
    const { text } = await hoverText(f.md, lineOf(SMALL_TRACKER, '| agent-a-001'), 'findings.md', 1);
    assert.match(text, /Artifact/);
    assert.match(text, /findings\.md/);
  });

  it('on a YAML artifact value', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML, { 'docs/findings.md': '# Findings Report\n' });
    const { text } = await hoverText(f.yaml, lineOf(SMALL_YAML, '            artifact: "docs/findings.md"'), 'docs/findings.md', 2);
    assert.match(text, /Findings Report/);
    assert.match(text, /agent\\-a\\-001/);
  });

  it('on an agent id: its row summary; user text is escaped and links only run our commands', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const { text, hovers } = await hoverText(f.md, lineOf(SMALL_TRACKER, '| agent-b-001'), 'agent-b-001', 3);
    assert.match(text, /Agent agent\\-b\\-001/);
    assert.match(text, /BLOCKED/);
    assert.match(text, /IN\\_PROGRESS ⚠ differs/);
    // The Notes cell `[x](command:workbench.action.quit)` must not survive as a link.
    assert.match(text, /Notes: \\\[x\\\]\\\(command\\:workbench\\\.action\\\.quit\\\)/);
    assert.doesNotMatch(text, /\]\(command:workbench/);
    for (const c of hovers.flatMap((h) => h.contents)) {
      if (typeof c === 'object' && 'isTrusted' in c) assert.notEqual((c as vscode.MarkdownString).isTrusted, true);
    }
  });

  it('never reads a path that leaves the workspace', async () => {
    const md = SMALL_TRACKER.replace('- [ ] `docs/design.md`', '- [ ] `../../../../../../etc/hostname`').replace('- [x] `docs/findings.md`', '- [x] `/etc/hostname`');
    const f = await writeFixture(md, SMALL_YAML);
    const esc = await hoverText(f.md, lineOf(md, '- [ ] `../'), '../', 2);
    assert.match(esc.text, /never read|Not found/);
    assert.doesNotMatch(esc.text, /openArtifact/);
    const abs = await hoverText(f.md, lineOf(md, '- [x] `/etc'), '/etc', 2);
    assert.match(abs.text, /Absolute path: not checked and not read/);
  });
  it('names the producing occurrence whose row holds the path, not the first row with that id', async () => {
    const md = SMALL_TRACKER.replace(
      '---\n\n### 2.2 BARRIER 1',
      '### 2.3 PHASE 2 - PENDING\n\n| Agent | Status | Started | Completed | Artifacts | Notes |\n|-------|--------|---------|-----------|-----------|-------|\n| agent-a-001 | PENDING | - | - | `docs/second-pass.md` | again |\n\n---\n\n### 2.2 BARRIER 1',
    );
    const f = await writeFixture(md, SMALL_YAML);
    const { text } = await hoverText(f.md, lineOf(md, '| agent-a-001 | PENDING'), 'docs/second-pass.md', 2);
    assert.match(text, /Produced by \*\*agent\\-a\\-001\*\* — PENDING/);
  });

  it('on a path in a plain bullet under an artifacts heading, like a checklist item', async () => {
    const md = SMALL_TRACKER.replace('#### Pipeline B Phase 1: Scope', '#### Artifacts\n\n- `docs/findings.md` — the report\n- docs/nowhere.md\n\n#### Pipeline B Phase 1: Scope');
    const f = await writeFixture(md, SMALL_YAML, { 'docs/findings.md': '# Findings Report\n' });
    const found = await hoverText(f.md, lineOf(md, '- `docs/findings.md`'), 'docs/findings.md', 2);
    assert.match(found.text, /Findings Report/);
    assert.match(found.text, /Produced by \*\*agent\\-a\\-001\*\*/);
    const missing = await hoverText(f.md, lineOf(md, '- docs/nowhere.md'), 'docs/nowhere.md', 2);
    assert.match(missing.text, /Not found/);
    // A bullet under another heading is not an artifact.
    const g = await writeFixture(SMALL_TRACKER.replace('#### Pipeline B Phase 1: Scope', '#### Notes\n\n- `docs/findings.md`\n\n#### Pipeline B Phase 1: Scope'), SMALL_YAML, { 'docs/findings.md': '# Findings Report\n' });
    const other = await hoverText(g.md, lineOf(SMALL_TRACKER.replace('#### Pipeline B Phase 1: Scope', '#### Notes\n\n- `docs/findings.md`\n\n#### Pipeline B Phase 1: Scope'), '- `docs/findings.md`'), 'docs/findings.md', 2);
    assert.doesNotMatch(other.text, /Findings Report/);
  });

  it('the "looked at" list holds each candidate once', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const { text } = await hoverText(f.md, lineOf(SMALL_TRACKER, '- [ ] `docs/design.md`'), 'docs/design.md', 2);
    const looked = /Looked at (.*?)\.\n/s.exec(text)?.[1] ?? '';
    const paths = [...looked.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    assert.ok(paths.length > 0, text);
    assert.equal(new Set(paths).size, paths.length, looked);
  });
});
