import type { Position, Range, TextEdit } from './model';

/** Maps offsets to line/column and back; built once per text (binary search over line starts). */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // \r\n, \n and a lone \r all end a line (a lone \r is rare but must not shift later lines).
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: o - this.lineStarts[lo], offset: o };
  }

  /** Position from a 0-based line and UTF-16 column. */
  at(line: number, column: number): Position {
    const l = Math.max(0, Math.min(line, this.lineStarts.length - 1));
    const offset = Math.min(this.lineStarts[l] + column, this.text.length);
    return { line: l, column: offset - this.lineStarts[l], offset };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** Offset of the end of a line's content (before its line ending). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let e = next;
    if (e > this.lineStarts[line] && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > this.lineStarts[line] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  lineRange(line: number): Range {
    return this.range(this.lineStarts[line], this.lineEnd(line));
  }
}

/** The file's dominant line ending (CRLF when at least half its lines use it). */
export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n';
}

export function hasBom(text: string): boolean {
  return text.charCodeAt(0) === 0xfeff;
}

/**
 * Applies edits by offset. Edits must not overlap; they are applied from the end so earlier
 * offsets stay valid. Throws on overlap, because silently merging would lose text.
 */
export function applyEdits(text: string, edits: readonly Pick<TextEdit, 'range' | 'newText'>[]): string {
  const sorted = [...edits].sort((a, b) => a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].range.start.offset < sorted[i - 1].range.end.offset) {
      throw new Error(`overlapping edits at offset ${sorted[i].range.start.offset}`);
    }
  }
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.range.start.offset) + e.newText;
    pos = e.range.end.offset;
  }
  return out + text.slice(pos);
}

/** `s` as a literal inside a RegExp. */
export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Human 1-based `line:col` for messages. */
export function formatPosition(p: Position): string {
  return `${p.line + 1}:${p.column + 1}`;
}
