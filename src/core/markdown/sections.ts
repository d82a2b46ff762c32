/**
 * Sections and the remark parse: the text is split at every ATX heading (outside fences
 * and HTML comments) and each section is parsed and walked on its own. What the walk of a section
 * gives (its events and findings) depends only on the section's text and where it starts, so a
 * `MarkdownCache` keeps it per section text, positions made relative to the section; after a small
 * edit only the changed section goes through remark and the walk again, the others are copied with
 * their positions moved to where they now start. A warm parse equals a cold one (tests: random
 * edits on every example and on generated trackers). Used by `index.ts`.
 */
import type { Root } from 'mdast';
import type { ArtifactRef, Finding, Position, Range, TableRow } from '../model';
import type { LineIndex } from '../text';
import type { Ev, Reader } from './reader';

/**
 * remark-parse with only the two GFM constructs the model reads: tables and task-list items (the
 * checklists). The rest of GFM (autolink literals, footnotes, strikethrough, tag filter) changes
 * nothing we read (links are read from their `](` source) and costs about 40 % of the parse.
 * Loaded on the first parse rather than when the module loads: the extension activates without it.
 * `require`, not `import()`, because the parse is synchronous; the bundle inlines the ESM packages
 * behind a lazy init, and plain Node (>= 20.19) requires them as ESM.
 */
let remark: { parse(text: string): unknown } | undefined;
const processor = {
  parse(text: string): unknown {
    if (!remark) {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { unified } = require('unified') as typeof import('unified');
      const remarkParse = (require('remark-parse') as typeof import('remark-parse')).default;
      const { gfmTable } = require('micromark-extension-gfm-table') as typeof import('micromark-extension-gfm-table');
      const { gfmTableFromMarkdown } = require('mdast-util-gfm-table') as typeof import('mdast-util-gfm-table');
      const { gfmTaskListItem } = require('micromark-extension-gfm-task-list-item') as typeof import('micromark-extension-gfm-task-list-item');
      const { gfmTaskListItemFromMarkdown } = require('mdast-util-gfm-task-list-item') as typeof import('mdast-util-gfm-task-list-item');
      /* eslint-enable @typescript-eslint/no-require-imports */
      remark = unified()
        .use(remarkParse)
        .data('micromarkExtensions', [gfmTable(), gfmTaskListItem()])
        .data('fromMarkdownExtensions', [gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown()]);
    }
    return remark.parse(text);
  },
};

/** What the walk of one section gave, with positions relative to the section's start. */
export interface SectionRead {
  events: Ev[];
  findings: Finding[];
}

/** Reuses the reading of unchanged sections between parses of (versions of) one document. */
export interface MarkdownCache {
  /** Section text -> what its walk gave (positions relative to the section). */
  sections: Map<string, SectionRead>;
}

export function createMarkdownCache(): MarkdownCache {
  return { sections: new Map() };
}

/**
 * Section start offsets: 0 and every ATX heading outside fences and HTML comments. A heading ends
 * the paragraph, list or quote before it, so a section parses alone as it does in the whole; every
 * depth (not only phases' `##`) keeps sections small, so a keystroke re-parses a few hundred bytes.
 */
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
      if (d <= 6 && (j === e || after === 32 || after === 9)) starts.push(s);
    }
  }
  return starts;
}

/**
 * Parses and walks each section into the reader's events, or copies a section's earlier reading
 * from the cache with its positions moved.
 */
export function readSections(r: Reader, cache?: MarkdownCache): void {
  const text = r.text;
  const starts = sectionStarts(text, r.li);
  const used = cache ? new Map<string, SectionRead>() : undefined;
  for (let k = 0; k < starts.length; k++) {
    let s = starts[k];
    const e = k + 1 < starts.length ? starts[k + 1] : text.length;
    // remark drops a leading BOM from its offsets: parse after it and shift by one instead.
    if (s === 0 && text.charCodeAt(0) === 0xfeff) s = 1;
    const piece = text.slice(s, e);
    const line = r.li.position(s).line;
    const known = cache?.sections.get(piece) ?? used?.get(piece);
    if (known) {
      used?.set(piece, known);
      r.events.push(...moved(known.events, s, line));
      r.findings.push(...moved(known.findings, s, line));
      continue;
    }
    const ev0 = r.events.length;
    const f0 = r.findings.length;
    readSection(r, piece, s, e);
    // Kept before the pass can touch them, relative to the section.
    used?.set(piece, { events: moved(r.events.slice(ev0), -s, -line), findings: moved(r.findings.slice(f0), -s, -line) });
  }
  // Keep only this version's sections, so the cache stays as big as one document.
  if (cache && used) cache.sections = used;
}

function readSection(r: Reader, piece: string, s: number, e: number): void {
  let root: Root;
  try {
    root = processor.parse(piece) as Root;
  } catch (err) {
    r.internal(err, s, e);
    return;
  }
  try {
    r.walk(root, s);
  } catch (err) {
    r.internal(err, s, e);
  }
}

/**
 * A copy of a section's reading with every position moved by `offset` characters and `line` lines
 * (sections start at a line start, so columns stay). Written per event kind because a generic deep
 * copy cost more than walking the section again; a field added to an event with a position in it
 * must be moved here too (the incremental = full property tests fail otherwise).
 */
function moved<T extends Ev | Finding>(list: readonly T[], offset: number, line: number): T[] {
  const pos = (p: Position): Position => ({ line: p.line + line, column: p.column, offset: p.offset + offset });
  const rng = (r: Range): Range => ({ start: pos(r.start), end: pos(r.end) });
  const row = (r: TableRow): TableRow => ({ ...r, cells: r.cells.map((c) => ({ ...c, range: rng(c.range), outer: rng(c.outer) })), range: rng(r.range) });
  const ref = (a: ArtifactRef): ArtifactRef => ({ ...a, range: rng(a.range) });
  const one = (x: Ev | Finding): Ev | Finding => {
    if (!('k' in x)) return { ...x, range: rng(x.range), ...(x.related ? { related: x.related.map((r) => ({ ...r, range: rng(r.range) })) } : {}) };
    switch (x.k) {
      case 'heading':
        return { ...x, h: { ...x.h, range: rng(x.h.range) } };
      case 'table':
        return { ...x, t: { ...x.t, header: row(x.t.header), rows: x.t.rows.map(row), columns: { ...x.t.columns }, extraColumns: { ...x.t.extraColumns }, range: rng(x.t.range) } };
      case 'check': {
        const item = { ...x.item, checkRange: rng(x.item.checkRange), range: rng(x.item.range) };
        if (x.item.artifact) item.artifact = ref(x.item.artifact);
        return { ...x, item };
      }
      case 'link':
        return { ...x, ref: ref(x.ref) };
      case 'code':
      case 'quote':
      case 'para':
        return { ...x, start: x.start + offset, end: x.end + offset };
    }
  };
  return list.map((x) => one(x) as T);
}
