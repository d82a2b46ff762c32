// Status edits address one unit: an agent occurrence (its row, its phase), never a name. Marking one
// occurrence changes its own row line in the markdown and, in the YAML, only the status/date
// scalars of the one record matched without doubt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Agent, Status, TextEdit, Tracker, YamlAgent, YamlScalar } from '../../src/core/model';
import { AmbiguousAgentError, NoSuchAgentOccurrenceError, agentOccurrences, setAgentStatus } from '../../src/core/edits';
import { EXAMPLES, apply, fixture, parse, pairsIn } from './helpers';

const VARIANTS = path.resolve(__dirname, '../fixtures/variants');
const DATE = '2026-11-30';


function changedLines(a: string, b: string): number[] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'line count changed');
  return x.map((l, i) => (l === y[i] ? -1 : i)).filter((i) => i >= 0);
}

function sameRange(e: TextEdit, s: YamlScalar | undefined): boolean {
  return !!s && s.range.start.offset === e.range.start.offset && s.range.end.offset === e.range.end.offset;
}

/** The YAML record all `edits` fall in, checking each replaces exactly its status or date scalar. */
function yamlRecordEdited(t: Tracker, edits: TextEdit[], what: string): YamlAgent | undefined {
  const ye = edits.filter((e) => e.file !== t.file);
  if (ye.length === 0) return undefined;
  const recs = new Set<YamlAgent>();
  for (const e of ye) {
    const rec = t.yaml?.agents.find((y) => sameRange(e, y.status) || sameRange(e, y.started_at) || sameRange(e, y.completed_at));
    assert.ok(rec, `${what}: yaml edit at line ${e.range.start.line + 1} is not a status/date scalar of an agent record`);
    recs.add(rec);
  }
  assert.equal(recs.size, 1, `${what}: yaml edits fall in ${recs.size} records`);
  return [...recs][0];
}

/** Marks one occurrence as mark-exact does (COMPLETE, or IN_PROGRESS when already complete) and checks the unit rule. */
function checkOccurrence(name: string, t: Tracker, a: Agent): void {
  const what = `${name}: ${a.id}@${a.row.range.start.line + 1}`;
  const target: Status = a.status.status === 'COMPLETE' ? 'IN_PROGRESS' : 'COMPLETE';
  const line = a.row.range.start.line;
  const edits = setAgentStatus(t, a.id, target, { date: DATE, line });
  const out = apply(t, edits);
  // Markdown: exactly its own row line, the same number of lines.
  assert.deepEqual(changedLines(t.text, out.md), [line], `${what}: md lines changed`);
  const t2 = parse(out.md, out.yaml);
  assert.equal(t2.agents.length, t.agents.length, `${what}: agent count`);
  t.agents.forEach((b, i) => {
    const now = t2.agents[i];
    if (b === a) assert.equal(now.status.status, target, `${what} -> ${target}: reads ${now.status.raw}`);
    else assert.equal(`${now.id}=${now.status.raw}`, `${b.id}=${b.status.raw}`, `${what}: other occurrence untouched`);
  });
  // YAML: only status/date scalars of one record, and that record is this unit's.
  if (t.yaml && out.yaml !== undefined) {
    assert.equal(out.yaml.split('\n').length, t.yaml.text.split('\n').length, `${what}: yaml line count`);
    const rec = yamlRecordEdited(t, edits, what);
    if (rec) {
      const sameName = rec.id.trim().toLowerCase() === a.id.trim().toLowerCase();
      assert.ok(sameName || rec.id.toLowerCase().startsWith(a.id.toLowerCase()), `${what}: edited yaml record ${rec.id}`);
    }
  }
}

const examples = pairsIn(EXAMPLES);
const variants = pairsIn(VARIANTS);

/** Marks every agent occurrence of every pair; returns how many were checked. */
function checkEveryOccurrence(pairs: { name: string; md: string; yaml?: string }[]): number {
  let n = 0;
  for (const p of pairs) {
    const tr = parse(p.md, p.yaml);
    for (const a of tr.agents) {
      checkOccurrence(p.name, tr, a);
      n++;
    }
  }
  return n;
}

