// Diagnostics and quick fixes inside a real VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { isDashboardStale } from '../../../src/core/dashboard';
import { changedLines, entryOf, exampleUri, exists, getApi, restore, setConfig, SMALL_TRACKER, SMALL_YAML, waitFor, writeFixture, skipWithoutExamples, workspaceRoot } from './util';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

async function diagnosticsFor(uri: vscode.Uri, code: string, timeout = 20_000): Promise<vscode.Diagnostic[]> {
  return waitFor(`${code} on ${uri.path}`, () => {
    const list = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
    return list.length ? list : undefined;
  }, timeout);
}

async function fixesAt(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  // The provider command needs the document loaded in the editor.
  await vscode.workspace.openTextDocument(uri);
  // VS Code cancels a code-action request when any extension (un)registers a provider meanwhile,
  // which happens while the built-in Markdown/YAML features activate: ask again then.
  for (let attempt = 0; ; attempt++) {
    try {
      return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    } catch (e) {
      if (attempt >= 3 || !/Canceled/.test(String(e))) throw e;
    }
  }
}

function lineOf(text: string, prefix: string): number {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  assert.ok(i >= 0, prefix);
  return i;
}

// A tracker whose checked item points at a file that exists under another folder (close match).
const MISSING = SMALL_TRACKER.replace('- [x] `docs/findings.md`', '- [x] `docs/old/findings.md`');

