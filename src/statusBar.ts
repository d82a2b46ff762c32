import * as vscode from 'vscode';
import type { TrackerStore } from './trackerStore';
import { escapeMd, untrustedMarkdown } from './ui';

const DONE = new Set(['COMPLETE', 'SKIPPED', 'CANCELLED']);

/** Shows the active tracker's progress; clicking it opens the Worktracker view. */
export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('worktracker.progress', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: TrackerStore) {
    this.item.name = 'Worktracker Progress';
    this.item.command = 'worktracker.showTree';
    this.disposables.push(
      this.item,
      store.onDidChange(() => this.update()),
      store.onDidChangeList(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  update(): void {
    const e = this.store.active();
    const t = e?.tracker;
    if (!e || !t) {
      this.item.hide();
      return;
    }
    const seen = new Set<string>();
    const agents = t.agents.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
    const done = agents.filter((a) => DONE.has(a.status.status)).length;
    const bad = agents.filter((a) => a.status.status === 'BLOCKED' || a.status.status === 'FAILED').length;
    const phases = t.phases.filter((p) => p.status && DONE.has(p.status.status)).length;
    const pct = agents.length ? Math.round((done / agents.length) * 100) : 0;
    this.item.text = `$(checklist) ${done}/${agents.length}${bad ? ` $(warning) ${bad}` : ''}`;
    const tip = untrustedMarkdown();
    tip.appendMarkdown(`**${escapeMd(e.label)}**\n\n`);
    tip.appendMarkdown(`Agents done: ${done}/${agents.length} (${pct}%)  \n`);
    if (t.phases.length) tip.appendMarkdown(`Phases done: ${phases}/${t.phases.length}  \n`);
    if (bad) tip.appendMarkdown(`Blocked or failed: ${bad}  \n`);
    tip.appendMarkdown('\nClick to open the Worktracker view');
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Worktracker: ${done} of ${agents.length} agents done${bad ? `, ${bad} blocked or failed` : ''}` };
    this.item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