test('every agent occurrence of the shared examples: marking it changes its row only', (t) => {
  if (examples.length === 0) {
    t.skip(`${EXAMPLES} not present`);
    return;
  }
  const n = checkEveryOccurrence(examples);
  assert.ok(n > 100, `only ${n} occurrences checked`);
});

test('every agent occurrence of the variants: marking it changes its row only', () => {
  assert.ok(variants.length >= 7, 'variants present');
  const n = checkEveryOccurrence(variants);
  assert.ok(n > 50, `only ${n} occurrences checked`);
});

// ---------------------------------------------------------------- the same name in two phases

const perPhase = (): Tracker => parse(fixture('per-phase.md'), fixture('per-phase.yaml'));

test('per-phase fixture: the name occurs in Phase 0, Phase 1 and the execution queue', () => {
  const t = perPhase();
  assert.deepEqual(
    t.agents.filter((a) => a.id === 'ps-researcher').map((a) => [a.row.range.start.line, a.phase]),
    [
      [9, 0],
      [16, 1],
    ],
  );
  assert.ok(t.queue.some((r) => Object.values(r.cells).some((c) => c.text === 'ps-researcher')), 'queue row read');
  assert.deepEqual(
    agentOccurrences(t, 'PS-Researcher').map((o) => [o.line, o.phase, o.status]),
    [
      [9, 0, 'COMPLETE'],
      [16, 1, 'BLOCKED'],
    ],
  );
});

test('a name written twice, without line or phase: AmbiguousAgentError lists both, nothing is edited', () => {
  const t = perPhase();
  assert.throws(
    () => setAgentStatus(t, 'ps-researcher', 'IN_PROGRESS'),
    (e: unknown) => {
      assert.ok(e instanceof AmbiguousAgentError, String(e));
      assert.equal(e.agentId, 'ps-researcher');
      assert.deepEqual(
        e.occurrences.map((o) => [o.line, o.phase, o.status]),
        [
          [9, 0, 'COMPLETE'],
          [16, 1, 'BLOCKED'],
        ],
      );
      assert.match(e.message, /line 10 \(Phase 0\): COMPLETE; line 17 \(Phase 1\): BLOCKED/);
      return true;
    },
  );
});

test('a line or phase that names no occurrence: NoSuchAgentOccurrenceError', () => {
  const t = perPhase();
  assert.throws(() => setAgentStatus(t, 'ps-researcher', 'COMPLETE', { line: 10 }), NoSuchAgentOccurrenceError);
  assert.throws(() => setAgentStatus(t, 'ps-researcher', 'COMPLETE', { phase: 2 }), NoSuchAgentOccurrenceError);
  // Line and phase must agree.
  assert.throws(() => setAgentStatus(t, 'ps-researcher', 'COMPLETE', { line: 9, phase: 1 }), NoSuchAgentOccurrenceError);
});

test('marking the Phase 0 occurrence touches only its row (not Phase 1, not the queue) and only ps-researcher-p0 in the YAML', () => {
  const t = perPhase();
  for (const opts of [{ line: 9 }, { phase: 0 }, { line: 9, phase: 0 }]) {
    const edits = setAgentStatus(t, 'ps-researcher', 'IN_PROGRESS', { ...opts, date: DATE });
    const out = apply(t, edits);
    assert.deepEqual(changedLines(t.text, out.md), [9], JSON.stringify(opts));
    assert.equal(out.md.split('\n')[9], '| ps-researcher | IN PROGRESS | 2026-02-01 | - | `research/p0-scope.md` | scope |');
    assert.equal(yamlRecordEdited(t, edits, 'p0')?.id, 'ps-researcher-p0');
    const y = out.yaml!.split('\n');
    const y0 = t.yaml!.text.split('\n');
    assert.deepEqual(
      changedLines(t.yaml!.text, out.yaml!).map((i) => [y0[i].trim(), y[i].trim()]),
      [
        ['status: COMPLETE', 'status: IN_PROGRESS'],
        ['completed_at: "2026-02-02"', 'completed_at: null'],
      ],
    );
  }
});

