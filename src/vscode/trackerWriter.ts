import * as vscode from 'vscode';
import type { TextEdit, Tracker } from '../core/model';
import type { TrackerEntry, TrackerSnapshot, TrackerStore } from './trackerStore';
import { parseSnapshot } from './trackerStore';
import { toVsRange } from './ui';

export interface ApplyResult {
  /** True when every edit that was built got applied. */
  ok: boolean;
  mdApplied: boolean;
  yamlApplied: boolean;
  /** The core edits that were applied (for tests and messages). */
  edits: TextEdit[];
  /** Why something was not applied, as shown to the user. */
  problem?: string;
}

/** Builds edits from a tracker; a string return is a user-facing reason not to edit. */
export type EditBuilder = (tracker: Tracker) => TextEdit[] | string;

const MAX_ATTEMPTS = 4;

/**
 * Writes a tracker: turns the core's pure edits into one WorkspaceEdit over the markdown and the
 * YAML (it is not an editor; it never shows a document). Edits are
 * computed against the exact document versions that were parsed; if either document moved before
 * the edit is applied, the tracker is re-parsed and the edits rebuilt, never written stale.
 */
export class TrackerWriter {
  /** Test hook: runs between building the edits and applying them. */
  beforeApply?: (entry: TrackerEntry, attempt: number) => Promise<void> | void;
  /** How many times the last apply() had to re-parse because a document changed. */
  lastRetries = 0;

  constructor(private readonly store: TrackerStore) {}

