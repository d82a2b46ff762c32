/**
 * Judging a drawn dashboard line by line against the model: each value a line shows (a phase's
 * percent and status, a barrier's, the overall figure, `n/m` counters, an agent's status, the
 * AGENTS block's counters) is compared with the tables, giving problems and the fix a sync may
 * write. Pure; imported by `sync.ts`, and through `index.ts` by anyone (`isDashboardStale`).
 */
import type { Agent, Status, Tracker } from '../model';
import { isFinished, statusClass, type StatusClass } from '../status';
import { firstPerId, idKey } from '../units';
import { displayWidth } from '../width';
import { escapeRe } from '../text';
import { findAnchors, readValues, type Anchor, type Shown } from './anchors';
import { agentsOfToken, countOf, pct, progressOf, tokensOf, type Count, type PhaseProgress, type Progress } from './progress';
import { isRule, linesOf, stripBorders, styleOf, UNDERLINE, V_OF, type DashStyle } from './style';

interface Section {
  /** 'pipeline' with a key, or what the section counts. */
  kind: 'pipeline' | 'barriers' | 'agents' | 'gates' | 'other';
  key?: string;
  col: number;
}

/** What a value on a dashboard line should become; only the fields set are rewritten. */
export interface Fix {
  /** Where the anchor's values sit in the line: [start, end) of its scope. */
  scope: [number, number];
  percent?: number;
  status?: Status;
  /** `n/m` counts to rewrite: the shown pair and the done count it should show. */
  counts?: { done: number; total: number; want: number }[];
}

