import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { Agent, ChecklistItem, Status, Tracker } from './core/model';
import { setAgentStatus, setArtifactChecked, setBarrierStatus, setPhaseStatus } from './core/edits';
import { syncDerived } from './core/dashboard';
import { TRACKER_FILE, YAML_FILE, type TrackerEntry, type TrackerStore } from './trackerStore';
import type { TrackerEditor, ApplyResult } from './trackerEdits';
import type { TrackerNode, TrackerTree } from './tree';
import { VIEW_ID } from './tree';
import { getConfig } from './config';
import { STATUS_LABEL, containsPos, statusIcon } from './ui';

/** Arguments commands accept from scripts/tests, besides a tree node. */
export interface CommandTarget {
  /** Tracker markdown (or YAML) URI, as a string or Uri. */
  uri?: string | vscode.Uri;
  agentId?: string;
  phase?: number;
  barrier?: number;
  direction?: string;
  status?: Status;
  /** Checklist line (0-based) of an artifact to toggle. */
  line?: number;
  /** Date to write instead of now (`YYYY-MM-DD` or ISO), for scripts and tests. */
  date?: string;
}

type Arg = TrackerNode | CommandTarget | vscode.Uri | undefined;

const AGENT_STATUS_COMMANDS: [string, Status][] = [
  ['worktracker.markComplete', 'COMPLETE'],
  ['worktracker.markInProgress', 'IN_PROGRESS'],
  ['worktracker.markPending', 'PENDING'],
  ['worktracker.markBlocked', 'BLOCKED'],
  ['worktracker.markFailed', 'FAILED'],
];

const SETTABLE: Status[] = ['PENDING', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'FAILED', 'SKIPPED'];

function isNode(a: unknown): a is TrackerNode {
  return !!a && typeof a === 'object' && 'kind' in a && 'entry' in a && 'sig' in a;
}

