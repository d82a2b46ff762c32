/**
 * The Worktracker tree view. The nodes are drafted by src/core/present/tree.ts (pure); this file
 * gives them VS Code objects (TreeItem, ThemeIcon, untrusted MarkdownString), keeps node objects
 * across rebuilds, adds the artifact marks that come from published diagnostics, follows the
 * cursor and reports checkbox toggles (`onDidToggleCheckbox`) for the Commands feature to write.
 */
import * as vscode from 'vscode';
import { buildTrackerDraft, trackerErrorDraft, type Collapsible, type NodeDraft, type TrackerDraftInput } from '../core/present';
import type { TrackerEntry, TrackerStore } from './trackerStore';
import { themeIcon, toVsRange, untrustedMarkdown } from './ui';
import { getConfig } from './config';
import { publishedFindings } from './diagnostics';
import { unitCount } from '../core/units';
import { findingData } from '../core/model';
import { Disposable } from './dispose';
import { posix } from 'node:path';

export const VIEW_ID = 'worktracker.trackers';

export type { NodeKind } from '../core/present';

/** One node of the tree. Objects are kept across refreshes (same id → same object) so reveal and selection survive. */
export interface TrackerNode extends Omit<NodeDraft, 'children' | 'tooltip' | 'icon' | 'collapsible'> {
  entry: TrackerEntry;
  parent?: TrackerNode;
  children: TrackerNode[];
  tooltip?: vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
  collapsible: vscode.TreeItemCollapsibleState;
  /** What the node looks like; equal signatures mean nothing to redraw. */
  sig: string;
}

/** A box the user ticked (`checked`) or unticked in the view. */
export interface CheckboxToggle {
  node: TrackerNode;
  checked: boolean;
}

/** How long after a tracker's last change its nodes are rebuilt (see `scheduleUpdate`). */
const TREE_DELAY_MS = 150;

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** What the pure drafts need to know of an entry. */
function draftInput(e: TrackerEntry): TrackerDraftInput {
  return { key: e.key, label: e.label, mdUri: e.mdUri.toString(), relativePath: vscode.workspace.asRelativePath(e.mdUri), tracker: e.tracker, error: e.error };
}

/** A draft's fields as the node holds them: VS Code objects for the tooltip, icon and collapsible state. */
function nodeFields(d: NodeDraft, entry: TrackerEntry): Omit<TrackerNode, 'children' | 'parent' | 'sig'> {
  const { children: _children, tooltip, icon, collapsible, ...rest } = d;
  let tip: vscode.MarkdownString | undefined;
  if (tooltip !== undefined) {
    tip = untrustedMarkdown();
    tip.appendMarkdown(tooltip);
  }
  return { ...rest, entry, tooltip: tip, icon: icon ? themeIcon(icon) : undefined, collapsible: COLLAPSIBLE[collapsible] };
}

function basename(p: string): string {
  return posix.basename(p.replace(/\\/g, '/'));
}

