/**
 * Units of work counted once. The one definition of "units done / units" that the tree root, the
 * status bar, the redrawn dashboard and the metrics check share, and the one way to keep the first
 * entry per id. Pure; anyone may import it (core, CLI, extension).
 *
 * A unit is an agent-kind entry of `tracker.agents` (queue rows are `tracker.queue`, not agents).
 * Each occurrence counts: the same name under two phases is two units of work; the same row is
 * never counted twice.
 */
import type { Agent, Status, Tracker } from './model';
import { isFinished } from './status';

export interface UnitCount {
  /** Units whose status is finished (COMPLETE, SKIPPED, CANCELLED). */
  done: number;
  total: number;
  byStatus: Partial<Record<Status, number>>;
}

/** The first item per key, in order (key: the id, or a normalised id). */
export function firstPerId<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const x of items) {
    const k = keyOf(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

/** Case-insensitive id key (`PS-R-001` and `ps-r-001` are one agent). */
export function idKey(a: { id: string }): string {
  return a.id.toLowerCase();
}

/** Each row once: an agent read twice from the same row is one occurrence. */
export function occurrences(agents: readonly Agent[]): Agent[] {
  // By the row's offset, a number: asked on every analysis, for every unit.
  const seen = new Set<number>();
  const out: Agent[] = [];
  for (const a of agents) {
    const k = a.row.range.start.offset;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}

/**
 * The units that make up the work: those under a phase when the file has phases (a coverage or
 * summary table elsewhere repeats them under other ids), else every agent row; each row once.
 */
export function workUnits(tracker: Tracker): Agent[] {
  const underPhase = tracker.agents.some((a) => a.phase !== undefined);
  return occurrences(underPhase ? tracker.agents.filter((a) => a.phase !== undefined) : tracker.agents);
}

/** Done / total / per-status counts of a list of units (no de-duplication: pass `occurrences`). */
export function countUnits(units: readonly Agent[]): UnitCount {
  const byStatus: Partial<Record<Status, number>> = {};
  let done = 0;
  for (const a of units) {
    const s = a.status.status;
    byStatus[s] = (byStatus[s] ?? 0) + 1;
    if (isFinished(s)) done++;
  }
  return { done, total: units.length, byStatus };
}

/** `compute` run once per Tracker: a Tracker is immutable once parsed, so what it derives is cached. */
export function perTracker<V>(compute: (tracker: Tracker) => V): (tracker: Tracker) => V {
  const cache = new WeakMap<Tracker, V>();
  return (tracker) => {
    if (!cache.has(tracker)) cache.set(tracker, compute(tracker));
    return cache.get(tracker) as V;
  };
}

/** "Units done / units" of a Tracker: `workUnits` counted, each occurrence once. */
export const unitCount: (tracker: Tracker) => UnitCount = perTracker((t) => countUnits(workUnits(t)));
