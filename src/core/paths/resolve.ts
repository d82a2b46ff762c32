/**
 * Path resolution for Artifact paths written in a Tracker (`PathResolver`).
 *
 * Trackers write paths against several incompatible bases (repository root, project folder, tracker
 * folder, `<tracker folder>/<workflow id>/`, the YAML's `paths.base`), so a path is "missing" only
 * when no base resolves it. Nothing outside the repository root is ever stat-ed: a path is first
 * classified lexically (URL, `~`, drive letter, backslash, NUL, absolute, `..` escape), and with
 * `fs.realpath` a resolved path must also stay inside the root after symlinks.
 * The candidate bases of a Tracker are in `bases.ts`, close matches for a missing path in
 * `suggest.ts`. Private to `src/core/paths/` (its exports are
 * public through `./index.ts`).
 */
import * as posix from 'node:path/posix';
import type { FileStat, WorkspaceFs } from '../model';
import { classifyPath, isInside } from './tokens';
import { closeMatch, selfJoined, type Suggestion } from './suggest';
import { PathCache, type Deps, type NameIndex, type RealResult } from './cache';

export type PathKind = 'found' | 'missing' | 'absolute' | 'placeholder' | 'escapes-root' | 'url';

export interface ResolvedPath {
  kind: PathKind;
  /** Absolute path it resolved to (found), or the most likely intended location (missing). */
  resolved?: string;
  stat?: FileStat;
  /** Absolute candidates that were looked at, in order. */
  tried: string[];
  /** A replacement path, written relative the same way as the original (missing + close match). */
  suggestion?: string;
  /** Every acceptable close match, most similar first (`suggestion` is the first). */
  suggestions?: string[];
  /** False when two close matches are about as similar: no fix should be preferred then. */
  suggestionPreferred?: boolean;
  /** Why a path escapes / is not checkable, for messages. */
  reason?: string;
}

/**
 * Nearest folder with a `.git` entry at or above `fromDir`; `fromDir` itself when there is none.
 * `cache` is one run's stat cache or a `PathCache` (the extension's, kept between analyses).
 */
export async function findRepositoryRoot(fs: WorkspaceFs, fromDir: string, cache?: Map<string, Promise<FileStat | undefined>> | PathCache): Promise<string> {
  const statOf = (p: string): Promise<FileStat | undefined> => {
    if (cache instanceof PathCache) return cache.stat(p, () => safeStat(fs, p));
    let s = cache?.get(p);
    if (!s) {
      s = safeStat(fs, p);
      cache?.set(p, s);
    }
    return s;
  };
  let dir = posix.normalize(fromDir);
  for (let i = 0; i < 256; i++) {
    if (await statOf(posix.join(dir, '.git'))) return dir;
    const parent = posix.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return posix.normalize(fromDir);
}

async function safeStat(fs: WorkspaceFs, p: string): Promise<FileStat | undefined> {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

/** A counting semaphore: at most `limit` file operations in flight. */
export class Limiter {
  private active = 0;
  // A FIFO read from `head`: `shift()` on a long waiting list is O(n) per task (seconds at 5 MiB).
  private queue: (() => void)[] = [];
  private head = 0;
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      const next = this.head < this.queue.length ? this.queue[this.head++] : undefined;
      // Drop the consumed prefix now and then, so the array does not grow for the whole run.
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      next?.();
    }
  }
}

export interface ResolverOptions {
  fs: WorkspaceFs;
  root: string;
  /** Candidate base folders, absolute, in priority order. */
  bases: string[];
  statCache?: Map<string, Promise<FileStat | undefined>>;
  /**
   * What is known about paths, kept across analyses (the extension's, invalidated by its watchers).
   * Without it, one run's cache is used: the one tied to `statCache`, else a fresh one.
   */
  cache?: PathCache;
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * The folder of the document the paths are written in. A path climbing out of the root from
   * here (`../../..`) escapes, as a markdown link would, even if a deeper base would keep it inside.
   */
  documentDir?: string;
  /**
   * Path prefixes that name a known folder (`paths.base: "orchestration/wf-1/"` naming the tracker's
   * own folder): a path starting with one is also tried with the prefix replaced by that folder, so
   * it resolves even when the folder the prefix is relative to lies outside the root.
   */
  prefixes?: { prefix: string; dir: string }[];
  /** Upper bound on directory entries visited when looking for close matches. */
  walkLimit?: number;
}

/** One run's cache per caller's stat cache: runs sharing a stat cache share what they learnt. */
const runCaches = new WeakMap<object, PathCache>();

