/**
 * The pass over the reader's events: keeps the stack of open sections (phase, barrier, next
 * actions, dashboard, other) and gives every heading, table, checklist item, link and key/value
 * paragraph its place in the tracker. Tables of the template go to `templates.ts`, units of other
 * layouts to `units.ts`; what needs the whole document is done in `finish.ts`. Used only by
 * `index.ts`; `templates.ts`, `units.ts`, `statuses.ts` and `finish.ts` read its state.
 */
import { toStatus } from '../status';
import { BOX_START, type Ev, type Reader } from './reader';
import { classify, normalizeHeader } from './tables';
import { ASIDE, LOOKALIKE_ID, LOOKALIKE_SECTION, groupAlias, headingUnit, parseBarrierHeading, parsePhaseHeading, type BarrierHeading, type PhaseHeading } from './headings';
import { TemplateTables } from './templates';
import { Units, type Deferred, type KeyLine } from './units';
import { finish } from './finish';
import type { Agent, ArtifactRef, Barrier, ChecklistItem, Heading, Phase, PipelineGroup, StatusValue, Table, Tracker } from '../model';

export type MarkdownTracker = Omit<Tracker, 'yaml'>;

/** A section open on the stack: from its heading to the next heading of the same or a higher level. */
export interface Open {
  depth: number;
  kind: 'phase' | 'barrier' | 'next' | 'dashboard' | 'other';
  heading: Heading;
  phase?: Phase;
  barrier?: Barrier;
  statusTaken?: boolean;
  subheadings: number;
}

/** Where a table or heading sits. */
export interface Section {
  /** Never units, never counted (logs, protocols, bug lists, the dashboard, next actions). */
  excluded: boolean;
  /** Heading words around the table, lower case. */
  context: string;
}

export class Pass {
  readonly stack: Open[] = [];
  lastHeading: Heading | undefined;
  seenSectionHeading = false;
  dashboardOpen: Open | undefined;
  readonly groups = new Map<number, PipelineGroup>();
  readonly legend: { symbol: string; meaning: string }[] = [];
  readonly dateCells: string[] = [];
  readonly statusSamples: string[] = [];
  readonly metricsTables: Table[] = [];
  readonly agentIds = new Map<string, Agent[]>();
  /** 0-based lines read as units (agent rows, Status rows, status headings, direction and gate rows). */
  readonly readLines = new Set<number>();
  /** Rows recognised as look-alikes (checkpoint, bug, risk ids): never counted as unread. */
  readonly lookalikeLines = new Set<number>();
  /** Tables (and headings) in sections that are never units: logs, protocols, bug lists, … */
  readonly tableSection = new Map<Table, Section>();
  readonly excludedHeadings = new Set<Heading>();
  readonly unitHeadings = new Set<Heading>();
  readonly agentPhase = new Map<Agent, Phase | undefined>();
  /** Phases and barriers of rows, placed once every heading is read (a summary table may come first). */
  readonly deferred: Deferred[] = [];
  /** Units read so far (agents, gates, phases and barriers of rows): a heading with units beneath it is a group. */
  unitCount = 0;
  /** `unitCount` when the last heading was read. */
  unitsAtHeading = 0;
  /** Id headings with a status key line whose sections are still open (see `Units.keyLine`). */
  readonly keyLines: KeyLine[] = [];
  readonly units: Units;
  readonly templates: TemplateTables;

  constructor(
    readonly r: Reader,
    readonly tracker: MarkdownTracker,
  ) {
    this.units = new Units(this);
    this.templates = new TemplateTables(this);
  }

  run(): void {
    for (const ev of this.r.events) this.event(ev);
    finish(this);
  }

  private event(ev: Ev): void {
    switch (ev.k) {
      case 'heading':
        return this.heading(ev.h);
      case 'quote':
        if (!this.seenSectionHeading) for (const f of this.r.keyValues(ev.start, ev.end)) this.tracker.header.push(f);
        return;
      case 'para':
        return this.paragraph(ev.start, ev.end);
      case 'code':
        if (this.dashboardOpen && !this.tracker.dashboard) {
          this.tracker.dashboard = this.r.dashboard(ev.start, ev.end, ev.fenced, this.dashboardOpen.heading);
          this.dashboardOpen = undefined;
        }
        return;
      case 'check':
        return this.checklistItem(ev.item);
      case 'link':
        return this.link(ev.ref);
      case 'table':
        return this.table(ev.t);
    }
  }

  // ---------------------------------------------------------------- the open sections

