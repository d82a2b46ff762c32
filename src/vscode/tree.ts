import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { Agent, ArtifactRef, Barrier, ChecklistItem, EffectiveStatus, Phase, Range, Status, StatusValue, Tracker, YamlScalar } from '../core/model';
import type { TrackerEntry, TrackerStore } from './trackerStore';
import { driftIcon, escapeMd, STATUS_LABEL, statusIcon, toVsRange, untrustedMarkdown, yamlStatus } from './ui';
import { getConfig } from './config';
import { statusesAgree } from '../core/drift';
import { publishedFinding } from './diagnostics';
import { plainLabel } from '../core/label';
import { unitCount } from '../core/units';
import { isFinished } from '../core/status';
import { Disposable } from './dispose';

export const VIEW_ID = 'worktracker.trackers';

export type NodeKind = 'tracker' | 'phase' | 'group' | 'agent' | 'artifact' | 'barrier' | 'gate' | 'direction' | 'section' | 'blocker' | 'action' | 'message';

/** One node of the tree. Objects are kept across refreshes (same id → same object) so reveal and selection survive. */
export interface TrackerNode {
  id: string;
  kind: NodeKind;
  entry: TrackerEntry;
  parent?: TrackerNode;
  children: TrackerNode[];
  label: string;
  description?: string;
  tooltip?: vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
  contextValue: string;
  collapsible: vscode.TreeItemCollapsibleState;
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
  /** What the node looks like; equal signatures mean nothing to redraw. */
  sig: string;
}

/** A box the user ticked (`checked`) or unticked in the view. */
export interface CheckboxToggle {
  node: TrackerNode;
  checked: boolean;
}

type Draft = Omit<TrackerNode, 'sig' | 'children' | 'parent'> & { children?: Draft[] };


/** Drift on a node means what the status-drift diagnostic means: the core decides which statuses agree. */
function sameStatus(a: Status | undefined, b: Status | undefined): boolean {
  if (!a || !b || a === 'UNKNOWN' || b === 'UNKNOWN') return true;
  return statusesAgree(a, b);
}

