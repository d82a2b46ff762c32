/**
 * The reader of markdown constructs: one method per construct (heading, table and row, checklist
 * item, link, paths in a span, key/value fields, status in a value, dashboard), each giving the exact
 * source ranges edits need. `walk` turns one section's mdast into events in document order; the
 * pass in `pass.ts` gives every event its place. Used only inside this folder.
 */
import type { Nodes, Table as MdTable } from 'mdast';
import { LineIndex } from '../text';
import { splitStatus } from '../status';
import { WEB_URL, isPathToken } from '../paths';
import { headerColumns, isAligned, lineRange, splitCells } from './tables';
import type { ArtifactRef, ChecklistItem, Dashboard, Finding, HeaderField, Heading, Range, StatusValue, Table, TableRow } from '../model';

/** What the walk saw, in document order. */
export type Ev =
  | { k: 'heading'; h: Heading }
  | { k: 'table'; t: Table }
  | { k: 'check'; item: ChecklistItem }
  | { k: 'code'; start: number; end: number; fenced: boolean }
  | { k: 'quote'; start: number; end: number }
  | { k: 'para'; start: number; end: number }
  | { k: 'link'; ref: ArtifactRef };

/** A paragraph that opens like a box drawing (a dashboard drawn without a fence). */
export const BOX_START = /^[\s]*[╔┌+║│═─╭┏]/;

/** A paragraph opening with a plain status key (`Status: DONE`), read as a possible key line. */
const PLAIN_STATUS_KEY = /^(?:status|state|result|verdict)[ \t]*:/i;

/**
 * A status key at a line's start (after `>` or a list marker) or after a `|` separator:
 * `**Status:**`, `**State**:`, `Status:` (also State, Result, Verdict).
 */
const STATUS_KEY = /(?:^[ \t>]*(?:[-*+][ \t]+)?|\|[ \t]*)(?:(\*\*|__)(?:status|state|result|verdict)(?::\1|\1[ \t]*:)|(?:status|state|result|verdict)[ \t]*:)[ \t]*/gi;

export class Reader {
  readonly findings: Finding[] = [];
  readonly events: Ev[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
    readonly li: LineIndex,
  ) {}

  range(start: number, end: number): Range {
    return this.li.range(start, end);
  }

  /** Walks the mdast of one section (offsets shifted by `base`), turning each construct into an event. */
  walk(node: Nodes, base: number): void {
    const p = node.position;
    if (!p || p.start.offset === undefined || p.end.offset === undefined) return;
    const start = p.start.offset + base;
    const end = p.end.offset + base;
    switch (node.type) {
      case 'heading': {
        const h = this.heading(node.depth, start, end);
        if (h) this.events.push({ k: 'heading', h });
        this.links(node, base);
        return;
      }
      case 'table': {
        try {
          const t = this.table(node, base);
          if (t) this.events.push({ k: 'table', t });
        } catch (e) {
          this.internal(e, start, end);
        }
        return;
      }
      case 'code': {
        const t = this.text;
        let i = start;
        while (t.charCodeAt(i) === 32) i++;
        const c = t.charCodeAt(i);
        this.events.push({ k: 'code', start, end, fenced: c === 96 || c === 126 });
        return;
      }
      case 'blockquote':
        this.events.push({ k: 'quote', start, end });
        for (const c of node.children) this.walk(c, base);
        return;
      case 'paragraph': {
        const c = this.text.charCodeAt(start);
        if (c === 42 || c === 95 || BOX_START.test(this.text.slice(start, start + 8)) || PLAIN_STATUS_KEY.test(this.text.slice(start, start + 12))) {
          this.events.push({ k: 'para', start, end });
        }
        this.links(node, base);
        return;
      }
      case 'listItem': {
        if (typeof node.checked === 'boolean') {
          const item = this.checklistItem(start, node.checked);
          if (item) this.events.push({ k: 'check', item });
        }
        for (const c of node.children) this.walk(c, base);
        return;
      }
      case 'root':
      case 'list':
      case 'footnoteDefinition':
        for (const c of node.children) this.walk(c, base);
        return;
      default:
        return;
    }
  }