  innermost(): Open | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const k = this.stack[i].kind;
      if (k === 'phase' || k === 'barrier' || k === 'next') return this.stack[i];
    }
    return undefined;
  }

  openPhase(): Open | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'phase') return this.stack[i];
    return undefined;
  }

  openBarrier(): Open | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'barrier') return this.stack[i];
    return undefined;
  }

  /** Where the table or heading being read sits. */
  sectionInfo(): Section {
    let excluded = false;
    for (const o of this.stack) {
      if (o.kind === 'next' || o.kind === 'dashboard') excluded = true;
      else if (o.kind === 'other') {
        const hu = headingUnit(o.heading.text);
        if (hu ? LOOKALIKE_ID.test(hu.id) : LOOKALIKE_SECTION.test(o.heading.text) || ASIDE.test(o.heading.text)) excluded = true;
      }
    }
    return { excluded, context: this.stack.map((o) => o.heading.text).join(' / ').toLowerCase() };
  }

  /** The pipeline group a table under a phase's sub-heading belongs to (created on first use). */
  groupFor(po: Open | undefined): { group?: PipelineGroup; groupTitle?: string } {
    const lastHeading = this.lastHeading;
    if (po && lastHeading && lastHeading !== po.heading && lastHeading.depth > po.depth) {
      const key = lastHeading.range.start.offset;
      let group = this.groups.get(key);
      if (!group) {
        group = { title: lastHeading.text, range: lastHeading.range, agents: [] };
        const alias = groupAlias(lastHeading.text);
        if (alias) group.alias = alias;
        this.groups.set(key, group);
        po.phase!.groups.push(group);
      }
      return { group, groupTitle: lastHeading.text };
    }
    if (!po && lastHeading && /\b(pipeline|track|stream|spike|wave|lane)\b/i.test(lastHeading.text)) return { groupTitle: lastHeading.text };
    return {};
  }

  // ---------------------------------------------------------------- agents

  /** Reports an agent id seen twice in one table or one phase. */
  checkDuplicate(agent: Agent, phase: Phase | undefined): void {
    const id = agent.id;
    const prevs = this.agentIds.get(id) ?? [];
    const sameTable = prevs.find((p) => p.table === agent.table && p.row !== agent.row);
    const key = (ph: Phase | undefined) => (ph ? `${ph.kind ?? 'phase'}:${ph.number}` : undefined);
    const samePhase = phase && agent.shape !== 'artifact-row' ? prevs.find((p) => key(this.agentPhase.get(p)) === key(phase)) : undefined;
    const prev = sameTable ?? samePhase;
    if (prev) {
      const file = this.r.file;
      this.r.findings.push({
        code: 'id-duplicate',
        severity: 'warning',
        message: sameTable ? `Agent ${id} appears twice in the same table.` : `Agent ${id} appears twice in ${phase!.label ?? `Phase ${phase!.number}`}.`,
        file,
        range: agent.idCell.range,
        related: [{ file, range: prev.idCell.range, message: `first row of ${id}` }],
      });
    }
    prevs.push(agent);
    this.agentIds.set(id, prevs);
    this.agentPhase.set(agent, phase);
  }

  /** Adds a read agent to the tracker, its phase and group, and counts its line as read. */
  register(agent: Agent, phase: Phase | undefined, group: PipelineGroup | undefined): void {
    this.checkDuplicate(agent, phase);
    this.unitCount++;
    this.tracker.agents.push(agent);
    this.readLines.add(agent.row.range.start.line);
    this.addArtifacts(agent.artifacts);
    if (phase) phase.agents.push(agent);
    if (group) group.agents.push(agent);
  }

  addArtifacts(refs: ArtifactRef[]): void {
    for (const r of refs) this.tracker.artifacts.push(r);
  }

  // ---------------------------------------------------------------- events

  private heading(h: Heading): void {
    const { tracker, stack } = this;
    tracker.headings.push(h);
    // Sections of id headings with a status key line close here: each becomes a unit unless units were read beneath it.
    this.units.closeKeyLines(h.depth);
    this.unitsAtHeading = this.unitCount;
    if (h.depth === 1 && !tracker.title) tracker.title = h;
    else this.seenSectionHeading = true;
    while (stack.length && stack[stack.length - 1].depth >= h.depth) stack.pop();
    if (this.dashboardOpen && !stack.includes(this.dashboardOpen)) this.dashboardOpen = undefined;
    for (const o of stack) o.subheadings++;
    if (this.sectionInfo().excluded || LOOKALIKE_SECTION.test(h.text) || /dashboard/i.test(h.text)) this.excludedHeadings.add(h);
    this.lastHeading = h;
    const outerPhase = this.openPhase();
    // `### Phase 1 Retrospective` under Lessons/Queue/Checkpoints is about a phase, not the phase.
    const aside = stack.some((o) => o.kind === 'next' || (o.kind === 'other' && ASIDE.test(o.heading.text)));
    let ph = aside ? undefined : parsePhaseHeading(h.text);
    if (ph) {
      const { number: n, kind } = ph;
      const first = tracker.phases.find((p) => p.number === n && p.kind === kind);
      // The same phase again at another depth is a mention, not a second phase.
      if (first && first.heading.depth !== h.depth) ph = undefined;
    }
    const bh = ph || aside ? undefined : parseBarrierHeading(h.text);
    if (ph && !outerPhase) this.openPhaseSection(h, ph);
    else if (bh) this.openBarrierSection(h, bh);
    else if (/\bnext\s+actions?\b/i.test(h.text)) stack.push({ depth: h.depth, kind: 'next', heading: h, subheadings: 0 });
    else if (/dashboard/i.test(h.text) && !tracker.dashboard && !this.dashboardOpen) {
      this.dashboardOpen = { depth: h.depth, kind: 'dashboard', heading: h, subheadings: 0 };
      stack.push(this.dashboardOpen);
    } else stack.push({ depth: h.depth, kind: 'other', heading: h, subheadings: 0 });
  }

  /** The status a phase or barrier heading shows, at `span` of its text. */
  private headingStatus(h: Heading, span: { start: number; end: number }): StatusValue {
    const s = h.range.start.offset + span.start;
    const e = h.range.start.offset + span.end;
    const raw = this.r.text.slice(s, e);
    this.statusSamples.push(raw);
    return { status: toStatus(raw), raw, range: this.r.range(s, e) };
  }

  private openPhaseSection(h: Heading, ph: PhaseHeading): void {
    const phase: Phase = { number: ph.number, title: ph.title, heading: h, groups: [], agents: [], checklist: [], range: h.range };
    if (ph.kind) {
      phase.kind = ph.kind;
      phase.label = ph.label;
    }
    if (ph.status) phase.status = this.headingStatus(h, ph.status);
    this.tracker.phases.push(phase);
    this.stack.push({ depth: h.depth, kind: 'phase', heading: h, phase, subheadings: 0 });
  }

  private openBarrierSection(h: Heading, bh: BarrierHeading): void {
    const barrier: Barrier = { number: bh.number, id: bh.id, title: bh.title, heading: h, directions: [], checklist: [], range: h.range };
    if (bh.status) barrier.status = this.headingStatus(h, bh.status);
    this.tracker.barriers.push(barrier);
    this.stack.push({ depth: h.depth, kind: 'barrier', heading: h, barrier, subheadings: 0 });
  }

  private paragraph(start: number, end: number): void {
    const { tracker, r } = this;
    if (this.dashboardOpen && !tracker.dashboard && BOX_START.test(r.text.slice(start, start + 8))) {
      tracker.dashboard = r.dashboard(start, end, false, this.dashboardOpen.heading);
      this.dashboardOpen = undefined;
      return;
    }
    // Header fields written as a plain paragraph (`**Status:** X | **Version:** 2`) before the first section.
    if (!this.seenSectionHeading && tracker.header.length === 0) {
      for (const f of r.keyValues(start, end)) tracker.header.push(f);
      return;
    }
    this.takeStatusLine(start, end);
    this.units.keyLine(start, end);
  }

  /** `**Status:** X | ...` directly under a phase/barrier heading gives it its status. */
  private takeStatusLine(start: number, end: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top || top.statusTaken || (top.kind !== 'phase' && top.kind !== 'barrier')) return;
    const target = top.phase ?? top.barrier;
    if (!target || target.status) {
      top.statusTaken = true;
      return;
    }
    for (const f of this.r.keyValues(start, end)) {
      if (normalizeHeader(f.key) !== 'status') continue;
      const sv = this.r.statusAt(f.value, f.range.start.offset);
      top.statusTaken = true;
      if (sv) {
        target.status = sv;
        this.statusSamples.push(sv.raw);
      }
      return;
    }
  }

  private checklistItem(item: ChecklistItem): void {
    const tracker = this.tracker;
    tracker.checklist.push(item);
    if (item.artifact) tracker.artifacts.push(item.artifact);
    const o = this.innermost();
    if (o?.kind === 'phase') o.phase!.checklist.push(item);
    else if (o?.kind === 'barrier') o.barrier!.checklist.push(item);
    else if (o?.kind === 'next') tracker.nextActions.push(item);
  }

  private link(ref: ArtifactRef): void {
    // A link in a checklist item is already that item's artifact.
    const last = this.tracker.checklist[this.tracker.checklist.length - 1]?.artifact;
    if (!last || last.range.start.offset !== ref.range.start.offset) this.tracker.artifacts.push(ref);
  }

  private table(t: Table): void {
    if (this.lastHeading) t.heading = this.lastHeading.text;
    t.kind = classify(t.columns, t.header, t.heading, this.openPhase() !== undefined);
    this.tracker.tables.push(t);
    // A table right under a phase/barrier heading means a `**Status:**` line after it is not the heading's.
    const top = this.stack[this.stack.length - 1];
    if (top) top.statusTaken = true;
    this.tableSection.set(t, this.sectionInfo());
    if (this.units.table(t)) return;
    this.templates.read(t);
  }
}
