/**
 * `worktracker`: check, show, mark and sync ORCHESTRATION_WORKTRACKER.md / ORCHESTRATION.yaml pairs
 * from a terminal or CI. Every error is one line naming the file; exit codes are documented in
 * USAGE below.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseTracker } from './core/tracker';
import { analyze, findRepositoryRoot, type StalenessChecks } from './core/analyze';
import { AgentOccurrenceError, AmbiguousAgentError, setAgentStatus } from './core/edits';
import { isDashboardStale, isMetricsStale, syncDerived } from './core/dashboard';
import { toStatus } from './core/status';
import { applyEdits, LineIndex } from './core/text';
import { STATUSES, type EffectiveStatus, type FileStat, type Finding, type Status, type TextEdit, type Tracker } from './core/model';
import { NodeFs, toCorePath, toNativePath } from './node/fs';
import { acquireLock, readSnapshot, writeAll, WriteError, type Lock, type Snapshot } from './node/write';
import pkg from '../package.json';

const MD_NAME = 'ORCHESTRATION_WORKTRACKER.md';
const YAML_NAME = 'ORCHESTRATION.yaml';

const USAGE = `worktracker ${pkg.version} — ORCHESTRATION_WORKTRACKER.md / ORCHESTRATION.yaml tool

Usage:
  worktracker check [PATH...] [--json] [--root DIR] [--base DIR] [--ignore GLOB]...
      Find trackers under each PATH (default .) and report findings as
      file:line:col: severity code: message
      --root: repository root (default: nearest folder with .git, else the
      current folder); no file outside it is ever read. --base: folder that
      artifact paths are relative to, tried first. --ignore: skip path
      findings for paths matching GLOB (repeatable).
  worktracker show FILE [--json]
      Phases, pipelines, agents, barriers and counts of one tracker.
  worktracker mark FILE AGENT_ID STATUS [--line N] [--phase N] [--date YYYY-MM-DD] [--dry-run]
      Set the status of one agent row in the markdown, and of its record in the
      YAML beside it when that record matches without doubt. An id written in
      more than one row (one per phase, say) needs --line N (the row's 1-based
      line, as "show --json" prints it) or --phase N; without them mark exits 2
      and lists the rows. Other rows of the same id are never changed.
      STATUS: ${STATUSES.filter((s) => s !== 'UNKNOWN').join(', ')} (any case), or done, in-progress, todo, ...
  worktracker sync FILE [--check]
      Redraw the dashboard and metrics from the tables; --check only reports.

FILE is the tracker markdown, its ORCHESTRATION.yaml, or the folder holding them.

Exit codes: 0 ok; 1 check found errors / sync --check found stale sections;
2 unusable input (missing file, not a tracker, unknown agent or status, an
agent id that names several rows);
3 a file changed or is locked during a write (nothing lost; run again); 4 write failed.
`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
  /** Every value of a repeatable option (`--ignore`). */
  lists: Map<string, string[]>;
}

const VALUE_FLAGS = new Set(['--root', '--base', '--date', '--ignore', '--line', '--phase']);
const BOOL_FLAGS = new Set(['--json', '--dry-run', '--check', '--help', '-h', '--version', '-V']);

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (VALUE_FLAGS.has(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new CliError(`${name} needs a value`);
        flags.set(name, v);
        lists.set(name, [...(lists.get(name) ?? []), v]);
      } else if (BOOL_FLAGS.has(name)) flags.set(name, true);
      else throw new CliError(`unknown option ${a} (see --help)`);
    } else positional.push(a);
  }
  return { positional, flags, lists };
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}

// ------------------------------------------------------------------ loading

interface Loaded {
  tracker: Tracker;
  md: Snapshot;
  yaml?: Snapshot;
}

async function statNative(p: string) {
  return fsp.stat(p).catch(() => undefined);
}

/** The tracker pair for FILE (the markdown, the YAML or their folder). */
async function locate(file: string): Promise<{ md: string; yaml?: string }> {
  const abs = path.resolve(file);
  const st = await statNative(abs);
  if (!st) throw new CliError(`${file}: no such file or folder`);
  let md: string;
  if (st.isDirectory()) {
    md = path.join(abs, MD_NAME);
    if (!(await statNative(md))?.isFile()) throw new CliError(`${file}: no ${MD_NAME} in this folder`);
  } else if (/\.ya?ml$/i.test(abs)) {
    md = path.join(path.dirname(abs), MD_NAME);
    if (!(await statNative(md))?.isFile()) throw new CliError(`${file}: no ${MD_NAME} beside this YAML file`);
    return { md, yaml: abs };
  } else if (/\.(md|markdown)$/i.test(abs)) md = abs;
  else throw new CliError(`${file}: not a tracker (expected ${MD_NAME}, ${YAML_NAME} or a folder)`);
  const yaml = path.join(path.dirname(md), YAML_NAME);
  return { md, yaml: (await statNative(yaml))?.isFile() ? yaml : undefined };
}

