/**
 * Finding, loading and writing tracker pairs on Node: shared by the CLI and the MCP server so both
 * read the same way and write through the same locked compare-before-rename path.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseTracker } from '../core/tracker';
import type { StalenessChecks } from '../core/analyze';
import { isDashboardStale, isMetricsStale } from '../core/dashboard';
import type { TextEdit, Tracker } from '../core/model';
import { TRACKER_FILE, YAML_FILE } from '../core/files';
import { toCorePath } from './fs';
import { acquireLock, readSnapshot, WriteError, type Lock, type Snapshot } from './write';

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
    md = path.join(abs, TRACKER_FILE);
    if (!(await statNative(md))?.isFile()) throw new TrackerError(`${file}: no ${TRACKER_FILE} in this folder`);
  } else if (/\.ya?ml$/i.test(abs)) {
    md = path.join(path.dirname(abs), TRACKER_FILE);
    if (!(await statNative(md))?.isFile()) throw new TrackerError(`${file}: no ${TRACKER_FILE} beside this YAML file`);
    return { md, yaml: abs };
  } else if (/\.(md|markdown)$/i.test(abs)) md = abs;
  else throw new TrackerError(`${file}: not a tracker (expected ${TRACKER_FILE}, ${YAML_FILE} or a folder)`);
  const yaml = path.join(path.dirname(md), YAML_FILE);
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
      } else if (e.isFile() && e.name === TRACKER_FILE) out.push(path.join(dir, e.name));
    }
  }
}

export { closeIds, editDistance, FRIENDLY, parseStatusArg, validDate } from '../tools/args';

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

