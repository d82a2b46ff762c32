import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { Finding, Severity } from '../core/model';
import { analyze } from '../core/analyze';
import { isDashboardStale, isMetricsStale } from '../core/dashboard';
import type { TrackerEntry, TrackerStore } from './trackerStore';
import { getConfig } from './config';
import { toVsRange } from './ui';
import { Disposable, toDisposable } from './dispose';
import { YAML_FILE } from '../core/files';

export const DIAGNOSTIC_SOURCE = 'worktracker';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The findings behind the published diagnostics, by document URI: the tree reads their typed data. */
const published = new Map<string, Finding[]>();

/** The findings behind a document's published Worktracker diagnostics. */
export function publishedFindings(uri: vscode.Uri): readonly Finding[] {
  return published.get(uri.toString()) ?? [];
}

/** Findings of one analysis run, with the tracker generation they belong to. */
interface Run {
  generation: number;
  findings: Finding[];
}

/**
 * Feeds the core's findings into a DiagnosticCollection for the markdown and the YAML of every
 * tracker. Runs are debounced and cancelled when superseded; a file created or deleted anywhere
 * re-checks the trackers that mention its name.
 */
export class Diagnostics extends Disposable {
  readonly collection = this._register(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  private readonly runs = new Map<string, Run>();
  private readonly inFlight = new Map<string, AbortController>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly done = this._register(new vscode.EventEmitter<TrackerEntry>());
  /** Fires after a tracker's diagnostics were published (tests wait on it). */
  readonly onDidUpdate = this.done.event;

  constructor(
    private readonly store: TrackerStore,
    private readonly docsBase: (code: string) => vscode.Uri,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    super();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this._registerAll(
      toDisposable(() => {
        for (const c of this.inFlight.values()) c.abort();
        for (const t of this.timers.values()) clearTimeout(t);
        published.clear();
      }),
      watcher,
      store.onDidChange((entries) => entries.forEach((e) => this.schedule(e, 0))),
      store.onDidChangeList(() => this.pruneRemoved()),
      watcher.onDidCreate((u) => this.onFileEvent(u)),
      watcher.onDidDelete((u) => this.onFileEvent(u)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('worktracker.validate') || e.affectsConfiguration('worktracker.paths')) this.runAll();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.runAll()),
    );
    this.runAll();
  }

  /** The findings behind the current diagnostics of a tracker. */
  findings(entry: TrackerEntry): Finding[] {
    return this.runs.get(entry.key)?.findings ?? [];
  }

  runAll(): void {
    for (const e of this.store.all()) this.schedule(e, 0);
  }

  /** Analyses a tracker now and resolves when its diagnostics are published. */
  async run(entry: TrackerEntry): Promise<Finding[]> {
    this.inFlight.get(entry.key)?.abort();
    const ctl = new AbortController();
    this.inFlight.set(entry.key, ctl);
    const cfg = getConfig(entry.mdUri);
    const t = entry.tracker;
    if (!t) return [];
    let findings: Finding[] = [];
    const started = Date.now();
    if (cfg.validateEnable) {
      try {
        findings = await analyze(t, {
          fs: entry.fs,
          root: await entry.root(),
          base: cfg.pathsBase ? absoluteBase(entry, cfg.pathsBase) : undefined,
          ignore: cfg.validateIgnore,
          pathCache: entry.paths,
          concurrency: 8,
          signal: ctl.signal,
          staleness: { isDashboardStale, isMetricsStale },
        });
      } catch (e) {
        if (ctl.signal.aborted) return this.findings(entry);
        this.log?.error(`Analysis of ${entry.mdUri.fsPath || entry.mdUri.path} failed: ${e instanceof Error ? e.message : String(e)}`);
        findings = [...t.findings, failure(entry, e)];
      }
    }
    if (ctl.signal.aborted || entry.tracker !== t || !this.store.all().includes(entry)) return this.findings(entry);
    this.inFlight.delete(entry.key);
    this.runs.set(entry.key, { generation: entry.generation, findings });
    if (this.log) {
      const by = new Map<string, number>();
      for (const f of findings) by.set(f.severity, (by.get(f.severity) ?? 0) + 1);
      const counts = [...by].map(([k, n]) => `${n} ${k}`).join(', ') || 'no findings';
      this.log.info(`Analysed ${vscode.workspace.asRelativePath(entry.mdUri)} in ${Date.now() - started} ms: ${counts}${cfg.validateEnable ? '' : ' (worktracker.validate.enable is off)'}`);
    }
    this.publish(entry, findings, cfg.severity);
    this.done.fire(entry);
    return findings;
  }

