/**
 * The JSON shapes of a tracker and of a finding: what `worktracker show --json` / `check --json`
 * print, what the MCP server returns and what the VS Code tools return. Pure: file paths go
 * through `toNativePath` (the CLI passes its own; the default keeps the core's '/' paths).
 */
import { toStatus } from '../core/status';
import type { EffectiveStatus, Finding, Status, Tracker } from '../core/model';
import { countUnits, unitCount, workUnits } from '../core/units';
import { ToolError } from './edits';

export type PathMap = (corePath: string) => string;
const same: PathMap = (p) => p;

export function findingJson(f: Finding, toNativePath: PathMap = same) {
  return {
    file: toNativePath(f.file),
    line: f.range.start.line + 1,
    column: f.range.start.column + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.column + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.data ? { data: f.data } : {}),
    ...(f.related
      ? { related: f.related.map((r) => ({ file: toNativePath(r.file), line: r.range.start.line + 1, column: r.range.start.column + 1, message: r.message })) }
      : {}),
  };
}

export function line(r: { start: { line: number } }): number {
  return r.start.line + 1;
}

/** `statusSource` and `effectiveStatus` of a phase, barrier or gate, for `show --json`. */
export function effective(e: EffectiveStatus | undefined) {
  if (!e) return {};
  return {
    statusSource: e.source,
    effectiveStatus: { status: e.status, source: e.source, ...(e.raw !== undefined ? { raw: e.raw } : {}), ...(e.line !== undefined ? { line: e.line + 1 } : {}) },
  };
}

/** Every unit of work in file order: agents, then phases, barriers and gates with a status, each with its line. */
export function units(t: Tracker) {
  const out: { id: string; line: number; status: Status | undefined; kind: string; phase?: number; statusSource?: string; artifacts: string[] }[] = [];
  const paths = (refs: { path: string }[]): string[] => [...new Set(refs.map((r) => r.path))];
  const checked = (items: { artifact?: { path: string } }[]): string[] => paths(items.flatMap((c) => (c.artifact ? [c.artifact] : [])));
  for (const a of t.agents) out.push({ id: a.id, line: line(a.row.range), status: a.status.status, kind: 'agent', phase: a.phase, artifacts: paths(a.artifacts) });
  for (const p of t.phases) {
    out.push({ id: p.kind ? (p.label ?? `${p.kind}-${p.number}`) : `phase-${p.number}`, line: line(p.heading.range), status: p.effectiveStatus?.status, kind: 'phase', phase: p.number, statusSource: p.statusSource, artifacts: checked(p.checklist) });
  }
  for (const b of t.barriers) {
    const artifacts = [...new Set([...b.directions.flatMap((d) => paths(d.artifacts)), ...checked(b.checklist)])];
    out.push({ id: b.id, line: line(b.row?.range ?? b.heading.range), status: b.effectiveStatus?.status, kind: 'barrier', statusSource: b.statusSource, artifacts });
  }
  for (const g of t.gates) out.push({ id: g.id, line: g.line + 1, status: g.effectiveStatus?.status, kind: 'gate', phase: g.phase, statusSource: g.statusSource, artifacts: [] });
  return out.sort((a, b) => a.line - b.line);
}

