import { test } from 'node:test';
import { pipeColumns } from './helpers';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createMarkdownCache, parseMarkdown } from '../../src/core/markdown';
import { parseTracker } from '../../src/core/tracker';
import { LineIndex, applyEdits } from '../../src/core/text';
import type { Range, Tracker } from '../../src/core/model';
import { setAgentStatus } from '../../src/core/edits';

const EXAMPLES = path.resolve(__dirname, '../../../shared/format/examples');
const haveExamples = existsSync(EXAMPLES);
const FIXTURES = path.resolve(__dirname, '../fixtures/markdown');

function example(name: string): string {
  return readFileSync(path.join(EXAMPLES, name, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8');
}

type Md = Omit<Tracker, 'yaml'>;

function slice(text: string, r: Range): string {
  return text.slice(r.start.offset, r.end.offset);
}

/** Every range the reader hands out slices the source to what it claims, with consistent line/column. */
function checkRanges(t: Md): void {
  const li = new LineIndex(t.text);
  const pos = (r: Range, what: string) => {
    assert.deepEqual(r.start, li.position(r.start.offset), `${what} start position`);
    assert.deepEqual(r.end, li.position(r.end.offset), `${what} end position`);
    assert.ok(r.start.offset <= r.end.offset, `${what} ordered`);
  };
  for (const table of t.tables) {
    for (const row of [table.header, ...table.rows]) {
      pos(row.range, 'row');
      assert.ok(!/[\r\n]/.test(slice(t.text, row.range)), 'row range is one line');
      for (const c of row.cells) {
        assert.equal(slice(t.text, c.range), c.text);
        pos(c.range, 'cell');
        pos(c.outer, 'outer');
        assert.ok(c.outer.start.offset <= c.range.start.offset && c.range.end.offset <= c.outer.end.offset, 'cell inside its outer range');
        assert.ok(!/(^[ \t])|([ \t]$)/.test(c.text), 'cell text trimmed');
      }
    }
  }
  const statuses = [
    ...t.agents.map((a) => a.status),
    ...t.phases.flatMap((p) => (p.status ? [p.status] : [])),
    ...t.barriers.flatMap((b) => (b.status ? [b.status] : [])),
    ...t.barriers.flatMap((b) => b.directions.flatMap((d) => (d.status ? [d.status] : []))),
    ...(t.workflowStatus ? [t.workflowStatus] : []),
  ];
  for (const s of statuses) {
    assert.equal(slice(t.text, s.range), s.raw);
    pos(s.range, 'status');
  }
  for (const item of t.checklist) {
    assert.match(slice(t.text, item.checkRange), /^[ xX]$/);
    assert.equal(item.checked, slice(t.text, item.checkRange) !== ' ');
    pos(item.checkRange, 'check');
  }
  for (const a of t.artifacts) assert.equal(slice(t.text, a.range), a.path);
  for (const h of t.headings) assert.equal(slice(t.text, h.range), h.text);
  for (const f of t.header) assert.equal(slice(t.text, f.range), f.value);
  if (t.dashboard) assert.equal(slice(t.text, t.dashboard.contentRange), t.dashboard.text);
  for (const f of t.findings) pos(f.range, 'finding');
}

function agent(t: Md, id: string) {
  const a = t.agents.find((x) => x.id === id);
  assert.ok(a, `agent ${id}`);
  return a;
}

// ---------------------------------------------------------------- the real examples

test('examples: ranges are exact in every example', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  for (const d of readdirSync(EXAMPLES).filter((x) => existsSync(path.join(EXAMPLES, x, 'ORCHESTRATION_WORKTRACKER.md')))) {
    const t = parseMarkdown(example(d), `${d}.md`);
    checkRanges(t);
    assert.ok(t.phases.length > 0, `${d} has phases`);
    assert.ok(t.agents.length > 0, `${d} has agents`);
    assert.deepEqual(
      t.findings.filter((f) => f.severity === 'error'),
      [],
      `${d} reads without errors`,
    );
  }
});

test('example two-pipelines-v1: template layout, emoji dialect', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const t = parseMarkdown(example('two-pipelines-v1'), 'w.md');
  assert.deepEqual(
    t.phases.map((p) => [p.number, p.status?.raw]),
    [
      [1, 'COMPLETE'],
      [2, 'COMPLETE'],
      [3, 'PENDING'],
      [4, 'PENDING'],
    ],
  );
  assert.equal(t.agents.length, 20);
  assert.equal(agent(t, 'ps-r-001').status.raw, '✅ DONE');
  assert.equal(agent(t, 'ps-r-001').status.status, 'COMPLETE');
  assert.equal(agent(t, 'nse-f-002').status.status, 'PENDING');
  assert.equal(agent(t, 'nse-f-002').phase, 3);
  assert.equal(agent(t, 'nse-f-002').pipeline, 'nse-* Phase 3: Formal');
  assert.deepEqual(agent(t, 'ps-r-002').artifacts.map((a) => [a.path, a.agentId]), [['agent-design.md', 'ps-r-002']]);
  assert.deepEqual(t.phases[0].groups.map((g) => g.alias), ['ps', 'nse']);
  assert.equal(t.barriers.length, 4);
  assert.deepEqual(t.barriers[0].directions.map((d) => [d.from, d.to, d.status?.status]), [
    ['ps', 'nse', 'COMPLETE'],
    ['nse', 'ps', 'COMPLETE'],
  ]);
  assert.equal(t.barriers[2].status?.status, 'PENDING');
  assert.equal(t.barriers[0].checklist.length, 2);
  assert.equal(t.barriers[0].checklist[0].artifact?.path, 'cross-pollination/barrier-1/ps-to-nse/research-findings.md');
  assert.equal(t.workflowStatus?.raw, 'PHASE 3 PENDING');
  assert.equal(t.lastUpdated?.value, '2026-01-10');
  assert.equal(t.queue.length, 14);
  assert.equal(t.queue[0].cells.agent?.text, 'ps-d-001');
  assert.equal(t.queue[0].status?.status, 'READY');
  assert.equal(t.checkpoints.length, 5);
  assert.equal(t.metrics?.rows[0].cells.metric?.text, 'Phases Complete');
  assert.equal(t.nextActions.length, 14);
  assert.equal(t.nextActions[0].checked, false);
  assert.equal(t.dialect.spelling.COMPLETE, '✅ DONE');
  assert.equal(t.dialect.dateStyle, 'date');
  assert.ok(t.dashboard?.fenced);
  assert.ok(t.dashboard?.text.startsWith('╔'));
  // Phase 1 section ends before the barrier heading.
  assert.ok(t.phases[0].range.end.offset < t.barriers[0].heading.range.start.offset);
});

