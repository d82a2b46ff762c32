/**
 * Sync: brings the derived values in line with the tables by editing only their value spans
 * (dashboard figures, bars and statuses, re-padded so columns and borders stay put; the metrics
 * table; ORCHESTRATION.yaml's metrics; the timestamps). Lossless: never adds or removes a line,
 * never touches text outside a value. Pure; imported through `index.ts` by anyone (`syncDerived`).
 */
import type { TextEdit, Tracker } from '../model';
import { LineIndex } from '../text';
import { isFinished, spellDerived } from '../status';
import { displayWidth } from '../width';
import { dateFormatOf, dateText, yamlSet } from '../edits';
import { valueSpans, type Span } from './anchors';
import { metricsTableEdits, yamlMetricEdits } from './metrics';
import { judgeDashboard, type Fix, type Problem } from './read';
import { EMPTY_CHARS, FULL_CHARS, linesOf, styleOf, V_OF, type DashStyle } from './style';

function refill(run: string, percent: number, style: DashStyle): string {
  const chars = [...run];
  const full = chars.find((c) => FULL_CHARS.includes(c)) ?? style.full;
  const empty = chars.find((c) => EMPTY_CHARS.includes(c)) ?? style.empty;
  const n = Math.max(0, Math.min(chars.length, Math.round((percent / 100) * chars.length)));
  return full.repeat(n) + empty.repeat(chars.length - n);
}

/** How many cells of a bar are filled. */
function filled(run: string): number {
  return [...run].filter((c) => FULL_CHARS.includes(c)).length;
}

/**
 * Replaces spans in a line and keeps everything after each change at its display column: the
 * width gained or lost is taken from the next gap of two or more spaces, or the padding before the
 * box's right border. Never adds or removes a line, never touches text outside the spans.
 */
function spliceLine(line: string, spans: readonly Span[], border: string): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start).filter((s, i, all) => i === 0 || s.start >= all[i - 1].end);
  const borderAt = border && line.trimEnd().endsWith(border) ? line.trimEnd().length - border.length : -1;
  let out = '';
  let pos = 0;
  let delta = 0; // display columns gained so far and not yet given back
  const gapRe = / {2,}| +(?=\S*$)/g;
  const absorb = (upto: number): void => {
    // Copy line[pos, upto) while giving back `delta` in its gaps.
    let seg = line.slice(pos, upto);
    if (delta !== 0) {
      gapRe.lastIndex = 0;
      let done = '';
      let rest = seg;
      for (let m = gapRe.exec(rest); m && delta !== 0; m = gapRe.exec(rest)) {
        const beforeBorder = borderAt >= 0 && pos + done.length + m.index + m[0].length === borderAt;
        if (m[0].length < 2 && !beforeBorder) continue;
        const keep = Math.max(1, m[0].length - Math.max(0, delta));
        const len = delta < 0 ? m[0].length - delta : keep;
        delta -= m[0].length - len;
        done += rest.slice(0, m.index) + ' '.repeat(len);
        rest = rest.slice(m.index + m[0].length);
        gapRe.lastIndex = 0;
      }
      seg = done + rest;
    }
    out += seg;
    pos = upto;
  };
  for (const s of sorted) {
    absorb(s.start);
    const grow = displayWidth(s.text) - displayWidth(line.slice(s.start, s.end));
    if (s.right && grow !== 0) {
      const pad = /( +)$/.exec(out)?.[1].length ?? 0;
      if (pad >= 1 && (grow < 0 || pad >= 2)) {
        const take = grow > 0 ? Math.min(grow, pad - 1) : grow;
        out = out.slice(0, out.length - pad) + ' '.repeat(pad - take);
        delta -= take;
      }
    }
    out += s.text;
    delta += displayWidth(s.text) - displayWidth(line.slice(s.start, s.end));
    pos = s.end;
  }
  absorb(line.length);
  return out;
}


/** The spans one problem's fix rewrites in its line (indices into the line). */
function fixSpans(tracker: Tracker, line: string, f: Fix, style: DashStyle): Span[] {
  const [s0, s1] = f.scope;
  if (f.counts && f.counts.length && f.counts[0].total === -1) {
    // A bare counter (`Blocked: 8`): the scope is the number itself.
    return [{ start: s0, end: s1, text: String(f.counts[0].want) }];
  }
  const spans: Span[] = [];
  const v = valueSpans(line.slice(s0, s1));
  const at = (s: Span, text: string, right = false): void => {
    if (text !== s.text) spans.push({ start: s0 + s.start, end: s0 + s.end, text, right });
  };
  let barPercent: number | undefined;
  if (f.percent !== undefined && v.percent) {
    at(v.percent, String(f.percent), true);
    barPercent = f.percent;
  }
  if (f.status !== undefined && v.status) at(v.status, spellDerived(tracker.dialect, f.status, v.status.text));
  if (f.status !== undefined && !v.percent && v.bar) {
    // A bar without a figure (`Barrier 1: ████████████ ✅`) follows the status: full when done.
    const full = filled(v.bar.text) === [...v.bar.text].length;
    if (isFinished(f.status) !== full) barPercent = isFinished(f.status) ? 100 : f.status === 'IN_PROGRESS' ? 50 : 0;
  }
  if (barPercent !== undefined && v.bar) at(v.bar, refill(v.bar.text, barPercent, style));
  for (const c of f.counts ?? []) {
    const span = v.counts.find((k) => k.done === c.done && k.total === c.total);
    if (span) at(span, String(c.want));
  }
  return spans;
}

