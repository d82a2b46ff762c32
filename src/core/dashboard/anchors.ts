/**
 * Reading one line of a drawn dashboard: the labels it names (anchors: a phase, a barrier, an
 * agent, the overall figure, a counter) and the values after each (bar, percent, `n/m` counts, a
 * status), with their exact spans so a sync can rewrite a value in place. Pure; imported by the
 * other dashboard files only.
 */
import type { Status } from '../model';
import { splitStatus } from '../status';
import { displayWidth } from '../width';
import { EMPTY_CHARS, FULL_CHARS } from './style';

export type AnchorKind = 'phase' | 'barrier' | 'overall' | 'total' | 'agent' | 'token' | 'other';

export interface Anchor {
  kind: AnchorKind;
  num?: number;
  id?: string;
  /** What a `total` anchor counts when its label names it (`Agents: 4/8 complete`). */
  noun?: string;
  start: number;
  end: number;
  /** Display column where the anchor starts (for two-column layouts). */
  col: number;
}

export function parenDepthAt(s: string): number[] {
  const d: number[] = [];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    d.push(depth);
    if (s[i] === ')') depth = Math.max(0, depth - 1);
  }
  return d;
}

/** Index just after the first top-level colon (the end of a label), -1 when there is none. */
function afterLabel(scope: string, depth: readonly number[]): number {
  for (let i = 0; i < scope.length; i++) if (scope[i] === ':' && depth[i] === 0) return i + 1;
  return -1;
}

/** Agent ids as they appear in a line: word-like tokens looked up in the id set (no giant regex). */
const ID_TOKEN = /[A-Za-z0-9][\w.-]*[A-Za-z0-9]/g;

export function findAnchors(line: string, agentIds: ReadonlySet<string>, phaseKinds: ReadonlySet<string> = new Set()): Anchor[] {
  const depth = parenDepthAt(line);
  const found: Anchor[] = [];
  const add = (kind: AnchorKind, m: RegExpExecArray, extra: Partial<Anchor> = {}): void => {
    if (depth[m.index] > 0) return;
    const start = m.index;
    const end = m.index + m[0].length;
    if (found.some((a) => start < a.end && a.start < end)) return;
    found.push({ kind, start, end, col: displayWidth(line.slice(0, start)), ...extra });
  };
  const scan = (re: RegExp, f: (m: RegExpExecArray) => void): void => {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) f(m);
  };
  if (agentIds.size) {
    scan(ID_TOKEN, (m) => {
      const before = m.index > 0 ? line[m.index - 1] : '';
      const after = line[m.index + m[0].length] ?? '';
      if (before === '-' || after === '-' || !agentIds.has(m[0].toLowerCase())) return;
      add('agent', m, { id: m[0].toLowerCase() });
    });
  }
  scan(/\bphase[\s_-]*(\d+)\b/gi, (m) => add('phase', m, { num: Number(m[1]) }));
  // In a file whose phases are `## Wave 2` / `## Track B` sections, `Wave 2:` in the drawing is that phase.
  if (phaseKinds.size) {
    scan(/\b(track|stream|wave|spike|workstream|lane)(?:[\s_-]+([A-Za-z])|[\s_-]*(\d+))\b/gi, (m) => {
      if (!phaseKinds.has(m[1].toLowerCase())) return;
      const v = m[2] ?? m[3];
      add('phase', m, { num: /^\d+$/.test(v) ? Number(v) : v.toUpperCase().charCodeAt(0) - 64 });
    });
  }
  scan(/\bbarrier[\s_-]*(\d+)\b/gi, (m) => add('barrier', m, { num: Number(m[1]) }));
  scan(/\b(?:overall(?:\s+progress)?|total\s+progress)\b/gi, (m) => add('overall', m));
  scan(/\btotal\b(?=\s*:)/gi, (m) => add('total', m));
  // `Agents: 4/8 complete`: a labelled agent counter outside any AGENTS section.
  scan(/(?<![\w-])agents(?=\s*:)/gi, (m) => add('total', m, { noun: 'agents' }));
  scan(/\b(?:gate|qg|cp|checkpoint|step)[\s_-]*[\w]*\d+\b/gi, (m) => add('other', m));
  scan(/\b[A-Z][A-Z0-9]*-\d+[A-Za-z0-9-]*\b/g, (m) => add('token', m, { id: m[0] }));
  return found.sort((a, b) => a.start - b.start);
}

export interface Shown {
  percent?: number;
  status?: Status;
  counts: { done: number; total: number; noun?: string }[];
  hasValue: boolean;
}