export function model(t: Tracker, toNativePath: PathMap = same) {
  // The one unit count (core/units): each occurrence of an agent under a phase counts.
  const { total, byStatus } = unitCount(t);
  const yamlById = new Map((t.yaml?.agents ?? []).map((a) => [a.id, a]));
  return {
    file: toNativePath(t.file),
    yaml: t.yaml ? toNativePath(t.yaml.file) : undefined,
    title: t.title?.text,
    status: t.workflowStatus ? { status: t.workflowStatus.status, raw: t.workflowStatus.raw, line: line(t.workflowStatus.range) } : undefined,
    yamlStatus: t.yaml?.workflow.status ? { status: toStatus(String(t.yaml.workflow.status.value)), raw: String(t.yaml.workflow.status.value) } : undefined,
    phases: t.phases.map((p) => ({
      number: p.number,
      title: p.title,
      status: p.status ? { status: p.status.status, raw: p.status.raw } : undefined,
      ...effective(p.effectiveStatus),
      line: line(p.heading.range),
      groups: p.groups.map((g) => ({ title: g.title, alias: g.alias, line: line(g.range), agents: g.agents.map((a) => a.id) })),
      agents: p.agents.map((a) => a.id),
    })),
    agents: t.agents.map((a) => {
      const y = yamlById.get(a.id)?.status;
      return {
        id: a.id,
        status: a.status.status,
        raw: a.status.raw,
        line: line(a.row.range),
        kind: 'agent',
        shape: a.shape ?? 'table',
        ...(a.title !== undefined ? { title: a.title } : {}),
        ...(a.heading ? { headingLine: line(a.heading.range) } : {}),
        phase: a.phase,
        pipeline: a.pipeline,
        artifacts: a.artifacts.map((x) => x.path),
        ...(y ? { yamlStatus: toStatus(String(y.value)), yamlRaw: String(y.value) } : {}),
      };
    }),
    barriers: t.barriers.map((b) => ({
      number: b.number,
      id: b.id,
      title: b.title,
      status: b.status ? { status: b.status.status, raw: b.status.raw } : undefined,
      ...effective(b.effectiveStatus),
      line: line(b.row?.range ?? b.heading.range),
      directions: b.directions.map((d) => ({
        direction: d.direction,
        from: d.from,
        to: d.to,
        status: d.status ? { status: d.status.status, raw: d.status.raw } : undefined,
        artifacts: d.artifacts.map((x) => x.path),
      })),
    })),
    gates: t.gates.map((g) => ({
      id: g.id,
      title: g.title,
      status: g.status ? { status: g.status.status, raw: g.status.raw } : undefined,
      ...effective(g.effectiveStatus),
      line: g.line + 1,
      ...(g.heading ? { headingLine: line(g.heading.range) } : {}),
      phase: g.phase,
    })),
    units: units(t),
    coverage: { units: t.coverage.units, unread: t.coverage.unread.map((u) => ({ line: u.line + 1, text: u.text })) },
    counts: {
      agents: total,
      byStatus,
      phases: t.phases.length,
      phasesComplete: t.phases.filter((p) => p.status?.status === 'COMPLETE').length,
      barriers: t.barriers.length,
      barriersComplete: t.barriers.filter((b) => b.status?.status === 'COMPLETE').length,
    },
  };
}


/**
 * What get_tracker returns: the model with the files named as the caller names them, the progress,
 * and optionally only one phase (its units, agents and gates; barriers left out).
 */
export function trackerJson(t: Tracker, files: { file: string; yaml?: string }, phase?: number): Record<string, unknown> {
  const m = model(t);
  const out = { ...m, ...files, progress: unitCount(t) };
  if (phase === undefined) return out;
  if (!t.phases.some((p) => p.number === phase)) {
    throw new ToolError('unknown-id', `${files.file}: no Phase ${phase}; its phases: ${t.phases.map((p) => p.number).join(', ') || 'none'}`, {
      phases: t.phases.map((p) => ({ number: p.number, title: p.title, line: p.heading.range.start.line + 1 })),
    });
  }
  return {
    ...out,
    narrowedTo: { phase },
    phases: m.phases.filter((p) => p.number === phase),
    agents: m.agents.filter((a) => a.phase === phase),
    units: m.units.filter((u) => u.phase === phase),
    gates: m.gates.filter((g) => g.phase === phase),
    barriers: [],
    progress: countUnits(workUnits(t).filter((a) => a.phase === phase)),
  };
}

/**
 * The result of the `check` tool, the same for every front end: the findings of each tracker with
 * file names as the caller shows them, and the one-line summary the CLI prints too.
 */
export function checkReport(trackers: Record<string, unknown>[], perTracker: { findings: readonly Finding[]; label: (file: string) => string }[]) {
  const findings: (ReturnType<typeof findingJson> & { file: string })[] = [];
  for (const { findings: list, label } of perTracker) {
    for (const f of list) {
      const j = findingJson(f);
      findings.push({ ...j, file: label(j.file), ...(j.related ? { related: j.related.map((r) => ({ ...r, file: label(r.file) })) } : {}) });
    }
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const data = { trackers, findings, errors: count('error'), warnings: count('warning') };
  const text = [
    ...findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}`),
    `${trackers.length} tracker(s) checked: ${data.errors} error(s), ${data.warnings} warning(s), ${findings.length - data.errors - data.warnings} other`,
  ].join('\n');
  return { data, text };
}
