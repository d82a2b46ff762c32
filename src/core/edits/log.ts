/**
 * `logEventEdits`: a row appended to the Session Log / Execution Log table (or a template's
 * placeholder row replaced), in the table's own date form, pipes and padding. Public through
 * `./index.ts`.
 */
import type { Table, TableRow, TextEdit, Tracker } from '../model';
import { displayWidth } from '../width';
import { EditRefused, escapeCell, indexOf, isPlaceholder } from './common';
import { dateText } from './dates';

export type LogKind = 'session' | 'execution';

export interface LogTable {
  table: Table;
  kind: LogKind | 'other';
  heading: string;
  /** 1-based line of the header row. */
  line: number;
}

const LOG_HEADING = /\b(session|execution|event|activity|change)\s+log\b/i;

function headerNames(table: Table): string[] {
  return table.header.cells.map((c) => c.text.replace(/[*`_]/g, '').trim());
}

/** The log tables of a tracker: under a `… Session Log` / `Execution Log` heading (not the Phase Execution Log section), with a time and an event column. */
export function logTables(t: Tracker): LogTable[] {
  const out: LogTable[] = [];
  for (const table of t.tables) {
    const heading = table.heading ?? '';
    const m = LOG_HEADING.exec(heading);
    if (!m || /phase\s+execution\s+log/i.test(heading)) continue;
    const names = headerNames(table).map((n) => n.toLowerCase());
    if (!names.some((n) => /time|date|when/.test(n)) || !names.some((n) => /event|action|type|what/.test(n))) continue;
    const word = m[1].toLowerCase();
    out.push({ table, kind: word === 'session' ? 'session' : word === 'execution' ? 'execution' : 'other', heading, line: table.header.range.start.line + 1 });
  }
  return out;
}

export interface LogEvent {
  log?: LogKind;
  event: string;
  details?: string;
  /** `YYYY-MM-DD` or ISO; written in the table's own date form. Default: now. */
  timestamp?: string;
  now?: Date;
  /** Other columns by header text (case-insensitive), e.g. `{ Agent: "ps-r-001" }`. */
  values?: Record<string, string>;
}

function splitRow(line: string): { lead: string; cells: string[]; leadingPipe: boolean; trailingPipe: boolean } {
  const lead = /^\s*/.exec(line)![0];
  let body = line.slice(lead.length);
  const leadingPipe = body.startsWith('|');
  if (leadingPipe) body = body.slice(1);
  const trailingPipe = /(?<!\\)\|\s*$/.test(body);
  if (trailingPipe) body = body.replace(/\|\s*$/, '');
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '|' && body[i - 1] !== '\\') {
      cells.push(cur);
      cur = '';
    } else cur += body[i];
  }
  cells.push(cur);
  return { lead, cells, leadingPipe, trailingPipe };
}

/**
 * Appends one row to the log table (the only one, or the one of kind `ev.log`): timestamp, event and
 * details in their columns, other columns from `ev.values`, the rest `-` (or the table's own
 * placeholder). A table holding only template placeholder rows has its first one replaced.
 */
export function logEventEdits(t: Tracker, ev: LogEvent): { edits: TextEdit[]; table: LogTable } {
  const log = pickLogTable(t, ev.log);
  const { table } = log;
  const ix = indexOf(t.text, t);
  const dataRows = table.rows.filter((r) => r.range.start.offset !== table.header.range.start.offset);
  const rowText = logRowText(t, log, dataRows, rowValues(t, log, dataRows, ev));
  const allPlaceholder = (r: TableRow) => r.cells.every((c) => isPlaceholder(c.text));
  if (dataRows.length > 0 && dataRows.every(allPlaceholder)) {
    return { edits: [{ file: t.file, range: ix.lineRange(dataRows[0].range.start.line), newText: rowText }], table: log };
  }
  // After the last data row, or after the delimiter row when the table has no data rows yet.
  const anchorLine = dataRows.length ? dataRows[dataRows.length - 1].range.start.line : table.header.range.start.line + 1;
  const end = ix.lineRange(anchorLine).end;
  return { edits: [{ file: t.file, range: { start: end, end }, newText: t.eol + rowText }], table: log };
}

/** The one log table `kind` names (or the only one); refuses none or several. */
function pickLogTable(t: Tracker, kind: LogKind | undefined): LogTable {
  const all = logTables(t);
  const list = kind ? all.filter((l) => l.kind === kind) : all;
  const describe = (l: LogTable) => ({ heading: l.heading, kind: l.kind, line: l.line, columns: headerNames(l.table) });
  if (list.length === 0) {
    throw new EditRefused(
      all.length
        ? `no ${kind} log table in this tracker; its log tables: ${all.map((l) => `"${l.heading}" (line ${l.line})`).join(', ')}`
        : 'this tracker has no Session Log or Execution Log table (a table with Timestamp and Event columns under such a heading); nothing added',
      all.length ? 'unknown-log' : 'no-place',
      { logs: all.map(describe) },
    );
  }
  if (list.length > 1) {
    throw new EditRefused(
      `this tracker has ${list.length} log tables; pick one with log: ${[...new Set(list.map((l) => l.kind))].join(' or ')} (${list.map((l) => `"${l.heading}" line ${l.line}`).join(', ')})`,
      'ambiguous',
      { logs: list.map(describe) },
    );
  }
  return list[0];
}

/** The new row's cell texts, escaped, empty ones filled with the table's placeholder. */
function rowValues(t: Tracker, log: LogTable, dataRows: readonly TableRow[], ev: LogEvent): string[] {
  const names = headerNames(log.table);
  const lower = names.map((n) => n.toLowerCase());
  const find = (re: RegExp) => lower.findIndex((n) => re.test(n));
  const timeCol = find(/time|date|when/);
  const eventCol = find(/event|action|type|what/);
  const detailCol = lower.findIndex((n, i) => i !== timeCol && i !== eventCol && /detail|description|notes?|message|summary|comment/.test(n));

  const values: string[] = names.map(() => '');
  const cellsOf = (col: number) => dataRows.map((r) => r.cells[col]?.text ?? '').filter((x) => x !== '');
  const placeholders = dataRows.flatMap((r) => r.cells.map((c) => c.text)).filter((x) => x !== '' && isPlaceholder(x) && !/^\{/.test(x));
  const filler = placeholders.includes('—') ? '—' : '-';

  const samples = cellsOf(timeCol).filter((x) => !isPlaceholder(x));
  if (samples.length > 0) values[timeCol] = dateText(ev.timestamp ? { date: ev.timestamp } : { now: ev.now ?? new Date() }, samples, t.dialect.dateStyle);
  else if (ev.timestamp) values[timeCol] = ev.timestamp.trim();
  else {
    // No row to copy the form from: the template's `{ISO-8601}` placeholder asks for a timestamp.
    const iso = cellsOf(timeCol).some((x) => /iso/i.test(x));
    values[timeCol] = iso ? `${(ev.now ?? new Date()).toISOString().slice(0, 19)}Z` : dateText({ now: ev.now ?? new Date() }, [], t.dialect.dateStyle);
  }
  values[eventCol] = ev.event.trim();
  if (ev.details !== undefined) {
    if (detailCol < 0) throw new EditRefused(`the log table "${log.heading}" has no details column (columns: ${names.join(', ')})`, 'invalid-input', { columns: names });
    values[detailCol] = ev.details.trim();
  }
  for (const [k, v] of Object.entries(ev.values ?? {})) {
    const col = lower.indexOf(k.replace(/[*`_]/g, '').trim().toLowerCase());
    if (col < 0) throw new EditRefused(`the log table "${log.heading}" has no column "${k}" (columns: ${names.join(', ')})`, 'invalid-input', { columns: names });
    values[col] = v.trim();
  }
  return values.map((v) => escapeCell(v) || filler);
}

/** The row's form: the last data row's (else the header's) pipes, indentation and padding. */
function logRowText(t: Tracker, log: LogTable, dataRows: readonly TableRow[], cells: readonly string[]): string {
  const { table } = log;
  const ref = dataRows[dataRows.length - 1] ?? table.header;
  const shape = splitRow(indexOf(t.text, t).lineText(ref.range.start.line));
  const spaced = shape.cells.every((c) => c === '' || /^\s/.test(c));
  const widths = table.header.cells.map((c) => displayWidth(t.text.slice(c.outer.start.offset, c.outer.end.offset)));
  const fits = table.aligned && cells.every((c, i) => widths[i] !== undefined && displayWidth(c) + 2 <= widths[i]);
  const body = cells.map((c, i) => (fits ? ` ${c}${' '.repeat(widths[i] - displayWidth(c) - 1)}` : spaced ? ` ${c} ` : c));
  return `${shape.lead}${shape.leadingPipe ? '|' : ''}${body.join('|')}${shape.trailingPipe ? '|' : ''}`;
}
