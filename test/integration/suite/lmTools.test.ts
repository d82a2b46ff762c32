// The language-model tools: the MCP server's tools inside the editor (`worktracker_*`), invoked
// without a language model through `vscode.lm.invokeTool`. Reading tools return the model JSON;
// editing tools write through the TrackerWriter (one undo step, the tree follows) and return the
// diff; refusals name the rows or the closest ids. In Restricted Mode (untrusted pass) they refuse.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import { getApi, waitFor, writeFixture } from './util';

const LM_TRACKER = `# ORCHESTRATION_WORKTRACKER.md

> **Workflow:** LM Flow
> **Status:** ACTIVE

## Phase 1: Build

| Agent | Status | Started | Completed |
|-------|--------|---------|-----------|
| lm-a-001 | PENDING | - | - |
| lm-b-001 | PENDING | - | - |

## Phase 2: Check

| Agent | Status | Started | Completed |
|-------|--------|---------|-----------|
| lm-a-001 | PENDING | - | - |
`;

const OURS = (pkg as unknown as { contributes: { languageModelTools: { name: string }[] } }).contributes.languageModelTools.map((t) => t.name);

async function invoke(name: string, input: object): Promise<string> {
  const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

async function refusal(name: string, input: object): Promise<string> {
  try {
    await invoke(name, input);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail(`${name} was expected to refuse`);
}

function text(uri: vscode.Uri): string {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText() ?? '';
}

describe('Language-model tools', function () {
  before(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    this.timeout(120_000);
    await getApi();
  });

  it('vscode.lm.tools lists every worktracker tool, with its schema', () => {
    assert.equal(OURS.length, 10);
    for (const name of OURS) {
      const t = vscode.lm.tools.find((x) => x.name === name);
      assert.ok(t, `${name} is registered`);
      assert.equal((t.inputSchema as { type?: string } | undefined)?.type, 'object', name);
    }
  });

  it('get_tracker returns the model with workspace-relative paths and the rows\' lines', async () => {
    const f = await writeFixture(LM_TRACKER);
    const rel = vscode.workspace.asRelativePath(f.md);
    const model = JSON.parse(await invoke('worktracker_get_tracker', { tracker: rel })) as { file: string; agents: { id: string; line: number; phase: number }[] };
    assert.equal(model.file, rel);
    assert.deepEqual(model.agents.map((a) => [a.id, a.line, a.phase]), [['lm-a-001', 10, 1], ['lm-b-001', 11, 1], ['lm-a-001', 17, 2]]);
    // The folder names the tracker too.
    const byDir = JSON.parse(await invoke('worktracker_get_tracker', { tracker: vscode.workspace.asRelativePath(f.dir), phase: 2 })) as { agents: unknown[] };
    assert.equal(byDir.agents.length, 1);
  });

  it('set_agent_status with a line edits exactly that row, returns the diff, undoes in one step; the tree follows', async () => {
    const api = await getApi();
    const f = await writeFixture(LM_TRACKER);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const before = doc.getText();
    const out = await invoke('worktracker_set_agent_status', { tracker: vscode.workspace.asRelativePath(f.md), id: 'lm-a-001', line: 17, status: 'done', date: '2026-02-01' });
    const after = doc.getText();
    const changed = before.split('\n').flatMap((l, i) => (l !== after.split('\n')[i] ? [[i, after.split('\n')[i]]] : []));
    assert.deepEqual(changed, [[16, '| lm-a-001 | COMPLETE | - | 2026-02-01 |']]);
    assert.match(out, /^-\| lm-a-001 \| PENDING \| - \| - \|$/m);
    assert.match(out, /^\+\| lm-a-001 \| COMPLETE \| - \| 2026-02-01 \|$/m);
    await waitFor('tree shows the new status', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'agent' && n.label === 'lm-a-001' && n.status === 'COMPLETE'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(text(f.md), before);
  });

  it('an id written in two rows is refused with both rows; an unknown id with the closest ids; a dry run writes nothing', async () => {
    const f = await writeFixture(LM_TRACKER);
    const tracker = vscode.workspace.asRelativePath(f.md);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const before = doc.getText();
    const amb = await refusal('worktracker_set_agent_status', { tracker, id: 'lm-a-001', status: 'done' });
    assert.match(amb, /^ambiguous: agent "lm-a-001" is written in 2 rows; pass line or phase: line 10 \(phase 1\): PENDING; line 17 \(phase 2\): PENDING/);
    const unknown = await refusal('worktracker_set_agent_status', { tracker, id: 'lm-b-01', status: 'done' });
    assert.match(unknown, /^unknown-id: .*closest: lm-b-001/);
    const dry = await invoke('worktracker_set_agent_status', { tracker, id: 'lm-b-001', status: 'wip', dry_run: true });
    assert.match(dry, /dry run, nothing written/);
    assert.match(dry, /^\+\| lm-b-001 \| IN_PROGRESS/m);
    assert.equal(doc.getText(), before);
    assert.match(await refusal('worktracker_get_tracker', { tracker: 'no/such/ORCHESTRATION_WORKTRACKER.md' }), /^not-found: no tracker/);
  });

  it('the MCP server definition provider is offered where the API exists, without breaking activation', async () => {
    const api = await getApi();
    const has = typeof (vscode.lm as unknown as { registerMcpServerDefinitionProvider?: unknown }).registerMcpServerDefinitionProvider === 'function';
    console.log(`      MCP server definition provider API: ${has ? 'present' : 'absent'}; offered: ${api.mcpServers.offered}`);
    if (!has) assert.equal(api.mcpServers.offered, false);
  });

  it('list_trackers and check name the fixture', async () => {
    const f = await writeFixture(LM_TRACKER);
    const rel = vscode.workspace.asRelativePath(f.md);
    const list = await invoke('worktracker_list_trackers', {});
    assert.ok(list.includes(`${rel} — `), list.slice(0, 400));
    const check = await invoke('worktracker_check', { tracker: rel });
    assert.match(check, /1 tracker\(s\) checked/);
  });
});

describe('Restricted Mode: language-model tools', function () {
  before(async function () {
    if (vscode.workspace.isTrusted) this.skip();
    this.timeout(120_000);
    await getApi();
  });

  it('editing tools refuse and write nothing; reading tools work', async () => {
    const f = await writeFixture(LM_TRACKER);
    const tracker = vscode.workspace.asRelativePath(f.md);
    const model = JSON.parse(await invoke('worktracker_get_tracker', { tracker })) as { agents: unknown[] };
    assert.equal(model.agents.length, 3);
    const doc = await vscode.workspace.openTextDocument(f.md);
    const before = doc.getText();
    const msg = await refusal('worktracker_set_agent_status', { tracker, id: 'lm-b-001', status: 'done' });
    assert.match(msg, /^restricted-mode: /);
    assert.equal(doc.getText(), before);
  });
});
