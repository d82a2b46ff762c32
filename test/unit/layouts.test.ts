/**
 * Layouts beyond the template (FORMAT.md "Layouts beyond the template"): one fixture pair per shape
 * and per look-alike under test/fixtures/layouts/. Each test states the units a careful reader lists
 * (id, 1-based line, status, kind, phase), where phase/barrier/gate statuses come from, and how many
 * status-bearing lines the reader read and left unread. `show --json` is checked on the same files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleCli } from './helpers';
import type { Status, Tracker } from '../../src/core/model';
import { parseTracker } from '../../src/core/tracker';
import { parseMarkdown, deriveStatus } from '../../src/core/markdown';
import { readDashboardLine } from '../../src/core/markdown/dashboardLines';
import { setAgentStatus } from '../../src/core/edits';
import { applyEdits } from '../../src/core/text';

const DIR = path.resolve(__dirname, '../fixtures/layouts');
const EXAMPLES = path.resolve(__dirname, '../../../shared/format/examples');
const MD = 'ORCHESTRATION_WORKTRACKER.md';
const YAML = 'ORCHESTRATION.yaml';

function load(name: string, dir = DIR): Tracker {
  const md = path.join(dir, name, MD);
  const y = path.join(dir, name, YAML);
  return parseTracker(readFileSync(md, 'utf8'), existsSync(y) ? readFileSync(y, 'utf8') : undefined, { mdFile: md, yamlFile: y });
}

type Unit = [id: string, line: number, status: Status | undefined, kind: string, phase: number | undefined];

/** Every unit in file order: agents at their status row, phases at their heading, barriers and gates at their row or heading. */
function units(t: Tracker): Unit[] {
  const out: Unit[] = [];
  for (const a of t.agents) out.push([a.id, a.row.range.start.line + 1, a.status.status, 'agent', a.phase]);
  for (const p of t.phases) out.push([`phase-${p.number}`, p.heading.range.start.line + 1, p.effectiveStatus?.status, 'phase', p.number]);
  for (const b of t.barriers) out.push([b.id, (b.row ?? b.heading).range.start.line + 1, b.effectiveStatus?.status, 'barrier', undefined]);
  for (const g of t.gates) out.push([g.id, g.line + 1, g.effectiveStatus?.status, 'gate', g.phase]);
  return out.sort((a, b) => a[1] - b[1]);
}

function sources(t: Tracker): string[] {
  return [
    ...t.phases.map((p) => `phase-${p.number}:${p.statusSource ?? '-'}`),
    ...t.barriers.map((b) => `${b.id}:${b.statusSource ?? '-'}`),
    ...t.gates.map((g) => `${g.id}:${g.statusSource ?? '-'}`),
  ];
}

function unread(t: Tracker): number[] {
  return t.coverage.unread.map((u) => u.line + 1);
}

function dupes(t: Tracker): string[] {
  return t.findings.filter((f) => f.code === 'id-duplicate').map((f) => `${f.range.start.line + 1}`);
}

