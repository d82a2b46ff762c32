/**
 * Progress measured from the model: per phase, per pipeline, per barrier, and the overall counts a
 * dashboard or a metrics table may show. Pure; imported by the other dashboard files and, through
 * `index.ts`, by anyone (`progressOf`).
 */
import type { Agent, Barrier, Phase, Status, Tracker } from '../model';
import { isFinished } from '../status';
import { escapeRe } from '../text';
import { countUnits, occurrences, perTracker, unitCount, workUnits, type UnitCount } from '../units';

export interface Count {
  done: number;
  total: number;
}

export interface PipelineProgress {
  /** Normalised key (`ps`, `pipeline a`). */
  key: string;
  /** Label as first written in a group title (`ps-*`, `Pipeline A`). */
  label: string;
  tokens: Set<string>;
}

/** A phase's, or one pipeline's share of a phase: its units, their count and what they say. */
export interface PipelineShare {
  agents: Agent[];
  count: Count;
  percent: number;
  /** Status derived from the agents (the heading's when there are none). */
  status: Status;
}

export interface PhaseProgress extends PipelineShare {
  number: number;
  title: string;
  phase?: Phase;
  /** The heading's own status, when it has one. */
  headingStatus?: Status;
  /** Per pipeline key: that pipeline's share of the phase. */
  byPipeline: Map<string, PipelineShare>;
}

export interface BarrierProgress {
  number: number;
  title: string;
  status?: Status;
  derived?: Status;
}

export interface Progress {
  pipelines: PipelineProgress[];
  phases: PhaseProgress[];
  barriers: BarrierProgress[];
  /** The unit count (`unitCount`): each occurrence once, and how many are in each status. */
  agents: UnitCount;
  /** Phases counted once each, and once per pipeline group (both conventions are used). */
  phasesFlat: Count;
  /** Phases whose heading says COMPLETE (derived status when a heading has none). */
  phasesByHeading: Count;
  phasesByPipeline: Count;
  barriersCount: Count;
  /** Artifact checklist items (phase and barrier lists) ticked / listed. */
  artifacts: Count;
  /** Artifacts named by agent rows and barrier hand-offs: done when their producer is. */
  produced: Count;
  overallPercent: number;
}

export function pct(c: Count): number {
  return c.total === 0 ? 0 : Math.round((100 * c.done) / c.total);
}

export function countOf(agents: readonly Agent[]): Count {
  const { done, total } = countUnits(agents);
  return { done, total };
}

/** What a set of agents says about the work they make up. */
function deriveStatus(agents: readonly Agent[], fallback: Status | undefined): Status {
  if (agents.length === 0) return fallback ?? 'PENDING';
  const s = agents.map((a) => a.status.status);
  if (s.every(isFinished)) return 'COMPLETE';
  if (s.some((x) => x === 'IN_PROGRESS')) return 'IN_PROGRESS';
  if (s.some((x) => x === 'FAILED')) return 'FAILED';
  if (s.some(isFinished)) return 'IN_PROGRESS';
  if (s.some((x) => x === 'BLOCKED')) return 'BLOCKED';
  if (s.every((x) => x === 'READY')) return 'READY';
  return 'PENDING';
}

const STOP = new Set(['pipeline', 'pipelines', 'track', 'stream', 'the', 'phase', 'agents', 'agent', 'and']);

export function tokensOf(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((t) => t !== '' && !STOP.has(t)),
  );
}

/** Pipeline a group belongs to: its alias, else the title text before `Phase N`. */
function pipelineOfGroup(title: string, alias: string | undefined): { key: string; label: string } | undefined {
  const m = /^(.*?)\bphase\s*\d+/i.exec(title);
  const prefix = m ? m[1].replace(/[\s:—–-]+$/, '').trim() : '';
  if (alias) return { key: alias.toLowerCase(), label: prefix || alias };
  if (!prefix) return undefined;
  const key = prefix.replace(/\([^)]*\)/g, '').replace(/[*\s]+/g, ' ').trim().toLowerCase();
  return key ? { key, label: prefix.replace(/\s*\([^)]*\)\s*$/, '') } : undefined;
}

/** Progress of a Tracker, computed once per Tracker (sync asks several times). */
export const progressOf: (tracker: Tracker) => Progress = perTracker((t) => computeProgress(t));

/** Pipelines: group keys that recur over phases (a one-off `Stream A` split is not a pipeline). */
function pipelinesOf(tracker: Tracker): PipelineProgress[] {
  const seen = new Map<string, { label: string; phases: Set<number>; tokens: Set<string> }>();
  for (const p of tracker.phases) {
    for (const g of p.groups) {
      const k = pipelineOfGroup(g.title, g.alias);
      if (!k) continue;
      const e = seen.get(k.key) ?? { label: k.label, phases: new Set<number>(), tokens: new Set<string>() };
      e.phases.add(p.number);
      const m = /^(.*?)\bphase\s*\d+/i.exec(g.title);
      for (const t of tokensOf(m ? m[1] : g.title)) e.tokens.add(t);
      if (g.alias) e.tokens.add(g.alias.toLowerCase());
      seen.set(k.key, e);
    }
  }
  const multiPhase = tracker.phases.length > 1;
  const pipelines = [...seen].filter(([, v]) => !multiPhase || v.phases.size > 1).map(([key, v]) => ({ key, label: v.label, tokens: v.tokens }));
  return pipelines.length < 2 ? [] : pipelines;
}

