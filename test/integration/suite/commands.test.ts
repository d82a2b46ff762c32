// Commands inside a real VS Code: each command's exact edit to the markdown and the YAML, one
// WorkspaceEdit, re-parse when the document moved between parse and apply, read-only YAML.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../../src/vscode/trackerWriter';
import { changedLines, exampleUri, entryOf, getApi, restore, setConfig, SMALL_TRACKER, SMALL_YAML, waitFor, writeFixture, skipWithoutExamples } from './util';

async function texts(f: { md: vscode.Uri; yaml: vscode.Uri }): Promise<[string, string]> {
  const md = await vscode.workspace.openTextDocument(f.md);
  const y = await vscode.workspace.openTextDocument(f.yaml);
  return [md.getText(), y.getText()];
}

describe('commands', () => {
  before(async function () {
    this.timeout(180_000);
    await getApi();
    // Auto-save after a refactoring edit would run the save participant and blur "the exact edit".
    await setConfig('syncOnSave', false);
  });
  after(async () => {
    await setConfig('syncOnSave', undefined);
  });

  it('Mark Agent Complete edits the status and Completed cells and the YAML, nothing else', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const [md0, y0] = await texts(f);
    const res = (await vscode.commands.executeCommand('worktracker.markComplete', { uri: f.md.toString(), agentId: 'agent-a-002', date: '2026-02-01' })) as ApplyResult;
    assert.ok(res.ok, res.problem);
    assert.ok(res.mdApplied && res.yamlApplied);
    const [md1, y1] = await texts(f);
    assert.deepEqual(changedLines(md0, md1), [
      [18, '| agent-a-002 | PENDING | - | - | design.md | waits |', '| agent-a-002 | COMPLETE | - | 2026-02-01 | design.md | waits |'],
    ]);
    const yc = changedLines(y0, y1);
    assert.equal(yc.length, 1);
    assert.equal(yc[0][1], '            status: "PENDING"');
    assert.equal(yc[0][2], '            status: "COMPLETE"');
  });

  it('Mark In Progress / Blocked / Failed / Pending keep the file dialect', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const row = () => vscode.workspace.openTextDocument(f.md).then((d) => d.getText().split('\n').find((l) => l.startsWith('| agent-a-002'))!);
    const run = async (cmd: string) => {
      const r = (await vscode.commands.executeCommand(cmd, { uri: f.md.toString(), agentId: 'agent-a-002', date: '2026-02-02' })) as ApplyResult;
      assert.ok(r.ok, `${cmd}: ${r.problem}`);
      return row();
    };
    assert.equal(await run('worktracker.markInProgress'), '| agent-a-002 | IN_PROGRESS | 2026-02-02 | - | design.md | waits |');
    assert.equal(await run('worktracker.markBlocked'), '| agent-a-002 | BLOCKED | 2026-02-02 | - | design.md | waits |');
    assert.equal(await run('worktracker.markFailed'), '| agent-a-002 | FAILED | 2026-02-02 | - | design.md | waits |');
    assert.equal(await run('worktracker.markPending'), '| agent-a-002 | PENDING | - | - | design.md | waits |');
  });

  it('writes the Completed date as the dateFormat setting says (ISO-8601 with time zone)', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await setConfig('dateFormat', 'iso');
    try {
      const r = (await vscode.commands.executeCommand('worktracker.markComplete', { uri: f.md.toString(), agentId: 'agent-a-002' })) as ApplyResult;
      assert.ok(r.ok, r.problem);
      const row = (await vscode.workspace.openTextDocument(f.md)).getText().split('\n').find((l) => l.startsWith('| agent-a-002'))!;
      const completed = row.split('|')[4].trim();
      assert.match(completed, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})$/);
    } finally {
      await setConfig('dateFormat', undefined);
    }
    // `auto` follows the file, whose dates are plain days.
    const g = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await vscode.commands.executeCommand('worktracker.markComplete', { uri: g.md.toString(), agentId: 'agent-a-002' });
    const row2 = (await vscode.workspace.openTextDocument(g.md)).getText().split('\n').find((l) => l.startsWith('| agent-a-002'))!;
    assert.match(row2.split('|')[4].trim(), /^\d{4}-\d{2}-\d{2}$/);
  });

  it('is one undo step per file', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const [md0] = await texts(f);
    await vscode.commands.executeCommand('worktracker.markComplete', { uri: f.md.toString(), agentId: 'agent-a-002', date: '2026-02-01' });
    await vscode.window.showTextDocument(f.md);
    await vscode.commands.executeCommand('undo');
    const [md1] = await texts(f);
    assert.equal(md1, md0);
  });

  it('re-parses instead of writing stale ranges when the document changes between parse and apply', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    let calls = 0;
    api.writer.beforeApply = async (entry, attempt) => {
      calls++;
      if (entry.mdUri.toString() !== f.md.toString() || attempt > 0) return;
      // Someone types three lines above the table after the edit was computed.
      const we = new vscode.WorkspaceEdit();
      we.insert(f.md, new vscode.Position(2, 0), '> **Owner:** someone\n> **Reviewer:** else\n> **Note:** typed meanwhile\n');
      await vscode.workspace.applyEdit(we);
    };
    try {
      const res = (await vscode.commands.executeCommand('worktracker.markComplete', { uri: f.md.toString(), agentId: 'agent-a-002', date: '2026-02-03' })) as ApplyResult;
      assert.ok(res.ok, res.problem);
      assert.equal(api.writer.lastRetries, 1);
      assert.equal(calls, 2);
    } finally {
      api.writer.beforeApply = undefined;
    }
    const text = (await vscode.workspace.openTextDocument(f.md)).getText();
    const lines = text.split('\n');
    // The typed lines are intact and the edit landed on the agent's row, now three lines lower.
    assert.equal(lines[2], '> **Owner:** someone');
    assert.equal(lines[21], '| agent-a-002 | COMPLETE | - | 2026-02-03 | design.md | waits |');
    assert.equal(lines.filter((l) => l.includes('COMPLETE | -')).length, 1);
  });

  it('Set Phase Status and Set Barrier Status edit the headings (and the YAML)', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const [md0, y0] = await texts(f);
    let r = (await vscode.commands.executeCommand('worktracker.setPhaseStatus', { uri: f.md.toString(), phase: 1, status: 'COMPLETE' })) as ApplyResult;
    assert.ok(r.ok, r.problem);
    r = (await vscode.commands.executeCommand('worktracker.setBarrierStatus', { uri: f.md.toString(), barrier: 1, status: 'IN_PROGRESS' })) as ApplyResult;
    assert.ok(r.ok, r.problem);
    const [md1, y1] = await texts(f);
    assert.deepEqual(changedLines(md0, md1), [
      [11, '### 2.1 PHASE 1 - IN_PROGRESS', '### 2.1 PHASE 1 - COMPLETE'],
      [32, '### 2.2 BARRIER 1 - PENDING', '### 2.2 BARRIER 1 - IN_PROGRESS'],
    ]);
    const yc = changedLines(y0, y1).map((c) => c[2].trim());
    assert.deepEqual(yc, ['status: "COMPLETE"', 'status: "COMPLETE"', 'status: "IN_PROGRESS"']);
  });

  it('Set Barrier Status on a direction edits that row', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const [md0] = await texts(f);
    const r = (await vscode.commands.executeCommand('worktracker.setBarrierStatus', { uri: f.md.toString(), barrier: 1, direction: 'a→b', status: 'COMPLETE' })) as ApplyResult;
    assert.ok(r.ok, r.problem);
    const [md1] = await texts(f);
    assert.deepEqual(changedLines(md0, md1), [[36, '| a→b | handoff-a.md | PENDING | summary |', '| a→b | handoff-a.md | COMPLETE | summary |']]);
  });

  it('Toggle Artifact flips only the checkbox character; the tree checkbox does the same', async () => {
    const api = await getApi();
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    const [md0] = await texts(f);
    const r = (await vscode.commands.executeCommand('worktracker.toggleArtifact', { uri: f.md.toString(), line: 22 })) as ApplyResult;
    assert.ok(r.ok, r.problem);
    const [md1] = await texts(f);
    assert.deepEqual(changedLines(md0, md1), [[22, '- [ ] `docs/design.md`', '- [x] `docs/design.md`']]);
    // Through the tree node, as a checkbox click does.
    const node = await waitFor('artifact node', () => api.tree.find((n) => n.entry === f.entry && n.kind === 'artifact' && n.artifactPath === 'docs/findings.md'));
    await api.commands.onCheckbox(node, false);
    const [md2] = await texts(f);
    assert.deepEqual(changedLines(md1, md2), [[21, '- [x] `docs/findings.md`', '- [ ] `docs/findings.md`']]);
  });

  it('tells which file failed when the YAML is read-only, after updating the markdown', async () => {
    const api = await getApi();
    // An in-memory file system whose YAML reports itself read-only (as a locked or remote file does).
    const memfs = new ReadOnlyYamlFs();
    const reg = vscode.workspace.registerFileSystemProvider('wtro', memfs, { isCaseSensitive: true });
    try {
      const md = vscode.Uri.from({ scheme: 'wtro', path: '/t/ORCHESTRATION_WORKTRACKER.md' });
      const yaml = vscode.Uri.from({ scheme: 'wtro', path: '/t/ORCHESTRATION.yaml' });
      memfs.put(md.path, SMALL_TRACKER, false);
      memfs.put(yaml.path, SMALL_YAML, true);
      // A tracker opened from outside the workspace joins the store.
      await vscode.workspace.openTextDocument(md);
      await waitFor('wtro tracker', () => api.store.get(md)?.tracker?.yaml);
      const res = (await vscode.commands.executeCommand('worktracker.markComplete', { uri: md.toString(), agentId: 'agent-a-002', date: '2026-02-01' })) as ApplyResult;
      assert.equal(res.ok, false);
      assert.equal(res.mdApplied, true);
      assert.equal(res.yamlApplied, false);
      assert.match(res.problem ?? '', /^Updated .*ORCHESTRATION_WORKTRACKER\.md, but .*ORCHESTRATION\.yaml is read-only\.$/);
      assert.match((await vscode.workspace.openTextDocument(md)).getText(), /\| agent-a-002 \| COMPLETE \| - \| 2026-02-01 \|/);
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(yaml)), SMALL_YAML);
    } finally {
      // Save while the provider still exists, so no background save fails after it is gone.
      for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'wtro' && d.isDirty) await d.save();
      reg.dispose();
    }
  });

  it('Sync Dashboard Now regenerates a stale dashboard of a real example, and is a no-op after', async function () {
    await skipWithoutExamples(this);
    const uri = exampleUri('overflowing-dashboard');
    const e = await entryOf(uri);
    const before = (await vscode.workspace.openTextDocument(uri)).getText();
    const dash = e.tracker!.dashboard!.contentRange;
    const mdFile = e.tracker!.file;
    try {
      const r1 = (await vscode.commands.executeCommand('worktracker.syncDashboard', { uri: uri.toString() })) as ApplyResult;
      assert.ok(r1.ok, r1.problem);
      assert.ok(r1.edits.length > 0, 'the example dashboard is stale');
      // The dashboard block is in the markdown; the YAML may only get its metrics counts.
      assert.ok(r1.edits.some((x) => x.file === mdFile && x.range.start.line >= dash.start.line && x.range.end.line <= dash.end.line));
      const r2 = (await vscode.commands.executeCommand('worktracker.syncDashboard', { uri: uri.toString() })) as ApplyResult;
      assert.ok(r2.ok);
      assert.equal(r2.edits.length, 0);
    } finally {
      await restore(uri, before);
    }
  });

  it('Open Companion opens the YAML beside the tracker and back', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await vscode.window.showTextDocument(f.md);
    await vscode.commands.executeCommand('worktracker.openCompanion');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), f.yaml.toString());
    await vscode.commands.executeCommand('worktracker.openCompanion');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), f.md.toString());
  });

  // The same agent name in Phase 0 (line 10), Phase 1 (line 17) and the execution queue: three places, two units.
  const PER_PHASE_MD = `# Research Tracker

> **Status:** ACTIVE
> **Last Updated:** 2026-03-01

## Phase 0: Scoping — COMPLETE

| Agent | Status | Started | Completed | Artifact | Notes |
|-------|--------|---------|-----------|----------|-------|
| ps-researcher | COMPLETE | 2026-02-01 | 2026-02-02 | \`research/p0-scope.md\` | scope |
| ps-analyst | COMPLETE | 2026-02-01 | 2026-02-02 | \`research/p0-analysis.md\` | |

## Phase 1: Deep Research — IN PROGRESS

| Agent | Status | Started | Completed | Artifact | Notes |
|-------|--------|---------|-----------|----------|-------|
| ps-researcher | BLOCKED | - | - | \`research/p1-deep.md\` | waits on data |
| ps-writer | PENDING | - | - | \`research/p1-report.md\` | |

## Execution Queue

| Priority | Agent | Phase | Status | Dependencies |
|----------|-------|-------|--------|--------------|
| 1 | ps-researcher | 1 | BLOCKED | Phase 0 |
| 2 | ps-writer | 1 | PENDING | ps-researcher |
`;
  const PER_PHASE_YAML = `workflow:
  id: "research-001"
  status: ACTIVE

pipelines:
  ps:
    phases:
      - id: 0
        status: COMPLETE
        agents:
          - id: ps-researcher-p0
            status: COMPLETE
            started_at: "2026-02-01"
            completed_at: "2026-02-02"
          - id: ps-analyst
            status: COMPLETE
            started_at: "2026-02-01"
            completed_at: "2026-02-02"
      - id: 1
        status: IN_PROGRESS
        agents:
          - id: ps-researcher-p1
            status: BLOCKED
            started_at: null
            completed_at: null
          - id: ps-writer
            status: PENDING
            started_at: null
            completed_at: null
`;

  it('a name written in two phases: agentId alone is refused, line (0-based) / phase / a tree node edit one row', async () => {
    const api = await getApi();
    const f = await writeFixture(PER_PHASE_MD, PER_PHASE_YAML);
    const [md0, y0] = await texts(f);
    const refused = (await vscode.commands.executeCommand('worktracker.markComplete', { uri: f.md.toString(), agentId: 'ps-researcher' })) as ApplyResult;
    assert.equal(refused.ok, false);
    assert.match(refused.problem ?? '', /occurs 2 times.*line 10 \(Phase 0\).*line 17 \(Phase 1\)/);
    assert.deepEqual(await texts(f), [md0, y0]);

    const byLine = (await vscode.commands.executeCommand('worktracker.markInProgress', { uri: f.md.toString(), agentId: 'ps-researcher', line: 9, date: '2026-03-03' })) as ApplyResult;
    assert.ok(byLine.ok, byLine.problem);
    const [md1, y1] = await texts(f);
    assert.deepEqual(changedLines(md0, md1).map((c) => c[0]), [9]);
    assert.deepEqual(changedLines(y0, y1).map((c) => c[2].trim()), ['status: IN_PROGRESS', 'completed_at: null']);

    const byPhase = (await vscode.commands.executeCommand('worktracker.markFailed', { uri: f.md.toString(), agentId: 'ps-researcher', phase: 1 })) as ApplyResult;
    assert.ok(byPhase.ok, byPhase.problem);
    const [md2] = await texts(f);
    assert.deepEqual(changedLines(md1, md2).map((c) => c[0]), [16]);
    assert.match(md2, /\| 1 \| ps-researcher \| 1 \| BLOCKED \|/, 'queue row untouched');

    // From the tree: each row is its own node and carries its row line.
    const nodes = await waitFor('two ps-researcher nodes', () => {
      const ns = api.tree.nodesOf(f.entry).filter((n) => n.kind === 'agent' && n.agentId === 'ps-researcher');
      return ns.length === 2 && ns.every((n) => n.status === 'IN_PROGRESS' || n.status === 'FAILED') ? ns : undefined;
    });
    assert.deepEqual(nodes.map((n) => n.agentLine).sort((a, b) => a! - b!), [9, 16]);
    const p1 = nodes.find((n) => n.agentLine === 16)!;
    const fromTree = (await vscode.commands.executeCommand('worktracker.markComplete', p1)) as ApplyResult;
    assert.ok(fromTree.ok, fromTree.problem);
    const [md3] = await texts(f);
    assert.deepEqual(changedLines(md2, md3).map((c) => c[0]), [16]);
  });

  it('Go to Agent puts the cursor on the agent id', async () => {
    const f = await writeFixture(SMALL_TRACKER, SMALL_YAML);
    await vscode.commands.executeCommand('worktracker.goToAgent', { uri: f.md.toString(), agentId: 'agent-b-001' });
    const ed = vscode.window.activeTextEditor;
    assert.equal(ed?.document.uri.toString(), f.md.toString());
    assert.equal(ed?.document.lineAt(ed.selection.active.line).text.startsWith('| agent-b-001'), true);
  });
});

/** Minimal in-memory FileSystemProvider; files marked read-only report FilePermission.Readonly. */
class ReadOnlyYamlFs implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; readonly: boolean; mtime: number }>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  put(path: string, text: string, readonly: boolean): void {
    this.files.set(path, { data: new TextEncoder().encode(text), readonly, mtime: Date.now() });
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: 0, mtime: f.mtime, size: f.data.length, permissions: f.readonly ? vscode.FilePermission.Readonly : undefined };
    if ([...this.files.keys()].some((k) => k.startsWith(uri.path.replace(/\/$/, '') + '/'))) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path.replace(/\/$/, '') + '/';
    return [...this.files.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map((k) => [k.slice(prefix.length), vscode.FileType.File]);
  }
  createDirectory(): void {}
  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const f = this.files.get(uri.path);
    if (f?.readonly) throw vscode.FileSystemError.NoPermissions(uri);
    this.files.set(uri.path, { data: content, readonly: false, mtime: Date.now() });
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }
  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }
  rename(from: vscode.Uri, to: vscode.Uri): void {
    const f = this.files.get(from.path);
    if (f) this.files.set(to.path, f);
    this.files.delete(from.path);
  }
}
