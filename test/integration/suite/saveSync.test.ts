// Dashboard sync on save inside a real VS Code: the edit on a stale file, the no-op on a synced one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isDashboardStale } from '../../../src/core/dashboard';
import { changedLines, entryOf, exampleUri, exists, getApi, hasExamples, restore, setConfig, SMALL_YAML, waitFor, WITH_DASHBOARD, workspaceRoot, writeFixture, skipWithoutExamples } from './util';


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
    await skipWithoutExamples(this);
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

// Issue 9: touch only what you understood, in the real editor.
describe('dashboard sync on save is lossless', () => {
  const fixtures = process.env.WORKTRACKER_TEST_FIXTURES ?? '';
  const readPair = (dir: string): { md: string; yaml?: string } => {
    const y = path.join(dir, 'ORCHESTRATION.yaml');
    return { md: fs.readFileSync(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8'), yaml: fs.existsSync(y) ? fs.readFileSync(y, 'utf8') : undefined };
  };
  const ownPairs = (): { name: string; md: string; yaml?: string }[] =>
    ['variants', 'sync', 'layouts'].flatMap((group) => {
      const root = path.join(fixtures, group);
      if (!fs.existsSync(root)) return [];
      return fs
        .readdirSync(root)
        .filter((d) => fs.existsSync(path.join(root, d, 'ORCHESTRATION_WORKTRACKER.md')))
        .map((d) => ({ name: `${group}/${d}`, ...readPair(path.join(root, d)) }));
    });

  /** Types a space, deletes it and saves: the file must come back byte for byte. */
  async function noOpSave(uri: vscode.Uri): Promise<{ before: string; after: string }> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = doc.getText();
    const we = new vscode.WorkspaceEdit();
    we.insert(uri, new vscode.Position(0, 0), ' ');
    assert.ok(await vscode.workspace.applyEdit(we));
    const we2 = new vscode.WorkspaceEdit();
    we2.delete(uri, new vscode.Range(0, 0, 0, 1));
    assert.ok(await vscode.workspace.applyEdit(we2));
    assert.ok(await doc.save());
    await waitFor('saved', () => (!doc.isDirty ? true : undefined));
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return { before, after: onDisk };
  }

  it('a no-op save of each of our own fixtures (and the shared examples when present) leaves it byte-identical', async function () {
    this.timeout(240_000);
    await setConfig('syncOnSave', true);
    await getApi();
    const pairs = ownPairs();
    assert.ok(pairs.length >= 10, `expected our fixtures under ${fixtures}`);
    for (const p of pairs) {
      const f = await writeFixture(p.md, p.yaml);
      // The fixtures are in sync already except the deliberately stale ones: sync those first.
      const api = await getApi();
      const doc = await vscode.workspace.openTextDocument(f.md);
      const pending = await api.saveSync.editsFor(doc);
      if (pending.length) {
        const we = new vscode.WorkspaceEdit();
        we.set(f.md, pending);
        await vscode.workspace.applyEdit(we);
        await doc.save();
      }
      const { before, after } = await noOpSave(f.md);
      assert.equal(after, before, `${p.name}: a no-op save changed the file`);
    }
    if (await hasExamples()) {
      for (const name of fs.readdirSync(path.join(workspaceRoot().fsPath, 'examples'))) {
        const uri = exampleUri(name);
        if (!(await exists(uri))) continue;
        await entryOf(uri);
        const doc = await vscode.workspace.openTextDocument(uri);
        const text = doc.getText();
        try {
          const api = await getApi();
          const stale = (await api.saveSync.editsFor(doc)).length > 0;
          const { after } = await noOpSave(uri);
          const a = text.split('\n');
          const b = after.split('\n');
          assert.equal(b.length, a.length, `${name}: line count changed`);
          if (!stale) assert.equal(after, text, `${name}: a no-op save of a synced example changed it`);
        } finally {
          await restore(uri, text);
        }
      }
    } else {
      console.log('    (shared examples not in the workspace: ../shared/format/examples is absent; only our own fixtures were saved)');
    }
  });

  it('an after-delay auto-save does not run the sync; a manual save edits only value spans', async function () {
    this.timeout(60_000);
    await setConfig('syncOnSave', true);
    const files = vscode.workspace.getConfiguration('files');
    const p = readPair(path.join(fixtures, 'sync', 'hand-drawn'));
    const f = await writeFixture(p.md, p.yaml);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const original = doc.getText();
    try {
      await files.update('autoSaveDelay', 200, vscode.ConfigurationTarget.Workspace);
      await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Workspace);
      // glc-b-003 finishes: Phase 2 and Overall become stale.
      const line = original.split('\n').findIndex((l) => l.startsWith('| glc-b-003'));
      const we = new vscode.WorkspaceEdit();
      we.replace(f.md, doc.lineAt(line).range, '| glc-b-003 | ✅ COMPLETE | 2026-04-29 | 2026-05-03 | `build/backfill.md` |');
      assert.ok(await vscode.workspace.applyEdit(we));
      const typed = doc.getText();
      await waitFor('auto-saved', async () => (new TextDecoder().decode(await vscode.workspace.fs.readFile(f.md)) === typed ? true : undefined), 20_000);
      assert.equal(doc.getText(), typed, 'the auto-save ran the sync');
    } finally {
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
      await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const typed = doc.getText();
    // Now a save the user makes.
    const we = new vscode.WorkspaceEdit();
    we.insert(f.md, new vscode.Position(doc.lineCount - 1, 0), '');
    await vscode.workspace.applyEdit(we);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('manual save synced', () => (doc.getText() !== typed && !doc.isDirty ? true : undefined), 20_000);
    const changed = changedLines(typed, doc.getText());
    assert.deepEqual(
      changed.map((c) => c[2].trim()),
      [
        '> **Last Updated:** ' + /\d{4}-\d{2}-\d{2}/.exec(changed[0][2])![0],
        '║  Phase 2 (Build):    ████████████ 100% ✅   critic-blue-team: pending        ║',
        '║  Overall Progress: █████████░░░ 71%  (5/7 agents)                            ║',
      ],
    );
  });

  it('Redraw Dashboard… replaces the whole drawing only on request, keeping what it cannot draw', async function () {
    this.timeout(60_000);
    const p = readPair(path.join(fixtures, 'sync', 'hand-drawn'));
    const f = await writeFixture(p.md, p.yaml);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const before = doc.getText();
    const res = (await vscode.commands.executeCommand('worktracker.redrawDashboard', { uri: f.md.toString(), confirmed: true })) as { ok: boolean } | undefined;
    assert.ok(res?.ok, 'redraw applied');
    const after = doc.getText();
    assert.notEqual(after, before);
    for (const keep of ['GLACIER INGEST — ORCHESTRATION STATUS', 'QG-1: PASS ✅ (0.93 after 2 iterations)', 'RISK REGISTER: 2 open', 'Footer: 14 artifacts']) assert.ok(after.includes(keep), `kept: ${keep}`);
    // Outside the dashboard block nothing moved.
    const outside = (s: string) => s.replace(/```[\s\S]*?```/, '');
    assert.equal(outside(after), outside(before));
    await vscode.commands.executeCommand('undo');
  });
});
