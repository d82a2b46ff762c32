// Activation when a tracker is opened in a window whose workspace holds none (so `workspaceContains` never fired):
// a plain markdown file activates the extension cheaply and it stays quiet; opening an ORCHESTRATION_WORKTRACKER.md
// that lives outside the workspace then brings up its tree node, diagnostics and status bar item.
// Runs in the second pass of `npm run test:vscode` (fresh window, workspace without trackers, Restricted Mode);
// pending in the first pass, where the demo's trackers have activated the extension at start-up already.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import type { WorktrackerApi } from '../../../src/vscode/extension';
import { SMALL_TRACKER, waitFor } from './util';

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

describe('Activation on open', function () {
  const outside = process.env.WORKTRACKER_TEST_OUTSIDE;

  before(function () {
    // Only meaningful in a window where nothing has activated the extension yet.
    if (!outside || vscode.extensions.getExtension(EXTENSION_ID)?.isActive) {
      console.log(`      skipped "${this.test?.title}": ${!outside ? 'no folder outside the workspace in this pass' : 'the extension is already active in this pass'}`);
      this.skip();
    }
  });

  it('is not active in a workspace without trackers until a markdown file opens', async () => {
    const found = await vscode.workspace.findFiles('**/ORCHESTRATION_WORKTRACKER.md');
    assert.deepEqual(found.map((u) => u.path), [], 'this pass needs a workspace without trackers');
    const ext = vscode.extensions.getExtension<WorktrackerApi>(EXTENSION_ID);
    assert.ok(ext);
    assert.equal(ext.isActive, false, 'activated before any markdown was opened: an activation event is too broad');
  });

  it('a non-tracker markdown activates it cheaply and it stays quiet', async () => {
    const ext = vscode.extensions.getExtension<WorktrackerApi>(EXTENSION_ID)!;
    const notes = vscode.Uri.file(path.join(outside!, 'NOTES.md'));
    await vscode.workspace.fs.writeFile(notes, new TextEncoder().encode('# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'));
    const t0 = Date.now();
    await vscode.window.showTextDocument(notes);
    await waitFor('activation by onLanguage:markdown', () => ext.isActive || undefined, 20_000);
    const active = Date.now() - t0;
    await ext.exports.ready;
    const ms = Date.now() - t0;
    console.log(`    activation on a non-tracker markdown: active ${active} ms after opening it, discovery done at ${ms} ms`);
    assert.ok(ms < 5_000, `activation took ${ms} ms`);
    const api = ext.exports;
    assert.deepEqual(api.store.all().map((e) => e.mdUri.path), []);
    assert.equal(api.store.active(), undefined, 'no tracker for the status bar to show');
    assert.deepEqual(vscode.languages.getDiagnostics(notes), []);
  });

  it('opening an ORCHESTRATION_WORKTRACKER.md outside the workspace shows it in the tree and status bar', async () => {
    const ext = vscode.extensions.getExtension<WorktrackerApi>(EXTENSION_ID)!;
    const md = vscode.Uri.file(path.join(outside!, 'proj', 'ORCHESTRATION_WORKTRACKER.md'));
    await vscode.workspace.fs.writeFile(md, new TextEncoder().encode(SMALL_TRACKER.replace('- [x] `docs/findings.md`', '- [x] `docs/nowhere.md`')));
    await vscode.window.showTextDocument(md);
    const api = ext.exports;
    const entry = await waitFor('tracker entry', () => api.store.get(md)?.tracker ? api.store.get(md) : undefined, 20_000);
    const root = await waitFor('tree root', () => api.tree.find((n) => n.entry === entry && n.kind === 'tracker'));
    assert.deepEqual(api.tree.getChildren(root).slice(0, 2).map((n) => n.label), ['Phase 1', 'Barrier 1']);
    await waitFor('status bar progress', () => (/1\/3/.test(api.statusBar.item.text) ? true : undefined));
    const codes = await waitFor('diagnostics', () => {
      const c = vscode.languages.getDiagnostics(md).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      return c.includes('path-missing') ? c : undefined;
    }, 20_000);
    assert.ok(codes.includes('path-missing'));
  });
});
