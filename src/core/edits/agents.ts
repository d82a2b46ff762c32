/**
 * `setAgentStatus`: one occurrence of an agent gets a new status in its table row (with its started
 * and completed dates kept consistent) and in its YAML record when that record is its own. Public
 * through `./index.ts`.
 */
import type { Cell, Status, StatusValue, Table, TextEdit, Tracker, YamlAgent, YamlScalar } from '../model';
import { toStatus } from '../status';
import { isPlaceholder, mostCommon } from './common';
import { dateFormatOf, dateText, type EditOptions } from './dates';
import { spellLike } from './spelling';
import { cellEdit, editCells, type CellChange } from './tables';
import { yamlClear, yamlSet, yamlStatusEdit } from './yamlScalars';
import { agentOccurrences, pickOne, sameId, yamlRecordOf, type AgentEditOptions, type AgentTarget } from './occurrences';

/**
 * Sets the status of ONE occurrence of an agent: the agents-table row picked by `opts.line`
 * (0-based row line) and/or `opts.phase`, or the only row with that id. An id written more than
 * once with no target that picks exactly one throws `AmbiguousAgentError`; a target matching no row
 * throws `NoSuchAgentOccurrenceError` — several rows are never edited. The same unit's YAML record
 * is edited only when it matches without doubt (see `yamlRecordOf`); other occurrences of the name
 * and the execution queue (a plan, not the record of a run) are never touched. When the markdown
 * has no row for the id, the YAML record is edited (one, or the one under `opts.phase`).
 */
export function setAgentStatus(tracker: Tracker, agentId: string, status: Status, opts?: AgentEditOptions): TextEdit[] {
  const target: AgentTarget = { line: opts?.line, phase: opts?.phase };
  const mdAll = tracker.agents.filter((a) => sameId(a.id, agentId));
  const yamlAll = (tracker.yaml?.agents ?? []).filter((a) => sameId(a.id, agentId));
  if (mdAll.length === 0 && yamlAll.length === 0) throw new Error(`unknown agent id: ${agentId}`);
  const occ = agentOccurrences(tracker, agentId);
  if (mdAll.length === 0) return yamlAgentEdits(tracker, pickOne(agentId, yamlAll, occ, target), status, opts);
  const one = pickOne(agentId, mdAll, occ, target);
  const edits = editCells(tracker, rowChanges(tracker, one, status, opts));
  const y = yamlRecordOf(tracker, one, mdAll.length);
  if (y) edits.push(...yamlAgentEdits(tracker, y, status, opts));
  return edits;
}

/** The row's status cell, and its started / completed cells where the new status contradicts them. */
function rowChanges(tracker: Tracker, a: Tracker['agents'][number], status: Status, opts: EditOptions | undefined): { table: Table; change: CellChange }[] {
  const peers: StatusValue[] = tracker.agents.map((x) => x.status);
  const placeholderOf = (cells: (Cell | undefined)[]): string =>
    mostCommon(cells.filter((c): c is Cell => !!c && isPlaceholder(c.text) && c.text !== '').map((c) => c.text)) ?? '-';
  const startedPlaceholder = placeholderOf(tracker.agents.map((x) => x.started));
  const completedPlaceholder = placeholderOf(tracker.agents.map((x) => x.completed));
  const startedSamples = tracker.agents.map((x) => x.started?.text ?? '').filter((t) => dateFormatOf(t));
  const completedSamples = tracker.agents.map((x) => x.completed?.text ?? '').filter((t) => dateFormatOf(t));

  const changes: { table: Table; change: CellChange }[] = [];
  const push = (col: number | undefined, value: string): void => {
    const c = cellEdit(a.row, col, value);
    if (c) changes.push({ table: a.table, change: c });
  };
  if (a.status.status !== status || a.status.raw.trim() === '') {
    push(a.statusColumn ?? a.table.columns.status, spellLike(tracker, status, a.status.raw, peers));
  }
  const { started, completed } = a;
  if (status === 'COMPLETE') {
    if (completed && (a.status.status !== 'COMPLETE' || isPlaceholder(completed.text))) {
      push(a.table.columns.completed, dateText(opts, completedSamples.length ? completedSamples : startedSamples, tracker.dialect.dateStyle));
    }
  } else if (status === 'IN_PROGRESS') {
    if (started && isPlaceholder(started.text)) {
      push(a.table.columns.started, dateText(opts, startedSamples.length ? startedSamples : completedSamples, tracker.dialect.dateStyle));
    }
    if (completed && !isPlaceholder(completed.text)) push(a.table.columns.completed, completedPlaceholder);
  } else if (status === 'PENDING' || status === 'READY') {
    // Not started yet: recorded times would contradict the status.
    if (started && !isPlaceholder(started.text)) push(a.table.columns.started, startedPlaceholder);
    if (completed && !isPlaceholder(completed.text)) push(a.table.columns.completed, completedPlaceholder);
  } else if (status === 'BLOCKED') {
    if (completed && !isPlaceholder(completed.text)) push(a.table.columns.completed, completedPlaceholder);
  }
  return changes;
}