function signature(d: NodeDraft, childIds: string[]): string {
  return JSON.stringify([d.label, d.description, d.tooltip, d.icon, d.contextValue, d.checked, d.collapsible, childIds]);
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
      store.onDidChange((entries) => this.scheduleUpdate(entries)),
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
      if (state === 'missing') item.iconPath = themeIcon('missing');
    } else {
      this.missingShown.delete(n.id);
    }
    item.accessibilityInformation = { label: [n.label, item.description].filter(Boolean).join(', ') };
    return item;
  }

  /** Artifact nodes drawn with the "not found" mark, to redraw only those whose state changes. */
  private readonly missingShown = new Map<string, 'missing' | 'not-produced'>();

  /**
   * A path-missing diagnostic on the node's source lines whose finding names the node's file (its
   * typed data, never the message): missing, or not produced yet.
   */
  private artifactState(n: TrackerNode): 'missing' | 'not-produced' | undefined {
    if (n.kind !== 'artifact' || !n.mdRange || !n.artifactPath) return undefined;
    const name = basename(n.artifactPath);
    const byLine = this.missingByLine(n.entry.mdUri);
    for (let line = n.mdRange.start.line; line <= n.mdRange.end.line; line++) {
      for (const m of byLine.get(line) ?? []) if (m.name === name) return m.produced ? 'missing' : 'not-produced';
    }
    return undefined;
  }

  /** A document's path-missing findings by line, read once per diagnostics change (not once per node). */
  private readonly missing = new Map<string, Map<number, { name: string; produced: boolean }[]>>();

  private missingByLine(uri: vscode.Uri): Map<number, { name: string; produced: boolean }[]> {
    const key = uri.toString();
    let byLine = this.missing.get(key);
    if (!byLine) {
      byLine = new Map();
      for (const f of publishedFindings(uri)) {
        const data = findingData(f, 'path-missing');
        if (!data) continue;
        const line = f.range.start.line;
        const list = byLine.get(line) ?? [];
        list.push({ name: basename(data.path), produced: !!data.produced });
        byLine.set(line, list);
      }
      this.missing.set(key, byLine);
    }
    return byLine;
  }

  private onDiagnostics(uris: readonly vscode.Uri[]): void {
    for (const uri of uris) this.missing.delete(uri.toString());
    const changed: TrackerNode[] = [];
    for (const uri of uris) {
      const entry = this.store.get(uri);
      if (!entry || entry.mdUri.toString() !== uri.toString()) continue;
      // The nodes as last built (a rebuild may be pending): their marks follow the diagnostics at
      // once; nodes a rebuild replaces are drawn afresh anyway.
      for (const n of this.nodes.values()) {
        if (n.entry !== entry) continue;
        if (n.kind === 'artifact' && this.artifactState(n) !== this.missingShown.get(n.id)) changed.push(n);
      }
    }
    if (changed.length) this.emitter.fire(changed);
  }

  getChildren(n?: TrackerNode): TrackerNode[] {
    this.flush();
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
    this.flush();
    return [...this.nodes.values()].filter((n) => n.entry === entry);
  }

  find(pred: (n: TrackerNode) => boolean): TrackerNode | undefined {
    this.flush();
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

  /** Trackers whose nodes wait to be rebuilt (see `scheduleUpdate`). */
  private readonly pending = new Set<TrackerEntry>();
  private pendingTimer?: ReturnType<typeof setTimeout>;

  /**
   * Rebuilds the changed trackers' nodes a moment after the last change, not inside it: a keystroke's
   * re-parse and diagnostics come first (rebuilding a large tracker's tree takes milliseconds), and
   * typing rebuilds it once per pause. Anyone reading nodes first gets them rebuilt at once (`flush`);
   * the badge and the not-found marks follow each change at once.
   */
  private scheduleUpdate(entries: TrackerEntry[]): void {
    // The badge counts from the store alone (cheap): it follows each change at once.
    this.updateBadge();
    for (const e of entries) this.pending.add(e);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => this.flush(), TREE_DELAY_MS);
  }

  /** Rebuilds what waits to be rebuilt, now. */
  flush(): void {
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending.clear();
    this.update(entries);
    // Marks drawn meanwhile were judged on the nodes as last built (older line ranges): judge again.
    this.onDiagnostics(entries.map((e) => e.mdUri));
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
    const input = draftInput(e);
    let draft: NodeDraft;
    try {
      draft = buildTrackerDraft(input);
    } catch (err) {
      // An unexpected model shape must cost one tracker's tree, not the whole view.
      draft = trackerErrorDraft(input, `Could not build the tree: ${err instanceof Error ? err.message : String(err)}`);
    }
    const changed: TrackerNode[] = [];
    const seen = new Set<string>();
    const root = this.reconcile(e, draft, undefined, changed, seen);
    for (const [id, n] of this.nodes) if (n.entry === e && !seen.has(id)) this.nodes.delete(id);
    this.roots.set(e.key, root);
    return changed;
  }

  private reconcile(entry: TrackerEntry, d: NodeDraft, parent: TrackerNode | undefined, changed: TrackerNode[], seen: Set<string>): TrackerNode {
    const old = this.nodes.get(d.id);
    const fields = nodeFields(d, entry);
    const node: TrackerNode = old ?? { ...fields, children: [], sig: '' };
    seen.add(d.id);
    const children = (d.children ?? []).map((c) => this.reconcile(entry, c, node, changed, seen));
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