test('example em-dash-headings: em-dash statuses, Step groups, revision ids', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const t = parseMarkdown(example('em-dash-headings'), 'e.md');
  assert.deepEqual(
    t.phases.map((p) => [p.number, p.title, p.status?.raw]),
    [
      [1, 'Root Cause Fix (TASK-001)', 'COMPLETE'],
      [2, 'Parallel Improvements (TASK-002 + TASK-003)', 'COMPLETE'],
    ],
  );
  assert.equal(t.phases[0].groups.length, 4);
  assert.equal(t.phases[0].groups[0].title, 'Step 1: CREATE — ps-architect-task001');
  assert.equal(t.agents.length, 12);
  assert.ok(t.agents.some((a) => a.id === 'ps-architect-task001-rev'));
  assert.equal(agent(t, 'ps-critic-task002').extra.Step?.text, 'CRITIQUE');
  assert.equal(t.findings.filter((f) => f.code === 'id-duplicate').length, 0);
  assert.deepEqual(t.barriers.map((b) => [b.id, b.title, b.status?.raw]), [['barrier-1', 'TASK-001 Completion Gate', 'COMPLETE']]);
  assert.equal(t.dialect.dateStyle, 'iso');
});

test('example overflowing-dashboard: status with a reason keeps only the word in range', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const src = example('overflowing-dashboard');
  const t = parseMarkdown(src, 'o.md');
  const p3 = t.phases.find((p) => p.number === 3);
  assert.equal(p3?.status?.raw, 'READY');
  assert.equal(p3?.heading.text, '2.5 PHASE 3 - READY (Barrier 2 complete)');
  const p4 = t.phases.find((p) => p.number === 4);
  assert.equal(p4?.status?.raw, 'PENDING');
  assert.equal(t.agents.length, 21);
  assert.deepEqual(agent(t, 'ps-researcher-001').artifacts.map((a) => a.path), ['competitive-landscape.md']);
  assert.deepEqual(t.phases[0].groups.map((g) => g.alias), ['ps', 'nse']);
  assert.equal(t.workflowStatus?.status, 'IN_PROGRESS');
  assert.equal(t.lastUpdated?.value, '2026-02-22 (Barrier 2 complete)');
  // Editing the phase status in place leaves the reason.
  const edited = applyEdits(src, [{ range: p3!.status!.range, newText: 'IN_PROGRESS' }]);
  assert.ok(edited.includes('### 2.5 PHASE 3 - IN_PROGRESS (Barrier 2 complete)'));
});