test('marking the Phase 1 occurrence edits its row and ps-researcher-p1 only', () => {
  const t = perPhase();
  const edits = setAgentStatus(t, 'ps-researcher', 'COMPLETE', { line: 16, date: DATE });
  const out = apply(t, edits);
  assert.deepEqual(changedLines(t.text, out.md), [16]);
  assert.equal(yamlRecordEdited(t, edits, 'p1')?.id, 'ps-researcher-p1');
  // The queue row still says BLOCKED: a plan is not the record of a run.
  assert.ok(out.md.includes('| 1 | ps-researcher | 1 | BLOCKED | Phase 0 |'));
});

const TWO_PHASES_MD = fixture('per-phase.md');

function yamlWith(ids: [string, string], phased = true): string {
  const rec = (id: string, status: string) => `          - id: ${id}\n            status: ${status}\n            started_at: null\n            completed_at: null\n`;
  if (!phased) return `workflow:\n  id: x\nagents:\n  - id: ${ids[0]}\n    status: COMPLETE\n    completed_at: null\n`;
  return `workflow:\n  id: x\npipelines:\n  ps:\n    phases:\n      - id: 0\n        agents:\n${rec(ids[0], 'COMPLETE')}      - id: 1\n        agents:\n${rec(ids[1], 'BLOCKED')}`;
}

test('YAML per-phase ids in other spellings (x-phase-0, x_p1) and same ids under phases: only the matching record', () => {
  for (const ids of [
    ['ps-researcher-phase-0', 'ps-researcher-phase-1'],
    ['ps-researcher_p0', 'ps-researcher_p1'],
    ['ps-researcher', 'ps-researcher'],
  ] as [string, string][]) {
    const t = parse(TWO_PHASES_MD, yamlWith(ids));
    const y = t.yaml!.agents.filter((a) => a.id.startsWith('ps-researcher'));
    assert.equal(y.length, 2, `${ids}: yaml read`);
    const e0 = setAgentStatus(t, 'ps-researcher', 'PENDING', { phase: 0, date: DATE });
    assert.equal(yamlRecordEdited(t, e0, ids[0]), y[0], `${ids[0]} edited for phase 0`);
    const e1 = setAgentStatus(t, 'ps-researcher', 'COMPLETE', { phase: 1, date: DATE });
    assert.equal(yamlRecordEdited(t, e1, ids[1]), y[1], `${ids[1]} edited for phase 1`);
  }
});

test('in doubt, the YAML is not edited: one YAML record without a phase for a name written in two phases', () => {
  const t = parse(TWO_PHASES_MD, yamlWith(['ps-researcher', 'unused'], false));
  assert.equal(t.yaml!.agents.filter((a) => a.id === 'ps-researcher').length, 1);
  assert.equal(t.yaml!.agents[0].phase, undefined);
  for (const line of [9, 16]) {
    const edits = setAgentStatus(t, 'ps-researcher', 'IN_PROGRESS', { line, date: DATE });
    assert.deepEqual(edits.filter((e) => e.file !== t.file), [], `row ${line + 1}: no yaml edit`);
    assert.deepEqual(changedLines(t.text, apply(t, edits).md), [line]);
  }
});

test('a unique id needs no line; a line that matches it is accepted too', () => {
  const t = perPhase();
  const a = setAgentStatus(t, 'ps-writer', 'COMPLETE', { date: DATE });
  const b = setAgentStatus(t, 'ps-writer', 'COMPLETE', { date: DATE, line: 17 });
  assert.deepEqual(a, b);
  assert.equal(yamlRecordEdited(t, a, 'ps-writer')?.id, 'ps-writer');
  assert.throws(() => setAgentStatus(t, 'ps-writer', 'COMPLETE', { line: 16 }), NoSuchAgentOccurrenceError);
});