  /** A reader failure inside one construct: reported, never thrown. */
  internal(e: unknown, start: number, end: number): void {
    const error = e instanceof Error ? e.message : String(e);
    this.findings.push({
      code: 'internal-error',
      severity: 'error',
      message: `Could not read this part of the tracker: ${error}`,
      file: this.file,
      range: this.range(start, Math.max(start, end)),
      data: { check: 'markdown', error },
    });
  }

  /** Inline links below a heading or paragraph, as link events. */
  links(node: Nodes, base: number): void {
    if (!('children' in node)) return;
    for (const c of node.children as Nodes[]) {
      if (c.type === 'link') {
        const p = c.position;
        if (p && p.start.offset !== undefined && p.end.offset !== undefined) {
          const ref = this.linkRef(p.start.offset + base, p.end.offset + base, 'link');
          if (ref) this.events.push({ k: 'link', ref });
        }
      } else if ('children' in c) this.links(c, base);
    }
  }

  /** The target of an inline link `[x](target)` between start and end, when it is a local path. */
  linkRef(start: number, end: number, source: ArtifactRef['source'], agentId?: string): ArtifactRef | undefined {
    const src = this.text.slice(start, end);
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
    const ref: ArtifactRef = { path, file: 'md', range: this.range(start + i, start + j), source };
    if (agentId !== undefined) ref.agentId = agentId;
    return ref;
  }