test('example pipe-header-barrier-map: one-line header, Status lines, QG barrier', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const t = parseMarkdown(example('pipe-header-barrier-map'), 'p.md');
  assert.equal(t.workflowStatus?.raw, 'COMPLETED');
  const keys = t.header.map((h) => h.key);
  assert.ok(keys.includes('Document ID') && keys.includes('Version') && keys.includes('Workflow ID'));
  // Both the one-line header and the metadata table are read; the header line comes first.
  assert.deepEqual(
    t.header.filter((h) => h.key === 'Status').map((h) => h.value),
    ['COMPLETED', 'ACTIVE'],
  );
  assert.equal(t.phases.length, 5);
  assert.deepEqual(t.phases.map((p) => p.status?.raw), ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
  assert.equal(t.phases[0].title, 'Evidence Collection & Literature Review');
  assert.equal(t.agents.length, 21);
  const r = agent(t, 'ps-researcher-001');
  assert.equal(r.role?.text.startsWith('Academic literature'), true);
  assert.equal(r.artifacts[0].path, 'orchestration/llm-deception-20260221-001/ps/phase-1-evidence/ps-researcher-001/ps-researcher-001-output.md');
  assert.deepEqual(t.phases[0].groups.map((g) => g.alias), ['ps', 'nse']);
  assert.deepEqual(
    t.barriers.map((b) => [b.id, b.status?.raw]),
    [
      ['barrier-1', 'PASSED'],
      ['barrier-2', 'COMPLETED'],
      ['barrier-3', 'COMPLETED'],
      ['barrier-4', 'COMPLETED'],
      ['qg-5', 'PASSED'],
    ],
  );
  assert.equal(t.barriers[0].directions[0].from, 'PS');
  assert.match(t.barriers[0].directions[0].artifacts[0].path, /ps-to-nse-handoff\.md$/);
  // Queue tables with `Agent ID` + Priority are queue, not agents.
  assert.ok(t.queue.length >= 20);
  assert.equal(t.checkpoints.length, 2);
});

test('example tracks-duplicate-yaml-key: Phase 0, tracks as phase-like sections, legend', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const t = parseMarkdown(example('tracks-duplicate-yaml-key'), 't.md');
  assert.deepEqual(
    t.phases.map((p) => [p.number, p.kind, p.label]),
    [
      [0, undefined, undefined],
      [1, 'track', 'Track A'],
      [2, 'track', 'Track B'],
    ],
  );
  assert.equal(t.phases[1].status?.raw, '🔒 BLOCKED');
  assert.equal(t.phases[1].groups.length, 4);
  assert.equal(t.phases[1].groups[0].title, 'EN-027: Agent Definition Compliance');
  // TASK-419 under Phase 0 is a heading with a `**Status:**` key line; the 24 others are task rows.
  assert.equal(t.agents.length, 25);
  assert.equal(agent(t, 'TASK-419').phase, 0);
  assert.equal(agent(t, 'TASK-419').status.raw, '⬜ READY');
  assert.equal(agent(t, 'TASK-400').status.raw, '🔒 BLOCKED');
  assert.equal(agent(t, 'TASK-424').phase, 2);
  assert.equal(t.dialect.emoji.PENDING, '⬜');
  assert.equal(t.dialect.emoji.FAILED, '❌');
  assert.equal(t.dashboard?.heading?.text, 'Progress Dashboard');
  assert.equal(t.lastUpdated?.value, '2026-01-31T05:00:00Z');
});

test('example single-pipeline-streams: Role column, Stream groups, task tables outside phases are not agents', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const t = parseMarkdown(example('single-pipeline-streams'), 's.md');
  assert.deepEqual(t.phases.map((p) => p.status?.status), ['COMPLETE', 'PENDING', 'BLOCKED', 'BLOCKED', 'BLOCKED']);
  assert.equal(t.agents.length, 18);
  assert.ok(!t.agents.some((a) => a.id.startsWith('TASK-')));
  assert.ok(!t.agents.some((a) => a.id.startsWith('S-0')), 'strategy tables are not agents');
  assert.deepEqual(t.phases[1].groups.map((g) => g.alias), ['a', 'b', 'c']);
  assert.equal(agent(t, 'fix-creator-task001').pipeline, 'Stream A: TASK-001 (UserPromptSubmit) - CRITICAL Priority');
  assert.equal(agent(t, 'adv-scorer-p1').role?.text, 'S-014 quality scoring');
  assert.equal(t.barriers.length, 3);
  assert.equal(t.barriers[0].status?.raw, 'COMPLETE');
  assert.equal(t.phases[0].checklist.filter((c) => c.checked).length, 11);
});

