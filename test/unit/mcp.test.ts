// `worktracker mcp`: the server started as a child process (the bundled CLI), driven by the SDK's own
// Client over stdio. Every tool on copies of the variants (and the shared examples when present):
// exact diffs, refusals, dry runs, the root boundary, two clients at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parseTracker } from '../../src/core/tracker';
import { setAgentStatus } from '../../src/core/edits';
import { applyEdits } from '../../src/core/text';
import { unitCount } from '../../src/core/units';
import { unifiedDiff } from '../../src/node/diff';
import { bundleCli } from './helpers';

const PROJECT = path.resolve(__dirname, '../..');
const VARIANTS = path.join(PROJECT, 'test/fixtures/variants');
const MCP_FIXTURES = path.join(PROJECT, 'test/fixtures/mcp');
const EXAMPLES = path.resolve(PROJECT, '../shared/format/examples');
const MD = 'ORCHESTRATION_WORKTRACKER.md';

let work: string;
let cli: string;
const clients: Client[] = [];

before(async () => {
  work = realpathSync(mkdtempSync(path.join(tmpdir(), 'worktracker-mcp-')));
  cli = path.join(work, 'cli.js');
  // The same bundle as dist/cli.js (CJS, the SDK included), built here so the test needs no prior build.
  await bundleCli(cli);
});

