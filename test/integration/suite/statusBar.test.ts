// Status bar, cursor-follow and the injection grammar inside a real VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, SMALL_TRACKER, SMALL_YAML, waitFor, writeFixture } from './util';

function lineOf(text: string, prefix: string): number {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  assert.ok(i >= 0, prefix);
  return i;
}

describe('status bar and cursor follow', () => {
  before(async function () {
    this.timeout(180_000);
    await getApi();
  });

  it('shows the active tracker progress and blocked/failed count; click opens the view', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await vscode.window.showTextDocument(f.md);
    await waitFor('status bar', () => (api.statusBar.item.text === '$(checklist) 1/3 $(warning) 1' ? true : undefined));
    assert.equal(api.statusBar.item.command, 'worktracker.showTree');
    assert.match((api.statusBar.item.tooltip as vscode.MarkdownString).value, /Units done: 1\/3 \(33%\)/);
  });

  it('selects the tree node of the row under the cursor', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await vscode.commands.executeCommand('worktracker.trackers.focus');
    await waitFor('view visible', () => api.tree.view.visible || undefined);
    const ed = await vscode.window.showTextDocument(f.md, { preserveFocus: false });
    await waitFor('nodes', () => api.tree.find((n) => n.entry === f.entry && n.agentId === 'agent-a-002'));
    const line = lineOf(SMALL_TRACKER, '| agent-a-002');
    ed.selection = new vscode.Selection(line, 3, line, 3);
    await waitFor('tree follows', () => (api.tree.view.selection[0]?.agentId === 'agent-a-002' && api.tree.view.selection[0].kind === 'agent' ? true : undefined));
    const bline = lineOf(SMALL_TRACKER, '### 2.2 BARRIER 1');
    ed.selection = new vscode.Selection(bline + 1, 0, bline + 1, 0);
    await waitFor('barrier selected', () => (api.tree.view.selection[0]?.kind === 'barrier' ? true : undefined));
  });
  // The injection grammar is tested with VS Code's own tokenizer in test/unit/grammar.test.ts
  // (this build has no command to capture editor tokens).
});