test('example three-pipelines: ids with a role in brackets, convergent phase without groups', { skip: !haveExamples && `${EXAMPLES} is absent (a clone without ../shared)` }, () => {
  const t = parseMarkdown(example('three-pipelines'), 'x.md');
  assert.deepEqual(t.agents.map((a) => a.id), ['agent-a-001', 'agent-b-001', 'agent-a-002', 'agent-b-002', 'agent-c-001']);
  assert.deepEqual(t.phases.map((p) => [p.title, p.status?.raw]), [
    ['Research', 'IN_PROGRESS'],
    ['Analysis', 'IN_PROGRESS'],
    ['Decision (Convergent)', 'COMPLETE'],
  ]);
  assert.equal(t.phases[2].groups.length, 0);
  assert.equal(t.workflowStatus?.status, 'COMPLETE');
  assert.equal(t.barriers[0].directions[0].to, 'spike-002');
});

// ---------------------------------------------------------------- edge cases

const SMALL = [
  '# Tracker',
  '',
  '> **Status:** ACTIVE',
  '> **Last Updated:** 2026-02-11',
  '',
  '### 2.1 PHASE 1 - IN_PROGRESS',
  '',
  '#### Pipeline A Phase 1: Research',
  '',
  '| Agent | Status | Started | Completed | Artifacts | Notes |',
  '|-------|--------|---------|-----------|-----------|-------|',
  '| agent-a-001 | COMPLETE | 2026-02-10 | 2026-02-11 | `docs/a.md` | ok |',
  '| agent-a-002 | IN PROGRESS 🔄 | 2026-02-11 | - | b.md, c.md | - |',
  '',
  '**Phase 1 Artifacts:**',
  '- [x] `docs/a.md`',
  '- [ ] `docs/b.md`',
  '',
  '### 2.2 BARRIER 1 - PENDING',
  '',
  '| Direction | Artifact | Status | Key Content |',
  '|-----------|----------|--------|-------------|',
  '| a→b | `x/a-to-b.md` | ⏳ PENDING | summary |',
  '',
  '## Next Actions',
  '',
  '1. [ ] Run agent-a-002',
  '',
].join('\n');

test('small tracker: everything in place', () => {
  const t = parseMarkdown(SMALL, 'small.md');
  checkRanges(t);
  assert.equal(t.phases.length, 1);
  assert.equal(t.phases[0].agents.length, 2);
  assert.equal(t.phases[0].groups[0].alias, 'a');
  assert.equal(agent(t, 'agent-a-002').status.status, 'IN_PROGRESS');
  assert.deepEqual(agent(t, 'agent-a-002').artifacts.map((a) => a.path), ['b.md', 'c.md']);
  assert.equal(t.phases[0].checklist.length, 2);
  assert.equal(t.barriers[0].directions[0].artifacts[0].path, 'x/a-to-b.md');
  assert.equal(t.nextActions.length, 1);
  assert.equal(t.workflowStatus?.status, 'IN_PROGRESS');
  assert.equal(t.findings.length, 0);
  assert.ok(t.tables[0].aligned === false);
});

test('CRLF: ranges exclude the \\r, eol detected', () => {
  const src = SMALL.replace(/\n/g, '\r\n');
  const t = parseMarkdown(src, 'crlf.md');
  checkRanges(t);
  assert.equal(t.eol, '\r\n');
  assert.equal(t.agents.length, 2);
  for (const row of t.tables.flatMap((x) => x.rows)) assert.ok(!slice(src, row.range).endsWith('\r'));
  const a = agent(t, 'agent-a-001');
  assert.equal(slice(src, a.status.range), 'COMPLETE');
});

test('BOM: offsets stay relative to the given text', () => {
  const src = '\uFEFF' + SMALL;
  const t = parseMarkdown(src, 'bom.md');
  checkRanges(t);
  assert.equal(t.bom, true);
  assert.equal(t.title?.text, 'Tracker');
  assert.equal(t.title?.range.start.offset, 3);
  assert.equal(agent(t, 'agent-a-001').idCell.range.start.offset, src.indexOf('agent-a-001'));
  assert.equal(parseMarkdown('\uFEFF', 'b.md').bom, true);
  assert.equal(parseMarkdown('\uFEFF', 'b.md').findings.length, 0);
});

