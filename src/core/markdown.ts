/**
 * The worktracker markdown reader: one remark parse per section, one walk of the mdast, then a
 * single pass that gives every table, checklist and heading its place (phase, barrier, group).
 *
 * Cells are cut from the source line itself (not from remark's cell nodes) so that every cell keeps
 * the exact range of its content and of its padding, which edits need.
 *
 * Incremental: the text is split into sections at ATX headings of depth <= 3 (outside fences and
 * HTML comments) and each section is parsed on its own; a `MarkdownCache` maps a section's text to
 * its mdast, so after a small edit only the changed section goes through remark again. Everything
 * after the remark parse depends only on (section text, section offset), so a warm parse equals a
 * cold one.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, Nodes, Table as MdTable } from 'mdast';
import stringWidth from 'string-width';
import { LineIndex, detectEol, hasBom } from './text';
import { learnDateStyle, learnDialect, splitStatus, toStatus } from './status';
import { readDashboardLines } from './dashboardLines';
import type {
  Agent,
  ArtifactRef,
  Barrier,
  BarrierDirection,
  Cell,
  ChecklistItem,
  Dashboard,
  Finding,
  Gate,
  HeaderField,
  Heading,
  Metrics,
  Phase,
  PipelineGroup,
  Range,
  Row,
  Status,
  StatusValue,
  Table,
  TableKind,
  TableRow,
  Tracker,
} from './model';

const processor = unified().use(remarkParse).use(remarkGfm);

/** Reuses the mdast of unchanged sections between parses of (versions of) one document. */
export interface MarkdownCache {
  /** Section text -> its mdast (positions relative to the section). */
  sections: Map<string, Root>;
}

export function createMarkdownCache(): MarkdownCache {
  return { sections: new Map() };
}

// ------------------------------------------------------------------ sections

/** Section start offsets: 0 and every ATX heading (depth <= 3) outside fences and HTML comments. */
function sectionStarts(text: string, li: LineIndex): number[] {
  const starts = [0];
  let fenceCh = 0;
  let fenceLen = 0;
  let inComment = false;
  const n = li.lineCount;
  for (let l = 0; l < n; l++) {
    const s = li.lineStarts[l];
    const e = li.lineEnd(l);
    let i = s;
    let ind = 0;
    while (ind < 4 && i < e && text.charCodeAt(i) === 32) {
      i++;
      ind++;
    }
    const c = text.charCodeAt(i);
    if (fenceCh) {
      if (ind < 4 && c === fenceCh) {
        let j = i;
        while (j < e && text.charCodeAt(j) === fenceCh) j++;
        if (j - i >= fenceLen && text.slice(j, e).trim() === '') fenceCh = 0;
      }
      continue;
    }
    if (inComment) {
      const k = text.indexOf('-->', s);
      if (k !== -1 && k < e) inComment = false;
      continue;
    }
    if (ind >= 4 || c === 9) continue;
    if (c === 96 || c === 126) {
      let j = i;
      while (j < e && text.charCodeAt(j) === c) j++;
      if (j - i >= 3 && (c === 126 || text.indexOf('`', j) === -1 || text.indexOf('`', j) >= e)) {
        fenceCh = c;
        fenceLen = j - i;
      }
      continue;
    }
    if (c === 60 && text.startsWith('<!--', i)) {
      const k = text.indexOf('-->', i + 4);
      if (k === -1 || k >= e) inComment = true;
      continue;
    }
    if (c === 35 && l > 0) {
      let j = i;
      while (j < e && text.charCodeAt(j) === 35) j++;
      const d = j - i;
      const after = text.charCodeAt(j);
      if (d <= 3 && (j === e || after === 32 || after === 9)) starts.push(s);
    }
  }
  return starts;
}

// ------------------------------------------------------------------ events from the mdast

type Ev =
  | { k: 'heading'; h: Heading; line: number }
  | { k: 'table'; t: Table }
  | { k: 'check'; item: ChecklistItem }
  | { k: 'code'; start: number; end: number; fenced: boolean }
  | { k: 'quote'; start: number; end: number }
  | { k: 'para'; start: number; end: number }
  | { k: 'link'; ref: ArtifactRef };

interface Ctx {
  text: string;
  li: LineIndex;
  file: string;
  findings: Finding[];
  events: Ev[];
}

function rng(ctx: Ctx, start: number, end: number): Range {
  return ctx.li.range(start, end);
}

/** Positions on one known line without a binary search (rows with 10 000 cells). */
function lineRange(line: number, lineStart: number, start: number, end: number): Range {
  return {
    start: { line, column: start - lineStart, offset: start },
    end: { line, column: end - lineStart, offset: end },
  };
}

const BOX_START = /^[\s]*[╔┌+║│═─╭┏]/;

function walk(node: Nodes, base: number, ctx: Ctx): void {
  const p = node.position;
  if (!p || p.start.offset === undefined || p.end.offset === undefined) return;
  const start = p.start.offset + base;
  const end = p.end.offset + base;
  switch (node.type) {
    case 'heading': {
      const h = readHeading(ctx, node.depth, start, end);
      if (h) ctx.events.push({ k: 'heading', h, line: h.range.start.line });
      collectLinks(node, base, ctx);
      return;
    }
    case 'table': {
      try {
        const t = readTable(node, base, ctx);
        if (t) ctx.events.push({ k: 'table', t });
      } catch (e) {
        internalFinding(ctx, e, start, end);
      }
      return;
    }
    case 'code': {
      const t = ctx.text;
      let i = start;
      while (t.charCodeAt(i) === 32) i++;
      const c = t.charCodeAt(i);
      ctx.events.push({ k: 'code', start, end, fenced: c === 96 || c === 126 });
      return;
    }
    case 'blockquote':
      ctx.events.push({ k: 'quote', start, end });
      for (const c of node.children) walk(c, base, ctx);
      return;
    case 'paragraph': {
      const c = ctx.text.charCodeAt(start);
      if (c === 42 || c === 95 || BOX_START.test(ctx.text.slice(start, start + 8))) ctx.events.push({ k: 'para', start, end });
      collectLinks(node, base, ctx);
      return;
    }
    case 'listItem': {
      if (typeof node.checked === 'boolean') {
        const item = readChecklistItem(ctx, start, node.checked);
        if (item) ctx.events.push({ k: 'check', item });
      }
      for (const c of node.children) walk(c, base, ctx);
      return;
    }
    case 'root':
    case 'list':
    case 'footnoteDefinition':
      for (const c of node.children) walk(c, base, ctx);
      return;
    default:
      return;
  }
}

function internalFinding(ctx: Ctx, e: unknown, start: number, end: number): void {
  ctx.findings.push({
    code: 'table-malformed',
    severity: 'error',
    message: `Could not read this part of the tracker: ${e instanceof Error ? e.message : String(e)}`,
    file: ctx.file,
    range: rng(ctx, start, Math.max(start, end)),
  });
}

function collectLinks(node: Nodes, base: number, ctx: Ctx): void {
  if (!('children' in node)) return;
  for (const c of node.children as Nodes[]) {
    if (c.type === 'link') {
      const p = c.position;
      if (p && p.start.offset !== undefined && p.end.offset !== undefined) {
        const ref = linkRef(ctx, p.start.offset + base, p.end.offset + base, 'link');
        if (ref) ctx.events.push({ k: 'link', ref });
      }
    } else if ('children' in c) collectLinks(c, base, ctx);
  }
}

/** The target of an inline link `[x](target)` between start and end, when it is a local path. */
function linkRef(ctx: Ctx, start: number, end: number, source: ArtifactRef['source'], agentId?: string): ArtifactRef | undefined {
  const src = ctx.text.slice(start, end);
  const k = src.lastIndexOf('](');
  if (k < 0) return undefined;
  let i = k + 2;
  while (src.charCodeAt(i) === 32) i++;
  if (src.charCodeAt(i) === 60) i++;
  let j = i;
  while (j < src.length) {
    const c = src.charCodeAt(j);
    if (c === 32 || c === 41 || c === 62 || c === 35 || c === 63 || c === 9) break;
    j++;
  }
  const path = src.slice(i, j);
  if (!path || WEB_URL.test(path) || path.startsWith('//')) return undefined;
  const ref: ArtifactRef = { path, file: 'md', range: rng(ctx, start + i, start + j), source };
  if (agentId !== undefined) ref.agentId = agentId;
  return ref;
}

// ------------------------------------------------------------------ headings

function readHeading(ctx: Ctx, depth: number, start: number, end: number): Heading | undefined {
  const t = ctx.text;
  let i = start;
  while (i < end && t.charCodeAt(i) === 32) i++;
  let e: number;
  if (t.charCodeAt(i) === 35) {
    while (i < end && t.charCodeAt(i) === 35) i++;
    while (i < end && (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9)) i++;
    e = end;
    while (e > i && /\s/.test(t[e - 1])) e--;
    // Optional closing sequence: ` ###`.
    let k = e;
    while (k > i && t.charCodeAt(k - 1) === 35) k--;
    if (k < e && (k === i || t.charCodeAt(k - 1) === 32 || t.charCodeAt(k - 1) === 9)) {
      e = k;
      while (e > i && /\s/.test(t[e - 1])) e--;
    }
  } else {
    // Setext: the content is the first line.
    const line = ctx.li.position(i).line;
    e = Math.min(ctx.li.lineEnd(line), end);
    while (e > i && /\s/.test(t[e - 1])) e--;
  }
  return { depth, text: t.slice(i, e), range: rng(ctx, i, e) };
}

const NUMBERING = /^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+/;
/** `-`, `--`, em/en dash or `:` between parts of a heading. */
const SEP = /\s+(?:—|–|--|-|\|)\s+|\s*[—–]\s*|:\s+/g;

/** A status emoji on its own (`✅`, `🔄`), with an optional variation selector. */
const STATUS_EMOJI = /^[\p{Extended_Pictographic}\u2713\u2714\u2717\u2718][\ufe0f\ufe0e]?$/u;

