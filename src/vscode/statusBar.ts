import * as vscode from 'vscode';
import type { TrackerStore } from './trackerStore';
import { untrustedMarkdown } from './ui';
import { escapeMd } from '../core/present';
import { unitCount } from '../core/units';
import { isFinished } from '../core/status';
import { Disposable } from './dispose';


/** Shows the active tracker's progress; clicking it opens the Worktracker view. */
export class StatusBar extends Disposable {
  readonly item = this._register(vscode.window.createStatusBarItem('worktracker.progress', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly store: TrackerStore) {
    super();
    this.item.name = 'Worktracker Progress';
    this.item.command = 'worktracker.showTree';
    this._registerAll(
      store.onDidChange(() => this.update()),
      store.onDidChangeList(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const e = this.store.active();
    const t = e?.tracker;
    if (!e || !t) {
      this.item.hide();
      return;
    }
    // The one count the tree and the dashboard use: each unit occurrence once, queue rows not counted.
    const c = unitCount(t);
    const done = c.done;
    const bad = (c.byStatus.BLOCKED ?? 0) + (c.byStatus.FAILED ?? 0);
    const phases = t.phases.filter((p) => isFinished((p.status ?? p.effectiveStatus)?.status)).length;
    const pct = c.total ? Math.round((done / c.total) * 100) : 0;
    this.item.text = `$(checklist) ${done}/${c.total}${bad ? ` $(warning) ${bad}` : ''}`;
    const tip = untrustedMarkdown();
    tip.appendMarkdown(`**${escapeMd(e.label)}**\n\n`);
    tip.appendMarkdown(`Units done: ${done}/${c.total} (${pct}%)  \n`);
    if (t.phases.length) tip.appendMarkdown(`Phases done: ${phases}/${t.phases.length}  \n`);
    if (bad) tip.appendMarkdown(`Blocked or failed: ${bad}  \n`);
    tip.appendMarkdown('\nClick to open the Worktracker view');
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Worktracker: ${done} of ${c.total} units done${bad ? `, ${bad} blocked or failed` : ''}` };
    this.item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