describe('layouts: key/value sections', () => {
  const t = load('keyvalue-sections');
  it('one unit per heading, its status the Status row (bold or not, Field or Metric table)', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 21, 'COMPLETE', 'phase', 1],
      ['TASK-014', 28, 'COMPLETE', 'agent', 1],
      ['TASK-015', 37, 'COMPLETE', 'agent', 1],
      ['GATE-1', 45, 'COMPLETE', 'gate', 1],
      ['phase-2', 49, 'IN_PROGRESS', 'phase', 2],
      ['TASK-021', 55, 'IN_PROGRESS', 'agent', 2],
      ['TASK-022', 63, 'PENDING', 'agent', 2],
      ['GATE-2', 66, 'PENDING', 'gate', 2],
    ]);
    const a = t.agents.find((x) => x.id === 'TASK-014')!;
    assert.equal(a.shape, 'keyvalue');
    assert.equal(a.kind, 'agent');
    assert.equal(a.title, 'Schema Migration');
    assert.equal(a.status.raw, '✅ ACCEPTED (0.93)');
    assert.equal(a.statusColumn, 1);
    assert.equal(a.heading?.range.start.line, 22);
    assert.equal(a.idCell.text, 'TASK-014');
    assert.equal(a.extra.Agent?.text, 'ledger-migrator');
    assert.deepEqual(a.artifacts.map((x) => x.path), ['work/phase-1/task-014-schema-migration.md']);
    assert.equal(t.gates[0].status?.raw, '✅ PASS');
  });
  it('phase and gate statuses written only in the dashboard come from it', () => {
    assert.deepEqual(sources(t), ['phase-1:dashboard', 'phase-2:dashboard', 'GATE-1:own', 'GATE-2:dashboard']);
    assert.equal(t.phases[0].status, undefined, 'status stays "written in its own heading"');
    assert.deepEqual(t.phases[0].effectiveStatus, { status: 'COMPLETE', source: 'dashboard', raw: '✅ COMPLETE', line: 13 });
  });
  it('the key/value tables are not header fields or metrics; the session log is not counted', () => {
    assert.equal(t.workflowStatus?.raw, 'ACTIVE');
    assert.ok(!t.header.some((f) => /ACCEPTED|Started/.test(f.value + f.key)));
    assert.equal(t.metrics, undefined);
    assert.deepEqual(unread(t), []);
    assert.equal(t.coverage.units, 5);
  });
  it('marking a key/value unit changes its Value cell only', () => {
    const edits = setAgentStatus(t, 'TASK-022', 'COMPLETE', { date: '2026-03-10' }).filter((e) => e.file === t.file);
    const after = applyEdits(t.text, edits).split('\n');
    const before = t.text.split('\n');
    const changed = before.map((l, i) => (l === after[i] ? -1 : i + 1)).filter((i) => i > 0);
    assert.deepEqual(changed, [63]);
    assert.match(after[62], /^\| Status \| ✅ [A-Z]+ \|$/);
    assert.equal(parseMarkdown(after.join('\n'), t.file).agents.find((a) => a.id === 'TASK-022')?.status.status, 'COMPLETE');
  });
});

describe('layouts: headings over placeholder rows', () => {
  const t = load('enabler-headings');
  it('the unit is the heading; its status the placeholder row; real agent rows stay agents', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 10, 'IN_PROGRESS', 'phase', 1],
      ['EN-410', 18, 'PENDING', 'agent', 1],
      ['EN-411', 24, 'PENDING', 'agent', 1],
      ['courier-builder', 30, 'COMPLETE', 'agent', 1],
      ['courier-critic', 31, 'COMPLETE', 'agent', 1],
      ['EN-413', 38, 'COMPLETE', 'agent', 1],
      ['phase-2', 42, 'IN_PROGRESS', 'phase', 2],
      ['EN-420', 48, 'IN_PROGRESS', 'agent', 2],
      ['EN-421', 54, 'PENDING', 'agent', 2],
    ]);
    const en411 = t.agents.find((a) => a.id === 'EN-411')!;
    assert.equal(en411.shape, 'heading');
    assert.equal(en411.status.raw, 'Not yet started');
    assert.equal(en411.title, 'Jitter Source');
    assert.equal(en411.heading?.text, 'EN-411: Jitter Source');
    // Placeholder tables make no pipeline groups; the group of real rows stays.
    assert.deepEqual(t.phases[0].groups.map((g) => g.title), ['EN-412: Dead Letter Route']);
  });
  it('phase statuses are derived from their units', () => {
    assert.deepEqual(sources(t), ['phase-1:derived', 'phase-2:derived']);
    assert.deepEqual(unread(t), []);
  });
});

