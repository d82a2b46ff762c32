/**
 * Drawing a dashboard from the model in the style of the existing one (`renderDashboard`), and the
 * explicit redraw that replaces the whole drawing (`redrawDashboard`). Pure; imported through
 * `index.ts` by anyone.
 */
import type { Dialect, Status, TextEdit, Tracker } from '../model';
import { splitStatus, spellStatus, statusEmoji } from '../status';
import { displayWidth, padEndDisplay } from '../width';
import { findAnchors } from './anchors';
import { progressOf, type PhaseProgress, type Progress } from './progress';
import { phaseKindsOf } from './read';
import { isRule, linesOf, stripBorders, styleOf, UNDERLINE, V_OF, type DashStyle } from './style';

function bar(style: DashStyle, percent: number): string {
  const n = Math.max(0, Math.min(style.barLen, Math.round((percent / 100) * style.barLen)));
  const b = style.full.repeat(n) + style.empty.repeat(style.barLen - n);
  return style.brackets ? `[${b}]` : b;
}

/** The file's own word for a status (`complete`, `DONE`, `IN PROGRESS`), without its emoji. */
function statusWord(dialect: Dialect, s: Status): string {
  const learned = dialect.spelling[s];
  const p = learned ? splitStatus(learned) : undefined;
  if (p && p.status === s && p.word && /\p{L}/u.test(p.word)) return p.word;
  return spellStatus(dialect, s, 'PENDING');
}

function statusText(dialect: Dialect, style: DashStyle, s: Status): string {
  if (style.emoji) return dialect.emoji[s] ?? statusEmoji(s);
  return statusWord(dialect, s);
}

/** `Phase 2`, or the section's own label (`Wave 2`, `Track B`) when phases are such sections. */
function phaseLabel(ph: PhaseProgress): string {
  return ph.phase?.kind && ph.phase.label ? ph.phase.label.replace(/\s+/g, ' ').trim() : `Phase ${ph.number}`;
}

function barrierText(dialect: Dialect, style: DashStyle, s: Status): string {
  const word = statusWord(dialect, s);
  return style.emoji ? `${word} ${dialect.emoji[s] ?? statusEmoji(s)}` : word;
}

