/**
 * The execution-metrics table (`| Phases Complete | 3/5 |`) and ORCHESTRATION.yaml's
 * `metrics.execution`: which rows count what, what they should say, and the edits that make them
 * say it. Pure; imported by `sync.ts`, and through `index.ts` by anyone (`isMetricsStale`).
 */
import type { Cell, Range, Row, Status, TextEdit, Tracker, YamlScalar } from '../model';
import { isFinished, splitStatus, spellDerived, statusEmoji, toStatus } from '../status';
import { firstPerId, idKey } from '../units';
import { tableEdits } from '../edits';
import { pct, progressOf, type Count, type Progress } from './progress';
import { drawnClass } from './read';

type MetricKind = 'phases' | 'barriers' | 'agents' | 'artifacts';

function metricKind(name: string): MetricKind | undefined {
  const n = name.replace(/[*_`]/g, '').trim().toLowerCase();
  if (/^phases?\s+(complete|completed|done)\b/.test(n)) return 'phases';
  if (/^barriers?\s+(complete|completed|done|passed)\b/.test(n)) return 'barriers';
  if (/^agents?\s+(executed|complete|completed|done|run)\b/.test(n)) return 'agents';
  if (/^artifacts?\s+(created|complete|completed|done|produced)\b/.test(n)) return 'artifacts';
  return undefined;
}

interface MetricCheck {
  name: string;
  expected: string;
  actual: string;
  range: Range;
  value: Cell;
  status?: Cell;
  done: number;
  total: number;
  sure: boolean;
}

/** The model's counts a metric row may show; undefined when the row counts something the model does not. */
function candidatesFor(kind: MetricKind, qualifier: string | undefined, prog: Progress): Count[] | undefined {
  const whole = !qualifier || /^(total|all|overall)$/.test(qualifier);
  if (kind === 'phases') {
    if (whole) return prog.pipelines.length ? [prog.phasesByPipeline, prog.phasesFlat, prog.phasesByHeading] : [prog.phasesFlat, prog.phasesByPipeline, prog.phasesByHeading];
    // `Phases Complete (PS)`: one pipeline's phases.
    const pl = prog.pipelines.find((p) => p.tokens.has(qualifier) || p.key === qualifier);
    if (!pl) return undefined;
    const gs = prog.phases.map((p) => p.byPipeline.get(pl.key)).filter((g) => !!g);
    return [{ done: gs.filter((g) => g.status === 'COMPLETE').length, total: gs.length }];
  }
  if (!whole) return undefined;
  if (kind === 'barriers') return [prog.barriersCount];
  if (kind === 'agents') return [prog.agents];
  return [prog.artifacts, prog.produced];
}

const COUNT_RE = /(?<![\d.])(\d+)(\s*\/\s*)(\d+)(?![\d.])/;

function metricChecks(tracker: Tracker): MetricCheck[] {
  const m = tracker.metrics;
  if (!m) return [];
  const prog = progressOf(tracker);
  const out: MetricCheck[] = [];
  const nameCol = m.table.columns.metric ?? 0;
  const valueCol = m.table.columns.value;
  for (const r of m.rows) {
    const nameCell = r.row.cells[nameCol] ?? r.cells.metric;
    const value = (valueCol !== undefined ? r.row.cells[valueCol] : undefined) ?? r.cells.value;
    if (!nameCell || !value) continue;
    const kind = metricKind(nameCell.text);
    if (!kind) continue;
    const cm = COUNT_RE.exec(value.text);
    if (!cm) continue;
    const shown = { done: Number(cm[1]), total: Number(cm[3]) };
    const qualifier = /\(([^)]*)\)/.exec(nameCell.text)?.[1]?.trim().toLowerCase();
    const candidates = candidatesFor(kind, qualifier, prog)?.filter((c) => c.total > 0);
    if (!candidates?.length) continue;
    if (candidates.some((c) => c.done === shown.done && c.total === shown.total)) continue;
    // Authors count different sets (planned agents, one artifact per file or per agent). With another
    // total the row counts another set: only a different done count is then a finding, and
    // artifacts, counted too many ways, are judged only against a count of the same set.
    const sameSet = candidates.filter((c) => c.total === shown.total);
    if (candidates.some((c) => c.done === shown.done) || (kind === 'artifacts' && sameSet.length === 0)) continue;
    const best = sameSet[0] ?? candidates[0];
    // A count of another set (the table's 4 barriers, our 5) is reported, never rewritten.
    const sure = sameSet.length > 0;
    const expected = value.text.replace(COUNT_RE, `${best.done}$2${best.total}`);
    const statusCol = m.table.columns.status;
    out.push({
      name: nameCell.text,
      expected,
      actual: value.text,
      range: value.range,
      value,
      status: statusCol !== undefined ? r.row.cells[statusCol] : undefined,
      done: best.done,
      total: best.total,
      sure,
    });
  }
  return out;
}

export function isMetricsStale(tracker: Tracker): { stale: boolean; rows: { name: string; expected: string; actual: string; range: Range }[] } {
  const rows = metricChecks(tracker).map(({ name, expected, actual, range }) => ({ name, expected, actual, range }));
  return { stale: rows.length > 0, rows };
}

/** A Status cell that is only a function of the count (`🟡 50%`, `40%`, `COMPLETE`, `✅`) is rewritten. */
function derivedStatusText(tracker: Tracker, current: string, done: number, total: number): string | undefined {
  const p = total === 0 ? 0 : Math.round((100 * done) / total);
  const state: Status = done >= total ? 'COMPLETE' : done === 0 ? 'PENDING' : 'IN_PROGRESS';
  const pm = /^(\D*?)(\d{1,3})(\s?%)(.*)$/u.exec(current);
  if (pm) {
    const lead = pm[1].trim();
    let newLead = pm[1];
    if (lead) {
      // An emoji before the percent is the traffic light for that percent.
      const was = toStatus(lead);
      if (was !== 'UNKNOWN' && drawnClass(was) !== drawnClass(state)) newLead = pm[1].replace(lead, tracker.dialect.emoji[state] ?? (state === 'IN_PROGRESS' ? '🟡' : statusEmoji(state)));
    }
    if (pm[4].trim() !== '') return undefined;
    return `${newLead}${p}${pm[3]}`;
  }
  const s = splitStatus(current);
  if (s.status === 'UNKNOWN') return undefined;
  const rest = current.slice(0, s.start) + current.slice(s.end);
  if (rest.replace(/[*_`\s]/g, '') !== '') return undefined;
  if (drawnClass(s.status) === drawnClass(state)) return undefined;
  return spellDerived(tracker.dialect, state, current);
}