  private schedule(entry: TrackerEntry, delay: number): void {
    const prev = this.timers.get(entry.key);
    if (prev) clearTimeout(prev);
    this.timers.set(
      entry.key,
      setTimeout(() => {
        this.timers.delete(entry.key);
        void this.run(entry);
      }, delay),
    );
  }

  private publish(entry: TrackerEntry, findings: Finding[], overrides: Partial<Record<string, string>>): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    byFile.set(entry.mdUri.toString(), []);
    byFile.set(entry.yamlUri.toString(), []);
    const sources = new Map<string, Finding[]>();
    // Asked per finding, the same few answers: thousands of findings on a large tracker.
    const targets = new Map<string, vscode.Uri>();
    const keys = new Map<string, string>();
    for (const f of findings) {
      const o = overrides[f.code];
      if (o === 'off') continue;
      const sev = o && o in SEVERITY ? SEVERITY[o as Severity] : SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Warning;
      const d = new vscode.Diagnostic(toVsRange(f.range), f.message, sev);
      d.source = DIAGNOSTIC_SOURCE;
      let target = targets.get(f.code);
      if (!target) targets.set(f.code, (target = this.docsBase(f.code)));
      d.code = { value: f.code, target };
      if (f.related?.length) {
        d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(entry.uriOf(r.file), toVsRange(r.range)), r.message));
      }
      let key = keys.get(f.file);
      if (key === undefined) keys.set(f.file, (key = entry.uriOf(f.file).toString()));
      if (!byFile.has(key)) byFile.set(key, []);
      byFile.get(key)!.push(d);
      if (!sources.has(key)) sources.set(key, []);
      sources.get(key)!.push(f);
    }
    // Before the collection fires its change event: listeners read the findings back.
    for (const uri of byFile.keys()) published.set(uri, sources.get(uri) ?? []);
    for (const [uri, list] of byFile) this.collection.set(vscode.Uri.parse(uri), list);
  }

  private pruneRemoved(): void {
    const live = new Set(this.store.all().map((e) => e.key));
    for (const key of [...this.runs.keys()]) {
      if (live.has(key)) continue;
      this.runs.delete(key);
      const md = vscode.Uri.parse(key);
      const yaml = vscode.Uri.joinPath(md, '..', YAML_FILE);
      published.delete(md.toString());
      published.delete(yaml.toString());
      this.collection.delete(md);
      this.collection.delete(yaml);
    }
    this.runAll();
  }

  /** A file appeared or vanished: re-check trackers that mention a path with its name. */
  private onFileEvent(uri: vscode.Uri): void {
    const name = posix.basename(uri.path);
    // The store's watcher has already told the path cache (the re-check below runs 300 ms later).
    if (!name || /(^|\/)(\.git|node_modules)(\/|$)/.test(uri.path)) return;
    for (const e of this.store.all()) {
      const t = e.tracker;
      if (!t) continue;
      const mentions =
        t.artifacts.some((a) => a.path.includes(name)) ||
        (t.yaml?.artifacts.some((s) => typeof s.value === 'string' && s.value.includes(name)) ?? false) ||
        // A folder was created or removed: paths below it may have changed state.
        t.artifacts.some((a) => a.path.includes(`${name}/`));
      if (mentions) this.schedule(e, 300);
    }
  }
}

/** `worktracker.paths.base` as an absolute core path (relative values are under the workspace folder). */
export function absoluteBase(entry: TrackerEntry, base: string): string {
  if (base.startsWith('/')) return base;
  const folder = entry.folder?.uri.path ?? posix.dirname(entry.mdUri.path);
  return posix.join(folder, base);
}

/** The analysis itself failed: its own code, never one that reads as a finding about the tracker. */
function failure(entry: TrackerEntry, e: unknown): Finding {
  const p = { line: 0, column: 0, offset: 0 };
  const error = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal-error',
    severity: 'info',
    message: `Worktracker could not finish checking this tracker: ${error}`,
    file: entry.mdUri.path,
    range: { start: p, end: p },
    data: { check: 'paths', error },
  };
}

/** Where a diagnostic code links: the README section named after the code. */
export function docsLink(context: vscode.ExtensionContext): (code: string) => vscode.Uri {
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
