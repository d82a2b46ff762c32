/**
 * A small pure reader of the lines of a fenced dashboard: which phase, barrier or gate a line is
 * about and the status it shows (`Phase 2: [██████████] ✅ COMPLETE (4/4 files)`,
 * `║ Barrier 1: ✅ COMPLETE ║`, `QG-2 ........ PASS`). Used only to fill in statuses written nowhere
 * else; never for edits (the dashboard module owns the drawing). Used by `statuses.ts` and tests.
 */
import { splitStatus } from '../status';
import type { Status } from '../model';

export interface DashboardLine {
  kind: 'phase' | 'barrier' | 'gate';
  /** Phase or barrier number; for a lettered track (`Track B`) its position (B = 2). */
  number?: number;
  /** Gate id as written (`QG-2`, `G-FINAL`), upper case. */
  id?: string;
  /** `track`, `wave`, … for phase-like sections, as in `Phase.kind`. */
  phaseKind?: string;
  status: Status;
  /** The status text as drawn (the status core, e.g. `✅ COMPLETE`). */
  raw: string;
  /** 0-based line in the file. */
  line: number;
}

const FRAME = /^[\s║│|+┃╟╠╞├*#>-]+|[\s║│|+┃╢╣╡┤*]+$/g;

/** Reads every line of a dashboard's content; `firstLine` is the 0-based file line of its first line. */
export function readDashboardLines(content: string, firstLine: number): DashboardLine[] {
  const out: DashboardLine[] = [];
  const lines = content.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const l = readDashboardLine(raw, firstLine + i);
    if (l) out.push(l);
  });
  return out;
}

export function readDashboardLine(raw: string, line: number): DashboardLine | undefined {
  const text = raw.replace(FRAME, '').trim();
  if (!text) return undefined;
  let kind: DashboardLine['kind'];
  let number: number | undefined;
  let id: string | undefined;
  let phaseKind: string | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(?:[^\p{L}\d]*\s*)?phase[\s_-]*(\d+)\b/iu.exec(text))) {
    kind = 'phase';
    number = Number(m[1]);
  } else if ((m = /^(?:[^\p{L}\d]*\s*)?(track|wave|stream|spike|lane)[\s_-]+([A-Za-z]|\d+)\b/iu.exec(text))) {
    kind = 'phase';
    phaseKind = m[1].toLowerCase();
    number = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2].toUpperCase().charCodeAt(0) - 64;
  } else if ((m = /^(?:[^\p{L}\d]*\s*)?(?:sync\s+)?barrier[\s_-]*(\d+)\b/iu.exec(text))) {
    kind = 'barrier';
    number = Number(m[1]);
  } else if ((m = /^(?:[^\p{L}\d]*\s*)?((?:qg|gate|g)-?(?:\d+|final)|quality\s+gate\s+\d+)(?![\w-])/iu.exec(text))) {
    kind = 'gate';
    id = m[1].toUpperCase().replace(/^QUALITY\s+GATE\s+/, 'QG-');
  } else return undefined;
  let rest = text.slice(m.index + m[0].length);
  // The status follows the bar (`[████░░] 40%`), else the label's separator.
  const bar = /\[[^\]]*\]/.exec(rest);
  if (bar) rest = rest.slice(bar.index + bar[0].length);
  else {
    const sep = /^[^:—–]*?[:—–]\s*/.exec(rest);
    if (sep && !/[\p{Extended_Pictographic}]/u.test(rest.slice(0, sep.index + sep[0].length - 1))) rest = rest.slice(sep[0].length);
    else rest = rest.replace(/^[\s.·:_-]+/, '');
  }
  rest = rest.replace(/^[\s.·:_|-]+/, '');
  let p = splitStatus(rest);
  if (p.status === 'UNKNOWN') {
    // After a name (`Phase 2: Build ✅ COMPLETE`): the first emoji or upper-case status word.
    const re = /\s(?=\S)/g;
    for (let mm = re.exec(rest); mm; mm = re.exec(rest)) {
      const tail = rest.slice(mm.index + 1);
      const q = splitStatus(tail);
      if (q.status === 'UNKNOWN' || q.start !== 0) continue;
      if (!q.emoji && q.word !== q.word?.toUpperCase()) continue;
      // A status closing the line (`… ✅ COMPLETE (4/4)`), not a word of a title (`(MUST COMPLETE FIRST)`).
      if (!/^\s*(?:$|\([^)]*\)\s*$|\d)/.test(tail.slice(q.end)) || /\(\s*$/.test(rest.slice(0, mm.index + 1))) continue;
      rest = tail;
      p = q;
      break;
    }
    if (p.status === 'UNKNOWN') return undefined;
  }
  // The status must open what follows (or follow only bar counts like `4/4`), not sit in prose.
  const lead = rest.slice(0, p.start);
  if (lead.replace(/[\s*_`()\d/%.,]/g, '') !== '') return undefined;
  const out: DashboardLine = { kind, status: p.status, raw: rest.slice(p.start, p.end), line };
  if (number !== undefined) out.number = number;
  if (id !== undefined) out.id = id;
  if (phaseKind !== undefined) out.phaseKind = phaseKind;
  return out;
}
