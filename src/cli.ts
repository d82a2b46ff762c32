/**
 * `worktracker`: check, show, mark and sync ORCHESTRATION_WORKTRACKER.md / ORCHESTRATION.yaml pairs
 * from a terminal or CI. Every error is one line naming the file; exit codes are documented in
 * USAGE below.
 */
import * as path from 'node:path';
import { analyze, findRepositoryRoot } from './core/analyze';
import { AgentOccurrenceError, AmbiguousAgentError, setAgentStatus } from './core/edits';
import { syncDerived } from './core/dashboard';
import { applyEdits, LineIndex } from './core/text';
import { STATUSES, type EffectiveStatus, type FileStat, type Finding, type TextEdit, type Tracker } from './core/model';
import { NodeFs, toCorePath, toNativePath } from './node/fs';
import { writeAll, WriteError } from './node/write';
import {
  asTrackerError as asCliError,
  closeIds,
  findTrackers,
  load,
  locate,
  looksLikeTracker,
  parseStatusArg,
  rel,
  splitEdits,
  staleness,
  statNative,
  TrackerError as CliError,
  validDate,
  withLocks,
  type Loaded,
} from './node/trackers';
import { findingJson, line, model } from './node/model-json';
import { TRACKER_FILE, YAML_FILE } from './core/files';
import { unifiedDiff } from './node/diff';
import { runMcpServer } from './mcp';
import pkg from '../package.json';

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

  worktracker mcp [--root DIR]
      Model Context Protocol server over stdio for AI agents: list, read,
      check and edit the trackers under DIR (default .); nothing outside DIR
      is read or written. See "For agents" in the README.

FILE is the tracker markdown, its ORCHESTRATION.yaml, or the folder holding them.

Exit codes: 0 ok; 1 check found errors / sync --check found stale sections;
2 unusable input (missing file, not a tracker, unknown agent or status, an
agent id that names several rows);
3 a file changed or is locked during a write (nothing lost; run again); 4 write failed.
`;

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

// ------------------------------------------------------------------ loading

// ------------------------------------------------------------------ check

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

async function cmdCheck(args: Args): Promise<number> {
  const starts = args.positional.length ? args.positional : ['.'];
  const mds: string[] = [];
  for (const s of starts) await findTrackers(s, mds);
  const unique = [...new Set(mds)].sort();
  if (unique.length === 0) throw new CliError(`no ${TRACKER_FILE} found under ${starts.join(', ')}`);
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
    const yamlPath = path.join(path.dirname(md), YAML_FILE);
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
          (o) => `  ${o.file === 'yaml' ? `${rel(yaml ?? YAML_FILE)}:` : ''}line ${o.line + 1}${o.phase !== undefined ? `  phase ${o.phase}` : ''}  ${o.status}${o.raw && o.raw !== o.status ? ` (${o.raw})` : ''}`,
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

// ------------------------------------------------------------------ mcp

async function cmdMcp(args: Args): Promise<number> {
  if (args.positional.length) throw new CliError(`mcp: unexpected ${args.positional.join(' ')}`);
  const rootFlag = args.flags.get('--root');
  return runMcpServer(typeof rootFlag === 'string' ? rootFlag : '.');
}

// Kept exported from here for existing callers.
export { unifiedDiff } from './node/diff';
export { editDistance, parseStatusArg } from './node/trackers';

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
      case 'mcp':
        return await cmdMcp(sub);
      default:
        throw new CliError(`unknown command "${cmd}" (commands: check, show, mark, sync, mcp; see --help)`);
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