function progress(statuses: (Status | undefined)[]): string {
  const done = statuses.filter(isFinished).length;
  return `${done}/${statuses.length}`;
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

/** Builds the node drafts of one tracker (pure: no VS Code state besides ThemeIcon/MarkdownString values). */
export function buildTrackerDraft(entry: TrackerEntry): Draft {
  const t = entry.tracker;
  const base = `${entry.key}#`;
  if (!t) {
    return {
      id: `${base}root`,
      kind: 'tracker',
      entry,
      label: entry.label,
      description: entry.error ?? 'Loading…',
      icon: new vscode.ThemeIcon('error'),
      contextValue: 'worktracker.tracker',
      collapsible: vscode.TreeItemCollapsibleState.None,
    };
  }
  const used = new Set<ChecklistItem>();
  const ids = new Set<string>();
  const uniq = (id: string) => {
    let u = id;
    for (let i = 2; ids.has(u); i++) u = `${id}~${i}`;
    ids.add(u);
    return u;
  };
  const children: Draft[] = [];
  const inPhase = new Set<Agent>();

  // Phases and barriers in file order, as the document reads.
  const sections: (['phase', Phase] | ['barrier', Barrier])[] = [
    ...t.phases.map((p) => ['phase', p] as ['phase', Phase]),
    ...t.barriers.map((b) => ['barrier', b] as ['barrier', Barrier]),
  ];
  sections.sort((a, b) => a[1].heading.range.start.offset - b[1].heading.range.start.offset);
  for (const s of sections) {
    if (s[0] === 'phase') children.push(phaseDraft(entry, t, s[1], base, uniq, used, inPhase));
    else children.push(barrierDraft(entry, t, s[1], base, uniq, used));
  }
  // A tracker read without units: say so once, instead of phases with nothing under them.
  if (t.agents.length === 0) {
    const shown = children.filter((c) => c.status && c.status !== 'UNKNOWN');
    children.length = 0;
    children.push(notUnderstoodDraft(entry, t, base), ...shown);
  }
  const loose = t.agents.filter((a) => !inPhase.has(a));
  if (loose.length) {
    children.push({
      id: uniq(`${base}agents`),
      kind: 'section',
      entry,
      label: 'Agents',
      description: progress(loose.map((a) => a.status.status)),
      icon: new vscode.ThemeIcon('person'),
      contextValue: 'worktracker.section',
      collapsible: vscode.TreeItemCollapsibleState.Collapsed,
      children: loose.map((a) => agentDraft(entry, t, a, base, uniq, used, undefined)),
    });
  }
  if (t.blockers.length) {
    children.push({
      id: uniq(`${base}blockers`),
      kind: 'section',
      entry,
      label: 'Blockers',
      description: String(t.blockers.length),
      icon: new vscode.ThemeIcon('warning'),
      contextValue: 'worktracker.section',
      collapsible: vscode.TreeItemCollapsibleState.Collapsed,
      children: t.blockers.map((r, i) => {
        const id = cellText(r.cells.id) ?? `#${i + 1}`;
        const desc = cellText(r.cells.description) ?? cellText(r.cells.blocking) ?? '';
        const sev = cellText(r.cells.severity);
        const tip = untrustedMarkdown();
        tip.appendMarkdown(`**${escapeMd(id)}**`);
        for (const [k, c] of Object.entries(r.cells)) if (k !== 'id' && cellText(c)) tip.appendMarkdown(`\n\n${escapeMd(k)}: ${escapeMd(c.text)}`);
        return {
          id: uniq(`${base}blocker:${id}`),
          kind: 'blocker' as const,
          entry,
          label: desc ? `${id}: ${desc}` : id,
          description: [sev, cellText(r.cells.resolution)].filter(Boolean).join(' · '),
          tooltip: tip,
          icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor(/high|critical/i.test(sev ?? '') ? 'list.errorForeground' : 'list.warningForeground')),
          contextValue: 'worktracker.blocker',
          collapsible: vscode.TreeItemCollapsibleState.None,
          mdRange: r.row.range,
          status: r.status?.status,
        };
      }),
    });
  }
  if (t.nextActions.length) {
    children.push({
      id: uniq(`${base}next`),
      kind: 'section',
      entry,
      label: 'Next Actions',
      description: `${t.nextActions.filter((a) => a.checked).length}/${t.nextActions.length}`,
      icon: new vscode.ThemeIcon('tasklist'),
      contextValue: 'worktracker.section',
      collapsible: vscode.TreeItemCollapsibleState.Collapsed,
      children: t.nextActions.map((a) => checklistDraft(entry, a, `${base}next:`, uniq, used)),
    });
  }

  if (t.gates.length) children.push(gatesDraft(entry, t, base, uniq));
  const count = unitCount(t);
  const unread = t.coverage.unread.length;
  const coverage = unread ? `${t.coverage.units} units · ${unread} line${unread === 1 ? '' : 's'} not understood` : undefined;
  const tip = untrustedMarkdown();
  tip.appendMarkdown(`**${escapeMd(entry.label)}**\n\n`);
  tip.appendMarkdown(`${escapeMd(vscode.workspace.asRelativePath(entry.mdUri))}\n\n`);
  if (t.workflowStatus) tip.appendMarkdown(`Status: ${escapeMd(t.workflowStatus.raw)}\n\n`);
  const ys = t.yaml?.workflow.status;
  if (ys) tip.appendMarkdown(`YAML status: ${escapeMd(String(ys.value))}\n\n`);
  tip.appendMarkdown(`Units done: ${count.done}/${count.total}`);
  if (coverage) tip.appendMarkdown(`\n\n${escapeMd(coverage)}: run *Show Lines Not Understood* to list them`);
  const wf = t.workflowStatus?.status;
  return {
    id: `${base}root`,
    kind: 'tracker',
    entry,
    label: entry.label,
    description: [t.workflowStatus?.raw, t.agents.length ? `${count.done}/${count.total}` : undefined, coverage].filter(Boolean).join(' · '),
    tooltip: tip,
    icon: wf ? statusIcon(wf) : new vscode.ThemeIcon('checklist'),
    contextValue: 'worktracker.tracker',
    collapsible: vscode.TreeItemCollapsibleState.Expanded,
    mdRange: t.title?.range,
    status: wf,
    children,
  };
}

/** The YAML's word on a drifted node, in the description, so the warning icon explains itself without a hover. */
function yamlSays(drift: boolean, yaml: YamlScalar | undefined): string | undefined {
  return drift && yaml ? `YAML: ${String(yaml.value)}` : undefined;
}

