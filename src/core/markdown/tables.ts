/**
 * Tables of a worktracker: cells cut from the source line (with the exact range of content and
 * padding), header meanings, a table's kind, alignment, and the header words the unit layouts and
 * the coverage count look for. Pure functions of text; used only by the reader in this folder.
 */
import { displayWidth } from '../width';
import { remembered } from '../memo';
import { toStatus, splitStatus } from '../status';
import type { Cell, Range, Row, StatusValue, Table, TableKind, TableRow } from '../model';

/** Positions on one known line without a binary search (rows with 10 000 cells). */
export function lineRange(line: number, lineStart: number, start: number, end: number): Range {
  return {
    start: { line, column: start - lineStart, offset: start },
    end: { line, column: end - lineStart, offset: end },
  };
}

/** Lower case, no markup, no punctuation or emoji: the meaning of a header survives spelling. */
/** Headers (and cells asked as headers) normalised once per text: re-parses see the same texts. */
const normalised = remembered(
  (s) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  { longest: 200 },
);

export function normalizeHeader(s: string): string {
  return normalised(s);
}

export const MEANINGS: Record<string, string> = {
  agent: 'agent',
  'agent id': 'agent',
  'agent name': 'agent',
  'agent id component': 'agent',
  'agent component': 'agent',
  agents: 'agent',
  subagent: 'agent',
  worker: 'agent',
  id: 'id',
  'task id': 'id',
  'item id': 'id',
  'work item': 'id',
  'work item id': 'id',
  'checkpoint id': 'id',
  'checkpoint': 'id',
  'cp id': 'id',
  'issue id': 'id',
  'blocker id': 'id',
  role: 'role',
  'agent role': 'role',
  status: 'status',
  'current status': 'status',
  started: 'started',
  start: 'started',
  'started at': 'started',
  'start date': 'started',
  'start time': 'started',
  completed: 'completed',
  complete: 'completed',
  'completed at': 'completed',
  finished: 'completed',
  end: 'completed',
  ended: 'completed',
  'end date': 'completed',
  'end time': 'completed',
  'completion date': 'completed',
  artifact: 'artifact',
  artifacts: 'artifact',
  'artifact path': 'artifact',
  'artifact paths': 'artifact',
  'artifact file': 'artifact',
  output: 'artifact',
  outputs: 'artifact',
  'output file': 'artifact',
  'output path': 'artifact',
  'output artifact': 'artifact',
  deliverable: 'artifact',
  deliverables: 'artifact',
  notes: 'notes',
  note: 'notes',
  comments: 'notes',
  comment: 'notes',
  remarks: 'notes',
  details: 'notes',
  direction: 'direction',
  'handoff direction': 'direction',
  flow: 'direction',
  path: 'path',
  'file path': 'path',
  location: 'path',
  'path pattern': 'path',
  file: 'path',
  files: 'path',
  'key content': 'key_content',
  summary: 'key_content',
  content: 'key_content',
  priority: 'priority',
  prio: 'priority',
  pipeline: 'pipeline',
  track: 'pipeline',
  stream: 'pipeline',
  phase: 'phase',
  dependencies: 'dependencies',
  dependency: 'dependencies',
  'depends on': 'dependencies',
  'blocked by': 'dependencies',
  prerequisites: 'dependencies',
  description: 'description',
  desc: 'description',
  issue: 'description',
  blocking: 'blocking',
  blocks: 'blocking',
  severity: 'severity',
  owner: 'owner',
  assignee: 'owner',
  resolution: 'resolution',
  timestamp: 'timestamp',
  time: 'timestamp',
  date: 'timestamp',
  created: 'timestamp',
  trigger: 'trigger',
  state: 'state',
  'expected state': 'state',
  'recovery point': 'recovery',
  recovery: 'recovery',
  metric: 'metric',
  measure: 'metric',
  kpi: 'metric',
  value: 'value',
  current: 'value',
  actual: 'value',
  target: 'target',
  goal: 'target',
  symbol: 'emoji',
  emoji: 'emoji',
  icon: 'emoji',
  indicator: 'emoji',
  meaning: 'meaning',
  definition: 'meaning',
  field: 'field',
  key: 'field',
  property: 'field',
  attribute: 'field',
  parameter: 'field',
  setting: 'field',
};

/** Keys that make a two-column table a key/value metadata table even without a `Field | Value` header. */
const METADATA_KEYS = new Set([
  'status',
  'version',
  'project',
  'workflow',
  'workflow id',
  'workflow name',
  'document id',
  'created',
  'last updated',
  'updated',
]);