describe('layouts: artifact rows keyed by #', () => {
  const t = load('artifact-rows');
  it('each row is a unit keyed by its # cell; the totals row is not', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 10, 'IN_PROGRESS', 'phase', 1],
      ['1', 16, 'COMPLETE', 'agent', 1],
      ['2', 17, 'COMPLETE', 'agent', 1],
      ['3', 18, 'IN_PROGRESS', 'agent', 1],
      ['1', 25, 'COMPLETE', 'agent', 1],
      ['2', 26, 'PENDING', 'agent', 1],
      ['3', 27, 'PENDING', 'agent', 1],
      ['phase-2', 31, 'PENDING', 'phase', 2],
      ['1', 37, 'PENDING', 'agent', 2],
    ]);
    const a = t.agents[3];
    assert.equal(a.shape, 'artifact-row');
    assert.equal(a.title, 'Outline');
    assert.equal(a.pipeline, 'FEAT-032: API Reference');
    assert.deepEqual(a.artifacts.map((x) => x.path), ['docs/api/outline.md']);
  });
  it('the same # in two features of one phase is not a duplicate', () => {
    assert.deepEqual(dupes(t), []);
    assert.deepEqual(sources(t), ['phase-1:derived', 'phase-2:derived']);
    assert.deepEqual(unread(t), []);
    assert.equal(t.coverage.units, 7);
  });
});

describe('layouts: gates and barriers in their own tables', () => {
  const t = load('gate-tables');
  it('Result, State and Verdict columns; ids GATE-n, QG-n, G-FINAL, B-n', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 10, 'COMPLETE', 'phase', 1],
      ['hb-scout-001', 14, 'COMPLETE', 'agent', 1],
      ['hb-mapper-001', 15, 'COMPLETE', 'agent', 1],
      ['phase-2', 17, 'IN_PROGRESS', 'phase', 2],
      ['hb-cutter-001', 21, 'IN_PROGRESS', 'agent', 2],
      ['hb-critic-001', 22, 'PENDING', 'agent', 2],
      ['QG-1', 30, 'COMPLETE', 'gate', undefined],
      ['GATE-2', 31, 'PENDING', 'gate', undefined],
      ['G-FINAL', 32, 'PENDING', 'gate', undefined],
      ['barrier-1', 38, 'COMPLETE', 'barrier', undefined],
      ['barrier-2', 39, 'PENDING', 'barrier', undefined],
      ['GATE-4', 45, 'FAILED', 'gate', undefined],
    ]);
    assert.equal(t.gates[0].status?.raw, '✅ PASS');
    assert.equal(t.barriers[0].status?.raw, '✅ COMPLETE');
    assert.equal(t.barriers[0].row?.range.start.line, 37);
    assert.equal(t.agents.length, 4, 'gate and barrier rows are not agents');
  });
  it('sources: own rows for gates and barriers, derived for phases', () => {
    assert.deepEqual(sources(t), ['phase-1:derived', 'phase-2:derived', 'barrier-1:own', 'barrier-2:own', 'QG-1:own', 'GATE-2:own', 'G-FINAL:own', 'GATE-4:own']);
    assert.deepEqual(unread(t), []);
    assert.equal(t.coverage.units, 10);
  });
});

describe('layouts: statuses only in the dashboard or the units', () => {
  const t = load('dashboard-only');
  it('phase and barrier from the dashboard, else derived from units and direction rows', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 25, 'COMPLETE', 'phase', 1],
      ['qs-study-001', 29, 'COMPLETE', 'agent', 1],
      ['qs-study-002', 30, 'COMPLETE', 'agent', 1],
      ['barrier-1', 32, 'COMPLETE', 'barrier', undefined],
      ['phase-2', 38, 'IN_PROGRESS', 'phase', 2],
      ['qs-tune-001', 42, 'COMPLETE', 'agent', 2],
      ['qs-tune-002', 43, 'IN_PROGRESS', 'agent', 2],
      ['barrier-2', 45, 'IN_PROGRESS', 'barrier', undefined],
      ['phase-3', 52, 'IN_PROGRESS', 'phase', 3],
      ['qs-ship-001', 56, 'PENDING', 'agent', 3],
      ['qs-ship-002', 57, 'COMPLETE', 'agent', 3],
      ['qg-1', 59, 'COMPLETE', 'barrier', undefined],
    ]);
    assert.deepEqual(sources(t), ['phase-1:dashboard', 'phase-2:dashboard', 'phase-3:derived', 'barrier-1:dashboard', 'barrier-2:derived', 'qg-1:dashboard']);
    assert.deepEqual(t.phases[0].effectiveStatus, { status: 'COMPLETE', source: 'dashboard', raw: '✅ COMPLETE', line: 15 });
    assert.deepEqual(t.barriers[1].effectiveStatus, { status: 'IN_PROGRESS', source: 'derived' });
    assert.deepEqual(t.gates, [], 'a QG heading stays a barrier');
    assert.deepEqual(unread(t), []);
  });
});

