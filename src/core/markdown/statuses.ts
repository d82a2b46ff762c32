/**
 * The status a phase, barrier or gate shows, from its best source: its own heading or row, the
 * dashboard line about it, or the statuses of its units. Run by `finish.ts` once the whole document
 * is read; `deriveStatus` is public (re-exported by `index.ts`).
 */
import { readDashboardLines, type DashboardLine } from './dashboardLines';
import type { EffectiveStatus, Status, StatusValue } from '../model';
import type { MarkdownTracker } from './pass';

/** A status derived from the statuses of a thing's units (or a barrier's direction rows). */
export function deriveStatus(statuses: readonly Status[]): Status | undefined {
  const xs = statuses.filter((s) => s !== 'UNKNOWN');
  if (xs.length === 0) return undefined;
  const done = (s: Status) => s === 'COMPLETE' || s === 'SKIPPED' || s === 'CANCELLED';
  if (xs.every(done)) return 'COMPLETE';
  if (xs.some((s) => s === 'IN_PROGRESS') || xs.some(done)) return 'IN_PROGRESS';
  if (xs.some((s) => s === 'FAILED')) return 'FAILED';
  if (xs.some((s) => s === 'BLOCKED')) return 'BLOCKED';
  if (xs.every((s) => s === 'READY')) return 'READY';
  return 'PENDING';
}

/** A status written on the thing itself, as an effective status. */
export function ownStatus(sv: StatusValue): EffectiveStatus {
  return { status: sv.status, source: 'own', raw: sv.raw, line: sv.range.start.line };
}

function fromDashboard(d: DashboardLine | undefined): EffectiveStatus | undefined {
  return d && { status: d.status, source: 'dashboard', raw: d.raw, line: d.line };
}

function derived(statuses: readonly Status[]): EffectiveStatus | undefined {
  const st = deriveStatus(statuses);
  return st && { status: st, source: 'derived' };
}

/** Statuses from the best source: own heading/row, the dashboard line, the units. */
export function effectiveStatuses(tracker: MarkdownTracker): void {
  const dash = tracker.dashboard ? readDashboardLines(tracker.dashboard.text, tracker.dashboard.contentRange.start.line) : [];
  for (const p of tracker.phases) {
    // A phase of a row may already have an effective status from its row (see units.ts).
    const es =
      (p.status && ownStatus(p.status)) ??
      p.effectiveStatus ??
      fromDashboard(dash.find((l) => l.kind === 'phase' && l.number === p.number && l.phaseKind === p.kind)) ??
      derived([...p.agents.map((a) => a.status.status), ...tracker.gates.filter((g) => g.phase === p.number && g.status).map((g) => g.status!.status)]);
    if (es) p.effectiveStatus = es;
    if (p.effectiveStatus) p.statusSource = p.effectiveStatus.source;
  }
  for (const b of tracker.barriers) {
    const qg = /^qg-(\d+)$/.exec(b.id);
    const es =
      (b.status && ownStatus(b.status)) ??
      b.effectiveStatus ??
      fromDashboard(dash.find((l) => (l.kind === 'barrier' && !qg && l.number === b.number) || (l.kind === 'gate' && l.id !== undefined && l.id.toLowerCase() === b.id))) ??
      derived(b.directions.map((d) => d.status?.status ?? 'UNKNOWN'));
    if (es) b.effectiveStatus = es;
    if (b.effectiveStatus) b.statusSource = b.effectiveStatus.source;
  }
  for (const g of tracker.gates) {
    const es = g.status ? ownStatus(g.status) : fromDashboard(dash.find((l) => l.kind === 'gate' && l.id === g.id.toUpperCase()));
    if (es) g.effectiveStatus = es;
    if (g.effectiveStatus) g.statusSource = g.effectiveStatus.source;
  }
}
