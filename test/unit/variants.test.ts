/**
 * Trackers shaped unlike the seven real examples (test/fixtures/variants/*): other boxes and bars,
 * Wave/Track/Spike pipelines, eight pipelines, lowercase and emoji dialects, Phase 0, unusual column
 * orders, CRLF, a BOM, YAML with a singular `pipeline`, top-level `phases`, `tracks`, `wave_gates`,
 * barriers as a mapping and anchors. Each test states what a human reader of the file sees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Status, TextEdit, Tracker } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { parseTracker } from '../../src/core/tracker';
import { setAgentStatus } from '../../src/core/edits';
import { driftFindings, selfContradictionFindings } from '../../src/core/drift';
import { isDashboardStale, isMetricsStale, redrawDashboard, syncDerived } from '../../src/core/dashboard';

const DIR = path.resolve(__dirname, '../fixtures/variants');
const NOW = new Date('2026-09-01T12:00:00Z');
const MD = 'ORCHESTRATION_WORKTRACKER.md';
const YAML = 'ORCHESTRATION.yaml';

interface Spec {
  name: string;
  bom: boolean;
  eol: '\n' | '\r\n';
  workflow: Status;
  /** [number, heading status (undefined: none), kind] */
  phases: [number, Status | undefined, string | undefined][];
  /** [id, status, [from, to, status][]] */
  barriers: [string, Status | undefined, [string, string, Status | undefined][]][];
  agents: Record<string, Status>;
  /** Planted drift, md side: `kind:id:md/yaml`. */
  drift: string[];
  /** What `mark` writes in this file's dialect. */
  writes: Partial<Record<Status, string>>;
  stale: boolean;
  /** For a dashboard that is right: plausible wrong edits of it, each of which must read as stale. */
  spoil?: [string, string][];
  header?: Record<string, string>;
}

