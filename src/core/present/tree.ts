/**
 * The Worktracker tree as data: one draft per node (label, description, tooltip as a Markdown
 * string with user text escaped, icon as a status or symbol name, context value, children).
 * Pure; src/vscode/tree.ts turns drafts into TreeItems, ThemeIcons and MarkdownStrings.
 */
import { posix } from 'node:path';
import type { Agent, ArtifactRef, Barrier, ChecklistItem, Phase, Range, Status, StatusValue, Tracker, YamlScalar } from '../model';
import { statusesAgree } from '../drift';
import { plainLabel } from '../label';
import { unitCount } from '../units';
import { isFinished } from '../status';
import { TRACKER_FILE } from '../files';
import { escapeMd, plural, sourcedStatus, STATUS_LABEL, statusSourceNote, yamlStatus } from './format';

export type NodeKind = 'tracker' | 'phase' | 'group' | 'agent' | 'artifact' | 'barrier' | 'gate' | 'direction' | 'section' | 'blocker' | 'action' | 'message';

/** Icons that are not a status: the editor layer maps each to a codicon and colour. */
export type TreeSymbol =
  | 'drift' // a status that differs from the YAML's
  | 'missing' // an artifact whose file is not found
  | 'error' // a tracker that could not be read
  | 'checklist' // a tracker without a workflow status
  | 'agents'
  | 'blockers'
  | 'blocker'
  | 'blocker-severe' // severity high or critical
  | 'next-actions'
  | 'group'
  | 'file'
  | 'gates'
  | 'info';

/** A status draws its status icon; anything else is a symbol. */
export type IconName = Status | TreeSymbol;

export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** One node of the tree, before the editor layer gives it VS Code objects. */
export interface NodeDraft {
  /** Stable across rebuilds (same element → same id), so the view keeps selection and expansion. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  /** Markdown, user text escaped; shown untrusted (no command links, no HTML). */
  tooltip?: string;
  icon?: IconName;
  contextValue: string;
  collapsible: Collapsible;
  /** Source location in the markdown (and the YAML), for reveal and cursor-follow. */
  mdRange?: Range;
  yamlRange?: Range;
  status?: Status;
  drift?: boolean;
  checked?: boolean;
  checklistItem?: ChecklistItem;
  artifactPath?: string;
  agentId?: string;
  /**
   * 0-based line of the agent's table row (agent nodes and their artifacts): an id written in
   * several rows (one per phase) is several units, and commands from the node edit this row only.
   */
  agentLine?: number;
  phaseNumber?: number;
  barrierNumber?: number;
  /** A command run on click instead of revealing a range (the "not understood" message node). */
  command?: { command: string; title: string; arguments?: unknown[] };
  children?: NodeDraft[];
}

/** What the tree knows of a tracker besides its model (the editor layer fills it from its entry). */
export interface TrackerDraftInput {
  /** Prefix of every node id of this tracker (the markdown's URI). */
  key: string;
  label: string;
  /** The markdown's URI as a string: the argument of the "not understood" node's command. */
  mdUri: string;
  /** The markdown's path as the workspace names it, for the tooltip. */
  relativePath: string;
  /** Undefined while loading or when the last read failed (`error`). */
  tracker?: Tracker;
  error?: string;
}

