/**
 * What the file system said about paths, kept between analyses (`PathCache`): stats, realpaths, the
 * resolutions built from them and the name index of a walk. Re-analysis after a keystroke then
 * costs only the paths it has not seen, instead of stat-ing every artifact through every base again.
 *
 * A cache across analyses must never keep saying "not found" after a file appears, so:
 * - the owner reports every file-system event: a create or delete (`invalidate`) drops the path and
 *   everything under it, with every resolution and walk (any of them may have looked there); a
 *   change in place (`changed`) drops the path's stat and the resolutions;
 * - a path no watcher covers (the owner's `covered` says so) lives only `uncoveredTtlMs`; a covered
 *   one `ttlMs`, a safety net for a missed event;
 * - a resolution lives no longer than the stats it was made from;
 * - an entry dropped while its stat is in flight is not put back when the stat returns (a test
 *   holds a stale answer in flight across an invalidation).
 *
 * One cache per run (the CLI) is the same object without events and without expiry. Private to
 * `src/core/paths/` (public through `./index.ts`).
 */
import type { FileStat } from '../model';
import { isInside } from './tokens';

export interface PathCacheOptions {
  /** Lifetime of what was learnt about a path a watcher covers (default: 5 minutes). */
  ttlMs?: number;
  /** Lifetime for a path no watcher covers (default: 3 s). */
  uncoveredTtlMs?: number;
  /** Whether file-system events for `abs` reach `invalidate` (default: none do). */
  covered?: (abs: string) => boolean;
  /** Clock, for tests. */
  now?: () => number;
}

/** A value and when it stops being true; `settled` once the promise has resolved. */
interface Entry<T> {
  value: Promise<T>;
  expires: number;
  settled?: { value: T };
}

/** Collects the earliest expiry of the entries one resolution read. */
export interface Deps {
  expires: number;
}

export type RealResult = { ok: true; real: string } | { ok: false; escapes: boolean };
export type NameIndex = { byName: Map<string, string[]>; truncated: boolean };

export class PathCache {
  private readonly stats = new Map<string, Entry<FileStat | undefined>>();
  private readonly reals = new Map<string, Entry<RealResult>>();
  /** Resolutions and suggestions, by resolver signature then key. */
  private readonly memos = new Map<string, Map<string, Entry<unknown>>>();
  private readonly walks = new Map<string, Entry<NameIndex>>();
  private readonly ttl: number;
  private readonly uncoveredTtl: number;
  private readonly covered: (abs: string) => boolean;
  private readonly now: () => number;

  constructor(options: PathCacheOptions = {}) {
    this.ttl = options.ttlMs ?? 5 * 60_000;
    this.uncoveredTtl = options.uncoveredTtlMs ?? 3000;
    this.covered = options.covered ?? (() => false);
    this.now = options.now ?? Date.now;
  }

  /** A cache for one run: nothing expires and nothing invalidates it (the CLI, one MCP call). */
  static forRun(): PathCache {
    return new PathCache({ ttlMs: Infinity, uncoveredTtlMs: Infinity });
  }

  /** How long what is learnt now about `abs` stays true. */
  expiryOf(abs: string): number {
    const ttl = this.covered(abs) ? this.ttl : this.uncoveredTtl;
    return ttl === Infinity ? Infinity : this.now() + ttl;
  }

  stat(abs: string, make: () => Promise<FileStat | undefined>, deps?: Deps): Promise<FileStat | undefined> {
    return this.get(this.stats, abs, abs, make, deps);
  }

  realpath(abs: string, make: () => Promise<RealResult>, deps?: Deps): Promise<RealResult> {
    return this.get(this.reals, abs, abs, make, deps);
  }

  /** The walk of `root` (a name index, up to `limit` entries), shared by every resolver under that root. */
  walk(root: string, limit: number, make: () => Promise<NameIndex>): Promise<NameIndex> {
    return this.get(this.walks, `${root}\u0000${limit}`, root, make);
  }

  /**
   * A resolution (or suggestion) remembered under `key`; it expires with the earliest entry it read
   * (`make` receives the collector to pass on), and is dropped by any invalidation.
   */
  memo<T>(scope: string, key: string, root: string, make: (deps: Deps) => Promise<T>): Promise<T> {
    let memos = this.memos.get(scope);
    if (!memos) {
      memos = new Map();
      this.memos.set(scope, memos);
    }
    const hit = memos.get(key);
    if (hit && hit.expires > this.now()) return hit.value as Promise<T>;
    const deps: Deps = { expires: this.expiryOf(root) };
    const value = make(deps);
    const entry: Entry<unknown> = { value, expires: deps.expires };
    const m = memos;
    m.set(key, entry);
    value.then(
      (v) => {
        // Learnt only now: the stats it read may expire sooner than assumed at the start.
        entry.expires = Math.min(entry.expires, deps.expires);
        entry.settled = { value: v };
      },
      () => {
        // An aborted or failed resolution must not be remembered.
        if (m.get(key) === entry) m.delete(key);
      },
    );
    return value;
  }

  /**
   * A remembered resolution that has already settled, without waiting: re-analysis after a
   * keystroke reads thousands of them, and a promise per path costs more than the lookup itself.
   */
  known<T>(scope: string, key: string): { value: T } | undefined {
    const hit = this.memos.get(scope)?.get(key);
    if (!hit?.settled || hit.expires <= this.now()) return undefined;
    return hit.settled as { value: T };
  }

  private get<T>(map: Map<string, Entry<T>>, key: string, abs: string, make: () => Promise<T>, deps?: Deps): Promise<T> {
    let e = map.get(key);
    if (!e || e.expires <= this.now()) {
      e = { value: make(), expires: this.expiryOf(abs) };
      map.set(key, e);
      const entry = e;
      // A failed operation (aborted run) is tried again next time.
      entry.value.catch(() => {
        if (map.get(key) === entry) map.delete(key);
      });
    }
    if (deps && e.expires < deps.expires) deps.expires = e.expires;
    return e.value;
  }

  /**
   * A file or folder at `abs` was created, changed or deleted: forget it and everything under it,
   * and every resolution and walk, since any of them may have looked there.
   */
  invalidate(abs: string): void {
    for (const map of [this.stats, this.reals] as Map<string, unknown>[]) {
      for (const k of [...map.keys()]) if (k === abs || isInside(abs, k)) map.delete(k);
    }
    this.memos.clear();
    this.walks.clear();
  }

  /**
   * A file at `abs` changed in place: it still exists where it did, so names and the walk stand;
   * only its own stat (size, date) and the resolutions that carry it are dropped.
   */
  changed(abs: string): void {
    this.stats.delete(abs);
    this.reals.delete(abs);
    this.memos.clear();
  }

  /** Forget everything (an explicit refresh, a changed setting). */
  clear(): void {
    this.stats.clear();
    this.reals.clear();
    this.memos.clear();
    this.walks.clear();
  }
}
