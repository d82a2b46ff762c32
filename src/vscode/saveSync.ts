import * as vscode from 'vscode';
import { syncDerived } from '../core/dashboard';
import type { TrackerStore } from './trackerStore';
import { isTrackerUri, parseDocument } from './trackerStore';
import { getConfig } from './config';
import { toVsRange } from './ui';
import { Disposable } from './dispose';

/** VS Code gives save participants 1.5 s in total; stay well inside it. */
const BUDGET_MS = 1000;

/**
 * Brings the dashboard's values, the metrics table and `Last Updated` of a tracker in line with its
 * tables as the user saves it. Edits replace value spans in place (never a redraw), are computed
 * from the document being saved and only touch that document; when nothing is stale there are no
 * edits, so saving never dirties the file again.
 */
export class SaveSync extends Disposable {
  constructor(private readonly store: TrackerStore) {
    super();
    this._register(vscode.workspace.onWillSaveTextDocument((e) => this.onWillSave(e)));
  }

  private onWillSave(e: vscode.TextDocumentWillSaveEvent): void {
    const doc = e.document;
    // Like format-on-save: only a save the user made. After-delay and focus-out auto-saves (the
    // web default) would rewrite the file between keystrokes.
    if (e.reason !== vscode.TextDocumentSaveReason.Manual) return;
    if (!isTrackerUri(doc.uri) || !getConfig(doc.uri).syncOnSave || !vscode.workspace.isTrusted) return;
    const entry = this.store.get(doc.uri);
    if (!entry) return;
    e.waitUntil(withTimeout(this.editsFor(doc), BUDGET_MS, []));
  }

  /** The edits that bring the document's derived sections in line with its tables. */
  async editsFor(doc: vscode.TextDocument): Promise<vscode.TextEdit[]> {
    const entry = this.store.get(doc.uri);
    if (!entry) return [];
    const version = doc.version;
    try {
      const snap = parseDocument(entry, doc);
      const edits = syncDerived(snap.tracker, { now: new Date() }).filter((x) => x.file === snap.tracker.file);
      // The save went ahead without us if the text moved; stale ranges must not be written.
      if (doc.version !== version) return [];
      return edits.map((x) => new vscode.TextEdit(toVsRange(x.range), x.newText));
    } catch {
      return [];
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(fallback);
      },
    );
  });
}
