/**
 * Two edits the core does not offer, written the way the core writes its own: pure functions from
 * a parsed Tracker to the smallest `TextEdit`s, in the file's own form (its backticks or bare paths,
 * its list markers, its table padding, its line endings). Nothing is re-serialised.
 *
 * - `addArtifactEdits`: a path added to a unit's artifact cell, or to the checklist of its phase.
 * - `logEventEdits`: a row appended to the Session Log / Execution Log table.
 */
import { _dateText, _tableEdits } from '../core/edits';
import { displayWidth } from '../core/width';
import type { Agent, ChecklistItem, Table, TableRow, TextEdit, Tracker } from '../core/model';

/** A request this module refuses, with a stable code and the details an agent needs to retry. */
export class EditRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const PLACEHOLDER = /^(?:|-+|—|–|n\/?a|tbd|none|null|pending|\{[^}]*\}|\.\.\.|…|_+)$/i;

export function isPlaceholderText(text: string): boolean {
  return PLACEHOLDER.test(text.replace(/[*`]/g, '').trim());
}

function escapeCell(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

/** The same path as written in a tracker (`./a/b.md`, `a\b.md` and `a/b.md` are one path). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return norm(a) === norm(b);
}

/** Rejects paths that a tracker must not hold: absolute, leaving the repository, multi-line, template placeholders. */
export function checkArtifactPath(p: string): string {
  const v = p.trim();
  if (!v) throw new EditRefused('the artifact path is empty', 'invalid-input');
  if (/[\r\n`|]/.test(v)) throw new EditRefused(`artifact path "${v}" holds a line break, a backtick or a pipe`, 'invalid-input');
  if (/^([A-Za-z]:)?[\\/]/.test(v) || /^~/.test(v) || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    throw new EditRefused(`artifact path "${v}" is absolute; write it relative to the repository`, 'invalid-input');
  }
  if (v.split(/[\\/]/).includes('..')) throw new EditRefused(`artifact path "${v}" leaves the repository (..)`, 'invalid-input');
  if (/\{[^}]*\}/.test(v)) throw new EditRefused(`artifact path "${v}" still holds a {placeholder}`, 'invalid-input');
  return v;
}

function lineOf(t: Tracker, line: number): { start: number; text: string } {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = t.text.indexOf('\n', start);
    if (nl < 0) return { start: t.text.length, text: '' };
    start = nl + 1;
  }
  let end = t.text.indexOf('\n', start);
  if (end < 0) end = t.text.length;
  if (end > start && t.text[end - 1] === '\r') end--;
  return { start, text: t.text.slice(start, end) };
}

/** True when most non-placeholder values of `cells` are written in backticks (default when none: true). */
function prefersBackticks(cells: readonly string[]): boolean {
  const real = cells.map((c) => c.trim()).filter((c) => c && !isPlaceholderText(c));
  if (real.length === 0) return true;
  return real.filter((c) => c.startsWith('`')).length * 2 >= real.length;
}

// ---------------------------------------------------------------- add_artifact

/**
 * Adds `artifactPath` to the unit: into its artifact cell when its table has one (replacing a
 * placeholder, else after the paths already there, separated the way that cell or its peers are),
 * else as a new item after the last checklist item of its pipeline group or phase, copying that
 * item's indentation, list marker and backticks. Refuses when the path is already listed or the
 * unit has neither.
 */
