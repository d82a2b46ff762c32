/**
 * Pure edits on a parsed Tracker: each function returns the smallest `TextEdit`s that change one
 * status (or checkbox) in the markdown and, when present, in ORCHESTRATION.yaml. Nothing is ever
 * re-serialised: edits replace exact source ranges, so padding, line endings, BOM and the file's
 * own status spelling survive.
 */
import type {
  Cell,
  ChecklistItem,
  Heading,
  Range,
  Status,
  StatusValue,
  Table,
  TableRow,
  TextEdit,
  Tracker,
  YamlAgent,
  YamlScalar,
} from './model';
import { LineIndex } from './text';
import { spellStatus, splitStatus, toStatus } from './status';
import { yamlScalarText } from './yaml';
import { displayWidth } from './width';

export interface EditOptions {
  /** `YYYY-MM-DD` or an ISO timestamp; default: `now`. A plain date is written as given. */
  date?: string;
  now?: Date;
  /** Force the date style; `auto` (default) follows the dates already in the column. */
  dateStyle?: 'date' | 'iso' | 'auto';
}

// ---------------------------------------------------------------- shared helpers

const indexCache = new WeakMap<object, LineIndex>();
function indexOf(text: string, owner: object): LineIndex {
  let ix = indexCache.get(owner);
  if (!ix || ix.text !== text) {
    ix = new LineIndex(text);
    indexCache.set(owner, ix);
  }
  return ix;
}

function slice(text: string, r: Range): string {
  return text.slice(r.start.offset, r.end.offset);
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  let best: string | undefined;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

/** Markup around a status (`**DONE**`) is kept; explanatory text around it is not. */
const MARKUP_ONLY = /^[\s*_`~]*$/;

/** The status core of a raw text, without markup or suffix (`✅ DONE (x)` -> `✅ DONE`). */
function coreOf(raw: string): string {
  const p = splitStatus(raw);
  return raw.slice(p.start, p.end).replace(/[*`~]/g, '').trim();
}

/**
 * How to write `status` where `previousRaw` stood: the spelling its peers (same kind of element in
 * this file) already use for that status, else the file dialect in the previous text's shape. A
 * suffix describing the old status (`(2026-02-11T14:25)`, `(by Phase 1)`) is dropped; markup kept.
 */
function spellLike(tracker: Tracker, status: Status, previousRaw: string | undefined, peers: readonly StatusValue[], emojiAllowed = true): string {
  // A percentage (`🟡 50%`) or `PHASE_2_…` says where work is, not how the file spells the status.
  const spellable = (raw: string): boolean => {
    const w = splitStatus(raw).word;
    return !w || !/^(\d|phase)/i.test(w);
  };
  const same = peers.filter((p) => p.status === status && spellable(p.raw)).map((p) => coreOf(p.raw)).filter((s) => s !== '');
  let core = mostCommon(same);
  if (core === undefined) {
    core = spellStatus(tracker.dialect, status, previousRaw && previousRaw.trim() !== '' ? previousRaw : undefined);
    if (!previousRaw || previousRaw.trim() === '') {
      // No shape to follow: an element kind that never shows emoji (headings) gets the bare word.
      const anyEmoji = peers.some((p) => splitStatus(p.raw).emoji);
      if (!emojiAllowed || (peers.length > 0 && !anyEmoji)) core = stripEmoji(core, status);
    }
  }
  if (!previousRaw) return core;
  const p = splitStatus(previousRaw);
  if (p.status === 'UNKNOWN') return core;
  const before = previousRaw.slice(0, p.start);
  const after = previousRaw.slice(p.end);
  // Only wrapping markup survives; leading/trailing whitespace belongs to the cell, not the status.
  const pre = MARKUP_ONLY.test(before) ? before.trimStart() : '';
  const post = MARKUP_ONLY.test(after) ? after.trimEnd() : '';
  return pre + core + post;
}

function stripEmoji(spelled: string, status: Status): string {
  const p = splitStatus(spelled);
  if (p.word) return p.word;
  return status;
}

function escapeCell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

// ---------------------------------------------------------------- dates

const PLACEHOLDER = /^(?:|-+|—|–|n\/?a|tbd|none|null|pending|\{[^}]*\}|\.\.\.|…|_+)$/i;

