/**
 * Derived state of a Tracker: the dashboard drawing and the execution-metrics table. Both repeat
 * what the agent tables and headings already say, so they drift; this module measures progress
 * from the model, judges the drawn numbers semantically, and redraws / rewrites only what is stale.
 */
import type { Agent, Cell, Dialect, Phase, Range, Row, Status, TextEdit, Tracker, YamlScalar } from './model';
import { LineIndex } from './text';
import { splitStatus, spellStatus, statusEmoji, toStatus } from './status';
import { displayWidth, padEndDisplay } from './width';
import { _dateText, _formatOf, _tableEdits, _yamlSet } from './edits';

// ---------------------------------------------------------------- progress from the model

export interface Count {
  done: number;
  total: number;
}

export interface PipelineProgress {
  /** Normalised key (`ps`, `pipeline a`). */
  key: string;
  /** Label as first written in a group title (`ps-*`, `Pipeline A`). */
  label: string;
  tokens: Set<string>;
}

export interface PhaseProgress {
  number: number;
  title: string;
  phase?: Phase;
  agents: Agent[];
  count: Count;
  percent: number;
  /** Status derived from the agents (the heading's when the phase has none). */
  status: Status;
  /** The heading's own status, when it has one. */
  headingStatus?: Status;
  /** Per pipeline key: that pipeline's share of the phase. */
  byPipeline: Map<string, { agents: Agent[]; count: Count; percent: number; status: Status }>;
}

export interface Progress {
  pipelines: PipelineProgress[];
  phases: PhaseProgress[];
  barriers: { number: number; title: string; status?: Status; derived?: Status }[];
  /** Unique agents (by id) and how many are in each status. */
  agents: Count & { byStatus: Partial<Record<Status, number>> };
  /** Phases counted once each, and once per pipeline group (both conventions are used). */
  phasesFlat: Count;
  /** Phases whose heading says COMPLETE (derived status when a heading has none). */
  phasesByHeading: Count;
  phasesByPipeline: Count;
  barriersCount: Count;
  /** Artifact checklist items (phase and barrier lists) ticked / listed. */
  artifacts: Count;
  /** Artifacts named by agent rows and barrier hand-offs: done when their producer is. */
  produced: Count;
  overallPercent: number;
}

const DONE: ReadonlySet<Status> = new Set<Status>(['COMPLETE', 'SKIPPED', 'CANCELLED']);

function pct(c: Count): number {
  return c.total === 0 ? 0 : Math.round((100 * c.done) / c.total);
}

function countOf(agents: readonly Agent[]): Count {
  return { done: agents.filter((a) => DONE.has(a.status.status)).length, total: agents.length };
}

/** What a set of agents says about the work they make up. */
function deriveStatus(agents: readonly Agent[], fallback: Status | undefined): Status {
  if (agents.length === 0) return fallback ?? 'PENDING';
  const s = agents.map((a) => a.status.status);
  if (s.every((x) => DONE.has(x))) return 'COMPLETE';
  if (s.some((x) => x === 'IN_PROGRESS')) return 'IN_PROGRESS';
  if (s.some((x) => x === 'FAILED')) return 'FAILED';
  if (s.some((x) => DONE.has(x))) return 'IN_PROGRESS';
  if (s.some((x) => x === 'BLOCKED')) return 'BLOCKED';
  if (s.every((x) => x === 'READY')) return 'READY';
  return 'PENDING';
}

const STOP = new Set(['pipeline', 'pipelines', 'track', 'stream', 'the', 'phase', 'agents', 'agent', 'and']);

function tokensOf(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((t) => t !== '' && !STOP.has(t)),
  );
}

/** Pipeline a group belongs to: its alias, else the title text before `Phase N`. */
function pipelineOfGroup(title: string, alias: string | undefined): { key: string; label: string } | undefined {
  const m = /^(.*?)\bphase\s*\d+/i.exec(title);
  const prefix = m ? m[1].replace(/[\s:—–-]+$/, '').trim() : '';
  if (alias) return { key: alias.toLowerCase(), label: prefix || alias };
  if (!prefix) return undefined;
  const key = prefix.replace(/\([^)]*\)/g, '').replace(/[*\s]+/g, ' ').trim().toLowerCase();
  return key ? { key, label: prefix.replace(/\s*\([^)]*\)\s*$/, '') } : undefined;
}

