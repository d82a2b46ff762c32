// Dashboard sync on save inside a real VS Code: the edit on a stale file, the no-op on a synced one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isDashboardStale } from '../../../src/core/dashboard';
import { changedLines, entryOf, exampleUri, getApi, hasExamples, restore, setConfig, SMALL_YAML, waitFor, WITH_DASHBOARD, writeFixture } from './util';


describe('dashboard sync on save', () => {
  before(async function () {
    this.timeout(180_000);
    await getApi();
  });
  after(async () => {
    await setConfig('syncOnSave', undefined);
  });

  it('computes edits only inside the dashboard and Last Updated, then none once synced', async () => {
    const api = await getApi();
    const f = await writeFixture(WITH_DASHBOARD, SMALL_YAML);
    const doc = await vscode.workspace.openTextDocument(f.md);
    assert.equal(isDashboardStale(f.entry.tracker!).stale, true, 'fixture dashboard is stale (agent-a-001 is complete)');
    const edits = await api.saveSync.editsFor(doc);
    assert.ok(edits.length > 0);
    const dash = f.entry.tracker!.dashboard!;
    const lu = f.entry.tracker!.lastUpdated!;
    for (const e of edits) {
      const inDash = e.range.start.line >= dash.contentRange.start.line && e.range.end.line <= dash.contentRange.end.line;
      const inLu = e.range.start.line === lu.range.start.line;
      assert.ok(inDash || inLu, `edit at line ${e.range.start.line + 1} is outside the derived sections`);
    }
    const we = new vscode.WorkspaceEdit();
    we.set(f.md, edits);
    assert.ok(await vscode.workspace.applyEdit(we));
    assert.deepEqual(await api.saveSync.editsFor(doc), [], 'no dirty loop: a synced file gets no edits');
  });

  it('regenerates on a real save when syncOnSave is on, and saving again changes nothing', async () => {
    await setConfig('syncOnSave', true);
    const f = await writeFixture(WITH_DASHBOARD, SMALL_YAML);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const before = doc.getText();
    // A user edit: agent-a-002 is now complete too.
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('| agent-a-002'));
    const we = new vscode.WorkspaceEdit();
    we.replace(f.md, doc.lineAt(line).range, '| agent-a-002 | COMPLETE | 2026-01-09 | 2026-01-10 | design.md | waits |');
    assert.ok(await vscode.workspace.applyEdit(we));
    assert.ok(await doc.save());
    const after = doc.getText();
    assert.equal(doc.isDirty, false);
    const changed = changedLines(before, after).map((c) => c[0]);
    assert.ok(changed.includes(line));
    assert.ok(changed.some((l) => l > 10 && l < 30), 'dashboard lines were regenerated');
    assert.match(after, /Phase 1: .*100%|Phase 1: .*[█▓#]/);
    // Save again with no change of substance: nothing is rewritten.
    const we2 = new vscode.WorkspaceEdit();
    we2.insert(f.md, new vscode.Position(doc.lineCount - 1, 0), '');
    await vscode.workspace.applyEdit(we2);
    await doc.save();
    assert.equal(doc.getText(), after);
  });

  it('does nothing on save when syncOnSave is off', async () => {
    await setConfig('syncOnSave', false);
    const f = await writeFixture(WITH_DASHBOARD, SMALL_YAML);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const we = new vscode.WorkspaceEdit();
    we.insert(f.md, new vscode.Position(doc.lineCount - 1, 0), 'note\n');
    await vscode.workspace.applyEdit(we);
    const before = doc.getText();
    await doc.save();
    assert.equal(doc.getText(), before);
  });

  it('leaves an already synced real example untouched on save', async function () {
    if (!(await hasExamples())) this.skip();
    await setConfig('syncOnSave', true);
    const api = await getApi();
    const uri = exampleUri('two-pipelines-v1');
    await entryOf(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const edits = await api.saveSync.editsFor(doc);
    assert.deepEqual(edits, []);
    try {
      const we = new vscode.WorkspaceEdit();
      we.insert(uri, new vscode.Position(doc.lineCount - 1, 0), ' ');
      await vscode.workspace.applyEdit(we);
      const we2 = new vscode.WorkspaceEdit();
      we2.delete(uri, new vscode.Range(doc.lineCount - 1, 0, doc.lineCount - 1, 1));
      await vscode.workspace.applyEdit(we2);
      await doc.save();
      await waitFor('saved', () => (!doc.isDirty ? true : undefined));
      assert.equal(doc.getText(), text);
    } finally {
      await restore(uri, text);
    }
  });
});