/** Registers every Worktracker command. Each acts on a tree node, on explicit arguments, or asks. */
export class Commands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: TrackerStore,
    private readonly editor: TrackerEditor,
    private readonly tree: TrackerTree,
  ) {
    const reg = (id: string, fn: (...args: any[]) => unknown) => this.disposables.push(vscode.commands.registerCommand(id, fn));
    for (const [id, status] of AGENT_STATUS_COMMANDS) reg(id, (a?: Arg) => this.setAgent(a, status));
    reg('worktracker.setAgentStatus', (a?: Arg) => this.setAgent(a, undefined));
    reg('worktracker.setBarrierStatus', (a?: Arg) => this.setBarrier(a));
    reg('worktracker.setPhaseStatus', (a?: Arg) => this.setPhase(a));
    reg('worktracker.toggleArtifact', (a?: Arg) => this.toggleArtifact(a));
    reg('worktracker.syncDashboard', (a?: Arg) => this.syncDashboard(a));
    reg('worktracker.openCompanion', (a?: Arg) => this.openCompanion(a));
    reg('worktracker.goToAgent', (a?: Arg) => this.goToAgent(a));
    reg('worktracker.refresh', () => this.refresh());
    reg('worktracker.showTree', () => vscode.commands.executeCommand(`${VIEW_ID}.focus`));
    reg('worktracker.revealInEditor', (uri: string, l1: number, c1: number, l2?: number, c2?: number) => this.revealInEditor(uri, l1, c1, l2 ?? l1, c2 ?? c1));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
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

  private async current(entry: TrackerEntry): Promise<Tracker | undefined> {
    return (await this.store.fresh(entry))?.tracker;
  }

  /** Cursor position in the tracker's markdown when it is the active editor. */
  private cursorIn(entry: TrackerEntry): vscode.Position | undefined {
    const ed = vscode.window.activeTextEditor;
    return ed && ed.document.uri.toString() === entry.mdUri.toString() ? ed.selection.active : undefined;
  }

  private async pickAgent(entry: TrackerEntry, placeHolder: string): Promise<string | undefined> {
    const t = await this.current(entry);
    if (!t) return undefined;
    const agents = uniqueAgents(t);
    if (agents.length === 0) {
      void vscode.window.showInformationMessage('This tracker has no agent rows.');
      return undefined;
    }
    const pos = this.cursorIn(entry);
    const items = agents.map((a) => ({
      label: `$(${statusIcon(a.status.status).id}) ${a.id}`,
      description: a.status.raw,
      detail: [a.phase !== undefined ? `Phase ${a.phase}` : undefined, a.pipeline, a.notes?.text].filter(Boolean).join(' · ') || undefined,
      id: a.id,
      agent: a,
    }));
    const qp = vscode.window.createQuickPick<(typeof items)[number]>();
    qp.items = items;
    qp.placeholder = placeHolder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const under = pos && items.find((i) => containsPos(i.agent.row.range, pos));
    if (under) qp.activeItems = [under];
    return new Promise<string | undefined>((resolve) => {
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]?.id ?? qp.activeItems[0]?.id);
        qp.hide();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  }

  private async pickStatus(current: Status | undefined, what: string): Promise<Status | undefined> {
    const pick = await vscode.window.showQuickPick(
      SETTABLE.map((s) => ({ label: `$(${statusIcon(s).id}) ${STATUS_LABEL[s]}`, description: s === current ? 'current' : undefined, status: s })),
      { placeHolder: `New status for ${what}` },
    );
    return pick?.status;
  }

  // ------------------------------------------------------------ commands

  async setAgent(a: Arg, status: Status | undefined): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    let id = isNode(a) ? a.agentId : (a as CommandTarget | undefined)?.agentId;
    if (!id) id = await this.pickAgent(entry, status ? `Mark which agent ${STATUS_LABEL[status]}?` : 'Set the status of which agent?');
    if (!id) return undefined;
    const agentId = id;
    const s = status ?? (a as CommandTarget | undefined)?.status ?? (await this.pickStatus(entry.tracker?.agents.find((x) => x.id === agentId)?.status.status, agentId));
    if (!s) return undefined;
    const { dateFormat } = getConfig(entry.mdUri);
    const date = isNode(a) ? undefined : (a as CommandTarget | undefined)?.date;
    return this.editor.apply(entry, `mark ${agentId} ${STATUS_LABEL[s]}`, (t) =>
      setAgentStatus(t, agentId, s, { dateStyle: dateFormat === 'auto' ? 'auto' : dateFormat, now: new Date(), date }),
    );
  }

  async setPhase(a: Arg): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const t = await this.current(entry);
    if (!t) return undefined;
    let n = isNode(a) ? a.phaseNumber : (a as CommandTarget | undefined)?.phase;
    if (n === undefined || (isNode(a) && a.kind !== 'phase')) {
      const pos = this.cursorIn(entry);
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
    const s = (a as CommandTarget | undefined)?.status ?? (await this.pickStatus(t.phases.find((p) => p.number === phaseNo)?.status?.status, `Phase ${phaseNo}`));
    if (!s) return undefined;
    return this.editor.apply(entry, `set Phase ${phaseNo} ${STATUS_LABEL[s]}`, (tr) => setPhaseStatus(tr, phaseNo, s));
  }

  async setBarrier(a: Arg): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const t = await this.current(entry);
    if (!t) return undefined;
    let n = isNode(a) ? a.barrierNumber : (a as CommandTarget | undefined)?.barrier;
    let direction = isNode(a) ? (a.kind === 'direction' ? a.label : undefined) : (a as CommandTarget | undefined)?.direction;
    if (n === undefined) {
      const pos = this.cursorIn(entry);
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
    const s = (a as CommandTarget | undefined)?.status ?? (await this.pickStatus(cur, what));
    if (!s) return undefined;
    return this.editor.apply(entry, `set ${what} ${STATUS_LABEL[s]}`, (tr) => setBarrierStatus(tr, barrierNo, s, direction ? { direction } : undefined));
  }

  /** Ticks or unticks a checklist line; the target is identified by its line so a re-parse finds it again. */
  async toggleArtifact(a: Arg, checked?: boolean): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    let line = isNode(a) ? a.checklistItem?.range.start.line : (a as CommandTarget | undefined)?.line;
    if (line === undefined) {
      const t = await this.current(entry);
      if (!t) return undefined;
      const pos = this.cursorIn(entry);
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
    return this.editor.apply(entry, 'toggle the checklist item', (t) => {
      const item = t.checklist.find((c: ChecklistItem) => c.range.start.line === l);
      if (!item) return `no checklist item on line ${l + 1}`;
      return setArtifactChecked(t, item, checked ?? !item.checked);
    });
  }

  async syncDashboard(a: Arg): Promise<ApplyResult | undefined> {
    const entry = await this.entryFor(a);
    if (!entry) return undefined;
    const res = await this.editor.apply(entry, 'sync the dashboard', (t) => syncDerived(t, { now: new Date() }));
    if (res.ok && res.edits.length === 0) void vscode.window.setStatusBarMessage('$(check) Worktracker: dashboard already up to date', 3000);
    return res;
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

  async goToAgent(a: Arg): Promise<void> {
    const entry = await this.entryFor(a);
    if (!entry) return;
    const id = (a as CommandTarget | undefined)?.agentId ?? (await this.pickAgent(entry, 'Go to agent'));
    if (!id) return;
    const agent = entry.tracker?.agents.find((x) => x.id === id);
    if (!agent) return;
    const r = agent.idCell.range;
    await this.revealInEditor(entry.mdUri.toString(), r.start.line, r.start.column, r.end.line, r.end.column, false);
  }

  async refresh(): Promise<void> {
    await this.store.discover();
    // Forced: Refresh is also how a user re-checks paths after changes the watcher did not see.
    for (const e of this.store.all()) await this.store.reparse(e, true, true);
  }

  async revealInEditor(uri: string, l1: number, c1: number, l2: number, c2: number, preserveFocus = true): Promise<void> {
    const range = new vscode.Range(l1, c1, l2, c2);
    const ed = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preserveFocus, preview: true, selection: new vscode.Range(range.start, range.start) });
    ed.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Checkbox in the tree: set the checklist line to the box's new state. */
  async onCheckbox(node: TrackerNode, checked: boolean): Promise<void> {
    if (!node.checklistItem) return;
    const res = await this.toggleArtifact(node, checked);
    // Refused or failed: put the box back as the file says.
    if (!res?.ok) this.tree.refreshNode(node);
  }
}

function uniqueAgents(t: Tracker): Agent[] {
  const seen = new Set<string>();
  return t.agents.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
}

async function quickPick<T extends vscode.QuickPickItem & { under?: boolean }>(items: T[], placeHolder: string): Promise<T | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.items = items;
  qp.placeholder = placeHolder;
  qp.matchOnDescription = true;
  const under = items.find((i) => i.under);
  if (under) qp.activeItems = [under];
  return new Promise<T | undefined>((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0] ?? qp.activeItems[0]);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

export function companionName(uri: vscode.Uri): string {
  return posix.basename(uri.path) === YAML_FILE ? TRACKER_FILE : YAML_FILE;
}