describe('diagnostics and quick fixes', () => {
  before(async function () {
    this.timeout(180_000);
    await getApi();
    await setConfig('syncOnSave', false);
  });
  after(async () => {
    await setConfig('syncOnSave', undefined);
    await setConfig('validate.ignore', undefined);
    await setConfig('validate.severity', undefined);
  });

  it('reports drift on both files with a code link and related information to the other file', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const md = await diagnosticsFor(f.md, 'status-drift');
    const d = md.find((x) => x.range.start.line === lineOf(SMALL_TRACKER, '| agent-b-001'));
    assert.ok(d, 'drift on the agent-b-001 row');
    assert.equal(d.source, 'worktracker');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(typeof d.code === 'object' && d.code.target.fragment === 'status-drift');
    assert.equal(d.relatedInformation?.[0].location.uri.toString(), f.yaml.toString());
    const y = await diagnosticsFor(f.yaml, 'status-drift');
    assert.ok(y.some((x) => x.relatedInformation?.[0].location.uri.toString() === f.md.toString()));
  });

  it('quick fix: take the markdown status into the YAML, or the YAML status into the markdown', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const d = (await diagnosticsFor(f.md, 'status-drift')).find((x) => x.range.start.line === lineOf(SMALL_TRACKER, '| agent-b-001'))!;
    const fixes = await fixesAt(f.md, d);
    const toYaml = fixes.find((a) => /into ORCHESTRATION\.yaml/.test(a.title));
    const toMd = fixes.find((a) => /into the markdown/.test(a.title));
    assert.ok(toYaml && toMd, fixes.map((a) => a.title).join(' | '));
    const y0 = (await vscode.workspace.openTextDocument(f.yaml)).getText();
    assert.ok(await vscode.workspace.applyEdit(toYaml.edit!));
    const y1 = (await vscode.workspace.openTextDocument(f.yaml)).getText();
    assert.deepEqual(changedLines(y0, y1).map((c) => [c[1].trim(), c[2].trim()]), [['status: "IN_PROGRESS"', 'status: "BLOCKED"']]);
    // The other direction, on a fresh copy.
    const g = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const d2 = (await diagnosticsFor(g.md, 'status-drift')).find((x) => x.range.start.line === lineOf(SMALL_TRACKER, '| agent-b-001'))!;
    const toMd2 = (await fixesAt(g.md, d2)).find((a) => /into the markdown/.test(a.title))!;
    const m0 = (await vscode.workspace.openTextDocument(g.md)).getText();
    assert.ok(await vscode.workspace.applyEdit(toMd2.edit!));
    const m1 = (await vscode.workspace.openTextDocument(g.md)).getText();
    const c = changedLines(m0, m1);
    assert.equal(c.length, 1);
    assert.match(c[0][2], /^\| agent-b-001 \| IN_PROGRESS \| /);
  });

  it('path-missing: replace with the close match, create the file, untick, ignore', async function () {
    this.timeout(90_000);
    const f = await writeFixture(MISSING, SMALL_YAML, { 'docs/findings.md': '# Findings\n' });
    const line = lineOf(MISSING, '- [x] `docs/old/findings.md`');
    const d = (await diagnosticsFor(f.md, 'path-missing')).find((x) => x.range.start.line === line);
    assert.ok(d, 'path-missing on the checked item');
    const fixes = await fixesAt(f.md, d);
    const titles = fixes.map((a) => a.title);
    const replace = fixes.find((a) => a.title === 'Replace with `docs/findings.md`');
    assert.ok(replace, titles.join(' | '));
    assert.equal(replace.isPreferred, true);
    const create = fixes.find((a) => a.title.startsWith('Create `'));
    assert.ok(create, titles.join(' | '));
    const untick = fixes.find((a) => a.title.startsWith('Untick'));
    assert.ok(untick, titles.join(' | '));
    const ignore = fixes.find((a) => a.title.startsWith('Ignore `docs/old/findings.md`'));
    assert.ok(ignore?.command, titles.join(' | '));

    const t0 = (await vscode.workspace.openTextDocument(f.md)).getText();
    assert.ok(await vscode.workspace.applyEdit(untick.edit!));
    const t1 = (await vscode.workspace.openTextDocument(f.md)).getText();
    assert.deepEqual(changedLines(t0, t1), [[line, '- [x] `docs/old/findings.md`', '- [ ] `docs/old/findings.md`']]);

    // The replacement touches only the path (the box stays as it now is).
    assert.ok(await vscode.workspace.applyEdit(replace.edit!));
    const t2 = (await vscode.workspace.openTextDocument(f.md)).getText();
    assert.deepEqual(changedLines(t1, t2), [[line, '- [ ] `docs/old/findings.md`', '- [ ] `docs/findings.md`']]);

    // Create: the file appears where the path says, inside the workspace.
    const g = await writeFixture(MISSING, SMALL_YAML);
    const dg = (await diagnosticsFor(g.md, 'path-missing')).find((x) => x.range.start.line === line)!;
    const createG = (await fixesAt(g.md, dg)).find((a) => a.title.startsWith('Create `'))!;
    assert.ok(await vscode.workspace.applyEdit(createG.edit!));
    const target = vscode.Uri.joinPath(g.dir, 'docs', 'old', 'findings.md');
    assert.ok(await exists(target), `${target.path} created`);
    // Re-checked when the referenced file is created: the diagnostic goes away.
    await waitFor('path-missing cleared', () => (vscode.languages.getDiagnostics(g.md).some((x) => codeOf(x) === 'path-missing' && x.range.start.line === line) ? undefined : true), 20_000);

    // Ignore: adds the path to worktracker.validate.ignore and the diagnostic goes away.
    await vscode.commands.executeCommand(ignore.command!.command, ...(ignore.command!.arguments ?? []));
    assert.ok((vscode.workspace.getConfiguration('worktracker').get<string[]>('validate.ignore') ?? []).includes('docs/old/findings.md'));
    // Later tests use the same path: leave the setting as it was.
    await setConfig('validate.ignore', undefined);
  });

  it('path-missing: an artifact of unfinished work is information, "not produced yet"', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const line = lineOf(SMALL_TRACKER, '- [ ] `docs/design.md`');
    const d = await waitFor('not produced yet', () => vscode.languages.getDiagnostics(f.md).find((x) => codeOf(x) === 'path-missing' && x.range.start.line === line), 20_000);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.match(d.message, /not produced yet/);
    // The typed data behind it, which the tree reads.
    const api = await getApi();
    const finding = api.diagnostics.findings(f.entry).find((x) => x.code === 'path-missing' && x.range.start.line === line);
    assert.equal(finding?.data?.produced, false);
  });

  it('path-missing: two equally close matches are both offered, neither preferred', async () => {
    // A name no other fixture of the workspace has: an earlier test creates `docs/old/findings.md`
    // in its own folder, which is a fair close match for that path.
    const twin = MISSING.replace('- [x] `docs/old/findings.md`', '- [x] `docs/old/twin-notes.md`');
    const f = await writeFixture(twin, SMALL_YAML, { 'docs/a/twin-notes.md': '# A\n', 'docs/b/twin-notes.md': '# B\n' });
    const line = lineOf(twin, '- [x] `docs/old/twin-notes.md`');
    const d = (await diagnosticsFor(f.md, 'path-missing')).find((x) => x.range.start.line === line);
    assert.ok(d);
    const replaces = (await fixesAt(f.md, d)).filter((a) => a.title.startsWith('Replace with'));
    assert.deepEqual(replaces.map((a) => a.title).sort(), ['Replace with `docs/a/twin-notes.md`', 'Replace with `docs/b/twin-notes.md`']);
    assert.ok(replaces.every((a) => !a.isPreferred));
  });

  it('honours per-code severity overrides and "off"', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await diagnosticsFor(f.md, 'status-drift');
    await setConfig('validate.severity', { 'status-drift': 'error' });
    await waitFor('error severity', () => vscode.languages.getDiagnostics(f.md).find((d) => codeOf(d) === 'status-drift' && d.severity === vscode.DiagnosticSeverity.Error), 20_000);
    await setConfig('validate.severity', { 'status-drift': 'off' });
    await waitFor('drift off', () => (vscode.languages.getDiagnostics(f.md).some((d) => codeOf(d) === 'status-drift') ? undefined : true), 20_000);
    await setConfig('validate.severity', undefined);
  });

  it('reports the codes of the real examples and offers dashboard regeneration', async function () {
    await skipWithoutExamples(this);
    const api = await getApi();
    const dup = exampleUri('tracks-duplicate-yaml-key', 'ORCHESTRATION.yaml');
    const dd = await diagnosticsFor(dup, 'yaml-duplicate-key', 30_000);
    assert.ok(dd[0].range.start.line > 800, `duplicate key near line 887, got ${dd[0].range.start.line + 1}`);
    const three = exampleUri('three-pipelines');
    await diagnosticsFor(three, 'self-contradiction', 30_000);
    const over = exampleUri('overflowing-dashboard');
    const stale = await diagnosticsFor(over, 'dashboard-stale', 30_000);
    const regen = (await fixesAt(over, stale[0])).find((a) => a.title.startsWith('Regenerate'));
    assert.ok(regen?.edit);
    const before = (await vscode.workspace.openTextDocument(over)).getText();
    try {
      assert.ok(await vscode.workspace.applyEdit(regen.edit));
      const e = await entryOf(over);
      const snap = await api.store.reparse(e);
      assert.equal(isDashboardStale(snap!.tracker).stale, false);
    } finally {
      await restore(over, before);
    }
  });
});