export function isPlaceholder(s: string): boolean {
  return /^(?:|-+|—|–|n\/?a|tbd|\.\.\.|…|\?|\{[^}]*\}|\*?none\*?|_+)$/i.test(s.replace(/[*_`]/g, '').trim()) || /^\{[^}]*\}$/.test(s.trim());
}

/**
 * Cuts one table row into cells: splits on `|` that is neither escaped nor inside a code span; a
 * leading and a trailing pipe are borders, not empty cells.
 */
export function splitCells(text: string, from: number, to: number, line: number, lineStart: number): Cell[] {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) === 124) i++;
  const segs: number[] = [];
  let cellStart = i;
  const noCloser = new Set<number>();
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === 96) {
      let n = i;
      while (n < to && text.charCodeAt(n) === 96) n++;
      const run = n - i;
      let closed = -1;
      if (!noCloser.has(run)) {
        let k = n;
        while (k < to) {
          const j = text.indexOf('`', k);
          if (j === -1 || j >= to) break;
          let m = j;
          while (m < to && text.charCodeAt(m) === 96) m++;
          if (m - j === run) {
            closed = m;
            break;
          }
          k = m;
        }
        if (closed === -1) noCloser.add(run);
      }
      i = closed === -1 ? n : closed;
      continue;
    }
    if (c === 124) {
      segs.push(cellStart, i);
      i++;
      cellStart = i;
      continue;
    }
    i++;
  }
  const tail = i > to ? to : i;
  let allWs = true;
  for (let k = cellStart; k < tail; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9) {
      allWs = false;
      break;
    }
  }
  if (!(allWs && segs.length > 0)) segs.push(cellStart, tail);
  const cells: Cell[] = [];
  for (let k = 0; k < segs.length; k += 2) {
    const os = segs[k];
    const oe = segs[k + 1];
    let s = os;
    let e = oe;
    while (s < e && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
    while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
    if (s === e) {
      // Empty cell: a zero-width range after one pad space, where typed text would go.
      s = e = Math.min(os + 1, oe);
    }
    cells.push({ text: text.slice(s, e), range: lineRange(line, lineStart, s, e), outer: lineRange(line, lineStart, os, oe) });
  }
  return cells;
}

interface Columns {
  columns: Partial<Record<string, number>>;
  extraColumns: Record<string, number>;
}

