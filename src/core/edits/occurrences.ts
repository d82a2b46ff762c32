/**
 * Which occurrence of an agent id an edit addresses (a unit is a row, not a name): every occurrence
 * of an id, the one a line or phase picks (else `AmbiguousAgentError` / `NoSuchAgentOccurrenceError`),
 * and the YAML record that belongs to a markdown row without doubt. Public through `./index.ts`.
 */
import type { Status, Tracker, YamlAgent } from '../model';
import { toStatus } from '../status';
import { escapeRe } from '../text';
import type { EditOptions } from './dates';

// ---------------------------------------------------------------- agents

export function sameId(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Which occurrence of an agent id an edit addresses (a unit is a row, not a name). */
export interface AgentTarget {
  /** 0-based line of the agent's table row in the markdown (`Agent.row.range.start.line`). */
  line?: number;
  /** Phase number the row sits under (`Agent.phase`). */
  phase?: number;
}

export type AgentEditOptions = EditOptions & AgentTarget;

/** One place an agent id is written: a markdown table row, or (when the markdown has none) a YAML record. */
export interface AgentOccurrence {
  id: string;
  file: 'md' | 'yaml';
  /** 0-based line of the row (md) or of the record (YAML). */
  line: number;
  phase?: number;
  pipeline?: string;
  status: Status;
  raw: string;
}

/** The id names more than one occurrence, or none matches the given line/phase. Nothing was edited. */
export class AgentOccurrenceError extends Error {
  constructor(
    message: string,
    readonly agentId: string,
    readonly occurrences: AgentOccurrence[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The id occurs more than once and neither `line` nor `phase` picks exactly one. */
export class AmbiguousAgentError extends AgentOccurrenceError {}

/** `line` / `phase` name no occurrence of the id. */
export class NoSuchAgentOccurrenceError extends AgentOccurrenceError {}

function describeOccurrence(o: AgentOccurrence): string {
  return `${o.file === 'yaml' ? 'yaml ' : ''}line ${o.line + 1}${o.phase !== undefined ? ` (Phase ${o.phase})` : ''}: ${o.status}`;
}

/** Every occurrence of `agentId` (case-insensitive): markdown rows in file order; YAML records only when the markdown has none. */
export function agentOccurrences(tracker: Tracker, agentId: string): AgentOccurrence[] {
  const md = tracker.agents.filter((a) => sameId(a.id, agentId));
  if (md.length > 0) {
    return md.map((a) => ({ id: a.id, file: 'md', line: a.row.range.start.line, phase: a.phase, pipeline: a.pipeline, status: a.status.status, raw: a.status.raw }));
  }
  return (tracker.yaml?.agents ?? [])
    .filter((y) => sameId(y.id, agentId))
    .map((y) => {
      const raw = y.status && y.status.value !== null ? String(y.status.value) : '';
      return { id: y.id, file: 'yaml', line: y.range.start.line, phase: y.phase, pipeline: y.pipeline, status: raw ? toStatus(raw) : 'UNKNOWN', raw };
    });
}

/** Narrows `list` by the target; throws when the result is not exactly one. */
export function pickOne<T>(agentId: string, list: T[], occ: AgentOccurrence[], target: AgentTarget): T {
  const matches = (o: AgentOccurrence): boolean => (target.line === undefined || o.line === target.line) && (target.phase === undefined || o.phase === target.phase);
  const keep = list.filter((_, i) => matches(occ[i]));
  if (keep.length === 1) return keep[0];
  const where = [target.line !== undefined ? `line ${target.line + 1}` : '', target.phase !== undefined ? `Phase ${target.phase}` : ''].filter(Boolean).join(', ');
  if (keep.length === 0) {
    throw new NoSuchAgentOccurrenceError(`agent ${agentId} has no occurrence at ${where} (occurrences: ${occ.map(describeOccurrence).join('; ')})`, agentId, occ);
  }
  const kept = occ.filter(matches);
  throw new AmbiguousAgentError(
    `agent ${agentId} occurs ${kept.length} times${where ? ` at ${where}` : ''}; pick one by line or phase (${kept.map(describeOccurrence).join('; ')})`,
    agentId,
    kept,
  );
}

/**
 * The YAML record of one markdown occurrence, only when it matches without doubt: the id occurs
 * once on each side; or the record with that id under the same phase, or a per-phase id
 * (`x-p0`, `x-phase-0`, `x_p0`) for the occurrence's phase — and exactly one such record.
 */
export function yamlRecordOf(tracker: Tracker, agent: Tracker['agents'][number], mdCount: number): YamlAgent | undefined {
  const all = tracker.yaml?.agents ?? [];
  const exact = all.filter((y) => sameId(y.id, agent.id));
  if (mdCount === 1 && exact.length === 1) return exact[0];
  if (agent.phase === undefined) return undefined;
  const perPhase = new RegExp(`^${escapeRe(agent.id.trim())}[-_.](?:p|ph|phase)[-_]?0*${agent.phase}$`, 'i');
  const candidates = [...exact.filter((y) => y.phase === agent.phase), ...all.filter((y) => perPhase.test(y.id.trim()))];
  const unique = [...new Set(candidates)];
  return unique.length === 1 ? unique[0] : undefined;
}
