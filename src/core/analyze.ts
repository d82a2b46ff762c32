/**
 * Findings for one Tracker: the readers' findings plus path checks, status drift between the
 * markdown and the YAML, self-contradictions and stale derived sections (unless `staleness: false`).
 * Who produces an artifact is in `producers.ts`. Pure core; the CLI and the extension import it.
 */
import * as posix from 'node:path/posix';
import type {
  Agent,
  ArtifactRef,
  FileStat,
  Finding,
  Range,
  Severity,
  Tracker,
  WorkspaceFs,
  YamlScalar,
} from './model';
import { PathCache, PathResolver, absolutePath, basePrefixes, candidateBases, classifyPath, cleanPath, findRepositoryRoot, isBareName, looksLikePath, type ResolvedPath } from './paths';
import { driftFindings, selfContradictionFindings } from './drift';
import { isDashboardStale, isMetricsStale } from './dashboard';
import { contains, Expectations, type Producer } from './producers';
import { matchAny } from './glob';

export type { ResolvedPath } from './paths';
export { findRepositoryRoot } from './paths';

export interface AnalyzeOptions {
  fs: WorkspaceFs;
  /** Repository root (nearest folder with .git above the tracker); computed with fs when omitted. Paths are absolute, '/'-separated. */
  root?: string;
  /** Explicit path base override (setting / --base). */
  base?: string;
  /** Globs of paths to ignore for path findings (worktracker.validate.ignore). */
  ignore?: string[];
  /** Shared per-run stat cache and concurrency limit (default 16). */
  statCache?: Map<string, Promise<FileStat | undefined>>;
  /**
   * What is known about paths across analyses (the extension keeps one and reports file events to
   * it); without it each run (each `statCache`) learns on its own.
   */
  pathCache?: PathCache;
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * Derived-section checks (`dashboard-stale`, `metrics-stale`). Default: the dashboard module's
   * `isDashboardStale` / `isMetricsStale`. `false` leaves both kinds of finding out, on purpose.
   */
  staleness?: StalenessChecks | false;
}

export interface StalenessChecks {
  isDashboardStale?(tracker: Tracker): { stale: boolean; reason?: string; sure?: boolean };
  isMetricsStale?(tracker: Tracker): { stale: boolean; rows: { name: string; expected: string; actual: string; range: Range }[] };
}

/** Default severities; documented in the README, one subsection per code. */
export const SEVERITY: Record<string, Severity> = {
  'path-missing': 'warning',
  'path-absolute': 'warning',
  'path-placeholder': 'warning',
  'path-escapes-root': 'error',
  'status-drift': 'warning',
  'self-contradiction': 'warning',
  'dashboard-stale': 'info',
  'metrics-stale': 'info',
  'internal-error': 'info',
};

/** The checks `analyze` runs on derived sections unless told `staleness: false`. */
const DEFAULT_STALENESS: StalenessChecks = { isDashboardStale, isMetricsStale };

interface Context {
  tracker: Tracker;
  resolver: PathResolver;
  trackerDir: string;
  root: string;
}

/** Per tracker and per run (the caller's stat cache): the resolver, reused by every path of that run. */
const contexts = new WeakMap<Tracker, WeakMap<object, Map<string, Promise<Context>>>>();

async function context(tracker: Tracker, options: AnalyzeOptions): Promise<Context> {
  const key = `${options.root ?? ''}\u0000${options.base ?? ''}`;
  // Reuse the resolver only within one run (same stat cache and fs); a new run re-stats.
  let perRun: Map<string, Promise<Context>> | undefined;
  const run = options.pathCache ?? options.statCache;
  if (run) {
    let perTracker = contexts.get(tracker);
    if (!perTracker) {
      perTracker = new WeakMap();
      contexts.set(tracker, perTracker);
    }
    perRun = perTracker.get(run);
    if (!perRun) {
      perRun = new Map();
      perTracker.set(run, perRun);
    }
  }
  let ctx = perRun?.get(key);
  if (!ctx) {
    ctx = (async () => {
      const mdAbs = absolutePath(tracker.file, options.root);
      const trackerDir = posix.dirname(mdAbs);
      const root = options.root ? absolutePath(options.root, undefined) : await findRepositoryRoot(options.fs, trackerDir, options.pathCache ?? options.statCache);
      const bases = candidateBases(tracker, root, trackerDir, options.base);
      const resolver = new PathResolver({
        fs: options.fs,
        root,
        bases,
        documentDir: trackerDir,
        prefixes: basePrefixes(tracker, trackerDir),
        statCache: options.statCache,
        cache: options.pathCache,
        concurrency: options.concurrency,
        signal: options.signal,
      });
      return { tracker, resolver, trackerDir, root };
    })();
    perRun?.set(key, ctx);
  }
  return ctx;
}