test('tabs, escaped pipes and code spans with pipes stay inside their cell', () => {
  const src = [
    '### PHASE 1 - PENDING',
    '',
    '| Agent | Status | Artifacts | Notes |',
    '|---|---|---|---|',
    '|\tagent-1\t|\tPENDING\t| `a|b.md` | uses \\| pipe |',
    '| agent-2 | COMPLETE | `x.md` | `cmd || other` and \\|\\| |',
    '',
  ].join('\n');
  const t = parseMarkdown(src, 'pipes.md');
  checkRanges(t);
  assert.equal(t.agents.length, 2);
  assert.equal(agent(t, 'agent-1').status.raw, 'PENDING');
  assert.equal(agent(t, 'agent-1').artifactCell?.text, '`a|b.md`');
  assert.equal(agent(t, 'agent-1').notes?.text, 'uses \\| pipe');
  assert.equal(agent(t, 'agent-2').notes?.text, '`cmd || other` and \\|\\|');
  assert.equal(t.findings.filter((f) => f.code === 'table-malformed').length, 0);
  // The outer range of a tab-padded cell includes the tabs.
  assert.equal(slice(src, agent(t, 'agent-1').idCell.outer), '\tagent-1\t');
});

test('tables inside blockquotes and lists get exact ranges', () => {
  const src = [
    '### PHASE 1 - PENDING',
    '',
    '> | Agent | Status |',
    '> |---|---|',
    '> | q-1 | COMPLETE |',
    '',
    '- item',
    '',
    '  | Agent | Status |',
    '  |---|---|',
    '  | l-1 | PENDING |',
    '',
  ].join('\n');
  const t = parseMarkdown(src, 'nested.md');
  checkRanges(t);
  assert.deepEqual(t.agents.map((a) => [a.id, a.status.status]), [
    ['q-1', 'COMPLETE'],
    ['l-1', 'PENDING'],
  ]);
  const q = agent(t, 'q-1');
  // In a blockquote the row starts after `> `, never at the `>`.
  assert.equal(slice(src, q.row.range), '| q-1 | COMPLETE |');
});

test('malformed rows are reported with their range, not dropped silently', () => {
  const src = ['### PHASE 1 - PENDING', '', '| Agent | Status | Notes |', '|---|---|---|', '| a-1 | PENDING |', '| a-2 | WHATEVER | x | extra |', ''].join('\n');
  const t = parseMarkdown(src, 'bad.md');
  checkRanges(t);
  const mal = t.findings.filter((f) => f.code === 'table-malformed');
  assert.equal(mal.length, 2);
  assert.equal(mal[0].range.start.line, 4);
  assert.equal(mal[0].file, 'bad.md');
  const unk = t.findings.filter((f) => f.code === 'status-unknown');
  assert.equal(unk.length, 1);
  assert.equal(slice(src, unk[0].range), 'WHATEVER');
});

test('duplicate agent ids: only within one table or one phase; once per phase and queue repeats are normal', () => {
  const src = [
    '### PHASE 1 - PENDING',
    '| Agent | Status |',
    '|---|---|',
    '| a-1 | PENDING |',
    '',
    '### PHASE 2 - PENDING',
    '| Agent | Status |',
    '|---|---|',
    '| a-1 | PENDING |',
    '| a-1-rev | PENDING |',
    '',
    '#### Pipeline B Phase 2',
    '| Agent | Status |',
    '|---|---|',
    '| a-1-rev | PENDING |',
    '| b-1 | PENDING |',
    '| b-1 | COMPLETE |',
    '',
    '## Queue',
    '| Priority | Agent | Status |',
    '|---|---|---|',
    '| 1 | a-1 | READY |',
    '',
  ].join('\n');
  const t = parseMarkdown(src, 'dup.md');
  const dups = t.findings.filter((f) => f.code === 'id-duplicate');
  // a-1 once in phase 1 and once in phase 2: normal. a-1-rev twice in phase 2, b-1 twice in one table.
  assert.deepEqual(
    dups.map((d) => [d.range.start.line, d.related?.[0].range.start.line]),
    [
      [14, 9],
      [16, 15],
    ],
  );
  assert.match(dups[0].message, /twice in Phase 2/);
  assert.match(dups[1].message, /twice in the same table/);
  assert.equal(t.queue.length, 1);
});

