/**
 * Phase and barrier statuses: in their headings (replaced, or appended in the heading's own
 * separator), in a barrier's direction rows, and in the YAML. Public through `./index.ts`.
 */
import type { Heading, Status, StatusValue, Table, TextEdit, Tracker } from '../model';
import { splitStatus } from '../status';
import { indexOf } from './common';
import type { EditOptions } from './dates';
import { spellLike } from './spelling';
import { editCells, findTableOfRow, type CellChange } from './tables';
import { yamlStatusEdit } from './yamlScalars';
import { sameId } from './occurrences';

/** Statuses written in phase and barrier headings: the dialect headings use. */
function headingPeers(tracker: Tracker): StatusValue[] {
  return [...tracker.phases.map((p) => p.status), ...tracker.barriers.map((b) => b.status)].filter((s): s is StatusValue => !!s);
}

function headingStatusEdit(tracker: Tracker, heading: Heading, current: StatusValue | undefined, status: Status): TextEdit[] {
  const peers = headingPeers(tracker);
  if (current) {
    if (current.status === status) return [];
    const raw = current.raw;
    const p = splitStatus(raw);
    // The heading's status range may carry a reason (`BLOCKED (by Phase 1)`): replace all of it.
    const value = spellLike(tracker, status, raw, peers, !!p.emoji || peers.some((s) => splitStatus(s.raw).emoji));
    // A reason right after the status (`PENDING (blocked by Barrier 3)`) explains the old status.
    const ix = indexOf(tracker.text, tracker);
    const lineEnd = ix.lineEnd(current.range.end.line);
    const after = tracker.text.slice(current.range.end.offset, lineEnd);
    const reason = /^\s*\([^()]*\)/.exec(after);
    const range = reason ? { start: current.range.start, end: ix.position(current.range.end.offset + reason[0].length) } : current.range;
    return [{ file: tracker.file, range, newText: value }];
  }
  const ix = indexOf(tracker.text, tracker);
  const line = heading.range.start.line;
  const lineText = ix.lineText(line);
  // Append after the visible text, before trailing spaces or a closing `###` sequence.
  const m = /(\s+#+)?\s*$/.exec(lineText);
  const endCol = m ? m.index : lineText.length;
  const body = lineText.slice(0, endCol);
  const sep = / — /.test(body) ? ' — ' : / – /.test(body) ? ' – ' : / -- /.test(body) ? ' -- ' : ' - ';
  const value = spellLike(tracker, status, undefined, peers, peers.some((s) => splitStatus(s.raw).emoji));
  const pos = ix.at(line, endCol);
  return [{ file: tracker.file, range: { start: pos, end: pos }, newText: sep + value }];
}

export function setPhaseStatus(tracker: Tracker, phase: number, status: Status, _opts?: EditOptions): TextEdit[] {
  const phases = tracker.phases.filter((p) => p.number === phase);
  const yamlPhases = (tracker.yaml?.phases ?? []).filter((p) => p.number === phase);
  if (phases.length === 0 && yamlPhases.length === 0) throw new Error(`unknown phase: ${phase}`);
  const edits: TextEdit[] = [];
  for (const p of phases) edits.push(...headingStatusEdit(tracker, p.heading, p.status, status));
  const peers = (tracker.yaml?.phases ?? []).map((p) => p.status);
  for (const y of yamlPhases) edits.push(...yamlStatusEdit(tracker, y.status, status, peers));
  return edits;
}

/** `a→b`, `a->b`, `a-to-b`, `a_to_b`, `A --> B` all become `a>b`. */
function normDirection(d: string): string {
  return d
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[-=]*>|→|⇒|[-_]to[-_]/g, '>')
    .replace(/[`*]/g, '');
}

export function setBarrierStatus(tracker: Tracker, barrier: number | string, status: Status, opts?: EditOptions & { direction?: string }): TextEdit[] {
  const wanted = typeof barrier === 'number' ? barrier : /^\s*(?:barrier[-_ ]?)?(\d+)\s*$/i.exec(barrier)?.[1];
  const matches = (n: number, id: string): boolean =>
    (wanted !== undefined && n === Number(wanted)) || (typeof barrier === 'string' && sameId(id, barrier));
  const barriers = tracker.barriers.filter((b) => matches(b.number, b.id));
  const yamlBarriers = (tracker.yaml?.barriers ?? []).filter((b) => matches(b.number, b.id));
  if (barriers.length === 0 && yamlBarriers.length === 0) throw new Error(`unknown barrier: ${barrier}`);
  const edits: TextEdit[] = [];
  const direction = opts?.direction;
  if (direction === undefined) {
    for (const b of barriers) edits.push(...headingStatusEdit(tracker, b.heading, b.status, status));
    const peers = (tracker.yaml?.barriers ?? []).map((b) => b.status);
    for (const y of yamlBarriers) edits.push(...yamlStatusEdit(tracker, y.status, status, peers));
    return edits;
  }
  const want = normDirection(direction);
  const peers = tracker.barriers.flatMap((b) => b.directions.map((d) => d.status)).filter((s): s is StatusValue => !!s);
  const changes: { table: Table; change: CellChange }[] = [];
  let found = false;
  for (const b of barriers) {
    for (const d of b.directions) {
      if (normDirection(d.direction) !== want) continue;
      found = true;
      if (!d.status || d.status.status === status) continue;
      const table = findTableOfRow(tracker, d.row);
      const col = table?.columns.status ?? d.row.cells.findIndex((c) => c.range.start.offset === d.status!.range.start.offset);
      if (!table || col === undefined || col < 0) {
        edits.push({ file: tracker.file, range: d.status.range, newText: spellLike(tracker, status, d.status.raw, peers) });
        continue;
      }
      changes.push({ table, change: { row: d.row, col, text: spellLike(tracker, status, d.status.raw, peers) } });
    }
  }
  edits.push(...editCells(tracker, changes));
  const artifactPeers = (tracker.yaml?.barriers ?? []).flatMap((b) => b.artifacts.map((a) => a.status));
  for (const y of yamlBarriers) {
    for (const a of y.artifacts) {
      if (normDirection(a.key) !== want) continue;
      found = true;
      edits.push(...yamlStatusEdit(tracker, a.status, status, artifactPeers));
    }
  }
  if (!found) throw new Error(`unknown direction ${direction} in barrier ${barrier}`);
  return edits;
}
