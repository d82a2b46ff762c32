/**
 * Sections and the remark parse: the text is split at ATX headings of depth <= 3 (outside fences
 * and HTML comments) and each section is parsed on its own; a `MarkdownCache` maps a section's text
 * to its mdast, so after a small edit only the changed section goes through remark again. Everything
 * after the parse depends only on (section text, section offset), so a warm parse equals a cold one.
 * Used by `index.ts`.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';
import type { LineIndex } from '../text';
import type { Reader } from './reader';

const processor = unified().use(remarkParse).use(remarkGfm);

/** Reuses the mdast of unchanged sections between parses of (versions of) one document. */
export interface MarkdownCache {
  /** Section text -> its mdast (positions relative to the section). */
  sections: Map<string, Root>;
}

export function createMarkdownCache(): MarkdownCache {
  return { sections: new Map() };
}

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
