import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { Tracker } from '../core/model';
import { createTrackerCache, parseTracker, type TrackerCache } from '../core/tracker';
import { findRepositoryRoot } from '../core/analyze';
import { decodeText, fsFor, pathCacheFor, type VscodeFs } from './vscodeFs';
import { getConfig } from './config';
import { matchAny } from '../core/glob';
import type { PathCache } from '../core/paths';
import { TRACKER_FILE, YAML_FILE } from '../core/files';
import { Disposable, toDisposable } from './dispose';
import { trackerLabel } from '../core/present';

/** The documents our providers (hover, quick fixes) serve: every tracker markdown and YAML. */
export const TRACKER_SELECTOR: vscode.DocumentSelector = [{ pattern: `**/${TRACKER_FILE}` }, { pattern: `**/${YAML_FILE}` }];

export function isTrackerUri(uri: vscode.Uri): boolean {
  return posix.basename(uri.path) === TRACKER_FILE;
}

export function isYamlUri(uri: vscode.Uri): boolean {
  return posix.basename(uri.path) === YAML_FILE;
}

/** One parse of a tracker, with the document versions it was made from (undefined = read from disk). */
export interface TrackerSnapshot {
  tracker: Tracker;
  mdText: string;
  yamlText?: string;
  mdVersion?: number;
  yamlVersion?: number;
}

/** A discovered tracker: the markdown and the ORCHESTRATION.yaml in the same folder. */
export class TrackerEntry {
  readonly mdUri: vscode.Uri;
  readonly yamlUri: vscode.Uri;
  snapshot?: TrackerSnapshot;
  yamlExists = false;
  /** Set when the last read failed, so the tree can say why instead of showing nothing. */
  error?: string;
  /** Bumped on every new snapshot; consumers compare it to skip redundant work. */
  generation = 0;
  /** Per-document parse cache: re-parsing while typing only redoes the changed sections, and the YAML only when it changed. */
  readonly parseCache: TrackerCache = createTrackerCache();

  constructor(mdUri: vscode.Uri) {
    this.mdUri = mdUri;
    this.yamlUri = vscode.Uri.joinPath(mdUri, '..', YAML_FILE);
  }

  /** File access for the core. */
  get fs(): VscodeFs {
    return fsFor(this.mdUri);
  }

  /** What is known about artifact paths, kept between analyses and dropped on file events. */
  get paths(): PathCache {
    return pathCacheFor(this.mdUri);
  }

  get key(): string {
    return this.mdUri.toString();
  }

  get folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.getWorkspaceFolder(this.mdUri);
  }

  get tracker(): Tracker | undefined {
    return this.snapshot?.tracker;
  }

  /**
   * The root artifact paths are resolved and checked under: the repository root when it lies inside
   * the workspace folder, else the workspace folder itself, so nothing outside the workspace is
   * ever stat-ed, walked or read.
   */
  async root(): Promise<string> {
    const trackerDir = posix.dirname(this.mdUri.path);
    const folder = this.folder?.uri.path.replace(/(.)\/$/, '$1');
    // Through the path cache: asked on every analysis, answered from memory until a file event.
    const repo = await findRepositoryRoot(this.fs, trackerDir, this.paths);
    if (!folder) return repo;
    const git = posix.join(trackerDir, '.git');
    const foundGit = repo !== trackerDir || (await this.paths.stat(git, () => this.fs.stat(git))) !== undefined;
    if (foundGit && (repo === folder || repo.startsWith(folder + '/'))) return repo;
    return folder;
  }

  /** Core path of a file of this tracker → its URI. */
  uriOf(file: string): vscode.Uri {
    if (file === this.snapshot?.tracker.file) return this.mdUri;
    if (file === this.snapshot?.tracker.yaml?.file) return this.yamlUri;
    return this.fs.toUri(file);
  }

  /** Human name: workflow or project from the header or the YAML, else the folder name. */
  get label(): string {
    return trackerLabel(this.tracker, this.mdUri.path);
  }
}

export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const s = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === s);
}

/** Text of a file: the open document's (unsaved edits included) or the bytes on disk. */
export async function readText(uri: vscode.Uri): Promise<{ text: string; version?: number } | undefined> {
  const doc = openDocument(uri);
  if (doc) return { text: doc.getText(), version: doc.version };
  try {
    return { text: decodeText(await vscode.workspace.fs.readFile(uri)) };
  } catch {
    return undefined;
  }
}