function statusTooltip(title: string, status: StatusValue | undefined, yaml: YamlScalar | undefined, lines: [string, string | undefined][]): vscode.MarkdownString {
  const tip = untrustedMarkdown();
  tip.appendMarkdown(`**${escapeMd(title)}**`);
  if (status) tip.appendMarkdown(`\n\nStatus: ${escapeMd(status.raw)} (${STATUS_LABEL[status.status]})`);
  const ys = yamlStatus(yaml);
  if (yaml && ys) {
    const drift = status && !sameStatus(status.status, ys);
    tip.appendMarkdown(`\n\nYAML status: ${escapeMd(String(yaml.value))}${drift ? ' — $(warning) differs from the markdown' : ''}`);
  }
  for (const [k, v] of lines) if (v) tip.appendMarkdown(`\n\n${escapeMd(k)}: ${escapeMd(v)}`);
  return tip;
}

function phaseDraft(
  entry: TrackerEntry,
  t: Tracker,
  p: Phase,
  base: string,
  uniq: (id: string) => string,
  used: Set<ChecklistItem>,
  inPhase: Set<Agent>,
): Draft {
  const pid = `${base}phase:${p.number}`;
  const children: Draft[] = [];
  const grouped = new Set<Agent>();
  const meaningfulGroups = p.groups.filter((g) => g.agents.length > 0);
  if (meaningfulGroups.length > 1 || (meaningfulGroups.length === 1 && p.groups.length > 1)) {
    for (const g of meaningfulGroups) {
      const gid = uniq(`${pid}/group:${g.alias ?? g.title}`);
      g.agents.forEach((a) => grouped.add(a));
      children.push({
        id: gid,
        kind: 'group',
        entry,
        label: g.title,
        description: progress(g.agents.map((a) => a.status.status)),
        icon: new vscode.ThemeIcon('git-branch'),
        contextValue: 'worktracker.group',
        collapsible: vscode.TreeItemCollapsibleState.Expanded,
        mdRange: g.range,
        children: g.agents.map((a) => agentDraft(entry, t, a, base, uniq, used, p)),
      });
    }
  }
  for (const a of p.agents) {
    inPhase.add(a);
    if (!grouped.has(a)) children.push(agentDraft(entry, t, a, base, uniq, used, p));
  }
  // Checklist lines no agent claimed stay visible under the phase.
  for (const c of p.checklist) if (!used.has(c)) children.push(checklistDraft(entry, c, `${pid}/item:`, uniq, used));

  const yp = t.yaml?.phases.filter((y) => y.number === p.number) ?? [];
  const yStatuses = [...new Set(yp.map((y) => yamlStatus(y.status)).filter((s): s is Status => !!s))];
  const ys = yStatuses.length === 1 ? yp.find((y) => y.status)?.status : undefined;
  const drift = !!p.status && !!ys && !sameStatus(p.status.status, yamlStatus(ys));
  const eff = p.status ? undefined : p.effectiveStatus;
  const st = p.status?.status ?? eff?.status;
  const prog = progress(p.agents.map((a) => a.status.status));
  return {
    id: uniq(pid),
    kind: 'phase',
    entry,
    label: `Phase ${p.number}${p.title ? `: ${p.title}` : ''}`,
    description: [p.status?.raw ?? sourced(eff), p.agents.length ? prog : undefined, yamlSays(drift, ys)].filter(Boolean).join(' · '),
    tooltip: statusTooltip(`Phase ${p.number}${p.title ? ` — ${p.title}` : ''}`, p.status, ys, [
      ['Status', sourceNote(eff)],
      ['Agents done', p.agents.length ? prog : undefined],
      ['Artifacts ticked', p.checklist.length ? `${p.checklist.filter((c) => c.checked).length}/${p.checklist.length}` : undefined],
    ]),
    icon: drift ? driftIcon() : statusIcon(st),
    contextValue: contextFor('phase', st, drift ? '.drift' : ''),
    collapsible: st === 'COMPLETE' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
    mdRange: p.heading.range,
    yamlRange: yp[0]?.range,
    status: st,
    drift,
    phaseNumber: p.number,
    children,
  };
}

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