function phaseProgress(p: Phase, pipelines: readonly PipelineProgress[]): PhaseProgress {
  const agents = occurrences(p.agents);
  const count = countOf(agents);
  const headingStatus = p.status?.status;
  const status = agents.length ? deriveStatus(agents, headingStatus) : headingStatus ?? 'PENDING';
  const byPipeline = new Map<string, PipelineShare>();
  for (const g of p.groups) {
    const k = pipelineOfGroup(g.title, g.alias);
    if (!k || !pipelines.some((x) => x.key === k.key)) continue;
    const prev = byPipeline.get(k.key)?.agents ?? [];
    const ga = occurrences([...prev, ...g.agents]);
    const c = countOf(ga);
    byPipeline.set(k.key, { agents: ga, count: c, percent: ga.length ? pct(c) : percentOfStatus(status), status: deriveStatus(ga, headingStatus) });
  }
  return { number: p.number, title: p.title, phase: p, agents, count, percent: agents.length ? pct(count) : percentOfStatus(status), status, headingStatus, byPipeline };
}

function barrierProgress(b: Barrier): BarrierProgress {
  const ds = b.directions.map((d) => d.status?.status).filter((s): s is Status => !!s);
  let derived: Status | undefined;
  if (ds.length) {
    if (ds.every(isFinished)) derived = 'COMPLETE';
    else if (ds.some((s) => isFinished(s) || s === 'IN_PROGRESS')) derived = 'IN_PROGRESS';
    else derived = ds.includes('BLOCKED') ? 'BLOCKED' : 'PENDING';
  }
  return { number: b.number, title: b.title, status: b.status?.status, derived };
}

/** Phases done counted once each, by heading, and once per pipeline share. */
function phaseCounts(phases: readonly PhaseProgress[]): Pick<Progress, 'phasesFlat' | 'phasesByHeading' | 'phasesByPipeline'> {
  const phasesFlat: Count = { done: phases.filter((p) => p.status === 'COMPLETE').length, total: phases.length };
  // What the headings say, for files whose phase rows lag (or lead) their agents.
  const phasesByHeading: Count = { done: phases.filter((p) => (p.headingStatus ?? p.status) === 'COMPLETE').length, total: phases.length };
  const phasesByPipeline: Count = { done: 0, total: 0 };
  for (const p of phases) {
    const shares = p.byPipeline.size === 0 ? [p] : [...p.byPipeline.values()];
    for (const g of shares) {
      phasesByPipeline.total++;
      if (g.status === 'COMPLETE') phasesByPipeline.done++;
    }
  }
  return { phasesFlat, phasesByHeading, phasesByPipeline };
}

/** Two conventions for artifacts: checklist items ticked, and one per producing agent or hand-off. */
function artifactCounts(tracker: Tracker, units: readonly Agent[]): Pick<Progress, 'artifacts' | 'produced'> {
  const lists = [...tracker.phases.flatMap((p) => p.checklist), ...tracker.barriers.flatMap((b) => b.checklist)].filter((c) => c.artifact);
  const artifacts: Count = { done: lists.filter((c) => c.checked).length, total: lists.length };
  const produced: Count = { done: 0, total: 0 };
  const producer = (names: boolean, status: Status | undefined): void => {
    if (!names) return;
    produced.total++;
    if (isFinished(status)) produced.done++;
  };
  for (const a of units) producer(a.artifacts.length > 0 || (!!a.artifactCell && !/^[-—–\s]*$/.test(a.artifactCell.text)), a.status.status);
  for (const b of tracker.barriers) for (const d of b.directions) producer(!!d.artifact || d.artifacts.length > 0, d.status?.status);
  return { artifacts, produced };
}

function computeProgress(tracker: Tracker): Progress {
  const pipelines = pipelinesOf(tracker);
  const phases = tracker.phases.map((p) => phaseProgress(p, pipelines));
  const barriers = tracker.barriers.map(barrierProgress);
  const agents = unitCount(tracker);
  const counts = phaseCounts(phases);
  const barrierDone = (b: BarrierProgress): boolean => (b.status ?? b.derived) === 'COMPLETE';
  const barriersCount: Count = { done: barriers.filter(barrierDone).length, total: barriers.length };
  const overallPercent = agents.total ? pct(agents) : counts.phasesFlat.total ? pct(counts.phasesFlat) : 0;
  return { pipelines, phases, barriers, agents, ...counts, barriersCount, ...artifactCounts(tracker, workUnits(tracker)), overallPercent };
}

export function percentOfStatus(s: Status): number {
  return isFinished(s) ? 100 : 0;
}

/** Agents of the one group (or phase) whose title names `token` (`TASK-002`, `EN-027`). */
export function agentsOfToken(tracker: Tracker, token: string): Agent[] | undefined {
  const re = new RegExp(`(?<![\\w-])${escapeRe(token)}(?![\\w-])`, 'i');
  const groups = tracker.phases.flatMap((p) => p.groups).filter((g) => re.test(g.title) && g.agents.length);
  if (groups.length === 1) return occurrences(groups[0].agents);
  if (groups.length > 1) return undefined;
  const phases = tracker.phases.filter((p) => re.test(p.title) && p.agents.length);
  if (phases.length === 1) return occurrences(phases[0].agents);
  return undefined;
}