const SPECS: Spec[] = [
  {
    name: 'waves-lowercase',
    bom: false,
    eol: '\n',
    workflow: 'IN_PROGRESS',
    phases: [
      [1, 'COMPLETE', 'wave'],
      [2, 'IN_PROGRESS', 'wave'],
      [3, 'PENDING', 'wave'],
    ],
    barriers: [
      ['barrier-1', 'COMPLETE', [['w1', 'w2', 'COMPLETE']]],
      ['barrier-2', 'PENDING', [['w2', 'w3', 'PENDING']]],
    ],
    agents: {
      'mig-w1-001': 'COMPLETE',
      'mig-w1-002': 'COMPLETE',
      'mig-w1-003': 'COMPLETE',
      'mig-w2-001': 'COMPLETE',
      'mig-w2-002': 'IN_PROGRESS',
      'mig-w3-001': 'PENDING',
      'mig-w3-002': 'PENDING',
      'mig-w3-003': 'PENDING',
    },
    drift: [],
    writes: { COMPLETE: 'complete', IN_PROGRESS: 'in_progress', PENDING: 'pending' },
    stale: false,
    spoil: [
      ['Agents: 4/8 complete', 'Agents: 5/8 complete'],
      // `Wave 2:` in the drawing is the `### Wave 2` section.
      ['Wave 2: [######......]  50%', 'Wave 2: [############] 100%'],
      ['Barrier 2: [............] pending', 'Barrier 2: [............] complete'],
    ],
  },
  {
    name: 'eight-tracks-crlf',
    bom: false,
    eol: '\r\n',
    workflow: 'IN_PROGRESS',
    phases: [
      [1, 'IN_PROGRESS', undefined],
      [2, 'PENDING', undefined],
    ],
    barriers: [
      [
        'barrier-1',
        'IN_PROGRESS',
        [
          ['all', 'h', 'IN_PROGRESS'],
          ['h', 'all', 'PENDING'],
        ],
      ],
    ],
    agents: {
      'plat-a-001': 'COMPLETE',
      'plat-b-001': 'COMPLETE',
      'plat-c-001': 'COMPLETE',
      'plat-d-001': 'COMPLETE',
      'plat-e-001': 'COMPLETE',
      'plat-f-001': 'IN_PROGRESS',
      'plat-g-001': 'FAILED',
      'plat-h-001': 'COMPLETE',
      'plat-a-002': 'IN_PROGRESS',
      'plat-b-002': 'PENDING',
      'plat-c-002': 'PENDING',
      'plat-d-002': 'PENDING',
      'plat-e-002': 'PENDING',
      'plat-f-002': 'BLOCKED',
      'plat-g-002': 'BLOCKED',
      'plat-h-002': 'PENDING',
    },
    drift: [],
    writes: { COMPLETE: '✓ DONE', IN_PROGRESS: '🔄 IN PROGRESS', PENDING: '⬜ PENDING' },
    // The drawing says 7/16 agents done; the rows say 6.
    stale: true,
  },
  {
    name: 'spikes-plus-box-bom',
    bom: true,
    eol: '\n',
    workflow: 'IN_PROGRESS',
    phases: [
      [1, 'COMPLETE', undefined],
      [2, 'IN_PROGRESS', undefined],
      [3, 'PENDING', undefined],
    ],
    barriers: [
      [
        'barrier-1',
        'COMPLETE',
        [
          ['a', 'b', 'COMPLETE'],
          ['b', 'a', 'COMPLETE'],
        ],
      ],
    ],
    agents: {
      'spk-a-001': 'COMPLETE',
      'spk-a-002': 'COMPLETE',
      'spk-b-001': 'COMPLETE',
      'spk-a-003': 'COMPLETE',
      'spk-a-004': 'SKIPPED',
      'spk-a-005': 'SKIPPED',
      'spk-b-002': 'IN_PROGRESS',
      'spk-b-003': 'PENDING',
      'spk-a-006': 'PENDING',
    },
    drift: ['agent:spk-a-006:PENDING/IN_PROGRESS'],
    writes: { COMPLETE: 'PASS', IN_PROGRESS: 'IN PROGRESS', PENDING: 'NOT STARTED' },
    stale: false,
    spoil: [
      ['Phase 2: [#######-----]  60%', 'Phase 2: [######------]  50%'],
      ['Barrier 1: [############] PASS', 'Barrier 1: [------------] NOT STARTED'],
    ],
    header: { 'Document ID': 'VIX-003-ORCH', Status: 'ACTIVE', Version: '1.2', 'Last Updated': '2026-05-19' },
  },
  {
    name: 'traffic-legend-phase0',
    bom: false,
    eol: '\n',
    workflow: 'IN_PROGRESS',
    phases: [
      [0, 'COMPLETE', undefined],
      [1, 'IN_PROGRESS', undefined],
      [2, 'BLOCKED', undefined],
    ],
    barriers: [
      [
        'barrier-1',
        'PENDING',
        [
          ['all', 'vv', 'PENDING'],
          ['vv', 'impl', 'PENDING'],
        ],
      ],
    ],
    agents: {
      'impl-s-001': 'COMPLETE',
      'vv-s-001': 'COMPLETE',
      'impl-b-001': 'COMPLETE',
      'impl-b-002': 'COMPLETE',
      'impl-b-003': 'IN_PROGRESS',
      'vv-b-001': 'FAILED',
      'vv-b-002': 'PENDING',
      'impl-c-001': 'BLOCKED',
      'vv-c-001': 'BLOCKED',
    },
    drift: ['agent:vv-b-001:FAILED/COMPLETE'],
    writes: { COMPLETE: '🟢 COMPLETE', IN_PROGRESS: '🟡 IN PROGRESS', PENDING: '⚪ PENDING' },
    stale: false,
    spoil: [
      ['Phase 1: ████████░░░░  67% 🟡', 'Phase 1: ████████████ 100% 🟢'],
      ['Phase 0: ████████████ 100% 🟢  Phase 0', 'Phase 0: ░░░░░░░░░░░░   0% ⚪  Phase 0'],
    ],
  },
  {
    name: 'ps-nse-stale-dashboard',
    bom: false,
    eol: '\n',
    // `PHASE 3 PENDING` in the header: the workflow is under way.
    workflow: 'IN_PROGRESS',
    phases: [
      [1, 'COMPLETE', undefined],
      [2, 'IN_PROGRESS', undefined],
      [3, 'PENDING', undefined],
    ],
    barriers: [
      [
        'barrier-1',
        'COMPLETE',
        [
          ['ps', 'nse', 'COMPLETE'],
          ['nse', 'ps', 'COMPLETE'],
        ],
      ],
      [
        'barrier-2',
        'PENDING',
        [
          ['ps', 'nse', 'PENDING'],
          ['nse', 'ps', 'PENDING'],
        ],
      ],
    ],
    agents: {
      'ps-r-001': 'COMPLETE',
      'nse-r-001': 'COMPLETE',
      'ps-a-002': 'COMPLETE',
      'ps-v-003': 'COMPLETE',
      'nse-a-002': 'COMPLETE',
      'nse-v-003': 'IN_PROGRESS',
      'ps-s-004': 'PENDING',
      'nse-s-004': 'PENDING',
    },
    drift: ['barrier:2:PENDING/IN_PROGRESS'],
    writes: { COMPLETE: 'COMPLETE ✅', IN_PROGRESS: 'IN PROGRESS 🔄', PENDING: 'PENDING ⏳' },
    // PS Phase 2 is drawn at 50% though both of its agents are complete.
    stale: true,
  },
  {
    name: 'single-stream-no-box',
    bom: false,
    eol: '\n',
    workflow: 'IN_PROGRESS',
    phases: [
      [1, 'COMPLETE', undefined],
      [2, 'IN_PROGRESS', undefined],
      [3, 'BLOCKED', undefined],
    ],
    // Its barrier has a `| Condition | Status |` table: no directions, no crash.
    barriers: [['barrier-1', 'COMPLETE', []]],
    agents: {
      'docs-i-001': 'COMPLETE',
      'docs-i-002': 'COMPLETE',
      'docs-c-001': 'COMPLETE',
      'docs-c-002': 'IN_PROGRESS',
      'docs-p-001': 'PENDING',
      'docs-p-002': 'BLOCKED',
    },
    drift: [],
    writes: { COMPLETE: '✅ COMPLETE', IN_PROGRESS: '🔄 IN PROGRESS', PENDING: '⬜ PENDING' },
    stale: false,
    spoil: [
      ['Phase 2 Convert    [##..]   50%', 'Phase 2 Convert    [####]  100%'],
      // No colon, no bar: the value after the column gap still counts.
      ['Barrier 1          ✅ COMPLETE', 'Barrier 1          ⬜ PENDING'],
      ['Overall: 3/6 agents complete (50%)', 'Overall: 4/6 agents complete (67%)'],
    ],
  },
  {
    name: 'streams-bare-emoji',
    bom: false,
    eol: '\n',
    // `ON TRACK` is under way.
    workflow: 'IN_PROGRESS',
    phases: [
      [1, 'COMPLETE', undefined],
      [2, 'IN_PROGRESS', undefined],
      [3, 'PENDING', undefined],
    ],
    barriers: [
      [
        'barrier-1',
        'COMPLETE',
        [
          ['a', 'b', 'COMPLETE'],
          ['b', 'a', 'COMPLETE'],
        ],
      ],
    ],
    agents: {
      'rel-a-001': 'COMPLETE',
      'rel-b-001': 'COMPLETE',
      'rel-a-002': 'COMPLETE',
      'rel-a-003': 'IN_PROGRESS',
      'rel-b-002': 'PENDING',
      'rel-a-004': 'PENDING',
      'rel-b-003': 'FAILED',
    },
    drift: [],
    // Status cells are a bare emoji: marking writes a bare emoji.
    writes: { COMPLETE: '✅', IN_PROGRESS: '🔄', PENDING: '⏳' },
    stale: false,
    spoil: [
      ['Phase 2: ▓▓▓▓▓▓______  50% 🔄', 'Phase 2: ▓▓▓▓▓▓▓▓▓▓▓▓ 100% ✅'],
      ['Overall Progress: ▓▓▓▓▓▓▓▓____ 50%', 'Overall Progress: ▓▓▓▓▓▓▓▓▓▓▓▓ 100%'],
    ],
  },
];

