import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Status, Tracker } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { EXAMPLES, NO_EXAMPLES, NOW, apply, fixture, parse, pipeColumns } from './helpers';
import { setAgentStatus, setArtifactChecked, setBarrierStatus, setPhaseStatus } from '../../src/core/edits';
import { displayWidth, padEndDisplay } from '../../src/core/width';
import { toStatus } from '../../src/core/status';

function changedLines(a: string, b: string): number[] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'line count changed');
  return x.map((l, i) => (l === y[i] ? -1 : i)).filter((i) => i >= 0);
}

// ---------------------------------------------------------------- width

test('displayWidth counts emoji as two columns and combining marks as none', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('✅'), 2);
  assert.equal(displayWidth('⏳ PENDING'), 10);
  assert.equal(displayWidth('⚠️'), 2);
  assert.equal(displayWidth('⚠'), 1);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('中文'), 4);
  assert.equal(displayWidth('█░▓═║'), 5);
  assert.equal(padEndDisplay('✅ x', 6), '✅ x  ');
  assert.equal(displayWidth(padEndDisplay('🔄', 5)), 5);
});

// ---------------------------------------------------------------- agents

test('aligned table: a wider status widens the column in every row and keeps pipes lined up', () => {
  const t = parse(fixture('aligned.md'));
  const agent = t.agents.find((a) => a.id === 'agent-a-003')!;
  assert.ok(agent.table.aligned, 'fixture table should be recognised as aligned');
  const edits = setAgentStatus(t, 'agent-a-003', 'IN_PROGRESS', { now: NOW });
  const { md } = apply(t, edits);
  const t2 = parse(md);
  const a2 = t2.agents.find((a) => a.id === 'agent-a-003')!;
  assert.equal(a2.status.status, 'IN_PROGRESS');
  assert.match(a2.status.raw, /IN.PROGRESS/);
  assert.equal(a2.started?.text, '2026-03-02');
  const lines = md.split('\n').slice(a2.table.range.start.line, a2.table.range.end.line + 1).filter((l) => l.startsWith('|'));
  const cols = lines.map(pipeColumns);
  for (const c of cols) assert.deepEqual(c, cols[0], `misaligned:\n${lines.join('\n')}`);
  // Only that table's lines changed.
  for (const l of changedLines(t.text, md)) assert.ok(l >= agent.table.range.start.line && l <= agent.table.range.end.line, `line ${l} outside the table changed`);
});

test('aligned table: a narrower status is padded to keep the width', () => {
  const t = parse(fixture('aligned.md'));
  const edits = setAgentStatus(t, 'agent-a-001', 'FAILED', { now: NOW });
  const { md } = apply(t, edits);
  const before = t.text.split('\n');
  const after = md.split('\n');
  const row = t.agents.find((a) => a.id === 'agent-a-001')!.row.range.start.line;
  assert.deepEqual(changedLines(t.text, md), [row]);
  assert.equal(displayWidth(after[row]), displayWidth(before[row]));
  assert.deepEqual(pipeColumns(after[row]), pipeColumns(before[row]));
  assert.equal(parse(md).agents.find((a) => a.id === 'agent-a-001')!.status.status, 'FAILED');
});

test('ragged table: only the changed cells, with their own padding', () => {
  const t = parse(fixture('aligned.md'));
  const edits = setAgentStatus(t, 'agent-b-002', 'COMPLETE', { now: NOW });
  const { md } = apply(t, edits);
  const line = md.split('\n').find((l) => l.startsWith('| agent-b-002'))!;
  assert.equal(line, '| agent-b-002 | ✅ DONE | - | 2026-03-02 | risks.md | - |');
});

test('status dialect, suffix and dates: COMPLETE (timestamp) -> IN_PROGRESS drops the suffix and the completion time', () => {
  const t = parse(fixture('iso.md'), fixture('iso.yaml'));
  const edits = setAgentStatus(t, 'fix-creator-001', 'IN_PROGRESS', { now: NOW });
  const { md, yaml } = apply(t, edits);
  const row = md.split('\n').find((l) => l.startsWith('| fix-creator-001'))!;
  assert.equal(row, '| fix-creator-001 | create | IN_PROGRESS | 2026-02-11T14:00:00Z | — | `ps/fix.md` | done |');
  // YAML: status in the YAML's own spelling and quoting; completion time cleared.
  assert.match(yaml!, /- id: fix-creator-001\n\s+status: IN_PROGRESS\n\s+started_at: "2026-02-11T14:00:00Z"\n\s+completed_at: null/);
});