after(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

let rootCount = 0;
/** A fresh root holding copies of the variants, the mcp fixtures and (when present) the shared examples. */
function makeRoot(): string {
  const root = path.join(work, `root-${++rootCount}`);
  mkdirSync(root, { recursive: true });
  for (const dir of [VARIANTS, MCP_FIXTURES]) {
    for (const n of readdirSync(dir)) if (existsSync(path.join(dir, n, MD))) cpSync(path.join(dir, n), path.join(root, n), { recursive: true });
  }
  if (existsSync(EXAMPLES)) {
    for (const n of readdirSync(EXAMPLES)) if (existsSync(path.join(EXAMPLES, n, MD))) cpSync(path.join(EXAMPLES, n), path.join(root, 'examples', n), { recursive: true });
  }
  return root;
}

async function connect(root: string, env: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', '--root', root],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'worktracker-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

interface Result {
  isError: boolean;
  text: string;
  data: any;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as { type: string; text: string }[];
  return { isError: r.isError === true, text: content.map((c) => c.text).join('\n'), data: r.structuredContent };
}

function read(root: string, rel: string): string {
  return readFileSync(path.join(root, rel), 'utf8');
}

/** Every file under `dir` with its bytes, to show that nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

function trackerDirs(root: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(root)) {
    if (n === 'examples') for (const e of readdirSync(path.join(root, n))) out.push(`examples/${e}`);
    else if (existsSync(path.join(root, n, MD))) out.push(n);
  }
  return out.sort();
}

const REPEATED_DRY_DIFF = `--- a/repeated-id/ORCHESTRATION_WORKTRACKER.md
+++ b/repeated-id/ORCHESTRATION_WORKTRACKER.md
@@ -19,7 +19,7 @@
 
 | Agent ID | Status | Started | Completed |
 |----------|--------|---------|-----------|
-| writer   | IN_PROGRESS | 2026-05-02 | - |
+| writer   | COMPLETE | 2026-05-02 | 2026-05-03 |
 | critic   | PENDING | - | - |
 
 ### Artifacts
`;

describe('worktracker mcp', () => {
  if (!existsSync(EXAMPLES)) console.log(`# mcp: ${EXAMPLES} is absent; the shared examples are skipped, the variants and test/fixtures/mcp still run`);

  it('lists every tool with an object input schema and a description', async () => {
    const client = await connect(makeRoot());
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['add_artifact', 'check', 'get_tracker', 'list_trackers', 'log_event', 'set_agent_status', 'set_artifact_checked', 'set_barrier_status', 'set_phase_status', 'sync_dashboard']);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.ok((t.description ?? '').length > 60, `${t.name} has a description an agent can act on`);
    }
    const req = (n: string) => [...((tools.find((t) => t.name === n)!.inputSchema.required as string[]) ?? [])].sort();
    assert.deepEqual(req('set_agent_status'), ['id', 'status', 'tracker']);
    assert.deepEqual(req('add_artifact'), ['id', 'path', 'tracker']);
    assert.deepEqual(req('log_event'), ['event', 'tracker']);
    for (const n of ['set_agent_status', 'set_phase_status', 'set_barrier_status', 'set_artifact_checked', 'sync_dashboard', 'add_artifact', 'log_event']) {
      assert.ok('dry_run' in (tools.find((t) => t.name === n)!.inputSchema.properties ?? {}), `${n} has dry_run`);
    }
  });

  it('list_trackers: every tracker with its root-relative path, title, status and the one unit count', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const r = await call(client, 'list_trackers', {});
    assert.equal(r.isError, false, r.text);
    const dirs = trackerDirs(root);
    assert.deepEqual(r.data.trackers.map((t: any) => t.path), dirs.map((d) => `${d}/${MD}`));
    for (const t of r.data.trackers) {
      assert.equal(t.error, undefined, `${t.path}: ${t.error}`);
      const dir = path.join(root, path.dirname(t.path));
      const yaml = existsSync(path.join(dir, 'ORCHESTRATION.yaml')) ? read(dir, 'ORCHESTRATION.yaml') : undefined;
      const tracker = parseTracker(read(dir, MD), yaml);
      const c = unitCount(tracker);
      assert.equal(t.done, c.done, t.path);
      assert.equal(t.total, c.total, t.path);
      assert.equal(t.title, tracker.title?.text);
      assert.equal(t.status?.status, tracker.workflowStatus?.status);
    }
    const under = await call(client, 'list_trackers', { under: 'waves-lowercase' });
    assert.deepEqual(under.data.trackers.map((t: any) => t.path), [`waves-lowercase/${MD}`]);
  });

  it('get_tracker: units with 1-based lines that point at their rows; narrowed to one phase; unknown phase refused', async () => {
    const root = makeRoot();
    const client = await connect(root);
    for (const dir of trackerDirs(root)) {
      const r = await call(client, 'get_tracker', { tracker: dir });
      assert.equal(r.isError, false, `${dir}: ${r.text}`);
      const m = r.data;
      assert.equal(m.file, `${dir}/${MD}`);
      const lines = read(root, `${dir}/${MD}`).split(/\r?\n/);
      for (const u of m.units) {
        assert.ok(['agent', 'phase', 'barrier', 'gate'].includes(u.kind), `${dir}: kind ${u.kind}`);
        assert.ok(Array.isArray(u.artifacts), `${dir}: ${u.id} has artifacts`);
        if (u.kind === 'agent') {
          // A unit named by its heading (`### TASK-419: …` over `**Status:** ⬜ READY`): its line holds its status, its heading line its id.
          const a = m.agents.find((x: any) => x.id === u.id && x.line === u.line);
          const idLine = a?.headingLine ?? u.line;
          assert.ok(lines[idLine - 1].toLowerCase().includes(u.id.toLowerCase()), `${dir}: line ${idLine} holds ${u.id}`);
          if (a?.headingLine) assert.ok(lines[u.line - 1].includes(a.raw), `${dir}: line ${u.line} holds ${u.id}'s status ${a.raw}`);
        }
      }
      assert.equal(typeof m.progress.done, 'number');
      assert.ok(m.coverage && typeof m.coverage.units === 'number');
      const phase = m.phases[0]?.number;
      if (phase !== undefined) {
        const n = await call(client, 'get_tracker', { tracker: dir, phase });
        assert.equal(n.isError, false, n.text);
        assert.deepEqual(n.data.phases.map((p: any) => p.number), [phase]);
        assert.ok(n.data.units.every((u: any) => u.phase === phase), `${dir}: only phase ${phase}`);
        assert.ok(n.data.agents.every((a: any) => a.phase === phase));
      }
    }
    const bad = await call(client, 'get_tracker', { tracker: 'repeated-id', phase: 9 });
    assert.equal(bad.isError, true);
    assert.equal(bad.data.error, 'unknown-id');
    assert.deepEqual(bad.data.phases.map((p: any) => p.number), [1, 2]);
  });

  it('resources: one worktracker:// resource per tracker, read as its model', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const { resources } = await client.listResources();
    assert.deepEqual(resources.map((r) => r.uri).sort(), trackerDirs(root).map((d) => `worktracker://${d}/${MD}`));
    const r = await client.readResource({ uri: `worktracker://repeated-id/${MD}` });
    const model = JSON.parse((r.contents[0] as { text: string }).text);
    const g = await call(client, 'get_tracker', { tracker: 'repeated-id' });
    assert.deepEqual(model, JSON.parse(JSON.stringify(g.data)));
    await assert.rejects(client.readResource({ uri: 'worktracker://../outside/ORCHESTRATION_WORKTRACKER.md' }), /outside-root/);
  });

  it('check: findings with code, severity, root-relative file and line', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const r = await call(client, 'check', { tracker: 'ps-nse-stale-dashboard' });
    assert.equal(r.isError, false, r.text);
    assert.ok(r.data.findings.length > 0);
    for (const f of r.data.findings) {
      assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity));
      assert.ok(['ps-nse-stale-dashboard/ORCHESTRATION_WORKTRACKER.md', 'ps-nse-stale-dashboard/ORCHESTRATION.yaml'].includes(f.file), f.file);
      assert.ok(Number.isInteger(f.line) && f.line >= 1);
      assert.equal(typeof f.message, 'string');
    }
    assert.ok(r.data.findings.some((f: any) => f.code === 'dashboard-stale'), 'the stale dashboard is reported');
    const all = await call(client, 'check', {});
    assert.equal(all.data.trackers.length, trackerDirs(root).length);
    // After sync_dashboard the dashboard is no longer stale.
    await call(client, 'sync_dashboard', { tracker: 'ps-nse-stale-dashboard', date: '2026-07-20T10:00:00Z' });
    const again = await call(client, 'check', { tracker: 'ps-nse-stale-dashboard' });
    assert.ok(!again.data.findings.some((f: any) => f.code === 'dashboard-stale'), again.text);
  });

  it('set_agent_status: dry run returns the exact diff and writes nothing; the real call writes that diff', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const before = snapshot(root);
    const dry = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'writer', phase: 2, status: 'done', date: '2026-05-03', dry_run: true });
    assert.equal(dry.isError, false, dry.text);
    assert.equal(dry.data.diff, REPEATED_DRY_DIFF);
    assert.deepEqual(dry.data.written, []);
    assert.deepEqual(snapshot(root), before, 'a dry run writes nothing');
    const real = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'writer', line: 22, status: 'done', date: '2026-05-03' });
    assert.equal(real.data.diff, REPEATED_DRY_DIFF);
    assert.deepEqual(real.data.written, [`repeated-id/${MD}`]);
    const text = read(root, `repeated-id/${MD}`);
    assert.ok(text.includes('| writer   | COMPLETE | 2026-05-02 | 2026-05-03 |'));
    assert.ok(text.includes('| writer   | COMPLETE | 2026-05-01 | 2026-05-01 |'), 'the other row of the name is untouched');
    const again = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'writer', line: 22, status: 'done', date: '2026-05-03' });
    assert.equal(again.data.changed, false);
    assert.equal(again.data.diff, '');
  });

  it('set_agent_status on every tracker: the diff is the core edit, applied byte for byte (EOL and BOM kept)', async () => {
    const root = makeRoot();
    const client = await connect(root);
    for (const dir of trackerDirs(root)) {
      const mdPath = path.join(root, dir, MD);
      const yamlPath = path.join(root, dir, 'ORCHESTRATION.yaml');
      const md = read(root, `${dir}/${MD}`);
      const yaml = existsSync(yamlPath) ? readFileSync(yamlPath, 'utf8') : undefined;
      const t = parseTracker(md, yaml, { mdFile: mdPath, yamlFile: existsSync(yamlPath) ? yamlPath : undefined });
      const counts = new Map<string, number>();
      for (const a of t.agents) counts.set(a.id.toLowerCase(), (counts.get(a.id.toLowerCase()) ?? 0) + 1);
      const agent = t.agents.find((a) => counts.get(a.id.toLowerCase()) === 1 && a.status.status !== 'COMPLETE');
      if (!agent) continue;
      const edits = setAgentStatus(t, agent.id, 'COMPLETE', { date: '2026-12-01' });
      const mdEdits = edits.filter((e) => e.file === t.file);
      const yamlEdits = edits.filter((e) => e.file !== t.file);
      const expected = unifiedDiff(`${dir}/${MD}`, md, mdEdits) + (yaml !== undefined && yamlEdits.length ? unifiedDiff(`${dir}/ORCHESTRATION.yaml`, yaml, yamlEdits) : '');
      const r = await call(client, 'set_agent_status', { tracker: dir, id: agent.id, status: 'COMPLETE', date: '2026-12-01' });
      assert.equal(r.isError, false, `${dir}: ${r.text}`);
      assert.equal(r.data.diff, expected, dir);
      assert.equal(readFileSync(mdPath, 'utf8'), applyEdits(md, mdEdits), dir);
      if (yaml !== undefined) assert.equal(readFileSync(yamlPath, 'utf8'), applyEdits(yaml, yamlEdits), dir);
      const after = readFileSync(mdPath, 'utf8');
      if (md.includes('\r\n')) assert.equal(after.replace(/\r\n/g, '').includes('\n'), false, `${dir}: CRLF kept`);
      assert.equal(after.charCodeAt(0) === 0xfeff, md.charCodeAt(0) === 0xfeff, `${dir}: BOM kept`);
    }
  });

  it('set_agent_status refuses: unknown id (closest ids), ambiguous name (its rows), no such row, bad status or date', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const before = snapshot(root);
    const unknown = await call(client, 'set_agent_status', { tracker: 'traffic-legend-phase0', id: 'vv-b-01', status: 'done' });
    assert.equal(unknown.data.error, 'unknown-id');
    assert.ok(unknown.data.closest.includes('vv-b-001'), unknown.text);
    const amb = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'writer', status: 'done' });
    assert.equal(amb.data.error, 'ambiguous');
    assert.deepEqual(amb.data.occurrences.map((o: any) => [o.line, o.phase]), [[10, 1], [22, 2]]);
    const none = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'writer', line: 12, status: 'done' });
    assert.equal(none.data.error, 'no-such-occurrence');
    assert.equal(none.data.occurrences.length, 2);
    const badStatus = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'critic', phase: 2, status: 'sort of' });
    assert.equal(badStatus.data.error, 'invalid-input');
    const badDate = await call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'critic', phase: 2, status: 'done', date: 'tomorrow' });
    assert.equal(badDate.data.error, 'invalid-input');
    const missing = await call(client, 'set_agent_status', { tracker: 'no-such-folder', id: 'x', status: 'done' });
    assert.equal(missing.data.error, 'not-found');
    assert.deepEqual(snapshot(root), before, 'refusals write nothing');
  });

  it('set_phase_status, set_barrier_status, set_artifact_checked: exact diffs and refusals', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const phase = await call(client, 'set_phase_status', { tracker: 'repeated-id', phase: 2, status: 'complete', dry_run: true });
    assert.equal(
      phase.data.diff,
      `--- a/repeated-id/ORCHESTRATION_WORKTRACKER.md
+++ b/repeated-id/ORCHESTRATION_WORKTRACKER.md
@@ -15,7 +15,7 @@
 - [x] \`loop/phase-1/draft.md\`
 - [ ] \`loop/phase-1/critique.md\`
 
-## Phase 2: Revise — IN_PROGRESS
+## Phase 2: Revise — COMPLETE
 
 | Agent ID | Status | Started | Completed |
 |----------|--------|---------|-----------|
`,
    );
    assert.equal((await call(client, 'set_phase_status', { tracker: 'repeated-id', phase: 7, status: 'done' })).data.error, 'unknown-id');

    const dir = await call(client, 'set_barrier_status', { tracker: 'traffic-legend-phase0', barrier: 'barrier-1', direction: 'all-to-vv', status: 'complete' });
    assert.equal(dir.isError, false, dir.text);
    assert.ok(dir.data.diff.includes('+| all-to-vv | `ledger/barriers/1/all-to-vv/build-notes.md` | 🟢 COMPLETE | invariants and known gaps |\n'), dir.data.diff);
    assert.ok(dir.data.diff.includes('+      all_to_vv: { path: ledger/barriers/1/all-to-vv/build-notes.md, status: COMPLETE }\n'), dir.data.diff);
    assert.deepEqual(dir.data.written, ['traffic-legend-phase0/ORCHESTRATION_WORKTRACKER.md', 'traffic-legend-phase0/ORCHESTRATION.yaml']);
    const bar = await call(client, 'set_barrier_status', { tracker: 'traffic-legend-phase0', barrier: 1, status: 'complete', dry_run: true });
    assert.ok(bar.data.diff.includes('-## Barrier 1 — ⚪ PENDING\n+## Barrier 1 — 🟢 COMPLETE\n'), bar.data.diff);
    const noBarrier = await call(client, 'set_barrier_status', { tracker: 'traffic-legend-phase0', barrier: 3, status: 'complete' });
    assert.equal(noBarrier.data.error, 'unknown-id');
    assert.deepEqual(noBarrier.data.barriers.map((b: any) => b.id), ['barrier-1']);
    const noDir = await call(client, 'set_barrier_status', { tracker: 'traffic-legend-phase0', barrier: 1, direction: 'x-to-y', status: 'complete' });
    assert.equal(noDir.data.error, 'unknown-id');

    const chk = await call(client, 'set_artifact_checked', { tracker: 'repeated-id', path: 'loop/phase-1/critique.md', checked: true });
    assert.ok(chk.data.diff.includes('-- [ ] `loop/phase-1/critique.md`\n+- [x] `loop/phase-1/critique.md`\n'), chk.data.diff);
    assert.ok(read(root, `repeated-id/${MD}`).includes('- [x] `loop/phase-1/critique.md`'));
    const byLine = await call(client, 'set_artifact_checked', { tracker: 'repeated-id', line: 15, checked: false, dry_run: true });
    assert.ok(byLine.data.diff.includes('-- [x] `loop/phase-1/draft.md`\n+- [ ] `loop/phase-1/draft.md`\n'), byLine.text);
    const typo = await call(client, 'set_artifact_checked', { tracker: 'repeated-id', path: 'loop/phase-1/critiqe.md', checked: true });
    assert.equal(typo.data.error, 'unknown-id');
    assert.equal(typo.data.closest[0], 'loop/phase-1/critique.md');
  });

  it('add_artifact: into the artifact cell, or as a checklist item in the list\'s own form; refusals', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const cell = await call(client, 'add_artifact', { tracker: 'eight-tracks-crlf', id: 'plat-c-002', path: 'tracks/catalog/extra.md' });
    assert.equal(cell.isError, false, cell.text);
    const crlf = read(root, `eight-tracks-crlf/${MD}`);
    assert.ok(crlf.includes('| plat-c-002 | ⬜ PENDING | — | — | `tracks/catalog/harden-report.md`, `tracks/catalog/extra.md` |\r\n'), 'cell form and CRLF');
    const list = await call(client, 'add_artifact', { tracker: 'repeated-id', id: 'writer', phase: 2, path: 'loop/phase-2/notes.md', dry_run: true });
    assert.equal(
      list.data.diff,
      `--- a/repeated-id/ORCHESTRATION_WORKTRACKER.md
+++ b/repeated-id/ORCHESTRATION_WORKTRACKER.md
@@ -24,7 +24,8 @@
 
 ### Artifacts
 
-1. [ ] \`loop/phase-2/revision.md\`
+1. [ ] \`loop/phase-2/revision.md\`
+2. [ ] \`loop/phase-2/notes.md\`
 
 ## Session Log
 
`,
    );
    const dup = await call(client, 'add_artifact', { tracker: 'repeated-id', id: 'critic', line: 11, path: 'loop/phase-1/critique.md' });
    assert.equal(dup.data.error, 'already-present');
    const amb = await call(client, 'add_artifact', { tracker: 'repeated-id', id: 'critic', path: 'loop/x.md' });
    assert.equal(amb.data.error, 'ambiguous');
    for (const p of ['../secret.md', '/etc/passwd', 'docs/{name}.md']) {
      const bad = await call(client, 'add_artifact', { tracker: 'repeated-id', id: 'critic', phase: 1, path: p });
      assert.equal(bad.data.error, 'invalid-input', p);
    }
  });

  it('log_event: a row in the log\'s own columns; the template placeholder row replaced; no log table refused', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const first = await call(client, 'log_event', { tracker: 'repeated-id', event: 'PHASE_STARTED', details: 'Phase 2 revise', timestamp: '2026-05-02T09:30:00Z' });
    assert.equal(
      first.data.diff,
      `--- a/repeated-id/ORCHESTRATION_WORKTRACKER.md
+++ b/repeated-id/ORCHESTRATION_WORKTRACKER.md
@@ -30,4 +30,4 @@
 
 | Timestamp | Event | Details |
 |-----------|-------|---------|
-| {ISO-8601} | {event-type} | {details} |
+| 2026-05-02T09:30:00Z | PHASE_STARTED | Phase 2 revise |
`,
    );
    const second = await call(client, 'log_event', { tracker: 'repeated-id', event: 'AGENT_COMPLETE', details: 'writer | phase 2', timestamp: '2026-05-03T08:00:00Z' });
    assert.ok(read(root, `repeated-id/${MD}`).endsWith('| 2026-05-02T09:30:00Z | PHASE_STARTED | Phase 2 revise |\n| 2026-05-03T08:00:00Z | AGENT_COMPLETE | writer \\| phase 2 |\n'), second.text);
    // The log's own timestamp form (minutes, no zone) is kept for a full ISO input.
    const t = await call(client, 'log_event', { tracker: 'traffic-legend-phase0', event: 'AGENT_COMPLETE', details: 'vv-b-001 passes', timestamp: '2026-06-10T09:00', dry_run: true });
    assert.ok(t.data.diff.includes('+| 2026-06-10T09:00 | AGENT_COMPLETE | vv-b-001 passes |\n'), t.data.diff);
    const col = await call(client, 'log_event', { tracker: 'traffic-legend-phase0', event: 'X', values: { Agent: 'a' } });
    assert.equal(col.data.error, 'invalid-input');
    const none = await call(client, 'log_event', { tracker: 'waves-lowercase', event: 'X' });
    assert.equal(none.data.error, 'no-place');
    if (existsSync(EXAMPLES)) {
      const ex = await call(client, 'log_event', { tracker: 'examples/tracks-duplicate-yaml-key', log: 'execution', event: 'AGENT_COMPLETE', details: 'done', timestamp: '2026-02-01T10:00:00Z', dry_run: true });
      assert.ok(ex.data.diff.includes('+| 2026-02-01T10:00:00Z | AGENT_COMPLETE | done |\n'), ex.text);
      const wrong = await call(client, 'log_event', { tracker: 'examples/tracks-duplicate-yaml-key', log: 'session', event: 'X' });
      assert.equal(wrong.data.error, 'unknown-log');
    } else console.log('# mcp log_event: shared examples absent, the Execution Log case is skipped');
  });

  it('sync_dashboard: dry run shows the redraw, the real call writes it, a second call changes nothing', async () => {
    const root = makeRoot();
    const client = await connect(root);
    const before = read(root, `ps-nse-stale-dashboard/${MD}`);
    const dry = await call(client, 'sync_dashboard', { tracker: 'ps-nse-stale-dashboard', date: '2026-07-20T10:00:00Z', dry_run: true });
    assert.ok(dry.data.diff.includes('+║  Phase 2: ████████████ 100% ✅       Phase 2: ██████░░░░░░  50% 🔄 ║\n'), dry.data.diff);
    assert.equal(read(root, `ps-nse-stale-dashboard/${MD}`), before);
    const real = await call(client, 'sync_dashboard', { tracker: 'ps-nse-stale-dashboard', date: '2026-07-20T10:00:00Z' });
    assert.equal(real.data.diff, dry.data.diff);
    assert.notEqual(read(root, `ps-nse-stale-dashboard/${MD}`), before);
    const again = await call(client, 'sync_dashboard', { tracker: 'ps-nse-stale-dashboard', date: '2026-07-20T10:00:00Z' });
    assert.equal(again.data.changed, false, again.text);
  });

  it('never reads or writes outside the root: "..", absolute paths, symbolic links out', async () => {
    const root = makeRoot();
    const outside = path.join(work, `outside-${rootCount}`);
    cpSync(path.join(VARIANTS, 'waves-lowercase'), outside, { recursive: true });
    symlinkSync(outside, path.join(root, 'linked'));
    symlinkSync(path.join(outside, MD), path.join(root, 'repeated-id', 'link.md'));
    const outsideBefore = snapshot(outside);
    const client = await connect(root);
    const attempts: [string, Record<string, unknown>][] = [
      ['get_tracker', { tracker: '../outside-1' }],
      ['get_tracker', { tracker: `${path.basename(root)}/../${path.basename(outside)}` }],
      ['get_tracker', { tracker: outside }],
      ['get_tracker', { tracker: path.join(outside, MD) }],
      ['get_tracker', { tracker: 'linked' }],
      ['get_tracker', { tracker: 'repeated-id/link.md' }],
      ['set_agent_status', { tracker: 'linked', id: 'w1-a-001', status: 'done' }],
      ['set_agent_status', { tracker: outside, id: 'w1-a-001', status: 'done' }],
      ['check', { tracker: 'linked' }],
      ['list_trackers', { under: '..' }],
      ['log_event', { tracker: '/etc', event: 'X' }],
    ];
    for (const [name, args] of attempts) {
      const r = await call(client, name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)} must be refused`);
      assert.equal(r.data.error, 'outside-root', `${name} ${JSON.stringify(args)}: ${r.text}`);
    }
    const list = await call(client, 'list_trackers', {});
    assert.ok(!list.data.trackers.some((t: any) => t.path.startsWith('linked')), 'links are not followed');
    assert.deepEqual(snapshot(outside), outsideBefore);
    // An absolute path inside the root is fine.
    const inside = await call(client, 'get_tracker', { tracker: path.join(root, 'repeated-id') });
    assert.equal(inside.isError, false, inside.text);
  });

  it('two clients editing the same tracker at once lose nothing', async () => {
    const root = makeRoot();
    const [a, b] = await Promise.all([connect(root), connect(root)]);
    const dir = 'eight-tracks-crlf';
    const t = parseTracker(read(root, `${dir}/${MD}`), read(root, `${dir}/ORCHESTRATION.yaml`));
    const ids = t.agents.filter((x) => x.status.status !== 'FAILED').map((x) => x.id).slice(0, 12);
    assert.ok(ids.length >= 8);
    const results = await Promise.all(ids.map((id, i) => call(i % 2 ? a : b, 'set_agent_status', { tracker: dir, id, status: 'FAILED' })));
    const final = parseTracker(read(root, `${dir}/${MD}`), read(root, `${dir}/ORCHESTRATION.yaml`));
    for (let i = 0; i < ids.length; i++) {
      const r = results[i];
      const row = final.agents.find((x) => x.id === ids[i])!;
      if (r.isError) assert.equal(r.data.error, 'changed-meanwhile', r.text);
      else assert.equal(row.status.status, 'FAILED', `${ids[i]}: an applied edit is kept`);
    }
    assert.ok(results.filter((r) => !r.isError).length >= ids.length / 2, 'the lock serialises the writers');
  });

  it('a file changed by someone else between read and write is refused with "changed-meanwhile"', async () => {
    const root = makeRoot();
    const client = await connect(root, { WORKTRACKER_TEST_PAUSE_BEFORE_WRITE_MS: '1500' });
    const file = path.join(root, 'repeated-id', MD);
    const pending = call(client, 'set_agent_status', { tracker: 'repeated-id', id: 'critic', phase: 2, status: 'in progress', date: '2026-05-04' });
    await new Promise((r) => setTimeout(r, 700));
    const edited = readFileSync(file, 'utf8').replace('# ORCHESTRATION_WORKTRACKER — Review Loop', '# ORCHESTRATION_WORKTRACKER — Review Loop (edited)');
    writeFileSync(file, edited);
    const r = await pending;
    assert.equal(r.isError, true, r.text);
    assert.equal(r.data.error, 'changed-meanwhile', r.text);
    assert.equal(readFileSync(file, 'utf8'), edited, 'the other change is kept, ours is not written');
  });
});