/** Parses a tracker from texts; never throws (a crash in the core becomes an error on the entry). */
export function parseSnapshot(entry: TrackerEntry, md: { text: string; version?: number }, yaml?: { text: string; version?: number }): TrackerSnapshot {
  const tracker = parseTracker(md.text, yaml?.text, { mdFile: entry.mdUri.path, yamlFile: entry.yamlUri.path }, entry.parseCache);
  return { tracker, mdText: md.text, yamlText: yaml?.text, mdVersion: md.version, yamlVersion: yaml?.version };
}

/**
 * Parses the tracker as an open markdown document says it now, with the YAML as its open document
 * (unsaved edits included) or, when it is not open, as last read.
 */
export function parseDocument(entry: TrackerEntry, doc: vscode.TextDocument): TrackerSnapshot {
  const yamlText = openDocument(entry.yamlUri)?.getText() ?? entry.snapshot?.yamlText;
  const text = doc.getText();
  // Usually the store has already parsed exactly these texts (the debounce ran before the save).
  const s = entry.snapshot;
  if (s && s.mdText === text && s.yamlText === yamlText) return s;
  return parseSnapshot(entry, { text, version: doc.version }, yamlText !== undefined ? { text: yamlText } : undefined);
}

/**
 * Finds every tracker in the workspace, pairs it with its YAML, keeps a parsed snapshot per
 * tracker and follows edits (debounced), saves (immediate), creates, deletes and renames.
 */
export class TrackerStore extends Disposable {
  private readonly entries = new Map<string, TrackerEntry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = this._register(new vscode.EventEmitter<TrackerEntry[]>());
  private readonly listChanged = this._register(new vscode.EventEmitter<void>());
  private discovering?: Promise<void>;

  /** Fires with the entries whose snapshot changed. */
  readonly onDidChange = this.changed.event;
  /** Fires when trackers are added or removed. */
  readonly onDidChangeList = this.listChanged.event;

  /**
   * The `Worktracker` output channel (discovery, analysis times, skipped files, refused writes);
   * a no-op logger when none is given (tests constructing a store directly).
   */
  readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'debug' | 'trace'>;

