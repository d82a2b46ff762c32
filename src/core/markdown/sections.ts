/**
 * Sections and the remark parse: the text is split at every ATX heading (outside fences
 * and HTML comments) and each section is parsed on its own; a `MarkdownCache` maps a section's text
 * to its mdast, so after a small edit only the changed section goes through remark again. Everything
 * after the parse depends only on (section text, section offset), so a warm parse equals a cold one.
 * Used by `index.ts`.
 */
import type { Root } from 'mdast';
import type { LineIndex } from '../text';
import type { Reader } from './reader';

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

/** Reuses the mdast of unchanged sections between parses of (versions of) one document. */
export interface MarkdownCache {
  /** Section text -> its mdast (positions relative to the section). */
  sections: Map<string, Root>;
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

/** Parses each section (or takes its mdast from the cache) and walks it into the reader's events. */
export function readSections(r: Reader, cache?: MarkdownCache): void {
  const text = r.text;
  const starts = sectionStarts(text, r.li);
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
        r.internal(err, s, e);
        continue;
      }
    }
    used?.set(piece, root);
    try {
      r.walk(root, s);
    } catch (err) {
      r.internal(err, s, e);
    }
  }
  // Keep only this version's sections, so the cache stays as big as one document.
  if (cache && used) cache.sections = used;
}