test('markup around a status is kept, the date follows the column (ISO with seconds, Z)', () => {
  const t = parse(fixture('iso.md'), fixture('iso.yaml'));
  const { md, yaml } = apply(t, setAgentStatus(t, 'fix-validator-001', 'COMPLETE', { now: NOW }));
  const row = md.split('\n').find((l) => l.startsWith('| fix-validator-001'))!;
  assert.equal(row, '| fix-validator-001 | validate | COMPLETE | — | 2026-03-02T10:15:30Z | `ps/validation.md` | |');
  assert.match(yaml!, /- id: fix-validator-001\n\s+status: COMPLETE\n\s+started_at: null\n\s+completed_at: "2026-03-02T10:15:30Z"/);
  const t2 = parse(fixture('iso.md'), fixture('iso.yaml'));
  const { md: md2 } = apply(t2, setAgentStatus(t2, 'fix-critic-001', 'BLOCKED', { now: NOW }));
  assert.match(md2, /\| fix-critic-001 \| critique \| \*\*BLOCKED\*\* \|/);
});

test('YAML ids match case-insensitively and keep single quotes', () => {
  const t = parse(fixture('iso.md'), fixture('iso.yaml'));
  const { yaml } = apply(t, setAgentStatus(t, 'fix-validator-002', 'READY', { now: NOW }));
  assert.match(yaml!, /- id: FIX-VALIDATOR-002\n\s+status: 'READY'/);
});

test('unknown ids throw a clear error', () => {
  const t = parse(fixture('aligned.md'));
  assert.throws(() => setAgentStatus(t, 'nobody-999', 'COMPLETE'), /unknown agent id: nobody-999/);
  assert.throws(() => setPhaseStatus(t, 42, 'COMPLETE'), /unknown phase/);
});

test('CRLF and BOM survive an edit', () => {
  const src = '\ufeff' + fixture('aligned.md').replace(/\n/g, '\r\n');
  const t = parse(src);
  assert.equal(t.eol, '\r\n');
  const { md } = apply(t, setAgentStatus(t, 'agent-a-003', 'IN_PROGRESS', { now: NOW }));
  assert.ok(md.startsWith('\ufeff# ORCHESTRATION'));
  assert.equal(md.replace(/\r\n/g, '').includes('\n'), false, 'a bare LF appeared');
  assert.equal(parse(md).agents.find((a) => a.id === 'agent-a-003')!.status.status, 'IN_PROGRESS');
});

test('tabs as cell padding are kept in a ragged table', () => {
  const src = fixture('aligned.md').replace('| agent-b-002 | ⏳ PENDING | - |', '|\tagent-b-002\t|\t⏳ PENDING\t| - |');
  const t = parse(src);
  const { md } = apply(t, setAgentStatus(t, 'agent-b-002', 'FAILED', { now: NOW }));
  assert.ok(md.includes('|\tagent-b-002\t|\t❌ FAILED\t| - |'), md.split('\n').find((l) => l.includes('agent-b-002')));
});

// ---------------------------------------------------------------- phases, barriers, checkboxes

test('phase heading: status replaced in place, or appended with the heading own separator', () => {
  const t = parse(fixture('iso.md'), fixture('iso.yaml'));
  const { md, yaml } = apply(t, setPhaseStatus(t, 2, 'IN_PROGRESS'));
  assert.ok(md.includes('### 2.2 PHASE 2 — Verification — IN_PROGRESS\n'), md);
  assert.match(yaml!, /- id: 2\n\s+status: IN_PROGRESS/);
  const { md: md2 } = apply(t, setPhaseStatus(t, 1, 'BLOCKED'));
  assert.ok(md2.includes('### 2.1 PHASE 1 — Root Cause Fix — BLOCKED\n'));
  const a = parse(fixture('aligned.md'));
  const { md: md3 } = apply(a, setPhaseStatus(a, 2, 'COMPLETE'));
  assert.ok(md3.includes('### 2.3 PHASE 2 - COMPLETE\n'));
});

test('barrier: heading, and a direction row status cell', () => {
  const t = parse(fixture('aligned.md'));
  const { md } = apply(t, setBarrierStatus(t, 1, 'IN_PROGRESS'));
  assert.ok(md.includes('### 2.2 BARRIER 1 - IN_PROGRESS\n'));
  const { md: md2 } = apply(t, setBarrierStatus(t, 'barrier-1', 'PENDING', { direction: 'b->a' }));
  assert.ok(md2.includes('| b→a | gaps.md | ⏳ PENDING | gaps |'), md2);
  assert.ok(md2.includes('| a→b | findings.md | ✅ DONE | summary |'));
});