function agentDraft(
  entry: TrackerEntry,
  t: Tracker,
  a: Agent,
  base: string,
  uniq: (id: string) => string,
  used: Set<ChecklistItem>,
  phase: Phase | undefined,
): Draft {
  const aid = uniq(`${base}agent:${a.id}`);
  const ya = t.yaml?.agents.find((y) => y.id === a.id);
  const ys = yamlStatus(ya?.status);
  const drift = !!ya && !!ys && !sameStatus(a.status.status, ys);
  const children: Draft[] = [];
  for (const ref of a.artifacts) {
    const item = findChecklist(t, phase, ref, used);
    if (item) used.add(item);
    const path = item?.artifact?.path ?? ref.path;
    children.push({
      id: uniq(`${aid}/art:${path}`),
      kind: 'artifact',
      entry,
      label: basename(path),
      description: posix.dirname(path) === '.' ? undefined : posix.dirname(path),
      tooltip: artifactTooltip(path, item, a),
      icon: item ? undefined : new vscode.ThemeIcon('file'),
      contextValue: `worktracker.artifact${item ? (item.checked ? '.checked' : '.unchecked') : ''}`,
      collapsible: vscode.TreeItemCollapsibleState.None,
      mdRange: item?.range ?? ref.range,
      checked: item?.checked,
      checklistItem: item,
      artifactPath: path,
      agentId: a.id,
      agentLine: a.row.range.start.line,
    });
  }
  const started = cellText(a.started);
  const completed = cellText(a.completed);
  const dates = started || completed ? `${started ?? '…'} → ${completed ?? '…'}` : undefined;
  return {
    id: aid,
    kind: 'agent',
    entry,
    label: a.id,
    description: [a.status.raw, dates, yamlSays(drift, ya?.status)].filter(Boolean).join(' · '),
    tooltip: statusTooltip(a.id, a.status, ya?.status, [
      ['Role', cellText(a.role)],
      ['Artifact', cellText(a.artifactCell)],
      ['Started', started],
      ['Completed', completed],
      ['Notes', cellText(a.notes)],
    ]),
    icon: drift ? driftIcon() : statusIcon(a.status.status),
    contextValue: contextFor('agent', a.status.status, drift ? '.drift' : ''),
    collapsible: children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
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

function artifactTooltip(path: string, item: ChecklistItem | undefined, agent?: Agent): vscode.MarkdownString {
  const tip = untrustedMarkdown();
  tip.appendMarkdown(`\`${path.replace(/`/g, "'")}\``);
  if (item) tip.appendMarkdown(`\n\n${item.checked ? 'Ticked' : 'Not ticked'} in the checklist`);
  if (agent) tip.appendMarkdown(`\n\nProduced by ${escapeMd(agent.id)} (${escapeMd(agent.status.raw)})`);
  return tip;
}

function checklistDraft(entry: TrackerEntry, c: ChecklistItem, prefix: string, uniq: (id: string) => string, used: Set<ChecklistItem>): Draft {
  used.add(c);
  const path = c.artifact?.path;
  return {
    id: uniq(`${prefix}${path ?? c.text}`),
    kind: c.artifact ? 'artifact' : 'action',
    entry,
    label: path ? basename(path) : plainLabel(c.text),
    description: path && posix.dirname(path) !== '.' ? posix.dirname(path) : undefined,
    tooltip: path ? artifactTooltip(path, c) : undefined,
    contextValue: `worktracker.${c.artifact ? 'artifact' : 'action'}${c.checked ? '.checked' : '.unchecked'}`,
    collapsible: vscode.TreeItemCollapsibleState.None,
    mdRange: c.range,
    checked: c.checked,
    checklistItem: c,
    artifactPath: path,
  };
}

