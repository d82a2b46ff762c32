/**
 * What each editing tool does to a parsed tracker, shared by the MCP server and the VS Code tools:
 * the arguments are checked first (`plan`), then `build` turns the tracker into the core's minimal
 * text edits, or refuses with a `ToolError` that names what to do next (the closest ids, the rows
 * an ambiguous id is written in). Writing (locked files, or a WorkspaceEdit) is the caller's.
 */
import { AgentOccurrenceError, AmbiguousAgentError, addArtifactEdits, logEventEdits, samePath, setAgentStatus, setArtifactChecked, setBarrierStatus, setPhaseStatus } from '../core/edits';
import { syncDerived } from '../core/dashboard';
import { occurrences } from '../core/units';
import type { Agent, ChecklistItem, Status, TextEdit, Tracker } from '../core/model';
import { closeIds, editDistance, parseStatusArg, validDate } from './args';
import { STATUS_WORDS } from './catalog';
import type { EditToolName, ToolArgs } from './definitions';

/** A refusal with a stable code (`unknown-id`, `ambiguous`, `changed-meanwhile`, ...) and details to act on. */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

/** The edits, or the edits and extra result fields (log_event names the table it wrote to). */
export type Built = TextEdit[] | { edits: TextEdit[]; extra: Json };

export interface EditPlan {
  /** The change in a few words: "ps-r-001 → COMPLETE". */
  what: string;
  build(t: Tracker): Built;
}

/** How the caller names a tracker's files (the core path of its markdown or YAML) to the agent. */
export type Labeler = (corePath: string) => string;

export function parseStatus(raw: string): Status {
  const s = parseStatusArg(raw);
  if (!s) throw new ToolError('invalid-input', `unknown status "${raw}"; use one of ${STATUS_WORDS.join(', ')}`, { statuses: STATUS_WORDS });
  return s;
}

export function checkDate(d: string | undefined, name = 'date'): void {
  if (d !== undefined && !validDate(d)) throw new ToolError('invalid-input', `${name} ${d}: expected YYYY-MM-DD or an ISO timestamp`);
}

type Occurrence = { file: 'md' | 'yaml'; line: number; phase?: number; pipeline?: string; status: Status; raw: string };

function occurrenceJson(t: Tracker, label: Labeler, o: Occurrence): Json & { line: number; phase?: number; status: Status } {
  return {
    file: label(o.file === 'yaml' && t.yaml ? t.yaml.file : t.file),
    line: o.line + 1,
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
    ...(o.pipeline !== undefined ? { pipeline: o.pipeline } : {}),
    status: o.status,
    raw: o.raw,
  };
}

function unknownAgent(id: string, known: string[]): ToolError {
  const closest = closeIds(id, known);
  const hint = closest.length ? `; closest: ${closest.join(', ')}` : known.length ? '' : ' (this tracker has no agents)';
  return new ToolError('unknown-id', `unknown agent id "${id}"${hint}`, { id, closest });
}

// ---------------------------------------------------------------- one plan per editing tool

function agentStatusPlan(a: ToolArgs<'set_agent_status'>, label: Labeler): EditPlan {
  const st = parseStatus(a.status);
  checkDate(a.date);
  return {
    what: `${a.id} → ${st}`,
    build(t) {
      const known = [...t.agents.map((x) => x.id), ...(t.yaml?.agents ?? []).map((x) => x.id)];
      if (!known.some((k) => k.toLowerCase() === a.id.toLowerCase())) throw unknownAgent(a.id, known);
      try {
        return setAgentStatus(t, a.id, st, { ...(a.date !== undefined ? { date: a.date } : {}), line: a.line === undefined ? undefined : a.line - 1, phase: a.phase });
      } catch (e) {
        if (!(e instanceof AgentOccurrenceError)) throw e;
        const occ = e.occurrences.map((o) => occurrenceJson(t, label, o));
        const list = occ.map((o) => `line ${o.line}${o.phase !== undefined ? ` (phase ${o.phase})` : ''}: ${o.status}`).join('; ');
        if (e instanceof AmbiguousAgentError) throw new ToolError('ambiguous', `agent "${a.id}" is written in ${occ.length} rows; pass line or phase: ${list}`, { id: a.id, occurrences: occ });
        const at = [a.line !== undefined ? `line ${a.line}` : '', a.phase !== undefined ? `phase ${a.phase}` : ''].filter(Boolean).join(' and ');
        throw new ToolError('no-such-occurrence', `agent "${a.id}" has no row at ${at}; its rows: ${list}`, { id: a.id, occurrences: occ });
      }
    },
  };
}