export function addArtifactEdits(t: Tracker, agent: Agent, artifactPath: string, opts: { checked?: boolean } = {}): TextEdit[] {
  const p = checkArtifactPath(artifactPath);
  const phase = t.phases.find((ph) => ph.agents.includes(agent)) ?? (agent.phase !== undefined ? t.phases.find((ph) => ph.number === agent.phase) : undefined);
  const group = phase?.groups.find((g) => g.agents.includes(agent));
  const inRange = (c: ChecklistItem, r: { start: { offset: number }; end: { offset: number } }) => c.range.start.offset >= r.start.offset && c.range.end.offset <= r.end.offset;
  const groupItems = group && phase ? phase.checklist.filter((c) => inRange(c, { start: group.range.start, end: nextGroupStart(phase, group) })) : [];
  const items = groupItems.length ? groupItems : (phase?.checklist ?? []);

  if (agent.artifacts.some((a) => samePath(a.path, p)) || items.some((c) => c.artifact && samePath(c.artifact.path, p))) {
    throw new EditRefused(`${p} is already listed for ${agent.id}`, 'already-present', { path: p, id: agent.id });
  }

  const cell = agent.artifactCell;
  if (cell) {
    const col = agent.row.cells.findIndex((c) => c.range.start.offset === cell.range.start.offset);
    if (col >= 0) {
      const peers = t.agents.map((a) => a.artifactCell?.text ?? '');
      const form = prefersBackticks(cell.text && !isPlaceholderText(cell.text) ? [cell.text] : peers) ? `\`${p}\`` : p;
      let text: string;
      if (isPlaceholderText(cell.text)) text = form;
      else {
        const sepSample = [cell.text, ...peers].find((c) => /<br\s*\/?>|;\s|,\s/i.test(c));
        const sep = sepSample ? (/<br\s*\/?>/i.exec(sepSample)?.[0] ?? (/;\s/.test(sepSample) ? '; ' : ', ')) : ', ';
        text = `${cell.text}${sep}${form}`;
      }
      return _tableEdits(t, agent.table, [{ row: agent.row, col, text }]);
    }
  }

  const last = items[items.length - 1];
  if (!last) {
    throw new EditRefused(
      `${agent.id} has no artifact cell and ${phase ? `Phase ${phase.number} has no checklist` : 'sits under no phase with a checklist'}; nothing added (add the path by hand where your tracker lists outputs)`,
      'no-place',
      { id: agent.id },
    );
  }
  const { text: lastLine } = lineOf(t, last.range.start.line);
  const m = /^(\s*)(?:([-*+])|(\d+)([.)]))(\s+)\[[ xX]\](\s*)/.exec(lastLine);
  if (!m) throw new EditRefused(`cannot read the list item at line ${last.range.start.line + 1}`, 'no-place');
  const marker = m[2] ?? `${Number(m[3]) + 1}${m[4]}`;
  const backticks = prefersBackticks(items.map((c) => c.text));
  const mark = opts.checked ? (t.text.slice(last.checkRange.start.offset, last.checkRange.end.offset) === 'X' ? 'X' : 'x') : ' ';
  const newLine = `${m[1]}${marker}${m[5]}[${mark}]${m[6] || ' '}${backticks ? `\`${p}\`` : p}`;
  const at = last.range.end;
  return [{ file: t.file, range: { start: at, end: at }, newText: t.eol + newLine }];
}

function nextGroupStart(phase: Tracker['phases'][number], group: Tracker['phases'][number]['groups'][number]) {
  const after = phase.groups.filter((g) => g.range.start.offset > group.range.start.offset).sort((a, b) => a.range.start.offset - b.range.start.offset)[0];
  return after ? after.range.start : phase.range.end;
}

// ---------------------------------------------------------------- log_event

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
  const all = logTables(t);
  const list = ev.log ? all.filter((l) => l.kind === ev.log) : all;
  const describe = (l: LogTable) => ({ heading: l.heading, kind: l.kind, line: l.line, columns: headerNames(l.table) });
  if (list.length === 0) {
    throw new EditRefused(
      all.length
        ? `no ${ev.log} log table in this tracker; its log tables: ${all.map((l) => `"${l.heading}" (line ${l.line})`).join(', ')}`
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
  const log = list[0];
  const { table } = log;
  const names = headerNames(table);
  const lower = names.map((n) => n.toLowerCase());
  const find = (re: RegExp) => lower.findIndex((n) => re.test(n));
  const timeCol = find(/time|date|when/);
  const eventCol = find(/event|action|type|what/);
  const detailCol = lower.findIndex((n, i) => i !== timeCol && i !== eventCol && /detail|description|notes?|message|summary|comment/.test(n));

  const values: string[] = names.map(() => '');
  const dataRows = table.rows.filter((r) => r.range.start.offset !== table.header.range.start.offset);
  const cellsOf = (col: number) => dataRows.map((r) => r.cells[col]?.text ?? '').filter((x) => x !== '');
  const placeholders = dataRows.flatMap((r) => r.cells.map((c) => c.text)).filter((x) => x !== '' && isPlaceholderText(x) && !/^\{/.test(x));
  const filler = placeholders.includes('—') ? '—' : '-';

  const samples = cellsOf(timeCol).filter((x) => !isPlaceholderText(x));
  if (samples.length > 0) values[timeCol] = _dateText(ev.timestamp ? { date: ev.timestamp } : { now: ev.now ?? new Date() }, samples, t.dialect.dateStyle);
  else if (ev.timestamp) values[timeCol] = ev.timestamp.trim();
  else {
    // No row to copy the form from: the template's `{ISO-8601}` placeholder asks for a timestamp.
    const iso = cellsOf(timeCol).some((x) => /iso/i.test(x));
    values[timeCol] = iso ? `${(ev.now ?? new Date()).toISOString().slice(0, 19)}Z` : _dateText({ now: ev.now ?? new Date() }, [], t.dialect.dateStyle);
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
  const cells = values.map((v) => escapeCell(v) || filler);

  // The row's form: the last data row's (else the header's) pipes, indentation and padding.
  const ref = dataRows[dataRows.length - 1] ?? table.header;
  const refLine = lineOf(t, ref.range.start.line).text;
  const shape = splitRow(refLine);
  const spaced = shape.cells.every((c) => c === '' || /^\s/.test(c));
  const widths = table.header.cells.map((c) => displayWidth(t.text.slice(c.outer.start.offset, c.outer.end.offset)));
  const fits = table.aligned && cells.every((c, i) => widths[i] !== undefined && displayWidth(c) + 2 <= widths[i]);
  const body = cells.map((c, i) => (fits ? ` ${c}${' '.repeat(widths[i] - displayWidth(c) - 1)}` : spaced ? ` ${c} ` : c));
  const rowText = `${shape.lead}${shape.leadingPipe ? '|' : ''}${body.join('|')}${shape.trailingPipe ? '|' : ''}`;

  const allPlaceholder = (r: TableRow) => r.cells.every((c) => isPlaceholderText(c.text));
  if (dataRows.length > 0 && dataRows.every(allPlaceholder)) {
    const r = dataRows[0];
    const { start, text } = lineOf(t, r.range.start.line);
    const range = { start: { line: r.range.start.line, column: 0, offset: start }, end: { line: r.range.start.line, column: text.length, offset: start + text.length } };
    return { edits: [{ file: t.file, range, newText: rowText }], table: log };
  }
  const lastRow = dataRows[dataRows.length - 1] ?? table.header;
  // After the delimiter row when the table has no data rows yet.
  const anchorLine = dataRows.length ? lastRow.range.start.line : table.header.range.start.line + 1;
  const { start, text } = lineOf(t, anchorLine);
  const end = { line: anchorLine, column: text.length, offset: start + text.length };
  return { edits: [{ file: t.file, range: { start: end, end }, newText: t.eol + rowText }], table: log };
}