/** The smallest [a, b) trim of `line` -> `next`: how many code units agree at the start and at the end. */
function changedPart(line: string, next: string): { a: number; b: number } {
  let a = 0;
  while (a < line.length && a < next.length && line[a] === next[a]) a++;
  let b = 0;
  while (b < line.length - a && b < next.length - a && line[line.length - 1 - b] === next[next.length - 1 - b]) b++;
  // Never split a surrogate pair at either end of the range.
  if (a > 0 && /[\uD800-\uDBFF]/.test(line[a - 1])) a--;
  if (b > 0 && /[\uDC00-\uDFFF]/.test(line[line.length - b])) b--;
  return { a, b };
}

/** The span edits that bring the dashboard's values in line with the model (sure problems only). */
function dashboardEdits(tracker: Tracker): TextEdit[] {
  const d = tracker.dashboard;
  if (!d) return [];
  const problems = judgeDashboard(tracker).filter((p) => p.sure && p.fix);
  if (problems.length === 0) return [];
  const style = styleOf(d.text);
  const lines = linesOf(d.text);
  const ix = new LineIndex(tracker.text);
  const first = d.contentRange.start.line;
  const out: TextEdit[] = [];
  const byLine = new Map<number, Problem[]>();
  for (const p of problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  for (const [li, ps] of byLine) {
    const line = lines[li];
    const spans = ps.flatMap((p) => fixSpans(tracker, line, p.fix!, style));
    if (spans.length === 0) continue;
    const next = spliceLine(line, spans, V_OF[style.box]);
    if (next === line) continue;
    // The smallest range that covers the change, so nothing else in the line is rewritten.
    const { a, b } = changedPart(line, next);
    const start = (li === 0 ? d.contentRange.start.offset : ix.lineStarts[first + li]) + a;
    out.push({ file: tracker.file, range: ix.range(start, start + line.length - a - b), newText: next.slice(a, next.length - b) });
  }
  return out;
}

/** `Last Updated` moves to today (in its own format) when the markdown's values changed. */
function lastUpdatedEdits(tracker: Tracker, now: Date): TextEdit[] {
  const lu = tracker.lastUpdated;
  if (!lu) return [];
  const m = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?/.exec(lu.value);
  if (!m) return [];
  const newDate = dateText({ now }, [m[0]], 'date');
  if (newDate === m[0]) return [];
  const ix = new LineIndex(tracker.text);
  const start = lu.range.start.offset + lu.value.indexOf(m[0]);
  return [{ file: tracker.file, range: ix.range(start, start + m[0].length), newText: newDate }];
}

/** `metrics.execution` and, when they changed, `workflow.updated_at` in the YAML. */
function yamlEdits(tracker: Tracker, now: Date): TextEdit[] {
  if (!tracker.yaml) return [];
  const ym = yamlMetricEdits(tracker);
  const u = tracker.yaml.workflow.updated_at;
  if (!ym.length || !u || !(typeof u.value === 'string' || u.value === null)) return ym;
  const sample = typeof u.value === 'string' && dateFormatOf(u.value) ? [u.value] : [];
  return [...ym, ...yamlSet(tracker, u, dateText({ now }, sample, 'iso'))];
}

/**
 * Brings the dashboard's values, the metrics table and `Last Updated` in line with the tables, by
 * editing value spans in place; [] when nothing the model is sure of is stale. A tracker with no
 * recognised units is never rewritten. Each file's timestamp moves only when that file's values did.
 */
export function syncDerived(tracker: Tracker, opts?: { now?: Date }): TextEdit[] {
  const now = opts?.now ?? new Date();
  const edits = tracker.agents.length > 0 ? [...dashboardEdits(tracker), ...metricsTableEdits(tracker)] : [];
  if (edits.length) edits.push(...lastUpdatedEdits(tracker, now));
  edits.push(...yamlEdits(tracker, now));
  return edits;
}