  /**
   * `quiet`: report problems only in the result and the log, not as notifications (the language-model
   * tools return them to the model instead).
   */
  async apply(entry: TrackerEntry, what: string, build: EditBuilder, { quiet = false }: { quiet?: boolean } = {}): Promise<ApplyResult> {
    const show = quiet ? () => undefined : (f: (m: string) => Thenable<unknown>, m: string) => void f(m);
    const none: ApplyResult = { ok: false, mdApplied: false, yamlApplied: false, edits: [] };
    if (!vscode.workspace.isTrusted) {
      this.store.log.warn(`Refused to ${what}: Restricted Mode is read-only`);
      show(vscode.window.showInformationMessage, 'Worktracker is read-only in Restricted Mode: trust this workspace to edit trackers.');
      return { ...none, problem: 'untrusted' };
    }
    this.lastRetries = 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let mdDoc: vscode.TextDocument;
      try {
        mdDoc = await vscode.workspace.openTextDocument(entry.mdUri);
      } catch (e) {
        const problem = `Cannot open ${vscode.workspace.asRelativePath(entry.mdUri)}: ${errText(e)}`;
        this.store.log.error(`Refused to ${what}: ${problem}`);
        show(vscode.window.showErrorMessage, problem);
        return { ...none, problem };
      }
      let yamlDoc: vscode.TextDocument | undefined;
      try {
        yamlDoc = await vscode.workspace.openTextDocument(entry.yamlUri);
      } catch {
        yamlDoc = undefined; // no YAML beside the tracker: markdown-only edits
      }
      const snap: TrackerSnapshot = parseSnapshot(
        entry,
        { text: mdDoc.getText(), version: mdDoc.version },
        yamlDoc ? { text: yamlDoc.getText(), version: yamlDoc.version } : undefined,
      );
      let edits: TextEdit[] | string;
      try {
        edits = build(snap.tracker);
      } catch (e) {
        edits = errText(e);
      }
      if (typeof edits === 'string') {
        this.store.log.warn(`Refused to ${what} in ${name(entry.mdUri)}: ${edits}`);
        show(vscode.window.showWarningMessage, `Worktracker: cannot ${what}: ${edits}`);
        return { ...none, problem: edits };
      }
      await this.beforeApply?.(entry, attempt);
      // A keystroke (or another extension) got in between: rebuild from the new text.
      if (mdDoc.version !== snap.mdVersion || (yamlDoc && yamlDoc.version !== snap.yamlVersion)) {
        this.lastRetries++;
        continue;
      }
      if (edits.length === 0) return { ok: true, mdApplied: false, yamlApplied: false, edits };
      return this.write(entry, snap, edits, what, quiet);
    }
    const problem = 'the tracker kept changing while the edit was prepared; try again';
    this.store.log.warn(`Refused to ${what} in ${name(entry.mdUri)}: ${problem}`);
    show(vscode.window.showWarningMessage, `Worktracker: cannot ${what}: ${problem}.`);
    return { ...none, problem };
  }

  private async write(entry: TrackerEntry, snap: TrackerSnapshot, edits: TextEdit[], what: string, quiet = false): Promise<ApplyResult> {
    const mdFile = snap.tracker.file;
    const mdEdits = edits.filter((e) => e.file === mdFile);
    const yamlEdits = edits.filter((e) => e.file !== mdFile);
    const yamlBlocked = yamlEdits.length ? await readOnlyReason(entry.yamlUri) : undefined;
    const mdBlocked = mdEdits.length ? await readOnlyReason(entry.mdUri) : undefined;
    const metadata: vscode.WorkspaceEditMetadata = { isRefactoring: true };

    const make = (md: boolean, yaml: boolean) => {
      const we = new vscode.WorkspaceEdit();
      if (md && mdEdits.length) we.set(entry.mdUri, mdEdits.map((e) => new vscode.TextEdit(toVsRange(e.range), e.newText)));
      if (yaml && yamlEdits.length) we.set(entry.yamlUri, yamlEdits.map((e) => new vscode.TextEdit(toVsRange(e.range), e.newText)));
      return we;
    };
    const wantMd = mdEdits.length > 0 && !mdBlocked;
    const wantYaml = yamlEdits.length > 0 && !yamlBlocked;
    let mdApplied = false;
    let yamlApplied = false;
    const failures: string[] = [];
    if (wantMd || wantYaml) {
      // One WorkspaceEdit: a single undo step per file.
      if (await vscode.workspace.applyEdit(make(wantMd, wantYaml), metadata)) {
        mdApplied = wantMd;
        yamlApplied = wantYaml;
      } else if (wantMd && wantYaml) {
        // Find out which file refused, so the user knows what did and did not change.
        mdApplied = await vscode.workspace.applyEdit(make(true, false), metadata);
        yamlApplied = await vscode.workspace.applyEdit(make(false, true), metadata);
        if (!mdApplied) failures.push(`${name(entry.mdUri)} could not be edited`);
        if (!yamlApplied) failures.push(`${name(entry.yamlUri)} could not be edited`);
      } else failures.push(`${name(wantMd ? entry.mdUri : entry.yamlUri)} could not be edited`);
    }
    if (mdBlocked) failures.push(`${name(entry.mdUri)} is ${mdBlocked}`);
    if (yamlBlocked) failures.push(`${name(entry.yamlUri)} is ${yamlBlocked}`);
    const ok = failures.length === 0;
    let problem: string | undefined;
    if (!ok) {
      const done = [mdApplied ? name(entry.mdUri) : '', yamlApplied ? name(entry.yamlUri) : ''].filter(Boolean);
      problem = `${done.length ? `Updated ${done.join(' and ')}, but ` : ''}${failures.join('; ')}.`;
      this.store.log.warn(`Write refused (${what}): ${problem}`);
      if (!quiet) void vscode.window.showWarningMessage(`Worktracker (${what}): ${problem}`);
    }
    void this.store.reparse(entry);
    return { ok, mdApplied, yamlApplied, edits, problem };
  }
}

function name(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why a file cannot be written, or undefined when it can. */
async function readOnlyReason(uri: vscode.Uri): Promise<string | undefined> {
  if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === false) return `on a read-only file system (${uri.scheme})`;
  try {
    const s = await vscode.workspace.fs.stat(uri);
    if (s.permissions !== undefined && s.permissions & vscode.FilePermission.Readonly) return 'read-only';
  } catch {
    return 'missing';
  }
  return undefined;
}