test('dashboard: pipes inside the fence are not a table; unterminated fence swallows the rest safely', () => {
  const src = ['## 1. Execution Dashboard', '', '```', '| a | b |', '|---|---|', '| 1 | 2 |', '```', '', '### PHASE 1 - PENDING', ''].join('\n');
  const t = parseMarkdown(src, 'dash.md');
  checkRanges(t);
  assert.equal(t.tables.length, 0);
  assert.equal(t.dashboard?.fenced, true);
  assert.equal(t.dashboard?.text, '| a | b |\n|---|---|\n| 1 | 2 |');
  assert.equal(t.phases.length, 1);

  const open = ['## Progress Dashboard', '```', '+==+', '| x |', '', '### PHASE 1 - PENDING', '| Agent | Status |', '|---|---|', '| a | PENDING |'].join('\n');
  const u = parseMarkdown(open, 'open.md');
  checkRanges(u);
  assert.equal(u.phases.length, 0, 'an unterminated fence hides what follows');
  assert.equal(u.agents.length, 0);
  assert.ok(u.dashboard?.text.startsWith('+==+'));
});

test('empty, BOM-only, garbage, NUL and lone CR inputs never throw', () => {
  const bytes = readFileSync(path.join(FIXTURES, 'garbage.bin'));
  const inputs = [
    '',
    '\uFEFF',
    '\u0000\u0000| a |\u0000',
    bytes.toString('utf8'),
    bytes.toString('latin1'),
    '# T\r\r### PHASE 1 - PENDING\r| Agent | Status |\r|---|---|\r| a | PENDING |\r',
    '|',
    '| a |\n|',
    '```',
    '<!--',
    '\uD800|\uDC00|',
  ];
  for (const s of inputs) {
    const t = parseMarkdown(s, 'g.md');
    checkRanges(t);
    assert.equal(t.text, s);
  }
  const cr = parseMarkdown(inputs[5], 'cr.md');
  assert.deepEqual(cr.agents.map((a) => a.id), ['a']);
  // `# T\r\r` is two lines, so the row is line 5 (0-based): a lone CR ends a line like LF does.
  assert.equal(cr.agents[0].row.range.start.line, 5);
});

test('a 10 000-column row is cut into 10 000 cells', () => {
  const n = 10000;
  const header = '|' + Array.from({ length: n }, (_, i) => ` h${i} `).join('|') + '|';
  const sep = '|' + '---|'.repeat(n);
  const row = '|' + Array.from({ length: n }, (_, i) => ` v${i} `).join('|') + '|';
  const t = parseMarkdown([header, sep, row].join('\n'), 'wide.md');
  assert.equal(t.tables[0].rows[0].cells.length, n);
  assert.equal(t.tables[0].rows[0].cells[n - 1].text, `v${n - 1}`);
  // Header and row cells have the same widths here, so the table counts as aligned.
  assert.equal(t.tables[0].aligned, true);
});

test('a 5 MB tracker parses', () => {
  // Phases with agent tables, then a very long fenced session log: the size real trackers reach
  // (remark needs minutes for 5 MB of tables on a loaded machine, so most of the bulk is fenced).
  const parts: string[] = ['# Big', '', '> **Status:** ACTIVE', ''];
  for (let phase = 1; phase <= 40; phase++) {
    parts.push(`### PHASE ${phase} - PENDING`, '', '| Agent | Status | Artifacts |', '|---|---|---|');
    for (let i = 0; i < 25; i++) parts.push(`| ag-${phase}-${i} | ✅ DONE | \`out/${phase}/${i}.md\` |`);
    parts.push('', `- [ ] \`out/${phase}/x.md\``, '');
  }
  parts.push('## Session Log', '', '```');
  const line = '2026-02-11T14:25 | ag-1-1 | ✅ DONE | wrote out/1/1.md ║ ████████░░░░ 66%';
  const head = parts.join('\n');
  const n = Math.ceil((5_000_000 - head.length) / (line.length + 1));
  const src = head + '\n' + Array.from({ length: n }, () => line).join('\n') + '\n```\n\n## Next Actions\n\n- [ ] `done.md`\n';
  const t = parseMarkdown(src, 'big.md');
  assert.ok(src.length >= 5_000_000);
  assert.equal(t.agents.length, 1000);
  assert.equal(t.tables.length, 40, 'the pipes in the fenced log are not tables');
  assert.equal(t.nextActions.length, 1);
  assert.equal(t.findings.filter((f) => f.severity === 'error').length, 0);
  const last = t.agents[t.agents.length - 1];
  assert.equal(slice(src, last.idCell.range), last.id);
  assert.equal(slice(src, t.nextActions[0].checkRange), ' ');
});