/**
 * `metrics.execution` counts from the YAML's own records: the YAML is the framework's source of
 * truth, so the markdown's tables are never copied into it (a disagreement is drift, reported).
 */
export function yamlMetricEdits(tracker: Tracker): TextEdit[] {
  const y = tracker.yaml;
  if (!y) return [];
  const me = y.metricsExecution;
  const out: TextEdit[] = [];
  const doneIn = (xs: readonly { status?: YamlScalar }[]): number => xs.filter((x) => x.status && typeof x.status.value === 'string' && isFinished(toStatus(x.status.value))).length;
  // The YAML's own agent records, each id once.
  const agents = firstPerId(y.agents, idKey);
  const groups: [string, Count, string[]][] = [
    ['phases', { done: doneIn(y.phases), total: y.phases.length }, ['phases_complete', 'phases_completed']],
    ['barriers', { done: doneIn(y.barriers), total: y.barriers.length }, ['barriers_complete', 'barriers_completed']],
    ['agents', { done: doneIn(agents), total: agents.length }, ['agents_executed', 'agents_complete', 'agents_completed']],
  ];
  for (const [name, c, doneKeys] of groups) {
    const total = me[`${name}_total`];
    // Only the same set is comparable: when the YAML counts another total (planned work, items we
    // do not read), its numbers are left alone rather than "corrected" into a different meaning.
    if (!total || typeof total.value !== 'number' || total.value !== c.total || c.total === 0) continue;
    for (const k of doneKeys) {
      const s = me[k];
      if (s && typeof s.value === 'number' && s.value !== c.done) out.push({ file: y.file, range: s.range, newText: String(c.done) });
    }
    const p = me[`${name}_percent`];
    if (p && typeof p.value === 'number' && p.value !== pct(c)) out.push({ file: y.file, range: p.range, newText: String(pct(c)) });
  }
  return out;
}

function rowOfCell(rows: readonly Row[], cell: Cell): Row['row'] | undefined {
  return rows.find((r) => r.row.cells.includes(cell))?.row;
}

/** Edits that bring the metrics table's counts (and Status cells that only restate them) in line. */
export function metricsTableEdits(tracker: Tracker): TextEdit[] {
  const metrics = tracker.metrics;
  const checks = metricChecks(tracker).filter((c) => c.sure);
  if (!checks.length || !metrics) return [];
  const changes = checks.map((c) => ({ row: rowOfCell(metrics.rows, c.value)!, col: metrics.table.columns.value ?? 1, text: c.expected }));
  const statusCol = metrics.table.columns.status;
  for (const c of checks) {
    if (!c.status || statusCol === undefined) continue;
    const s = derivedStatusText(tracker, c.status.text, c.done, c.total);
    if (s !== undefined && s !== c.status.text) changes.push({ row: rowOfCell(metrics.rows, c.value)!, col: statusCol, text: s });
  }
  return tableEdits(tracker, metrics.table, changes.filter((c) => c.row));
}