/**
 * Full paths written elsewhere in the tracker (checklists first, then table cells and the YAML), so
 * a bare `foo.md` or a short `landscape.md` in a table resolves to the listed `dir/ps-x-landscape.md`.
 */
class FullPaths {
  private readonly paths: string[] = [];
  /** Paths by file name, and by every `-`/`_`/`.`-separated tail of it, in first-seen order: lookups stay O(1) on large trackers. */
  private readonly byName = new Map<string, string[]>();
  private readonly bySuffix = new Map<string, string[]>();
  private readonly memo = new Map<string, string | undefined>();

  /** The last index built, with the paths it was built from: typing rarely changes them. */
  private static last?: { paths: string[]; full: FullPaths };

  /** The index of a tracker's full paths; the previous one when its paths are the same. */
  static of(tracker: Tracker): FullPaths {
    const paths = FullPaths.pathsOf(tracker);
    const last = FullPaths.last;
    if (last && last.paths.length === paths.length && last.paths.every((p, i) => p === paths[i])) return last.full;
    const full = new FullPaths(paths);
    FullPaths.last = { paths, full };
    return full;
  }

  private static pathsOf(tracker: Tracker): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const add = (p: string | undefined): void => {
      if (p && !seen.has(p) && !isBareName(p) && classifyPath(p).kind === 'relative') {
        seen.add(p);
        out.push(p);
      }
    };
    for (const item of tracker.checklist) add(item.artifact?.path);
    for (const a of tracker.artifacts) if (a.source === 'checklist') add(a.path);
    for (const a of tracker.artifacts) add(a.path);
    for (const s of tracker.yaml?.artifacts ?? []) if (typeof s.value === 'string') add(s.value);
    return out;
  }

  private constructor(paths: string[]) {
    this.paths.push(...paths);
    for (const p of this.paths) {
      const n = nameOf(p);
      push(this.byName, n, p);
      for (let i = 0; i < n.length; i++) {
        const c = n[i];
        if (c === '-' || c === '_' || c === '.') push(this.bySuffix, n.slice(i + 1), p);
      }
    }
  }

  /** The one full path a bare name stands for, or undefined when none or several fit. */
  lookup(bare: string, agentId?: string): string | undefined {
    const key = `${bare}\u0000${agentId ?? ''}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const r = this.find(bare, agentId);
    this.memo.set(key, r);
    return r;
  }

  private find(bare: string, agentId?: string): string | undefined {
    const name = cleanPath(bare);
    const exact = this.byName.get(name) ?? [];
    if (exact.length > 0) return pick(exact);
    // `competitive-landscape.md` for `ps-researcher-001-competitive-landscape.md`.
    return pick(this.bySuffix.get(name) ?? []);

    function pick(list: string[]): string | undefined {
      if (list.length <= 1) return list[0];
      if (agentId) {
        const mine = list.filter((p) => p.includes(`/${agentId}/`) || nameOf(p).startsWith(agentId));
        if (mine.length >= 1) return mine[0];
      }
      // Several spellings of one file (`dir/x.md` and `base/dir/x.md`) are still one file.
      const names = new Set(list.map(nameOf));
      return names.size === 1 ? list[0] : undefined;
    }
  }
}

function nameOf(p: string): string {
  return posix.basename(cleanPath(p).replace(/\/$/, ''));
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Resolves a path as the analysis does (used by hovers). Bare file names are looked up in the
 * tracker's own full paths first, then under the bases, then by name anywhere under the root.
 */
export async function resolveArtifact(tracker: Tracker, path: string, options: AnalyzeOptions & { agentId?: string }): Promise<ResolvedPath> {
  const ctx = await context(tracker, options);
  return resolveWith(ctx, path, FullPaths.of(tracker), options.agentId);
}

/**
 * What `resolveWith` would answer, when every part of it is already known (remembered and settled),
 * else undefined: the common case while typing, without a promise per path.
 */
function resolveKnown(ctx: Context, path: string, full: FullPaths, agentId?: string): ResolvedPath | undefined {
  const { resolver } = ctx;
  if (isBareName(path)) {
    const listed = full.lookup(path, agentId);
    if (listed) return resolver.known(listed);
  }
  const r = resolver.known(path);
  if (!r || r.kind !== 'missing') return r;
  // A missing bare name looks in the walk: the asynchronous path.
  if (isBareName(path)) return undefined;
  const s = resolver.knownSuggestion(path, r);
  if (!s) return undefined;
  return s.value ? { ...r, suggestion: s.value.suggestion, suggestions: s.value.suggestions, suggestionPreferred: s.value.preferred, resolved: r.resolved } : r;
}

async function resolveWith(ctx: Context, path: string, full: FullPaths, agentId?: string): Promise<ResolvedPath> {
  const { resolver } = ctx;
  if (isBareName(path)) {
    const listed = full.lookup(path, agentId);
    if (listed) return resolver.resolve(listed);
  }
  const r = await resolver.resolve(path);
  if (r.kind !== 'missing') return r;
  if (isBareName(path)) {
    const { byName: files } = await resolver.filesByName();
    const hits = files.get(cleanPath(path));
    if (hits && hits.length > 0) {
      const stat = await resolver.stat(hits[0]);
      if (stat) return { kind: 'found', resolved: hits[0], stat, tried: r.tried };
    }
    return r;
  }
  const s = await resolver.suggest(path, r);
  return s ? { ...r, suggestion: s.suggestion, suggestions: s.suggestions, suggestionPreferred: s.preferred, resolved: r.resolved } : r;
}

/**
 * The agent occurrence producing an artifact: the one whose row holds `range` (in the markdown),
 * else an occurrence with `agentId` whose row names the path, else one whose row names the path,
 * else the first with `agentId`. Ids repeat across phases, so "the first row with that id" is wrong.
 */
export function producingAgent(tracker: Tracker, path: string, at: { agentId?: string; range?: Range; file?: string }): Agent | undefined {
  if (at.range && (at.file === undefined || at.file === tracker.file)) {
    const row = tracker.agents.find((a) => contains(a.row.range, at.range!));
    if (row && (!at.agentId || row.id === at.agentId)) return row;
  }
  const want = cleanPath(path).replace(/^\.\//, '');
  const names = (a: Agent) => a.artifacts.some((r) => cleanPath(r.path).replace(/^\.\//, '') === want);
  const byName = (a: Agent) => a.artifacts.some((r) => posix.basename(cleanPath(r.path)) === posix.basename(want));
  const same = at.agentId ? tracker.agents.filter((a) => a.id === at.agentId) : tracker.agents;
  return same.find(names) ?? same.find(byName) ?? (at.agentId ? same[0] : undefined);
}

/** YAML values that define path patterns (`paths.pipeline: "{base}ps/{phase_id}/"`), not paths. */
function yamlPatternValues(tracker: Tracker): Set<string> {
  const out = new Set<string>();
  const data = tracker.yaml?.data;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const paths = (data as Record<string, unknown>).paths;
    if (paths && typeof paths === 'object' && !Array.isArray(paths)) {
      for (const v of Object.values(paths as Record<string, unknown>)) if (typeof v === 'string') out.add(v);
    }
  }
  return out;
}

/** Range of a scalar's text without its quotes. */
function innerRange(s: YamlScalar): Range {
  if ((s.style === 'single' || s.style === 'double') && s.range.start.line === s.range.end.line && s.range.end.offset - s.range.start.offset >= 2) {
    return {
      start: { ...s.range.start, column: s.range.start.column + 1, offset: s.range.start.offset + 1 },
      end: { ...s.range.end, column: s.range.end.column - 1, offset: s.range.end.offset - 1 },
    };
  }
  return s.range;
}


interface PathSite {
  path: string;
  file: string;
  range: Range;
  producer: Producer;
  bareInTable: boolean;
  /** An artifact field (checklist item, agent or barrier cell, an agent's or hand-off's path), not prose or a path template. */
  artifactField: boolean;
  agentId?: string;
}

const ARTIFACT_SOURCES = new Set<ArtifactRef['source']>(['checklist', 'agent-cell', 'barrier-cell']);

function hasFileShape(p: string): boolean {
  const c = cleanPath(p);
  return c.endsWith('/') || /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(posix.basename(c));
}

function pathSites(tracker: Tracker): PathSite[] {
  const sites: PathSite[] = [];
  const expect = new Expectations(tracker);
  // Each mention once, by where it starts (a number: thousands of mentions on large trackers).
  const seen = new Set<number>();
  for (const ref of tracker.artifacts) {
    const key = ref.range.start.offset;
    if (seen.has(key) || !looksLikePath(ref.path)) continue;
    // In prose, `a/b/c` without an extension is as often a key or a tag as a path.
    if (ref.source === 'other' && classifyPath(ref.path).kind === 'relative' && !hasFileShape(ref.path)) continue;
    seen.add(key);
    sites.push({
      path: ref.path,
      file: tracker.file,
      range: ref.range,
      producer: expect.md(ref),
      bareInTable: isBareName(ref.path) && ref.source !== 'checklist',
      artifactField: ARTIFACT_SOURCES.has(ref.source),
      agentId: ref.agentId,
    });
  }
  const y = tracker.yaml;
  if (y) {
    const patterns = yamlPatternValues(tracker);
    // An agent's artifact and a hand-off's path are artifact fields; other path-like values (a flow
    // definition's `output: …/{task.id}/…-v{iteration}.md`) may be templates of paths.
    const fields = new Set<number>();
    for (const a of y.agents) for (const s of a.artifacts) fields.add(s.range.start.offset);
    for (const b of y.barriers) for (const a of b.artifacts) if (a.path) fields.add(a.path.range.start.offset);
    const seenYaml = new Set<number>();
    const scalars = [...y.artifacts];
    for (const a of y.agents) scalars.push(...a.artifacts);
    for (const b of y.barriers) for (const a of b.artifacts) if (a.path) scalars.push(a.path);
    for (const s of scalars) {
      if (typeof s.value !== 'string') continue;
      const key = s.range.start.offset;
      if (seenYaml.has(key) || patterns.has(s.value) || !looksLikePath(s.value)) continue;
      seenYaml.add(key);
      sites.push({ path: s.value, file: y.file, range: innerRange(s), producer: expect.yaml(s), bareInTable: false, artifactField: fields.has(s.range.start.offset) });
    }
  }
  return sites;
}

async function pathFindings(tracker: Tracker, options: AnalyzeOptions): Promise<Finding[]> {
  const ctx = await context(tracker, options);
  const full = FullPaths.of(tracker);
  const sites = pathSites(tracker);
  const ignore = options.ignore ?? [];
  const results: ResolvedPath[] = new Array(sites.length);
  const waits: Promise<void>[] = [];
  sites.forEach((s, i) => {
    const known = resolveKnown(ctx, s.path, full, s.agentId);
    if (known) results[i] = known;
    else waits.push(resolveWith(ctx, s.path, full, s.agentId).then((r) => void (results[i] = r)));
  });
  await Promise.all(waits);
  const walk = sites.some((s, i) => results[i].kind === 'missing' && isBareName(s.path)) ? await ctx.resolver.filesByName() : undefined;
  const out: Finding[] = [];
  sites.forEach((site, i) => {
    const r = results[i];
    const p = cleanPath(site.path);
    if (matchAny(ignore, p)) return;
    // A bare name in a table that the tracker lists in full elsewhere: that full path carries any finding.
    if (site.bareInTable && full.lookup(p, site.agentId)) return;
    switch (r.kind) {
      case 'absolute':
        out.push(finding('path-absolute', site, `Absolute path \`${p}\`: paths in a tracker should be repository-relative so any checkout can resolve them.`));
        return;
      case 'placeholder':
        // Only an artifact field left as the template wrote it; prose and path templates are not artifacts.
        if (site.artifactField && /[{}]|\$\{/.test(p)) out.push(finding('path-placeholder', site, `Path \`${p}\` still contains a \`{placeholder}\` from the template.`));
        return;
      case 'escapes-root':
        out.push(finding('path-escapes-root', site, `Path \`${p}\` ${r.reason ?? 'leaves the repository root'}; it is not checked.`));
        return;
      case 'missing': {
        // A folder in a configuration table may simply not be created yet.
        if (p.endsWith('/')) return;
        // A bare name not seen anywhere in a truncated walk may exist beyond it: stay silent.
        if (isBareName(p) && (walk?.truncated ?? true)) return;
        const by = site.producer.by ? ` (${site.producer.by}${site.producer.status ? ` is ${site.producer.status}` : ''})` : '';
        if (!site.producer.done) {
          // Its producer has not finished: the file is simply not written yet.
          const f = finding('path-missing', site, `Artifact \`${p}\` not produced yet${by}.`);
          f.severity = 'info';
          f.data = { ...f.data, produced: false, ...(site.producer.by ? { producer: site.producer.by } : {}) };
          out.push(f);
          return;
        }
        const f = finding('path-missing', site, `Artifact \`${p}\` not found (${describeTried(ctx, r)}).`);
        f.data = { ...f.data, produced: true, tried: r.tried.map((x) => posix.relative(ctx.root, x) || '.'), ...(site.producer.by ? { producer: site.producer.by } : {}) };
        const suggestions = r.suggestions ?? (r.suggestion ? [r.suggestion] : []);
        if (suggestions.length > 0) {
          f.message += ` Did you mean \`${suggestions[0]}\`${suggestions.length > 1 ? ` (or ${suggestions.slice(1).map((x) => `\`${x}\``).join(', ')})` : ''}?`;
          f.data = { ...f.data, suggestion: suggestions[0], suggestions, preferred: r.suggestionPreferred ?? suggestions.length === 1 };
        }
        out.push(f);
        return;
      }
      default:
        return;
    }
  });
  return out;

  function finding(code: Finding['code'], site: PathSite, message: string): Finding {
    return { code, severity: SEVERITY[code] ?? 'warning', message, file: site.file, range: site.range, data: { path: cleanPath(site.path) } };
  }
}