describe('layouts: look-alikes are not units', () => {
  const t = load('lookalikes');
  it('protocol and checklist tables, remediation and bug lists, items to create, totals rows, logs', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 10, 'IN_PROGRESS', 'phase', 1],
      ['bc-triage-001', 14, 'COMPLETE', 'agent', 1],
      ['bc-triage-002', 15, 'IN_PROGRESS', 'agent', 1],
      ['phase-2', 32, 'PENDING', 'phase', 2],
      ['bc-clean-001', 36, 'PENDING', 'agent', 2],
      ['bc-triage-001', 37, 'PENDING', 'agent', 2],
    ]);
    assert.deepEqual(t.gates, []);
  });
  it('the same name once per phase is normal', () => {
    assert.deepEqual(dupes(t), []);
  });
  it('only the lines nobody could read are left unread', () => {
    assert.deepEqual(unread(t), [65, 69]);
    assert.equal(t.coverage.units, 4);
  });
});

describe('layouts: headings with a status key line', () => {
  const t = load('keyline-headings');
  it('an id heading with a **Status:** line and no unit table beneath is a unit; a heading over a unit table is a group', () => {
    assert.deepEqual(units(t), [
      ['phase-1', 10, 'IN_PROGRESS', 'phase', 1],
      ['TASK-731', 14, 'COMPLETE', 'agent', 1],
      ['TASK-732', 24, 'BLOCKED', 'agent', 1],
      ['phase-2', 30, 'IN_PROGRESS', 'phase', 2],
      ['TASK-741', 38, 'COMPLETE', 'agent', 2],
      ['TASK-742', 39, 'PENDING', 'agent', 2],
    ]);
    const a = t.agents.find((x) => x.id === 'TASK-732')!;
    assert.equal(a.shape, 'keyline');
    assert.equal(a.kind, 'agent');
    assert.equal(a.title, 'Pick Rebuild Order');
    assert.equal(a.status.raw, '🔒 BLOCKED', 'only the status core of `🔒 BLOCKED by TASK-731`');
    assert.equal(a.heading?.text, 'TASK-732: Pick Rebuild Order');
    assert.equal(a.idCell.text, 'TASK-732');
    assert.equal(a.statusColumn, 0);
    assert.deepEqual(a.row.cells.map((c) => c.text), ['🔒 BLOCKED']);
    assert.equal(a.table.kind, 'other');
    assert.equal(a.table.aligned, false);
    assert.deepEqual(a.table.columns, {});
    assert.equal(t.agents[0].status.raw, '✅ COMPLETE', 'stops at the ` | ` separator');
    assert.ok(!t.agents.some((x) => x.id === 'EN-540'), 'EN-540 has its own unit table: a group, not a unit');
    assert.deepEqual(t.gates, []);
  });
  it('phase statuses are derived from the units; the group, the look-alike and the heading without an id are not counted', () => {
    assert.deepEqual(sources(t), ['phase-1:derived', 'phase-2:derived']);
    // Key lines are not status-bearing lines in the coverage count (tables and headings are): EN-540's
    // line and `### Rollback Notes`' line are neither read nor unread; the two key lines read as units are read.
    assert.deepEqual(unread(t), []);
    assert.equal(t.coverage.units, 4);
    assert.deepEqual(dupes(t), []);
  });
  it('marking a key-line unit changes only its status text', () => {
    for (const [id, line, rest] of [
      ['TASK-731', 14, ' | **Effort:** 3h | **Is Hard Gate:** NO'],
      ['TASK-732', 24, ' by TASK-731 | **Effort:** 1h'],
    ] as const) {
      const edits = setAgentStatus(t, id, id === 'TASK-731' ? 'IN_PROGRESS' : 'COMPLETE', { date: '2026-05-23' }).filter((e) => e.file === t.file);
      const after = applyEdits(t.text, edits).split('\n');
      const before = t.text.split('\n');
      const changed = before.map((l, i) => (l === after[i] ? -1 : i + 1)).filter((i) => i > 0);
      assert.deepEqual(changed, [line], id);
      assert.equal(after.length, before.length);
      const a = t.agents.find((x) => x.id === id)!;
      const col = a.status.range.start.column;
      assert.equal(after[line - 1].slice(0, col), before[line - 1].slice(0, col), id);
      assert.ok(after[line - 1].endsWith(rest), after[line - 1]);
      assert.ok(before[line - 1].endsWith(rest));
      const t2 = parseMarkdown(after.join('\n'), t.file);
      assert.equal(t2.agents.find((x) => x.id === id)?.status.status, id === 'TASK-731' ? 'IN_PROGRESS' : 'COMPLETE');
    }
  });
});