export function headerColumns(header: TableRow): Columns {
  const columns: Partial<Record<string, number>> = {};
  const extraColumns: Record<string, number> = {};
  header.cells.forEach((c, i) => {
    const norm = normalizeHeader(c.text);
    let m = MEANINGS[norm];
    if (!m) {
      if (/^agent\b/.test(norm) && !/\b(role|type|count|status)\b/.test(norm)) m = 'agent';
      else if (/\bartifacts?\b/.test(norm) && !/\bstatus\b/.test(norm)) m = 'artifact';
      else if (/\bstatus\b/.test(norm) && norm.split(' ').length <= 2 && !/\b(gate|previous|old)\b/.test(norm)) m = 'status';
    }
    if (m && columns[m] === undefined) columns[m] = i;
    else extraColumns[c.text.replace(/[*_`]/g, '').trim() || `#${i}`] = i;
  });
  // `| Agent | State | … |`: with an agent column and no checkpoint columns, State is the status.
  if (columns.status === undefined && columns.state !== undefined && columns.agent !== undefined && columns.trigger === undefined && columns.recovery === undefined) {
    columns.status = columns.state;
    delete columns.state;
  }
  return { columns, extraColumns };
}

export function classify(cols: Partial<Record<string, number>>, header: TableRow, heading: string | undefined, inPhase: boolean): TableKind {
  const has = (m: string) => cols[m] !== undefined;
  const n = header.cells.length;
  const h = heading ? normalizeHeader(heading) : '';
  if (has('emoji') && (has('meaning') || has('status') || has('description')) && !has('agent') && !has('priority')) return 'legend';
  if (n >= 2 && n <= 3 && has('field') && has('value')) return 'metadata';
  if (n === 2 && METADATA_KEYS.has(normalizeHeader(header.cells[0].text))) return 'metadata';
  if (has('metric') && (has('value') || has('target'))) return 'metrics';
  if (has('priority') && (has('agent') || has('id') || has('status'))) return 'queue';
  if (/\bresolved\b/.test(h) && (has('resolution') || has('id'))) return 'resolved';
  if (has('blocking') || (has('severity') && (has('id') || has('description')))) return 'blockers';
  if (has('resolution') && has('id') && !has('status')) return 'resolved';
  if (has('recovery') || (has('trigger') && (has('state') || /checkpoint/.test(h)))) return 'checkpoints';
  if (header.cells.some((c) => /\bcheckpoint\b/.test(normalizeHeader(c.text))) && has('id')) return 'checkpoints';
  if (has('direction')) return 'barrier';
  if (has('status')) {
    if (has('agent')) return 'agents';
    if (has('id')) {
      // A bare `ID` or a `Task ID` column is an agent table only with agent-like columns, or (task
      // ids) inside a phase/track section; elsewhere it is a task list, a gate list, a strategy list.
      const idHeader = normalizeHeader(header.cells[cols.id as number].text);
      if (has('started') || has('completed') || has('artifact') || has('role')) return 'agents';
      if (idHeader !== 'id' && inPhase) return 'agents';
    }
  }
  return 'other';
}

/** Every row's cells are as wide (in display columns) as the header's: the table was drawn aligned. */
export function isAligned(text: string, rows: TableRow[]): boolean {
  if (rows.length < 2) return false;
  const widths = rows[0].cells.map((c) => displayWidth(text.slice(c.outer.start.offset, c.outer.end.offset)));
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r].cells;
    if (cells.length !== widths.length) return false;
    for (let i = 0; i < cells.length; i++) {
      if (displayWidth(text.slice(cells[i].outer.start.offset, cells[i].outer.end.offset)) !== widths[i]) return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------ rows and cells

/** A row of a list table (queue, blockers, checkpoints, metrics): its cells by meaning. */
export function toRow(t: Table, r: TableRow): Row {
  const cells: Record<string, Cell> = {};
  for (const [m, i] of Object.entries(t.columns)) {
    if (i !== undefined && r.cells[i]) cells[m] = r.cells[i];
  }
  for (const [h, i] of Object.entries(t.extraColumns)) {
    if (r.cells[i] && cells[h] === undefined) cells[h] = r.cells[i];
  }
  const row: Row = { cells, row: r };
  const st = t.columns.status;
  if (st !== undefined && r.cells[st]) row.status = cellStatus(r.cells[st], r.range);
  return row;
}

/** The status a cell shows (the whole cell text); an empty range at the row's end when there is no cell. */
export function cellStatus(cell: Cell | undefined, fallback: Range): StatusValue {
  if (!cell) return { status: 'UNKNOWN', raw: '', range: { start: fallback.end, end: fallback.end } };
  return { status: toStatus(cell.text), raw: cell.text, range: cell.range };
}

/** The id written in an id cell, without links, markup or a `(role)` after it. */
export function cleanId(s: string): string {
  let t = s.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*`~]/g, '').trim();
  t = t.replace(/^_+|_+$/g, '').trim();
  // `agent-a-001 (ps-researcher)`: the id is before the role in brackets.
  const m = /^(\S+)\s+\(.*\)$/.exec(t);
  if (m) t = m[1];
  return t;
}

/** Header (or key) text without markup. */
export function plainHeader(s: string): string {
  return s.replace(/[*_`]/g, '').trim();
}

/**
 * True for a cell that is a status as written (`✅ ACCEPTED (0.93)`, `PASS`, `Not yet started`, `✅`),
 * not prose that happens to open with a status word (`New feature`, `Done by hand`).
 * Percentages count only in status-like columns.
 */
export function isStatusCell(text: string, statusColumn: boolean): boolean {
  const p = splitStatus(text);
  if (p.status === 'UNKNOWN') return false;
  if (!statusColumn && !p.emoji && /^\d/.test(p.word ?? text.slice(p.start))) return false;
  if (text.slice(0, p.start).replace(/[*_`~\s]/g, '') !== '') return false;
  const tail = text.slice(p.end).replace(/^[*_`~]+/, '');
  return /^\s*($|[([{,;:—–-]|\d)/.test(tail) || (statusColumn && tail.trim().length < 40);
}

// ------------------------------------------------------------------ header words of the unit layouts

/** Header words of a look-alike table's key column. */
export const LOOKALIKE_KEY = /^(?:conditions?|checks?|check item|criterion|criteria|acceptance criteria|steps?|bugs?|bug id|defects?|findings?|remediations?|fix(?:es)?|risks?|tests?|test case|requirements?|items? to create|to create|decisions?|lessons?|questions?)$/;

/** Header texts of status-like columns other than `Status`. */
export const STATUS_LIKE = /^(?:status|state|result|results|verdict|outcome|decision|gate result|gate status|current state)$/;

/** Header texts of id-like columns the header meanings do not cover. */
export const ID_LIKE = /^(?:#|no\.?|nr\.?|num|task|gate|gate id|barrier|barrier id|sync point|enabler|story|unit|feature|ticket|work item|wi)$/i;

/** A totals row (`| **TOTAL** | … |`). */
export const TOTALS = /^(?:total|totals|sum|overall|grand total|all|summary)$/;