test('header: one-line pipe variant and key/value metadata table', () => {
  const src = [
    '# T',
    '',
    '> **Document ID:** X-1 | **Status:** COMPLETE | **Version:** 2.0',
    '',
    '## Workflow Metadata',
    '',
    '| Status | ACTIVE |',
    '|---|---|',
    '| Last Updated | 2026-02-22 |',
    '',
  ].join('\n');
  const t = parseMarkdown(src, 'h.md');
  checkRanges(t);
  assert.deepEqual(t.header.map((h) => [h.key, h.value]), [
    ['Document ID', 'X-1'],
    ['Status', 'COMPLETE'],
    ['Version', '2.0'],
    ['Status', 'ACTIVE'],
    ['Last Updated', '2026-02-22'],
  ]);
  assert.equal(t.workflowStatus?.status, 'COMPLETE');
  assert.equal(t.lastUpdated?.value, '2026-02-22');
});

test('phase heading variants', () => {
  const cases: [string, number, string, string | undefined][] = [
    ['### 2.1 PHASE 1 - COMPLETE', 1, '', 'COMPLETE'],
    ['### PHASE 2 — Root Cause Fix — COMPLETE', 2, 'Root Cause Fix', 'COMPLETE'],
    ['### PHASE 3 -- Build -- IN PROGRESS', 3, 'Build', 'IN PROGRESS'],
    ['## PHASE 4: Name - BLOCKED (by Phase 1)', 4, 'Name', 'BLOCKED'],
    ['#### Phase 5: Pending Items Review', 5, 'Pending Items Review', undefined],
    ['## Phase 0: Sequential Hard Gate', 0, 'Sequential Hard Gate', undefined],
    ['### Phase 6', 6, '', undefined],
    ['### PHASE 7 - ✅ DONE', 7, '', '✅ DONE'],
  ];
  for (const [h, n, title, status] of cases) {
    const t = parseMarkdown(h + '\n', 'p.md');
    assert.equal(t.phases.length, 1, h);
    assert.equal(t.phases[0].number, n, h);
    assert.equal(t.phases[0].title, title, h);
    assert.equal(t.phases[0].status?.raw, status, h);
    checkRanges(t);
  }
  const b = parseMarkdown('### Barrier 1 (QG-1): Phase 1 -> Phase 2 Sync\n\n**Status:** PASSED (0.952) | **Type:** gate\n', 'b.md');
  assert.equal(b.barriers[0].status?.raw, 'PASSED');
  assert.equal(b.barriers[0].status?.status, 'COMPLETE');
  assert.equal(b.barriers[0].title, '(QG-1): Phase 1 -> Phase 2 Sync');
  checkRanges(b);
});

test('parseTracker merges YAML findings and never throws', () => {
  const t = parseTracker(SMALL, 'workflow:\n  status: ACTIVE\n  status: DONE\n', { mdFile: 'proj/ORCHESTRATION_WORKTRACKER.md' });
  assert.equal(t.file, 'proj/ORCHESTRATION_WORKTRACKER.md');
  assert.ok(t.yaml);
  assert.equal(t.yaml?.file, 'proj/ORCHESTRATION.yaml');
  assert.ok(t.findings.some((f) => f.file === 'proj/ORCHESTRATION.yaml'));
  const noYaml = parseTracker(SMALL);
  assert.equal(noYaml.yaml, undefined);
  assert.equal(noYaml.file, 'ORCHESTRATION_WORKTRACKER.md');
});

// ---------------------------------------------------------------- incremental == cold

