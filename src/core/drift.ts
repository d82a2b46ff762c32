/**
 * Status drift (markdown vs ORCHESTRATION.yaml) and self-contradiction (the markdown against itself).
 *
 * Statuses are compared by meaning, not spelling: both sides go through `toStatus`, and statuses
 * that mean "not started yet" (PENDING, READY, BLOCKED) are treated as agreeing, because trackers
 * use them interchangeably for work that has not begun and flagging that is noise.
 */
import type { Finding, FindingSubject, Range, Status, StatusValue, Tracker, YamlScalar } from './model';
import { isFinished, statusClass, toStatus } from './status';
import { firstPerId } from './units';

export type DriftKind = FindingSubject;

/** Two statuses agree when they mean the same for "is this work done / going / not begun" (`statusClass`). */
export function statusesAgree(a: Status, b: Status): boolean {
  return statusClass(a) === statusClass(b);
}

function yamlStatus(s: YamlScalar | undefined): Status | undefined {
  if (!s || typeof s.value !== 'string') return undefined;
  return toStatus(s.value);
}

/** One status for several YAML entries of the same phase (one per pipeline). */
export function combineStatuses(list: Status[]): Status | undefined {
  const known = list.filter((s) => s !== 'UNKNOWN');
  if (known.length === 0) return undefined;
  if (known.every((s) => s === known[0])) return known[0];
  if (known.every(isFinished)) return 'COMPLETE';
  if (known.some((s) => s === 'IN_PROGRESS' || s === 'COMPLETE')) return 'IN_PROGRESS';
  if (known.includes('FAILED')) return 'FAILED';
  if (known.every((s) => statusClass(s) === 'waiting')) return known.includes('BLOCKED') ? 'BLOCKED' : 'PENDING';
  return known[0];
}

function label(kind: DriftKind, id: string): string {
  switch (kind) {
    case 'agent':
      return `Agent ${id}`;
    case 'phase':
      return `Phase ${id}`;
    case 'barrier':
      return `Barrier ${id}`;
    default:
      return 'The workflow';
  }
}