async function load(mdPath: string, yamlPath: string | undefined): Promise<Loaded> {
  let md: Snapshot;
  let yaml: Snapshot | undefined;
  try {
    md = await readSnapshot(mdPath);
  } catch (e) {
    throw asCliError(e, mdPath);
  }
  if (yamlPath) {
    try {
      yaml = await readSnapshot(yamlPath);
    } catch (e) {
      throw asCliError(e, yamlPath);
    }
  }
  let tracker: Tracker;
  try {
    tracker = parseTracker(md.text, yaml?.text, { mdFile: toCorePath(mdPath), yamlFile: yamlPath ? toCorePath(yamlPath) : undefined });
  } catch (e) {
    throw new CliError(`${rel(mdPath)}: cannot read this tracker: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { tracker, md, yaml };
}

function asCliError(e: unknown, file: string): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof WriteError) return new CliError(e.message.replace(e.file, rel(e.file)), e.exitCode);
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new CliError(`${rel(file)}: no such file`);
  if (code === 'EISDIR') return new CliError(`${rel(file)}: is a folder`);
  return new CliError(`${rel(file)}: ${e instanceof Error ? e.message : String(e)}`);
}

function looksLikeTracker(t: Tracker): boolean {
  return t.agents.length > 0 || t.phases.length > 0 || t.barriers.length > 0 || t.header.length > 0 || !!t.dashboard;
}

const staleness: StalenessChecks = { isDashboardStale, isMetricsStale };

// ------------------------------------------------------------------ check

async function findTrackers(start: string, out: string[]): Promise<void> {
  const st = await statNative(start);
  if (!st) throw new CliError(`${start}: no such file or folder`);
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

/**
 * The repository holding the tracker; outside any repository, the current folder when it holds the
 * tracker (paths written against a project folder above the tracker still resolve), else the
 * tracker's own folder.
 */
async function defaultRoot(fs: NodeFs, mdCore: string, statCache: Map<string, Promise<FileStat | undefined>>): Promise<string> {
  const dir = mdCore.slice(0, mdCore.lastIndexOf('/')) || '/';
  const repo = await findRepositoryRoot(fs, dir, statCache);
  if (await fs.stat(`${repo === '/' ? '' : repo}/.git`)) return repo;
  const cwd = toCorePath(process.cwd());
  return mdCore.startsWith(cwd.endsWith('/') ? cwd : `${cwd}/`) ? cwd : dir;
}

function findingLine(f: Finding): string {
  return `${rel(toNativePath(f.file))}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} ${f.code}: ${f.message}`;
}

function findingJson(f: Finding) {
  return {
    file: toNativePath(f.file),
    line: f.range.start.line + 1,
    column: f.range.start.column + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.column + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.data ? { data: f.data } : {}),
    ...(f.related
      ? { related: f.related.map((r) => ({ file: toNativePath(r.file), line: r.range.start.line + 1, column: r.range.start.column + 1, message: r.message })) }
      : {}),
  };
}

async function cmdCheck(args: Args): Promise<number> {
  const starts = args.positional.length ? args.positional : ['.'];
  const mds: string[] = [];
  for (const s of starts) await findTrackers(s, mds);
  const unique = [...new Set(mds)].sort();
  if (unique.length === 0) throw new CliError(`no ${MD_NAME} found under ${starts.join(', ')}`);
  const fs = new NodeFs();
  const statCache = new Map<string, Promise<FileStat | undefined>>();
  const rootFlag = args.flags.get('--root');
  const baseFlag = args.flags.get('--base');
  const root = typeof rootFlag === 'string' ? toCorePath(rootFlag) : undefined;
  const base = typeof baseFlag === 'string' ? toCorePath(baseFlag) : undefined;
  const all: Finding[] = [];
  const trackers: { file: string; yaml?: string; findings: number }[] = [];
  let unusable = 0;
  for (const md of unique) {
    const yamlPath = path.join(path.dirname(md), YAML_NAME);
    let loaded: Loaded;
    try {
      loaded = await load(md, (await statNative(yamlPath))?.isFile() ? yamlPath : undefined);
    } catch (e) {
      const err = asCliError(e, md);
      process.stderr.write(`worktracker: ${err.message}\n`);
      unusable++;
      continue;
    }
    if (!looksLikeTracker(loaded.tracker)) {
      process.stderr.write(`worktracker: ${rel(md)}: not a tracker (no header, phases, agents or barriers)\n`);
      unusable++;
      continue;
    }
    const findings = await analyze(loaded.tracker, {
      fs,
      root: root ?? (await defaultRoot(fs, toCorePath(md), statCache)),
      base,
      statCache,
      staleness,
      ignore: args.lists.get('--ignore') ?? [],
    });
    all.push(...findings);
    trackers.push({ file: md, yaml: loaded.yaml?.path, findings: findings.length });
  }
  const errors = all.filter((f) => f.severity === 'error').length;
  if (args.flags.has('--json')) {
    process.stdout.write(JSON.stringify({ trackers, findings: all.map(findingJson), errors }, null, 2) + '\n');
  } else {
    for (const f of all) process.stdout.write(findingLine(f) + '\n');
    const warnings = all.filter((f) => f.severity === 'warning').length;
    process.stderr.write(`${trackers.length} tracker${trackers.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${all.length - errors - warnings} other\n`);
  }
  if (unusable > 0 && trackers.length === 0) return 2;
  return errors > 0 ? 1 : unusable > 0 ? 2 : 0;
}

// ------------------------------------------------------------------ show

function line(r: { start: { line: number } }): number {
  return r.start.line + 1;
}

/** `statusSource` and `effectiveStatus` of a phase, barrier or gate, for `show --json`. */
function effective(e: EffectiveStatus | undefined) {
  if (!e) return {};
  return {
    statusSource: e.source,
    effectiveStatus: { status: e.status, source: e.source, ...(e.raw !== undefined ? { raw: e.raw } : {}), ...(e.line !== undefined ? { line: e.line + 1 } : {}) },
  };
}

/** Every unit of work in file order: agents, then phases, barriers and gates with a status, each with its line. */
function units(t: Tracker) {
  const out: { id: string; line: number; status: Status | undefined; kind: string; phase?: number; statusSource?: string }[] = [];
  for (const a of t.agents) out.push({ id: a.id, line: line(a.row.range), status: a.status.status, kind: 'agent', phase: a.phase });
  for (const p of t.phases) {
    out.push({ id: p.kind ? (p.label ?? `${p.kind}-${p.number}`) : `phase-${p.number}`, line: line(p.heading.range), status: p.effectiveStatus?.status, kind: 'phase', phase: p.number, statusSource: p.statusSource });
  }
  for (const b of t.barriers) out.push({ id: b.id, line: line(b.row?.range ?? b.heading.range), status: b.effectiveStatus?.status, kind: 'barrier', statusSource: b.statusSource });
  for (const g of t.gates) out.push({ id: g.id, line: g.line + 1, status: g.effectiveStatus?.status, kind: 'gate', phase: g.phase, statusSource: g.statusSource });
  return out.sort((a, b) => a.line - b.line);
}

function model(t: Tracker) {
  const byStatus: Partial<Record<Status, number>> = {};
  const seen = new Set<string>();
  for (const a of t.agents) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    byStatus[a.status.status] = (byStatus[a.status.status] ?? 0) + 1;
  }
  const yamlById = new Map((t.yaml?.agents ?? []).map((a) => [a.id, a]));
  return {
    file: toNativePath(t.file),
    yaml: t.yaml ? toNativePath(t.yaml.file) : undefined,
    title: t.title?.text,
    status: t.workflowStatus ? { status: t.workflowStatus.status, raw: t.workflowStatus.raw, line: line(t.workflowStatus.range) } : undefined,
    yamlStatus: t.yaml?.workflow.status ? { status: toStatus(String(t.yaml.workflow.status.value)), raw: String(t.yaml.workflow.status.value) } : undefined,
    phases: t.phases.map((p) => ({
      number: p.number,
      title: p.title,
      status: p.status ? { status: p.status.status, raw: p.status.raw } : undefined,
      ...effective(p.effectiveStatus),
      line: line(p.heading.range),
      groups: p.groups.map((g) => ({ title: g.title, alias: g.alias, line: line(g.range), agents: g.agents.map((a) => a.id) })),
      agents: p.agents.map((a) => a.id),
    })),
    agents: t.agents.map((a) => {
      const y = yamlById.get(a.id)?.status;
      return {
        id: a.id,
        status: a.status.status,
        raw: a.status.raw,
        line: line(a.row.range),
        kind: 'agent',
        shape: a.shape ?? 'table',
        ...(a.title !== undefined ? { title: a.title } : {}),
        ...(a.heading ? { headingLine: line(a.heading.range) } : {}),
        phase: a.phase,
        pipeline: a.pipeline,
        artifacts: a.artifacts.map((x) => x.path),
        ...(y ? { yamlStatus: toStatus(String(y.value)), yamlRaw: String(y.value) } : {}),
      };
    }),
    barriers: t.barriers.map((b) => ({
      number: b.number,
      id: b.id,
      title: b.title,
      status: b.status ? { status: b.status.status, raw: b.status.raw } : undefined,
      ...effective(b.effectiveStatus),
      line: line(b.row?.range ?? b.heading.range),
      directions: b.directions.map((d) => ({
        direction: d.direction,
        from: d.from,
        to: d.to,
        status: d.status ? { status: d.status.status, raw: d.status.raw } : undefined,
        artifacts: d.artifacts.map((x) => x.path),
      })),
    })),
    gates: t.gates.map((g) => ({
      id: g.id,
      title: g.title,
      status: g.status ? { status: g.status.status, raw: g.status.raw } : undefined,
      ...effective(g.effectiveStatus),
      line: g.line + 1,
      ...(g.heading ? { headingLine: line(g.heading.range) } : {}),
      phase: g.phase,
    })),
    units: units(t),
    coverage: { units: t.coverage.units, unread: t.coverage.unread.map((u) => ({ line: u.line + 1, text: u.text })) },
    counts: {
      agents: seen.size,
      byStatus,
      phases: t.phases.length,
      phasesComplete: t.phases.filter((p) => p.status?.status === 'COMPLETE').length,
      barriers: t.barriers.length,
      barriersComplete: t.barriers.filter((b) => b.status?.status === 'COMPLETE').length,
    },
  };
}

/** ` — COMPLETE`, ` — COMPLETE (dashboard)`, ` — IN_PROGRESS (derived)`. */
function statusNote(e: EffectiveStatus | undefined): string {
  if (!e) return '';
  return ` — ${e.status}${e.source === 'own' ? '' : ` (${e.source})`}`;
}

function summary(t: Tracker): string {
  const m = model(t);
  const out: string[] = [];
  out.push(`${m.title ?? rel(m.file)}${m.status ? ` — ${m.status.status} (${m.status.raw})` : ''}`);
  if (m.yamlStatus) out.push(`  YAML: ${m.yamlStatus.status} (${m.yamlStatus.raw})`);
  const counts = Object.entries(m.counts.byStatus).map(([s, n]) => `${n} ${s}`).join(', ');
  out.push(`  ${m.counts.agents} agents${counts ? `: ${counts}` : ''}; phases ${m.counts.phasesComplete}/${m.counts.phases} complete; barriers ${m.counts.barriersComplete}/${m.counts.barriers} complete`);
  const agentLine = (a: Tracker['agents'][number]) => `      ${a.id.padEnd(28)} ${a.status.status.padEnd(12)} ${a.status.raw}`;
  const items: { line: number; text: string[] }[] = [];
  for (const p of t.phases) {
    const text = [`  Phase ${p.number}${p.title ? `: ${p.title}` : ''}${statusNote(p.effectiveStatus)}  (line ${line(p.heading.range)})`];
    const grouped = new Set<string>();
    for (const g of p.groups) {
      text.push(`    ${g.title}`);
      for (const a of g.agents) {
        grouped.add(a.id);
        text.push(agentLine(a));
      }
    }
    for (const a of p.agents) if (!grouped.has(a.id)) text.push(agentLine(a));
    items.push({ line: p.heading.range.start.line, text });
  }
  for (const b of t.barriers) {
    const text = [`  Barrier ${b.number}${b.title ? `: ${b.title}` : ''}${statusNote(b.effectiveStatus)}  (line ${line(b.row?.range ?? b.heading.range)})`];
    for (const d of b.directions) text.push(`      ${d.direction.padEnd(28)} ${d.status?.status ?? ''}`);
    items.push({ line: b.heading.range.start.line, text });
  }
  for (const g of t.gates) items.push({ line: g.line, text: [`  Gate ${g.id}${g.title ? `: ${g.title}` : ''}${statusNote(g.effectiveStatus)}  (line ${g.line + 1})`] });
  const loose = t.agents.filter((a) => a.phase === undefined && !t.phases.some((p) => p.agents.includes(a)));
  if (loose.length) items.push({ line: Number.MAX_SAFE_INTEGER, text: ['  Other agents', ...loose.map(agentLine)] });
  items.sort((a, b) => a.line - b.line);
  for (const i of items) out.push(...i.text);
  const unread = t.coverage.unread;
  if (unread.length) {
    out.push(`  ${t.coverage.units} unit line${t.coverage.units === 1 ? '' : 's'} read · ${unread.length} status line${unread.length === 1 ? '' : 's'} not understood:`);
    for (const u of unread) out.push(`      line ${u.line + 1}: ${u.text.length > 100 ? `${u.text.slice(0, 99)}…` : u.text}`);
  }
  return out.join('\n') + '\n';
}

async function cmdShow(args: Args): Promise<number> {
  const [file, ...rest] = args.positional;
  if (!file) throw new CliError('show needs FILE (see --help)');
  if (rest.length) throw new CliError(`show takes one FILE; unexpected ${rest.join(' ')}`);
  const { md, yaml } = await locate(file);
  const { tracker } = await load(md, yaml);
  if (!looksLikeTracker(tracker)) throw new CliError(`${rel(md)}: not a tracker (no header, phases, agents or barriers)`);
  if (args.flags.has('--json')) process.stdout.write(JSON.stringify(model(tracker), null, 2) + '\n');
  else process.stdout.write(summary(tracker));
  return 0;
}

// ------------------------------------------------------------------ mark

const FRIENDLY: Record<string, Status> = {
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

function closeIds(id: string, ids: string[]): string[] {
  const q = id.toLowerCase();
  return [...new Set(ids)]
    .map((c) => ({ c, d: c.toLowerCase().includes(q) || q.includes(c.toLowerCase()) ? 0.5 : editDistance(q, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(q.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 5)
    .map((x) => x.c);
}

function validDate(d: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(d) && !Number.isNaN(Date.parse(d.slice(0, 10)));
}

/** Groups edits by the file they belong to, mapped onto the two snapshots. */
function splitEdits(loaded: Loaded, edits: TextEdit[]): { snap: Snapshot; edits: TextEdit[] }[] {
  const mdFile = loaded.tracker.file;
  const yamlFile = loaded.tracker.yaml?.file;
  const md = edits.filter((e) => e.file === mdFile);
  const ym = edits.filter((e) => yamlFile !== undefined && e.file === yamlFile);
  const stray = edits.filter((e) => e.file !== mdFile && e.file !== yamlFile);
  if (stray.length) throw new CliError(`internal: edit for an unexpected file ${stray[0].file}`);
  const out = [{ snap: loaded.md, edits: md }];
  if (loaded.yaml && ym.length) out.push({ snap: loaded.yaml, edits: ym });
  return out;
}

async function withLocks<T>(files: (string | undefined)[], fn: () => Promise<T>): Promise<T> {
  const locks: Lock[] = [];
  try {
    for (const f of files) if (f) locks.push(await acquireLock(f));
    return await fn();
  } finally {
    for (const l of locks.reverse()) await l.release();
  }
}

/** A whole-number option (`--line 12`), at least `min`; undefined when absent. */
function intFlag(args: Args, name: string, min: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || Number(v) < min) throw new CliError(`${name} ${String(v)}: expected a whole number${min > 0 ? ` from ${min}` : ''}`);
  return Number(v);
}

async function cmdMark(args: Args): Promise<number> {
  const [file, id, statusArg, ...rest] = args.positional;
  if (!file || !id || !statusArg) throw new CliError('mark needs FILE AGENT_ID STATUS (see --help)');
  if (rest.length) throw new CliError(`mark: unexpected ${rest.join(' ')}`);
  const status = parseStatusArg(statusArg);
  if (!status) throw new CliError(`unknown status "${statusArg}"; use one of ${STATUSES.filter((s) => s !== 'UNKNOWN').join(', ')}`);
  const dateFlag = args.flags.get('--date');
  if (typeof dateFlag === 'string' && !validDate(dateFlag)) throw new CliError(`--date ${dateFlag}: expected YYYY-MM-DD or an ISO timestamp`);
  const dry = args.flags.has('--dry-run');
  const line1 = intFlag(args, '--line', 1);
  const phase = intFlag(args, '--phase', 0);
  const { md, yaml } = await locate(file);
  const run = async (): Promise<number> => {
    const loaded = await load(md, yaml);
    const t = loaded.tracker;
    const known = [...t.agents.map((a) => a.id), ...(t.yaml?.agents ?? []).map((a) => a.id)];
    if (!known.some((k) => k.toLowerCase() === id.toLowerCase())) {
      const close = closeIds(id, known);
      throw new CliError(`${rel(md)}: unknown agent id "${id}"${close.length ? `; did you mean ${close.join(', ')}?` : known.length ? '' : ' (this tracker has no agents)'}`);
    }
    let edits: TextEdit[];
    try {
      edits = setAgentStatus(t, id, status, { ...(typeof dateFlag === 'string' ? { date: dateFlag } : {}), line: line1 === undefined ? undefined : line1 - 1, phase });
    } catch (e) {
      if (e instanceof AgentOccurrenceError) {
        const rows = e.occurrences.map(
          (o) => `  ${o.file === 'yaml' ? `${rel(yaml ?? YAML_NAME)}:` : ''}line ${o.line + 1}${o.phase !== undefined ? `  phase ${o.phase}` : ''}  ${o.status}${o.raw && o.raw !== o.status ? ` (${o.raw})` : ''}`,
        );
        const where = [line1 !== undefined ? `line ${line1}` : '', phase !== undefined ? `phase ${phase}` : ''].filter(Boolean).join(' and ');
        const head = !(e instanceof AmbiguousAgentError)
          ? `${rel(md)}: no row of agent "${id}" at ${where}; its rows:`
          : `${rel(md)}: agent "${id}" occurs ${e.occurrences.length} times${where ? ` at ${where}` : ''}; pick one with --line N or --phase N:`;
        throw new CliError([head, ...rows].join('\n'));
      }
      throw new CliError(`${rel(md)}: cannot set ${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return applyAndReport(loaded, edits, dry, `${id} → ${status}`);
  };
  return dry ? run() : withLocks([md, yaml], run);
}

async function applyAndReport(loaded: Loaded, edits: TextEdit[], dry: boolean, what: string): Promise<number> {
  const parts = splitEdits(loaded, edits).map((p) => ({ ...p, text: applyEdits(p.snap.text, p.edits) }));
  const changed = parts.filter((p) => p.text !== p.snap.text);
  if (changed.length === 0) {
    process.stdout.write(`${rel(loaded.md.path)}: already up to date (${what})\n`);
    return 0;
  }
  if (dry) {
    for (const p of changed) process.stdout.write(unifiedDiff(rel(p.snap.path), p.snap.text, p.edits));
    return 0;
  }
  try {
    await writeAll(changed.map((p) => ({ snap: p.snap, text: p.text })));
  } catch (e) {
    throw asCliError(e, loaded.md.path);
  }
  for (const p of changed) process.stdout.write(`${rel(p.snap.path)}: ${what} (${p.edits.length} edit${p.edits.length === 1 ? '' : 's'})\n`);
  return 0;
}

// ------------------------------------------------------------------ sync

async function cmdSync(args: Args): Promise<number> {
  const [file, ...rest] = args.positional;
  if (!file) throw new CliError('sync needs FILE (see --help)');
  if (rest.length) throw new CliError(`sync: unexpected ${rest.join(' ')}`);
  const check = args.flags.has('--check');
  const { md, yaml } = await locate(file);
  const run = async (): Promise<number> => {
    const loaded = await load(md, yaml);
    let edits: TextEdit[];
    try {
      edits = syncDerived(loaded.tracker, { now: new Date() });
    } catch (e) {
      throw new CliError(`${rel(md)}: cannot sync: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (check) {
      const parts = splitEdits(loaded, edits).filter((p) => applyEdits(p.snap.text, p.edits) !== p.snap.text);
      if (parts.length === 0) {
        process.stdout.write(`${rel(md)}: dashboard and metrics are up to date\n`);
        return 0;
      }
      for (const p of parts) {
        const ix = new LineIndex(p.snap.text);
        const lines = [...new Set(p.edits.map((e) => ix.position(e.range.start.offset).line + 1))].sort((a, b) => a - b);
        process.stdout.write(`${rel(p.snap.path)}: stale at line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}; run "worktracker sync ${file}"\n`);
      }
      return 1;
    }
    return applyAndReport(loaded, edits, false, 'dashboard and metrics synced');
  };
  return check ? run() : withLocks([md, yaml], run);
}

// ------------------------------------------------------------------ diff

/**
 * A unified diff built from the edits themselves: each edit touches known lines, so the changed
 * regions are exact and no general diff algorithm is needed.
 */
export function unifiedDiff(label: string, oldText: string, edits: TextEdit[], context = 3): string {
  if (edits.length === 0) return '';
  const ix = new LineIndex(oldText);
  const sorted = [...edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
  // Line regions touched by edits, merged when they overlap or touch.
  const regions: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const e of sorted) {
    const from = ix.position(e.range.start.offset).line;
    const to = Math.max(from, ix.position(e.range.end.offset).line);
    const last = regions[regions.length - 1];
    if (last && from <= last.to + 1) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else regions.push({ from, to, edits: [e] });
  }
  const hunks: { from: number; to: number; regions: typeof regions }[] = [];
  for (const r of regions) {
    const last = hunks[hunks.length - 1];
    if (last && r.from - last.to - 1 <= 2 * context) {
      last.to = r.to;
      last.regions.push(r);
    } else hunks.push({ from: r.from, to: r.to, regions: [r] });
  }
  const out = [`--- a/${label}\n`, `+++ b/${label}\n`];
  const lineCount = ix.lineCount - (oldText.length > 0 && /\r?\n$|\r$/.test(oldText) ? 1 : 0);
  for (const h of hunks) {
    const start = Math.max(0, h.from - context);
    const end = Math.min(lineCount - 1, h.to + context);
    const body: string[] = [];
    let oldN = 0;
    let newN = 0;
    let cur = start;
    for (const r of h.regions) {
      for (; cur < r.from; cur++, oldN++, newN++) body.push(` ${ix.lineText(cur)}`);
      const s = ix.lineStarts[r.from];
      const e = ix.lineEnd(r.to);
      const oldSlice = oldText.slice(s, e);
      const newSlice = applyEdits(
        oldSlice,
        r.edits.map((x) => ({
          newText: x.newText,
          range: { start: { ...x.range.start, offset: x.range.start.offset - s }, end: { ...x.range.end, offset: Math.min(x.range.end.offset, e) - s } },
        })),
      );
      for (const l of oldSlice.split(/\r?\n|\r/)) {
        body.push(`-${l}`);
        oldN++;
      }
      for (const l of newSlice.split(/\r?\n|\r/)) {
        body.push(`+${l}`);
        newN++;
      }
      cur = r.to + 1;
    }
    for (; cur <= end; cur++, oldN++, newN++) body.push(` ${ix.lineText(cur)}`);
    out.push(`@@ -${start + 1},${oldN} +${start + 1},${newN} @@\n`, ...body.map((l) => l + '\n'));
  }
  return out.join('');
}

// ------------------------------------------------------------------ main

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`worktracker: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.flags.has('--version') || args.flags.has('-V')) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [cmd, ...rest] = args.positional;
  if (!cmd || args.flags.has('--help') || args.flags.has('-h') || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd || args.flags.has('--help') || args.flags.has('-h') ? 0 : 2;
  }
  const sub: Args = { positional: rest, flags: args.flags, lists: args.lists };
  try {
    switch (cmd) {
      case 'check':
        return await cmdCheck(sub);
      case 'show':
        return await cmdShow(sub);
      case 'mark':
        return await cmdMark(sub);
      case 'sync':
        return await cmdSync(sub);
      default:
        throw new CliError(`unknown command "${cmd}" (commands: check, show, mark, sync; see --help)`);
    }
  } catch (e) {
    const err = e instanceof CliError ? e : e instanceof WriteError ? asCliError(e, e.file) : new CliError(`unexpected error: ${e instanceof Error ? e.message : String(e)}`, 2);
    process.stderr.write(`worktracker: ${err.message}\n`);
    return err.exitCode;
  }
}

// Run when executed (the bundle or `tsx src/cli.ts`), not when imported by tests.
const invoked = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (invoked.endsWith(`${path.sep}cli.js`) || invoked.endsWith(`${path.sep}cli.ts`) || invoked.endsWith(`${path.sep}worktracker`)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`worktracker: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