/** A tiny deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function stripText(t: Md): unknown {
  // Deep-equal everything; JSON drops undefined the same way on both sides.
  return JSON.parse(JSON.stringify(t));
}

test('incremental parse with a warm cache equals a cold parse after single-cell edits', () => {
  const docs: [string, string][] = [['small', SMALL]];
  if (haveExamples) {
    for (const d of readdirSync(EXAMPLES).filter((x) => existsSync(path.join(EXAMPLES, x, 'ORCHESTRATION_WORKTRACKER.md')))) docs.push([d, example(d)]);
  }
  const rand = rng(42);
  const words = ['COMPLETE', '✅ DONE', 'x', '', '|', '`a|b`', 'PENDING (later)', '### not a heading', '\\|'];
  for (const [name, src] of docs) {
    const cache = createMarkdownCache();
    let cur = src;
    assert.deepEqual(stripText(parseMarkdown(cur, name, cache)), stripText(parseMarkdown(cur, name)));
    let t = parseMarkdown(cur, name);
    for (let i = 0; i < 6; i++) {
      const cells = t.tables.flatMap((tb) => tb.rows.flatMap((r) => r.cells));
      if (cells.length === 0) break;
      const c = cells[Math.floor(rand() * cells.length)];
      const w = words[Math.floor(rand() * words.length)];
      cur = applyEdits(cur, [{ range: c.range, newText: w }]);
      const warm = parseMarkdown(cur, name, cache);
      const cold = parseMarkdown(cur, name);
      assert.deepEqual(stripText(warm), stripText(cold), `${name} edit ${i}`);
      t = cold;
    }
  }
});

test('a warm cache re-parses only the changed section', () => {
  const cache = createMarkdownCache();
  parseMarkdown(SMALL, 's.md', cache);
  const before = new Set(cache.sections.values());
  const edited = SMALL.replace('| a→b | `x/a-to-b.md` | ⏳ PENDING |', '| a→b | `x/a-to-b.md` | ✅ DONE |');
  const t = parseMarkdown(edited, 's.md', cache);
  const after = [...cache.sections.values()];
  const reused = after.filter((r) => before.has(r)).length;
  assert.equal(after.length - reused, 1, 'exactly one section was parsed again');
  assert.equal(t.barriers[0].directions[0].status?.status, 'COMPLETE');
});

test('phase mentions in Lessons/Queue sections and at other depths are not phases', () => {
  const src = [
    '## Phase Execution Log',
    '### PHASE 1 - COMPLETE',
    '| Agent | Status |',
    '|---|---|',
    '| a-1 | COMPLETE |',
    '### PHASE 2 - PENDING',
    '## Lessons Learned',
    '### Phase 1 Retrospective - COMPLETE',
    '## Other',
    '#### Phase 2 notes',
    '',
  ].join('\n');
  const t = parseMarkdown(src, 'm.md');
  assert.deepEqual(t.phases.map((p) => [p.number, p.status?.raw]), [
    [1, 'COMPLETE'],
    [2, 'PENDING'],
  ]);
  // Phase 2 ends where `## Lessons Learned` starts.
  assert.equal(t.phases[1].range.end.line, 5);
});

test('file URLs and drive paths are artifacts (to be judged), web URLs are not; no backticks in paths', () => {
  const src = [
    '### PHASE 1 - PENDING',
    '| Agent | Status | Artifacts |',
    '|---|---|---|',
    '| a | PENDING | C:\\Windows\\win.ini |',
    '| b | PENDING | `vscode://file/etc/passwd` |',
    '| c | PENDING | see https://example.com/x.md |',
    '- [ ] `file:///etc/passwd`',
    '- [ ] [doc](docs/a.md) and [web](https://a.b/c.md)',
    '',
  ].join('\n');
  const t = parseMarkdown(src, 'u.md');
  checkRanges(t);
  assert.deepEqual(
    t.artifacts.map((a) => [a.source, a.path]),
    [
      ['agent-cell', 'C:\\Windows\\win.ini'],
      ['agent-cell', 'vscode://file/etc/passwd'],
      ['checklist', 'file:///etc/passwd'],
      ['checklist', 'docs/a.md'],
    ],
  );
});

test('a bare ⚠ is one column: an aligned table with one is read as aligned, and a status edit keeps it aligned', () => {
  const md = [
    '# Tracker',
    '',
    '## Phase 1: Work',
    '',
    '| Agent | Status  | Notes     |',
    '|-------|---------|-----------|',
    '| a-001 | PENDING | \u26a0 flaky   |',
    '| a-002 | PENDING | fine      |',
    '',
  ].join('\n');
  const t = parseTracker(md, undefined, { mdFile: 'ORCHESTRATION_WORKTRACKER.md' });
  const agent = t.agents.find((a) => a.id === 'a-001')!;
  assert.equal(agent.table.aligned, true);
  const edits = setAgentStatus(t, 'a-001', 'COMPLETE', { line: agent.row.range.start.line, now: new Date('2026-03-02T10:15:30Z') });
  const after = applyEdits(md, edits);
  const t2 = parseTracker(after, undefined, { mdFile: 'ORCHESTRATION_WORKTRACKER.md' });
  const a2 = t2.agents.find((a) => a.id === 'a-001')!;
  assert.equal(a2.status.status, 'COMPLETE');
  assert.equal(a2.table.aligned, true, after);
  const pipes = pipeColumns;
  const lines = after.split('\n').filter((l) => l.startsWith('|'));
  for (const l of lines) assert.deepEqual(pipes(l), pipes(lines[0]), after);
});
