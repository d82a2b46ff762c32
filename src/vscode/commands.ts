/**
 * Every Worktracker command, registered from one table (`commandTable`), and their handlers. Each
 * acts on a tree node, on explicit arguments (scripts, tests, hovers), or asks with a quick pick.
 */
import * as vscode from 'vscode';
import type { ChecklistItem, Status, Tracker } from '../core/model';
import { setAgentStatus, setArtifactChecked, setBarrierStatus, setPhaseStatus } from '../core/edits';
import { syncDerived } from '../core/dashboard';
import { TRACKER_FILE, YAML_FILE } from '../core/files';
import type { DashboardRedraw } from './redraw';
import type { TrackerEntry, TrackerStore } from './trackerStore';
import type { TrackerWriter, ApplyResult } from './trackerWriter';
import type { CheckboxToggle, TrackerNode, TrackerTree } from './tree';
import { VIEW_ID } from './tree';
import { getConfig } from './config';
import { containsPos, statusIcon } from './ui';
import { STATUS_LABEL } from '../core/present';
import { Disposable } from './dispose';
import { addToIgnore } from './quickFixes';
import { cursorIn, findOccurrence, idCounts, occurrenceLabel, pickAgent, pickStatus, quickPick, type AgentPick } from './picks';

/** Arguments commands accept from scripts/tests, besides a tree node. */
export interface CommandTarget {
  /** Tracker markdown (or YAML) URI, as a string or Uri. */
  uri?: string | vscode.Uri;
  /**
   * Agent id (case-insensitive). Enough alone when the id has one row; an id written in several
   * rows (one per phase, say) also needs `line` (its row) or `phase`, else the command refuses.
   */
  agentId?: string;
  /** Phase number: the phase to set, or (with `agentId`) the phase whose row of that agent to edit. */
  phase?: number;
  barrier?: number;
  direction?: string;
  status?: Status;
  /**
   * 0-based line in the markdown: the checklist line of an artifact to toggle, or (with `agentId`)
   * the agent's table row to edit — the row `show --json` prints as `line` minus 1.
   */
  line?: number;
  /** Date to write instead of now (`YYYY-MM-DD` or ISO), for scripts and tests. */
  date?: string;
}

type Arg = TrackerNode | CommandTarget | vscode.Uri | undefined;

/** One row of the command table: a command id and what runs it. */
export type CommandEntry = readonly [id: string, handler: (...args: any[]) => unknown];

const AGENT_STATUS_COMMANDS: [string, Status][] = [
  ['worktracker.markComplete', 'COMPLETE'],
  ['worktracker.markInProgress', 'IN_PROGRESS'],
  ['worktracker.markPending', 'PENDING'],
  ['worktracker.markBlocked', 'BLOCKED'],
  ['worktracker.markFailed', 'FAILED'],
];

/**
 * The one list of every command the extension registers (each id in package.json's
 * `contributes.commands` appears here once). Hover links and the quick fix's ignore action run
 * commands from this table too; nothing else calls `registerCommand`.
 */
export function commandTable(c: Commands): CommandEntry[] {
  return [
    ...AGENT_STATUS_COMMANDS.map(([id, status]): CommandEntry => [id, (a?: Arg) => c.setAgent(a, status)]),
    ['worktracker.setAgentStatus', (a?: Arg) => c.setAgent(a, undefined)],
    ['worktracker.setBarrierStatus', (a?: Arg) => c.setBarrier(a)],
    ['worktracker.setPhaseStatus', (a?: Arg) => c.setPhase(a)],
    ['worktracker.toggleArtifact', (a?: Arg) => c.toggleArtifact(a)],
    ['worktracker.syncDashboard', (a?: Arg) => c.syncDashboard(a)],
    ['worktracker.showUnread', (a?: Arg | string) => c.showUnread(typeof a === 'string' ? { uri: a } : a)],
    ['worktracker.redrawDashboard', (a?: Arg & { confirmed?: boolean }) => c.redrawDashboard(a)],
    ['worktracker.openCompanion', (a?: Arg) => c.openCompanion(a)],
    ['worktracker.goToAgent', (a?: Arg) => c.goToAgent(a)],
    ['worktracker.refresh', () => c.refresh()],
    ['worktracker.showTree', () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)],
    ['worktracker.revealInEditor', (uri: string, l1: number, c1: number, l2?: number, c2?: number) => revealInEditor(uri, l1, c1, l2 ?? l1, c2 ?? c1)],
    // Links in hovers (trusted for these two and revealInEditor only: ui.HOVER_COMMANDS).
    ['worktracker.openArtifact', (uri: string) => vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(uri))],
    ['worktracker.revealArtifact', (uri: string) => vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(uri))],
    // The "Ignore path" quick fix.
    ['worktracker.addToIgnore', (path: string, scope?: string) => addToIgnore(path, scope)],
  ];
}

