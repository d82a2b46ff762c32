import * as vscode from 'vscode';
import { redrawDashboard } from '../core/dashboard';
import { applyEdits } from '../core/text';
import { parseDocument, type TrackerEntry } from './trackerStore';
import type { ApplyResult, TrackerWriter } from './trackerWriter';
import { Disposable, toDisposable } from './dispose';

const SCHEME = 'worktracker-redraw';

/**
 * "Worktracker: Redraw Dashboard…": the one place a whole drawing is replaced, and only on request.
 * The new drawing is shown as a diff against the file first; it is applied only if the user
 * confirms and the file still gives the same drawing (else nothing is written).
 */
export class DashboardRedraw extends Disposable {
  private readonly previews = new Map<string, string>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());

  constructor(private readonly writer: TrackerWriter) {
    super();
    this._registerAll(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.previews.get(uri.toString()) ?? '',
      }),
      toDisposable(() => this.previews.clear()),
    );
  }

  /** The redrawn file text, or a reason there is none. */
  private proposal(doc: vscode.TextDocument, entry: TrackerEntry): { text: string } | { problem: string } {
    const t = parseDocument(entry, doc).tracker;
    if (!t.dashboard) return { problem: 'this tracker has no dashboard block' };
    if (t.agents.length === 0) return { problem: 'no units were recognised in this tracker, so there is nothing to draw from' };
    const e = redrawDashboard(t);
    if (!e) return { problem: 'the drawing would not change' };
    return { text: applyEdits(t.text, [e]) };
  }

  /** Shows the diff, asks, applies. `confirmed` skips the question (tests, agents that already saw the diff). */
  async run(entry: TrackerEntry, confirmed = false): Promise<ApplyResult | undefined> {
    const doc = await vscode.workspace.openTextDocument(entry.mdUri);
    const p = this.proposal(doc, entry);
    if ('problem' in p) {
      void vscode.window.showInformationMessage(`Worktracker: cannot redraw the dashboard: ${p.problem}.`);
      return undefined;
    }
    const preview = vscode.Uri.from({ scheme: SCHEME, path: entry.mdUri.path, query: String(doc.version) });
    this.previews.set(preview.toString(), p.text);
    this.changed.fire(preview);
    if (!confirmed) {
      await vscode.commands.executeCommand('vscode.diff', entry.mdUri, preview, `${vscode.workspace.asRelativePath(entry.mdUri)} ↔ Redrawn Dashboard`, { preview: true });
      const answer = await vscode.window.showInformationMessage(
        'Replace the dashboard with the redrawn one shown in the diff? Title lines and sections the model cannot draw are kept below it.',
        { modal: true },
        'Redraw',
      );
      if (answer !== 'Redraw') return undefined;
    }
    const shown = p.text;
    return this.writer.apply(entry, 'redraw the dashboard', (t) => {
      const e = redrawDashboard(t);
      if (!e) return [];
      // The user agreed to what the diff showed; a drawing computed from other text is not that.
      return applyEdits(t.text, [e]) === shown ? [e] : 'the tracker changed after the preview; run Redraw Dashboard again';
    });
  }
}