describe('layouts: a tracker the reader does not understand', () => {
  const t = load('unrecognised');
  it('no units, and every status line is reported as not understood', () => {
    assert.equal(t.agents.length, 0);
    assert.equal(t.coverage.units, 0);
    assert.deepEqual(unread(t), [13, 14, 15, 17]);
    assert.equal(t.coverage.unread[3].text, '### Sharding ✅');
  });
});

describe('layouts: pieces', () => {
  it('dashboard lines: label, bar, status; prose words are not statuses', () => {
    assert.deepEqual(readDashboardLine('║ Phase 2: [██████████] ✅ COMPLETE (4/4 files) ║', 7), { kind: 'phase', number: 2, status: 'COMPLETE', raw: '✅ COMPLETE', line: 7 });
    assert.equal(readDashboardLine('Phase 3: [####........] 40%', 0)?.status, 'IN_PROGRESS');
    assert.equal(readDashboardLine('│ Barrier 1: ✅ COMPLETE │', 0)?.number, 1);
    assert.deepEqual(readDashboardLine('G-FINAL ........ PASS', 3), { kind: 'gate', id: 'G-FINAL', status: 'COMPLETE', raw: 'PASS', line: 3 });
    assert.equal(readDashboardLine('Track B: Parser  🔄 IN PROGRESS', 0)?.phaseKind, 'track');
    assert.equal(readDashboardLine('PHASE 0: SEQUENTIAL HARD GATE (MUST COMPLETE FIRST)', 0), undefined);
    assert.equal(readDashboardLine('Overall: 3/6 agents complete (50%)', 0), undefined);
  });
  it('derived statuses', () => {
    assert.equal(deriveStatus([]), undefined);
    assert.equal(deriveStatus(['COMPLETE', 'SKIPPED']), 'COMPLETE');
    assert.equal(deriveStatus(['COMPLETE', 'PENDING']), 'IN_PROGRESS');
    assert.equal(deriveStatus(['PENDING', 'PENDING']), 'PENDING');
    assert.equal(deriveStatus(['PENDING', 'BLOCKED']), 'BLOCKED');
    assert.equal(deriveStatus(['READY', 'READY']), 'READY');
  });
  it('a phase summary row gives a phase without a heading status its own status', () => {
    const src = [
      '## Phase Summary',
      '',
      '| Phase | Name | Status |',
      '|---|---|---|',
      '| 1 | Intake | ✅ COMPLETE |',
      '',
      '## Phase 1: Intake',
      '',
      '| Agent | Status |',
      '|---|---|',
      '| in-001 | ⏳ PENDING |',
      '',
    ].join('\n');
    const t = parseMarkdown(src, 'summary.md');
    assert.equal(t.phases.length, 1);
    assert.equal(t.phases[0].status, undefined);
    assert.deepEqual(t.phases[0].effectiveStatus, { status: 'COMPLETE', source: 'own', raw: '✅ COMPLETE', line: 4 });
  });
  it('a key/value table under a phase heading gives the phase its status', () => {
    const src = ['## Phase 2: Build', '', '| Field | Value |', '|---|---|', '| Status | 🔄 IN PROGRESS |', '| Owner | team |', ''].join('\n');
    const t = parseMarkdown(src, 'kvphase.md');
    assert.equal(t.phases[0].status?.raw, '🔄 IN PROGRESS');
    assert.equal(t.phases[0].statusSource, 'own');
    assert.equal(t.header.length, 0);
    assert.deepEqual(t.coverage, { units: 1, unread: [] });
  });
});