test('checkbox: only the check character changes', () => {
  const t = parse(fixture('aligned.md'));
  const item = t.checklist.find((c) => c.text.includes('analysis.md'))!;
  const edits = setArtifactChecked(t, item, true);
  assert.equal(edits.length, 1);
  assert.equal(edits[0].range.end.offset - edits[0].range.start.offset, 1);
  const { md } = apply(t, edits);
  assert.ok(md.includes('- [x] `a/phase-2/analysis.md`'));
  assert.deepEqual(setArtifactChecked(t, item, false), []);
});

// ---------------------------------------------------------------- the real examples

const STATUSES: Status[] = ['PENDING', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'FAILED'];

const examples = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((d) => existsSync(path.join(EXAMPLES, d, 'ORCHESTRATION_WORKTRACKER.md'))) : [];
if (NO_EXAMPLES) test('the shared examples: every agent x every status', { skip: NO_EXAMPLES }, () => {});

for (const ex of examples) {
  test(`example ${ex}: every agent x every status changes that agent only`, { skip: NO_EXAMPLES }, () => {
    const md = readFileSync(path.join(EXAMPLES, ex, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8');
    const yp = path.join(EXAMPLES, ex, 'ORCHESTRATION.yaml');
    const yaml = existsSync(yp) ? readFileSync(yp, 'utf8') : undefined;
    const t = parse(md, yaml);
    assert.equal(applyEdits(t.text, []), md);
    const ids = [...new Set(t.agents.map((a) => a.id))];
    for (const id of ids) {
      for (const s of STATUSES) {
        const edits = setAgentStatus(t, id, s, { now: NOW });
        const out = apply(t, edits);
        const t2 = parse(out.md, out.yaml);
        const mine = t2.agents.filter((a) => a.id === id);
        for (const a of mine) assert.equal(a.status.status, s, `${ex} ${id} -> ${s}: got ${a.status.raw}`);
        // Every other agent keeps its status.
        const others = (x: Tracker) => x.agents.filter((a) => a.id !== id).map((a) => `${a.id}=${a.status.status}`);
        assert.deepEqual(others(t2), others(t));
        // Only this agent's rows (or, for an aligned table, that table) changed.
        const rows = t.agents.filter((a) => a.id === id);
        for (const l of changedLines(md, out.md)) {
          const ok = rows.some((a) => (a.table.aligned ? l >= a.table.range.start.line && l <= a.table.range.end.line : l === a.row.range.start.line));
          assert.ok(ok, `${ex} ${id} -> ${s}: line ${l + 1} changed`);
        }
        if (yaml && out.yaml !== undefined) {
          const ya = t.yaml!.agents.filter((a) => a.id.toLowerCase() === id.toLowerCase());
          const allowed = ya.flatMap((a) => [a.status, a.started_at, a.completed_at]).filter((x) => !!x).map((x) => x!.range.start.line);
          for (const l of changedLines(yaml, out.yaml)) assert.ok(allowed.includes(l), `${ex} ${id} -> ${s}: yaml line ${l + 1} changed`);
          for (const a of t2.yaml!.agents.filter((x) => x.id.toLowerCase() === id.toLowerCase())) {
            if (a.status && typeof a.status.value === 'string') assert.equal(toStatus(a.status.value), s, `${ex} yaml ${id}`);
          }
        }
      }
    }
  });
}

test('YAML times are written only under keys that plainly name them; `finished_at` and `end` are left as written', () => {
  const md = '# T\n\n### PHASE 1 - IN_PROGRESS\n\n| Agent | Status | Started | Completed |\n|---|---|---|---|\n| a-001 | IN_PROGRESS | 2026-01-02 | - |\n| a-002 | IN_PROGRESS | 2026-01-02 | - |\n';
  const yaml = 'agents:\n  - id: a-001\n    status: IN_PROGRESS\n    finished_at: null\n  - id: a-002\n    status: IN_PROGRESS\n    completed_at: null\n';
  const t = parse(md, yaml);
  const one = apply(t, setAgentStatus(t, 'a-001', 'COMPLETE', { now: NOW }));
  assert.match(one.yaml!, /id: a-001\n {4}status: COMPLETE\n {4}finished_at: null\n/);
  const two = apply(t, setAgentStatus(t, 'a-002', 'COMPLETE', { now: NOW }));
  assert.match(two.yaml!, /id: a-002\n {4}status: COMPLETE\n {4}completed_at: "?2026-03-02/);
});