/** The YAML record's status, and its started_at / completed_at where the new status contradicts them. */
const WRITTEN_TIME_KEYS = new Set(['started_at', 'started', 'start_time', 'started_date', 'completed_at', 'completed', 'end_time', 'completed_date']);

function yamlAgentEdits(tracker: Tracker, y0: YamlAgent, status: Status, opts: EditOptions | undefined): TextEdit[] {
  if (!tracker.yaml) return [];
  const all = tracker.yaml.agents;
  const statusPeers = all.map((a) => a.status);
  const datePeers = all.flatMap((a) => [a.started_at, a.completed_at]).filter((s): s is YamlScalar => !!s && typeof s.value === 'string' && !!dateFormatOf(s.value));
  const yDate = (): string => dateText(opts, datePeers.map((s) => String(s.value)), 'iso');
  const likeDate = datePeers[0];
  // A value reached through an anchor (`<<: *defaults`) is shared: editing it would change every
  // agent that merges it, so only the agent's own scalars are written.
  const own = (sc: YamlScalar | undefined): YamlScalar | undefined =>
    sc && sc.range.start.offset >= y0.range.start.offset && sc.range.end.offset <= y0.range.end.offset ? sc : undefined;
  // Times are written only under the keys that plainly name a start or an end time; the others the
  // reader accepts (`finished`, `end`, `done_at`, `spawned_at`) are read but left as written.
  const keyOf = (sc: YamlScalar | undefined): string =>
    sc?.keyRange ? tracker.yaml!.text.slice(sc.keyRange.start.offset, sc.keyRange.end.offset).replace(/["']/g, '').trim() : '';
  const time = (sc: YamlScalar | undefined): YamlScalar | undefined => (WRITTEN_TIME_KEYS.has(keyOf(sc)) ? own(sc) : undefined);
  const y = { status: own(y0.status), started_at: time(y0.started_at), completed_at: time(y0.completed_at) };
  const wasComplete = typeof y0.status?.value === 'string' && toStatus(y0.status.value) === 'COMPLETE';
  const edits = yamlStatusEdit(tracker, y.status, status, statusPeers);
  const emptyScalar = (s: YamlScalar | undefined): boolean => !!s && (s.value === null || (typeof s.value === 'string' && isPlaceholder(s.value)));
  if (status === 'COMPLETE') {
    if (y.completed_at && (!wasComplete || emptyScalar(y.completed_at))) edits.push(...yamlSet(tracker, y.completed_at, yDate(), likeDate));
  } else if (status === 'IN_PROGRESS') {
    if (emptyScalar(y.started_at)) edits.push(...yamlSet(tracker, y.started_at, yDate(), likeDate));
    edits.push(...yamlClear(tracker, y.completed_at));
  } else if (status === 'PENDING' || status === 'READY') {
    edits.push(...yamlClear(tracker, y.started_at), ...yamlClear(tracker, y.completed_at));
  } else if (status === 'BLOCKED') {
    edits.push(...yamlClear(tracker, y.completed_at));
  }
  return edits;
}
