/**
 * The headings grammar: what a heading's text says (phase, track, barrier, gate or unit id, a
 * trailing or leading status, a pipeline alias). Pure functions of the heading text, offsets
 * relative to it; used only by the reader in this folder.
 */
import { splitStatus, toStatus } from '../status';

const NUMBERING = /^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+/;
/** `-`, `--`, em/en dash or `:` between parts of a heading. */
const SEP = /\s+(?:—|–|--|-|\|)\s+|\s*[—–]\s*|:\s+/g;

/** A status emoji on its own (`✅`, `🔄`), with an optional variation selector. */
const STATUS_EMOJI = /^[\p{Extended_Pictographic}\u2713\u2714\u2717\u2718][\ufe0f\ufe0e]?$/u;

interface HeadingParts {
  title: string;
  status?: Span;
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

/** A span of the heading text (offsets relative to it). */
interface Span {
  start: number;
  end: number;
}

/** Offset of the heading text after a leading `2.1 ` numbering. */
function afterNumbering(text: string): number {
  const m = NUMBERING.exec(text);
  let i = m ? m[0].length : 0;
  while (text.charCodeAt(i) === 42 || text.charCodeAt(i) === 95) i++;
  return i;
}

/** Where the words of a heading start (after numbering and status emoji), and the leading emoji's status. */
function opening(text: string): { at: number; leadStatus?: Span } {
  const i0 = afterNumbering(text);
  const lead = leadingEmoji(text.slice(i0));
  return { at: i0 + lead.length, leadStatus: lead.status && { start: i0 + lead.status.start, end: i0 + lead.status.end } };
}

/** Title and status of what follows a heading's keyword at `restStart`; the leading emoji's status otherwise. */
function titleAndStatus(text: string, restStart: number, leadStatus: Span | undefined): { title: string; status?: Span } {
  const parts = headingParts(text.slice(restStart));
  return {
    title: parts.title,
    status: parts.status ? { start: parts.status.start + restStart, end: parts.status.end + restStart } : leadStatus,
  };
}

export interface PhaseHeading {
  number: number;
  title: string;
  status?: Span;
  kind?: string;
  label?: string;
}

export function parsePhaseHeading(text: string): PhaseHeading | undefined {
  const { at: i, leadStatus } = opening(text);
  const m = /^phase[\s_-]*(\d+)\b/i.exec(text.slice(i));
  if (m) return { number: Number(m[1]), ...titleAndStatus(text, i + m[0].length, leadStatus) };
  // A letter label needs a separator (`Track A`), so the plural `Waves` / `Tracks` is not wave S.
  const t = /^(track|stream|wave|spike|workstream|lane)(?:[\s_-]+([A-Za-z])|[\s_-]*(\d+))\b/i.exec(text.slice(i));
  if (t) {
    const v = t[2] ?? t[3];
    const number = /^\d+$/.test(v) ? Number(v) : v.toUpperCase().charCodeAt(0) - 64;
    return {
      number,
      ...titleAndStatus(text, i + t[0].length, leadStatus),
      kind: t[1].toLowerCase(),
      label: text.slice(i, i + t[0].length),
    };
  }
  return undefined;
}

export interface BarrierHeading {
  number: number;
  id: string;
  title: string;
  status?: Span;
}

export function parseBarrierHeading(text: string): BarrierHeading | undefined {
  const { at: i, leadStatus } = opening(text);
  const s = text.slice(i);
  const m =
    /^(?:sync\s+)?barrier[\s_-]*(\d+)\b/i.exec(s) ?? /^(qg|quality\s+gate)[\s_-]*(\d+)\b/i.exec(s) ?? /^(wave[\s_-]*gate)[\s_-]*(\d+)\b/i.exec(s);
  if (!m) return undefined;
  const isBarrier = /barrier/i.test(m[0]);
  const isWaveGate = /^wave/i.test(m[0]);
  const num = Number(isBarrier ? m[1] : m[2]);
  return {
    number: num,
    id: isBarrier ? `barrier-${num}` : isWaveGate ? `wave-gate-${num}` : `qg-${num}`,
    ...titleAndStatus(text, i + m[0].length, leadStatus),
  };
}

/** A unit id opening a heading or filling an id cell: `TASK-014`, `EN-410`, `QG-2`, `GATE-3`, `G-FINAL`. */
export const UNIT_ID = /^([A-Z][A-Z0-9]{0,11}(?:-[A-Z0-9]+)*-(?:\d+[A-Za-z0-9.]*|FINAL|[A-Z]))(?=$|[\s:—–(|,]|\.\s|\.$)/;

/** Ids of things that are never units (bugs, risks, remediation items, decisions, …). */
export const LOOKALIKE_ID = /^(?:BUG|DEF|DEFECT|ISSUE|RISK|FIX|REM|DEC|ADR|LL|LESSON|CP|CHK|CHECK|REQ|AC|INC)-/i;

/**
 * Sections whose tables and headings are not units even when they carry ids and ✅ marks: protocols,
 * checklists, criteria, remediation and bug lists, lists of items to create, logs, risks, lessons.
 */
export const LOOKALIKE_SECTION =
  /\b(protocols?|check ?lists?|checks|criteria|remediations?|bugs?|defects?|known issues|issues found|findings|to create|to be created|to file|backlog|risks?|decisions?|lessons?|retrospectives?|glossary|references|changelog|history|session log|execution log|activity log|log|timeline|journal|commits?|legend)\b/i;

/** Sections whose sub-headings talk about phases without being them. */
export const ASIDE = /\b(queue|lessons?|retrospectives?|resumption|checkpoints?|blockers?|metrics|appendix|history|changelog|session log|execution notes|risks?)\b/i;

/** The unit id a heading opens with, and its title (`TASK-014: Schema Migration`). */
export function headingUnit(text: string): { id: string; title: string; start: number; end: number } | undefined {
  const i = opening(text).at;
  const m = UNIT_ID.exec(text.slice(i));
  if (!m) return undefined;
  const id = m[1].replace(/\.$/, '');
  const rest = text.slice(i + id.length);
  const title = rest.replace(/^[\s:—–|-]+/, '').replace(/\s+$/, '');
  return { id, title, start: i, end: i + id.length };
}

/** The status a heading carries (`PHASE 1 - COMPLETE`, `✅ Track A`, `Build (DONE)`), if any. */
export function headingStatus(text: string): boolean {
  const o = opening(text);
  if (o.leadStatus) return true;
  return headingParts(text.slice(o.at)).status !== undefined;
}

/** The short name of a pipeline group heading (`Pipeline A (ps)` → `ps`, `Track B` → `b`). */
export function groupAlias(title: string): string | undefined {
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

/** The phase number a text names (`… Phase 3 …`). */
export function phaseNumberIn(s: string): number | undefined {
  const m = /\bphase[\s_-]*(\d+)\b/i.exec(s);
  return m ? Number(m[1]) : undefined;
}

