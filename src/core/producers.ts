/**
 * Which artifact paths must exist, and who produces them: an artifact of work that has not
 * finished is "not produced yet", never missing. Pure; imported by `analyze.ts` only.
 */
import type { ArtifactRef, Range, Tracker, YamlScalar } from './model';
import { cleanPath } from './paths';
import { toStatus } from './status';

/**
 * Whether work in this status owes its artifacts (they must exist): only COMPLETE work. Skipped or
 * cancelled work produced nothing; unfinished work has not produced it yet.
 */
function artifactsDue(status: string | undefined): boolean {
  return status === 'COMPLETE';
}

export function contains(outer: Range, inner: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

/**
 * Items by the lines their range covers, in the items' own order: "the first item whose range
 * contains this one" without scanning every item (trackers have thousands of rows).
 */
class RangeIndex<T> {
  private readonly byLine = new Map<number, T[]>();

  constructor(items: Iterable<T>, private readonly rangeOf: (item: T) => Range) {
    for (const item of items) {
      const r = rangeOf(item);
      for (let line = r.start.line; line <= r.end.line; line++) {
        const list = this.byLine.get(line);
        if (list) list.push(item);
        else this.byLine.set(line, [item]);
      }
    }
  }

  /** Every item containing `inner`, in the items' order. */
  containing(inner: Range): T[] {
    return (this.byLine.get(inner.start.line) ?? []).filter((item) => contains(this.rangeOf(item), inner));
  }

  first(inner: Range): T | undefined {
    return (this.byLine.get(inner.start.line) ?? []).find((item) => contains(this.rangeOf(item), inner));
  }
}

/** Who is to produce an artifact, and whether it is done (the file must then exist). */
export interface Producer {
  done: boolean;
  /** `ps-r-001`, `phase 2`, `barrier 1 a→b`, for messages. */
  by?: string;
  status?: string;
}

function agentProducer(a: Tracker['agents'][number]): Producer {
  return { done: artifactsDue(a.status.status), by: a.id, status: a.status.status };
}

/** Lookups mdExpected / yamlExpected need, built once per analysis. */
export class Expectations {
  private readonly agentsById = new Map<string, Tracker['agents']>();
  private readonly agentRows: RangeIndex<Tracker['agents'][number]>;
  private readonly directionRows: RangeIndex<{ b: Tracker['barriers'][number]; d: Tracker['barriers'][number]['directions'][number] }>;
  private readonly items: RangeIndex<Tracker['checklist'][number]>;
  private readonly phases: RangeIndex<Tracker['phases'][number]>;
  private readonly barriers: RangeIndex<Tracker['barriers'][number]>;
  private yamlIndex?: {
    barrierArtifacts: Map<number, { st: string; by: string }>;
    agents: RangeIndex<NonNullable<Tracker['yaml']>['agents'][number]>;
    barriers: RangeIndex<NonNullable<Tracker['yaml']>['barriers'][number]>;
    phases: RangeIndex<NonNullable<Tracker['yaml']>['phases'][number]>;
  };

  constructor(private readonly tracker: Tracker) {
    for (const a of tracker.agents) {
      const list = this.agentsById.get(a.id);
      if (list) list.push(a);
      else this.agentsById.set(a.id, [a]);
    }
    this.agentRows = new RangeIndex(tracker.agents, (a) => a.row.range);
    this.directionRows = new RangeIndex(
      tracker.barriers.flatMap((b) => b.directions.map((d) => ({ b, d }))),
      (x) => x.d.row.range,
    );
    this.items = new RangeIndex(tracker.checklist, (c) => c.range);
    this.phases = new RangeIndex(tracker.phases, (p) => p.range);
    this.barriers = new RangeIndex(tracker.barriers, (b) => b.range);
  }

  /**
   * Whether a markdown path is claimed to exist, and by whom. An artifact of an agent that has not
   * finished (or an unchecked item of an unfinished phase) is simply not written yet: it is reported
   * as information ("not produced yet"), never as a warning.
   */
  md(ref: ArtifactRef): Producer {
    const rowAgent = this.agentRows.first(ref.range);
    if (ref.agentId) {
      const same = this.agentsById.get(ref.agentId) ?? [];
      // The occurrence whose row names the path, else one that lists it, else the first.
      const agent =
        (rowAgent && rowAgent.id === ref.agentId ? rowAgent : undefined) ??
        same.find((a) => contains(a.row.range, ref.range)) ??
        same.find((a) => a.artifacts.some((r) => cleanPath(r.path) === cleanPath(ref.path))) ??
        same[0];
      if (agent) return agentProducer(agent);
    }
    if (rowAgent) return agentProducer(rowAgent);
    const dir = this.directionRows.first(ref.range);
    if (dir) {
      const st = dir.d.status?.status ?? dir.b.status?.status ?? 'UNKNOWN';
      return { done: artifactsDue(dir.d.status?.status) || artifactsDue(dir.b.status?.status), by: `barrier ${dir.b.number} ${dir.d.direction}`, status: st };
    }
    const item = this.items.first(ref.range);
    if (item || ref.source === 'checklist') {
      if (item?.checked) return { done: true, by: 'the ticked checklist item' };
      const phase = this.phases.first(ref.range);
      if (phase) {
        const done = artifactsDue(phase.status?.status) || (phase.agents.length > 0 && phase.agents.every((a) => artifactsDue(a.status.status)));
        return { done, by: `phase ${phase.number}`, status: phase.status?.status };
      }
      const barrier = this.barriers.first(ref.range);
      if (barrier) return { done: artifactsDue(barrier.status?.status), by: `barrier ${barrier.number}`, status: barrier.status?.status };
      return { done: false, by: 'its unticked checklist item' };
    }
    return { done: true };
  }

  yaml(s: YamlScalar): Producer {
    const y = this.tracker.yaml;
    if (!y) return { done: true };
    if (!this.yamlIndex) {
      const barrierArtifacts = new Map<number, { st: string; by: string }>();
      for (const b of y.barriers) {
        for (const a of b.artifacts) {
          if (a.path && !barrierArtifacts.has(a.path.range.start.offset)) {
            barrierArtifacts.set(a.path.range.start.offset, { st: a.status ? statusOf(a.status) : b.status ? statusOf(b.status) : 'UNKNOWN', by: `barrier ${b.id}` });
          }
        }
      }
      this.yamlIndex = {
        barrierArtifacts,
        agents: new RangeIndex(y.agents, (a) => a.range),
        barriers: new RangeIndex(y.barriers, (b) => b.range),
        phases: new RangeIndex(y.phases, (p) => p.range),
      };
    }
    const ix = this.yamlIndex;
    const art = ix.barrierArtifacts.get(s.range.start.offset);
    if (art) return { done: artifactsDue(art.st), by: art.by, status: art.st };
    // The innermost agent holding the scalar decides (its artifact, and the inputs it was given).
    let best: { len: number; p: Producer } | undefined;
    for (const a of ix.agents.containing(s.range)) {
      const len = a.range.end.offset - a.range.start.offset;
      const st = a.status ? statusOf(a.status) : undefined;
      if (!best || len < best.len) best = { len, p: { done: artifactsDue(st), by: a.id, status: st } };
    }
    if (best) return best.p;
    const b = ix.barriers.first(s.range);
    if (b) return { done: !!b.status && artifactsDue(statusOf(b.status)), by: `barrier ${b.id}`, status: b.status ? statusOf(b.status) : undefined };
    const p = ix.phases.first(s.range);
    if (p) return { done: !!p.status && artifactsDue(statusOf(p.status)), by: `phase ${p.number}`, status: p.status ? statusOf(p.status) : undefined };
    return { done: true };
  }
}

function statusOf(s: YamlScalar): string {
  return typeof s.value === 'string' ? toStatus(s.value) : 'UNKNOWN';
}