function uniqueAgents(agents: readonly Agent[]): Agent[] {
  const seen = new Set<string>();
  const out: Agent[] = [];
  for (const a of agents) {
    const k = a.id.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}

/** A Tracker is immutable once parsed, so its progress is computed once (sync asks several times). */
const progressCache = new WeakMap<Tracker, Progress>();

export function progressOf(tracker: Tracker): Progress {
  let p = progressCache.get(tracker);
  if (!p) {
    p = computeProgress(tracker);
    progressCache.set(tracker, p);
  }
  return p;
}

function computeProgress(tracker: Tracker): Progress {
  // Pipelines: group keys that recur over phases (a one-off `Stream A` split is not a pipeline).
  const seen = new Map<string, { label: string; phases: Set<number>; tokens: Set<string> }>();
  for (const p of tracker.phases) {
    for (const g of p.groups) {
      const k = pipelineOfGroup(g.title, g.alias);
      if (!k) continue;
      const e = seen.get(k.key) ?? { label: k.label, phases: new Set<number>(), tokens: new Set<string>() };
      e.phases.add(p.number);
      const m = /^(.*?)\bphase\s*\d+/i.exec(g.title);
      for (const t of tokensOf(m ? m[1] : g.title)) e.tokens.add(t);
      if (g.alias) e.tokens.add(g.alias.toLowerCase());
      seen.set(k.key, e);
    }
  }
  const multiPhase = tracker.phases.length > 1;
  let pipelines: PipelineProgress[] = [...seen]
    .filter(([, v]) => !multiPhase || v.phases.size > 1)
    .map(([key, v]) => ({ key, label: v.label, tokens: v.tokens }));
  if (pipelines.length < 2) pipelines = [];

  const phases: PhaseProgress[] = tracker.phases.map((p) => {
    const agents = uniqueAgents(p.agents);
    const count = countOf(agents);
    const headingStatus = p.status?.status;
    const status = agents.length ? deriveStatus(agents, headingStatus) : headingStatus ?? 'PENDING';
    const byPipeline = new Map<string, { agents: Agent[]; count: Count; percent: number; status: Status }>();
    for (const g of p.groups) {
      const k = pipelineOfGroup(g.title, g.alias);
      if (!k || !pipelines.some((x) => x.key === k.key)) continue;
      const prev = byPipeline.get(k.key)?.agents ?? [];
      const ga = uniqueAgents([...prev, ...g.agents]);
      const c = countOf(ga);
      byPipeline.set(k.key, { agents: ga, count: c, percent: ga.length ? pct(c) : percentOfStatus(status), status: deriveStatus(ga, headingStatus) });
    }
    return {
      number: p.number,
      title: p.title,
      phase: p,
      agents,
      count,
      percent: agents.length ? pct(count) : percentOfStatus(status),
      status,
      headingStatus,
      byPipeline,
    };
  });

  const barriers = tracker.barriers.map((b) => {
    const ds = b.directions.map((d) => d.status?.status).filter((s): s is Status => !!s);
    let derived: Status | undefined;
    if (ds.length) {
      if (ds.every((s) => DONE.has(s))) derived = 'COMPLETE';
      else if (ds.some((s) => DONE.has(s) || s === 'IN_PROGRESS')) derived = 'IN_PROGRESS';
      else derived = ds.includes('BLOCKED') ? 'BLOCKED' : 'PENDING';
    }
    return { number: b.number, title: b.title, status: b.status?.status, derived };
  });

  const all = uniqueAgents(workAgents(tracker));
  const byStatus: Partial<Record<Status, number>> = {};
  for (const a of all) byStatus[a.status.status] = (byStatus[a.status.status] ?? 0) + 1;
  const agents = { ...countOf(all), byStatus };

  const phasesFlat: Count = { done: phases.filter((p) => p.status === 'COMPLETE').length, total: phases.length };
  // What the headings say, for files whose phase rows lag (or lead) their agents.
  const phasesByHeading: Count = { done: phases.filter((p) => (p.headingStatus ?? p.status) === 'COMPLETE').length, total: phases.length };
  const phasesByPipeline: Count = { done: 0, total: 0 };
  for (const p of phases) {
    if (p.byPipeline.size === 0) {
      phasesByPipeline.total++;
      if (p.status === 'COMPLETE') phasesByPipeline.done++;
    } else {
      for (const g of p.byPipeline.values()) {
        phasesByPipeline.total++;
        if (g.status === 'COMPLETE') phasesByPipeline.done++;
      }
    }
  }
  const barrierDone = (b: (typeof barriers)[number]): boolean => (b.status ?? b.derived) === 'COMPLETE';
  const barriersCount: Count = { done: barriers.filter(barrierDone).length, total: barriers.length };

  const lists = [...tracker.phases.flatMap((p) => p.checklist), ...tracker.barriers.flatMap((b) => b.checklist)].filter((c) => c.artifact);
  const artifacts: Count = { done: lists.filter((c) => c.checked).length, total: lists.length };
  // Second convention: one artifact per agent that names one, plus one per barrier hand-off.
  const produced: Count = { done: 0, total: 0 };
  for (const a of all) {
    if (a.artifacts.length === 0 && (!a.artifactCell || /^[-—–\s]*$/.test(a.artifactCell.text))) continue;
    produced.total++;
    if (DONE.has(a.status.status)) produced.done++;
  }
  for (const b of tracker.barriers) {
    for (const d of b.directions) {
      if (!d.artifact && d.artifacts.length === 0) continue;
      produced.total++;
      if (d.status && DONE.has(d.status.status)) produced.done++;
    }
  }

  const overallPercent = agents.total ? pct(agents) : phasesFlat.total ? pct(phasesFlat) : 0;
  return { pipelines, phases, barriers, agents, phasesFlat, phasesByHeading, phasesByPipeline, barriersCount, artifacts, produced, overallPercent };
}

/**
 * The agents that make up the work: those under a phase when the file has phases (a coverage or
 * summary table elsewhere repeats them under other ids), else every agent row.
 */
function workAgents(tracker: Tracker): Agent[] {
  return tracker.agents.some((a) => a.phase !== undefined) ? tracker.agents.filter((a) => a.phase !== undefined) : tracker.agents;
}

function percentOfStatus(s: Status): number {
  return DONE.has(s) ? 100 : 0;
}

// ---------------------------------------------------------------- dashboard style

type BoxKind = 'double' | 'single' | 'ascii' | 'none';

interface DashStyle {
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

const FULL_CHARS = '█▓▒■#=*';
const EMPTY_CHARS = '░·._-';
const BAR_RE = /(\[?)([█▓▒■#=*]*[░·._-]*)(\]?)\s*(\d{1,3})\s?%/gu;
const STATUS_EMOJI_RE = /[✅⏳🔄❌🔒⬜🚫⚠⛔🟡🟢🔴✔]/u;

function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

function mostCommonNum(values: readonly number[]): number | undefined {
  const m = new Map<number, number>();
  let best: number | undefined;
  let n = 0;
  for (const v of values) {
    const c = (m.get(v) ?? 0) + 1;
    m.set(v, c);
    if (c > n || (c === n && best !== undefined && v > best)) {
      best = v;
      n = c;
    }
  }
  return best;
}

const V_OF: Record<BoxKind, string> = { double: '║', single: '│', ascii: '|', none: '' };

function styleOf(text: string | undefined): DashStyle {
  const lines = text ? linesOf(text).filter((l) => l.trim() !== '') : [];
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
    const w = mostCommonNum(full.map((l) => displayWidth(l) - 2));
    inner = w ?? Math.max(20, displayWidth(first) - 2);
  } else if (lines.length) {
    inner = Math.max(40, ...lines.map((l) => displayWidth(l.trimEnd())));
  }
  // Bars: characters and length from the bars that carry a percentage.
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
  const barLen = mostCommonNum(lens) ?? 12;
  // Title block: the lines between the top border and the first rule.
  const titles: string[] = [];
  if (lines.length) {
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
  }
  return {
    box,
    asciiRule,
    inner,
    indent,
    full: full ?? '█',
    empty: empty ?? '░',
    barLen: Math.max(4, Math.min(40, barLen)),
    brackets: bracketed > lens.length / 2,
    emoji: !text || text.trim() === '' || STATUS_EMOJI_RE.test(text),
    titles,
  };
}

function isRule(line: string, box: BoxKind): boolean {
  if (box === 'double') return /^[╔╠╚][═]+[╗╣╝]?$/.test(line);
  if (box === 'single') return /^[┌├└][─]+[┐┤┘]?$/.test(line);
  if (box === 'ascii') return /^\+[=-]+\+?$/.test(line);
  return /^[=═─-]{5,}$/.test(line);
}

function stripBorders(line: string, box: BoxKind): string {
  let t = line.trim();
  const v = V_OF[box];
  if (v && t.startsWith(v)) t = t.slice(v.length);
  if (v && t.endsWith(v)) t = t.slice(0, -v.length);
  return t;
}

// ---------------------------------------------------------------- rendering

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
  const v = V_OF[style.box];
  const UNDERLINE = /^[=═─-]{3,}(\s+[=═─-]{3,})*$/;
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
    let c = t;
    if (v && c.startsWith(v)) c = c.slice(v.length);
    if (v && c.endsWith(v)) c = c.slice(0, -v.length);
    cur.push({ raw, c: c.trimEnd() });
  }
  close();
  return blocks.flatMap((b, i) => (i ? ['', ...b] : b));
}

/**
 * The new content of the dashboard block (the lines between the fences, joined with the file's
 * line ending, no trailing newline), drawn in the style of the existing block.
 */
export function renderDashboard(tracker: Tracker): string {
  const style = styleOf(tracker.dashboard?.text);
  const prog = progressOf(tracker);
  const dialect = tracker.dialect;
  const underlineChar = style.box === 'double' ? '═' : style.box === 'single' ? '─' : '=';
  const body: (string | null)[] = []; // null = blank line
  const section = (title: string): void => {
    body.push(`  ${title}`, `  ${underlineChar.repeat(displayWidth(title))}`);
  };
  const phaseLine = (label: string, percent: number, status: Status): string =>
    `${label} ${bar(style, percent)} ${String(percent).padStart(3)}% ${statusText(dialect, style, status)}`;

  body.push(null);
  if (prog.pipelines.length >= 2) {
    const columns = prog.pipelines.map((pl) => {
      const lines: string[] = [];
      for (const ph of prog.phases) {
        const g = ph.byPipeline.get(pl.key);
        if (g) lines.push(phaseLine(`${phaseLabel(ph)}:`, g.percent, g.status));
      }
      return { title: pipelineTitle(pl.label), lines };
    });
    const shared = prog.phases.filter((ph) => ph.byPipeline.size === 0);
    const colWidth = Math.max(...columns.flatMap((c) => [c.title, ...c.lines].map(displayWidth))) + 4;
    if (columns.length === 2 && 2 + colWidth * 2 <= Math.max(style.inner, 2 + colWidth * 2)) {
      const [a, b] = columns;
      body.push(`  ${padEndDisplay(a.title, colWidth)}${b.title}`);
      body.push(`  ${padEndDisplay(underlineChar.repeat(displayWidth(a.title)), colWidth)}${underlineChar.repeat(displayWidth(b.title))}`);
      const n = Math.max(a.lines.length, b.lines.length);
      for (let i = 0; i < n; i++) body.push(`  ${padEndDisplay(a.lines[i] ?? '', colWidth)}${b.lines[i] ?? ''}`.trimEnd());
    } else {
      columns.forEach((c, i) => {
        if (i > 0) body.push(null);
        section(c.title);
        for (const l of c.lines) body.push(`  ${l}`);
      });
    }
    if (shared.length) {
      body.push(null);
      section('CROSS-PIPELINE');
      for (const ph of shared) body.push(`  ${phaseLine(`${phaseLabel(ph)}:`, ph.percent, ph.status)}`);
    }
  } else if (prog.phases.length) {
    const labels = prog.phases.map((ph) => (ph.title ? `${phaseLabel(ph)} (${shortTitle(ph.title, 28)}):` : `${phaseLabel(ph)}:`));
    const w = Math.max(...labels.map(displayWidth));
    prog.phases.forEach((ph, i) => body.push(`  ${phaseLine(padEndDisplay(labels[i], w), ph.percent, ph.status)}`));
  }
  if (prog.barriers.length) {
    body.push(null);
    section('SYNC BARRIERS');
    for (const b of prog.barriers) {
      const s = b.status ?? b.derived ?? 'PENDING';
      const percent = s === 'COMPLETE' ? 100 : s === 'IN_PROGRESS' ? 50 : 0;
      body.push(`  Barrier ${b.number}: ${bar(style, percent)} ${barrierText(dialect, style, s)}`);
    }
  }
  body.push(null);
  const counts = prog.agents.total ? `  (${prog.agents.done}/${prog.agents.total} agents${prog.barriers.length ? `, ${prog.barriersCount.done}/${prog.barriersCount.total} barriers` : ''})` : '';
  body.push(`  Overall Progress: ${bar(style, prog.overallPercent)} ${prog.overallPercent}%${counts}`);
  body.push(null);
  // What the model cannot draw stays, below the redrawn part.
  const kept = unmodelled(tracker.dashboard?.text, style, phaseKindsOf(tracker));
  if (kept.length) {
    for (const k of kept) body.push(k === '' ? null : k);
    body.push(null);
  }

  // Title lines are the author's; a `Status:` among them follows the header's workflow status.
  const wf = tracker.workflowStatus?.raw.trim();
  const titles = style.titles.length ? style.titles.map((t) => (wf ? t.replace(/^(Status:\s*)\S.*$/i, `$1${wf}`) : t)) : ['ORCHESTRATION EXECUTION STATUS'];
  const contentWidth = Math.max(...body.map((l) => (l === null ? 0 : displayWidth(l) + 2)), ...titles.map((t) => displayWidth(t) + 4));
  const W = Math.max(style.inner, contentWidth);
  const v = V_OF[style.box];
  const centre = (t: string): string => {
    const left = Math.max(0, Math.floor((W - displayWidth(t)) / 2));
    return ' '.repeat(left) + t;
  };
  // Without a box there is no border to keep clear of: no left margin either.
  const row = (content: string): string => (style.box === 'none' ? content.replace(/^ {2}/, '').trimEnd() : `${v}${padEndDisplay(content, W)}${v}`);
  const out: string[] = [];
  const ind = style.indent;
  switch (style.box) {
    case 'double':
      out.push(`╔${'═'.repeat(W)}╗`, ...titles.map((t) => row(centre(t))), `╠${'═'.repeat(W)}╣`);
      break;
    case 'single':
      out.push(`┌${'─'.repeat(W)}┐`, ...titles.map((t) => row(centre(t))), `├${'─'.repeat(W)}┤`);
      break;
    case 'ascii':
      out.push(`+${style.asciiRule.repeat(W)}+`, ...titles.map((t) => row(centre(t))), `+${style.asciiRule.repeat(W)}+`);
      break;
    case 'none':
      out.push(...titles.map((t) => t), '='.repeat(Math.max(...titles.map(displayWidth))));
      break;
  }
  for (const l of body) out.push(row(l ?? ''));
  if (style.box === 'double') out.push(`╚${'═'.repeat(W)}╝`);
  else if (style.box === 'single') out.push(`└${'─'.repeat(W)}┘`);
  else if (style.box === 'ascii') out.push(`+${style.asciiRule.repeat(W)}+`);
  return out.map((l) => (l === '' ? l : ind + l)).join(tracker.eol);
}

// ---------------------------------------------------------------- reading a drawn dashboard

type Kind = 'phase' | 'barrier' | 'overall' | 'total' | 'agent' | 'token' | 'other';

interface Anchor {
  kind: Kind;
  num?: number;
  id?: string;
  /** What a `total` anchor counts when its label names it (`Agents: 4/8 complete`). */
  noun?: string;
  start: number;
  end: number;
  /** Display column where the anchor starts (for two-column layouts). */
  col: number;
}

interface Section {
  /** 'pipeline' with a key, or what the section counts. */
  kind: 'pipeline' | 'barriers' | 'agents' | 'gates' | 'other';
  key?: string;
  col: number;
}

function parenDepthAt(s: string): number[] {
  const d: number[] = [];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    d.push(depth);
    if (s[i] === ')') depth = Math.max(0, depth - 1);
  }
  return d;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Agent ids as they appear in a line: word-like tokens looked up in the id set (no giant regex). */
const ID_TOKEN = /[A-Za-z0-9][\w.-]*[A-Za-z0-9]/g;

function findAnchors(line: string, agentIds: ReadonlySet<string>, phaseKinds: ReadonlySet<string> = new Set()): Anchor[] {
  const depth = parenDepthAt(line);
  const found: Anchor[] = [];
  const add = (kind: Kind, m: RegExpExecArray, extra: Partial<Anchor> = {}): void => {
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

interface Shown {
  percent?: number;
  status?: Status;
  counts: { done: number; total: number; noun?: string }[];
  hasValue: boolean;
}

/** Values in the text after an anchor's label: percent, `N/M` counts, a status word. */
function readValues(scope: string): Shown {
  const counts: Shown['counts'] = [];
  for (const m of scope.matchAll(/(?<![\d.])(\d+)\s*\/\s*(\d+)(?![\d.])(?:\s+([a-z]+))?/gi)) {
    counts.push({ done: Number(m[1]), total: Number(m[2]), noun: m[3]?.toLowerCase() });
  }
  // The label ends at its first top-level colon, or where the drawing (bar, percent) begins.
  const depth = parenDepthAt(scope);
  let labelEnd = -1;
  for (let i = 0; i < scope.length; i++) {
    if (scope[i] === ':' && depth[i] === 0) {
      labelEnd = i + 1;
      break;
    }
  }
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

type Cls = 'done' | 'active' | 'waiting' | 'failed';

function cls(s: Status | undefined): Cls | undefined {
  switch (s) {
    case 'COMPLETE':
      return 'done';
    case 'IN_PROGRESS':
      return 'active';
    case 'PENDING':
    case 'READY':
    case 'BLOCKED':
      return 'waiting';
    case 'FAILED':
      return 'failed';
    default:
      return undefined;
  }
}

/**
 * True when a shown status agrees with any of the model's statuses for the element. Only "done"
 * against "not done" is judged: whether work not yet done is drawn waiting, active or failed
 * (`0% ⏳` for a phase whose first agent just started) is the author's convention, not a fact.
 */
function statusAgrees(shown: Status | undefined, model: readonly (Status | undefined)[]): boolean {
  const c = cls(shown);
  if (!c) return true;
  const ms = model.map(cls).filter((x): x is Cls => !!x);
  return ms.length === 0 || ms.some((m) => (m === 'done') === (c === 'done'));
}

function percentAgrees(shown: number | undefined, c: Count, tolerance = 1): boolean {
  if (shown === undefined || c.total === 0) return true;
  if (c.done === c.total) return shown === 100;
  if (c.done === 0) return shown === 0;
  return shown > 0 && shown < 100 && Math.abs(shown - (100 * c.done) / c.total) <= tolerance;
}

function percentAgreesStatus(shown: number | undefined, s: Status | undefined): boolean {
  if (shown === undefined || !s) return true;
  if (DONE.has(s)) return shown === 100;
  if (s === 'IN_PROGRESS') return shown < 100;
  return shown < 100;
}

function sectionOf(title: string, prog: Progress, index: number, columns: number): Section['kind'] | { key: string } {
  const t = title.toLowerCase();
  if (/barrier/.test(t)) return 'barriers';
  if (/\bgates?\b|quality|score/.test(t)) return 'gates';
  if (/^agents?\b/.test(t.trim())) return 'agents';
  const tokens = tokensOf(title);
  const hits = prog.pipelines.filter((p) => [...p.tokens].some((x) => tokens.has(x)));
  if (hits.length === 1) return { key: hits[0].key };
  if (columns === prog.pipelines.length && columns >= 2) return { key: prog.pipelines[index].key };
  return 'other';
}

/** Only when every phase is such a section, so `Stream A` in a file with `Phase N` headings stays a pipeline. */
function phaseKindsOf(tracker: Tracker): Set<string> {
  return new Set(tracker.phases.length && tracker.phases.every((p) => p.kind) ? tracker.phases.map((p) => p.kind as string) : []);
}

/** Percentage points an overall figure may be off (rounding, floor vs round) before it is stale. */
const OVERALL_TOLERANCE = 1.5;

/** What a value on a dashboard line should become; only the fields set are rewritten. */
interface Fix {
  /** Where the anchor's values sit in the line: [start, end) of its scope. */
  scope: [number, number];
  percent?: number;
  status?: Status;
  /** `n/m` counts to rewrite: the shown pair and the done count it should show. */
  counts?: { done: number; total: number; want: number }[];
}

interface Problem {
  /** 0-based line within the dashboard content. */
  line: number;
  message: string;
  /**
   * The model is sure of the value: the reader found the units behind it. An unsure problem is
   * reported (as information) but never written.
   */
  sure: boolean;
  fix?: Fix;
}

/** Status lines the reader found but did not read as units (set by the reader when it knows). */
function unreadLines(tracker: Tracker): readonly { line: number }[] {
  return (tracker as { coverage?: { unread?: readonly { line: number }[] } }).coverage?.unread ?? [];
}

/** Compares every value the dashboard draws with the model, line by line. */
function judgeDashboard(tracker: Tracker): Problem[] {
  const d = tracker.dashboard;
  // With no units recognised there is nothing to judge by: "0% done" would be a claim about the
  // reader, not the work. The coverage display says what was not understood.
  if (!d || d.text.trim() === '' || tracker.agents.length === 0) return [];
  const prog = progressOf(tracker);
  const style = styleOf(d.text);
  const agentIds = new Set(
    uniqueAgents(tracker.agents)
      .map((a) => a.id.toLowerCase())
      .filter((id) => id.length >= 3),
  );
  const agentById = new Map(uniqueAgents(tracker.agents).map((a) => [a.id.toLowerCase(), a]));
  // A name listed once per phase with different statuses has no one value to draw.
  const ambiguous = new Set<string>();
  for (const a of tracker.agents) {
    const first = agentById.get(a.id.toLowerCase());
    if (first && first !== a && cls(first.status.status) !== cls(a.status.status)) ambiguous.add(a.id.toLowerCase());
  }
  const lines = linesOf(d.text);
  const phaseKinds = phaseKindsOf(tracker);
  let sections: Section[] = [];
  let sectionLines = 0;
  const problems: Problem[] = [];

  // How sure the model is: units found at all, per phase, and nothing status-like left unread.
  const unread = unreadLines(tracker);
  const anyUnits = tracker.agents.length > 0;
  const phaseSure = (ph: PhaseProgress | undefined, agents: readonly Agent[]): boolean =>
    anyUnits &&
    agents.length > 0 &&
    (!ph?.phase || !unread.some((u) => u.line >= ph.phase!.range.start.line && u.line <= ph.phase!.range.end.line));
  const overallSure = anyUnits && unread.length === 0 && prog.phases.every((p) => p.agents.length > 0);

  const plus = (a: Count, b: Count): Count => ({ done: a.done + b.done, total: a.total + b.total });
  const overallCandidates = [
    prog.agents,
    prog.phasesFlat,
    prog.phasesByPipeline,
    plus(prog.agents, prog.barriersCount),
    prog.phasesByHeading,
    plus(prog.phasesFlat, prog.barriersCount),
    plus(prog.phasesByPipeline, prog.barriersCount),
  ].filter((c) => c.total > 0);
  // The mean of the per-phase percentages is a third way authors compute "overall".
  const phaseMean = prog.phases.length ? prog.phases.reduce((n, p) => n + p.percent, 0) / prog.phases.length : undefined;

  const checkCount = (li: number, scope: [number, number], c: { done: number; total: number; noun?: string }, fallbackNoun: string | undefined, label: string): void => {
    const noun = (c.noun ?? fallbackNoun ?? '').replace(/s$/, '');
    let model: Count[] = [];
    let strict = true;
    if (noun === 'agent') model = [prog.agents];
    else if (noun === 'task') {
      // "Tasks" may or may not be the agent rows: only judge when the totals say they are.
      model = [prog.agents];
      strict = false;
    } else if (noun === 'phase') model = [prog.phasesFlat, prog.phasesByPipeline, prog.phasesByHeading];
    else if (noun === 'barrier') model = [prog.barriersCount];
    else return;
    model = model.filter((m) => m.total > 0);
    if (!model.length) return;
    if (!strict && !model.some((m) => m.total === c.total)) return;
    if (!model.some((m) => m.done === c.done && m.total === c.total)) {
      // Another total means another set (planned agents, tasks outside the tables): judge done only.
      if (!model.some((m) => m.total === c.total) && (!strict || model.some((m) => m.done === c.done))) return;
      const same = model.find((m) => m.total === c.total);
      // Only a count of the same set can be corrected; another set is reported, never rewritten.
      problems.push({
        line: li,
        message: `${label} shows ${c.done}/${c.total} ${noun}s, the tables say ${(same ?? model[0]).done}/${(same ?? model[0]).total}`,
        sure: !!same && overallSure,
        fix: same ? { scope, counts: [{ done: c.done, total: c.total, want: same.done }] } : undefined,
      });
    }
  };

  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li];
    const content = stripBorders(raw, style.box);
    const trimmed = content.trim();
    if (trimmed === '' || isRule(raw.trim(), style.box)) {
      // A blank line after some content closes the section (`QUALITY GATES` does not own `Overall`).
      if (sectionLines > 0) sections = [];
      continue;
    }
    sectionLines++;
    // A section title is a line underlined by the next one (`PS PIPELINE` / `===========`).
    const next = li + 1 < lines.length ? stripBorders(lines[li + 1], style.box).trim() : '';
    if (/^[=═─-]{3,}(\s+[=═─-]{3,})*$/.test(next) && !/^[=═─-]+$/.test(trimmed)) {
      const offset = raw.indexOf(content);
      const parts = [...content.matchAll(/\S+(?: \S+)*/g)];
      sections = parts.map((m, i) => {
        const kind = sectionOf(m[0], prog, i, parts.length);
        const col = displayWidth(raw.slice(0, offset + m.index));
        return typeof kind === 'string' ? { kind, col } : { kind: 'pipeline', key: kind.key, col };
      });
      sectionLines = 0;
      li++;
      continue;
    }
    const anchors = findAnchors(raw, agentIds, phaseKinds);
    if (anchors.length === 0) continue;
    for (let ai = 0; ai < anchors.length; ai++) {
      const a = anchors[ai];
      let scopeEnd = ai + 1 < anchors.length ? anchors[ai + 1].start : raw.length;
      // Trailing border belongs to the box, not to the value.
      if (style.box !== 'none') {
        const b = new RegExp(`${escapeRe(V_OF[style.box])}\\s*$`).exec(raw.slice(a.end, scopeEnd));
        if (b) scopeEnd = a.end + b.index;
      }
      const scope = raw.slice(a.end, scopeEnd);
      const span: [number, number] = [a.end, scopeEnd];
      const shown = readValues(scope);
      // Two labels side by side (`EN-031 Phase 2:`) name one thing we cannot map: skip both.
      const prev = anchors[ai - 1];
      const prevScope = prev ? raw.slice(prev.end, a.start) : '';
      if (prev && !readValues(prevScope).hasValue && /^[\s:()\w.&+,/'-]*$/.test(prevScope) && !/\s{2,}/.test(prevScope)) continue;
      const next2 = anchors[ai + 1];
      if (next2 && !shown.hasValue && !/\s{2,}/.test(scope)) continue;
      const sec = [...sections].reverse().find((s) => s.col <= a.col + 2) ?? sections[0];
      if (sec?.kind === 'gates' && a.kind !== 'overall') continue;
      const label = raw.slice(a.start, a.end).trim();
      const report = (message: string, sure: boolean, fix?: Omit<Fix, 'scope'>): void => {
        problems.push({ line: li, message, sure, fix: fix ? { scope: span, ...fix } : undefined });
      };
      switch (a.kind) {
        case 'phase': {
          const ph = prog.phases.find((p) => p.number === a.num);
          if (!ph) break;
          const g = sec?.kind === 'pipeline' && sec.key ? ph.byPipeline.get(sec.key) : undefined;
          const count = g ? g.count : ph.count;
          const units = g ? g.agents : ph.agents;
          const statuses: (Status | undefined)[] = g ? [g.status, ph.headingStatus] : [ph.status, ph.headingStatus];
          // A failed run among finished ones reads as "failed" to some authors and "in progress"
          // (to be retried) to others; both agree with the tables.
          if (units.some((x) => x.status.status === 'FAILED')) statuses.push('FAILED', 'IN_PROGRESS');
          const hasAgents = units.length > 0;
          const where = g && sec?.key ? ` (${prog.pipelines.find((p) => p.key === sec.key)?.label ?? sec.key})` : '';
          const pctOk = hasAgents ? percentAgrees(shown.percent, count) : percentAgreesStatus(shown.percent, ph.status);
          const statusOk = statusAgrees(shown.status, statuses);
          const sure = phaseSure(ph, units);
          // A percent that is rewritten takes its status along when the two would disagree on done-ness.
          const statusFollows = !pctOk && hasAgents && cls(shown.status) !== undefined && (cls(shown.status) === 'done') !== (cls(statuses[0]) === 'done');
          const fix = { percent: pctOk || !hasAgents ? undefined : pct(count), status: statusOk && !statusFollows ? undefined : statuses[0] };
          if (!pctOk) report(`${label}${where} shows ${shown.percent}%, the tables say ${hasAgents ? `${count.done}/${count.total} agents complete` : ph.status}`, sure, fix);
          else if (!statusOk) report(`${label}${where} shows ${shown.status}, the tables say ${statuses[0]}`, sure, fix);
          for (const c of shown.counts) if (c.noun) checkCount(li, span, c, undefined, label);
          break;
        }
        case 'barrier': {
          const b = prog.barriers.find((x) => x.number === a.num);
          if (!b) break;
          const s = b.status ?? b.derived;
          const statusOk = statusAgrees(shown.status, [b.status, b.derived]);
          const pctOk = percentAgreesStatus(shown.percent, s);
          const fix = { status: statusOk ? undefined : s, percent: pctOk || !s ? undefined : DONE.has(s) ? 100 : 0 };
          if (!statusOk) report(`${label} shows ${shown.status}, the tracker says ${s}`, anyUnits && !!s, fix);
          else if (!pctOk) report(`${label} shows ${shown.percent}%, the tracker says ${s}`, anyUnits && !!s, fix);
          break;
        }
        case 'overall': {
          let fix: Omit<Fix, 'scope'> = {};
          let message: string | undefined;
          if (shown.percent !== undefined) {
            const shownPct = shown.percent;
            // Any of the usual ways to count "overall" will do, each judged like a phase percent.
            // 0% and 100% are claims about every agent, so the agent rows decide those when there are any.
            const extreme = (shownPct === 0 || shownPct === 100) && prog.agents.total > 0;
            const ok = extreme
              ? percentAgrees(shownPct, prog.agents)
              : overallCandidates.some((c) => percentAgrees(shownPct, c, OVERALL_TOLERANCE)) ||
              (phaseMean !== undefined && shownPct > 0 && shownPct < 100 && Math.abs(shownPct - phaseMean) <= OVERALL_TOLERANCE);
            if (!ok) {
              message = `${label} shows ${shown.percent}%, the tables say ${prog.overallPercent}% (${prog.agents.done}/${prog.agents.total} agents)`;
              fix = { percent: prog.overallPercent };
            }
          }
          const implied = overallCandidates.map((c): Status => (c.done === c.total ? 'COMPLETE' : c.done === 0 ? 'PENDING' : 'IN_PROGRESS'));
          if (shown.status && !statusAgrees(shown.status, [...implied, tracker.workflowStatus?.status])) {
            message ??= `${label} shows ${shown.status}`;
            fix = { ...fix, status: implied[0] };
          }
          if (message) report(message, overallSure, fix);
          for (const c of shown.counts) checkCount(li, span, c, undefined, label);
          break;
        }
        case 'total': {
          const noun = a.noun ?? (sec?.kind === 'agents' ? 'agents' : undefined);
          // A trailing word that is not a noun (`4/8 complete`) leaves the label's noun in charge.
          for (const c of shown.counts) checkCount(li, span, a.noun && c.noun && !/^(agent|task|phase|barrier)s?$/.test(c.noun) ? { ...c, noun: undefined } : c, noun, label);
          break;
        }
        case 'agent': {
          const ag = agentById.get(a.id ?? '');
          if (!ag) break;
          const c = countOf([ag]);
          const sure = !ambiguous.has(ag.id.toLowerCase());
          const pctOk = percentAgrees(shown.percent, c);
          const statusOk = statusAgrees(shown.status, [ag.status.status]);
          const fix = { percent: pctOk ? undefined : pct(c), status: statusOk ? undefined : ag.status.status };
          if (!pctOk) report(`${ag.id} shows ${shown.percent}%, its row says ${ag.status.status}`, sure, fix);
          else if (!statusOk) report(`${ag.id} shows ${shown.status}, its row says ${ag.status.status}`, sure, fix);
          break;
        }
        case 'token': {
          const agents = agentsOfToken(tracker, a.id ?? '');
          if (!agents) break;
          const c = countOf(agents);
          const pctOk = percentAgrees(shown.percent, c);
          const bad = shown.counts.filter((k) => k.total === c.total && k.done !== c.done);
          if (!pctOk || bad.length) {
            const msg = !pctOk ? `${label} shows ${shown.percent}%, the tables say ${c.done}/${c.total} complete` : `${label} shows ${bad[0].done}/${bad[0].total}, the tables say ${c.done}/${c.total}`;
            report(msg, anyUnits, { percent: pctOk ? undefined : pct(c), counts: bad.map((k) => ({ done: k.done, total: k.total, want: c.done })) });
          }
          break;
        }
        default:
          break;
      }
    }
  }
  // Agent status counters in an AGENTS block.
  for (let li = 0; li < lines.length; li++) {
    const content = stripBorders(lines[li], style.box);
    if (!/\b(?:active|blocked|pending|failed)\s*:\s*\d+/i.test(content)) continue;
    const sec = sectionAtLine(lines, li, style.box);
    if (!sec || !/^agents?\b/i.test(sec)) continue;
    // Counters only mean something for the same set of agents: a `Total: 6/20` must match ours.
    const total = /(?<![\d.])\d+\s*\/\s*(\d+)(?![\d.])/.exec(content);
    if (!total || Number(total[1]) !== prog.agents.total) continue;
    for (const m of lines[li].matchAll(/\b(active|in[ _]progress|running|blocked|pending|failed)\s*:\s*(\d+)\b/gi)) {
      const word = m[1].toLowerCase();
      const n = Number(m[2]);
      const bs = prog.agents.byStatus;
      const expected =
        word === 'blocked' ? bs.BLOCKED ?? 0 : word === 'pending' ? (bs.PENDING ?? 0) + (bs.READY ?? 0) : word === 'failed' ? bs.FAILED ?? 0 : bs.IN_PROGRESS ?? 0;
      const alt = word === 'pending' ? bs.PENDING ?? 0 : expected;
      if (n !== expected && n !== alt) {
        const at = m.index! + m[0].length - m[2].length;
        problems.push({ line: li, message: `${m[1]}: ${n} agents, the tables say ${expected}`, sure: overallSure, fix: { scope: [at, at + m[2].length], counts: [{ done: n, total: -1, want: expected }] } });
      }
    }
  }
  return problems;
}

/** Judges a drawn dashboard by the numbers and statuses it shows, against the model. */
export function isDashboardStale(tracker: Tracker): { stale: boolean; reason?: string; sure?: boolean } {
  const problems = judgeDashboard(tracker);
  if (problems.length === 0) return { stale: false };
  const msgs = problems.map((p) => p.message);
  const reason = msgs.slice(0, 3).join('; ') + (msgs.length > 3 ? ` (+${msgs.length - 3} more)` : '');
  return { stale: true, reason, sure: problems.some((p) => p.sure && p.fix) };
}

// ---------------------------------------------------------------- value spans of a line

interface Span {
  start: number;
  end: number;
  text: string;
  /** A figure padded on its left (` 50%` under `100%`): width changes are taken from that padding first. */
  right?: boolean;
}

const BAR_CORE = /[█▓▒■░]/u;

/** The bar, percent, status and `n/m` spans in an anchor's scope (indices into `scope`). */
function valueSpans(scope: string): { bar?: Span; percent?: Span; status?: Span; counts: (Span & { done: number; total: number })[] } {
  const depth = parenDepthAt(scope);
  let from = 0;
  for (let i = 0; i < scope.length; i++) {
    if (scope[i] === ':' && depth[i] === 0) {
      from = i + 1;
      break;
    }
  }
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
    const spans: Span[] = [];
    for (const p of ps) {
      const f = p.fix!;
      const [s0, s1] = f.scope;
      const scope = line.slice(s0, s1);
      if (f.counts && f.counts.length && f.counts[0].total === -1) {
        // A bare counter (`Blocked: 8`): the scope is the number itself.
        spans.push({ start: s0, end: s1, text: String(f.counts[0].want) });
        continue;
      }
      const v = valueSpans(scope);
      const at = (s: Span, text: string, right = false): void => {
        if (text !== s.text) spans.push({ start: s0 + s.start, end: s0 + s.end, text, right });
      };
      let barPercent: number | undefined;
      if (f.percent !== undefined && v.percent) {
        at(v.percent, String(f.percent), true);
        barPercent = f.percent;
      }
      if (f.status !== undefined && v.status) at(v.status, spellStatus(tracker.dialect, f.status, v.status.text));
      if (f.status !== undefined && !v.percent && v.bar) {
        // A bar without a figure (`Barrier 1: ████████████ ✅`) follows the status: full when done.
        const full = filled(v.bar.text) === [...v.bar.text].length;
        if (DONE.has(f.status) !== full) barPercent = DONE.has(f.status) ? 100 : f.status === 'IN_PROGRESS' ? 50 : 0;
      }
      if (barPercent !== undefined && v.bar) at(v.bar, refill(v.bar.text, barPercent, style));
      for (const c of f.counts ?? []) {
        const span = v.counts.find((k) => k.done === c.done && k.total === c.total);
        if (span) at(span, String(c.want));
      }
    }
    if (spans.length === 0) continue;
    const next = spliceLine(line, spans, V_OF[style.box]);
    if (next === line) continue;
    // The smallest range that covers the change, so nothing else in the line is rewritten.
    let a = 0;
    while (a < line.length && a < next.length && line[a] === next[a]) a++;
    let b = 0;
    while (b < line.length - a && b < next.length - a && line[line.length - 1 - b] === next[next.length - 1 - b]) b++;
    // Never split a surrogate pair at either end of the range.
    if (a > 0 && /[\uD800-\uDBFF]/.test(line[a - 1])) a--;
    if (b > 0 && /[\uDC00-\uDFFF]/.test(line[line.length - b])) b--;
    const start = (li === 0 ? d.contentRange.start.offset : ix.lineStarts[first + li]) + a;
    out.push({ file: tracker.file, range: ix.range(start, start + line.length - a - b), newText: next.slice(a, next.length - b) });
  }
  return out;
}

function sectionAtLine(lines: readonly string[], li: number, box: BoxKind): string | undefined {
  for (let i = li - 1; i > 0; i--) {
    const t = stripBorders(lines[i], box).trim();
    if (/^[=═─-]{3,}$/.test(t)) return stripBorders(lines[i - 1], box).trim();
  }
  return undefined;
}

/** Agents of the one group (or phase) whose title names `token` (`TASK-002`, `EN-027`). */
function agentsOfToken(tracker: Tracker, token: string): Agent[] | undefined {
  const re = new RegExp(`(?<![\\w-])${escapeRe(token)}(?![\\w-])`, 'i');
  const groups = tracker.phases.flatMap((p) => p.groups).filter((g) => re.test(g.title) && g.agents.length);
  if (groups.length === 1) return uniqueAgents(groups[0].agents);
  if (groups.length > 1) return undefined;
  const phases = tracker.phases.filter((p) => re.test(p.title) && p.agents.length);
  if (phases.length === 1) return uniqueAgents(phases[0].agents);
  return undefined;
}

// ---------------------------------------------------------------- metrics table

type MetricKind = 'phases' | 'barriers' | 'agents' | 'artifacts';

function metricKind(name: string): MetricKind | undefined {
  const n = name.replace(/[*_`]/g, '').trim().toLowerCase();
  if (/^phases?\s+(complete|completed|done)\b/.test(n)) return 'phases';
  if (/^barriers?\s+(complete|completed|done|passed)\b/.test(n)) return 'barriers';
  if (/^agents?\s+(executed|complete|completed|done|run)\b/.test(n)) return 'agents';
  if (/^artifacts?\s+(created|complete|completed|done|produced)\b/.test(n)) return 'artifacts';
  return undefined;
}

interface MetricCheck {
  name: string;
  expected: string;
  actual: string;
  range: Range;
  value: Cell;
  status?: Cell;
  done: number;
  total: number;
  sure: boolean;
}

const COUNT_RE = /(?<![\d.])(\d+)(\s*\/\s*)(\d+)(?![\d.])/;

function metricChecks(tracker: Tracker): MetricCheck[] {
  const m = tracker.metrics;
  if (!m) return [];
  const prog = progressOf(tracker);
  const out: MetricCheck[] = [];
  const nameCol = m.table.columns.metric ?? 0;
  const valueCol = m.table.columns.value;
  for (const r of m.rows) {
    const nameCell = r.row.cells[nameCol] ?? r.cells.metric;
    const value = (valueCol !== undefined ? r.row.cells[valueCol] : undefined) ?? r.cells.value;
    if (!nameCell || !value) continue;
    const kind = metricKind(nameCell.text);
    if (!kind) continue;
    const cm = COUNT_RE.exec(value.text);
    if (!cm) continue;
    const shown = { done: Number(cm[1]), total: Number(cm[3]) };
    const qualifier = /\(([^)]*)\)/.exec(nameCell.text)?.[1]?.trim().toLowerCase();
    let candidates: Count[];
    if (kind === 'phases') {
      const pl = qualifier && !/^(total|all|overall)$/.test(qualifier) ? prog.pipelines.find((p) => p.tokens.has(qualifier) || p.key === qualifier) : undefined;
      if (qualifier && !/^(total|all|overall)$/.test(qualifier)) {
        if (!pl) continue;
        const gs = prog.phases.map((p) => p.byPipeline.get(pl.key)).filter((g) => !!g);
        candidates = [{ done: gs.filter((g) => g!.status === 'COMPLETE').length, total: gs.length }];
      } else {
        candidates = prog.pipelines.length ? [prog.phasesByPipeline, prog.phasesFlat, prog.phasesByHeading] : [prog.phasesFlat, prog.phasesByPipeline, prog.phasesByHeading];
      }
    } else if (qualifier && !/^(total|all|overall)$/.test(qualifier)) {
      continue;
    } else if (kind === 'barriers') candidates = [prog.barriersCount];
    else if (kind === 'agents') candidates = [prog.agents];
    else candidates = [prog.artifacts, prog.produced];
    candidates = candidates.filter((c) => c.total > 0);
    if (!candidates.length) continue;
    if (candidates.some((c) => c.done === shown.done && c.total === shown.total)) continue;
    // Authors count different sets (planned agents, one artifact per file or per agent). With another
    // total the row counts another set: only a different done count is then a finding, and
    // artifacts, counted too many ways, are judged only against a count of the same set.
    const sameSet = candidates.filter((c) => c.total === shown.total);
    if (candidates.some((c) => c.done === shown.done) || (kind === 'artifacts' && sameSet.length === 0)) continue;
    const best = sameSet[0] ?? candidates[0];
    // A count of another set (the table's 4 barriers, our 5) is reported, never rewritten.
    const sure = sameSet.length > 0;
    const expected = value.text.replace(COUNT_RE, `${best.done}$2${best.total}`);
    const statusCol = m.table.columns.status;
    out.push({
      name: nameCell.text,
      expected,
      actual: value.text,
      range: value.range,
      value,
      status: statusCol !== undefined ? r.row.cells[statusCol] : undefined,
      done: best.done,
      total: best.total,
      sure,
    });
  }
  return out;
}

export function isMetricsStale(tracker: Tracker): { stale: boolean; rows: { name: string; expected: string; actual: string; range: Range }[] } {
  const rows = metricChecks(tracker).map(({ name, expected, actual, range }) => ({ name, expected, actual, range }));
  return { stale: rows.length > 0, rows };
}

/** A Status cell that is only a function of the count (`🟡 50%`, `40%`, `COMPLETE`, `✅`) is rewritten. */
function derivedStatusText(tracker: Tracker, current: string, done: number, total: number): string | undefined {
  const p = total === 0 ? 0 : Math.round((100 * done) / total);
  const state: Status = done >= total ? 'COMPLETE' : done === 0 ? 'PENDING' : 'IN_PROGRESS';
  const pm = /^(\D*?)(\d{1,3})(\s?%)(.*)$/u.exec(current);
  if (pm) {
    const lead = pm[1].trim();
    let newLead = pm[1];
    if (lead) {
      // An emoji before the percent is the traffic light for that percent.
      const was = toStatus(lead);
      if (was !== 'UNKNOWN' && cls(was) !== cls(state)) newLead = pm[1].replace(lead, tracker.dialect.emoji[state] ?? (state === 'IN_PROGRESS' ? '🟡' : statusEmoji(state)));
    }
    if (pm[4].trim() !== '') return undefined;
    return `${newLead}${p}${pm[3]}`;
  }
  const s = splitStatus(current);
  if (s.status === 'UNKNOWN') return undefined;
  const rest = current.slice(0, s.start) + current.slice(s.end);
  if (rest.replace(/[*_`\s]/g, '') !== '') return undefined;
  if (cls(s.status) === cls(state)) return undefined;
  return spellStatus(tracker.dialect, state, current);
}

// ---------------------------------------------------------------- sync

/**
 * `metrics.execution` counts from the YAML's own records: the YAML is the framework's source of
 * truth, so the markdown's tables are never copied into it (a disagreement is drift, reported).
 */
function yamlMetricEdits(tracker: Tracker): TextEdit[] {
  const y = tracker.yaml;
  if (!y) return [];
  const me = y.metricsExecution;
  const out: TextEdit[] = [];
  const doneIn = (xs: readonly { status?: YamlScalar }[]): number => xs.filter((x) => x.status && typeof x.status.value === 'string' && DONE.has(toStatus(x.status.value))).length;
  const ids = new Map<string, { status?: YamlScalar }>();
  for (const a of y.agents) if (!ids.has(a.id.toLowerCase())) ids.set(a.id.toLowerCase(), a);
  const groups: [string, Count, string[]][] = [
    ['phases', { done: doneIn(y.phases), total: y.phases.length }, ['phases_complete', 'phases_completed']],
    ['barriers', { done: doneIn(y.barriers), total: y.barriers.length }, ['barriers_complete', 'barriers_completed']],
    ['agents', { done: doneIn([...ids.values()]), total: ids.size }, ['agents_executed', 'agents_complete', 'agents_completed']],
  ];
  for (const [name, c, doneKeys] of groups) {
    const total = me[`${name}_total`];
    // Only the same set is comparable: when the YAML counts another total (planned work, items we
    // do not read), its numbers are left alone rather than "corrected" into a different meaning.
    if (!total || typeof total.value !== 'number' || total.value !== c.total || c.total === 0) continue;
    for (const k of doneKeys) {
      const s = me[k];
      if (s && typeof s.value === 'number' && s.value !== c.done) out.push({ file: y.file, range: s.range, newText: String(c.done) });
    }
    const p = me[`${name}_percent`];
    if (p && typeof p.value === 'number' && p.value !== pct(c)) out.push({ file: y.file, range: p.range, newText: String(pct(c)) });
  }
  return out;
}

/**
 * Brings the dashboard's values, the metrics table and `Last Updated` in line with the tables, by
 * editing value spans in place; [] when nothing the model is sure of is stale. A tracker with no
 * recognised units is never rewritten. Each file's timestamp moves only when that file's values did.
 */
export function syncDerived(tracker: Tracker, opts?: { now?: Date }): TextEdit[] {
  const edits: TextEdit[] = [];
  if (tracker.agents.length > 0) {
    edits.push(...dashboardEdits(tracker));
    const checks = metricChecks(tracker).filter((c) => c.sure);
    if (checks.length && tracker.metrics) {
      const changes = checks.map((c) => ({ row: rowOfCell(tracker.metrics!.rows, c.value)!, col: tracker.metrics!.table.columns.value ?? 1, text: c.expected }));
      const statusCol = tracker.metrics.table.columns.status;
      for (const c of checks) {
        if (!c.status || statusCol === undefined) continue;
        const s = derivedStatusText(tracker, c.status.text, c.done, c.total);
        if (s !== undefined && s !== c.status.text) changes.push({ row: rowOfCell(tracker.metrics.rows, c.value)!, col: statusCol, text: s });
      }
      edits.push(...(_tableEdits(tracker, tracker.metrics.table, changes.filter((c) => c.row))));
    }
  }
  const now = opts?.now ?? new Date();
  const lu = tracker.lastUpdated;
  if (edits.length && lu) {
    const m = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?/.exec(lu.value);
    if (m) {
      const newDate = _dateText({ now }, [m[0]], 'date');
      if (newDate !== m[0]) {
        const ix = new LineIndex(tracker.text);
        const start = lu.range.start.offset + lu.value.indexOf(m[0]);
        edits.push({ file: tracker.file, range: ix.range(start, start + m[0].length), newText: newDate });
      }
    }
  }
  if (tracker.yaml) {
    const ym = yamlMetricEdits(tracker);
    edits.push(...ym);
    const u = tracker.yaml.workflow.updated_at;
    if (ym.length && u && (typeof u.value === 'string' || u.value === null)) {
      const sample = typeof u.value === 'string' && _formatOf(u.value) ? [u.value] : [];
      edits.push(..._yamlSet(tracker, u, _dateText({ now }, sample, 'iso')));
    }
  }
  return edits;
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

function rowOfCell(rows: readonly Row[], cell: Cell): Row['row'] | undefined {
  return rows.find((r) => r.row.cells.includes(cell))?.row;
}
