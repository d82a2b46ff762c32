// The Worktracker tree inside a real VS Code: nodes, statuses, progress, drift, parents, badge.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { entryOf, exampleUri, getApi, SMALL_TRACKER, SMALL_YAML, waitFor, writeFixture, skipWithoutExamples } from './util';
import type { TrackerNode } from '../../../src/vscode/tree';

function labels(nodes: TrackerNode[]): string[] {
  return nodes.map((n) => n.label);
}

describe('tree', () => {
  before(async function () {
    this.timeout(180_000);
    await getApi();
  });

  it('shows phases, pipeline groups, agents, artifacts and barriers of a tracker with statuses', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const root = await waitFor('root node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'tracker'));
    assert.equal(root.label, 'Test Flow');
    const top = api.tree.getChildren(root);
    assert.deepEqual(labels(top).slice(0, 2), ['Phase 1', 'Barrier 1']);
    const phase = top[0];
    assert.equal(phase.status, 'IN_PROGRESS');
    assert.match(phase.description ?? '', /IN_PROGRESS · 1\/3/);
    const groups = api.tree.getChildren(phase);
    assert.deepEqual(labels(groups), ['Pipeline A Phase 1: Research', 'Pipeline B Phase 1: Scope']);
    const agents = api.tree.getChildren(groups[0]);
    assert.deepEqual(labels(agents), ['agent-a-001', 'agent-a-002']);
    assert.equal(agents[0].status, 'COMPLETE');
    assert.equal(agents[0].description, 'COMPLETE · 2026-01-09 → 2026-01-09');
    assert.equal(agents[0].contextValue, 'worktracker.agent.complete');
    assert.equal(agents[1].contextValue, 'worktracker.agent.pending');
    // Artifact under its agent, matched to the checklist line so its box mirrors it.
    const art = api.tree.getChildren(agents[0]);
    assert.equal(art.length, 1);
    assert.equal(art[0].label, 'findings.md');
    assert.equal(art[0].checked, true);
    assert.equal(api.tree.getChildren(agents[1])[0].checked, false);
    const item = api.tree.getTreeItem(art[0]);
    assert.equal((item.checkboxState as { state: vscode.TreeItemCheckboxState }).state, vscode.TreeItemCheckboxState.Checked);
    // Icons are coloured ThemeIcons.
    const agentItem = api.tree.getTreeItem(agents[0]);
    const icon = agentItem.iconPath as vscode.ThemeIcon;
    assert.equal(icon.id, 'pass-filled');
    assert.equal((icon.color as vscode.ThemeColor).id, 'testing.iconPassed');
    // Clicking reveals the row.
    assert.equal(agentItem.command?.command, 'worktracker.revealInEditor');
    assert.equal(agentItem.command?.arguments?.[1], agents[0].mdRange?.start.line);
    // Barrier with its directions and progress.
    const barrier = top[1];
    assert.equal(barrier.description, 'PENDING · 0/2');
    assert.deepEqual(labels(api.tree.getChildren(barrier)), ['a→b', 'b→a']);
  });

  it('marks drift between markdown and YAML on the node, with both statuses in the tooltip', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const node = await waitFor('agent-b-001', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'agent' && n.agentId === 'agent-b-001'));
    assert.equal(node.drift, true);
    assert.equal((api.tree.getTreeItem(node).iconPath as vscode.ThemeIcon).id, 'warning');
    // The row itself says what the YAML holds, so the warning needs no hover to be understood.
    assert.equal(node.description, 'BLOCKED · YAML: IN_PROGRESS');
    const tip = (node.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /BLOCKED/);
    assert.match(tip, /YAML status: IN\\_PROGRESS/);
    // The tooltip is untrusted and the Notes link is escaped text, not a command link.
    assert.equal((node.tooltip as vscode.MarkdownString).isTrusted, false);
    assert.doesNotMatch(tip, /\]\(command:/);
    const ok = api.tree.find((n) => n.entry === f.entry && n.agentId === 'agent-a-001' && n.kind === 'agent');
    assert.equal(ok?.drift, false);
    assert.doesNotMatch(ok?.description ?? '', /YAML/);
  });

  it('implements getParent so nodes can be revealed', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const node = await waitFor('agent', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'agent' && n.agentId === 'agent-a-002'));
    const group = api.tree.getParent(node);
    assert.equal(group?.kind, 'group');
    const phase = group && api.tree.getParent(group);
    assert.equal(phase?.kind, 'phase');
    // Several trackers in the workspace: phases hang under their tracker node.
    const root = phase && api.tree.getParent(phase);
    assert.equal(root?.kind, 'tracker');
    assert.ok(api.tree.getChildren(undefined).includes(root!));
    await vscode.commands.executeCommand('worktracker.trackers.focus');
    await waitFor('view visible', () => api.tree.view.visible || undefined);
    await api.tree.view.reveal(node, { select: true, focus: false });
    assert.equal(api.tree.view.selection[0], node);
  });

  it('keeps unchanged node objects when the document changes, and updates the changed one', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const a1 = await waitFor('a1', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'agent' && n.agentId === 'agent-a-001'));
    const a2 = api.tree.find((n) => n.entry === f.entry && n.kind === 'agent' && n.agentId === 'agent-a-002')!;
    const sig1 = a1.sig;
    const doc = await vscode.workspace.openTextDocument(f.md);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('| agent-a-002 | PENDING'));
    const col = doc.lineAt(line).text.indexOf('PENDING');
    const we = new vscode.WorkspaceEdit();
    we.replace(f.md, new vscode.Range(line, col, line, col + 'PENDING'.length), 'FAILED ');
    assert.ok(await vscode.workspace.applyEdit(we));
    await waitFor('a2 failed', () => (a2.status === 'FAILED' ? true : undefined));
    // Same objects (identity kept for reveal/selection); only the changed one got a new signature.
    assert.equal(api.tree.find((n) => n.id === a2.id), a2);
    assert.equal(a1.sig, sig1);
    // FAILED here, PENDING in the YAML: the node now also shows drift.
    assert.equal(a2.contextValue, 'worktracker.agent.failed.drift');
    await vscode.commands.executeCommand('workbench.action.files.revert', f.md);
  });

  it('counts blocked and failed agents in the view badge', async () => {
    const api = await getApi();
    await writeFixture(SMALL_TRACKER, SMALL_YAML);
    let expected = 0;
    for (const e of api.store.all()) {
      const ids = new Set((e.tracker?.agents ?? []).filter((a) => a.status.status === 'BLOCKED' || a.status.status === 'FAILED').map((a) => a.id));
      expected += ids.size;
    }
    assert.ok(expected >= 1);
    assert.equal(api.tree.view.badge?.value, expected);
    // The tooltip names only the non-zero counts ("1 blocked agent", not "1 blocked, 0 failed agent").
    const tip = api.tree.view.badge?.tooltip ?? '';
    assert.match(tip, /^\d+ (blocked|failed)(, \d+ failed)? agents?$/);
    assert.doesNotMatch(tip, /\b0 (blocked|failed)\b/);
  });

  it('builds the tree of the real examples', async function () {
    await skipWithoutExamples(this);
    const api = await getApi();
    const e = await entryOf(exampleUri('two-pipelines-v1'));
    const root = await waitFor('root', () => api.tree.find((n) => n.entry === e && n.kind === 'tracker'));
    const kids = api.tree.getChildren(root);
    const phases = kids.filter((k) => k.kind === 'phase');
    const barriers = kids.filter((k) => k.kind === 'barrier');
    assert.ok(phases.length >= 4, `phases: ${labels(kids).join(', ')}`);
    assert.ok(barriers.length >= 3);
    assert.equal(phases[0].status, 'COMPLETE');
    const ps = api.tree.find((n) => n.entry === e && n.kind === 'agent' && n.agentId === 'ps-r-001');
    assert.ok(ps);
    assert.equal(ps.status, 'COMPLETE');
    assert.match(ps.description ?? '', /✅ DONE/);
    // Bare names in the table are matched to the full checklist paths.
    const art = api.tree.getChildren(ps)[0];
    assert.equal(art.artifactPath, 'ps-pipeline/phase-1-research/skills-optimization.md');
    assert.equal(art.checked, true);

    const e3 = await entryOf(exampleUri('pipe-header-barrier-map'));
    const agents3 = api.tree.nodesOf(e3).filter((n) => n.kind === 'agent');
    assert.ok(agents3.length > 5);
    assert.ok(agents3.every((n) => n.status !== undefined));
  });

  it('marks an artifact whose path is not found, and clears the mark once the file exists', async () => {
    const api = await getApi();
    // findings.md exists, design.md does not (and is unticked, so it is not reported); scope.md is ticked and missing.
    const md = SMALL_TRACKER.replace('- [ ] `docs/design.md`', '- [ ] `docs/design.md`\n- [x] `docs/scope.md`');
    const f = await writeFixture(md, SMALL_YAML, { 'docs/findings.md': '# findings\n' });
    const scope = await waitFor('scope.md node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'artifact' && n.label === 'scope.md'));
    const findings = await waitFor('findings.md node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'artifact' && n.label === 'findings.md'));
    const missing = await waitFor('not-found mark', () => {
      const item = api.tree.getTreeItem(scope);
      return /not found/.test(String(item.description)) ? item : undefined;
    }, 20_000);
    assert.equal((missing.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.doesNotMatch(String(api.tree.getTreeItem(findings).description ?? ''), /not found/);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(f.dir, 'docs/scope.md'), new TextEncoder().encode('# scope\n'));
    await vscode.commands.executeCommand('worktracker.refresh');
    await waitFor('mark cleared', () => (/not found/.test(String(api.tree.getTreeItem(scope).description ?? '')) ? undefined : true), 20_000);
  });
});

// Issue 10: what the reader did not understand is shown, never hidden behind empty nodes.
describe('tree coverage', () => {
  const fixtures = process.env.WORKTRACKER_TEST_FIXTURES ?? '';
  const readPair = (name: string): { md: string; yaml?: string } => {
    const dir = path.join(fixtures, 'layouts', name);
    const y = path.join(dir, 'ORCHESTRATION.yaml');
    return { md: fs.readFileSync(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8'), yaml: fs.existsSync(y) ? fs.readFileSync(y, 'utf8') : undefined };
  };

  it('a tracker with no recognised units shows one explanatory child that lists the unread lines', async () => {
    const api = await getApi();
    const p = readPair('unrecognised');
    const f = await writeFixture(p.md, p.yaml);
    const root = await waitFor('root node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'tracker'));
    const t = f.entry.tracker!;
    assert.equal(t.agents.length, 0);
    const n = t.coverage.unread.length;
    assert.ok(n > 0);
    const kids = api.tree.getChildren(root);
    assert.equal(kids[0].kind, 'message');
    assert.equal(kids[0].label, `No agent tables recognised: ${n} status line${n === 1 ? '' : 's'} not understood`);
    assert.ok(!kids.some((k) => k.kind === 'phase' && !k.status), 'no empty phase nodes');
    assert.match(root.description ?? '', new RegExp(`${t.coverage.units} units · ${n} lines? not understood`));
    const item = api.tree.getTreeItem(kids[0]);
    assert.equal(item.command?.command, 'worktracker.showUnread');
    // The status bar uses the same count (0 units).
    await vscode.window.showTextDocument(f.md);
    await waitFor('status bar', () => (api.statusBar.item.text.includes('0/0') ? true : undefined));
  });

  it('units from a key/value layout are counted once by the tree root and the status bar', async () => {
    const api = await getApi();
    const p = readPair('keyvalue-sections');
    const f = await writeFixture(p.md, p.yaml);
    const root = await waitFor('root node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'tracker'));
    const t = f.entry.tracker!;
    const total = t.agents.filter((a) => a.phase !== undefined).length || t.agents.length;
    assert.ok(total > 0, 'the key/value units were read');
    const done = /(\d+)\/(\d+)/.exec(root.description ?? '');
    assert.ok(done, root.description);
    assert.equal(Number(done![2]), total);
    await vscode.window.showTextDocument(f.md);
    await waitFor('status bar', () => (api.statusBar.item.text.includes(`${done![1]}/${done![2]}`) ? true : undefined));
  });
});