/** The cache a resolver uses: the caller's, else the run's (tied to its stat cache), else its own. */
function cacheFor(options: ResolverOptions): PathCache {
  if (options.cache) return options.cache;
  if (!options.statCache) return PathCache.forRun();
  let c = runCaches.get(options.statCache);
  if (!c) {
    c = PathCache.forRun();
    runCaches.set(options.statCache, c);
  }
  return c;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__']);

/** Resolves paths against the bases, stat-ing each distinct candidate once. */
export class PathResolver {
  readonly fs: WorkspaceFs;
  readonly root: string;
  readonly bases: string[];
  private readonly cache: PathCache;
  private readonly limiter: Limiter;
  private realRoot?: Promise<string>;
  private readonly walkLimit: number;
  /** This resolver's setup: resolutions are shared only between resolvers with the same one. */
  private readonly signature: string;
  /** Every absolute path handed to fs.stat / fs.realpath, for tests and debugging. */
  readonly touched = new Set<string>();

  constructor(private readonly options: ResolverOptions) {
    this.fs = options.fs;
    this.root = posix.normalize(options.root).replace(/(.)\/$/, '$1');
    this.bases = dedupe(options.bases.map((b) => posix.normalize(b).replace(/(.)\/$/, '$1')).filter((b) => isInside(this.root, b)));
    this.cache = cacheFor(options);
    this.limiter = new Limiter(Math.max(1, options.concurrency ?? 16));
    this.walkLimit = options.walkLimit ?? 20000;
    this.signature = JSON.stringify([this.root, this.bases, options.documentDir ?? null, options.prefixes ?? [], this.walkLimit]);
  }

  private checkAbort(): void {
    if (this.options.signal?.aborted) throw this.options.signal.reason ?? new Error('aborted');
  }

  /** Stat of an absolute path inside the root, following symlinks only while they stay inside. */
  async stat(abs: string, deps?: Deps): Promise<FileStat | undefined> {
    if (!isInside(this.root, abs)) return undefined;
    const real = await this.real(abs, deps);
    if (!real.ok) return undefined;
    return this.cachedStat(real.real, deps);
  }

  private cachedStat(abs: string, deps?: Deps): Promise<FileStat | undefined> {
    return this.cache.stat(
      abs,
      () =>
        this.limiter.run(async () => {
          this.checkAbort();
          this.touched.add(abs);
          return safeStat(this.fs, abs);
        }),
      deps,
    );
  }

  private real(abs: string, deps?: Deps): Promise<RealResult> {
    const realpath = this.fs.realpath?.bind(this.fs);
    if (!realpath) return Promise.resolve({ ok: true, real: abs });
    return this.cache.realpath(
      abs,
      async (): Promise<RealResult> => {
        this.realRoot ??= realpath(this.root).catch(() => this.root);
        const rootReal = await this.realRoot;
        try {
          const r = await this.limiter.run(async () => {
            this.checkAbort();
            this.touched.add(abs);
            return realpath(abs);
          });
          const real = posix.normalize(r);
          // Judge containment against both spellings of the root (it may itself be a symlink).
          if (isInside(rootReal, real)) return { ok: true, real: this.root + real.slice(rootReal.length) };
          if (isInside(this.root, real)) return { ok: true, real };
          return { ok: false, escapes: true };
        } catch (e) {
          // An aborted run must not leave "not found" behind.
          if (this.options.signal?.aborted) throw e;
          // ENOENT, ELOOP (symlink loop), EACCES: not usable, and no hang.
          return { ok: false, escapes: false };
        }
      },
      deps,
    );
  }

  /**
   * Resolves one path as written. A path resolved once by a resolver with the same root, bases and
   * prefixes is not resolved again while what it read holds (see `PathCache`): re-analysis after
   * an edit then costs only the paths that changed.
   */
  resolve(raw: string): Promise<ResolvedPath> {
    return this.cache.memo(this.signature, `r\u0000${raw}`, this.root, (deps) => this.resolveUncached(raw, deps));
  }

  /** `resolve(raw)`'s answer when it is already known and still holds, else undefined. */
  known(raw: string): ResolvedPath | undefined {
    return this.cache.known<ResolvedPath>(this.signature, `r\u0000${raw}`)?.value;
  }

  /** `suggest(raw, resolved)`'s answer when already known (`{ value: undefined }`: no close match). */
  knownSuggestion(raw: string, resolved: ResolvedPath): { value: Suggestion | undefined } | undefined {
    return this.cache.known<Suggestion | undefined>(this.signature, `s\u0000${resolved.kind}\u0000${raw}`);
  }

  private async resolveUncached(raw: string, deps: Deps): Promise<ResolvedPath> {
    const cls = classifyPath(raw);
    switch (cls.kind) {
      case 'url':
        return { kind: 'url', tried: [] };
      case 'absolute':
        return { kind: 'absolute', tried: [] };
      case 'placeholder':
      case 'pattern':
        return { kind: 'placeholder', tried: [] };
      case 'escapes-root':
        return { kind: 'escapes-root', tried: [], reason: cls.reason };
    }
    const rel = cls.path;
    const tried: string[] = [];
    const doc = this.options.documentDir;
    if (doc && /(^|\/)\.\.(\/|$)/.test(rel) && !isInside(this.root, posix.normalize(posix.join(doc, rel)))) {
      return { kind: 'escapes-root', tried, reason: 'leaves the repository root' };
    }
    let escapedAll = true;
    let symlinkEscape = false;
    for (const candidate of this.candidates(rel)) {
      const abs = candidate.abs;
      if (!isInside(this.root, abs)) continue;
      escapedAll = false;
      if (tried.includes(abs)) continue;
      tried.push(abs);
      const real = await this.real(abs, deps);
      if (!real.ok) {
        if (real.escapes) symlinkEscape = true;
        continue;
      }
      const stat = await this.cachedStat(real.real, deps);
      if (stat) return { kind: 'found', resolved: abs, stat, tried };
    }
    if (escapedAll && this.bases.length > 0) {
      return { kind: 'escapes-root', tried, reason: 'leaves the repository root' };
    }
    if (symlinkEscape) return { kind: 'escapes-root', tried, reason: 'a symlink leads outside the repository root' };
    return { kind: 'missing', resolved: tried[0], tried };
  }

  /** Where a relative path may be, in order: known prefixes replaced first, then each base. */
  private candidates(rel: string): { abs: string; base: string }[] {
    const out: { abs: string; base: string }[] = [];
    const norm = posix.normalize(rel);
    for (const { prefix, dir } of this.options.prefixes ?? []) {
      const p = posix.normalize(prefix).replace(/\/?$/, '/');
      if (p !== './' && norm.startsWith(p)) out.push({ abs: posix.normalize(posix.join(dir, norm.slice(p.length))).replace(/(.)\/$/, '$1'), base: dir });
    }
    const relSegs = norm.split('/');
    const joined: { abs: string; base: string }[] = [];
    for (const base of this.bases) {
      // `projects/X/a.md` is never also meant under `projects/X` itself (`projects/X/projects/X/a.md`).
      if (selfJoined(posix.relative(this.root, base), relSegs)) continue;
      joined.push({ abs: posix.normalize(posix.join(base, rel)).replace(/(.)\/$/, '$1'), base });
    }
    if (joined.length === 0) for (const base of this.bases) joined.push({ abs: posix.normalize(posix.join(base, rel)).replace(/(.)\/$/, '$1'), base });
    return [...out, ...joined];
  }

  /**
   * Files under the root by name (bounded breadth-first walk): one walk per root while the cache
   * holds it (every file event drops it), so hovers and analyses do not list the repository again.
   */
  filesByName(): Promise<NameIndex> {
    return this.cache.walk(this.root, this.walkLimit, () => this.walk());
  }

  private async walk(): Promise<{ byName: Map<string, string[]>; truncated: boolean }> {
    const byName = new Map<string, string[]>();
    const readDirectory = this.fs.readDirectory?.bind(this.fs);
    if (!readDirectory) return { byName, truncated: true };
    let budget = this.walkLimit;
    let truncated = false;
    let level = [this.root];
    const seen = new Set<string>();
    for (let depth = 0; depth < 24 && level.length > 0; depth++) {
      const next: string[] = [];
      const results = await Promise.all(
        level.map((dir) =>
          this.limiter.run(async () => {
            this.checkAbort();
            try {
              return [dir, await readDirectory(dir)] as const;
            } catch {
              return [dir, []] as const;
            }
          }),
        ),
      );
      for (const [dir, entries] of results) {
        for (const [name, type] of entries) {
          if (budget-- <= 0) {
            truncated = true;
            break;
          }
          const abs = posix.join(dir, name);
          if (type === 'directory') {
            // Symlinked folders report as their target type in most fs layers; `seen` plus the depth
            // cap stop loops, and folders outside the root never get here (we only join names).
            if (!SKIP_DIRS.has(name) && !name.startsWith('.') && !seen.has(abs)) {
              seen.add(abs);
              next.push(abs);
            }
          } else {
            const list = byName.get(name);
            if (list) list.push(abs);
            else byName.set(name, [abs]);
          }
        }
        if (truncated) break;
      }
      if (truncated) break;
      level = next;
    }
    // Stopped by the depth cap with folders left unvisited.
    if (level.length > 0) truncated = true;
    return { byName, truncated };
  }

  /**
   * A close existing match for a missing relative path: a file with the same name elsewhere, the one
   * sharing most leading folders with where it was expected. The suggestion keeps the original's
   * style (relative to the base that explains it best).
   */
  suggest(raw: string, resolved: ResolvedPath): Promise<Suggestion | undefined> {
    // `resolved` is this resolver's own (memoised) result for `raw`, so `raw` alone is the key.
    return this.cache.memo(this.signature, `s\u0000${resolved.kind}\u0000${raw}`, this.root, () => this.suggestUncached(raw, resolved));
  }

  private async suggestUncached(raw: string, resolved: ResolvedPath): Promise<Suggestion | undefined> {
    const cls = classifyPath(raw);
    if (cls.kind !== 'relative' || resolved.kind !== 'missing') return undefined;
    const { byName } = await this.filesByName();
    return closeMatch(cls.path, byName, this.candidates(cls.path), this.root, this.options.prefixes ?? []);
  }
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
