// Restricted Mode (untrusted workspace): the extension still activates, the tree, hovers and diagnostics work,
// and nothing writes: edit commands refuse, quick fixes offer no edit, save does not sync the dashboard.
// These tests only run when the workspace is untrusted: `npm run test:vscode` runs a second pass with workspace
// trust enabled and the folder left untrusted (WORKTRACKER_TEST_GREP='Restricted Mode'); in the trusted pass they
// are pending.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import { isDashboardStale } from '../../../src/core/dashboard';
import type { ApplyResult } from '../../../src/vscode/trackerWriter';
import { getApi, SMALL_TRACKER, SMALL_YAML, waitFor, WITH_DASHBOARD, writeFixture } from './util';

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

async function diskText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

describe('Restricted Mode', function () {
  before(async function () {
    if (vscode.workspace.isTrusted) {
      console.log('      skipped "Restricted Mode": it runs in the untrusted pass only');
      this.skip();
      return;
    }
    this.timeout(180_000);
    await getApi();
  });

  it('declares limited support and activates in an untrusted workspace', () => {
    const caps = (pkg as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } } }).capabilities;
    assert.equal(caps?.untrustedWorkspaces?.supported, 'limited');
    assert.equal(typeof caps?.untrustedWorkspaces?.description, 'string');
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('the tree lists the phases, agents and barriers', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const root = await waitFor('root node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'tracker'));
    const top = api.tree.getChildren(root);
    assert.deepEqual(top.slice(0, 2).map((n) => n.label), ['Phase 1', 'Barrier 1']);
    const agents = api.tree.getChildren(top[0]).flatMap((g) => api.tree.getChildren(g)).filter((n) => n.kind === 'agent');
    assert.deepEqual(agents.map((n) => n.label), ['agent-a-001', 'agent-a-002', 'agent-b-001']);
  });

  it('diagnostics report a missing artifact path and the drift', async () => {
    const f = await writeFixture(SMALL_TRACKER.replace('- [x] `docs/findings.md`', '- [x] `docs/gone.md`'), SMALL_YAML);
    const codes = await waitFor('diagnostics', () => {
      const list = vscode.languages.getDiagnostics(f.md).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      return list.includes('path-missing') && list.includes('status-drift') ? list : undefined;
    }, 30_000);
    assert.ok(codes.includes('path-missing'), JSON.stringify(codes));
  });

  it('hovers still explain an agent row', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('| agent-a-001'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', f.md, new vscode.Position(line, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /agent\\?-a\\?-001/); // markdown-escaped in the hover
  });

  it('every edit command refuses with "untrusted" and leaves the file as it was', async () => {
    const f = await writeFixture(WITH_DASHBOARD, SMALL_YAML);
    const before = await diskText(f.md);
    const beforeYaml = await diskText(f.yaml);
    const uri = f.md.toString();
    const calls: [string, object][] = [
      ['worktracker.markComplete', { uri, agentId: 'agent-a-002', date: '2026-02-01' }],
      ['worktracker.markInProgress', { uri, agentId: 'agent-a-002' }],
      ['worktracker.markBlocked', { uri, agentId: 'agent-a-002' }],
      ['worktracker.setAgentStatus', { uri, agentId: 'agent-a-002', status: 'FAILED' }],
      ['worktracker.setPhaseStatus', { uri, phase: 1, status: 'COMPLETE' }],
      ['worktracker.setBarrierStatus', { uri, barrier: 1, status: 'COMPLETE' }],
      ['worktracker.toggleArtifact', { uri, line: before.split('\n').findIndex((l) => l.startsWith('- [ ] ')) }],
      ['worktracker.syncDashboard', { uri }],
    ];
    for (const [cmd, arg] of calls) {
      const r = (await vscode.commands.executeCommand(cmd, arg)) as ApplyResult | undefined;
      assert.equal(r?.ok, false, `${cmd} applied an edit in Restricted Mode`);
      assert.equal(r?.problem, 'untrusted', `${cmd}: ${JSON.stringify(r)}`);
    }
    const doc = await vscode.workspace.openTextDocument(f.md);
    assert.equal(doc.isDirty, false);
    assert.equal(doc.getText(), before);
    assert.equal(await diskText(f.md), before);
    assert.equal(await diskText(f.yaml), beforeYaml);
  });

  it('quick fixes offer no edit for a broken path', async () => {
    const f = await writeFixture(SMALL_TRACKER.replace('- [x] `docs/findings.md`', '- [x] `docs/old/findings.md`'), SMALL_YAML, { 'docs/findings.md': '# findings\n' });
    const d = await waitFor('path-missing', () => vscode.languages.getDiagnostics(f.md).find((x) => (typeof x.code === 'object' ? String(x.code.value) : String(x.code)) === 'path-missing'), 30_000);
    await vscode.workspace.openTextDocument(f.md);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', f.md, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const ours = actions.filter((a) => a.diagnostics?.some((x) => x.message === d.message));
    assert.deepEqual(ours.map((a) => a.title), []);
  });

  it('saving a tracker with a stale dashboard does not rewrite it', async () => {
    const api = await getApi();
    const f = await writeFixture(WITH_DASHBOARD, SMALL_YAML);
    assert.equal(isDashboardStale(f.entry.tracker!).stale, true, 'fixture dashboard is stale');
    const doc = await vscode.workspace.openTextDocument(f.md);
    const we = new vscode.WorkspaceEdit();
    we.insert(f.md, new vscode.Position(doc.lineCount - 1, 0), '\n'); // a change of the user's own, so save writes
    assert.ok(await vscode.workspace.applyEdit(we));
    const typed = doc.getText();
    assert.ok(await doc.save());
    assert.equal(await diskText(f.md), typed, 'save changed more than the user typed');
    assert.equal(isDashboardStale((await api.store.snapshot(f.entry))!.tracker!).stale, true);
  });
});
