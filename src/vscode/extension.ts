/**
 * src/vscode/: the editor layer. One file per feature (store, writer, tree, commands, diagnostics,
 * quick fixes, hover, save sync, status bar, redraw, language-model tools, MCP server definitions) that turns the pure core's results
 * (src/core/, src/core/present/) into VS Code objects; this file only wires them. Only this folder
 * imports `vscode`; nothing outside it imports from it except the integration tests (through
 * `WorktrackerApi`). It may import src/core; never src/cli.ts or src/node/.
 */
import * as vscode from 'vscode';
import { TrackerStore } from './trackerStore';
import { TrackerWriter } from './trackerWriter';
import { TrackerTree } from './tree';
import { Commands } from './commands';
import { Diagnostics, docsLink } from './diagnostics';
import { QuickFixes } from './quickFixes';
import { Hovers } from './hover';
import { SaveSync } from './saveSync';
import { StatusBar } from './statusBar';
import { DashboardRedraw } from './redraw';
import { LmTools } from './lmTools';
import { McpServers } from './mcpServers';

/** What `activate` returns; integration tests drive the features through it. */
export interface WorktrackerApi {
  store: TrackerStore;
  writer: TrackerWriter;
  tree: TrackerTree;
  commands: Commands;
  diagnostics: Diagnostics;
  quickFixes: QuickFixes;
  hovers: Hovers;
  saveSync: SaveSync;
  statusBar: StatusBar;
  /** The language-model tools (the MCP server's tools inside the editor). */
  lmTools: LmTools;
  /** The MCP server definitions offered to the editor, where it has that API. */
  mcpServers: McpServers;
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
  const writer = new TrackerWriter(store);
  const tree = new TrackerTree(store);
  const redraw = new DashboardRedraw(writer);
  // Commands registers the command table and writes the boxes the tree reports (onDidToggleCheckbox).
  const commands = new Commands(store, writer, tree, redraw);
  const diagnostics = new Diagnostics(store, docsLink(context), log);
  const quickFixes = new QuickFixes(store, diagnostics);
  const hovers = new Hovers(store);
  const saveSync = new SaveSync(store);
  const statusBar = new StatusBar(store);
  const lmTools = new LmTools(store, writer);
  const mcpServers = new McpServers(context, log);
  context.subscriptions.push(store, tree, redraw, commands, diagnostics, quickFixes, hovers, saveSync, statusBar, lmTools, mcpServers);
  const ready = store.discover().then(() => log.info(`Activated in ${Date.now() - started} ms`));
  return { store, writer, tree, commands, diagnostics, quickFixes, hovers, saveSync, statusBar, lmTools, mcpServers, ready };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