/** Human name of a tracker: workflow or project from the header or the YAML, else its folder's name. */
export function trackerLabel(t: Tracker | undefined, mdPath: string): string {
  const field = (k: string) => t?.header.find((h) => h.key.toLowerCase() === k)?.value.trim();
  const y = t?.yaml?.workflow;
  const cand = [field('workflow'), y?.name?.value, field('project'), y?.id?.value, t?.title?.text];
  for (const c of cand) {
    if (typeof c === 'string' && c.trim() && !/^#?\s*ORCHESTRATION_WORKTRACKER(\.md)?$/i.test(c.trim())) return c.trim();
  }
  return posix.basename(posix.dirname(mdPath)) || TRACKER_FILE;
}

/** The root of a tracker that has no model: still loading, unreadable, or its drafts failed (`problem`). */
export function trackerErrorDraft(input: TrackerDraftInput, problem = input.error ?? 'Loading…'): NodeDraft {
  return { id: `${input.key}#root`, kind: 'tracker', label: input.label, description: problem, icon: 'error', contextValue: 'worktracker.tracker', collapsible: 'none' };
}

/** Ids unique within one tracker (`x`, `x~2`, …), and the checklist lines already shown under a unit. */
class Ids {
  private readonly ids = new Set<string>();
  readonly used = new Set<ChecklistItem>();
  readonly inPhase = new Set<Agent>();

  constructor(readonly base: string) {}

  uniq(id: string): string {
    let u = id;
    for (let i = 2; this.ids.has(u); i++) u = `${id}~${i}`;
    this.ids.add(u);
    return u;
  }
}

/** The drafts of one tracker: its root and everything under it. */
export function buildTrackerDraft(input: TrackerDraftInput): NodeDraft {
  const t = input.tracker;
  if (!t) return trackerErrorDraft(input);
  const ids = new Ids(`${input.key}#`);
  const children: NodeDraft[] = [];
  // Phases and barriers in file order, as the document reads.
  const sections: (['phase', Phase] | ['barrier', Barrier])[] = [
    ...t.phases.map((p) => ['phase', p] as ['phase', Phase]),
    ...t.barriers.map((b) => ['barrier', b] as ['barrier', Barrier]),
  ];
  sections.sort((a, b) => a[1].heading.range.start.offset - b[1].heading.range.start.offset);
  for (const s of sections) children.push(s[0] === 'phase' ? phaseDraft(t, s[1], ids) : barrierDraft(t, s[1], ids));
  // A tracker read without units: say so once, instead of phases with nothing under them.
  if (t.agents.length === 0) {
    const shown = children.filter((c) => c.status && c.status !== 'UNKNOWN');
    children.length = 0;
    children.push(notUnderstoodDraft(input, t, ids.base), ...shown);
  }
  const loose = t.agents.filter((a) => !ids.inPhase.has(a));
  if (loose.length) children.push(sectionDraft(ids, 'agents', 'Agents', progress(loose.map((a) => a.status.status)), loose.map((a) => agentDraft(t, a, ids, undefined))));
  if (t.blockers.length) children.push(sectionDraft(ids, 'blockers', 'Blockers', String(t.blockers.length), t.blockers.map((r, i) => blockerDraft(r, i, ids))));
  if (t.nextActions.length) {
    const done = t.nextActions.filter((a) => a.checked).length;
    children.push(sectionDraft(ids, 'next', 'Next Actions', `${done}/${t.nextActions.length}`, t.nextActions.map((a) => checklistDraft(a, `${ids.base}next:`, ids))));
  }
  if (t.gates.length) children.push(gatesDraft(t, ids));
  return trackerRootDraft(input, t, children);
}

function trackerRootDraft(input: TrackerDraftInput, t: Tracker, children: NodeDraft[]): NodeDraft {
  const count = unitCount(t);
  const coverage = coverageText(t);
  const tip = [`**${escapeMd(input.label)}**`, escapeMd(input.relativePath)];
  if (t.workflowStatus) tip.push(`Status: ${escapeMd(t.workflowStatus.raw)}`);
  const ys = t.yaml?.workflow.status;
  if (ys) tip.push(`YAML status: ${escapeMd(String(ys.value))}`);
  tip.push(`Units done: ${count.done}/${count.total}`);
  if (coverage) tip.push(`${escapeMd(coverage)}: run *Show Lines Not Understood* to list them`);
  const wf = t.workflowStatus?.status;
  return {
    id: `${input.key}#root`,
    kind: 'tracker',
    label: input.label,
    description: join([t.workflowStatus?.raw, t.agents.length ? `${count.done}/${count.total}` : undefined, coverage]),
    tooltip: tip.join('\n\n'),
    icon: wf ?? 'checklist',
    contextValue: 'worktracker.tracker',
    collapsible: 'expanded',
    mdRange: t.title?.range,
    status: wf,
    children,
  };
}

/** `N units · M lines not understood` when the reader left status lines unread, else undefined. */
export function coverageText(t: Tracker): string | undefined {
  const unread = t.coverage.unread.length;
  return unread ? `${t.coverage.units} units · ${plural(unread, 'line')} not understood` : undefined;
}

function sectionDraft(ids: Ids, key: string, label: string, description: string, children: NodeDraft[]): NodeDraft {
  const icon: Record<string, TreeSymbol> = { agents: 'agents', blockers: 'blockers', next: 'next-actions' };
  return { id: ids.uniq(`${ids.base}${key}`), kind: 'section', label, description, icon: icon[key], contextValue: 'worktracker.section', collapsible: 'collapsed', children };
}

function blockerDraft(r: Tracker['blockers'][number], i: number, ids: Ids): NodeDraft {
  const id = cellText(r.cells.id) ?? `#${i + 1}`;
  const desc = cellText(r.cells.description) ?? cellText(r.cells.blocking) ?? '';
  const sev = cellText(r.cells.severity);
  const tip = [`**${escapeMd(id)}**`];
  for (const [k, c] of Object.entries(r.cells)) if (k !== 'id' && cellText(c)) tip.push(`${escapeMd(k)}: ${escapeMd(c.text)}`);
  return {
    id: ids.uniq(`${ids.base}blocker:${id}`),
    kind: 'blocker',
    label: desc ? `${id}: ${desc}` : id,
    description: join([sev, cellText(r.cells.resolution)]),
    tooltip: tip.join('\n\n'),
    icon: /high|critical/i.test(sev ?? '') ? 'blocker-severe' : 'blocker',
    contextValue: 'worktracker.blocker',
    collapsible: 'none',
    mdRange: r.row.range,
    status: r.status?.status,
  };
}

/** Drift on a node means what the status-drift diagnostic means: the core decides which statuses agree. */
function sameStatus(a: Status | undefined, b: Status | undefined): boolean {
  if (!a || !b || a === 'UNKNOWN' || b === 'UNKNOWN') return true;
  return statusesAgree(a, b);
}

function progress(statuses: (Status | undefined)[]): string {
  return `${statuses.filter(isFinished).length}/${statuses.length}`;
}

function contextFor(kind: string, status: Status | undefined, extra = ''): string {
  return `worktracker.${kind}.${(status ?? 'UNKNOWN').toLowerCase()}${extra}`;
}

function cellText(c: { text: string } | undefined): string | undefined {
  const t = c?.text.trim();
  return t && t !== '-' && t !== '—' ? t : undefined;
}

function basename(p: string): string {
  return posix.basename(p.replace(/\\/g, '/'));
}

function dirname(p: string): string | undefined {
  const d = posix.dirname(p);
  return d === '.' ? undefined : d;
}

/** The parts that are there, joined with ` · `. */
function join(parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** The YAML's word on a drifted node, in the description, so the warning icon explains itself without a hover. */
function yamlSays(drift: boolean, yaml: YamlScalar | undefined): string | undefined {
  return drift && yaml ? `YAML: ${String(yaml.value)}` : undefined;
}

/** Title, status (with the YAML's when it has one) and the extra lines that have a value. */
function statusTooltip(title: string, status: StatusValue | undefined, yaml: YamlScalar | undefined, lines: [string, string | undefined][]): string {
  const tip = [`**${escapeMd(title)}**`];
  if (status) tip.push(`Status: ${escapeMd(status.raw)} (${STATUS_LABEL[status.status]})`);
  const ys = yamlStatus(yaml);
  if (yaml && ys) {
    const drift = status && !sameStatus(status.status, ys);
    tip.push(`YAML status: ${escapeMd(String(yaml.value))}${drift ? ' — $(warning) differs from the markdown' : ''}`);
  }
  for (const [k, v] of lines) if (v) tip.push(`${escapeMd(k)}: ${escapeMd(v)}`);
  return tip.join('\n\n');
}

function phaseDraft(t: Tracker, p: Phase, ids: Ids): NodeDraft {
  const pid = `${ids.base}phase:${p.number}`;
  const children: NodeDraft[] = [];
  const grouped = new Set<Agent>();
  const meaningfulGroups = p.groups.filter((g) => g.agents.length > 0);
  if (meaningfulGroups.length > 1 || (meaningfulGroups.length === 1 && p.groups.length > 1)) {
    for (const g of meaningfulGroups) {
      const gid = ids.uniq(`${pid}/group:${g.alias ?? g.title}`);
      g.agents.forEach((a) => grouped.add(a));
      children.push({
        id: gid,
        kind: 'group',
        label: g.title,
        description: progress(g.agents.map((a) => a.status.status)),
        icon: 'group',
        contextValue: 'worktracker.group',
        collapsible: 'expanded',
        mdRange: g.range,
        children: g.agents.map((a) => agentDraft(t, a, ids, p)),
      });
    }
  }
  for (const a of p.agents) {
    ids.inPhase.add(a);
    if (!grouped.has(a)) children.push(agentDraft(t, a, ids, p));
  }
  // Checklist lines no agent claimed stay visible under the phase.
  for (const c of p.checklist) if (!ids.used.has(c)) children.push(checklistDraft(c, `${pid}/item:`, ids));

  const yp = t.yaml?.phases.filter((y) => y.number === p.number) ?? [];
  const yStatuses = [...new Set(yp.map((y) => yamlStatus(y.status)).filter((s): s is Status => !!s))];
  const ys = yStatuses.length === 1 ? yp.find((y) => y.status)?.status : undefined;
  const drift = !!p.status && !!ys && !sameStatus(p.status.status, yamlStatus(ys));
  const eff = p.status ? undefined : p.effectiveStatus;
  const st = p.status?.status ?? eff?.status;
  const prog = progress(p.agents.map((a) => a.status.status));
  return {
    id: ids.uniq(pid),
    kind: 'phase',
    label: `Phase ${p.number}${p.title ? `: ${p.title}` : ''}`,
    description: join([p.status?.raw ?? sourcedStatus(eff), p.agents.length ? prog : undefined, yamlSays(drift, ys)]),
    tooltip: statusTooltip(`Phase ${p.number}${p.title ? ` — ${p.title}` : ''}`, p.status, ys, [
      ['Status', statusSourceNote(eff)],
      ['Agents done', p.agents.length ? prog : undefined],
      ['Artifacts ticked', p.checklist.length ? `${p.checklist.filter((c) => c.checked).length}/${p.checklist.length}` : undefined],
    ]),
    icon: drift ? 'drift' : (st ?? 'UNKNOWN'),
    contextValue: contextFor('phase', st, drift ? '.drift' : ''),
    collapsible: st === 'COMPLETE' ? 'collapsed' : 'expanded',
    mdRange: p.heading.range,
    yamlRange: yp[0]?.range,
    status: st,
    drift,
    phaseNumber: p.number,
    children,
  };
}

/** The checklist line an agent's artifact reference stands for: same path, else same file name. */
function findChecklist(t: Tracker, phase: Phase | undefined, ref: ArtifactRef, used: Set<ChecklistItem>): ChecklistItem | undefined {
  const pools = [phase?.checklist ?? [], t.checklist];
  const want = ref.path.replace(/^\.\//, '');
  for (const pool of pools) {
    for (const c of pool) {
      const p = c.artifact?.path.replace(/^\.\//, '');
      if (!p || used.has(c)) continue;
      if (p === want || p.endsWith('/' + want) || want.endsWith('/' + p)) return c;
    }
    for (const c of pool) {
      const p = c.artifact?.path;
      if (p && !used.has(c) && basename(p) === basename(want)) return c;
    }
  }
  return undefined;
}

function agentDraft(t: Tracker, a: Agent, ids: Ids, phase: Phase | undefined): NodeDraft {
  const aid = ids.uniq(`${ids.base}agent:${a.id}`);
  const ya = t.yaml?.agents.find((y) => y.id === a.id);
  const ys = yamlStatus(ya?.status);
  const drift = !!ya && !!ys && !sameStatus(a.status.status, ys);
  const children = a.artifacts.map((ref) => agentArtifactDraft(t, a, ref, aid, ids, phase));
  const started = cellText(a.started);
  const completed = cellText(a.completed);
  const dates = started || completed ? `${started ?? '…'} → ${completed ?? '…'}` : undefined;
  return {
    id: aid,
    kind: 'agent',
    label: a.id,
    description: join([a.status.raw, dates, yamlSays(drift, ya?.status)]),
    tooltip: statusTooltip(a.id, a.status, ya?.status, [
      ['Role', cellText(a.role)],
      ['Artifact', cellText(a.artifactCell)],
      ['Started', started],
      ['Completed', completed],
      ['Notes', cellText(a.notes)],
    ]),
    icon: drift ? 'drift' : a.status.status,
    contextValue: contextFor('agent', a.status.status, drift ? '.drift' : ''),
    collapsible: children.length ? 'collapsed' : 'none',
    mdRange: a.row.range,
    yamlRange: ya?.range,
    status: a.status.status,
    drift,
    agentId: a.id,
    agentLine: a.row.range.start.line,
    phaseNumber: a.phase,
    children,
  };
}

/** An artifact an agent's row names, tied to its checklist line when there is one (its box mirrors it). */
function agentArtifactDraft(t: Tracker, a: Agent, ref: ArtifactRef, aid: string, ids: Ids, phase: Phase | undefined): NodeDraft {
  const item = findChecklist(t, phase, ref, ids.used);
  if (item) ids.used.add(item);
  const path = item?.artifact?.path ?? ref.path;
  return {
    id: ids.uniq(`${aid}/art:${path}`),
    kind: 'artifact',
    label: basename(path),
    description: dirname(path),
    tooltip: artifactTooltip(path, item, a),
    icon: item ? undefined : 'file',
    contextValue: `worktracker.artifact${item ? (item.checked ? '.checked' : '.unchecked') : ''}`,
    collapsible: 'none',
    mdRange: item?.range ?? ref.range,
    checked: item?.checked,
    checklistItem: item,
    artifactPath: path,
    agentId: a.id,
    agentLine: a.row.range.start.line,
  };
}

function artifactTooltip(path: string, item: ChecklistItem | undefined, agent?: Agent): string {
  const tip = [`\`${path.replace(/`/g, "'")}\``];
  if (item) tip.push(`${item.checked ? 'Ticked' : 'Not ticked'} in the checklist`);
  if (agent) tip.push(`Produced by ${escapeMd(agent.id)} (${escapeMd(agent.status.raw)})`);
  return tip.join('\n\n');
}

function checklistDraft(c: ChecklistItem, prefix: string, ids: Ids): NodeDraft {
  ids.used.add(c);
  const path = c.artifact?.path;
  return {
    id: ids.uniq(`${prefix}${path ?? c.text}`),
    kind: c.artifact ? 'artifact' : 'action',
    label: path ? basename(path) : plainLabel(c.text),
    description: path ? dirname(path) : undefined,
    tooltip: path ? artifactTooltip(path, c) : undefined,
    contextValue: `worktracker.${c.artifact ? 'artifact' : 'action'}${c.checked ? '.checked' : '.unchecked'}`,
    collapsible: 'none',
    mdRange: c.range,
    checked: c.checked,
    checklistItem: c,
    artifactPath: path,
  };
}

function barrierDraft(t: Tracker, b: Barrier, ids: Ids): NodeDraft {
  const bid = ids.uniq(`${ids.base}barrier:${b.id}`);
  const yb = t.yaml?.barriers.find((y) => y.id === b.id || y.number === b.number);
  const drift = !!b.status && !!yb?.status && !sameStatus(b.status.status, yamlStatus(yb.status));
  const children: NodeDraft[] = b.directions.map((d) => {
    const st = d.status?.status;
    return {
      id: ids.uniq(`${bid}/dir:${d.direction}`),
      kind: 'direction' as const,
      label: d.direction,
      description: join([d.status?.raw, cellText(d.artifact)]),
      tooltip: statusTooltip(`${b.id} ${d.direction}`, d.status, undefined, [['Artifact', cellText(d.artifact)]]),
      icon: st ?? 'UNKNOWN',
      contextValue: contextFor('direction', st),
      collapsible: 'none' as const,
      mdRange: d.row.range,
      status: st,
      barrierNumber: b.number,
    };
  });
  for (const c of b.checklist) if (!ids.used.has(c)) children.push(checklistDraft(c, `${bid}/item:`, ids));
  const eff = b.status ? undefined : b.effectiveStatus;
  const st = b.status?.status ?? eff?.status;
  const prog = progress(b.directions.map((d) => d.status?.status));
  return {
    id: bid,
    kind: 'barrier',
    label: `Barrier ${b.number}${b.title ? `: ${b.title}` : ''}`,
    description: join([b.status?.raw ?? sourcedStatus(eff), b.directions.length ? prog : undefined, yamlSays(drift, yb?.status)]),
    tooltip: statusTooltip(`Barrier ${b.number}${b.title ? ` — ${b.title}` : ''}`, b.status, yb?.status, [
      ['Status', statusSourceNote(eff)],
      ['Directions done', b.directions.length ? prog : undefined],
    ]),
    icon: drift ? 'drift' : (st ?? 'UNKNOWN'),
    contextValue: contextFor('barrier', st, drift ? '.drift' : ''),
    collapsible: st === 'COMPLETE' ? 'collapsed' : 'expanded',
    mdRange: b.heading.range,
    yamlRange: yb?.range,
    status: st,
    drift,
    barrierNumber: b.number,
    children,
  };
}

/** The one child of a tracker whose units the reader did not recognise. */
function notUnderstoodDraft(input: TrackerDraftInput, t: Tracker, base: string): NodeDraft {
  const n = t.coverage.unread.length;
  const more = n ? `\n\n${plural(n, 'line')} with a status ${n === 1 ? 'was' : 'were'} not understood: click to list them.` : '';
  return {
    id: `${base}not-understood`,
    kind: 'message',
    label: `No agent tables recognised: ${plural(n, 'status line')} not understood`,
    tooltip: `The reader found no unit of work (agent table, key/value section, heading over placeholder rows, artifact rows) in this tracker, so nothing in it is edited or synced.${more}`,
    icon: 'info',
    contextValue: 'worktracker.message',
    collapsible: 'none',
    command: { command: 'worktracker.showUnread', title: 'Show Lines Not Understood', arguments: [input.mdUri] },
  };
}

function gatesDraft(t: Tracker, ids: Ids): NodeDraft {
  const gates = t.gates.map((g): NodeDraft => {
    const eff = g.status ? undefined : g.effectiveStatus;
    const st = g.status?.status ?? eff?.status;
    return {
      id: ids.uniq(`${ids.base}gate:${g.id}@${g.line}`),
      kind: 'gate',
      label: g.title && g.title !== g.id ? `${g.id}: ${plainLabel(g.title)}` : g.id,
      description: g.status?.raw ?? sourcedStatus(eff),
      tooltip: statusTooltip(g.id, g.status, undefined, [['Status', statusSourceNote(eff)], ['Phase', g.phase !== undefined ? String(g.phase) : undefined]]),
      icon: st ?? 'UNKNOWN',
      contextValue: contextFor('gate', st),
      collapsible: 'none',
      mdRange: g.row?.range ?? g.heading?.range ?? g.range,
      status: st,
    };
  });
  return { id: ids.uniq(`${ids.base}gates`), kind: 'section', label: 'Gates', description: progress(gates.map((g) => g.status)), icon: 'gates', contextValue: 'worktracker.section', collapsible: 'collapsed', children: gates };
}