export interface Problem {
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

/**
 * The class a drawn status is judged by. Dropped and unknown statuses are never judged: they say
 * nothing about whether the work is done.
 */
export function drawnClass(s: Status | undefined): StatusClass | undefined {
  if (!s) return undefined;
  const c = statusClass(s);
  return c === 'dropped' || c === 'unknown' ? undefined : c;
}

/**
 * True when a shown status agrees with any of the model's statuses for the element. Only "done"
 * against "not done" is judged: whether work not yet done is drawn waiting, active or failed
 * (`0% ⏳` for a phase whose first agent just started) is the author's convention, not a fact.
 */
function statusAgrees(shown: Status | undefined, model: readonly (Status | undefined)[]): boolean {
  const c = drawnClass(shown);
  if (!c) return true;
  const ms = model.map(drawnClass).filter((x): x is StatusClass => !!x);
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
  if (isFinished(s)) return shown === 100;
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
export function phaseKindsOf(tracker: Tracker): Set<string> {
  return new Set(tracker.phases.length && tracker.phases.every((p) => p.kind) ? tracker.phases.map((p) => p.kind as string) : []);
}

/** Percentage points an overall figure may be off (rounding, floor vs round) before it is stale. */
const OVERALL_TOLERANCE = 1.5;

/** Status lines the reader found but did not read as units (set by the reader when it knows). */
function unreadLines(tracker: Tracker): readonly { line: number }[] {
  return (tracker as { coverage?: { unread?: readonly { line: number }[] } }).coverage?.unread ?? [];
}

function sectionAtLine(lines: readonly string[], li: number, box: DashStyle['box']): string | undefined {
  for (let i = li - 1; i > 0; i--) {
    const t = stripBorders(lines[i], box).trim();
    if (/^[=═─-]{3,}$/.test(t)) return stripBorders(lines[i - 1], box).trim();
  }
  return undefined;
}

/** One anchor on one line, with what it shows. */
interface At {
  li: number;
  anchor: Anchor;
  shown: Shown;
  sec?: Section;
  label: string;
  span: [number, number];
}

/** Compares every value the dashboard draws with the model, line by line. */
class Judge {
  readonly problems: Problem[] = [];
  private readonly prog: Progress;
  private readonly style: DashStyle;
  private readonly lines: string[];
  private readonly agentIds: Set<string>;
  private readonly agentById: Map<string, Agent>;
  /** A name listed once per phase with different statuses has no one value to draw. */
  private readonly ambiguous = new Set<string>();
  private readonly unread: readonly { line: number }[];
  private readonly anyUnits: boolean;
  /** How sure the model is of the whole: units found everywhere, nothing status-like left unread. */
  private readonly overallSure: boolean;
  private readonly overallCandidates: Count[];
  /** The mean of the per-phase percentages is a third way authors compute "overall". */
  private readonly phaseMean?: number;

  constructor(private readonly tracker: Tracker, text: string) {
    this.prog = progressOf(tracker);
    this.style = styleOf(text);
    this.lines = linesOf(text);
    const first = firstPerId(tracker.agents, idKey);
    this.agentIds = new Set(first.map(idKey).filter((id) => id.length >= 3));
    this.agentById = new Map(first.map((a) => [idKey(a), a]));
    for (const a of tracker.agents) {
      const f = this.agentById.get(idKey(a));
      if (f && f !== a && drawnClass(f.status.status) !== drawnClass(a.status.status)) this.ambiguous.add(idKey(a));
    }
    const prog = this.prog;
    this.unread = unreadLines(tracker);
    this.anyUnits = tracker.agents.length > 0;
    this.overallSure = this.anyUnits && this.unread.length === 0 && prog.phases.every((p) => p.agents.length > 0);
    const plus = (a: Count, b: Count): Count => ({ done: a.done + b.done, total: a.total + b.total });
    this.overallCandidates = [
      prog.agents,
      prog.phasesFlat,
      prog.phasesByPipeline,
      plus(prog.agents, prog.barriersCount),
      prog.phasesByHeading,
      plus(prog.phasesFlat, prog.barriersCount),
      plus(prog.phasesByPipeline, prog.barriersCount),
    ].filter((c) => c.total > 0);
    this.phaseMean = prog.phases.length ? prog.phases.reduce((n, p) => n + p.percent, 0) / prog.phases.length : undefined;
  }

  run(): Problem[] {
    this.readLines();
    this.agentCounters();
    return this.problems;
  }

  private phaseSure(ph: PhaseProgress | undefined, agents: readonly Agent[]): boolean {
    const r = ph?.phase?.range;
    return this.anyUnits && agents.length > 0 && (!r || !this.unread.some((u) => u.line >= r.start.line && u.line <= r.end.line));
  }

  private report(at: At, message: string, sure: boolean, fix?: Omit<Fix, 'scope'>): void {
    this.problems.push({ line: at.li, message, sure, fix: fix ? { scope: at.span, ...fix } : undefined });
  }

  /** Walks the lines: section titles set the column sections, every other line is judged by its anchors. */
  private readLines(): void {
    const { lines, style } = this;
    const phaseKinds = phaseKindsOf(this.tracker);
    let sections: Section[] = [];
    let sectionLines = 0;
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
      if (UNDERLINE.test(next) && !/^[=═─-]+$/.test(trimmed)) {
        sections = this.sectionsOf(raw, content);
        sectionLines = 0;
        li++;
        continue;
      }
      this.judgeLine(li, raw, findAnchors(raw, this.agentIds, phaseKinds), sections);
    }
  }

  private sectionsOf(raw: string, content: string): Section[] {
    const offset = raw.indexOf(content);
    const parts = [...content.matchAll(/\S+(?: \S+)*/g)];
    return parts.map((m, i) => {
      const kind = sectionOf(m[0], this.prog, i, parts.length);
      const col = displayWidth(raw.slice(0, offset + m.index));
      return typeof kind === 'string' ? { kind, col } : { kind: 'pipeline', key: kind.key, col };
    });
  }

  private judgeLine(li: number, raw: string, anchors: Anchor[], sections: readonly Section[]): void {
    for (let ai = 0; ai < anchors.length; ai++) {
      const a = anchors[ai];
      let scopeEnd = ai + 1 < anchors.length ? anchors[ai + 1].start : raw.length;
      // Trailing border belongs to the box, not to the value.
      if (this.style.box !== 'none') {
        const b = new RegExp(`${escapeRe(V_OF[this.style.box])}\\s*$`).exec(raw.slice(a.end, scopeEnd));
        if (b) scopeEnd = a.end + b.index;
      }
      const scope = raw.slice(a.end, scopeEnd);
      const shown = readValues(scope);
      // Two labels side by side (`EN-031 Phase 2:`) name one thing we cannot map: skip both.
      const prev = anchors[ai - 1];
      const prevScope = prev ? raw.slice(prev.end, a.start) : '';
      if (prev && !readValues(prevScope).hasValue && /^[\s:()\w.&+,/'-]*$/.test(prevScope) && !/\s{2,}/.test(prevScope)) continue;
      if (anchors[ai + 1] && !shown.hasValue && !/\s{2,}/.test(scope)) continue;
      const sec = [...sections].reverse().find((s) => s.col <= a.col + 2) ?? sections[0];
      if (sec?.kind === 'gates' && a.kind !== 'overall') continue;
      this.judgeAnchor({ li, anchor: a, shown, sec, label: raw.slice(a.start, a.end).trim(), span: [a.end, scopeEnd] });
    }
  }

  private judgeAnchor(at: At): void {
    switch (at.anchor.kind) {
      case 'phase':
        return this.phase(at);
      case 'barrier':
        return this.barrier(at);
      case 'overall':
        return this.overall(at);
      case 'total':
        return this.total(at);
      case 'agent':
        return this.agent(at);
      case 'token':
        return this.token(at);
      default:
        return;
    }
  }

  private phase(at: At): void {
    const { shown, sec, label } = at;
    const ph = this.prog.phases.find((p) => p.number === at.anchor.num);
    if (!ph) return;
    const g = sec?.kind === 'pipeline' && sec.key ? ph.byPipeline.get(sec.key) : undefined;
    const count = g ? g.count : ph.count;
    const units = g ? g.agents : ph.agents;
    const statuses: (Status | undefined)[] = g ? [g.status, ph.headingStatus] : [ph.status, ph.headingStatus];
    // A failed run among finished ones reads as "failed" to some authors and "in progress"
    // (to be retried) to others; both agree with the tables.
    if (units.some((x) => x.status.status === 'FAILED')) statuses.push('FAILED', 'IN_PROGRESS');
    const hasAgents = units.length > 0;
    const where = g && sec?.key ? ` (${this.prog.pipelines.find((p) => p.key === sec.key)?.label ?? sec.key})` : '';
    const pctOk = hasAgents ? percentAgrees(shown.percent, count) : percentAgreesStatus(shown.percent, ph.status);
    const statusOk = statusAgrees(shown.status, statuses);
    const sure = this.phaseSure(ph, units);
    // A percent that is rewritten takes its status along when the two would disagree on done-ness.
    const shownCls = drawnClass(shown.status);
    const statusFollows = !pctOk && hasAgents && shownCls !== undefined && (shownCls === 'done') !== (drawnClass(statuses[0]) === 'done');
    const fix = { percent: pctOk || !hasAgents ? undefined : pct(count), status: statusOk && !statusFollows ? undefined : statuses[0] };
    if (!pctOk) this.report(at, `${label}${where} shows ${shown.percent}%, the tables say ${hasAgents ? `${count.done}/${count.total} agents complete` : ph.status}`, sure, fix);
    else if (!statusOk) this.report(at, `${label}${where} shows ${shown.status}, the tables say ${statuses[0]}`, sure, fix);
    for (const c of shown.counts) if (c.noun) this.checkCount(at, c, undefined);
  }

  private barrier(at: At): void {
    const { shown, label } = at;
    const b = this.prog.barriers.find((x) => x.number === at.anchor.num);
    if (!b) return;
    const s = b.status ?? b.derived;
    const statusOk = statusAgrees(shown.status, [b.status, b.derived]);
    const pctOk = percentAgreesStatus(shown.percent, s);
    const fix = { status: statusOk ? undefined : s, percent: pctOk || !s ? undefined : isFinished(s) ? 100 : 0 };
    if (!statusOk) this.report(at, `${label} shows ${shown.status}, the tracker says ${s}`, this.anyUnits && !!s, fix);
    else if (!pctOk) this.report(at, `${label} shows ${shown.percent}%, the tracker says ${s}`, this.anyUnits && !!s, fix);
  }

  /** Any of the usual ways to count "overall" will do, each judged like a phase percent. */
  private overallPercentOk(shownPct: number): boolean {
    const prog = this.prog;
    // 0% and 100% are claims about every agent, so the agent rows decide those when there are any.
    if ((shownPct === 0 || shownPct === 100) && prog.agents.total > 0) return percentAgrees(shownPct, prog.agents);
    if (this.overallCandidates.some((c) => percentAgrees(shownPct, c, OVERALL_TOLERANCE))) return true;
    return this.phaseMean !== undefined && shownPct > 0 && shownPct < 100 && Math.abs(shownPct - this.phaseMean) <= OVERALL_TOLERANCE;
  }

  private overall(at: At): void {
    const { shown, label } = at;
    const prog = this.prog;
    let fix: Omit<Fix, 'scope'> = {};
    let message: string | undefined;
    if (shown.percent !== undefined && !this.overallPercentOk(shown.percent)) {
      message = `${label} shows ${shown.percent}%, the tables say ${prog.overallPercent}% (${prog.agents.done}/${prog.agents.total} agents)`;
      fix = { percent: prog.overallPercent };
    }
    const implied = this.overallCandidates.map((c): Status => (c.done === c.total ? 'COMPLETE' : c.done === 0 ? 'PENDING' : 'IN_PROGRESS'));
    if (shown.status && !statusAgrees(shown.status, [...implied, this.tracker.workflowStatus?.status])) {
      message ??= `${label} shows ${shown.status}`;
      fix = { ...fix, status: implied[0] };
    }
    if (message) this.report(at, message, this.overallSure, fix);
    for (const c of shown.counts) this.checkCount(at, c, undefined);
  }

  private total(at: At): void {
    const a = at.anchor;
    const noun = a.noun ?? (at.sec?.kind === 'agents' ? 'agents' : undefined);
    // A trailing word that is not a noun (`4/8 complete`) leaves the label's noun in charge.
    for (const c of at.shown.counts) this.checkCount(at, a.noun && c.noun && !/^(agent|task|phase|barrier)s?$/.test(c.noun) ? { ...c, noun: undefined } : c, noun);
  }

  private agent(at: At): void {
    const { shown } = at;
    const ag = this.agentById.get(at.anchor.id ?? '');
    if (!ag) return;
    const c = countOf([ag]);
    const sure = !this.ambiguous.has(idKey(ag));
    const pctOk = percentAgrees(shown.percent, c);
    const statusOk = statusAgrees(shown.status, [ag.status.status]);
    const fix = { percent: pctOk ? undefined : pct(c), status: statusOk ? undefined : ag.status.status };
    if (!pctOk) this.report(at, `${ag.id} shows ${shown.percent}%, its row says ${ag.status.status}`, sure, fix);
    else if (!statusOk) this.report(at, `${ag.id} shows ${shown.status}, its row says ${ag.status.status}`, sure, fix);
  }

  private token(at: At): void {
    const { shown, label } = at;
    const agents = agentsOfToken(this.tracker, at.anchor.id ?? '');
    if (!agents) return;
    const c = countOf(agents);
    const pctOk = percentAgrees(shown.percent, c);
    const bad = shown.counts.filter((k) => k.total === c.total && k.done !== c.done);
    if (pctOk && !bad.length) return;
    const msg = !pctOk ? `${label} shows ${shown.percent}%, the tables say ${c.done}/${c.total} complete` : `${label} shows ${bad[0].done}/${bad[0].total}, the tables say ${c.done}/${c.total}`;
    this.report(at, msg, this.anyUnits, { percent: pctOk ? undefined : pct(c), counts: bad.map((k) => ({ done: k.done, total: k.total, want: c.done })) });
  }

  /** The model's counts for what a `n/m` counter counts, and whether another total may still be judged. */
  private countsFor(noun: string): { model: Count[]; strict: boolean } | undefined {
    const prog = this.prog;
    if (noun === 'agent') return { model: [prog.agents], strict: true };
    // "Tasks" may or may not be the agent rows: only judge when the totals say they are.
    if (noun === 'task') return { model: [prog.agents], strict: false };
    if (noun === 'phase') return { model: [prog.phasesFlat, prog.phasesByPipeline, prog.phasesByHeading], strict: true };
    if (noun === 'barrier') return { model: [prog.barriersCount], strict: true };
    return undefined;
  }

  private checkCount(at: At, c: { done: number; total: number; noun?: string }, fallbackNoun: string | undefined): void {
    const noun = (c.noun ?? fallbackNoun ?? '').replace(/s$/, '');
    const want = this.countsFor(noun);
    if (!want) return;
    const model = want.model.filter((m) => m.total > 0);
    const strict = want.strict;
    if (!model.length) return;
    if (!strict && !model.some((m) => m.total === c.total)) return;
    if (model.some((m) => m.done === c.done && m.total === c.total)) return;
    // Another total means another set (planned agents, tasks outside the tables): judge done only.
    if (!model.some((m) => m.total === c.total) && (!strict || model.some((m) => m.done === c.done))) return;
    const same = model.find((m) => m.total === c.total);
    const shown = same ?? model[0];
    // Only a count of the same set can be corrected; another set is reported, never rewritten.
    this.problems.push({
      line: at.li,
      message: `${at.label} shows ${c.done}/${c.total} ${noun}s, the tables say ${shown.done}/${shown.total}`,
      sure: !!same && this.overallSure,
      fix: same ? { scope: at.span, counts: [{ done: c.done, total: c.total, want: same.done }] } : undefined,
    });
  }

  /** Agent status counters in an AGENTS block (`Active: 2  Blocked: 1`). */
  private agentCounters(): void {
    const { lines, style } = this;
    const bs = this.prog.agents.byStatus;
    for (let li = 0; li < lines.length; li++) {
      const content = stripBorders(lines[li], style.box);
      if (!/\b(?:active|blocked|pending|failed)\s*:\s*\d+/i.test(content)) continue;
      const sec = sectionAtLine(lines, li, style.box);
      if (!sec || !/^agents?\b/i.test(sec)) continue;
      // Counters only mean something for the same set of agents: a `Total: 6/20` must match ours.
      const total = /(?<![\d.])\d+\s*\/\s*(\d+)(?![\d.])/.exec(content);
      if (!total || Number(total[1]) !== this.prog.agents.total) continue;
      for (const m of lines[li].matchAll(/\b(active|in[ _]progress|running|blocked|pending|failed)\s*:\s*(\d+)\b/gi)) {
        const word = m[1].toLowerCase();
        const n = Number(m[2]);
        const expected =
          word === 'blocked' ? bs.BLOCKED ?? 0 : word === 'pending' ? (bs.PENDING ?? 0) + (bs.READY ?? 0) : word === 'failed' ? bs.FAILED ?? 0 : bs.IN_PROGRESS ?? 0;
        const alt = word === 'pending' ? bs.PENDING ?? 0 : expected;
        if (n === expected || n === alt) continue;
        const at = m.index! + m[0].length - m[2].length;
        this.problems.push({ line: li, message: `${m[1]}: ${n} agents, the tables say ${expected}`, sure: this.overallSure, fix: { scope: [at, at + m[2].length], counts: [{ done: n, total: -1, want: expected }] } });
      }
    }
  }
}

/** Compares every value the dashboard draws with the model, line by line. */
export function judgeDashboard(tracker: Tracker): Problem[] {
  const d = tracker.dashboard;
  // With no units recognised there is nothing to judge by: "0% done" would be a claim about the
  // reader, not the work. The coverage display says what was not understood.
  if (!d || d.text.trim() === '' || tracker.agents.length === 0) return [];
  return new Judge(tracker, d.text).run();
}

/** Judges a drawn dashboard by the numbers and statuses it shows, against the model. */
export function isDashboardStale(tracker: Tracker): { stale: boolean; reason?: string; sure?: boolean } {
  const problems = judgeDashboard(tracker);
  if (problems.length === 0) return { stale: false };
  const msgs = problems.map((p) => p.message);
  const reason = msgs.slice(0, 3).join('; ') + (msgs.length > 3 ? ` (+${msgs.length - 3} more)` : '');
  return { stale: true, reason, sure: problems.some((p) => p.sure && p.fix) };
}