function barrierDraft(entry: TrackerEntry, t: Tracker, b: Barrier, base: string, uniq: (id: string) => string, used: Set<ChecklistItem>): Draft {
  const bid = uniq(`${base}barrier:${b.id}`);
  const yb = t.yaml?.barriers.find((y) => y.id === b.id || y.number === b.number);
  const drift = !!b.status && !!yb?.status && !sameStatus(b.status.status, yamlStatus(yb.status));
  const children: Draft[] = b.directions.map((d) => {
    const st = d.status?.status;
    return {
      id: uniq(`${bid}/dir:${d.direction}`),
      kind: 'direction' as const,
      entry,
      label: d.direction,
      description: [d.status?.raw, cellText(d.artifact)].filter(Boolean).join(' · '),
      tooltip: statusTooltip(`${b.id} ${d.direction}`, d.status, undefined, [['Artifact', cellText(d.artifact)]]),
      icon: statusIcon(st),
      contextValue: contextFor('direction', st),
      collapsible: vscode.TreeItemCollapsibleState.None,
      mdRange: d.row.range,
      status: st,
      barrierNumber: b.number,
    };
  });
  for (const c of b.checklist) if (!used.has(c)) children.push(checklistDraft(entry, c, `${bid}/item:`, uniq, used));
  const eff = b.status ? undefined : b.effectiveStatus;
  const st = b.status?.status ?? eff?.status;
  const prog = progress(b.directions.map((d) => d.status?.status));
  return {
    id: bid,
    kind: 'barrier',
    entry,
    label: `Barrier ${b.number}${b.title ? `: ${b.title}` : ''}`,
    description: [b.status?.raw ?? sourced(eff), b.directions.length ? prog : undefined, yamlSays(drift, yb?.status)].filter(Boolean).join(' · '),
    tooltip: statusTooltip(`Barrier ${b.number}${b.title ? ` — ${b.title}` : ''}`, b.status, yb?.status, [
      ['Status', sourceNote(eff)],
      ['Directions done', b.directions.length ? prog : undefined],
    ]),
    icon: drift ? driftIcon() : statusIcon(st),
    contextValue: contextFor('barrier', st, drift ? '.drift' : ''),
    collapsible: st === 'COMPLETE' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
    mdRange: b.heading.range,
    yamlRange: yb?.range,
    status: st,
    drift,
    barrierNumber: b.number,
    children,
  };
}

/** A status not written in its own heading or row, marked with where it came from. */
function sourced(eff: EffectiveStatus | undefined): string | undefined {
  if (!eff) return undefined;
  return `${eff.raw ?? STATUS_LABEL[eff.status]} (${eff.source === 'dashboard' ? 'from the dashboard' : eff.source === 'derived' ? 'derived' : 'own row'})`;
}

function sourceNote(eff: EffectiveStatus | undefined): string | undefined {
  if (!eff) return undefined;
  const where = eff.source === 'dashboard' ? `read from the dashboard${eff.line !== undefined ? ` (line ${eff.line + 1})` : ''}` : eff.source === 'derived' ? 'derived from its units' : `read from its row${eff.line !== undefined ? ` (line ${eff.line + 1})` : ''}`;
  return `${STATUS_LABEL[eff.status]}, ${where}`;
}

/** The one child of a tracker whose units the reader did not recognise. */
function notUnderstoodDraft(entry: TrackerEntry, t: Tracker, base: string): Draft {
  const n = t.coverage.unread.length;
  const tip = untrustedMarkdown();
  tip.appendMarkdown(
    `The reader found no unit of work (agent table, key/value section, heading over placeholder rows, artifact rows) in this tracker, so nothing in it is edited or synced.${n ? `\n\n${n} line${n === 1 ? '' : 's'} with a status ${n === 1 ? 'was' : 'were'} not understood: click to list them.` : ''}`,
  );
  return {
    id: `${base}not-understood`,
    kind: 'message',
    entry,
    label: `No agent tables recognised: ${n} status line${n === 1 ? '' : 's'} not understood`,
    tooltip: tip,
    icon: new vscode.ThemeIcon('info'),
    contextValue: 'worktracker.message',
    collapsible: vscode.TreeItemCollapsibleState.None,
    command: { command: 'worktracker.showUnread', title: 'Show Lines Not Understood', arguments: [entry.mdUri.toString()] },
  };
}

function gatesDraft(entry: TrackerEntry, t: Tracker, base: string, uniq: (id: string) => string): Draft {
  const gates = t.gates.map((g): Draft => {
    const eff = g.status ? undefined : g.effectiveStatus;
    const st = g.status?.status ?? eff?.status;
    return {
      id: uniq(`${base}gate:${g.id}@${g.line}`),
      kind: 'gate',
      entry,
      label: g.title && g.title !== g.id ? `${g.id}: ${plainLabel(g.title)}` : g.id,
      description: g.status?.raw ?? sourced(eff),
      tooltip: statusTooltip(g.id, g.status, undefined, [['Status', sourceNote(eff)], ['Phase', g.phase !== undefined ? String(g.phase) : undefined]]),
      icon: statusIcon(st),
      contextValue: contextFor('gate', st),
      collapsible: vscode.TreeItemCollapsibleState.None,
      mdRange: g.row?.range ?? g.heading?.range ?? g.range,
      status: st,
    };
  });
  return {
    id: uniq(`${base}gates`),
    kind: 'section',
    entry,
    label: 'Gates',
    description: progress(gates.map((g) => g.status)),
    icon: new vscode.ThemeIcon('verified'),
    contextValue: 'worktracker.section',
    collapsible: vscode.TreeItemCollapsibleState.Collapsed,
    children: gates,
  };
}

