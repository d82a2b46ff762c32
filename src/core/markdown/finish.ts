/**
 * What needs the whole document, after the pass (`pass.ts`): rows' phases and barriers placed,
 * section ranges, the header's convenience fields, the metrics table, effective statuses, the
 * coverage count (status lines read as units and those left unread) and the learnt dialect. Used
 * only by `pass.ts`.
 */
import { learnDateStyle, learnDialect } from '../status';
import { LOOKALIKE_KEY, STATUS_LIKE, TOTALS, isStatusCell, normalizeHeader, toRow } from './tables';
import { headingStatus } from './headings';
import { effectiveStatuses } from './statuses';
import type { Pass } from './pass';
import type { Heading, TableKind } from '../model';

export function finish(p: Pass): void {
  p.units.closeKeyLines(0);
  p.units.placeDeferred();
  sectionRanges(p);
  headerFields(p);
  pickMetrics(p);
  effectiveStatuses(p.tracker);
  for (const ph of p.tracker.phases) if (ph.status) p.readLines.add(ph.status.range.start.line);
  for (const b of p.tracker.barriers) if (b.status) p.readLines.add(b.status.range.start.line);
  coverage(p);
  const dialect = learnDialect(p.statusSamples, p.legend);
  dialect.dateStyle = learnDateStyle(p.dateCells);
  p.tracker.dialect = dialect;
}

/** Section ranges: heading to the end of the line before the next same-or-higher heading. */
function sectionRanges(p: Pass): void {
  const { tracker, r } = p;
  const headings = tracker.headings;
  const headingIndex = new Map<Heading, number>();
  headings.forEach((h, i) => headingIndex.set(h, i));
  const byOffset = new Map<number, Heading>();
  for (const h of headings) byOffset.set(h.range.start.offset, h);
  const sectionEnd = (h: Heading): number => {
    const idx = headingIndex.get(h) ?? -1;
    for (let i = idx + 1; i < headings.length; i++) {
      const n = headings[i];
      if (n.depth <= h.depth) {
        const line = n.range.start.line;
        return line > h.range.start.line ? r.li.lineEnd(line - 1) : h.range.end.offset;
      }
    }
    return r.text.length;
  };
  const sectionRange = (h: Heading) => r.range(r.li.lineStarts[h.range.start.line], sectionEnd(h));
  for (const ph of tracker.phases) {
    ph.range = sectionRange(ph.heading);
    for (const g of ph.groups) {
      const gh = byOffset.get(g.range.start.offset);
      if (gh) g.range = sectionRange(gh);
    }
  }
  for (const b of tracker.barriers) b.range = sectionRange(b.heading);
}

/** Header convenience fields: the workflow status and the last-updated field. */
function headerFields(p: Pass): void {
  const tracker = p.tracker;
  for (const f of tracker.header) {
    const k = normalizeHeader(f.key);
    if (!tracker.workflowStatus && (k === 'status' || k === 'workflow status' || k === 'overall status')) {
      const sv = p.r.statusAt(f.value, f.range.start.offset) ?? { status: 'UNKNOWN', raw: f.value, range: f.range };
      // A workflow status naming its current phase (`PHASE 3 PENDING`) says the workflow is under way.
      if (/^[^\p{L}\d]*PHASE[\s_-]*\d+/iu.test(sv.raw) && (sv.status === 'PENDING' || sv.status === 'READY' || sv.status === 'COMPLETE')) sv.status = 'IN_PROGRESS';
      tracker.workflowStatus = sv;
    }
    if (!tracker.lastUpdated && (k === 'last updated' || k === 'updated' || k === 'last modified' || k === 'updated at')) tracker.lastUpdated = f;
  }
}

/** Metrics: the execution/progress metrics table when named so, else the first one. */
function pickMetrics(p: Pass): void {
  const tables = p.metricsTables;
  if (tables.length === 0) return;
  const pick = tables.find((t) => /execution|progress/i.test(t.heading ?? '')) ?? tables.find((t) => /metric/i.test(t.heading ?? '')) ?? tables[0];
  p.tracker.metrics = { table: pick, rows: pick.rows.map((r) => toRow(pick, r)) };
}

const RECOGNISED: TableKind[] = ['queue', 'blockers', 'resolved', 'checkpoints', 'metrics', 'legend', 'metadata'];

/** Coverage: status-bearing lines (table rows, headings) read as units, and those left unread. */
function coverage(p: Pass): void {
  const { tracker, readLines, r } = p;
  const unread = new Map<number, string>();
  for (const t of tracker.tables) {
    const sec = p.tableSection.get(t);
    if (sec?.excluded || RECOGNISED.includes(t.kind) && !t.rows.concat([t.header]).some((row) => readLines.has(row.range.start.line))) continue;
    const norm = t.header.cells.map((x) => normalizeHeader(x.text));
    if (LOOKALIKE_KEY.test(norm[0] ?? '')) continue;
    const statusCols = new Set<number>();
    norm.forEach((h, i) => {
      if (STATUS_LIKE.test(h) || /\bstatus\b/.test(h)) statusCols.add(i);
    });
    // Key/value tables: only the values can be statuses (`| Started | … |` is a key).
    const kv = t.kind === 'metadata' || t.kind === 'metrics' || (t.header.cells.length === 2 && t.columns.value !== undefined);
    const rows = kv && t.columns.field === undefined && t.columns.metric === undefined ? [t.header, ...t.rows] : t.rows;
    const valueCol = t.columns.value ?? 1;
    for (const row of rows) {
      const line = row.range.start.line;
      if (readLines.has(line) || p.lookalikeLines.has(line)) continue;
      if (TOTALS.test(normalizeHeader(row.cells[0]?.text ?? ''))) continue;
      const cells = kv ? [valueCol] : statusCols.size ? [...statusCols] : row.cells.map((_, i) => i);
      if (cells.some((i) => row.cells[i] && isStatusCell(row.cells[i].text, kv || statusCols.has(i)))) unread.set(line, r.li.lineText(line).trim());
    }
  }
  for (const h of tracker.headings) {
    const line = h.range.start.line;
    if (h.depth < 2 || readLines.has(line) || p.excludedHeadings.has(h)) continue;
    if (headingStatus(h.text)) unread.set(line, r.li.lineText(line).trim());
  }
  tracker.coverage = {
    units: readLines.size,
    unread: [...unread.entries()].sort((a, b) => a[0] - b[0]).map(([line, text]) => ({ line, text })),
  };
}