function pair(
  tracker: Tracker,
  kind: DriftKind,
  id: string,
  md: StatusValue,
  yaml: { status: Status; sites: { range: Range; raw: string }[] },
): Finding[] {
  const yamlFile = tracker.yaml?.file ?? '';
  const data = { md: md.status, yaml: yaml.status, kind, id };
  const what = label(kind, id);
  const out: Finding[] = [
    {
      code: 'status-drift',
      severity: 'warning',
      message: `${what} is ${md.status} here but ${yaml.status} in ${basename(yamlFile)}.`,
      file: tracker.file,
      range: md.range,
      related: yaml.sites.map((s) => ({ file: yamlFile, range: s.range, message: `${basename(yamlFile)} says ${s.raw}` })),
      data,
    },
  ];
  for (const s of yaml.sites) {
    out.push({
      code: 'status-drift',
      severity: 'warning',
      message: `${what} is ${yaml.sites.length === 1 ? yaml.status : toStatus(s.raw)} here but ${md.status} in ${basename(tracker.file)}.`,
      file: yamlFile,
      range: s.range,
      related: [{ file: tracker.file, range: md.range, message: `${basename(tracker.file)} says ${md.raw}` }],
      data,
    });
  }
  return out;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

function site(s: YamlScalar): { range: Range; raw: string } {
  return { range: s.range, raw: String(s.value) };
}

/**
 * A workflow status naming its current phase (`PHASE 3 PENDING`, `PHASE_2_IN_PROGRESS`) says the
 * workflow is under way, whatever the phase's own state.
 */
function workflowLevel(raw: string, status: Status): Status {
  return /^[^\p{L}\d]*PHASE[\s_-]*\d+/iu.test(raw) ? 'IN_PROGRESS' : status;
}

export function driftFindings(tracker: Tracker): Finding[] {
  const y = tracker.yaml;
  if (!y) return [];
  const out: Finding[] = [];

  // Workflow: header Status vs workflow.status (ACTIVE reads as IN_PROGRESS on both sides).
  const mdWf = tracker.workflowStatus ? { ...tracker.workflowStatus, status: workflowLevel(tracker.workflowStatus.raw, tracker.workflowStatus.status) } : undefined;
  const yWfRaw = y.workflow.status;
  const yWf0 = yamlStatus(yWfRaw);
  const yWf = yWf0 && yWfRaw ? workflowLevel(String(yWfRaw.value), yWf0) : yWf0;
  if (mdWf && y.workflow.status && yWf && mdWf.status !== 'UNKNOWN' && yWf !== 'UNKNOWN' && !statusesAgree(mdWf.status, yWf)) {
    out.push(...pair(tracker, 'workflow', 'workflow', mdWf, { status: yWf, sites: [site(y.workflow.status)] }));
  }

  // Agents, by id; the first occurrence on each side (duplicates are the readers' id-duplicate).
  const yAgents = new Map(firstPerId(y.agents, (a) => a.id).map((a) => [a.id, a]));
  for (const a of firstPerId(tracker.agents, (x) => x.id)) {
    const ya = yAgents.get(a.id);
    const ys = yamlStatus(ya?.status);
    if (!ya?.status || !ys || ys === 'UNKNOWN' || a.status.status === 'UNKNOWN') continue;
    if (!statusesAgree(a.status.status, ys)) out.push(...pair(tracker, 'agent', a.id, a.status, { status: ys, sites: [site(ya.status)] }));
  }

  // Phases, by number; the YAML may hold one entry per pipeline for the same number.
  for (const p of tracker.phases) {
    if (!p.status || p.status.status === 'UNKNOWN') continue;
    const entries = y.phases.filter((yp) => yp.number === p.number && yp.status && yamlStatus(yp.status) !== 'UNKNOWN');
    const combined = combineStatuses(entries.map((e) => yamlStatus(e.status) as Status));
    if (!combined || statusesAgree(p.status.status, combined)) continue;
    const disagreeing = entries.filter((e) => !statusesAgree(p.status!.status, yamlStatus(e.status) as Status));
    out.push(...pair(tracker, 'phase', String(p.number), p.status, { status: combined, sites: disagreeing.map((e) => site(e.status!)) }));
  }

  // Barriers, by number.
  for (const b of tracker.barriers) {
    if (!b.status || b.status.status === 'UNKNOWN') continue;
    const yb = y.barriers.find((x) => x.number === b.number) ?? y.barriers.find((x) => x.id === b.id);
    const ys = yamlStatus(yb?.status);
    if (!yb?.status || !ys || ys === 'UNKNOWN') continue;
    if (!statusesAgree(b.status.status, ys)) out.push(...pair(tracker, 'barrier', String(b.number), b.status, { status: ys, sites: [site(yb.status)] }));
  }
  return out;
}

function unfinished(s: StatusValue | undefined): boolean {
  return !!s && s.status !== 'UNKNOWN' && !isFinished(s.status);
}

const MAX_RELATED = 20;

/**
 * `APPROVED` on a workflow or a phase means the plan was approved and nothing has run yet (READY),
 * whatever the status vocabulary maps it to for agents and gates.
 */
function approvedPlan(s: StatusValue): boolean {
  return /^[^\p{L}\d]*APPROVED\b/iu.test(s.raw);
}

export function selfContradictionFindings(tracker: Tracker): Finding[] {
  const out: Finding[] = [];
  const wf = tracker.workflowStatus;
  if (wf && wf.status === 'COMPLETE' && !approvedPlan(wf)) {
    const phases = tracker.phases.filter((p) => unfinished(p.status));
    const barriers = tracker.barriers.filter((b) => unfinished(b.status));
    const agents = firstPerId(tracker.agents, (a) => a.id).filter((a) => unfinished(a.status));
    if (phases.length + barriers.length + agents.length > 0) {
      const parts: string[] = [];
      if (phases.length) parts.push(`phase ${phases.map((p) => `${p.number} (${p.status!.status})`).join(', ')}`);
      if (barriers.length) parts.push(`barrier ${barriers.map((b) => `${b.number} (${b.status!.status})`).join(', ')}`);
      if (agents.length) parts.push(`${agents.length} agent${agents.length === 1 ? '' : 's'} (${agents.slice(0, 5).map((a) => a.id).join(', ')}${agents.length > 5 ? ', …' : ''})`);
      out.push({
        code: 'self-contradiction',
        severity: 'warning',
        message: `The header says ${wf.raw} but ${parts.join('; ')} ${phases.length + barriers.length + agents.length === 1 ? 'is' : 'are'} not finished.`,
        file: tracker.file,
        range: wf.range,
        related: [
          ...phases.map((p) => ({ file: tracker.file, range: p.status!.range, message: `Phase ${p.number}: ${p.status!.raw}` })),
          ...barriers.map((b) => ({ file: tracker.file, range: b.status!.range, message: `Barrier ${b.number}: ${b.status!.raw}` })),
          ...agents.map((a) => ({ file: tracker.file, range: a.status.range, message: `${a.id}: ${a.status.raw}` })),
        ].slice(0, MAX_RELATED),
        data: {
          kind: 'workflow',
          status: wf.status,
          phases: phases.map((p) => p.number),
          barriers: barriers.map((b) => b.number),
          agents: agents.map((a) => a.id),
        },
      });
    }
  }
  for (const p of tracker.phases) {
    if (p.status?.status !== 'COMPLETE' || approvedPlan(p.status)) continue;
    const agents = p.agents.filter((a) => unfinished(a.status));
    if (agents.length === 0) continue;
    out.push({
      code: 'self-contradiction',
      severity: 'warning',
      message: `Phase ${p.number} says ${p.status.raw} but ${agents.map((a) => `${a.id} is ${a.status.status}`).slice(0, 5).join(', ')}${agents.length > 5 ? ', …' : ''}.`,
      file: tracker.file,
      range: p.status.range,
      related: agents.slice(0, MAX_RELATED).map((a) => ({ file: tracker.file, range: a.status.range, message: `${a.id}: ${a.status.raw}` })),
      data: { kind: 'phase', phase: p.number, status: p.status.status, agents: agents.map((a) => a.id) },
    });
  }
  return out;
}