  constructor(log?: vscode.LogOutputChannel) {
    super();
    this.log = log ?? { info() {}, warn() {}, error() {}, debug() {}, trace() {} };
    this._register(
      toDisposable(() => {
        for (const t of this.timers.values()) clearTimeout(t);
        this.timers.clear();
        if (this.discoverTimer) clearTimeout(this.discoverTimer);
      }),
    );
    const mdWatcher = vscode.workspace.createFileSystemWatcher(`**/${TRACKER_FILE}`);
    const yamlWatcher = vscode.workspace.createFileSystemWatcher(`**/${YAML_FILE}`);
    // File watchers can miss a file written right after its new folder was created (a tool
    // creating a whole orchestration folder at once): any creation triggers a cheap re-discovery.
    const anyWatcher = vscode.workspace.createFileSystemWatcher('**/*');
    this._registerAll(
      anyWatcher,
      anyWatcher.onDidCreate((u) => {
        pathCacheFor(u).invalidate(u.path);
        if (/(^|\/)(node_modules|\.git)(\/|$)/.test(u.path)) return;
        if (!isTrackerUri(u) && !isYamlUri(u)) this.scheduleDiscover();
      }),
      // What the path cache learnt about a path (and below it) is dropped as soon as it moves.
      anyWatcher.onDidDelete((u) => pathCacheFor(u).invalidate(u.path)),
      anyWatcher.onDidChange((u) => pathCacheFor(u).changed(u.path)),
      mdWatcher,
      yamlWatcher,
      mdWatcher.onDidCreate((u) => this.add(u)),
      mdWatcher.onDidDelete((u) => this.remove(u)),
      mdWatcher.onDidChange((u) => {
        if (!openDocument(u)) this.schedule(u, 0);
      }),
      yamlWatcher.onDidCreate((u) => this.schedule(vscode.Uri.joinPath(u, '..', TRACKER_FILE), 0)),
      yamlWatcher.onDidDelete((u) => this.schedule(vscode.Uri.joinPath(u, '..', TRACKER_FILE), 0)),
      yamlWatcher.onDidChange((u) => {
        if (!openDocument(u)) this.schedule(vscode.Uri.joinPath(u, '..', TRACKER_FILE), 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const md = this.mdUriFor(e.document.uri);
        if (md) this.schedule(md, getConfig(e.document.uri).refreshDelay);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        const md = this.mdUriFor(d.uri);
        if (md) this.schedule(md, 0);
      }),
      // Closing an unsaved document reverts to the disk text.
      vscode.workspace.onDidCloseTextDocument((d) => {
        const md = this.mdUriFor(d.uri);
        if (md && this.entries.has(md.toString())) this.schedule(md, 0);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        // A tracker opened from outside the workspace (or before discovery) joins the store.
        if (isTrackerUri(d.uri) && !this.entries.has(d.uri.toString()) && d.uri.scheme !== 'git') this.add(d.uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.discover()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude')) void this.discover();
      }),
    );
  }

  all(): TrackerEntry[] {
    return [...this.entries.values()].sort((a, b) => a.mdUri.path.localeCompare(b.mdUri.path));
  }

  /** The entry owning a URI (its markdown or its YAML). */
  get(uri: vscode.Uri): TrackerEntry | undefined {
    const md = this.mdUriFor(uri);
    return md ? this.entries.get(md.toString()) : undefined;
  }

  /** The tracker of the active editor, else the only one. */
  active(): TrackerEntry | undefined {
    const ed = vscode.window.activeTextEditor;
    const e = ed && this.get(ed.document.uri);
    if (e) return e;
    const all = this.all();
    return all.length === 1 ? all[0] : undefined;
  }

  private mdUriFor(uri: vscode.Uri): vscode.Uri | undefined {
    if (isTrackerUri(uri)) return uri;
    if (isYamlUri(uri)) return vscode.Uri.joinPath(uri, '..', TRACKER_FILE);
    return undefined;
  }

  /** Initial (and repeated) discovery across all workspace folders. */
  discover(): Promise<void> {
    const run = async () => {
      const started = Date.now();
      const found = await vscode.workspace.findFiles(`**/${TRACKER_FILE}`, excludeGlob());
      // Re-check with our own matcher: globs with commas cannot go into the findFiles pattern.
      const keep = new Set(found.filter((u) => !isExcluded(u)).map((u) => u.toString()));
      for (const u of found) if (!keep.has(u.toString())) this.log.info(`Skipped ${vscode.workspace.asRelativePath(u)}: excluded by files.exclude`);
      // Keep trackers opened from outside the workspace while their editor is open.
      for (const d of vscode.workspace.textDocuments) if (isTrackerUri(d.uri) && d.uri.scheme !== 'git' && !isExcluded(d.uri)) keep.add(d.uri.toString());
      let listChanged = false;
      for (const key of [...this.entries.keys()]) {
        if (!keep.has(key)) {
          this.entries.delete(key);
          listChanged = true;
        }
      }
      const fresh: TrackerEntry[] = [];
      for (const key of keep) {
        if (!this.entries.has(key)) {
          const e = new TrackerEntry(vscode.Uri.parse(key));
          this.entries.set(key, e);
          fresh.push(e);
          listChanged = true;
        }
      }
      void vscode.commands.executeCommand('setContext', 'worktracker.hasTrackers', this.entries.size > 0);
      // The welcome view says "none found" only once a search has actually finished.
      void vscode.commands.executeCommand('setContext', 'worktracker.discovered', true);
      if (listChanged) this.listChanged.fire();
      // One tracker at a time, yielding in between: a large tracker takes a noticeable time to
      // parse and the extension host must stay responsive meanwhile.
      for (const e of fresh) {
        if (!this.entries.has(e.key)) continue;
        await this.reparse(e);
        await new Promise((r) => setTimeout(r, 0));
      }
      this.log.info(`Discovery: ${this.entries.size} tracker${this.entries.size === 1 ? '' : 's'} (${fresh.length} new) in ${Date.now() - started} ms`);
    };
    this.discovering = (this.discovering ?? Promise.resolve()).then(run, run);
    return this.discovering;
  }

  /** Resolves once the discovery in flight (if any) is done. */
  async ready(): Promise<void> {
    await this.discovering;
  }

  private add(uri: vscode.Uri): void {
    if (this.entries.has(uri.toString())) return;
    if (isExcluded(uri)) {
      this.log.info(`Skipped ${vscode.workspace.asRelativePath(uri)}: excluded by files.exclude`);
      return;
    }
    this.log.info(`Tracker added: ${vscode.workspace.asRelativePath(uri)}`);
    const e = new TrackerEntry(uri);
    this.entries.set(uri.toString(), e);
    void vscode.commands.executeCommand('setContext', 'worktracker.hasTrackers', true);
    void this.reparse(e, { notify: false }).then(() => {
      this.listChanged.fire();
      this.changed.fire([e]);
    });
  }

  private remove(uri: vscode.Uri): void {
    if (!this.entries.delete(uri.toString())) return;
    this.log.info(`Tracker removed: ${vscode.workspace.asRelativePath(uri)}`);
    void vscode.commands.executeCommand('setContext', 'worktracker.hasTrackers', this.entries.size > 0);
    this.listChanged.fire();
  }

  private discoverTimer?: ReturnType<typeof setTimeout>;

  /** Coalesces bursts of file creations into one discovery. */
  private scheduleDiscover(delay = 1000): void {
    if (this.discoverTimer) clearTimeout(this.discoverTimer);
    this.discoverTimer = setTimeout(() => {
      this.discoverTimer = undefined;
      void this.discover();
    }, delay);
  }

  /** Re-parses after `delay` ms; a newer request cancels the pending one (typing debounce). */
  schedule(mdUri: vscode.Uri, delay: number): void {
    const key = mdUri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.reparse(entry);
      }, delay),
    );
  }

  /**
   * Reads the texts now (open documents, else disk) and parses them, unless the snapshot is already
   * of exactly these texts (`force` parses anyway). A pending debounced re-parse is dropped: this one
   * supersedes it. Fires `onDidChange` for a new parse unless `notify` is false. Commands and the
   * save participant build edits from what this returns.
   */
  async reparse(entry: TrackerEntry, { notify = true, force = false }: { notify?: boolean; force?: boolean } = {}): Promise<TrackerSnapshot | undefined> {
    // A forced re-parse (Refresh) also re-checks every path, for changes no watcher reported.
    if (force) entry.paths.clear();
    const pending = this.timers.get(entry.key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(entry.key);
    }
    const md = await readText(entry.mdUri);
    if (!md) {
      entry.error = `Cannot read ${entry.mdUri.fsPath || entry.mdUri.path}`;
      this.log.warn(`Skipped ${entry.mdUri.fsPath || entry.mdUri.path}: cannot be read`);
      return undefined;
    }
    const yaml = await readText(entry.yamlUri);
    entry.yamlExists = yaml !== undefined;
    const s = entry.snapshot;
    if (s && !force && s.mdText === md.text && s.yamlText === yaml?.text) {
      // Same text: keep the parse, only record the versions it is valid for.
      s.mdVersion = md.version;
      s.yamlVersion = yaml?.version;
      return s;
    }
    const started = Date.now();
    try {
      entry.snapshot = parseSnapshot(entry, md, yaml);
      entry.error = undefined;
    } catch (err) {
      entry.error = `Could not parse the tracker: ${err instanceof Error ? err.message : String(err)}`;
      this.log.error(`Skipped ${entry.mdUri.fsPath || entry.mdUri.path}: ${entry.error}`);
      return entry.snapshot;
    }
    const t = entry.snapshot.tracker;
    this.log.debug(`Parsed ${vscode.workspace.asRelativePath(entry.mdUri)} in ${Date.now() - started} ms: ${t.agents.length} agents, ${t.phases.length} phases, ${t.barriers.length} barriers${yaml ? '' : ' (no ORCHESTRATION.yaml)'}`);
    entry.generation++;
    if (notify) this.changed.fire([entry]);
    return entry.snapshot;
  }

  /**
   * The cached snapshot when it still matches the open documents (no edit since, no re-parse
   * pending), else `reparse()`. Cheap enough for hovers, quick fixes and pickers.
   */
  async snapshot(entry: TrackerEntry): Promise<TrackerSnapshot | undefined> {
    const s = entry.snapshot;
    const md = openDocument(entry.mdUri);
    const y = openDocument(entry.yamlUri);
    const upToDate = s && !this.timers.has(entry.key) && (!md || md.version === s.mdVersion) && (!y || y.version === s.yamlVersion);
    return upToDate ? s : this.reparse(entry);
  }
}

/** `node_modules`, `.git` and the user's `files.exclude`, as one findFiles exclude glob. */
export function excludeGlob(): string {
  const globs = ['**/node_modules/**', '**/.git/**', ...filesExclude()];
  return `{${globs.join(',')}}`;
}

function filesExclude(): string[] {
  const fe = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  return Object.entries(fe)
    .filter(([g, v]) => v === true && !g.includes(','))
    .map(([g]) => g);
}

export function isExcluded(uri: vscode.Uri): boolean {
  const rel = vscode.workspace.asRelativePath(uri, false);
  if (/(^|\/)(node_modules|\.git)(\/|$)/.test(uri.path)) return true;
  return matchAny(filesExclude(), rel);
}