function describeTried(ctx: Context, r: ResolvedPath): string {
  const first = r.tried[0];
  if (!first) return 'no base folder to look in';
  const shown = posix.relative(ctx.root, first) || '.';
  const more = r.tried.length - 1;
  return `looked for \`${shown}\`${more > 0 ? ` and ${more} other location${more === 1 ? '' : 's'}` : ''}`;
}

/** All findings for a Tracker, sorted by file and position. */
export async function analyze(tracker: Tracker, options: AnalyzeOptions): Promise<Finding[]> {
  const out: Finding[] = [...tracker.findings];
  const readerKeys = new Set(out.map((f) => `${f.code}:${f.file}:${f.range.start.offset}`));
  for (const f of tracker.yaml?.findings ?? []) {
    // The tracker reader may already have copied the YAML's findings.
    if (!readerKeys.has(`${f.code}:${f.file}:${f.range.start.offset}`)) out.push(f);
  }
  try {
    out.push(...(await pathFindings(tracker, options)));
  } catch (e) {
    if (options.signal?.aborted) throw e;
    // Never lose the other findings because the file system misbehaved.
    out.push(internalError(tracker, 'paths', `Paths were not checked: ${errorText(e)}`, e));
  }
  out.push(...driftFindings(tracker));
  out.push(...selfContradictionFindings(tracker));
  const staleness = options.staleness === false ? undefined : options.staleness ?? DEFAULT_STALENESS;
  try {
    if (staleness) out.push(...staleFindings(tracker, staleness));
  } catch (e) {
    // A derived-section check must never hide the other findings.
    out.push(internalError(tracker, 'staleness', `The dashboard and metrics were not checked: ${errorText(e)}`, e));
  }
  return sortFindings(out);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A check that failed: reported at the tracker's title as information, never as a fact about it. */
function internalError(tracker: Tracker, check: 'paths' | 'staleness', message: string, e: unknown): Finding {
  return {
    code: 'internal-error',
    severity: SEVERITY['internal-error'],
    message,
    file: tracker.file,
    range: tracker.title?.range ?? zeroRange(),
    data: { check, error: errorText(e) },
  };
}

function zeroRange(): Range {
  const p = { line: 0, column: 0, offset: 0 };
  return { start: p, end: p };
}

function staleFindings(tracker: Tracker, checks: StalenessChecks): Finding[] {
  return [...dashboardStaleFindings(tracker, checks), ...metricsStaleFindings(tracker, checks)];
}

function dashboardStaleFindings(tracker: Tracker, checks: StalenessChecks): Finding[] {
  if (!tracker.dashboard || !checks.isDashboardStale) return [];
  const r = checks.isDashboardStale(tracker);
  if (!r.stale) return [];
  return [
    {
      code: 'dashboard-stale',
      // Values the model is not sure of (no units found behind them) are information, never written.
      severity: r.sure === false ? 'info' : SEVERITY['dashboard-stale'],
      message: r.sure === false
        ? `The dashboard may not match the tables: ${r.reason}. Sync leaves these values alone: the reader did not find the units behind them.`
        : `The dashboard does not match the tables${r.reason ? `: ${r.reason}` : ''}. Run "sync" to update its values.`,
      file: tracker.file,
      range: tracker.dashboard.heading?.range ?? tracker.dashboard.range,
      data: { reason: r.reason },
    },
  ];
}

function metricsStaleFindings(tracker: Tracker, checks: StalenessChecks): Finding[] {
  if (!tracker.metrics || !checks.isMetricsStale) return [];
  const r = checks.isMetricsStale(tracker);
  if (!r.stale) return [];
  return r.rows.map((row) => ({
    code: 'metrics-stale',
    severity: SEVERITY['metrics-stale'],
    message: `Metric "${row.name}" says ${row.actual} but the tables give ${row.expected}. Run "sync" to update it.`,
    file: tracker.file,
    range: row.range,
    data: { name: row.name, expected: row.expected, actual: row.actual },
  }));
}

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.offset - b.range.start.offset || a.code.localeCompare(b.code)));
}