/** Registers a command table; the caller owns the returned disposables. */
export function registerCommands(table: readonly CommandEntry[]): vscode.Disposable[] {
  return table.map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

function isNode(a: unknown): a is TrackerNode {
  return !!a && typeof a === 'object' && 'kind' in a && 'entry' in a && 'sig' in a;
}

/** The command handlers, with what they share: the store, the writer, the tree and the redraw. */
export class Commands extends Disposable {
  constructor(
    private readonly store: TrackerStore,
    private readonly writer: TrackerWriter,
    private readonly tree: TrackerTree,
    private readonly redraw: DashboardRedraw,
  ) {
    super();
    this._registerAll(
      ...registerCommands(commandTable(this)),
      tree.onDidToggleCheckbox((e) => this.onCheckboxes(e)),
    );
  }

  // ------------------------------------------------------------ resolving the target

  /** The tracker a command acts on: from the argument, the active editor, the only one, or a pick. */
  private async entryFor(a: Arg): Promise<TrackerEntry | undefined> {
    await this.store.ready();
    if (isNode(a)) return a.entry;
    const uri = a instanceof vscode.Uri ? a : a?.uri ? (typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : a.uri) : undefined;
    if (uri) return this.store.get(uri);
    const active = this.store.active();
    if (active) return active;
    const all = this.store.all();
    if (all.length === 0) {
      void vscode.window.showInformationMessage(`No ${TRACKER_FILE} found in this workspace.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      all.map((e) => ({ label: e.label, description: vscode.workspace.asRelativePath(e.mdUri), entry: e })),
      { placeHolder: 'Which tracker?' },
    );
    return pick?.entry;
  }

  /** The tracker a command reads from: the store's snapshot (re-parsed only when stale). */
  private async trackerOf(entry: TrackerEntry): Promise<Tracker | undefined> {
    return (await this.store.snapshot(entry))?.tracker;
  }

  /** Asks for one agent row of the tracker. */
  private async askAgent(entry: TrackerEntry, placeHolder: string): Promise<AgentPick | undefined> {
    const t = await this.trackerOf(entry);
    return t && pickAgent(entry, t, placeHolder);
  }

  /** The agent row a command argument names: a tree node's row, or a CommandTarget's id with its line/phase. */
  private agentTarget(a: Arg): AgentPick | undefined {
    if (isNode(a)) return a.agentId ? { id: a.agentId, line: a.agentLine, phase: a.kind === 'agent' ? a.phaseNumber : undefined } : undefined;
    if (!a || a instanceof vscode.Uri || !a.agentId) return undefined;
    return { id: a.agentId, line: a.line, phase: a.phase };
  }

  // ------------------------------------------------------------ commands

  async setAgent(a: Arg, status: Status | undefined): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const target = this.agentTarget(a) ?? (await this.askAgent(entry, status ? `Mark which agent ${STATUS_LABEL[status]}?` : 'Set the status of which agent?'));
    if (!target) return undefined;
    const agentId = target.id;
    const row = entry.tracker && findOccurrence(entry.tracker, target);
    const what = row && entry.tracker ? occurrenceLabel(row, idCounts(entry.tracker)) : agentId;
    const s = status ?? (a as CommandTarget | undefined)?.status ?? (await pickStatus(row?.status.status, what));
    if (!s) return undefined;
    const { dateFormat } = getConfig(entry.mdUri);
    const date = isNode(a) ? undefined : (a as CommandTarget | undefined)?.date;
    // The row is addressed by its line (and phase, as a check that the line still holds the same unit).
    return this.writer.apply(entry, `mark ${what} ${STATUS_LABEL[s]}`, (t) =>
      setAgentStatus(t, agentId, s, { dateStyle: dateFormat === 'auto' ? 'auto' : dateFormat, now: new Date(), date, line: target.line, phase: target.phase }),
    );
  }

  async setPhase(a: Arg): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const t = await this.trackerOf(entry);
    if (!t) return undefined;
    let n = isNode(a) ? a.phaseNumber : (a as CommandTarget | undefined)?.phase;
    if (n === undefined || (isNode(a) && a.kind !== 'phase')) {
      const pos = cursorIn(entry);
      const items = t.phases.map((p) => ({
        label: `$(${statusIcon(p.status?.status).id}) Phase ${p.number}`,
        description: [p.title, p.status?.raw].filter(Boolean).join(' — '),
        n: p.number,
        under: !!pos && containsPos(p.range, pos),
      }));
      if (items.length === 0) return void vscode.window.showInformationMessage('This tracker has no phase headings.');
      const pick = await quickPick(items, 'Set the status of which phase?');
      n = pick?.n;
    }
    if (n === undefined) return undefined;
    const phaseNo = n;
    const s = (a as CommandTarget | undefined)?.status ?? (await pickStatus(t.phases.find((p) => p.number === phaseNo)?.status?.status, `Phase ${phaseNo}`));
    if (!s) return undefined;
    return this.writer.apply(entry, `set Phase ${phaseNo} ${STATUS_LABEL[s]}`, (tr) => setPhaseStatus(tr, phaseNo, s));
  }

  async setBarrier(a: Arg): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const t = await this.trackerOf(entry);
    if (!t) return undefined;
    let n = isNode(a) ? a.barrierNumber : (a as CommandTarget | undefined)?.barrier;
    let direction = isNode(a) ? (a.kind === 'direction' ? a.label : undefined) : (a as CommandTarget | undefined)?.direction;
    if (n === undefined) {
      const pos = cursorIn(entry);
      const items: { label: string; description?: string; n: number; direction?: string; under: boolean }[] = [];
      for (const b of t.barriers) {
        items.push({ label: `$(${statusIcon(b.status?.status).id}) Barrier ${b.number}`, description: [b.title, b.status?.raw].filter(Boolean).join(' — '), n: b.number, under: false });
        for (const d of b.directions) {
          items.push({
            label: `    $(${statusIcon(d.status?.status).id}) ${d.direction}`,
            description: [`Barrier ${b.number}`, d.status?.raw].filter(Boolean).join(' — '),
            n: b.number,
            direction: d.direction,
            under: !!pos && containsPos(d.row.range, pos),
          });
        }
      }
      if (items.length === 0) return void vscode.window.showInformationMessage('This tracker has no barriers.');
      const pick = await quickPick(items, 'Set the status of which barrier (or direction)?');
      if (!pick) return undefined;
      n = pick.n;
      direction = pick.direction;
    }
    const barrierNo = n;
    const b = t.barriers.find((x) => x.number === barrierNo);
    const cur = direction ? b?.directions.find((d) => d.direction === direction)?.status?.status : b?.status?.status;
    const what = direction ? `Barrier ${barrierNo} ${direction}` : `Barrier ${barrierNo}`;
    const s = (a as CommandTarget | undefined)?.status ?? (await pickStatus(cur, what));
    if (!s) return undefined;
    return this.writer.apply(entry, `set ${what} ${STATUS_LABEL[s]}`, (tr) => setBarrierStatus(tr, barrierNo, s, direction ? { direction } : undefined));
  }

  /** Ticks or unticks a checklist line; the target is identified by its line so a re-parse finds it again. */
  async toggleArtifact(a: Arg, checked?: boolean): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    let line = isNode(a) ? a.checklistItem?.range.start.line : (a as CommandTarget | undefined)?.line;
    if (line === undefined) {
      const t = await this.trackerOf(entry);
      if (!t) return undefined;
      const pos = cursorIn(entry);
      const items = t.checklist.map((c) => ({
        label: `${c.checked ? '$(pass-filled)' : '$(circle-large-outline)'} ${c.artifact?.path ?? c.text}`,
        description: `line ${c.range.start.line + 1}`,
        line: c.range.start.line,
        under: !!pos && pos.line === c.range.start.line,
      }));
      if (items.length === 0) return void vscode.window.showInformationMessage('This tracker has no checklist items.');
      line = (await quickPick(items, 'Toggle which checklist item?'))?.line;
    }
    if (line === undefined) return undefined;
    const l = line;
    return this.writer.apply(entry, 'toggle the checklist item', (t) => {
      const item = t.checklist.find((c: ChecklistItem) => c.range.start.line === l);
      if (!item) return `no checklist item on line ${l + 1}`;
      return setArtifactChecked(t, item, checked ?? !item.checked);
    });
  }

  async syncDashboard(a: Arg): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const res = await this.writer.apply(entry, 'sync the dashboard', (t) => syncDerived(t, { now: new Date() }));
    if (res.ok && res.edits.length === 0) void vscode.window.setStatusBarMessage('$(check) Worktracker: dashboard already up to date', 3000);
    return res;
  }

  /** The explicit full redraw: previewed as a diff, applied only when confirmed. */
  async redrawDashboard(a?: Arg & { confirmed?: boolean }): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    return this.redraw.run(entry, !isNode(a) && a !== undefined && !(a instanceof vscode.Uri) && a.confirmed === true);
  }

  async openCompanion(a: Arg): Promise<void> {
    const ed = vscode.window.activeTextEditor;
    const entry = await this.entryFor(a);
    if (!entry) return;
    const onYaml = ed && ed.document.uri.toString() === entry.yamlUri.toString() && !(a && !(a instanceof vscode.Uri) && !isNode(a));
    const target = onYaml ? entry.mdUri : entry.yamlUri;
    if (!onYaml && !entry.yamlExists) {
      void vscode.window.showInformationMessage(`There is no ${YAML_FILE} beside ${vscode.workspace.asRelativePath(entry.mdUri)}.`);
      return;
    }
    // Land on the same element in the other file when the cursor is on an agent.
    let sel: vscode.Range | undefined;
    const t = entry.tracker;
    if (ed && t) {
      const pos = ed.selection.active;
      if (onYaml) {
        const ya = t.yaml?.agents.find((y) => containsPos(y.range, pos));
        const a2 = ya && t.agents.find((x) => x.id === ya.id);
        if (a2) sel = new vscode.Range(a2.row.range.start.line, 0, a2.row.range.start.line, 0);
      } else {
        const a2 = t.agents.find((x) => containsPos(x.row.range, pos));
        const ya = a2 && t.yaml?.agents.find((y) => y.id === a2.id);
        if (ya) sel = new vscode.Range(ya.range.start.line, ya.range.start.column, ya.range.start.line, ya.range.start.column);
      }
    }
    await vscode.window.showTextDocument(target, { selection: sel });
  }

  /** Lists the status lines the reader left unread (coverage), and goes to the one picked. */
  async showUnread(a: Arg): Promise<void> {
    const entry = await this.entryFor(a);
    if (!entry) return;
    const t = await this.trackerOf(entry);
    if (!t) return;
    const unread = t.coverage.unread;
    if (unread.length === 0) {
      void vscode.window.showInformationMessage(`Every status line of ${vscode.workspace.asRelativePath(entry.mdUri)} was read (${t.coverage.units} units).`);
      return;
    }
    const pick = await vscode.window.showQuickPick(
      unread.map((u) => ({ label: `$(question) line ${u.line + 1}`, description: u.text.trim().slice(0, 200), line: u.line })),
      { placeHolder: `${unread.length} status line${unread.length === 1 ? '' : 's'} not understood (${t.coverage.units} read as units) — pick one to go there`, matchOnDescription: true },
    );
    if (pick) await revealInEditor(entry.mdUri.toString(), pick.line, 0, pick.line, 0, false);
  }

  async goToAgent(a: Arg): Promise<void> {
    const entry = await this.entryFor(a);
    if (!entry) return;
    const target = this.agentTarget(a) ?? (await this.askAgent(entry, 'Go to agent'));
    if (!target) return;
    const agent = entry.tracker && findOccurrence(entry.tracker, target);
    if (!agent) return;
    const r = agent.idCell.range;
    await revealInEditor(entry.mdUri.toString(), r.start.line, r.start.column, r.end.line, r.end.column, false);
  }

  async refresh(): Promise<void> {
    await this.store.discover();
    // Forced: Refresh is also how a user re-checks paths after changes the watcher did not see.
    for (const e of this.store.all()) await this.store.reparse(e, { force: true });
  }

  /** Checkbox in the tree: set the checklist line to the box's new state. */
  async onCheckbox(node: TrackerNode, checked: boolean): Promise<void> {
    if (!node.checklistItem) return;
    const res = await this.toggleArtifact(node, checked);
    // Refused or failed: put the box back as the file says.
    if (!res?.ok) this.tree.refreshNode(node);
  }

  /** Several boxes changed at once (one event): one edit after the other, never interleaved. */
  private async onCheckboxes(toggles: readonly CheckboxToggle[]): Promise<void> {
    for (const { node, checked } of toggles) await this.onCheckbox(node, checked);
  }
}

/** Shows a range of a file, selecting its start. */
export async function revealInEditor(uri: string, l1: number, c1: number, l2: number, c2: number, preserveFocus = true): Promise<void> {
  const range = new vscode.Range(l1, c1, l2, c2);
  const ed = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preserveFocus, preview: true, selection: new vscode.Range(range.start, range.start) });
  ed.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
