import * as vscode from 'vscode';
import { TrackerStore } from './trackerStore';
import { TrackerEditor } from './trackerWriter';
import { TrackerTree } from './tree';
import { Commands } from './commands';
import { Diagnostics } from './diagnostics';
import { QuickFixes } from './quickFixes';
import { Hovers } from './hover';
import { SaveSync } from './saveSync';
import { StatusBar } from './statusBar';
import { DashboardRedraw } from './redraw';

/** What `activate` returns; integration tests drive the features through it. */
export interface WorktrackerApi {
  store: TrackerStore;
  editor: TrackerEditor;
  tree: TrackerTree;
  commands: Commands;
  diagnostics: Diagnostics;
  quickFixes: QuickFixes;
  hovers: Hovers;
  saveSync: SaveSync;
  statusBar: StatusBar;
  /** Resolves once the first discovery is done. */
  ready: Promise<void>;
}

/** Wires the features; each one owns its listeners and disposables. */
export function activate(context: vscode.ExtensionContext): WorktrackerApi {
  const log = vscode.window.createOutputChannel('Worktracker', { log: true });
  context.subscriptions.push(log);
  const started = Date.now();
  log.info(`Activating Orchestration Worktracker ${String((context.extension.packageJSON as { version?: string }).version ?? '')} (${vscode.workspace.isTrusted ? 'trusted' : 'Restricted Mode: read-only'})`);
  const store = new TrackerStore(log);
  const editor = new TrackerEditor(store);
  // The tree's checkboxes call into Commands, which needs the tree: tie the knot through a holder.
  const late: { commands?: Commands } = {};
  const tree = new TrackerTree(store, (node, checked) => late.commands?.onCheckbox(node, checked) ?? Promise.resolve());
  const redraw = new DashboardRedraw(editor);
  const commands = (late.commands = new Commands(store, editor, tree, redraw));
  const diagnostics = new Diagnostics(store, docsLink(context), log);
  const quickFixes = new QuickFixes(store, diagnostics);
  const hovers = new Hovers(store);
  const saveSync = new SaveSync(store);
  const statusBar = new StatusBar(store);
  context.subscriptions.push(store, tree, redraw, commands, diagnostics, quickFixes, hovers, saveSync, statusBar);
  const ready = store.discover().then(() => log.info(`Activated in ${Date.now() - started} ms`));
  return { store, editor, tree, commands, diagnostics, quickFixes, hovers, saveSync, statusBar, ready };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** Where a diagnostic code links: the README section named after the code. */
function docsLink(context: vscode.ExtensionContext): (code: string) => vscode.Uri {
  const pkg = context.extension.packageJSON as { homepage?: string; repository?: string | { url?: string } };
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const web = pkg.homepage ?? (repo ? repo.replace(/^git\+/, '').replace(/\.git$/, '') + '#readme' : undefined);
  if (web && /^https:\/\//.test(web)) {
    const base = vscode.Uri.parse(web);
    return (code) => base.with({ fragment: code });
  }
  const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
  return (code) => readme.with({ fragment: code });
}
