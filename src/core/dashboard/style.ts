/**
 * The drawing's style, read from an existing dashboard: box kind and width, indent, bar characters
 * and length, emoji or words, title lines. Pure; imported by the other dashboard files only.
 */
import { displayWidth } from '../width';
import { mostCommon } from '../edits';

/** Ties between widths or bar lengths go to the larger. */
const larger = (value: number, best: number): boolean => value > best;

export type BoxKind = 'double' | 'single' | 'ascii' | 'none';

export interface DashStyle {
  box: BoxKind;
  /** Horizontal char of the ascii box (`+===+` or `+---+`). */
  asciiRule: string;
  inner: number;
  indent: string;
  full: string;
  empty: string;
  barLen: number;
  brackets: boolean;
  emoji: boolean;
  titles: string[];
}

export const FULL_CHARS = '█▓▒■#=*';
export const EMPTY_CHARS = '░·._-';
const BAR_RE = /(\[?)([█▓▒■#=*]*[░·._-]*)(\]?)\s*(\d{1,3})\s?%/gu;
const STATUS_EMOJI_RE = /[✅⏳🔄❌🔒⬜🚫⚠⛔🟡🟢🔴✔]/u;

export function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

/** A rule under a section title (`=====`, two titles side by side: `=====   =====`). */
export const UNDERLINE = /^[=═─-]{3,}(\s+[=═─-]{3,})*$/;

export const V_OF: Record<BoxKind, string> = { double: '║', single: '│', ascii: '|', none: '' };

/** Box kind, rule character of an ascii box, inner width and indent of the drawing. */
function frameOf(lines: readonly string[]): Pick<DashStyle, 'box' | 'asciiRule' | 'inner' | 'indent'> {
  const first = lines[0]?.trim() ?? '';
  let box: BoxKind = 'double';
  let asciiRule = '=';
  if (lines.length) {
    if (first.startsWith('╔')) box = 'double';
    else if (first.startsWith('┌')) box = 'single';
    else if (/^\+[=-]+\+?$/.test(first)) {
      box = 'ascii';
      asciiRule = first[1];
    } else box = 'none';
  }
  const indent = lines.length ? /^\s*/.exec(lines[0])![0] : '';
  const v = V_OF[box];
  let inner = 79;
  if (box !== 'none' && lines.length) {
    // Most common width of the lines drawn with both borders; the ragged ones are the mistakes.
    const full = lines.map((l) => l.trim()).filter((l) => l.startsWith(v) && l.endsWith(v) && l.length > 1);
    const w = mostCommon(full.map((l) => displayWidth(l) - 2), larger);
    inner = w ?? Math.max(20, displayWidth(first) - 2);
  } else if (lines.length) {
    inner = Math.max(40, ...lines.map((l) => displayWidth(l.trimEnd())));
  }
  return { box, asciiRule, inner, indent };
}

/** Bars: characters and length from the bars that carry a percentage. */
function barsOf(lines: readonly string[]): Pick<DashStyle, 'full' | 'empty' | 'barLen' | 'brackets'> {
  let full: string | undefined;
  let empty: string | undefined;
  const lens: number[] = [];
  let bracketed = 0;
  for (const l of lines) {
    for (const m of l.matchAll(BAR_RE)) {
      const run = m[2];
      if ([...run].length < 4) continue;
      lens.push([...run].length);
      if (m[1] === '[' && m[3] === ']') bracketed++;
      const chars = [...run];
      const f = chars.find((c) => FULL_CHARS.includes(c));
      const e = chars.find((c) => EMPTY_CHARS.includes(c));
      if (f && !full) full = f;
      if (e && !empty) empty = e;
    }
  }
  if (!empty && full) empty = full === '█' || full === '▓' ? '░' : '.';
  if (!full && empty) full = empty === '░' ? '█' : empty === '_' ? '█' : '#';
  const barLen = mostCommon(lens, larger) ?? 12;
  return { full: full ?? '█', empty: empty ?? '░', barLen: Math.max(4, Math.min(40, barLen)), brackets: bracketed > lens.length / 2 };
}

/** Title block: the lines between the top border and the first rule. */
function titlesOf(lines: readonly string[], box: BoxKind): string[] {
  const titles: string[] = [];
  if (!lines.length) return titles;
  const start = box === 'none' ? 0 : 1;
  for (let i = start; i < lines.length; i++) {
    const t = stripBorders(lines[i], box).trim();
    if (isRule(lines[i].trim(), box)) break;
    if (t === '') {
      if (titles.length) break;
      continue;
    }
    if (/\d{1,3}\s?%|[█▓░]/.test(t)) break;
    titles.push(t);
    if (box === 'none') break;
  }
  return titles;
}

/** The last few dashboards' styles: every analysis while typing reads the same drawing again. */
const styles = new Map<string | undefined, DashStyle>();

/** The drawing's style; the same object for the same text, so callers must not change it. */
export function styleOf(text: string | undefined): DashStyle {
  let s = styles.get(text);
  if (!s) {
    s = readStyle(text);
    if (styles.size >= 8) styles.delete(styles.keys().next().value);
    styles.set(text, Object.freeze(s));
  }
  return s;
}

function readStyle(text: string | undefined): DashStyle {
  const lines = text ? linesOf(text).filter((l) => l.trim() !== '') : [];
  const frame = frameOf(lines);
  return {
    ...frame,
    ...barsOf(lines),
    emoji: !text || text.trim() === '' || STATUS_EMOJI_RE.test(text),
    titles: titlesOf(lines, frame.box),
  };
}

export function isRule(line: string, box: BoxKind): boolean {
  if (box === 'double') return /^[╔╠╚][═]+[╗╣╝]?$/.test(line);
  if (box === 'single') return /^[┌├└][─]+[┐┤┘]?$/.test(line);
  if (box === 'ascii') return /^\+[=-]+\+?$/.test(line);
  return /^[=═─-]{5,}$/.test(line);
}

export function stripBorders(line: string, box: BoxKind): string {
  let t = line.trim();
  const v = V_OF[box];
  if (v && t.startsWith(v)) t = t.slice(v.length);
  if (v && t.endsWith(v)) t = t.slice(0, -v.length);
  return t;
}