describe('layouts: the template-shaped examples read as before', { skip: !existsSync(EXAMPLES) && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  it('no example agent comes from another layout but the one key-line task; every phase and barrier has a source', () => {
    const other: Record<string, string[]> = { 'tracks-duplicate-yaml-key': ['TASK-419@169:keyline:READY:0'] };
    for (const d of readdirSync(EXAMPLES).filter((x) => existsSync(path.join(EXAMPLES, x, MD)))) {
      const t = load(d, EXAMPLES);
      const notTemplate = t.agents.filter((a) => a.shape !== undefined || a.statusColumn !== undefined);
      assert.deepEqual(
        notTemplate.map((a) => `${a.id}@${a.row.range.start.line + 1}:${a.shape}:${a.status.status}:${a.phase}`),
        other[d] ?? [],
        d,
      );
      assert.ok(t.agents.length > 0, d);
    }
  });
  it('tracks-duplicate-yaml-key: Phase 0 takes its status from TASK-419', () => {
    const t = load('tracks-duplicate-yaml-key', EXAMPLES);
    assert.deepEqual(t.phases[0].effectiveStatus, { status: 'READY', source: 'derived' });
    assert.deepEqual(t.phases[0].agents.map((a) => a.id), ['TASK-419']);
  });
});

describe('layouts: show --json', () => {
  let work: string;
  let cli: string;
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'worktracker-layouts-'));
    cli = path.join(work, 'cli.js');
    await bundleCli(cli);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  interface Json {
    agents: { id: string; line: number; status: string; kind: string; shape: string; phase?: number }[];
    units: { id: string; line: number; status?: string; kind: string; phase?: number; statusSource?: string }[];
    phases: { number: number; statusSource?: string; effectiveStatus?: { status: string; source: string; line?: number } }[];
    gates: { id: string; line: number; statusSource?: string }[];
    coverage: { units: number; unread: { line: number; text: string }[] };
  }
  const show = (name: string): Json => {
    const r = spawnSync(process.execPath, [cli, 'show', path.join(DIR, name, MD), '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Json;
  };

  it('lists every unit with id, 1-based line, status, kind and phase; agents stay in `agents`', () => {
    for (const name of readdirSync(DIR)) {
      const m = show(name);
      const t = load(name);
      assert.deepEqual(
        m.units.map((u) => [u.id, u.line, u.status, u.kind, u.phase]),
        units(t).map(([id, line, status, kind, phase]) => [kind === 'phase' ? `phase-${phase}` : id, line, status, kind, phase]),
        name,
      );
      assert.deepEqual(m.agents.map((a) => [a.id, a.line]), t.agents.map((a) => [a.id, a.row.range.start.line + 1]), name);
      assert.equal(m.coverage.units, t.coverage.units, name);
      assert.deepEqual(m.coverage.unread.map((u) => u.line), unread(t), name);
    }
  });
  it('phases, barriers and gates carry the source of their status', () => {
    const m = show('keyvalue-sections');
    assert.deepEqual(m.phases.map((p) => [p.number, p.statusSource, p.effectiveStatus?.line]), [
      [1, 'dashboard', 14],
      [2, 'dashboard', 15],
    ]);
    assert.deepEqual(m.gates.map((g) => [g.id, g.line, g.statusSource]), [
      ['GATE-1', 45, 'own'],
      ['GATE-2', 66, 'dashboard'],
    ]);
    assert.equal(m.agents.find((a) => a.id === 'TASK-014')?.shape, 'keyvalue');
  });
});