function read(name: string): { md: string; yaml: string } {
  // Read as bytes-to-text without stripping the BOM: the reader must keep it.
  return { md: readFileSync(path.join(DIR, name, MD), 'utf8'), yaml: readFileSync(path.join(DIR, name, YAML), 'utf8') };
}

function parse(md: string, yaml?: string): Tracker {
  return parseTracker(md, yaml, { mdFile: MD, yamlFile: YAML });
}

function apply(t: Tracker, edits: TextEdit[]): { md: string; yaml: string } {
  for (const e of edits) assert.ok(e.file === MD || e.file === YAML, `edit for an unknown file ${e.file}`);
  return {
    md: applyEdits(t.text, edits.filter((e) => e.file === MD)),
    yaml: applyEdits(t.yaml!.text, edits.filter((e) => e.file === YAML)),
  };
}

function changedLines(a: string, b: string): number[] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(y.length, x.length, 'line count changed');
  return x.map((l, i) => (l === y[i] ? -1 : i)).filter((i) => i >= 0);
}

function keepsEol(text: string, eol: '\n' | '\r\n'): boolean {
  const lf = (text.match(/\n/g) ?? []).length;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return eol === '\r\n' ? lf === crlf : crlf === 0;
}

for (const spec of SPECS) {
  const { md, yaml } = read(spec.name);
  const t = parse(md, yaml);

  test(`${spec.name}: file shape (BOM, line endings, size) is read as written`, () => {
    assert.equal(t.bom, spec.bom);
    assert.equal(t.eol, spec.eol);
    assert.ok(md.length > 2500 && md.length < 12000, `markdown is ${md.length} characters`);
    assert.deepEqual(
      t.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.deepEqual(
      t.findings.filter((f) => f.code === 'status-unknown' || f.code === 'table-malformed').map((f) => f.message),
      [],
    );
  });

  test(`${spec.name}: header, phases and barriers as a reader sees them`, () => {
    assert.equal(t.workflowStatus?.status, spec.workflow);
    assert.deepEqual(
      t.phases.map((p) => [p.number, p.status?.status, p.kind]),
      spec.phases,
    );
    assert.deepEqual(
      t.barriers.map((b) => [b.id, b.status?.status, b.directions.map((d) => [d.from, d.to, d.status?.status])]),
      spec.barriers,
    );
    for (const [k, v] of Object.entries(spec.header ?? {})) {
      assert.equal(t.header.find((f) => f.key === k)?.value, v, `header ${k}`);
    }
  });

  test(`${spec.name}: agents with canonical statuses, each under its phase, each matched in the YAML`, () => {
    const got = Object.fromEntries(t.agents.map((a) => [a.id, a.status.status]));
    assert.deepEqual(got, spec.agents);
    for (const a of t.agents) {
      assert.ok(a.phase !== undefined, `${a.id} has no phase`);
      assert.ok(t.phases.some((p) => p.number === a.phase && p.agents.includes(a)), `${a.id} not listed under phase ${a.phase}`);
      assert.ok(a.artifacts.length >= 1, `${a.id} names no artifact`);
    }
    const yamlIds = new Set(t.yaml!.agents.map((a) => a.id));
    assert.deepEqual(
      Object.keys(spec.agents).filter((id) => !yamlIds.has(id)),
      [],
      'agents missing from the YAML model',
    );
    assert.equal(t.yaml!.agents.length, Object.keys(spec.agents).length);
  });

  test(`${spec.name}: drift is exactly what was planted`, () => {
    const found = driftFindings(t)
      .filter((f) => f.file === MD)
      .map((f) => {
        const d = f.data as { kind: string; id: string; md: string; yaml: string };
        return `${d.kind}:${d.id}:${d.md}/${d.yaml}`;
      })
      .sort();
    assert.deepEqual(found, [...spec.drift].sort());
    // Every planted disagreement is also reported on the YAML side.
    assert.equal(driftFindings(t).filter((f) => f.file === YAML).length, spec.drift.length);
    assert.deepEqual(selfContradictionFindings(t).map((f) => f.message), []);
  });

  test(`${spec.name}: dashboard staleness`, () => {
    assert.ok(t.dashboard, 'dashboard found');
    const s = isDashboardStale(t);
    assert.equal(s.stale, spec.stale, s.reason ?? 'not stale');
    for (const [from, to] of spec.spoil ?? []) {
      assert.ok(md.includes(from), `spoil text ${from} is in the dashboard`);
      const spoiled = parse(md.replace(from, to), yaml);
      assert.equal(isDashboardStale(spoiled).stale, true, `after "${to}"`);
    }
  });

  test(`${spec.name}: syncDerived settles in one pass`, () => {
    const first = syncDerived(t, { now: NOW });
    assert.equal(first.length > 0, spec.stale || isMetricsStale(t).stale, 'edits only when something is stale');
    const out = apply(t, first);
    assert.ok(keepsEol(out.md, spec.eol), 'line endings kept');
    assert.equal(out.md.charCodeAt(0) === 0xfeff, spec.bom, 'BOM kept');
    const t2 = parse(out.md, out.yaml);
    assert.equal(isDashboardStale(t2).stale, false, isDashboardStale(t2).reason);
    assert.equal(isMetricsStale(t2).stale, false);
    assert.deepEqual(syncDerived(t2, { now: NOW }), []);
    // What the tables say is untouched by the sync.
    assert.deepEqual(
      t2.agents.map((a) => [a.id, a.status.raw]),
      t.agents.map((a) => [a.id, a.status.raw]),
    );
  });

  test(`${spec.name}: mark every agent COMPLETE / IN_PROGRESS / PENDING in the file's dialect`, () => {
    const yamlLower = t.yaml!.agents.every((y) => String(y.status?.value) === String(y.status?.value).toLowerCase());
    for (const a of t.agents) {
      const rowLine = a.row.range.start.line;
      const ya = t.yaml!.agents.find((y) => y.id === a.id)!;
      for (const status of ['COMPLETE', 'IN_PROGRESS', 'PENDING'] as Status[]) {
        const edits = setAgentStatus(t, a.id, status, { now: NOW });
        const out = apply(t, edits);
        const t2 = parse(out.md, out.yaml);
        const a2 = t2.agents.find((x) => x.id === a.id)!;
        assert.equal(a2.status.status, status, `${a.id} -> ${status}: reads ${a2.status.raw}`);
        if (a.status.status !== status) assert.equal(a2.status.raw, spec.writes[status], `${a.id} -> ${status} written in the file's dialect`);
        else assert.equal(a2.status.raw, a.status.raw, `${a.id} already ${status}: status cell kept`);
        // The YAML says the same, in the YAML's own case.
        const y2 = t2.yaml!.agents.find((y) => y.id === a.id)!;
        assert.ok(y2.status, 'YAML status kept');
        if (yamlLower) assert.equal(String(y2.status.value), String(y2.status.value).toLowerCase(), 'lowercase YAML stays lowercase');
        else assert.equal(String(y2.status.value), String(y2.status.value).toUpperCase(), 'upper-case YAML stays upper case');
        assert.equal(driftFindings(t2).some((f) => (f.data as { id?: string }).id === a.id), false, `${a.id} -> ${status} leaves drift`);
        // Only the agent's row and its YAML entry change.
        for (const l of changedLines(t.text, out.md)) assert.equal(l, rowLine, `${a.id} -> ${status} changed md line ${l + 1}`);
        for (const l of changedLines(t.yaml!.text, out.yaml)) {
          assert.ok(l >= ya.range.start.line && l <= ya.range.end.line, `${a.id} -> ${status} changed YAML line ${l + 1} outside its entry`);
        }
        // Every other agent reads as before.
        for (const o of t.agents) if (o.id !== a.id) assert.equal(t2.agents.find((x) => x.id === o.id)?.status.raw, o.status.raw);
        assert.ok(keepsEol(out.md, spec.eol) && keepsEol(out.yaml, t.yaml!.text.includes('\r\n') ? '\r\n' : '\n'), 'line endings kept');
        assert.equal(out.md.charCodeAt(0) === 0xfeff, spec.bom, 'BOM kept');
      }
    }
  });
}

test('a `| Condition | Status |` table under a barrier is neither an agent nor a direction table', () => {
  const t = parse(read('single-stream-no-box').md);
  const cond = t.tables.find((x) => x.header.cells[0]?.text === 'Condition');
  assert.ok(cond);
  assert.equal(cond.kind, 'other');
  assert.equal(t.barriers[0].directions.length, 0);
  // Task coverage under Metrics repeats task ids: not agents.
  assert.equal(t.agents.some((a) => a.id.startsWith('TASK-')), false);
});

test('plural section headings (`## Waves`, `## Tracks`) are not wave S / track S', () => {
  const md = ['# T', '', '## 2. Tracks', '', '### Track A: Intake - COMPLETE', '', '| Agent | Status |', '|---|---|', '| t-a-001 | COMPLETE |', ''].join('\n');
  const t = parse(md);
  assert.deepEqual(
    t.phases.map((p) => [p.kind, p.number, p.label]),
    [['track', 1, 'Track A']],
  );
});

test('a header written as one plain `|`-separated line before the first section is read', () => {
  const md = '# T\n\n**Status:** PAUSED | **Version:** 3 | **Last Updated:** 2026-01-02\n\n## Phase 1 - PENDING\n';
  const t = parse(md);
  assert.equal(t.workflowStatus?.status, 'BLOCKED');
  assert.equal(t.workflowStatus?.raw, 'PAUSED');
  assert.equal(t.lastUpdated?.value, '2026-01-02');
  // The same line under a section is body text, not the header.
  const later = parse('# T\n\n## Notes\n\n**Status:** PAUSED | **Version:** 3\n');
  assert.equal(later.workflowStatus, undefined);
});

test('`PHASE N PENDING` as the workflow status reads as under way; a bare PENDING does not', () => {
  assert.equal(parse('# T\n\n> **Status:** PHASE 3 PENDING\n').workflowStatus?.status, 'IN_PROGRESS');
  assert.equal(parse('# T\n\n> **Status:** PENDING\n').workflowStatus?.status, 'PENDING');
  assert.equal(parse('# T\n\n> **Status:** PHASE 2 BLOCKED\n').workflowStatus?.status, 'BLOCKED');
});

test('phase and barrier headings: status as a leading or trailing emoji, in brackets, after `|`; wave gates', () => {
  const cases: [string, number | string, Status | undefined, string][] = [
    ['### ✅ Phase 1: Research', 1, 'COMPLETE', 'Research'],
    ['### Phase 1 - Research 🔄', 1, 'IN_PROGRESS', 'Research'],
    ['### PHASE 1: RESEARCH [DONE]', 1, 'COMPLETE', 'RESEARCH'],
    ['### Phase 1 — Research (BLOCKED)', 1, 'BLOCKED', 'Research'],
    ['### Phase 1 | Research | PENDING', 1, 'PENDING', 'Research'],
    ['### **Phase 1: Research** - COMPLETE', 1, 'COMPLETE', 'Research'],
    // A reason in brackets is not a status; the title keeps it.
    ['### Phase 2: Review (by Phase 1 owners)', 2, undefined, 'Review (by Phase 1 owners)'],
    ['### Phase 2: Pending Items Review', 2, undefined, 'Pending Items Review'],
    ['### Wave Gate 3 — PASSED', 'wave-gate-3', 'COMPLETE', ''],
  ];
  for (const [h, id, status, title] of cases) {
    const t = parse(`# T\n\n## Log\n\n${h}\n\n| Agent | Status |\n|---|---|\n| x-001 | DONE |\n`);
    if (typeof id === 'number') {
      assert.equal(t.phases.length, 1, h);
      assert.equal(t.phases[0].number, id, h);
      assert.equal(t.phases[0].status?.status, status, h);
      assert.equal(t.phases[0].title, title, h);
    } else {
      assert.equal(t.barriers[0]?.id, id, h);
      assert.equal(t.barriers[0]?.status?.status, status, h);
    }
  }
});

test('a heading whose status is a lone emoji is re-marked with an emoji, the rest of the line kept', async () => {
  const { setPhaseStatus } = await import('../../src/core/edits');
  const md = '# T\n\n## Log\n\n### ✅ Phase 1: Research\n\n| Agent | Status |\n|---|---|\n| x-001 | 🔄 |\n';
  const t = parse(md);
  const out = applyEdits(md, setPhaseStatus(t, 1, 'IN_PROGRESS'));
  assert.equal(out.split('\n')[4], '### 🔄 Phase 1: Research');
  assert.equal(parse(out).phases[0].status?.status, 'IN_PROGRESS');
});

test('`| Agent | State | Output |` is an agent table; a checkpoint `State` column is not a status', () => {
  const t = parse('# T\n\n## Phase 1\n\n| Agent | State | Output |\n|---|---|---|\n| a-001 | DONE | `x/a.md` |\n| a-002 | RUNNING | `x/b.md` |\n');
  assert.deepEqual(
    t.agents.map((a) => [a.id, a.status.status]),
    [
      ['a-001', 'COMPLETE'],
      ['a-002', 'IN_PROGRESS'],
    ],
  );
  const cp = parse('# T\n\n## Checkpoints\n\n| ID | Timestamp | Trigger | State | Recovery Point |\n|---|---|---|---|---|\n| CP-001 | 2026-01-01 | PHASE_COMPLETE | done | b1 |\n');
  assert.equal(cp.agents.length, 0);
  assert.equal(cp.checkpoints.length, 1);
});

test('sync puts a stale `Wave N` value back in place, in the file\'s own bar and padding', () => {
  const { md, yaml } = read('waves-lowercase');
  const t = parse(md.replace('Wave 2: [######......]  50%', 'Wave 2: [############] 100%'), yaml);
  assert.equal(isDashboardStale(t).stale, true);
  const out = apply(t, syncDerived(t, { now: NOW }));
  const lines = (s: string) => s.split('\n').filter((l) => !/Last Updated/.test(l));
  assert.deepEqual(lines(out.md), lines(md), 'only the one value span moved back; every other line is byte-identical');
});

test('a redrawn dashboard uses the file\'s words: `Wave N` labels, lowercase statuses', () => {
  const { md, yaml } = read('waves-lowercase');
  const t = parse(md.replace('Wave 2: [######......]  50%', 'Wave 2: [############] 100%'), yaml);
  assert.equal(isDashboardStale(t).stale, true);
  const out = apply(t, [redrawDashboard(t)!]);
  const t2 = parse(out.md, out.yaml);
  const d = t2.dashboard!.text;
  assert.match(d, /Wave 2 \(Adapter Rewrite\):\s+\[######\.\.\.\.\.\.\]\s+50% in_progress/);
  assert.match(d, /Barrier 1: \[#+\] complete/);
  assert.doesNotMatch(d, /IN_PROGRESS|COMPLETE|PENDING|Phase \d/);
  assert.ok(d.startsWith('┌') && d.includes('│'), 'box style kept');
  assert.equal(isDashboardStale(t2).stale, false);
});