function pipelineTitle(label: string): string {
  const up = label.replace(/\s+/g, ' ').trim().toUpperCase();
  return /\b(PIPELINE|TRACK|STREAM|WAVE|SPIKE)\b/.test(up) ? up : `${up} PIPELINE`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts to `max` display columns by whole graphemes, so an emoji or a ZWJ sequence is never split. */
function shortTitle(t: string, max: number): string {
  const s = t.replace(/\s+/g, ' ').replace(/[—–]\s*$/, '').trim();
  if (displayWidth(s) <= max) return s;
  let out = '';
  for (const { segment } of graphemes.segment(s)) {
    if (displayWidth(out + segment) > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

/**
 * Lines of the drawing the model does not draw (quality gates, risks, a status line, a footer):
 * blocks with no phase, barrier or overall line whole, and the unmapped lines of the other blocks.
 */
function unmodelled(text: string | undefined, style: DashStyle, phaseKinds: ReadonlySet<string>): string[] {
  if (!text) return [];
  const lines = linesOf(text);
  const titles = new Set(style.titles);
  const drawn = (raw: string): boolean => findAnchors(raw, new Set(), phaseKinds).some((a) => a.kind === 'phase' || a.kind === 'barrier' || a.kind === 'overall');
  const blocks: string[][] = [];
  let cur: { raw: string; c: string }[] = [];
  const close = (): void => {
    if (!cur.length) return;
    const modelled = cur.some((l) => drawn(l.raw));
    const keep = cur.filter((l, i) => {
      if (titles.has(l.c.trim())) return false;
      if (!modelled) return true;
      // Inside a drawn block: what it does not draw, minus the section titles the redraw writes anew.
      const next = cur[i + 1]?.c.trim() ?? '';
      return !drawn(l.raw) && !UNDERLINE.test(l.c.trim()) && !UNDERLINE.test(next);
    });
    if (keep.length) blocks.push(keep.map((l) => l.c));
    cur = [];
  };
  for (const raw of lines) {
    const t = raw.trim();
    if (t === '' || isRule(t, style.box) || stripBorders(raw, style.box).trim() === '') {
      close();
      continue;
    }
    cur.push({ raw, c: stripBorders(raw, style.box).trimEnd() });
  }
  close();
  return blocks.flatMap((b, i) => (i ? ['', ...b] : b));
}

/** A line of the body; null is a blank line. */
type BodyLine = string | null;

/** Draws the lines of one body: phase lines, section titles underlined in the drawing's rule. */
class Body {
  readonly lines: BodyLine[] = [];
  readonly underline: string;

  constructor(
    private readonly style: DashStyle,
    private readonly dialect: Dialect,
  ) {
    this.underline = style.box === 'double' ? '═' : style.box === 'single' ? '─' : '=';
  }

  push(...l: BodyLine[]): void {
    this.lines.push(...l);
  }

  section(title: string): void {
    this.lines.push(`  ${title}`, `  ${this.underline.repeat(displayWidth(title))}`);
  }

  phaseLine(label: string, percent: number, status: Status): string {
    return `${label} ${bar(this.style, percent)} ${String(percent).padStart(3)}% ${statusText(this.dialect, this.style, status)}`;
  }
}

/** Pipelines side by side when there are two and they fit, else one section each; then shared phases. */
function drawPipelines(b: Body, prog: Progress, inner: number): void {
  const columns = prog.pipelines.map((pl) => {
    const lines: string[] = [];
    for (const ph of prog.phases) {
      const g = ph.byPipeline.get(pl.key);
      if (g) lines.push(b.phaseLine(`${phaseLabel(ph)}:`, g.percent, g.status));
    }
    return { title: pipelineTitle(pl.label), lines };
  });
  const shared = prog.phases.filter((ph) => ph.byPipeline.size === 0);
  const colWidth = Math.max(...columns.flatMap((c) => [c.title, ...c.lines].map(displayWidth))) + 4;
  if (columns.length === 2 && 2 + colWidth * 2 <= Math.max(inner, 2 + colWidth * 2)) {
    const [l, r] = columns;
    b.push(`  ${padEndDisplay(l.title, colWidth)}${r.title}`);
    b.push(`  ${padEndDisplay(b.underline.repeat(displayWidth(l.title)), colWidth)}${b.underline.repeat(displayWidth(r.title))}`);
    const n = Math.max(l.lines.length, r.lines.length);
    for (let i = 0; i < n; i++) b.push(`  ${padEndDisplay(l.lines[i] ?? '', colWidth)}${r.lines[i] ?? ''}`.trimEnd());
  } else {
    columns.forEach((c, i) => {
      if (i > 0) b.push(null);
      b.section(c.title);
      for (const l of c.lines) b.push(`  ${l}`);
    });
  }
  if (shared.length) {
    b.push(null);
    b.section('CROSS-PIPELINE');
    for (const ph of shared) b.push(`  ${b.phaseLine(`${phaseLabel(ph)}:`, ph.percent, ph.status)}`);
  }
}

function drawPhases(b: Body, prog: Progress): void {
  const labels = prog.phases.map((ph) => (ph.title ? `${phaseLabel(ph)} (${shortTitle(ph.title, 28)}):` : `${phaseLabel(ph)}:`));
  const w = Math.max(...labels.map(displayWidth));
  prog.phases.forEach((ph, i) => b.push(`  ${b.phaseLine(padEndDisplay(labels[i], w), ph.percent, ph.status)}`));
}

function drawBarriers(b: Body, prog: Progress, style: DashStyle, dialect: Dialect): void {
  b.push(null);
  b.section('SYNC BARRIERS');
  for (const x of prog.barriers) {
    const s = x.status ?? x.derived ?? 'PENDING';
    const percent = s === 'COMPLETE' ? 100 : s === 'IN_PROGRESS' ? 50 : 0;
    b.push(`  Barrier ${x.number}: ${bar(style, percent)} ${barrierText(dialect, style, s)}`);
  }
}

/** The body lines: phases (per pipeline when there are pipelines), barriers, overall, what is kept. */
function drawBody(tracker: Tracker, style: DashStyle): BodyLine[] {
  const prog = progressOf(tracker);
  const b = new Body(style, tracker.dialect);
  b.push(null);
  if (prog.pipelines.length >= 2) drawPipelines(b, prog, style.inner);
  else if (prog.phases.length) drawPhases(b, prog);
  if (prog.barriers.length) drawBarriers(b, prog, style, tracker.dialect);
  b.push(null);
  const counts = prog.agents.total ? `  (${prog.agents.done}/${prog.agents.total} agents${prog.barriers.length ? `, ${prog.barriersCount.done}/${prog.barriersCount.total} barriers` : ''})` : '';
  b.push(`  Overall Progress: ${bar(style, prog.overallPercent)} ${prog.overallPercent}%${counts}`);
  b.push(null);
  // What the model cannot draw stays, below the redrawn part.
  const kept = unmodelled(tracker.dashboard?.text, style, phaseKindsOf(tracker));
  if (kept.length) {
    for (const k of kept) b.push(k === '' ? null : k);
    b.push(null);
  }
  return b.lines;
}

/** The box around the body, with the title lines centred at its top. */
function frame(style: DashStyle, titles: readonly string[], body: readonly BodyLine[]): string[] {
  const contentWidth = Math.max(...body.map((l) => (l === null ? 0 : displayWidth(l) + 2)), ...titles.map((t) => displayWidth(t) + 4));
  const W = Math.max(style.inner, contentWidth);
  const v = V_OF[style.box];
  const centre = (t: string): string => ' '.repeat(Math.max(0, Math.floor((W - displayWidth(t)) / 2))) + t;
  // Without a box there is no border to keep clear of: no left margin either.
  const row = (content: string): string => (style.box === 'none' ? content.replace(/^ {2}/, '').trimEnd() : `${v}${padEndDisplay(content, W)}${v}`);
  const heads = titles.map((t) => row(centre(t)));
  const rule = (l: string, c: string, r: string): string => `${l}${c.repeat(W)}${r}`;
  const out: string[] = [];
  switch (style.box) {
    case 'double':
      out.push(rule('╔', '═', '╗'), ...heads, rule('╠', '═', '╣'));
      break;
    case 'single':
      out.push(rule('┌', '─', '┐'), ...heads, rule('├', '─', '┤'));
      break;
    case 'ascii':
      out.push(rule('+', style.asciiRule, '+'), ...heads, rule('+', style.asciiRule, '+'));
      break;
    case 'none':
      out.push(...titles, '='.repeat(Math.max(...titles.map(displayWidth))));
      break;
  }
  for (const l of body) out.push(row(l ?? ''));
  if (style.box === 'double') out.push(rule('╚', '═', '╝'));
  else if (style.box === 'single') out.push(rule('└', '─', '┘'));
  else if (style.box === 'ascii') out.push(rule('+', style.asciiRule, '+'));
  return out;
}

/**
 * The new content of the dashboard block (the lines between the fences, joined with the file's
 * line ending, no trailing newline), drawn in the style of the existing block.
 */
export function renderDashboard(tracker: Tracker): string {
  const style = styleOf(tracker.dashboard?.text);
  const body = drawBody(tracker, style);
  // Title lines are the author's; a `Status:` among them follows the header's workflow status.
  const wf = tracker.workflowStatus?.raw.trim();
  const titles = style.titles.length ? style.titles.map((t) => (wf ? t.replace(/^(Status:\s*)\S.*$/i, `$1${wf}`) : t)) : ['ORCHESTRATION EXECUTION STATUS'];
  return frame(style, titles, body)
    .map((l) => (l === '' ? l : style.indent + l))
    .join(tracker.eol);
}

/**
 * The explicit redraw ("Worktracker: Redraw Dashboard…"): the whole drawing from the model, in
 * the file's style, keeping its title lines; sections it cannot model are kept below the redrawn
 * part. Undefined when there is no dashboard or the model has no units to draw from.
 */
export function redrawDashboard(tracker: Tracker): TextEdit | undefined {
  const d = tracker.dashboard;
  if (!d || tracker.agents.length === 0) return undefined;
  let text = renderDashboard(tracker);
  const old = tracker.text.slice(d.contentRange.start.offset, d.contentRange.end.offset);
  // Keep whatever line-ending convention the content range has at its end.
  if (/\r?\n$/.test(old)) text += tracker.eol;
  return text === old ? undefined : { file: tracker.file, range: d.contentRange, newText: text };
}
