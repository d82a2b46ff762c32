/**
 * Finding, loading and writing tracker pairs on Node: shared by the CLI and the MCP server so both
 * read the same way and write through the same locked compare-before-rename path.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseTracker } from '../core/tracker';
import type { StalenessChecks } from '../core/analyze';
import { isDashboardStale, isMetricsStale } from '../core/dashboard';
import { toStatus } from '../core/status';
import { STATUSES, type Status, type TextEdit, type Tracker } from '../core/model';
import { toCorePath } from './fs';
import { acquireLock, readSnapshot, WriteError, type Lock, type Snapshot } from './write';

export const MD_NAME = 'ORCHESTRATION_WORKTRACKER.md';
export const YAML_NAME = 'ORCHESTRATION.yaml';

/** An input that cannot be used (exit code 2), or a write error carried with its exit code. */
export class TrackerError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** `p` relative to the current folder when inside it, else as given. */
export function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}

export interface Loaded {
  tracker: Tracker;
  md: Snapshot;
  yaml?: Snapshot;
}

export async function statNative(p: string) {
  return fsp.stat(p).catch(() => undefined);
}

/** The tracker pair for FILE (the markdown, the YAML or their folder). */
export async function locate(file: string): Promise<{ md: string; yaml?: string }> {
  const abs = path.resolve(file);
  const st = await statNative(abs);
  if (!st) throw new TrackerError(`${file}: no such file or folder`);
  let md: string;
  if (st.isDirectory()) {
    md = path.join(abs, MD_NAME);
    if (!(await statNative(md))?.isFile()) throw new TrackerError(`${file}: no ${MD_NAME} in this folder`);
  } else if (/\.ya?ml$/i.test(abs)) {
    md = path.join(path.dirname(abs), MD_NAME);
    if (!(await statNative(md))?.isFile()) throw new TrackerError(`${file}: no ${MD_NAME} beside this YAML file`);
    return { md, yaml: abs };
  } else if (/\.(md|markdown)$/i.test(abs)) md = abs;
  else throw new TrackerError(`${file}: not a tracker (expected ${MD_NAME}, ${YAML_NAME} or a folder)`);
  const yaml = path.join(path.dirname(md), YAML_NAME);
  return { md, yaml: (await statNative(yaml))?.isFile() ? yaml : undefined };
}

export async function load(mdPath: string, yamlPath: string | undefined): Promise<Loaded> {
  let md: Snapshot;
  let yaml: Snapshot | undefined;
  try {
    md = await readSnapshot(mdPath);
  } catch (e) {
    throw asTrackerError(e, mdPath);
  }
  if (yamlPath) {
    try {
      yaml = await readSnapshot(yamlPath);
    } catch (e) {
      throw asTrackerError(e, yamlPath);
    }
  }
  let tracker: Tracker;
  try {
    tracker = parseTracker(md.text, yaml?.text, { mdFile: toCorePath(mdPath), yamlFile: yamlPath ? toCorePath(yamlPath) : undefined });
  } catch (e) {
    throw new TrackerError(`${rel(mdPath)}: cannot read this tracker: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { tracker, md, yaml };
}

export function asTrackerError(e: unknown, file: string): TrackerError {
  if (e instanceof TrackerError) return e;
  if (e instanceof WriteError) return new TrackerError(e.message.replace(e.file, rel(e.file)), e.exitCode);
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new TrackerError(`${rel(file)}: no such file`);
  if (code === 'EISDIR') return new TrackerError(`${rel(file)}: is a folder`);
  return new TrackerError(`${rel(file)}: ${e instanceof Error ? e.message : String(e)}`);
}

export function looksLikeTracker(t: Tracker): boolean {
  return t.agents.length > 0 || t.phases.length > 0 || t.barriers.length > 0 || t.header.length > 0 || !!t.dashboard;
}

export const staleness: StalenessChecks = { isDashboardStale, isMetricsStale };

export async function findTrackers(start: string, out: string[]): Promise<void> {
  const st = await statNative(start);
  if (!st) throw new TrackerError(`${start}: no such file or folder`);
  if (!st.isDirectory()) {
    const { md } = await locate(start);
    out.push(md);
    return;
  }
  const stack = [path.resolve(start)];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === '.git') continue;
        stack.push(path.join(dir, e.name));
      } else if (e.isFile() && e.name === MD_NAME) out.push(path.join(dir, e.name));
    }
  }
}

export const FRIENDLY: Record<string, Status> = {
  DONE: 'COMPLETE',
  COMPLETED: 'COMPLETE',
  FINISHED: 'COMPLETE',
  TODO: 'PENDING',
  NOT_STARTED: 'PENDING',
  STARTED: 'IN_PROGRESS',
  WIP: 'IN_PROGRESS',
  DOING: 'IN_PROGRESS',
  ACTIVE: 'IN_PROGRESS',
  RUNNING: 'IN_PROGRESS',
  FAIL: 'FAILED',
  SKIP: 'SKIPPED',
  CANCELED: 'CANCELLED',
};

export function parseStatusArg(raw: string): Status | undefined {
  const norm = raw.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if ((STATUSES as readonly string[]).includes(norm) && norm !== 'UNKNOWN') return norm as Status;
  if (FRIENDLY[norm]) return FRIENDLY[norm];
  const s = toStatus(raw);
  return s === 'UNKNOWN' ? undefined : s;
}

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n];
}

export function closeIds(id: string, ids: string[]): string[] {
  const q = id.toLowerCase();
  return [...new Set(ids)]
    .map((c) => ({ c, d: c.toLowerCase().includes(q) || q.includes(c.toLowerCase()) ? 0.5 : editDistance(q, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(q.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 5)
    .map((x) => x.c);
}

export function validDate(d: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(d) && !Number.isNaN(Date.parse(d.slice(0, 10)));
}

/** Groups edits by the file they belong to, mapped onto the two snapshots. */
export function splitEdits(loaded: Loaded, edits: TextEdit[]): { snap: Snapshot; edits: TextEdit[] }[] {
  const mdFile = loaded.tracker.file;
  const yamlFile = loaded.tracker.yaml?.file;
  const md = edits.filter((e) => e.file === mdFile);
  const ym = edits.filter((e) => yamlFile !== undefined && e.file === yamlFile);
  const stray = edits.filter((e) => e.file !== mdFile && e.file !== yamlFile);
  if (stray.length) throw new TrackerError(`internal: edit for an unexpected file ${stray[0].file}`);
  const out = [{ snap: loaded.md, edits: md }];
  if (loaded.yaml && ym.length) out.push({ snap: loaded.yaml, edits: ym });
  return out;
}

export async function withLocks<T>(files: (string | undefined)[], fn: () => Promise<T>): Promise<T> {
  const locks: Lock[] = [];
  try {
    for (const f of files) if (f) locks.push(await acquireLock(f));
    return await fn();
  } finally {
    for (const l of locks.reverse()) await l.release();
  }
}