  /** The text of an ATX or setext heading, without markers and a closing sequence. */
  heading(depth: number, start: number, end: number): Heading | undefined {
    const t = this.text;
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
      const line = this.li.position(i).line;
      e = Math.min(this.li.lineEnd(line), end);
      while (e > i && /\s/.test(t[e - 1])) e--;
    }
    return { depth, text: t.slice(i, e), range: this.range(i, e) };
  }

  /** One row, cut from its source line. */
  tableRow(startOffset: number, endOffset: number): TableRow | undefined {
    const li = this.li;
    const line = li.position(startOffset).line;
    const lineStart = li.lineStarts[line];
    const lineEnd = li.lineEnd(line);
    // A row spanning lines would mean our idea of the row is wrong: ignore it rather than guess.
    if (endOffset > lineEnd) return undefined;
    const prefix = this.text.slice(lineStart, startOffset);
    const rowStart = /^[ \t]*$/.test(prefix) ? lineStart : startOffset;
    const cells = splitCells(this.text, startOffset, lineEnd, line, lineStart);
    return { cells, range: lineRange(line, lineStart, rowStart, lineEnd) };
  }

  /** A GFM table: rows, column meanings, alignment; its kind is decided later, where its heading is known. */
  table(node: MdTable, base: number): Table | undefined {
    const rows: TableRow[] = [];
    for (const r of node.children) {
      const p = r.position;
      if (!p || p.start.offset === undefined || p.end.offset === undefined) continue;
      const row = this.tableRow(p.start.offset + base, p.end.offset + base);
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
      aligned: isAligned(this.text, rows),
      range: { start: header.range.start, end: (body.length ? body[body.length - 1] : header).range.end },
    };
    for (const r of body) {
      if (r.cells.length !== header.cells.length) {
        this.findings.push({
          code: 'table-malformed',
          severity: 'warning',
          message: `Table row has ${r.cells.length} cells but its header has ${header.cells.length}.`,
          file: this.file,
          range: r.range,
          data: { cells: r.cells.length, header: header.cells.length },
        });
      }
    }
    return table;
  }

  /** A task list item `- [x] text`, and the artifact it names. */
  checklistItem(start: number, checked: boolean): ChecklistItem | undefined {
    const t = this.text;
    const line = this.li.position(start).line;
    const lineStart = this.li.lineStarts[line];
    const lineEnd = this.li.lineEnd(line);
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
    const paths = this.paths(s, e, 'checklist', undefined, false);
    if (paths.length > 0) item.artifact = paths[0];
    else {
      // `- [ ] path/to/file.md` without backticks: the first word, when it is a path.
      const m = /^[^\s]+/.exec(item.text);
      if (m) {
        const w = m[0].replace(/[.:,;]+$/, '');
        if (!w.includes('`') && isPathToken(w)) item.artifact = { path: w, file: 'md', range: lineRange(line, lineStart, s, s + w.length), source: 'checklist' };
      }
    }
    return item;
  }

  /** Paths in a piece of text at [start, end): links, code spans that look like paths, else bare file names. */
  paths(start: number, end: number, source: ArtifactRef['source'], agentId?: string, bare = true): ArtifactRef[] {
    const src = this.text.slice(start, end);
    const out: ArtifactRef[] = [];
    const mk = (s: number, e: number): ArtifactRef => {
      const ref: ArtifactRef = { path: src.slice(s, e), file: 'md', range: this.range(start + s, start + e), source };
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
        if (!isPathToken(t)) continue;
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
      if (!isPathToken(t)) continue;
      if (src[s - 1] === '(') continue;
      out.push(mk(s, s + t.length));
    }
    return out;
  }

  /** Reads `**Key:** Value` pairs (one per line, or several on one `|`-separated line) in [start, end). */
  keyValues(start: number, end: number): HeaderField[] {
    const out: HeaderField[] = [];
    const li = this.li;
    const first = li.position(start).line;
    const last = li.position(end).line;
    const re = /(?:\*\*|__)([^*_\n]{1,80}?)(?::(?:\*\*|__)|(?:\*\*|__)\s*:)[ \t]*/g;
    for (let l = first; l <= last && l < li.lineCount; l++) {
      const ls = li.lineStarts[l];
      const le = li.lineEnd(l);
      const line = this.text.slice(ls, le);
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

  /**
   * The first status key line in [start, end) (`**Status:** ⬜ READY | **Effort:** 2h`,
   * `- **Status:** 🔒 BLOCKED by EN-027`): its 0-based line and the status core of its value, which
   * stops at a ` | ` separator. Undefined when no line has such a key with a status word.
   */
  statusKeyLine(start: number, end: number): { line: number; sv: StatusValue } | undefined {
    const li = this.li;
    const first = li.position(start).line;
    const last = li.position(end).line;
    for (let l = first; l <= last && l < li.lineCount; l++) {
      const ls = li.lineStarts[l];
      const line = this.text.slice(ls, li.lineEnd(l));
      STATUS_KEY.lastIndex = 0;
      const m = STATUS_KEY.exec(line);
      if (!m) continue;
      const vs = m.index + m[0].length;
      const bar = /\s\|/.exec(line.slice(vs));
      const value = bar ? line.slice(vs, vs + bar.index) : line.slice(vs);
      const sv = this.statusAt(value, ls + vs);
      return sv ? { line: l, sv } : undefined;
    }
    return undefined;
  }

  /** The status core in a piece of text at `offset` (`✅ ACCEPTED` of `✅ ACCEPTED (0.93)`): the status word(s) only, so an edit keeps the reason. */
  statusAt(text: string, offset: number): StatusValue | undefined {
    const p = splitStatus(text);
    if (p.status === 'UNKNOWN') return undefined;
    const s = offset + p.start;
    const e = offset + p.end;
    return { status: p.status, raw: this.text.slice(s, e), range: this.range(s, e) };
  }

  /** The drawn dashboard under a Dashboard heading: a code block (its content between the fences) or a box paragraph. */
  dashboard(start: number, end: number, fenced: boolean, heading: Heading): Dashboard {
    const li = this.li;
    if (!fenced) {
      return { heading, contentRange: this.range(start, end), range: this.range(start, end), text: this.text.slice(start, end), fenced: false };
    }
    const open = li.position(start).line;
    const lastLine = li.position(end).line;
    // The closing fence is the last line when it is a run of the fence character; otherwise unterminated.
    const lastText = li.lineText(lastLine).trim();
    const fenceCh = this.text[li.position(start).offset + (li.lineText(open).length - li.lineText(open).trimStart().length)];
    const closed = lastLine > open && lastText.length >= 3 && [...lastText].every((c) => c === fenceCh);
    const cs = open + 1 < li.lineCount ? li.lineStarts[open + 1] : end;
    let ce: number;
    if (closed) ce = lastLine - 1 > open ? li.lineEnd(lastLine - 1) : cs;
    else ce = end;
    if (ce < cs) ce = cs;
    return {
      heading,
      contentRange: this.range(Math.min(cs, end), ce),
      range: this.range(start, end),
      text: this.text.slice(Math.min(cs, end), ce),
      fenced: true,
    };
  }
}