interface HeadingParts {
  title: string;
  status?: { start: number; end: number };
}

/**
 * Splits what follows `PHASE 1` / `BARRIER 2` into a title and a trailing status word. The status is
 * the last dash/colon-separated part when it starts with a status word and is followed by nothing or
 * a reason (`READY (Barrier 2 complete)`), so `Phase 2: Pending Items Review` keeps its title.
 */
function headingParts(rest: string): HeadingParts {
  const seps: { start: number; end: number }[] = [];
  SEP.lastIndex = 0;
  for (let m = SEP.exec(rest); m; m = SEP.exec(rest)) {
    seps.push({ start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) SEP.lastIndex++;
  }
  const trimTitle = (s: string) => s.replace(/^[\s:—–|*_-]+/, '').replace(/[\s:—–|*_-]+$/, '').trim();
  const tryStatus = (from: number): { start: number; end: number } | undefined => {
    const seg = rest.slice(from);
    const p = splitStatus(seg);
    if (p.status === 'UNKNOWN') return undefined;
    const lead = seg.slice(0, p.start);
    if (lead.replace(/[*_`\s]/g, '') !== '') return undefined;
    const tail = seg.slice(p.end).replace(/^[*_`]+/, '');
    if (!/^\s*($|[([{,;:—–-])/.test(tail)) return undefined;
    return { start: from + p.start, end: from + p.end };
  };
  // The whole rest may be just a status (`PHASE 1 - COMPLETE`, `PHASE 2 READY`).
  for (let k = seps.length - 1; k >= -1; k--) {
    const from = k >= 0 ? seps[k].end : 0;
    if (k === -1 && seps.length > 0 && seps[0].start > 0) break;
    const st = tryStatus(from);
    if (st) {
      const title = trimTitle(rest.slice(0, k >= 0 ? seps[k].start : 0));
      return { title, status: st };
    }
    if (k >= 0) break;
  }
  // A bracketed status at the end: `Research (COMPLETE)`, `RESEARCH [DONE]` — not a reason like `(by Phase 1)`.
  const br = /[([]\s*([^()[\]]+?)\s*[)\]]\s*$/.exec(rest);
  if (br) {
    const innerStart = br.index + br[0].indexOf(br[1]);
    const p = splitStatus(br[1]);
    const bare = (x: string) => x.replace(/[*_`\s]/g, '') === '';
    if (p.status !== 'UNKNOWN' && bare(br[1].slice(0, p.start)) && bare(br[1].slice(p.end))) {
      return { title: trimTitle(rest.slice(0, br.index)), status: { start: innerStart + p.start, end: innerStart + p.end } };
    }
  }
  // A status emoji closing the heading: `Phase 1 - Research ✅`.
  const em = /\s(\S{1,3})\s*$/u.exec(rest);
  if (em && STATUS_EMOJI.test(em[1]) && toStatus(em[1]) !== 'UNKNOWN') {
    const start = em.index + 1;
    return { title: trimTitle(rest.slice(0, start)), status: { start, end: start + em[1].length } };
  }
  return { title: trimTitle(rest) };
}

/** Length of status emoji (and spaces) opening a heading (`✅ PHASE 1 - …`), and the first one's status range. */
function leadingEmoji(s: string): { length: number; status?: { start: number; end: number } } {
  const m = /^(?:[\p{Extended_Pictographic}\u2713\u2714\u2717\u2718][\ufe0f\ufe0e]?\s*)+/u.exec(s);
  if (!m) return { length: 0 };
  const first = /^\S{1,2}[\ufe0f\ufe0e]?/u.exec(m[0])![0].trim();
  const cp = String.fromCodePoint(first.codePointAt(0)!);
  const e = first.startsWith(cp) && first.length > cp.length && /[\ufe0f\ufe0e]/.test(first.slice(cp.length)) ? first : cp;
  return { length: m[0].length, status: toStatus(e) !== 'UNKNOWN' ? { start: 0, end: e.length } : undefined };
}

interface PhaseHeading {
  number: number;
  title: string;
  status?: { start: number; end: number };
  kind?: string;
  label?: string;
}

/** Offset of the heading text after a leading `2.1 ` numbering. */
function afterNumbering(text: string): number {
  const m = NUMBERING.exec(text);
  let i = m ? m[0].length : 0;
  while (text.charCodeAt(i) === 42 || text.charCodeAt(i) === 95) i++;
  return i;
}

function parsePhaseHeading(text: string): PhaseHeading | undefined {
  const i0 = afterNumbering(text);
  const lead = leadingEmoji(text.slice(i0));
  const i = i0 + lead.length;
  const leadStatus = lead.status && { start: i0 + lead.status.start, end: i0 + lead.status.end };
  const m = /^phase[\s_-]*(\d+)\b/i.exec(text.slice(i));
  if (m) {
    const restStart = i + m[0].length;
    const parts = headingParts(text.slice(restStart));
    return {
      number: Number(m[1]),
      title: parts.title,
      status: parts.status ? { start: parts.status.start + restStart, end: parts.status.end + restStart } : leadStatus,
    };
  }
  // A letter label needs a separator (`Track A`), so the plural `Waves` / `Tracks` is not wave S.
  const t = /^(track|stream|wave|spike|workstream|lane)(?:[\s_-]+([A-Za-z])|[\s_-]*(\d+))\b/i.exec(text.slice(i));
  if (t) {
    const restStart = i + t[0].length;
    const parts = headingParts(text.slice(restStart));
    const v = t[2] ?? t[3];
    const number = /^\d+$/.test(v) ? Number(v) : v.toUpperCase().charCodeAt(0) - 64;
    return {
      number,
      title: parts.title,
      status: parts.status ? { start: parts.status.start + restStart, end: parts.status.end + restStart } : leadStatus,
      kind: t[1].toLowerCase(),
      label: text.slice(i, i + t[0].length),
    };
  }
  return undefined;
}

interface BarrierHeading {
  number: number;
  id: string;
  title: string;
  status?: { start: number; end: number };
}

function parseBarrierHeading(text: string): BarrierHeading | undefined {
  const i0 = afterNumbering(text);
  const lead = leadingEmoji(text.slice(i0));
  const i = i0 + lead.length;
  const s = text.slice(i);
  const m =
    /^(?:sync\s+)?barrier[\s_-]*(\d+)\b/i.exec(s) ?? /^(qg|quality\s+gate)[\s_-]*(\d+)\b/i.exec(s) ?? /^(wave[\s_-]*gate)[\s_-]*(\d+)\b/i.exec(s);
  if (!m) return undefined;
  const isBarrier = /barrier/i.test(m[0]);
  const isWaveGate = /^wave/i.test(m[0]);
  const num = Number(isBarrier ? m[1] : m[2]);
  const restStart = i + m[0].length;
  const parts = headingParts(text.slice(restStart));
  return {
    number: num,
    id: isBarrier ? `barrier-${num}` : isWaveGate ? `wave-gate-${num}` : `qg-${num}`,
    title: parts.title,
    status: parts.status
      ? { start: parts.status.start + restStart, end: parts.status.end + restStart }
      : lead.status && { start: i0 + lead.status.start, end: i0 + lead.status.end },
  };
}

// ------------------------------------------------------------------ tables

/** Lower case, no markup, no punctuation or emoji: the meaning of a header survives spelling. */
export function normalizeHeader(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const MEANINGS: Record<string, string> = {
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

function isPlaceholder(s: string): boolean {
  return /^(?:|-+|—|–|n\/?a|tbd|\.\.\.|…|\?|\{[^}]*\}|\*?none\*?|_+)$/i.test(s.replace(/[*_`]/g, '').trim()) || /^\{[^}]*\}$/.test(s.trim());
}

/**
 * Cuts one table row into cells: splits on `|` that is neither escaped nor inside a code span; a
 * leading and a trailing pipe are borders, not empty cells.
 */
function splitCells(text: string, from: number, to: number, line: number, lineStart: number): Cell[] {
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

function readTableRow(ctx: Ctx, startOffset: number, endOffset: number): TableRow | undefined {
  const li = ctx.li;
  const line = li.position(startOffset).line;
  const lineStart = li.lineStarts[line];
  const lineEnd = li.lineEnd(line);
  // A row spanning lines would mean our idea of the row is wrong: ignore it rather than guess.
  if (endOffset > lineEnd) return undefined;
  const prefix = ctx.text.slice(lineStart, startOffset);
  const rowStart = /^[ \t]*$/.test(prefix) ? lineStart : startOffset;
  const cells = splitCells(ctx.text, startOffset, lineEnd, line, lineStart);
  return { cells, range: lineRange(line, lineStart, rowStart, lineEnd) };
}

interface Columns {
  columns: Partial<Record<string, number>>;
  extraColumns: Record<string, number>;
}

function headerColumns(header: TableRow): Columns {
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

function classify(cols: Partial<Record<string, number>>, header: TableRow, heading: string | undefined, inPhase: boolean): TableKind {
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

function cellWidth(s: string): number {
  // Plain ASCII is the common case; only measure display width when it can differ.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 126) return stringWidth(s);
  return s.length;
}

function isAligned(text: string, rows: TableRow[]): boolean {
  if (rows.length < 2) return false;
  const widths = rows[0].cells.map((c) => cellWidth(text.slice(c.outer.start.offset, c.outer.end.offset)));
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r].cells;
    if (cells.length !== widths.length) return false;
    for (let i = 0; i < cells.length; i++) {
      if (cellWidth(text.slice(cells[i].outer.start.offset, cells[i].outer.end.offset)) !== widths[i]) return false;
    }
  }
  return true;
}

function readTable(node: MdTable, base: number, ctx: Ctx): Table | undefined {
  const rows: TableRow[] = [];
  for (const r of node.children) {
    const p = r.position;
    if (!p || p.start.offset === undefined || p.end.offset === undefined) continue;
    const row = readTableRow(ctx, p.start.offset + base, p.end.offset + base);
    if (row) rows.push(row);
    else if (rows.length === 0) return undefined;
  }
  if (rows.length === 0) return undefined;
  const header = rows[0];
  const body = rows.slice(1);
  const { columns, extraColumns } = headerColumns(header);
  const table: Table = {
    kind: 'other',
    header,
    rows: body,
    columns,
    extraColumns,
    aligned: isAligned(ctx.text, rows),
    range: { start: header.range.start, end: (body.length ? body[body.length - 1] : header).range.end },
  };
  for (const r of body) {
    if (r.cells.length !== header.cells.length) {
      ctx.findings.push({
        code: 'table-malformed',
        severity: 'warning',
        message: `Table row has ${r.cells.length} cells but its header has ${header.cells.length}.`,
        file: ctx.file,
        range: r.range,
        data: { cells: r.cells.length, header: header.cells.length },
      });
    }
  }
  return table;
}

// ------------------------------------------------------------------ checklists and paths

/** URL schemes that name a local file. */
const FILE_URL = /^(?:file|vscode(?:-insiders)?):\/\/\S/i;
/** Schemes of web/remote links: never a workspace file. Other schemes (`command:`) are left to the analyzer. */
const WEB_URL = /^(?:https?|ftps?|mailto|tel|data|ssh|git|irc|news|urn|about|javascript):/i;

/** A path-looking token: has a `/` or a file extension, no spaces, no code-ish punctuation. */
export function looksLikePath(s: string): boolean {
  if (!s || s.length > 400 || /\s/.test(s) || /^[-=]/.test(s) || /[="'<>|;(),`]/.test(s.replace(/\{[^}]*\}/g, ''))) return false;
  // `file:`/`vscode:` URLs and drive paths point at files: report them so the analyzer can judge them.
  if (FILE_URL.test(s) || /^[A-Za-z]:[\\/]\S/.test(s)) return true;
  if (WEB_URL.test(s) || s.startsWith('#')) return false;
  if (/^[\d.,:%/x+-]+$/i.test(s)) return false;
  if (s.includes('/')) return /[\p{L}{]/u.test(s);
  return /[^./]\.[A-Za-z][A-Za-z0-9]{1,7}$/.test(s) || /[^./]\.[a-z]$/.test(s) && /^[\w.-]+\.(c|h|r|d|m)$/.test(s);
}

/** Paths in a piece of text at [start, end): links, code spans that look like paths, else bare file names. */
function pathsIn(ctx: Ctx, start: number, end: number, source: ArtifactRef['source'], agentId?: string, bare = true): ArtifactRef[] {
  const src = ctx.text.slice(start, end);
  const out: ArtifactRef[] = [];
  const mk = (s: number, e: number): ArtifactRef => {
    const ref: ArtifactRef = { path: src.slice(s, e), file: 'md', range: rng(ctx, start + s, start + e), source };
    if (agentId !== undefined) ref.agentId = agentId;
    return ref;
  };
  const taken: [number, number][] = [];
  // Links.
  if (src.includes('](')) {
    const re = /\[[^\]\n]*\]\(\s*<?([^)\s>#?]+)/g;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const p = m[1];
      if (WEB_URL.test(p)) continue;
      const s = m.index + m[0].length - p.length;
      out.push(mk(s, s + p.length));
      taken.push([m.index, m.index + m[0].length]);
    }
  }
  // Code spans.
  if (src.includes('`')) {
    const re = /(`+)([^`]+?)\1(?!`)/g;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const inner = m[2];
      const lead = inner.length - inner.trimStart().length;
      const t = inner.trim();
      taken.push([m.index, m.index + m[0].length]);
      if (!looksLikePath(t)) continue;
      const s = m.index + m[1].length + lead;
      if (taken.some(([a, b]) => a < m!.index && m!.index < b && a !== m!.index)) continue;
      out.push(mk(s, s + t.length));
    }
  }
  if (out.length > 0 || !bare) return out;
  // Bare names: tokens separated by spaces, commas, `<br>`.
  const re = /[^\s,;<>|()[\]`*]+/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let t = m[0];
    const s = m.index;
    t = t.replace(/[.:]+$/, '');
    if (t === 'br' || t === 'br/') continue;
    if (!looksLikePath(t)) continue;
    if (src[s - 1] === '(') continue;
    out.push(mk(s, s + t.length));
  }
  return out;
}

function readChecklistItem(ctx: Ctx, start: number, checked: boolean): ChecklistItem | undefined {
  const t = ctx.text;
  const line = ctx.li.position(start).line;
  const lineStart = ctx.li.lineStarts[line];
  const lineEnd = ctx.li.lineEnd(line);
  let i = start;
  const c0 = t.charCodeAt(i);
  if (c0 === 45 || c0 === 42 || c0 === 43) i++;
  else {
    const s0 = i;
    while (i < lineEnd && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    if (i === s0 || (t.charCodeAt(i) !== 46 && t.charCodeAt(i) !== 41)) return undefined;
    i++;
  }
  while (i < lineEnd && (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9)) i++;
  if (t.charCodeAt(i) !== 91 || t.charCodeAt(i + 2) !== 93) return undefined;
  const ch = t[i + 1];
  if (ch !== ' ' && ch !== 'x' && ch !== 'X' && ch !== '\t') return undefined;
  let s = i + 3;
  while (s < lineEnd && (t.charCodeAt(s) === 32 || t.charCodeAt(s) === 9)) s++;
  let e = lineEnd;
  while (e > s && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
  const item: ChecklistItem = {
    checked,
    checkRange: lineRange(line, lineStart, i + 1, i + 2),
    text: t.slice(s, e),
    range: lineRange(line, lineStart, lineStart, lineEnd),
  };
  const paths = pathsIn(ctx, s, e, 'checklist', undefined, false);
  if (paths.length > 0) item.artifact = paths[0];
  else {
    // `- [ ] path/to/file.md` without backticks: the first word, when it is a path.
    const m = /^[^\s]+/.exec(item.text);
    if (m) {
      const w = m[0].replace(/[.:,;]+$/, '');
      if (!w.includes('`') && looksLikePath(w)) item.artifact = { path: w, file: 'md', range: lineRange(line, lineStart, s, s + w.length), source: 'checklist' };
    }
  }
  return item;
}

// ------------------------------------------------------------------ header fields

/** Reads `**Key:** Value` pairs (one per line, or several on one `|`-separated line) in [start, end). */
function readKeyValues(ctx: Ctx, start: number, end: number): HeaderField[] {
  const out: HeaderField[] = [];
  const li = ctx.li;
  const first = li.position(start).line;
  const last = li.position(end).line;
  const re = /(?:\*\*|__)([^*_\n]{1,80}?)(?::(?:\*\*|__)|(?:\*\*|__)\s*:)[ \t]*/g;
  for (let l = first; l <= last && l < li.lineCount; l++) {
    const ls = li.lineStarts[l];
    const le = li.lineEnd(l);
    const line = ctx.text.slice(ls, le);
    re.lastIndex = 0;
    const ms: RegExpExecArray[] = [];
    for (let m = re.exec(line); m; m = re.exec(line)) ms.push(m);
    for (let k = 0; k < ms.length; k++) {
      const m = ms[k];
      // Key/value pairs must start the line (after `>`) or follow a `|` separator.
      const before = line.slice(0, m.index);
      if (!/^[\s>]*$/.test(before) && !/\|\s*$/.test(before)) continue;
      let vs = m.index + m[0].length;
      let ve = k + 1 < ms.length ? ms[k + 1].index : line.length;
      let seg = line.slice(vs, ve);
      // Drop the `|` separator before the next pair, and a trailing hard break.
      seg = seg.replace(/\s*\|\s*$/, '').replace(/\s+$/, '');
      ve = vs + seg.length;
      while (vs < ve && /\s/.test(line[vs])) vs++;
      if (line[vs] === '`' && line[ve - 1] === '`' && ve - vs >= 2) {
        vs++;
        ve--;
      }
      out.push({ key: m[1].trim(), value: line.slice(vs, ve), range: lineRange(l, ls, ls + vs, ls + ve) });
    }
  }
  return out;
}

/** A status inside a header/`**Status:**` value: the status word(s) only, so an edit keeps the reason. */
function statusOfValue(ctx: Ctx, f: HeaderField): StatusValue | undefined {
  const p = splitStatus(f.value);
  if (p.status === 'UNKNOWN') return undefined;
  const s = f.range.start.offset + p.start;
  const e = f.range.start.offset + p.end;
  return { status: p.status, raw: ctx.text.slice(s, e), range: rng(ctx, s, e) };
}


// ------------------------------------------------------------------ layouts beyond the template

/** A unit id opening a heading or filling an id cell: `TASK-014`, `EN-410`, `QG-2`, `GATE-3`, `G-FINAL`. */
const UNIT_ID = /^([A-Z][A-Z0-9]{0,11}(?:-[A-Z0-9]+)*-(?:\d+[A-Za-z0-9.]*|FINAL|[A-Z]))(?=$|[\s:—–(|,]|\.\s|\.$)/;

/** Ids of things that are never units (bugs, risks, remediation items, decisions, …). */
const LOOKALIKE_ID = /^(?:BUG|DEF|DEFECT|ISSUE|RISK|FIX|REM|DEC|ADR|LL|LESSON|CP|CHK|CHECK|REQ|AC|INC)-/i;

/**
 * Sections whose tables and headings are not units even when they carry ids and ✅ marks: protocols,
 * checklists, criteria, remediation and bug lists, lists of items to create, logs, risks, lessons.
 */
const LOOKALIKE_SECTION =
  /\b(protocols?|check ?lists?|checks|criteria|remediations?|bugs?|defects?|known issues|issues found|findings|to create|to be created|to file|backlog|risks?|decisions?|lessons?|retrospectives?|glossary|references|changelog|history|session log|execution log|activity log|log|timeline|journal|commits?|legend)\b/i;

/** Header words of a look-alike table's key column. */
const LOOKALIKE_KEY = /^(?:conditions?|checks?|check item|criterion|criteria|acceptance criteria|steps?|bugs?|bug id|defects?|findings?|remediations?|fix(?:es)?|risks?|tests?|test case|requirements?|items? to create|to create|decisions?|lessons?|questions?)$/;

/** Header texts of status-like columns other than `Status`. */
const STATUS_LIKE = /^(?:status|state|result|results|verdict|outcome|decision|gate result|gate status|current state)$/;

/** Header texts of id-like columns the header meanings do not cover. */
const ID_LIKE = /^(?:#|no\.?|nr\.?|num|task|gate|gate id|barrier|barrier id|sync point|enabler|story|unit|feature|ticket|work item|wi)$/i;

/** A totals row (`| **TOTAL** | … |`). */
const TOTALS = /^(?:total|totals|sum|overall|grand total|all|summary)$/;

function plainHeader(s: string): string {
  return s.replace(/[*_`]/g, '').trim();
}

/** The unit id a heading opens with, and its title (`TASK-014: Schema Migration`). */
function headingUnit(text: string): { id: string; title: string; start: number; end: number } | undefined {
  const i0 = afterNumbering(text);
  const lead = leadingEmoji(text.slice(i0));
  const i = i0 + lead.length;
  const m = UNIT_ID.exec(text.slice(i));
  if (!m) return undefined;
  const id = m[1].replace(/\.$/, '');
  const rest = text.slice(i + id.length);
  const title = rest.replace(/^[\s:—–|-]+/, '').replace(/\s+$/, '');
  return { id, title, start: i, end: i + id.length };
}

/** What a unit with this id (and these surrounding words) is. */
function unitKindFor(id: string | undefined, context: string): 'agent' | 'phase' | 'barrier' | 'gate' {
  if (id && /^(?:QG|GATE|G|QGATE|QA)-?(?:\d+[A-Za-z]?|FINAL)$/i.test(id)) return 'gate';
  if (id && /^(?:B|BAR|BARRIER|SB|SYNC)-?\d+$/i.test(id)) return 'barrier';
  if (id && /^(?:PH|PHASE)-?\d+$/i.test(id)) return 'phase';
  if (/\b(?:quality\s+)?gates?\b/i.test(context)) return 'gate';
  if (/\b(?:barriers?|sync points?)\b/i.test(context)) return 'barrier';
  return 'agent';
}

/**
 * True for a cell that is a status as written (`✅ ACCEPTED (0.93)`, `PASS`, `Not yet started`, `✅`),
 * not prose that happens to open with a status word (`New feature`, `Done by hand`).
 * Percentages count only in status-like columns.
 */
function isStatusCell(text: string, statusColumn: boolean): boolean {
  const p = splitStatus(text);
  if (p.status === 'UNKNOWN') return false;
  if (!statusColumn && !p.emoji && /^\d/.test(p.word ?? text.slice(p.start))) return false;
  if (text.slice(0, p.start).replace(/[*_`~\s]/g, '') !== '') return false;
  const tail = text.slice(p.end).replace(/^[*_`~]+/, '');
  return /^\s*($|[([{,;:—–-]|\d)/.test(tail) || (statusColumn && tail.trim().length < 40);
}

/** A status core (`✅ ACCEPTED` of `✅ ACCEPTED (0.93)`) of a cell, with its exact range. */
function coreStatus(ctx: Ctx, c: Cell): StatusValue | undefined {
  const p = splitStatus(c.text);
  if (p.status === 'UNKNOWN') return undefined;
  const s = c.range.start.offset + p.start;
  const e = c.range.start.offset + p.end;
  return { status: p.status, raw: ctx.text.slice(s, e), range: rng(ctx, s, e) };
}

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

/** The status a heading carries (`PHASE 1 - COMPLETE`, `✅ Track A`, `Build (DONE)`), if any. */
function headingStatus(text: string): boolean {
  const i0 = afterNumbering(text);
  const lead = leadingEmoji(text.slice(i0));
  if (lead.status) return true;
  return headingParts(text.slice(i0 + lead.length)).status !== undefined;
}

interface Section {
  /** Never units, never counted (logs, protocols, bug lists, the dashboard, next actions). */
  excluded: boolean;
  /** Heading words around the table, lower case. */
  context: string;
}

// ------------------------------------------------------------------ the pass over events

/** Sections whose sub-headings talk about phases without being them. */
const ASIDE = /\b(queue|lessons?|retrospectives?|resumption|checkpoints?|blockers?|metrics|appendix|history|changelog|session log|execution notes|risks?)\b/i;

interface Open {
  depth: number;
  kind: 'phase' | 'barrier' | 'next' | 'dashboard' | 'other';
  heading: Heading;
  phase?: Phase;
  barrier?: Barrier;
  statusTaken?: boolean;
  subheadings: number;
}

function cellStatus(cell: Cell | undefined, fallback: Range): StatusValue {
  if (!cell) return { status: 'UNKNOWN', raw: '', range: { start: fallback.end, end: fallback.end } };
  return { status: toStatus(cell.text), raw: cell.text, range: cell.range };
}

function cleanId(s: string): string {
  let t = s.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*`~]/g, '').trim();
  t = t.replace(/^_+|_+$/g, '').trim();
  // `agent-a-001 (ps-researcher)`: the id is before the role in brackets.
  const m = /^(\S+)\s+\(.*\)$/.exec(t);
  if (m) t = m[1];
  return t;
}

function groupAlias(title: string): string | undefined {
  const t = title.replace(NUMBERING, '');
  let m = /\bpipeline\s+[A-Za-z0-9]+\s*\(\s*([A-Za-z][\w-]*)/i.exec(t);
  if (m) return m[1].toLowerCase();
  m = /^([A-Za-z][\w&]*)\s+pipeline\b/i.exec(t);
  if (m && !/^(the|a|an)$/i.test(m[1])) return m[1].toLowerCase();
  m = /\bpipeline\s+([A-Za-z0-9]+)\b/i.exec(t);
  if (m && !/^phase$/i.test(m[1])) return m[1].toLowerCase();
  m = /^([a-z][a-z0-9]*)-\*/i.exec(t);
  if (m) return m[1].toLowerCase();
  m = /^(?:track|stream|wave|spike|lane|workstream)\s+([A-Za-z0-9]+)\b/i.exec(t);
  if (m) return m[1].toLowerCase();
  return undefined;
}

function phaseNumberIn(s: string): number | undefined {
  const m = /\bphase[\s_-]*(\d+)\b/i.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** Reads a worktracker markdown file into the typed model (everything but `yaml`). Never throws. */
export function parseMarkdown(text: string, file: string, cache?: MarkdownCache): Omit<Tracker, 'yaml'> {
  const src = typeof text === 'string' ? text : '';
  let li: LineIndex;
  try {
    li = new LineIndex(src);
  } catch {
    li = new LineIndex('');
  }
  const ctx: Ctx = { text: src, li, file, findings: [], events: [] };
  const tracker: Omit<Tracker, 'yaml'> = {
    file,
    text: src,
    eol: detectEol(src),
    bom: hasBom(src),
    header: [],
    phases: [],
    barriers: [],
    agents: [],
    gates: [],
    coverage: { units: 0, unread: [] },
    artifacts: [],
    checklist: [],
    queue: [],
    blockers: [],
    checkpoints: [],
    nextActions: [],
    headings: [],
    tables: [],
    dialect: { spelling: {}, emoji: {}, dateStyle: 'unknown' },
    findings: ctx.findings,
  };
  try {
    collectEvents(ctx, cache);
    build(ctx, tracker);
  } catch (e) {
    internalFinding(ctx, e, 0, 0);
  }
  return tracker;
}

function collectEvents(ctx: Ctx, cache?: MarkdownCache): void {
  const text = ctx.text;
  const starts = sectionStarts(text, ctx.li);
  const used = cache ? new Map<string, Root>() : undefined;
  for (let k = 0; k < starts.length; k++) {
    let s = starts[k];
    const e = k + 1 < starts.length ? starts[k + 1] : text.length;
    // remark drops a leading BOM from its offsets: parse after it and shift by one instead.
    if (s === 0 && text.charCodeAt(0) === 0xfeff) s = 1;
    const piece = text.slice(s, e);
    let root = cache?.sections.get(piece) ?? used?.get(piece);
    if (!root) {
      try {
        root = processor.parse(piece) as Root;
      } catch (err) {
        internalFinding(ctx, err, s, e);
        continue;
      }
    }
    used?.set(piece, root);
    try {
      walk(root, s, ctx);
    } catch (err) {
      internalFinding(ctx, err, s, e);
    }
  }
  // Keep only this version's sections, so the cache stays as big as one document.
  if (cache && used) cache.sections = used;
}

function build(ctx: Ctx, tracker: Omit<Tracker, 'yaml'>): void {
  const text = ctx.text;
  const stack: Open[] = [];
  let lastHeading: Heading | undefined;
  let seenSectionHeading = false;
  let dashboardOpen: Open | undefined;
  const groups = new Map<number, PipelineGroup>();
  const headingEvents: Heading[] = [];
  const legend: { symbol: string; meaning: string }[] = [];
  const dateCells: string[] = [];
  const statusSamples: string[] = [];
  const metricsTables: Table[] = [];
  const agentIds = new Map<string, Agent[]>();
  /** 0-based lines read as units (agent rows, Status rows, status headings, direction and gate rows). */
  const readLines = new Set<number>();
  /** Rows recognised as look-alikes (checkpoint, bug, risk ids): never counted as unread. */
  const lookalikeLines = new Set<number>();
  /** Tables (and headings) in sections that are never units: logs, protocols, bug lists, … */
  const tableSection = new Map<Table, Section>();
  const excludedHeadings = new Set<Heading>();
  const unitHeadings = new Set<Heading>();
  const agentPhase = new Map<Agent, Phase | undefined>();

  const checkDuplicate = (agent: Agent, phase: Phase | undefined): void => {
    const id = agent.id;
    const prevs = agentIds.get(id) ?? [];
    const sameTable = prevs.find((p) => p.table === agent.table && p.row !== agent.row);
    const key = (ph: Phase | undefined) => (ph ? `${ph.kind ?? 'phase'}:${ph.number}` : undefined);
    const samePhase = phase && agent.shape !== 'artifact-row' ? prevs.find((p) => key(agentPhase.get(p)) === key(phase)) : undefined;
    const prev = sameTable ?? samePhase;
    if (prev) {
      ctx.findings.push({
        code: 'id-duplicate',
        severity: 'warning',
        message: sameTable
          ? `Agent ${id} appears twice in the same table.`
          : `Agent ${id} appears twice in ${phase!.label ?? `Phase ${phase!.number}`}.`,
        file: ctx.file,
        range: agent.idCell.range,
        related: [{ file: ctx.file, range: prev.idCell.range, message: `first row of ${id}` }],
      });
    }
    prevs.push(agent);
    agentIds.set(id, prevs);
    agentPhase.set(agent, phase);
  };

  const innermost = (): Open | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const k = stack[i].kind;
      if (k === 'phase' || k === 'barrier' || k === 'next') return stack[i];
    }
    return undefined;
  };
  const openPhase = (): Open | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].kind === 'phase') return stack[i];
    return undefined;
  };
  const openBarrier = (): Open | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].kind === 'barrier') return stack[i];
    return undefined;
  };

  const addArtifacts = (refs: ArtifactRef[]) => {
    for (const r of refs) tracker.artifacts.push(r);
  };

  const takeStatusLine = (start: number, end: number) => {
    // `**Status:** X | ...` directly under a phase/barrier heading gives it its status.
    const top = stack[stack.length - 1];
    if (!top || top.statusTaken || (top.kind !== 'phase' && top.kind !== 'barrier')) return;
    const target = top.phase ?? top.barrier;
    if (!target || target.status) {
      top.statusTaken = true;
      return;
    }
    for (const f of readKeyValues(ctx, start, end)) {
      if (normalizeHeader(f.key) !== 'status') continue;
      const sv = statusOfValue(ctx, f);
      top.statusTaken = true;
      if (sv) {
        target.status = sv;
        statusSamples.push(sv.raw);
      }
      return;
    }
  };

  /** Where the table or heading being read sits. */
  const sectionInfo = (): Section => {
    let excluded = false;
    for (const o of stack) {
      if (o.kind === 'next' || o.kind === 'dashboard') excluded = true;
      else if (o.kind === 'other') {
        const hu = headingUnit(o.heading.text);
        if (hu ? LOOKALIKE_ID.test(hu.id) : LOOKALIKE_SECTION.test(o.heading.text) || ASIDE.test(o.heading.text)) excluded = true;
      }
    }
    return { excluded, context: stack.map((o) => o.heading.text).join(' / ').toLowerCase() };
  };

  /** The pipeline group a table under a phase's sub-heading belongs to (created on first use). */
  const groupFor = (po: Open | undefined): { group?: PipelineGroup; groupTitle?: string } => {
    if (po && lastHeading && lastHeading !== po.heading && lastHeading.depth > po.depth) {
      const key = lastHeading.range.start.offset;
      let group = groups.get(key);
      if (!group) {
        group = { title: lastHeading.text, range: lastHeading.range, agents: [] };
        const alias = groupAlias(lastHeading.text);
        if (alias) group.alias = alias;
        groups.set(key, group);
        po.phase!.groups.push(group);
      }
      return { group, groupTitle: lastHeading.text };
    }
    if (!po && lastHeading && /\b(pipeline|track|stream|spike|wave|lane)\b/i.test(lastHeading.text)) return { groupTitle: lastHeading.text };
    return {};
  };

  /** Adds a unit of another layout as an agent of `tracker.agents`. */
  const addUnit = (agent: Agent, group?: PipelineGroup, groupTitle?: string): void => {
    const po = openPhase();
    const phase = po?.phase;
    agent.kind = 'agent';
    if (phase) agent.phase = phase.number;
    else {
      const n = phaseNumberIn(groupTitle ?? sectionInfo().context);
      if (n !== undefined) agent.phase = n;
    }
    if (groupTitle) agent.pipeline = groupTitle;
    if (agent.status.raw) statusSamples.push(agent.status.raw);
    checkDuplicate(agent, phase);
    tracker.agents.push(agent);
    readLines.add(agent.row.range.start.line);
    addArtifacts(agent.artifacts);
    if (phase) phase.agents.push(agent);
    if (group) group.agents.push(agent);
  };

  /** A Cell for the id part of a heading (`TASK-014` of `### TASK-014: Schema Migration`). */
  const headingIdCell = (h: Heading, start: number, end: number): Cell => {
    const s = h.range.start.offset + start;
    const e = h.range.start.offset + end;
    const r = rng(ctx, s, e);
    return { text: text.slice(s, e), range: r, outer: r };
  };

  const statusValueOf = (c: Cell | undefined, r: TableRow): StatusValue => cellStatus(c, r.range);

  /** A gate, barrier or phase unit found in a row or a key/value section. */
  const addOther = (
    kind: 'phase' | 'barrier' | 'gate',
    id: string,
    title: string,
    statusCell: Cell | undefined,
    row: TableRow,
    heading: Heading | undefined,
    range: Range,
  ): void => {
    const sv = statusCell ? coreStatus(ctx, statusCell) : undefined;
    if (sv) statusSamples.push(sv.raw);
    const line = row.range.start.line;
    readLines.add(line);
    const po = openPhase();
    if (kind === 'gate') {
      const g: Gate = { id, title, range, line };
      if (sv) g.status = sv;
      if (heading) g.heading = heading;
      g.row = row;
      if (po?.phase) g.phase = po.phase.number;
      tracker.gates.push(g);
      return;
    }
    // Phases and barriers of rows are matched to headings once every heading is read (a summary table may come first).
    if (!heading) {
      deferred.push({ kind, id, title, sv, row, range });
      return;
    }
    placeOther(kind, id, title, sv, row, heading, range);
  };

  const deferred: { kind: 'phase' | 'barrier'; id: string; title: string; sv: StatusValue | undefined; row: TableRow; range: Range }[] = [];
  const placeOther = (
    kind: 'phase' | 'barrier',
    id: string,
    title: string,
    sv: StatusValue | undefined,
    row: TableRow,
    heading: Heading | undefined,
    range: Range,
  ): void => {
    const num = Number(/(\d+)/.exec(id)?.[1] ?? NaN);
    const own = sv ? { status: sv.status, source: 'own' as const, raw: sv.raw, line: sv.range.start.line } : undefined;
    if (kind === 'barrier') {
      const bid = /^(?:b|bar|barrier|sb|sync)-?\d+$/i.test(id) && Number.isFinite(num) ? `barrier-${num}` : id.toLowerCase();
      const existing = tracker.barriers.find((b) => b.id === bid);
      if (existing) {
        if (!existing.status && own && !existing.effectiveStatus) existing.effectiveStatus = own;
        return;
      }
      const b: Barrier = {
        number: Number.isFinite(num) ? num : tracker.barriers.length + 1,
        id: bid,
        title,
        heading: heading ?? { depth: 0, text: id, range: row.range },
        directions: [],
        checklist: [],
        range,
      };
      if (sv) b.status = sv;
      if (!heading) b.row = row;
      tracker.barriers.push(b);
      return;
    }
    if (!Number.isFinite(num)) return;
    const existing = tracker.phases.find((p) => p.number === num && p.kind === undefined);
    if (existing) {
      if (!existing.status && own && !existing.effectiveStatus) existing.effectiveStatus = own;
      return;
    }
    const p: Phase = { number: num, title, heading: heading ?? { depth: 0, text: id, range: row.range }, groups: [], agents: [], checklist: [], range };
    if (sv) p.status = sv;
    tracker.phases.push(p);
  };

  /** The unit a heading with an id names, its status in `row`'s `statusCol` (key/value and placeholder forms). */
  const headingUnitOf = (t: Table, row: TableRow, statusCol: number, shape: 'keyvalue' | 'heading', extraRows: TableRow[]): boolean => {
    const h = lastHeading;
    if (!h || h.depth < 2 || unitHeadings.has(h)) return false;
    const sec = sectionInfo();
    if (sec.excluded) return false;
    const statusCell = row.cells[statusCol];
    // A phase or barrier heading with a key/value table: its status is that Status row.
    const po = openPhase();
    const bo = openBarrier();
    if (po && po.heading === h) {
      unitHeadings.add(h);
      readLines.add(row.range.start.line);
      const sv = statusCell && coreStatus(ctx, statusCell);
      if (sv && !po.phase!.status) {
        po.phase!.status = sv;
        statusSamples.push(sv.raw);
      }
      return true;
    }
    if (bo && bo.heading === h) {
      unitHeadings.add(h);
      readLines.add(row.range.start.line);
      const sv = statusCell && coreStatus(ctx, statusCell);
      if (sv && !bo.barrier!.status) {
        bo.barrier!.status = sv;
        statusSamples.push(sv.raw);
      }
      return true;
    }
    const hu = headingUnit(h.text);
    if (!hu || LOOKALIKE_ID.test(hu.id)) return false;
    unitHeadings.add(h);
    const kind = unitKindFor(hu.id, sec.context);
    const range = rng(ctx, ctx.li.lineStarts[h.range.start.line], t.range.end.offset);
    if (kind !== 'agent') {
      addOther(kind, hu.id, hu.title, statusCell, row, h, range);
      return true;
    }
    const agent: Agent = {
      id: hu.id,
      idCell: headingIdCell(h, hu.start, hu.end),
      status: statusValueOf(statusCell, row),
      artifacts: [],
      extra: {},
      row,
      table: t,
      shape,
      statusColumn: statusCol,
      heading: h,
    };
    if (hu.title) agent.title = hu.title;
    // Key/value rows naming the agent and the artifact.
    for (const r of extraRows) {
      const k = normalizeHeader(r.cells[0]?.text ?? '');
      const v = r.cells[1];
      if (!v || r === row) continue;
      if (k === 'agent' || k === 'agents' || k === 'agent id' || k === 'owner' || k === 'assignee') agent.extra[plainHeader(r.cells[0].text)] = v;
      else if (!agent.artifactCell && MEANINGS[k] === 'artifact') {
        agent.artifactCell = v;
        if (!isPlaceholder(v.text)) agent.artifacts = pathsIn(ctx, v.range.start.offset, v.range.end.offset, 'agent-cell', hu.id);
      }
    }
    addUnit(agent);
    return true;
  };

  /** `#### EN-410: …` over a table whose rows are placeholders: the unit is the heading, its status the last status row. */
  const headingOverRows = (t: Table, statusCol: number | undefined): boolean => {
    if (statusCol === undefined) return false;
    if (!lastHeading || !headingUnit(lastHeading.text)) return false;
    let row: TableRow | undefined;
    let n = 0;
    for (const r of t.rows) {
      const c = r.cells[statusCol];
      if (c && !isPlaceholder(c.text) && toStatus(c.text) !== 'UNKNOWN') {
        row = r;
        n++;
      }
    }
    if (!row) return false;
    // Several rows: only iterations of the one unit (`| Iteration | … | Verdict |`), the last one wins.
    if (n > 1 && !/^(?:iteration|iter|round|cycle|attempt|pass|run)s?$/.test(normalizeHeader(t.header.cells[0]?.text ?? ''))) return false;
    return headingUnitOf(t, row, statusCol, 'heading', []);
  };

  /** Key/value tables (`Field | Value`, `Metric | Value`, `| Status | … |`) under a unit's heading. */
  const keyValueUnit = (t: Table): boolean => {
    const c = t.columns;
    if (t.header.cells.length > 3) return false;
    const keyCol = c.field ?? c.metric ?? 0;
    const valCol = c.value ?? (keyCol === 0 ? 1 : 0);
    const headerIsKey = c.field === undefined && c.metric === undefined;
    const rows = headerIsKey ? [t.header, ...t.rows] : t.rows;
    const statusRow = rows.find((r) => STATUS_LIKE.test(normalizeHeader(r.cells[keyCol]?.text ?? '')));
    if (!statusRow || !statusRow.cells[valCol]) {
      // A gate section with no Status row: the gate is there, its status comes from elsewhere (the dashboard).
      const h = lastHeading;
      const hu = h && h.depth >= 2 && !unitHeadings.has(h) ? headingUnit(h.text) : undefined;
      if (!h || !hu || unitKindFor(hu.id, '') !== 'gate' || sectionInfo().excluded || openBarrier()?.heading === h) return false;
      unitHeadings.add(h);
      const g: Gate = { id: hu.id, title: hu.title, heading: h, range: rng(ctx, ctx.li.lineStarts[h.range.start.line], t.range.end.offset), line: h.range.start.line };
      const po = openPhase();
      if (po?.phase) g.phase = po.phase.number;
      tracker.gates.push(g);
      return true;
    }
    return headingUnitOf(t, statusRow, valCol, 'keyvalue', rows);
  };

  /** Rows of a table that is not an agent table but carries a status column: gates, barriers, artifacts, tasks. */
  const rowUnits = (t: Table): void => {
    const sec = sectionInfo();
    if (sec.excluded) return;
    const c = t.columns;
    const hdr = t.header.cells.map((x) => plainHeader(x.text));
    const norm = hdr.map(normalizeHeader);
    let statusCol = c.status ?? c.state;
    if (statusCol === undefined) {
      const k = norm.findIndex((h) => STATUS_LIKE.test(h));
      if (k >= 0) statusCol = k;
    }
    if (statusCol === undefined) return;
    let idCol = c.agent ?? c.id;
    if (idCol === undefined) {
      const k = hdr.findIndex((h, i) => i !== statusCol && ID_LIKE.test(h));
      if (k >= 0) idCol = k;
    }
    let phaseRows = false;
    if (idCol === undefined && c.phase !== undefined && c.phase === 0) {
      idCol = c.phase;
      phaseRows = true;
    }
    const keyHeader = norm[idCol ?? 0] ?? '';
    if (LOOKALIKE_KEY.test(keyHeader) || (idCol === undefined && LOOKALIKE_KEY.test(norm[0] ?? ''))) return;
    if (idCol === undefined) {
      headingOverRows(t, statusCol);
      return;
    }
    const rowsWithId = t.rows.filter((r) => {
      const x = r.cells[idCol as number];
      return x && !isPlaceholder(x.text) && !TOTALS.test(normalizeHeader(x.text));
    });
    if (rowsWithId.length === 0) {
      headingOverRows(t, statusCol);
      return;
    }
    const context = `${keyHeader} ${norm.join(' ')} / ${sec.context}`;
    const artifactRow = /^(?:#|no\.?|nr\.?|num)$/i.test(hdr[idCol]) && c.artifact !== undefined;
    const { group, groupTitle } = groupFor(openPhase());
    for (const r of rowsWithId) {
      const idCell = r.cells[idCol];
      const id = cleanId(idCell.text);
      if (LOOKALIKE_ID.test(id)) {
        lookalikeLines.add(r.range.start.line);
        continue;
      }
      const statusCell = r.cells[statusCol];
      const titleCell = c.artifact !== undefined ? r.cells[c.artifact] : c.description !== undefined ? r.cells[c.description] : undefined;
      const title = titleCell ? plainHeader(titleCell.text) : '';
      const kind = phaseRows ? 'phase' : unitKindFor(UNIT_ID.test(id) ? id : undefined, context);
      if (kind !== 'agent') {
        addOther(kind, phaseRows ? `PHASE-${/\d+/.exec(id)?.[0] ?? id}` : id, title, statusCell, r, undefined, r.range);
        continue;
      }
      const agent: Agent = {
        id,
        idCell,
        status: statusValueOf(statusCell, r),
        artifacts: [],
        extra: {},
        row: r,
        table: t,
        shape: artifactRow ? 'artifact-row' : 'table',
        statusColumn: statusCol,
      };
      if (title) agent.title = title;
      const used = new Set<number>([idCol, statusCol]);
      for (const [m, i] of Object.entries(c)) {
        if (i === undefined || !r.cells[i]) continue;
        if (m === 'started') agent.started = r.cells[i];
        else if (m === 'completed') agent.completed = r.cells[i];
        else if (m === 'notes') agent.notes = r.cells[i];
        else if (m === 'role') agent.role = r.cells[i];
        else continue;
        used.add(i);
      }
      const pathCells = [c.path, c.artifact, ...Object.entries(t.extraColumns).filter(([h]) => /\b(path|output|file)\b/i.test(h)).map(([, i]) => i)].filter(
        (i): i is number => i !== undefined,
      );
      for (const i of pathCells) {
        const pc = r.cells[i];
        if (!pc) continue;
        if (i === c.artifact) agent.artifactCell = pc;
        used.add(i);
        if (agent.artifacts.length === 0 && !isPlaceholder(pc.text)) agent.artifacts = pathsIn(ctx, pc.range.start.offset, pc.range.end.offset, 'agent-cell', id);
      }
      if (agent.started) dateCells.push(agent.started.text);
      if (agent.completed) dateCells.push(agent.completed.text);
      t.header.cells.forEach((hc, i) => {
        if (used.has(i) || !r.cells[i]) return;
        agent.extra[plainHeader(hc.text) || `#${i}`] = r.cells[i];
      });
      addUnit(agent, group, groupTitle);
    }
  };

  /** Tables of other layouts; true when the table was consumed (no further handling by its kind). */
  const layoutTable = (t: Table): boolean => {
    if (t.kind === 'metadata' || t.kind === 'metrics') return keyValueUnit(t);
    if (t.kind === 'other') rowUnits(t);
    return false;
  };

  for (const ev of ctx.events) {
    switch (ev.k) {
      case 'heading': {
        const h = ev.h;
        tracker.headings.push(h);
        headingEvents.push(h);
        if (h.depth === 1 && !tracker.title) tracker.title = h;
        else seenSectionHeading = true;
        while (stack.length && stack[stack.length - 1].depth >= h.depth) stack.pop();
        if (dashboardOpen && !stack.includes(dashboardOpen)) dashboardOpen = undefined;
        for (const o of stack) o.subheadings++;
        if (sectionInfo().excluded || LOOKALIKE_SECTION.test(h.text) || /dashboard/i.test(h.text)) excludedHeadings.add(h);
        lastHeading = h;
        const contentStart = h.range.start.offset;
        const outerPhase = openPhase();
        // `### Phase 1 Retrospective` under Lessons/Queue/Checkpoints is about a phase, not the phase.
        const aside = stack.some((o) => o.kind === 'next' || (o.kind === 'other' && ASIDE.test(o.heading.text)));
        let ph = aside ? undefined : parsePhaseHeading(h.text);
        if (ph) {
          const n = ph.number;
          const kind = ph.kind;
          const first = tracker.phases.find((p) => p.number === n && p.kind === kind);
          // The same phase again at another depth is a mention, not a second phase.
          if (first && first.heading.depth !== h.depth) ph = undefined;
        }
        const bh = ph || aside ? undefined : parseBarrierHeading(h.text);
        if (ph && !outerPhase) {
          const phase: Phase = {
            number: ph.number,
            title: ph.title,
            heading: h,
            groups: [],
            agents: [],
            checklist: [],
            range: h.range,
          };
          if (ph.kind) {
            phase.kind = ph.kind;
            phase.label = ph.label;
          }
          if (ph.status) {
            const s = contentStart + ph.status.start;
            const e = contentStart + ph.status.end;
            const raw = text.slice(s, e);
            phase.status = { status: toStatus(raw), raw, range: rng(ctx, s, e) };
            statusSamples.push(raw);
          }
          tracker.phases.push(phase);
          stack.push({ depth: h.depth, kind: 'phase', heading: h, phase, subheadings: 0 });
        } else if (bh) {
          const barrier: Barrier = {
            number: bh.number,
            id: bh.id,
            title: bh.title,
            heading: h,
            directions: [],
            checklist: [],
            range: h.range,
          };
          if (bh.status) {
            const s = contentStart + bh.status.start;
            const e = contentStart + bh.status.end;
            const raw = text.slice(s, e);
            barrier.status = { status: toStatus(raw), raw, range: rng(ctx, s, e) };
            statusSamples.push(raw);
          }
          tracker.barriers.push(barrier);
          stack.push({ depth: h.depth, kind: 'barrier', heading: h, barrier, subheadings: 0 });
        } else if (/\bnext\s+actions?\b/i.test(h.text)) {
          stack.push({ depth: h.depth, kind: 'next', heading: h, subheadings: 0 });
        } else if (/dashboard/i.test(h.text) && !tracker.dashboard && !dashboardOpen) {
          dashboardOpen = { depth: h.depth, kind: 'dashboard', heading: h, subheadings: 0 };
          stack.push(dashboardOpen);
        } else {
          stack.push({ depth: h.depth, kind: 'other', heading: h, subheadings: 0 });
        }
        break;
      }
      case 'quote': {
        if (!seenSectionHeading) {
          for (const f of readKeyValues(ctx, ev.start, ev.end)) tracker.header.push(f);
        }
        break;
      }
      case 'para': {
        if (dashboardOpen && !tracker.dashboard && BOX_START.test(text.slice(ev.start, ev.start + 8))) {
          tracker.dashboard = {
            heading: dashboardOpen.heading,
            contentRange: rng(ctx, ev.start, ev.end),
            range: rng(ctx, ev.start, ev.end),
            text: text.slice(ev.start, ev.end),
            fenced: false,
          };
          dashboardOpen = undefined;
          break;
        }
        // Header fields written as a plain paragraph (`**Status:** X | **Version:** 2`) before the first section.
        if (!seenSectionHeading && tracker.header.length === 0) {
          for (const f of readKeyValues(ctx, ev.start, ev.end)) tracker.header.push(f);
          break;
        }
        takeStatusLine(ev.start, ev.end);
        break;
      }
      case 'code': {
        if (dashboardOpen && !tracker.dashboard) {
          tracker.dashboard = readDashboard(ctx, ev.start, ev.end, ev.fenced, dashboardOpen.heading);
          dashboardOpen = undefined;
        }
        break;
      }
      case 'check': {
        const item = ev.item;
        tracker.checklist.push(item);
        if (item.artifact) tracker.artifacts.push(item.artifact);
        const o = innermost();
        if (o?.kind === 'phase') o.phase!.checklist.push(item);
        else if (o?.kind === 'barrier') o.barrier!.checklist.push(item);
        else if (o?.kind === 'next') tracker.nextActions.push(item);
        break;
      }
      case 'link': {
        // A link in a checklist item is already that item's artifact.
        const last = tracker.checklist[tracker.checklist.length - 1]?.artifact;
        if (!last || last.range.start.offset !== ev.ref.range.start.offset) tracker.artifacts.push(ev.ref);
        break;
      }
      case 'table': {
        const t = ev.t;
        if (lastHeading) t.heading = lastHeading.text;
        t.kind = classify(t.columns, t.header, t.heading, openPhase() !== undefined);
        tracker.tables.push(t);
        // A table right under a phase/barrier heading means a `**Status:**` line after it is not the heading's.
        const top = stack[stack.length - 1];
        if (top) top.statusTaken = true;
        handleTable(t);
        break;
      }
    }
  }

  function handleTable(t: Table): void {
    tableSection.set(t, sectionInfo());
    if (layoutTable(t)) return;
    const c = t.columns;
    const cell = (r: TableRow, m: string): Cell | undefined => {
      const i = c[m];
      return i === undefined ? undefined : r.cells[i];
    };
    switch (t.kind) {
      case 'agents': {
        const po = openPhase();
        const phase = po?.phase;
        const idCol = c.agent ?? c.id;
        const isUnitId = (x: string) => !isPlaceholder(x) && !TOTALS.test(normalizeHeader(x));
        // A table of placeholder rows under a unit's heading makes no pipeline group.
        const { group, groupTitle } = t.rows.some((r) => idCol !== undefined && r.cells[idCol] && isUnitId(cleanId(r.cells[idCol].text))) ? groupFor(po) : groupFor(undefined);
        let produced = 0;
        const used = new Set<number>([idCol as number]);
        for (const m of ['status', 'started', 'completed', 'artifact', 'notes', 'role']) if (c[m] !== undefined) used.add(c[m] as number);
        for (const r of t.rows) {
          const idCell = idCol === undefined ? undefined : r.cells[idCol];
          if (!idCell) continue;
          const id = cleanId(idCell.text);
          if (!isUnitId(id)) continue;
          const agent: Agent = {
            id,
            idCell,
            status: cellStatus(cell(r, 'status'), r.range),
            artifacts: [],
            extra: {},
            row: r,
            table: t,
          };
          const started = cell(r, 'started');
          const completed = cell(r, 'completed');
          const art = cell(r, 'artifact');
          const notes = cell(r, 'notes');
          const role = cell(r, 'role');
          if (started) {
            agent.started = started;
            dateCells.push(started.text);
          }
          if (completed) {
            agent.completed = completed;
            dateCells.push(completed.text);
          }
          if (art) {
            agent.artifactCell = art;
            if (!isPlaceholder(art.text)) agent.artifacts = pathsIn(ctx, art.range.start.offset, art.range.end.offset, 'agent-cell', id);
          }
          if (notes) agent.notes = notes;
          if (role) agent.role = role;
          t.header.cells.forEach((hc, i) => {
            if (used.has(i) || !r.cells[i]) return;
            agent.extra[hc.text.replace(/[*_`]/g, '').trim() || `#${i}`] = r.cells[i];
          });
          if (phase) agent.phase = phase.number;
          else if (groupTitle) {
            const n = phaseNumberIn(groupTitle);
            if (n !== undefined) agent.phase = n;
          }
          if (groupTitle) agent.pipeline = groupTitle;
          if (agent.status.raw) statusSamples.push(agent.status.raw);
          if (agent.status.status === 'UNKNOWN' && agent.status.raw && !isPlaceholder(agent.status.raw)) {
            ctx.findings.push({
              code: 'status-unknown',
              severity: 'warning',
              message: `Status "${agent.status.raw}" of agent ${id} is not a known status.`,
              file: ctx.file,
              range: agent.status.range,
              data: { raw: agent.status.raw },
            });
          }
          checkDuplicate(agent, phase);
          tracker.agents.push(agent);
          readLines.add(r.range.start.line);
          produced++;
          addArtifacts(agent.artifacts);
          if (phase) phase.agents.push(agent);
          if (group) group.agents.push(agent);
        }
        // A heading over rows that are placeholders (`#### EN-410: …` then `| 1 | — | … | PENDING |`).
        if (produced === 0) headingOverRows(t, c.status);
        break;
      }
      case 'barrier': {
        const bo = openBarrier();
        for (const r of t.rows) {
          const dcell = cell(r, 'direction');
          if (!dcell || isPlaceholder(dcell.text)) continue;
          const direction = dcell.text;
          const d: BarrierDirection = { direction, row: r, artifacts: [] };
          // `a→b`, `ps -> nse`, `all-to-vv`, `impl_to_vv`: the `to` may be joined by `-`/`_`.
          const parts = direction.split(/\s*(?:→|⟶|➡️?|-+>|=>|↔)\s*|(?:\s+|[_-])to(?:\s+|[_-])/i);
          if (parts.length === 2 && parts[0] && parts[1]) {
            d.from = parts[0].trim();
            d.to = parts[1].trim();
          }
          const art = cell(r, 'artifact');
          if (art) d.artifact = art;
          const st = cell(r, 'status');
          if (st) {
            d.status = cellStatus(st, r.range);
            if (st.text) statusSamples.push(st.text);
            if (d.status.status === 'UNKNOWN' && !isPlaceholder(st.text)) {
              ctx.findings.push({
                code: 'status-unknown',
                severity: 'warning',
                message: `Status "${st.text}" of barrier direction ${direction} is not a known status.`,
                file: ctx.file,
                range: st.range,
                data: { raw: st.text },
              });
            }
          }
          for (const pc of [cell(r, 'path'), art]) {
            if (!pc || isPlaceholder(pc.text)) continue;
            const refs = pathsIn(ctx, pc.range.start.offset, pc.range.end.offset, 'barrier-cell');
            if (refs.length) {
              d.artifacts.push(...refs);
              break;
            }
          }
          addArtifacts(d.artifacts);
          if (bo) {
            bo.barrier!.directions.push(d);
            readLines.add(r.range.start.line);
          }
        }
        break;
      }
      case 'queue':
      case 'blockers':
      case 'checkpoints': {
        const list = t.kind === 'queue' ? tracker.queue : t.kind === 'blockers' ? tracker.blockers : tracker.checkpoints;
        for (const r of t.rows) {
          const row = toRow(t, r);
          if (t.kind !== 'queue') {
            const idc = cell(r, 'id');
            if (idc && isPlaceholder(idc.text)) continue;
          }
          list.push(row);
        }
        break;
      }
      case 'metrics':
        metricsTables.push(t);
        break;
      case 'legend': {
        const sc = c.emoji as number;
        const mc = (c.meaning ?? c.status ?? c.description) as number;
        for (const r of t.rows) {
          const s = r.cells[sc];
          const m = r.cells[mc];
          if (s && m) legend.push({ symbol: s.text, meaning: m.text });
        }
        break;
      }
      case 'metadata': {
        const twoCol = c.field === undefined;
        const keyCol = twoCol ? 0 : (c.field as number);
        const valCol = twoCol ? 1 : (c.value as number);
        const rows = twoCol ? [t.header, ...t.rows] : t.rows;
        for (const r of rows) {
          const k = r.cells[keyCol];
          const v = r.cells[valCol];
          if (!k || !v) continue;
          let vs = v.range.start.offset;
          let ve = v.range.end.offset;
          if (text[vs] === '`' && text[ve - 1] === '`' && ve - vs >= 2) {
            vs++;
            ve--;
          }
          tracker.header.push({ key: k.text.replace(/[*_`]/g, '').trim(), value: text.slice(vs, ve), range: rng(ctx, vs, ve) });
        }
        break;
      }
      default:
        break;
    }
  }

  if (deferred.length) {
    for (const d of deferred) placeOther(d.kind, d.id, d.title, d.sv, d.row, undefined, d.range);
    tracker.phases.sort((a, b) => a.heading.range.start.offset - b.heading.range.start.offset);
    tracker.barriers.sort((a, b) => a.heading.range.start.offset - b.heading.range.start.offset);
  }

  // Section ranges: heading to the end of the line before the next same-or-higher heading.
  const headingIndex = new Map<Heading, number>();
  headingEvents.forEach((h, i) => headingIndex.set(h, i));
  const byOffset = new Map<number, Heading>();
  for (const h of headingEvents) byOffset.set(h.range.start.offset, h);
  const sectionEnd = (h: Heading): number => {
    const idx = headingIndex.get(h) ?? -1;
    for (let i = idx + 1; i < headingEvents.length; i++) {
      const n = headingEvents[i];
      if (n.depth <= h.depth) {
        const line = n.range.start.line;
        return line > h.range.start.line ? ctx.li.lineEnd(line - 1) : h.range.end.offset;
      }
    }
    return text.length;
  };
  const headingLineStart = (h: Heading) => ctx.li.lineStarts[h.range.start.line];
  for (const p of tracker.phases) {
    p.range = rng(ctx, headingLineStart(p.heading), sectionEnd(p.heading));
    for (const g of p.groups) {
      const gh = byOffset.get(g.range.start.offset);
      if (gh) g.range = rng(ctx, headingLineStart(gh), sectionEnd(gh));
    }
  }
  for (const b of tracker.barriers) b.range = rng(ctx, headingLineStart(b.heading), sectionEnd(b.heading));

  // Header convenience fields.
  for (const f of tracker.header) {
    const k = normalizeHeader(f.key);
    if (!tracker.workflowStatus && (k === 'status' || k === 'workflow status' || k === 'overall status')) {
      const sv = statusOfValue(ctx, f) ?? { status: 'UNKNOWN', raw: f.value, range: f.range };
      // A workflow status naming its current phase (`PHASE 3 PENDING`) says the workflow is under way.
      if (/^[^\p{L}\d]*PHASE[\s_-]*\d+/iu.test(sv.raw) && (sv.status === 'PENDING' || sv.status === 'READY' || sv.status === 'COMPLETE')) sv.status = 'IN_PROGRESS';
      tracker.workflowStatus = sv;
    }
    if (!tracker.lastUpdated && (k === 'last updated' || k === 'updated' || k === 'last modified' || k === 'updated at')) tracker.lastUpdated = f;
  }

  // Metrics: the execution/progress metrics table when named so, else the first one.
  if (metricsTables.length > 0) {
    const pick =
      metricsTables.find((t) => /execution|progress/i.test(t.heading ?? '')) ??
      metricsTables.find((t) => /metric/i.test(t.heading ?? '')) ??
      metricsTables[0];
    const m: Metrics = { table: pick, rows: pick.rows.map((r) => toRow(pick, r)) };
    tracker.metrics = m;
  }

  // Statuses from the best source: own heading/row, the dashboard line, the units.
  const dash = tracker.dashboard ? readDashboardLines(tracker.dashboard.text, tracker.dashboard.contentRange.start.line) : [];
  for (const p of tracker.phases) {
    if (p.status) p.effectiveStatus = { status: p.status.status, source: 'own', raw: p.status.raw, line: p.status.range.start.line };
    if (!p.effectiveStatus) {
      const d = dash.find((l) => l.kind === 'phase' && l.number === p.number && l.phaseKind === p.kind);
      if (d) p.effectiveStatus = { status: d.status, source: 'dashboard', raw: d.raw, line: d.line };
    }
    if (!p.effectiveStatus) {
      const st = deriveStatus([...p.agents.map((a) => a.status.status), ...tracker.gates.filter((g) => g.phase === p.number && g.status).map((g) => g.status!.status)]);
      if (st) p.effectiveStatus = { status: st, source: 'derived' };
    }
    if (p.effectiveStatus) p.statusSource = p.effectiveStatus.source;
  }
  for (const b of tracker.barriers) {
    if (b.status) b.effectiveStatus = { status: b.status.status, source: 'own', raw: b.status.raw, line: b.status.range.start.line };
    if (!b.effectiveStatus) {
      const qg = /^qg-(\d+)$/.exec(b.id);
      const d = dash.find((l) => (l.kind === 'barrier' && !qg && l.number === b.number) || (l.kind === 'gate' && l.id !== undefined && l.id.toLowerCase() === b.id));
      if (d) b.effectiveStatus = { status: d.status, source: 'dashboard', raw: d.raw, line: d.line };
    }
    if (!b.effectiveStatus) {
      const st = deriveStatus(b.directions.map((d) => d.status?.status ?? 'UNKNOWN'));
      if (st) b.effectiveStatus = { status: st, source: 'derived' };
    }
    if (b.effectiveStatus) b.statusSource = b.effectiveStatus.source;
  }
  for (const g of tracker.gates) {
    if (g.status) g.effectiveStatus = { status: g.status.status, source: 'own', raw: g.status.raw, line: g.status.range.start.line };
    else {
      const d = dash.find((l) => l.kind === 'gate' && l.id === g.id.toUpperCase());
      if (d) g.effectiveStatus = { status: d.status, source: 'dashboard', raw: d.raw, line: d.line };
    }
    if (g.effectiveStatus) g.statusSource = g.effectiveStatus.source;
  }
  for (const p of tracker.phases) if (p.status) readLines.add(p.status.range.start.line);
  for (const b of tracker.barriers) if (b.status) readLines.add(b.status.range.start.line);

  // Coverage: status-bearing lines (table rows, headings) read as units, and those left unread.
  const unread = new Map<number, string>();
  const RECOGNISED: TableKind[] = ['queue', 'blockers', 'resolved', 'checkpoints', 'metrics', 'legend', 'metadata'];
  for (const t of tracker.tables) {
    const sec = tableSection.get(t);
    if (sec?.excluded || RECOGNISED.includes(t.kind) && !t.rows.concat([t.header]).some((r) => readLines.has(r.range.start.line))) continue;
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
    for (const r of rows) {
      const line = r.range.start.line;
      if (readLines.has(line) || lookalikeLines.has(line)) continue;
      if (TOTALS.test(normalizeHeader(r.cells[0]?.text ?? ''))) continue;
      const cells = kv ? [valueCol] : statusCols.size ? [...statusCols] : r.cells.map((_, i) => i);
      if (cells.some((i) => r.cells[i] && isStatusCell(r.cells[i].text, kv || statusCols.has(i)))) unread.set(line, ctx.li.lineText(line).trim());
    }
  }
  for (const h of tracker.headings) {
    const line = h.range.start.line;
    if (h.depth < 2 || readLines.has(line) || excludedHeadings.has(h)) continue;
    if (headingStatus(h.text)) unread.set(line, ctx.li.lineText(line).trim());
  }
  tracker.coverage = {
    units: readLines.size,
    unread: [...unread.entries()].sort((a, b) => a[0] - b[0]).map(([line, t]) => ({ line, text: t })),
  };

  const dialect = learnDialect(statusSamples, legend);
  dialect.dateStyle = learnDateStyle(dateCells);
  tracker.dialect = dialect;
}

function toRow(t: Table, r: TableRow): Row {
  const cells: Record<string, Cell> = {};
  for (const [m, i] of Object.entries(t.columns)) {
    if (i !== undefined && r.cells[i]) cells[m] = r.cells[i];
  }
  for (const [h, i] of Object.entries(t.extraColumns)) {
    if (r.cells[i] && cells[h] === undefined) cells[h] = r.cells[i];
  }
  const row: Row = { cells, row: r };
  const st = t.columns.status;
  if (st !== undefined && r.cells[st]) {
    const c = r.cells[st];
    row.status = { status: toStatus(c.text), raw: c.text, range: c.range };
  }
  return row;
}

function readDashboard(ctx: Ctx, start: number, end: number, fenced: boolean, heading: Heading): Dashboard {
  const li = ctx.li;
  if (!fenced) {
    return { heading, contentRange: rng(ctx, start, end), range: rng(ctx, start, end), text: ctx.text.slice(start, end), fenced: false };
  }
  const open = li.position(start).line;
  const lastLine = li.position(end).line;
  // The closing fence is the last line when it is a run of the fence character; otherwise unterminated.
  const lastText = li.lineText(lastLine).trim();
  const fenceCh = ctx.text[li.position(start).offset + (li.lineText(open).length - li.lineText(open).trimStart().length)];
  const closed = lastLine > open && lastText.length >= 3 && [...lastText].every((c) => c === fenceCh);
  const cs = open + 1 < li.lineCount ? li.lineStarts[open + 1] : end;
  let ce: number;
  if (closed) ce = lastLine - 1 > open ? li.lineEnd(lastLine - 1) : cs;
  else ce = end;
  if (ce < cs) ce = cs;
  return {
    heading,
    contentRange: rng(ctx, Math.min(cs, end), ce),
    range: rng(ctx, start, end),
    text: ctx.text.slice(Math.min(cs, end), ce),
    fenced: true,
  };
}