function isPlaceholder(text: string | undefined): boolean {
  return text === undefined || PLACEHOLDER.test(text.replace(/[*`]/g, '').trim());
}

const DATE_SHAPE = /^(\d{4}-\d{2}-\d{2})(?:([T ])(\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;

interface DateFormat {
  time: boolean;
  sep: 'T' | ' ';
  seconds: boolean;
  zulu: boolean;
}

function formatOf(sample: string): DateFormat | undefined {
  const m = DATE_SHAPE.exec(sample.trim());
  if (!m) return undefined;
  if (!m[2]) return { time: false, sep: 'T', seconds: false, zulu: false };
  return { time: true, sep: m[2] as 'T' | ' ', seconds: !!m[4], zulu: m[6] === 'Z' };
}

/** The date format most used by `samples`, else the requested / learned style. */
function pickFormat(samples: readonly string[], style: 'date' | 'iso' | 'unknown' | 'auto' | undefined): DateFormat {
  if (style === 'date') return { time: false, sep: 'T', seconds: false, zulu: false };
  if (style === 'iso') {
    const f = samples.map(formatOf).find((x) => x?.time);
    return f ?? { time: true, sep: 'T', seconds: true, zulu: true };
  }
  const keyed = samples.map((s) => formatOf(s)).filter((f): f is DateFormat => !!f);
  const key = mostCommon(keyed.map((f) => JSON.stringify(f)));
  if (key) return JSON.parse(key) as DateFormat;
  return { time: false, sep: 'T', seconds: false, zulu: false };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function formatDate(d: Date, f: DateFormat): string {
  if (f.zulu) {
    const iso = d.toISOString(); // 2026-02-11T14:25:07.123Z
    if (!f.time) return iso.slice(0, 10);
    return `${iso.slice(0, 10)}${f.sep}${iso.slice(11, f.seconds ? 19 : 16)}Z`;
  }
  // Without a zone marker the file means local time, as a person would write it.
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  if (!f.time) return date;
  return `${date}${f.sep}${two(d.getHours())}:${two(d.getMinutes())}${f.seconds ? `:${two(d.getSeconds())}` : ''}`;
}

function dateText(opts: EditOptions | undefined, samples: readonly string[], learned: 'date' | 'iso' | 'unknown'): string {
  const style = opts?.dateStyle && opts.dateStyle !== 'auto' ? opts.dateStyle : undefined;
  const f = pickFormat(samples, style ?? (samples.some((s) => formatOf(s)) ? 'auto' : learned));
  if (opts?.date) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(opts.date.trim())) return opts.date.trim();
    const d = new Date(opts.date);
    if (!Number.isNaN(d.getTime())) return formatDate(d, f);
    return opts.date.trim();
  }
  return formatDate(opts?.now ?? new Date(), f);
}

// ---------------------------------------------------------------- table cells

interface CellChange {
  row: TableRow;
  col: number;
  text: string;
}

/** The first and last pipe-delimited segments of a table line, as offsets (for the delimiter row). */
function splitRowLine(line: string): { start: number; end: number }[] {
  const cells: { start: number; end: number }[] = [];
  let i = line.indexOf('|');
  if (i < 0) return cells;
  // A row may omit the leading pipe; the parser's cells tell us, but the delimiter row has none.
  if (line.slice(0, i).trim() !== '') {
    cells.push({ start: 0, end: i });
  }
  for (;;) {
    let j = i + 1;
    while (j < line.length && !(line[j] === '|' && line[j - 1] !== '\\')) j++;
    if (j >= line.length) {
      if (line.slice(i + 1).trim() !== '') cells.push({ start: i + 1, end: line.length });
      break;
    }
    cells.push({ start: i + 1, end: j });
    i = j;
  }
  return cells;
}

/**
 * Edits that change some cells of one table. An aligned table stays aligned: a wider value widens
 * its column in every row (delimiter dashes included), a narrower one is padded to the old width.
 * A ragged table only gets the changed cells replaced, each keeping its own padding.
 */
function tableEdits(tracker: Tracker, table: Table, changes: readonly CellChange[]): TextEdit[] {
  const text = tracker.text;
  const edits: TextEdit[] = [];
  const valid = changes.filter((c) => c.row.cells[c.col] !== undefined);
  if (!table.aligned) {
    for (const c of valid) {
      const cell = c.row.cells[c.col];
      const value = escapeCell(c.text);
      if (cell.text === value) continue;
      const outerText = slice(text, cell.outer);
      if (cell.text === '' && !/\s/.test(outerText)) {
        // `||` has no padding to keep: give the new value the usual one space each side.
        edits.push({ file: tracker.file, range: cell.outer, newText: ` ${value} ` });
      } else {
        edits.push({ file: tracker.file, range: cell.range, newText: value });
      }
    }
    return edits;
  }
  const ix = indexOf(text, tracker);
  const byCol = new Map<number, CellChange[]>();
  for (const c of valid) {
    if (!byCol.has(c.col)) byCol.set(c.col, []);
    byCol.get(c.col)!.push(c);
  }
  const allRows = [table.header, ...table.rows];
  for (const [col, colChanges] of byCol) {
    const changed = colChanges.filter((c) => escapeCell(c.text) !== c.row.cells[col].text);
    if (changed.length === 0) continue;
    let colWidth = 0;
    for (const r of allRows) {
      const cell = r.cells[col];
      if (cell) colWidth = Math.max(colWidth, displayWidth(slice(text, cell.outer)));
    }
    const planned = changed.map((c) => {
      const cell = c.row.cells[col];
      const lead = text.slice(cell.outer.start.offset, cell.range.start.offset);
      const trail = text.slice(cell.range.end.offset, cell.outer.end.offset);
      const value = escapeCell(c.text);
      const minTrail = trail.length > 0 ? 1 : 0;
      return { c, cell, lead: lead === '' && cell.text === '' ? ' ' : lead, value, need: displayWidth(lead) + displayWidth(value) + minTrail };
    });
    const newWidth = Math.max(colWidth, ...planned.map((p) => p.need));
    const changedRows = new Set(planned.map((p) => p.c.row));
    for (const p of planned) {
      const body = p.lead + p.value;
      edits.push({ file: tracker.file, range: p.cell.outer, newText: body + ' '.repeat(Math.max(0, newWidth - displayWidth(body))) });
    }
    if (newWidth > colWidth) {
      for (const r of allRows) {
        if (changedRows.has(r)) continue;
        const cell = r.cells[col];
        if (!cell) continue;
        const pad = newWidth - displayWidth(slice(text, cell.outer));
        if (pad > 0) edits.push({ file: tracker.file, range: { start: cell.outer.end, end: cell.outer.end }, newText: ' '.repeat(pad) });
      }
      // The delimiter row is not part of the model: find its segment for this column by pipes.
      const delimLine = table.header.range.start.line + 1;
      if (delimLine < ix.lineCount) {
        const line = ix.lineText(delimLine);
        const segs = splitRowLine(line);
        const headerSegs = splitRowLine(ix.lineText(table.header.range.start.line));
        // Align segment indexes when the header has a leading pipe and the delimiter not (or vice versa).
        const shift = headerSegs.length - segs.length;
        const seg = segs[col - Math.max(0, shift)];
        if (seg && /^[\s:-]*$/.test(line.slice(seg.start, seg.end))) {
          const segText = line.slice(seg.start, seg.end);
          const lastDash = segText.lastIndexOf('-');
          const at = lastDash >= 0 ? seg.start + lastDash + 1 : seg.end;
          const pad = newWidth - displayWidth(segText);
          if (pad > 0) {
            const off = ix.lineStarts[delimLine] + at;
            const pos = ix.position(off);
            edits.push({ file: tracker.file, range: { start: pos, end: pos }, newText: '-'.repeat(pad) });
          }
        }
      }
    }
  }
  return edits;
}

function cellEdit(row: TableRow, col: number | undefined, value: string): CellChange | undefined {
  if (col === undefined || row.cells[col] === undefined) return undefined;
  return { row, col, text: value };
}

/** Groups cell changes by table and returns the edits for all of them. */
function editCells(tracker: Tracker, changes: readonly { table: Table; change: CellChange }[]): TextEdit[] {
  const byTable = new Map<Table, CellChange[]>();
  for (const { table, change } of changes) {
    if (!byTable.has(table)) byTable.set(table, []);
    byTable.get(table)!.push(change);
  }
  const out: TextEdit[] = [];
  for (const [table, list] of byTable) out.push(...tableEdits(tracker, table, list));
  return out;
}

function findTableOfRow(tracker: Tracker, row: TableRow): Table | undefined {
  const off = row.range.start.offset;
  return tracker.tables.find((t) => t.range.start.offset <= off && off <= t.range.end.offset && (t.header === row || t.rows.includes(row)))
    ?? tracker.tables.find((t) => t.range.start.offset <= off && off < t.range.end.offset);
}

// ---------------------------------------------------------------- YAML scalars

function yamlFile(tracker: Tracker): string {
  return tracker.yaml?.file ?? '';
}

/** The YAML's own spelling for a status (its most used value for it), else the canonical word. */
function yamlStatusWord(peers: readonly (YamlScalar | undefined)[], status: Status): string {
  const values = peers.filter((p): p is YamlScalar => !!p && typeof p.value === 'string').map((p) => String(p.value));
  const same = values.filter((v) => toStatus(v) === status && /^[A-Za-z_ -]+$/.test(v));
  const best = mostCommon(same);
  if (best) return best;
  const lower = values.filter((v) => /[a-z]/.test(v) && v === v.toLowerCase()).length;
  return lower > values.length / 2 ? status.toLowerCase() : status;
}

function yamlSet(tracker: Tracker, scalar: YamlScalar | undefined, value: string, like?: YamlScalar): TextEdit[] {
  if (!scalar || !tracker.yaml) return [];
  if (typeof scalar.value === 'string' && scalar.value === value) return [];
  const model = like && like.style !== 'plain' && scalar.style === 'plain' && scalar.value === null ? like : scalar;
  const newText = yamlScalarText(value, model);
  if (newText === scalar.source) return [];
  return [{ file: yamlFile(tracker), range: scalar.range, newText }];
}

function yamlClear(tracker: Tracker, scalar: YamlScalar | undefined): TextEdit[] {
  if (!scalar || !tracker.yaml || scalar.value === null || scalar.value === '') return [];
  if (typeof scalar.value === 'string' && isPlaceholder(scalar.value)) return [];
  return [{ file: yamlFile(tracker), range: scalar.range, newText: 'null' }];
}

function yamlStatusEdit(tracker: Tracker, scalar: YamlScalar | undefined, status: Status, peers: readonly (YamlScalar | undefined)[]): TextEdit[] {
  if (!scalar || typeof scalar.value !== 'string' && scalar.value !== null) return [];
  if (typeof scalar.value === 'string' && toStatus(scalar.value) === status) return [];
  return yamlSet(tracker, scalar, yamlStatusWord(peers, status));
}

// ---------------------------------------------------------------- agents

function sameId(a: string, b: string): boolean {
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
function pickOne<T>(agentId: string, list: T[], occ: AgentOccurrence[], target: AgentTarget): T {
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

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The YAML record of one markdown occurrence, only when it matches without doubt: the id occurs
 * once on each side; or the record with that id under the same phase, or a per-phase id
 * (`x-p0`, `x-phase-0`, `x_p0`) for the occurrence's phase — and exactly one such record.
 */
function yamlRecordOf(tracker: Tracker, agent: Tracker['agents'][number], mdCount: number): YamlAgent | undefined {
  const all = tracker.yaml?.agents ?? [];
  const exact = all.filter((y) => sameId(y.id, agent.id));
  if (mdCount === 1 && exact.length === 1) return exact[0];
  if (agent.phase === undefined) return undefined;
  const perPhase = new RegExp(`^${escapeRe(agent.id.trim())}[-_.](?:p|ph|phase)[-_]?0*${agent.phase}$`, 'i');
  const candidates = [...exact.filter((y) => y.phase === agent.phase), ...all.filter((y) => perPhase.test(y.id.trim()))];
  const unique = [...new Set(candidates)];
  return unique.length === 1 ? unique[0] : undefined;
}

/**
 * Sets the status of ONE occurrence of an agent: the agents-table row picked by `opts.line`
 * (0-based row line) and/or `opts.phase`, or the only row with that id. An id written more than
 * once with no target that picks exactly one throws `AmbiguousAgentError`; a target matching no row
 * throws `NoSuchAgentOccurrenceError` — several rows are never edited. The same unit's YAML record
 * is edited only when it matches without doubt (see `yamlRecordOf`); other occurrences of the name
 * and the execution queue (a plan, not the record of a run) are never touched. When the markdown
 * has no row for the id, the YAML record is edited (one, or the one under `opts.phase`).
 */
export function setAgentStatus(tracker: Tracker, agentId: string, status: Status, opts?: AgentEditOptions): TextEdit[] {
  const target: AgentTarget = { line: opts?.line, phase: opts?.phase };
  const mdAll = tracker.agents.filter((a) => sameId(a.id, agentId));
  const yamlAll = (tracker.yaml?.agents ?? []).filter((a) => sameId(a.id, agentId));
  if (mdAll.length === 0 && yamlAll.length === 0) throw new Error(`unknown agent id: ${agentId}`);
  const occ = agentOccurrences(tracker, agentId);
  let agents: Tracker['agents'];
  let yamlAgents: YamlAgent[];
  if (mdAll.length > 0) {
    const one = pickOne(agentId, mdAll, occ, target);
    agents = [one];
    const y = yamlRecordOf(tracker, one, mdAll.length);
    yamlAgents = y ? [y] : [];
  } else {
    agents = [];
    yamlAgents = [pickOne(agentId, yamlAll, occ, target)];
  }

  const peers = tracker.agents.map((a) => a.status);
  const changes: { table: Table; change: CellChange }[] = [];
  const placeholderOf = (cells: (Cell | undefined)[]): string =>
    mostCommon(cells.filter((c): c is Cell => !!c && isPlaceholder(c.text) && c.text !== '').map((c) => c.text)) ?? '-';
  const startedPlaceholder = placeholderOf(tracker.agents.map((a) => a.started));
  const completedPlaceholder = placeholderOf(tracker.agents.map((a) => a.completed));
  const startedSamples = tracker.agents.map((a) => a.started?.text ?? '').filter((t) => formatOf(t));
  const completedSamples = tracker.agents.map((a) => a.completed?.text ?? '').filter((t) => formatOf(t));

  for (const a of agents) {
    const push = (col: number | undefined, value: string): void => {
      const c = cellEdit(a.row, col, value);
      if (c) changes.push({ table: a.table, change: c });
    };
    if (a.status.status !== status || a.status.raw.trim() === '') {
      push(a.statusColumn ?? a.table.columns.status, spellLike(tracker, status, a.status.raw, peers));
    }
    const started = a.started;
    const completed = a.completed;
    if (status === 'COMPLETE') {
      if (completed && (a.status.status !== 'COMPLETE' || isPlaceholder(completed.text))) {
        push(a.table.columns.completed, dateText(opts, completedSamples.length ? completedSamples : startedSamples, tracker.dialect.dateStyle));
      }
    } else if (status === 'IN_PROGRESS') {
      if (started && isPlaceholder(started.text)) {
        push(a.table.columns.started, dateText(opts, startedSamples.length ? startedSamples : completedSamples, tracker.dialect.dateStyle));
      }
      if (completed && !isPlaceholder(completed.text)) push(a.table.columns.completed, completedPlaceholder);
    } else if (status === 'PENDING' || status === 'READY') {
      // Not started yet: recorded times would contradict the status.
      if (started && !isPlaceholder(started.text)) push(a.table.columns.started, startedPlaceholder);
      if (completed && !isPlaceholder(completed.text)) push(a.table.columns.completed, completedPlaceholder);
    } else if (status === 'BLOCKED') {
      if (completed && !isPlaceholder(completed.text)) push(a.table.columns.completed, completedPlaceholder);
    }
  }
  const edits = editCells(tracker, changes);

  if (tracker.yaml && yamlAgents.length > 0) {
    const all = tracker.yaml.agents;
    const statusPeers = all.map((a) => a.status);
    const datePeers = all.flatMap((a) => [a.started_at, a.completed_at]).filter((s): s is YamlScalar => !!s && typeof s.value === 'string' && !!formatOf(s.value));
    const yDate = (): string => dateText(opts, datePeers.map((s) => String(s.value)), 'iso');
    const likeDate = datePeers[0];
    for (const y0 of yamlAgents) {
      // A value reached through an anchor (`<<: *defaults`) is shared: editing it would change every
      // agent that merges it, so only the agent's own scalars are written.
      const own = (sc: YamlScalar | undefined): YamlScalar | undefined =>
        sc && sc.range.start.offset >= y0.range.start.offset && sc.range.end.offset <= y0.range.end.offset ? sc : undefined;
      const y = { status: own(y0.status), started_at: own(y0.started_at), completed_at: own(y0.completed_at) };
      const wasComplete = typeof y0.status?.value === 'string' && toStatus(y0.status.value) === 'COMPLETE';
      edits.push(...yamlStatusEdit(tracker, y.status, status, statusPeers));
      const emptyScalar = (s: YamlScalar | undefined): boolean => !!s && (s.value === null || (typeof s.value === 'string' && isPlaceholder(s.value)));
      if (status === 'COMPLETE') {
        if (y.completed_at && (!wasComplete || emptyScalar(y.completed_at))) edits.push(...yamlSet(tracker, y.completed_at, yDate(), likeDate));
      } else if (status === 'IN_PROGRESS') {
        if (emptyScalar(y.started_at)) edits.push(...yamlSet(tracker, y.started_at, yDate(), likeDate));
        edits.push(...yamlClear(tracker, y.completed_at));
      } else if (status === 'PENDING' || status === 'READY') {
        edits.push(...yamlClear(tracker, y.started_at), ...yamlClear(tracker, y.completed_at));
      } else if (status === 'BLOCKED') {
        edits.push(...yamlClear(tracker, y.completed_at));
      }
    }
  }
  return edits;
}

// ---------------------------------------------------------------- headings (phases, barriers)

/** Statuses written in phase and barrier headings: the dialect headings use. */
function headingPeers(tracker: Tracker): StatusValue[] {
  return [...tracker.phases.map((p) => p.status), ...tracker.barriers.map((b) => b.status)].filter((s): s is StatusValue => !!s);
}

function headingStatusEdit(tracker: Tracker, heading: Heading, current: StatusValue | undefined, status: Status): TextEdit[] {
  const peers = headingPeers(tracker);
  if (current) {
    if (current.status === status) return [];
    const raw = current.raw;
    const p = splitStatus(raw);
    // The heading's status range may carry a reason (`BLOCKED (by Phase 1)`): replace all of it.
    const value = spellLike(tracker, status, raw, peers, !!p.emoji || peers.some((s) => splitStatus(s.raw).emoji));
    // A reason right after the status (`PENDING (blocked by Barrier 3)`) explains the old status.
    const ix = indexOf(tracker.text, tracker);
    const lineEnd = ix.lineEnd(current.range.end.line);
    const after = tracker.text.slice(current.range.end.offset, lineEnd);
    const reason = /^\s*\([^()]*\)/.exec(after);
    const range = reason ? { start: current.range.start, end: ix.position(current.range.end.offset + reason[0].length) } : current.range;
    return [{ file: tracker.file, range, newText: value }];
  }
  const ix = indexOf(tracker.text, tracker);
  const line = heading.range.start.line;
  const lineText = ix.lineText(line);
  // Append after the visible text, before trailing spaces or a closing `###` sequence.
  const m = /(\s+#+)?\s*$/.exec(lineText);
  const endCol = m ? m.index : lineText.length;
  const body = lineText.slice(0, endCol);
  const sep = / — /.test(body) ? ' — ' : / – /.test(body) ? ' – ' : / -- /.test(body) ? ' -- ' : ' - ';
  const value = spellLike(tracker, status, undefined, peers, peers.some((s) => splitStatus(s.raw).emoji));
  const pos = ix.at(line, endCol);
  return [{ file: tracker.file, range: { start: pos, end: pos }, newText: sep + value }];
}

export function setPhaseStatus(tracker: Tracker, phase: number, status: Status, _opts?: EditOptions): TextEdit[] {
  const phases = tracker.phases.filter((p) => p.number === phase);
  const yamlPhases = (tracker.yaml?.phases ?? []).filter((p) => p.number === phase);
  if (phases.length === 0 && yamlPhases.length === 0) throw new Error(`unknown phase: ${phase}`);
  const edits: TextEdit[] = [];
  for (const p of phases) edits.push(...headingStatusEdit(tracker, p.heading, p.status, status));
  const peers = (tracker.yaml?.phases ?? []).map((p) => p.status);
  for (const y of yamlPhases) edits.push(...yamlStatusEdit(tracker, y.status, status, peers));
  return edits;
}

/** `a→b`, `a->b`, `a-to-b`, `a_to_b`, `A --> B` all become `a>b`. */
function normDirection(d: string): string {
  return d
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[-=]*>|→|⇒|[-_]to[-_]/g, '>')
    .replace(/[`*]/g, '');
}

export function setBarrierStatus(tracker: Tracker, barrier: number | string, status: Status, opts?: EditOptions & { direction?: string }): TextEdit[] {
  const wanted = typeof barrier === 'number' ? barrier : /^\s*(?:barrier[-_ ]?)?(\d+)\s*$/i.exec(barrier)?.[1];
  const matches = (n: number, id: string): boolean =>
    (wanted !== undefined && n === Number(wanted)) || (typeof barrier === 'string' && sameId(id, barrier));
  const barriers = tracker.barriers.filter((b) => matches(b.number, b.id));
  const yamlBarriers = (tracker.yaml?.barriers ?? []).filter((b) => matches(b.number, b.id));
  if (barriers.length === 0 && yamlBarriers.length === 0) throw new Error(`unknown barrier: ${barrier}`);
  const edits: TextEdit[] = [];
  const direction = opts?.direction;
  if (direction === undefined) {
    for (const b of barriers) edits.push(...headingStatusEdit(tracker, b.heading, b.status, status));
    const peers = (tracker.yaml?.barriers ?? []).map((b) => b.status);
    for (const y of yamlBarriers) edits.push(...yamlStatusEdit(tracker, y.status, status, peers));
    return edits;
  }
  const want = normDirection(direction);
  const peers = tracker.barriers.flatMap((b) => b.directions.map((d) => d.status)).filter((s): s is StatusValue => !!s);
  const changes: { table: Table; change: CellChange }[] = [];
  let found = false;
  for (const b of barriers) {
    for (const d of b.directions) {
      if (normDirection(d.direction) !== want) continue;
      found = true;
      if (!d.status || d.status.status === status) continue;
      const table = findTableOfRow(tracker, d.row);
      const col = table?.columns.status ?? d.row.cells.findIndex((c) => c.range.start.offset === d.status!.range.start.offset);
      if (!table || col === undefined || col < 0) {
        edits.push({ file: tracker.file, range: d.status.range, newText: spellLike(tracker, status, d.status.raw, peers) });
        continue;
      }
      changes.push({ table, change: { row: d.row, col, text: spellLike(tracker, status, d.status.raw, peers) } });
    }
  }
  edits.push(...editCells(tracker, changes));
  const artifactPeers = (tracker.yaml?.barriers ?? []).flatMap((b) => b.artifacts.map((a) => a.status));
  for (const y of yamlBarriers) {
    for (const a of y.artifacts) {
      if (normDirection(a.key) !== want) continue;
      found = true;
      edits.push(...yamlStatusEdit(tracker, a.status, status, artifactPeers));
    }
  }
  if (!found) throw new Error(`unknown direction ${direction} in barrier ${barrier}`);
  return edits;
}

// ---------------------------------------------------------------- checklists

/** Only the character inside `[ ]` changes; an upper-case `X` is used when the file prefers it. */
export function setArtifactChecked(tracker: Tracker, item: ChecklistItem, checked: boolean): TextEdit[] {
  if (item.checked === checked) return [];
  const current = slice(tracker.text, item.checkRange);
  if (current.length !== 1 && item.checkRange.end.offset - item.checkRange.start.offset !== 1) return [];
  let mark = ' ';
  if (checked) {
    const marks = tracker.checklist.filter((c) => c.checked).map((c) => slice(tracker.text, c.checkRange));
    mark = mostCommon(marks) === 'X' ? 'X' : 'x';
  }
  return [{ file: tracker.file, range: item.checkRange, newText: mark }];
}

// Re-exported for dashboard.ts, which writes metrics cells with the same alignment rules.
export { tableEdits as _tableEdits, dateText as _dateText, formatOf as _formatOf, spellLike as _spellLike, yamlSet as _yamlSet };
export type { CellChange as _CellChange };