function phaseStatusPlan(a: ToolArgs<'set_phase_status'>): EditPlan {
  const st = parseStatus(a.status);
  return {
    what: `Phase ${a.phase} → ${st}`,
    build(t) {
      const md = t.phases.filter((p) => p.number === a.phase);
      const phases = t.phases.map((p) => ({ number: p.number, title: p.title, line: p.heading.range.start.line + 1 }));
      if (md.length === 0 && !(t.yaml?.phases ?? []).some((p) => p.number === a.phase)) {
        throw new ToolError('unknown-id', `no Phase ${a.phase}; its phases: ${phases.map((p) => p.number).join(', ') || 'none'}`, { phases });
      }
      if (md.length > 1) {
        const lines = md.map((p) => p.heading.range.start.line + 1).join(', ');
        throw new ToolError('ambiguous', `Phase ${a.phase} has ${md.length} headings (lines ${lines}); edit it by hand`, { phases: phases.filter((p) => p.number === a.phase) });
      }
      return setPhaseStatus(t, a.phase, st);
    },
  };
}

function barrierStatusPlan(a: ToolArgs<'set_barrier_status'>): EditPlan {
  const st = parseStatus(a.status);
  return {
    what: `barrier ${a.barrier}${a.direction ? ` ${a.direction}` : ''} → ${st}`,
    build(t) {
      const list = t.barriers.map((b) => ({ number: b.number, id: b.id, title: b.title, line: (b.row?.range ?? b.heading.range).start.line + 1, directions: b.directions.map((d) => d.direction) }));
      try {
        return setBarrierStatus(t, a.barrier, st, a.direction !== undefined ? { direction: a.direction } : undefined);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (/^unknown barrier/.test(msg)) {
          const closest = closeIds(String(a.barrier), t.barriers.map((b) => b.id));
          throw new ToolError('unknown-id', `no barrier ${a.barrier}; its barriers: ${list.map((b) => `${b.number} (${b.id})`).join(', ') || 'none'}`, { barriers: list, closest });
        }
        if (/^unknown direction/.test(msg)) {
          const dirs = list.filter((b) => b.directions.length).map((b) => `${b.id}: ${b.directions.join(', ')}`).join('; ') || 'none';
          throw new ToolError('unknown-id', `${msg}; its directions: ${dirs}`, { barriers: list });
        }
        throw e;
      }
    },
  };
}

/** The one checklist item an artifact path and/or a 1-based line names, or a refusal naming the nearest ones. */
function findChecklistItem(t: Tracker, path: string | undefined, line: number | undefined): ChecklistItem {
  const seen = new Set<number>();
  const items: ChecklistItem[] = [];
  for (const c of [...t.checklist, ...t.nextActions]) {
    if (seen.has(c.checkRange.start.offset)) continue;
    seen.add(c.checkRange.start.offset);
    items.push(c);
  }
  const itemJson = (c: ChecklistItem) => ({ line: c.range.start.line + 1, checked: c.checked, text: c.text, ...(c.artifact ? { path: c.artifact.path } : {}) });
  const names = (c: ChecklistItem) => path === undefined || (!!c.artifact && samePath(c.artifact.path, path)) || (line !== undefined && c.text.includes(path));
  let hits = items.filter((c) => (line === undefined || c.range.start.line + 1 === line) && names(c));
  if (path !== undefined && line === undefined && hits.length === 0) hits = items.filter((c) => c.text.includes(path));
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) {
    const occ = hits.map(itemJson);
    throw new ToolError('ambiguous', `${path} is listed in ${hits.length} checklist items (lines ${occ.map((o) => o.line).join(', ')}); pass line`, { occurrences: occ });
  }
  if (path !== undefined) {
    const paths = [...new Set(items.flatMap((c) => (c.artifact ? [c.artifact.path] : [])))];
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1).toLowerCase();
    const closest = [...new Set([...closeIds(path, paths), ...paths.filter((p) => editDistance(base(p), base(path)) <= 3)])].slice(0, 5);
    throw new ToolError('unknown-id', `no checklist item ${line !== undefined ? `at line ${line} ` : ''}lists ${path}${closest.length ? `; closest: ${closest.join(', ')}` : ''}`, { path, closest });
  }
  const near = items.filter((c) => Math.abs(c.range.start.line + 1 - line!) <= 5).map(itemJson);
  throw new ToolError('unknown-id', `no checklist item at line ${line}${near.length ? `; items nearby: lines ${near.map((n) => n.line).join(', ')}` : ''}`, { items: near });
}