/** Values in the text after an anchor's label: percent, `N/M` counts, a status word. */
export function readValues(scope: string): Shown {
  const counts: Shown['counts'] = [];
  for (const m of scope.matchAll(/(?<![\d.])(\d+)\s*\/\s*(\d+)(?![\d.])(?:\s+([a-z]+))?/gi)) {
    counts.push({ done: Number(m[1]), total: Number(m[2]), noun: m[3]?.toLowerCase() });
  }
  // The label ends at its first top-level colon, or where the drawing (bar, percent) begins.
  const depth = parenDepthAt(scope);
  const labelEnd = afterLabel(scope, depth);
  let rest = labelEnd >= 0 ? scope.slice(labelEnd) : scope;
  if (labelEnd < 0) {
    const m = /[█▓▒■#░_.=-]{3,}|\d{1,3}\s?%|\[/u.exec(rest);
    // No drawing: a value set off by a column gap (`Barrier 1          ✅ COMPLETE`).
    const gap = m ? undefined : /\s{2,}(?=\S)/.exec(rest);
    rest = m ? rest.slice(m.index) : gap ? rest.slice(gap.index) : '';
  }
  const pm = /(?<![\d.])(\d{1,3})\s?%/.exec(rest);
  const percent = pm ? Number(pm[1]) : undefined;
  const cleaned = rest
    .replace(/\([^)]*\)/g, ' ')
    .replace(/(?<![\d.])\d+\s*\/\s*\d+/g, ' ')
    .replace(/\d{1,3}\s?%/g, ' ')
    .replace(/[█▓▒■#░·_=]+|\.{2,}|-{2,}/gu, ' ')
    .replace(/[[\]|]/g, ' ')
    .trim();
  let status: Status | undefined;
  if (cleaned) {
    const p = splitStatus(cleaned);
    // Only a status that opens the value counts: `SEQUENTIAL HARD GATE` is a label, not a status.
    if (p.status !== 'UNKNOWN' && cleaned.slice(0, p.start).trim() === '') status = p.status;
  }
  const hasValue = percent !== undefined || status !== undefined || /[█▓░]/u.test(rest) || counts.length > 0;
  return { percent, status, counts, hasValue };
}

export interface Span {
  start: number;
  end: number;
  text: string;
  /** A figure padded on its left (` 50%` under `100%`): width changes are taken from that padding first. */
  right?: boolean;
}

const BAR_CORE = /[█▓▒■░]/u;

/** The bar, percent, status and `n/m` spans in an anchor's scope (indices into `scope`). */
export function valueSpans(scope: string): { bar?: Span; percent?: Span; status?: Span; counts: (Span & { done: number; total: number })[] } {
  const depth = parenDepthAt(scope);
  const from = Math.max(0, afterLabel(scope, depth));
  const counts: (Span & { done: number; total: number })[] = [];
  for (const m of scope.matchAll(/(?<![\d.:\/-])(\d+)(\s*\/\s*)(\d+)(?![\d.\/-])/g)) {
    if (m.index! < from) continue;
    counts.push({ start: m.index!, end: m.index! + m[1].length, text: m[1], done: Number(m[1]), total: Number(m[3]) });
  }
  const pm = /(?<![\d.])(\d{1,3})(?=\s?%)/.exec(scope.slice(from));
  const percent = pm ? { start: from + pm.index, end: from + pm.index + pm[1].length, text: pm[1] } : undefined;
  let bar: Span | undefined;
  for (const m of scope.slice(from).matchAll(/(\[?)([█▓▒■#=*░·._-]{3,})(\]?)/gu)) {
    const run = m[2];
    const chars = [...run];
    const mixed = chars.some((c) => FULL_CHARS.includes(c)) && chars.some((c) => EMPTY_CHARS.includes(c));
    if (!(BAR_CORE.test(run) || (m[1] === '[' && m[3] === ']') || mixed)) continue;
    if (percent && from + m.index! > percent.start) break;
    const start = from + m.index! + m[1].length;
    bar = { start, end: start + run.length, text: run };
    break;
  }
  // The status opens what is left once the drawing, counts and asides are masked out.
  const mask = [...scope];
  const blank = (s: number, e: number): void => {
    for (let i = s; i < e; i++) mask[i] = ' ';
  };
  blank(0, from);
  if (bar) blank(bar.start - 1 >= 0 && scope[bar.start - 1] === '[' ? bar.start - 1 : bar.start, scope[bar.end] === ']' ? bar.end + 1 : bar.end);
  if (percent) blank(percent.start, percent.end + (scope[percent.end] === '%' ? 1 : scope[percent.end + 1] === '%' ? 2 : 0));
  for (const c of counts) blank(c.start, c.end + scope.slice(c.end).search(/\d/) + String(c.total).length);
  for (let i = 0; i < scope.length; i++) if (depth[i] > 0 || scope[i] === '(' || scope[i] === ')' || scope[i] === '|' || scope[i] === '[' || scope[i] === ']') mask[i] = ' ';
  const masked = mask.join('');
  const q = masked.search(/\S/);
  let status: Span | undefined;
  if (q >= 0) {
    const p = splitStatus(masked.slice(q));
    if (p.status !== 'UNKNOWN' && masked.slice(q, q + p.start).trim() === '') status = { start: q + p.start, end: q + p.end, text: scope.slice(q + p.start, q + p.end) };
  }
  return { bar, percent, status, counts };
}