// Issue 13: what the file system said about paths is kept between analyses (typing stays cheap), so
// it must hear every file the watcher reports: an artifact written after its tracker is found
// without a Refresh, also when it lands before the first analysis has finished.
describe('the path cache follows the file system', () => {
  const LATE = SMALL_TRACKER.replace('- [x] `docs/findings.md`', '- [x] `docs/late.md`');
  const line = lineOf(LATE, '- [x] `docs/late.md`');
  const missingAt = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).some((x) => codeOf(x) === 'path-missing' && x.range.start.line === line);
  let n = 0;
  /** A fresh folder in the workspace, written with Node's fs: only the disk watcher sees these files. */
  const folder = () => nodePath.join(workspaceRoot().fsPath, 'ext-fixtures', `cache-${Date.now()}-${n++}`);
  const write = (file: string, text: string) => {
    nodeFs.mkdirSync(nodePath.dirname(file), { recursive: true });
    nodeFs.writeFileSync(file, text);
  };

  /** Waits for the next analysis of the tracker, started by a real edit of an unrelated line. */
  async function typeAndWait(md: vscode.Uri): Promise<void> {
    const api = await getApi();
    const doc = await vscode.workspace.openTextDocument(md);
    const updated = new Promise<void>((resolve) => {
      const sub = api.diagnostics.onDidUpdate((e) => {
        if (e.mdUri.toString() === md.toString()) {
          sub.dispose();
          resolve();
        }
      });
    });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(md, new vscode.Position(0, 0), ' ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await updated;
    assert.ok(doc.isDirty);
  }

  it('an artifact created after its tracker was checked: the warning goes away, and stays away while typing', async function () {
    this.timeout(90_000);
    const dir = folder();
    write(nodePath.join(dir, 'ORCHESTRATION.yaml'), SMALL_YAML);
    write(nodePath.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), LATE);
    const md = vscode.Uri.file(nodePath.join(dir, 'ORCHESTRATION_WORKTRACKER.md'));
    await entryOf(md);
    await waitFor('path-missing on docs/late.md', () => missingAt(md) || undefined, 20_000);
    write(nodePath.join(dir, 'docs', 'late.md'), '# late\n');
    await waitFor('path-missing cleared without a Refresh', () => (missingAt(md) ? undefined : true), 20_000);
    await typeAndWait(md);
    assert.equal(missingAt(md), false, 'a keystroke re-analysis still finds it');
    // And deleted again: the warning comes back, without a Refresh.
    nodeFs.rmSync(nodePath.join(dir, 'docs', 'late.md'));
    await waitFor('path-missing back after the delete', () => missingAt(md) || undefined, 20_000);
    await restore(md, LATE);
  });

  it('an artifact written right after its tracker, before any check finished, is found', async function () {
    this.timeout(90_000);
    const dir = folder();
    write(nodePath.join(dir, 'ORCHESTRATION.yaml'), SMALL_YAML);
    write(nodePath.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), LATE);
    write(nodePath.join(dir, 'docs', 'late.md'), '# late\n');
    const md = vscode.Uri.file(nodePath.join(dir, 'ORCHESTRATION_WORKTRACKER.md'));
    await entryOf(md);
    // Whatever an early analysis saw, the re-analysis after a keystroke must not keep a remembered "not found".
    await typeAndWait(md);
    assert.equal(missingAt(md), false);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(missingAt(md), false, 'no late analysis brought it back');
    await restore(md, LATE);
  });

  it('an artifact that existed before its tracker is never reported', async function () {
    this.timeout(60_000);
    const dir = folder();
    write(nodePath.join(dir, 'docs', 'late.md'), '# late\n');
    write(nodePath.join(dir, 'ORCHESTRATION.yaml'), SMALL_YAML);
    write(nodePath.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), LATE);
    const md = vscode.Uri.file(nodePath.join(dir, 'ORCHESTRATION_WORKTRACKER.md'));
    const api = await getApi();
    const entry = await entryOf(md);
    await api.diagnostics.run(entry);
    assert.equal(missingAt(md), false);
  });
});