function artifactCheckedPlan(a: ToolArgs<'set_artifact_checked'>): EditPlan {
  if (a.path === undefined && a.line === undefined) throw new ToolError('invalid-input', 'give the item\'s path or its line');
  return {
    what: `${a.path ?? `line ${a.line}`} → ${a.checked ? '[x]' : '[ ]'}`,
    build: (t) => setArtifactChecked(t, findChecklistItem(t, a.path, a.line), a.checked),
  };
}

function syncPlan(a: ToolArgs<'sync_dashboard'>): EditPlan {
  checkDate(a.date);
  const now = a.date !== undefined ? new Date(a.date) : new Date();
  return { what: 'dashboard and metrics synced', build: (t) => syncDerived(t, { now }) };
}

/** The one markdown row of an agent that id, line and phase name, or a refusal listing its rows. */
export function pickAgent(t: Tracker, label: Labeler, id: string, line1?: number, phase?: number): Agent {
  const all = occurrences(t.agents.filter((x) => x.id.trim().toLowerCase() === id.trim().toLowerCase()));
  if (all.length === 0) {
    const inYaml = (t.yaml?.agents ?? []).some((y) => y.id.toLowerCase() === id.toLowerCase());
    if (inYaml) throw new ToolError('no-place', `agent "${id}" is only in the YAML; add_artifact edits the markdown's rows`, { id });
    throw unknownAgent(id, t.agents.map((x) => x.id));
  }
  const occ = (x: Agent) => occurrenceJson(t, label, { file: 'md', line: x.row.range.start.line, phase: x.phase, pipeline: x.pipeline, status: x.status.status, raw: x.status.raw });
  const keep = all.filter((x) => (line1 === undefined || x.row.range.start.line + 1 === line1) && (phase === undefined || x.phase === phase));
  if (keep.length === 1) return keep[0];
  if (keep.length === 0) throw new ToolError('no-such-occurrence', `agent "${id}" has no row at ${line1 !== undefined ? `line ${line1}` : `phase ${phase}`}`, { id, occurrences: all.map(occ) });
  const lines = keep.map((x) => x.row.range.start.line + 1).join(', ');
  throw new ToolError('ambiguous', `agent "${id}" is written in ${keep.length} rows (lines ${lines}); pass line or phase`, { id, occurrences: keep.map(occ) });
}

function addArtifactPlan(a: ToolArgs<'add_artifact'>, label: Labeler): EditPlan {
  return {
    what: `${a.path} added to ${a.id}`,
    build: (t) => addArtifactEdits(t, pickAgent(t, label, a.id, a.line, a.phase), a.path, { checked: a.checked }),
  };
}

function logEventPlan(a: ToolArgs<'log_event'>): EditPlan {
  checkDate(a.timestamp, 'timestamp');
  return {
    what: `logged ${a.event}`,
    build(t) {
      const r = logEventEdits(t, { log: a.log, event: a.event, details: a.details, timestamp: a.timestamp, values: a.values });
      return { edits: r.edits, extra: { log: { heading: r.table.heading, kind: r.table.kind, line: r.table.line } } };
    },
  };
}

/** The plan of each editing tool, by its name. Throws a `ToolError` for arguments no tracker could accept. */
export const EDIT_PLANS: { [N in EditToolName]: (args: ToolArgs<N>, label: Labeler) => EditPlan } = {
  set_agent_status: agentStatusPlan,
  set_phase_status: phaseStatusPlan,
  set_barrier_status: barrierStatusPlan,
  set_artifact_checked: artifactCheckedPlan,
  sync_dashboard: syncPlan,
  add_artifact: addArtifactPlan,
  log_event: logEventPlan,
};

export function isEditTool(name: string): name is EditToolName {
  return name in EDIT_PLANS;
}

/** The edits of a built result. */
export function editsOf(b: Built): { edits: TextEdit[]; extra: Json } {
  return Array.isArray(b) ? { edits: b, extra: {} } : b;
}