function signature(d: Draft, childIds: string[]): string {
  const icon = d.icon ? `${d.icon.id}:${(d.icon.color as { id?: string } | undefined)?.id ?? ''}` : '';
  return JSON.stringify([d.label, d.description, d.tooltip?.value, icon, d.contextValue, d.checked, d.collapsible, childIds]);
}

/**
 * The Worktracker tree. Rebuilds per tracker on change but keeps node objects whose signature is
 * unchanged, and fires change events only for the nodes that differ.
 */
export class TrackerTree extends Disposable implements vscode.TreeDataProvider<TrackerNode> {
  private readonly emitter = this._register(new vscode.EventEmitter<TrackerNode | TrackerNode[] | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly toggled = this._register(new vscode.EventEmitter<readonly CheckboxToggle[]>());
  /**
   * Fires when the user ticks or unticks boxes in the view (several at once when a selection is
   * toggled); the Commands feature writes them. The tree itself never edits a file.
   */
  readonly onDidToggleCheckbox = this.toggled.event;
  private readonly roots = new Map<string, TrackerNode>();
  private readonly nodes = new Map<string, TrackerNode>();
  readonly view: vscode.TreeView<TrackerNode>;
  private multi = false;

  constructor(private readonly store: TrackerStore) {
    super();
    this.view = this._register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true, manageCheckboxStateManually: true }));
    this._registerAll(
      store.onDidChange((entries) => this.update(entries)),
      store.onDidChangeList(() => this.updateList()),
      this.view.onDidChangeCheckboxState((e) => this.toggled.fire(e.items.map(([node, state]) => ({ node, checked: state === vscode.TreeItemCheckboxState.Checked })))),
      vscode.languages.onDidChangeDiagnostics((e) => this.onDiagnostics(e.uris)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((ed) => ed && this.follow(ed)),
    );
    this.updateList();
  }

  getTreeItem(n: TrackerNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.collapsible);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.iconPath = n.icon;
    item.contextValue = n.contextValue;
    if (n.checked !== undefined) {
      item.checkboxState = {
        state: n.checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: n.checked ? 'Untick in the checklist' : 'Tick in the checklist',
        accessibilityInformation: { label: `${n.label} ${n.checked ? 'ticked' : 'not ticked'}` },
      };
    }
    const range = n.mdRange ?? n.yamlRange;
    if (n.command) item.command = n.command;
    else if (range) {
      const uri = n.mdRange ? n.entry.mdUri : n.entry.yamlUri;
      item.command = {
        command: 'worktracker.revealInEditor',
        title: 'Reveal in Editor',
        arguments: [uri.toString(), range.start.line, range.start.column, range.end.line, range.end.column],
      };
      // The file icon theme picks the icon from the name; only plain relative paths qualify.
      if (n.kind === 'artifact' && n.artifactPath && !n.checklistItem && /^[\w.][\w./ -]*$/.test(n.artifactPath) && !n.artifactPath.includes('..')) {
        item.resourceUri = vscode.Uri.joinPath(n.entry.mdUri, '..', n.artifactPath);
      }
    }
    // A path the diagnostics could not find: a ticked box alone would read as "done and there".
    // An artifact of unfinished work is simply not written yet (the finding's `data.produced`).
    const state = this.artifactState(n);
    if (state) {
      this.missingShown.set(n.id, state);
      item.description = [n.description, state === 'missing' ? 'not found' : 'not produced yet'].filter(Boolean).join(' · ');
      if (state === 'missing') item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    } else {
      this.missingShown.delete(n.id);
    }
    item.accessibilityInformation = { label: [n.label, item.description].filter(Boolean).join(', ') };
    return item;
  }

  /** Artifact nodes drawn with the "not found" mark, to redraw only those whose state changes. */
  private readonly missingShown = new Map<string, 'missing' | 'not-produced'>();

  /** A path-missing diagnostic on the node's source line naming its file: missing, or not produced yet. */
  private artifactState(n: TrackerNode): 'missing' | 'not-produced' | undefined {
    if (n.kind !== 'artifact' || !n.mdRange || !n.artifactPath) return undefined;
    const name = basename(n.artifactPath);
    const { start, end } = n.mdRange;
    const d = vscode.languages.getDiagnostics(n.entry.mdUri).find((d) => {
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      return code === 'path-missing' && d.range.start.line >= start.line && d.range.start.line <= end.line && d.message.includes(name);
    });
    if (!d) return undefined;
    return publishedFinding(n.entry.mdUri, d)?.data?.produced === false ? 'not-produced' : 'missing';
  }

  private onDiagnostics(uris: readonly vscode.Uri[]): void {
    const changed: TrackerNode[] = [];
    for (const uri of uris) {
      const entry = this.store.get(uri);
      if (!entry || entry.mdUri.toString() !== uri.toString()) continue;
      for (const n of this.nodesOf(entry)) {
        if (n.kind === 'artifact' && this.artifactState(n) !== this.missingShown.get(n.id)) changed.push(n);
      }
    }
    if (changed.length) this.emitter.fire(changed);
  }

  getChildren(n?: TrackerNode): TrackerNode[] {
    if (n) return n.children;
    const roots = this.store.all().map((e) => this.roots.get(e.key)).filter((r): r is TrackerNode => !!r);
    if (roots.length === 1 && !this.multi) return roots[0].children;
    return roots;
  }

  getParent(n: TrackerNode): TrackerNode | undefined {
    if (!n.parent) return undefined;
    if (n.parent.kind === 'tracker' && !this.multi) return undefined;
    return n.parent;
  }

  /** Redraws one node (e.g. to put a checkbox back after a refused edit). */
  refreshNode(n: TrackerNode): void {
    this.emitter.fire([n]);
  }

  /** All nodes of a tracker (for lookups by tests and commands). */
  nodesOf(entry: TrackerEntry): TrackerNode[] {
    return [...this.nodes.values()].filter((n) => n.entry === entry);
  }

  find(pred: (n: TrackerNode) => boolean): TrackerNode | undefined {
    for (const n of this.nodes.values()) if (pred(n)) return n;
    return undefined;
  }

  private updateList(): void {
    const entries = this.store.all();
    const keys = new Set(entries.map((e) => e.key));
    for (const [k, r] of this.roots) {
      if (!keys.has(k)) {
        this.roots.delete(k);
        this.forget(r);
      }
    }
    for (const e of entries) if (!this.roots.has(e.key)) this.reconcileRoot(e);
    this.multi = entries.length > 1;
    this.updateBadge();
    this.emitter.fire(undefined);
  }

  private update(entries: TrackerEntry[]): void {
    const changed: TrackerNode[] = [];
    let rootsChanged = false;
    for (const e of entries) {
      if (!this.store.all().includes(e)) continue;
      const had = this.roots.has(e.key);
      const res = this.reconcileRoot(e);
      if (!had) rootsChanged = true;
      changed.push(...res);
    }
    this.updateBadge();
    if (rootsChanged) return this.emitter.fire(undefined);
    // Only the topmost changed nodes: a refreshed parent refreshes its subtree.
    const set = new Set(changed);
    const top = changed.filter((n) => {
      for (let p = n.parent; p; p = p.parent) if (set.has(p)) return false;
      return true;
    });
    if (top.length === 0) return;
    // A changed root of a single tracker is not itself displayed: refresh the whole view.
    if (top.some((n) => n.kind === 'tracker' && !this.multi)) return this.emitter.fire(undefined);
    this.emitter.fire(top);
  }

  /** Rebuilds a tracker's nodes, reusing unchanged objects; returns nodes needing redraw. */
  private reconcileRoot(e: TrackerEntry): TrackerNode[] {
    let draft: Draft;
    try {
      draft = buildTrackerDraft(e);
    } catch (err) {
      // An unexpected model shape must cost one tracker's tree, not the whole view.
      draft = {
        id: `${e.key}#root`,
        kind: 'tracker',
        entry: e,
        label: e.label,
        description: `Could not build the tree: ${err instanceof Error ? err.message : String(err)}`,
        icon: new vscode.ThemeIcon('error'),
        contextValue: 'worktracker.tracker',
        collapsible: vscode.TreeItemCollapsibleState.None,
      };
    }
    const changed: TrackerNode[] = [];
    const seen = new Set<string>();
    const root = this.reconcile(draft, undefined, changed, seen);
    for (const [id, n] of this.nodes) if (n.entry === e && !seen.has(id)) this.nodes.delete(id);
    this.roots.set(e.key, root);
    return changed;
  }

  private reconcile(d: Draft, parent: TrackerNode | undefined, changed: TrackerNode[], seen: Set<string>): TrackerNode {
    const old = this.nodes.get(d.id);
    const { children: draftChildren, ...fields } = d;
    const node: TrackerNode = old ?? { ...fields, children: [], sig: '' };
    seen.add(d.id);
    const children = (draftChildren ?? []).map((c) => this.reconcile(c, node, changed, seen));
    const sig = signature(d, children.map((c) => c.id));
    // Ranges and model data always refresh (lines move as the user types) without a redraw.
    Object.assign(node, fields, { children, parent });
    if (!old || old.sig !== sig) {
      node.sig = sig;
      if (old) changed.push(node);
    }
    this.nodes.set(d.id, node);
    return node;
  }

  private forget(n: TrackerNode): void {
    this.nodes.delete(n.id);
    for (const c of n.children) this.forget(c);
  }

  private updateBadge(): void {
    let blocked = 0;
    let failed = 0;
    for (const e of this.store.all()) {
      if (!e.tracker) continue;
      // The one count: each unit occurrence once.
      const c = unitCount(e.tracker);
      blocked += c.byStatus.BLOCKED ?? 0;
      failed += c.byStatus.FAILED ?? 0;
    }
    const n = blocked + failed;
    // Only the non-zero counts: "1 blocked agent", "2 blocked, 1 failed agents".
    const parts = [blocked ? `${blocked} blocked` : '', failed ? `${failed} failed` : ''].filter(Boolean).join(', ');
    this.view.badge = n ? { value: n, tooltip: `${parts} agent${n === 1 ? '' : 's'}` } : undefined;
  }

  /** Reveals the node under the cursor when the view is visible (tree follows the editor). */
  private follow(editor: vscode.TextEditor): void {
    if (!this.view.visible || !getConfig(editor.document.uri).followCursor) return;
    const node = this.nodeAt(editor.document.uri, editor.selection.active);
    if (node && this.view.selection[0] !== node) void this.view.reveal(node, { select: true, focus: false, expand: false }).then(undefined, () => undefined);
  }

  /** The innermost node whose source range holds the position. */
  nodeAt(uri: vscode.Uri, pos: vscode.Position): TrackerNode | undefined {
    const entry = this.store.get(uri);
    if (!entry) return undefined;
    const isMd = uri.toString() === entry.mdUri.toString();
    let best: TrackerNode | undefined;
    let bestSize = Infinity;
    for (const n of this.nodes.values()) {
      if (n.entry !== entry || n.kind === 'tracker') continue;
      const r = isMd ? n.mdRange : n.yamlRange;
      if (!r) continue;
      // Headings are one line but stand for their whole section: use the line for rows, the heading for sections.
      if (pos.line < r.start.line || pos.line > r.end.line) {
        continue;
      }
      const size = r.end.offset - r.start.offset;
      if (size < bestSize) {
        best = n;
        bestSize = size;
      }
    }
    return best ?? this.sectionAt(entry, isMd, pos);
  }

  /** When the cursor is inside a phase or barrier section (not on a row), that section's node. */
  private sectionAt(entry: TrackerEntry, isMd: boolean, pos: vscode.Position): TrackerNode | undefined {
    const t = entry.tracker;
    if (!t || !isMd) return undefined;
    const phase = t.phases.find((p) => toVsRange(p.range).contains(pos));
    if (phase) return this.find((n) => n.entry === entry && n.kind === 'phase' && n.phaseNumber === phase.number);
    const barrier = t.barriers.find((b) => toVsRange(b.range).contains(pos));
    if (barrier) return this.find((n) => n.entry === entry && n.kind === 'barrier' && n.barrierNumber === barrier.number);
    return undefined;
  }
}
