/**
 * The worktracker MCP server: the trackers under one root, offered to agents as tools (read, check,
 * exact edits) and resources (each tracker's model). Edits are the core's (or `./textEdits`) minimal
 * text edits, written through the CLI's locked compare-before-rename path; every editing tool returns
 * the unified diff it applied, and `dry_run` returns it without writing.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { analyze } from '../core/analyze';
import { AgentOccurrenceError, AmbiguousAgentError, setAgentStatus, setArtifactChecked, setBarrierStatus, setPhaseStatus } from '../core/edits';
import { syncDerived } from '../core/dashboard';
import { applyEdits } from '../core/text';
import { countUnits, occurrences, unitCount, workUnits } from '../core/units';
import { STATUSES, type Agent, type ChecklistItem, type FileStat, type Finding, type Status, type TextEdit, type Tracker } from '../core/model';
import { NodeFs, toCorePath } from '../node/fs';
import { writeAll, WriteError } from '../node/write';
import { closeIds, editDistance, findTrackers, load, looksLikeTracker, parseStatusArg, splitEdits, staleness, TrackerError, validDate, withLocks, type Loaded } from '../node/trackers';
import { findingJson, model } from '../node/model-json';
import { unifiedDiff } from '../node/diff';
import { OutsideRootError, Root } from './root';
import { addArtifactEdits, EditRefused, logEventEdits, samePath } from './textEdits';
import pkg from '../../package.json';

/** A refusal with a stable code (`unknown-id`, `ambiguous`, `changed-meanwhile`, ...) and details to act on. */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const STATUS_WORDS = STATUSES.filter((s) => s !== 'UNKNOWN');

// ------------------------------------------------------------------ input schemas (zod raw shapes)

const tracker = z
  .string()
  .describe(
    'The tracker: its ORCHESTRATION_WORKTRACKER.md, its ORCHESTRATION.yaml or the folder holding them, relative to the server root (as list_trackers prints it). ".." and paths outside the root are refused.',
  );
const dryRun = z.boolean().optional().describe('true: compute and return the diff, write nothing. Default false.');
const status = z
  .string()
  .describe(`New status: ${STATUS_WORDS.join(', ')} (any case; also done, in-progress, todo, wip, ...). It is written in the file's own spelling (emoji, case).`);
const line = z.number().int().min(1).optional();

export const SCHEMAS = {
  list_trackers: {
    under: z.string().optional().describe('A folder under the root to search (default: the whole root).'),
  },
  get_tracker: {
    tracker,
    phase: z.number().int().min(0).optional().describe('Only this phase: its units, agents and gates (barriers are left out).'),
  },
  check: {
    tracker: tracker.optional().describe('One tracker (file or folder); default: every tracker under the root.'),
    base: z.string().optional().describe('Folder (relative to the root) that artifact paths are relative to, tried first.'),
    ignore: z.array(z.string()).optional().describe('Globs (*, **, ?) of artifact paths never reported as missing.'),
  },
  set_agent_status: {
    tracker,
    id: z.string().min(1).describe('Agent id as written in the tracker (case-insensitive).'),
    status,
    line: line.describe('1-based line of the agent\'s row, when the id is written in more than one row (get_tracker prints each unit\'s line).'),
    phase: z.number().int().min(0).optional().describe('Phase number of the row, when the id is written in more than one phase.'),
    date: z.string().optional().describe('YYYY-MM-DD or an ISO timestamp for the Started/Completed cell; default now, in the file\'s date form.'),
    dry_run: dryRun,
  },
  set_phase_status: {
    tracker,
    phase: z.number().int().min(0).describe('Phase number (Track/Wave/Stream sections: their number, or the letter\'s position A = 1).'),
    status,
    dry_run: dryRun,
  },
  set_barrier_status: {
    tracker,
    barrier: z.union([z.number().int().min(0), z.string().min(1)]).describe('Barrier number (1) or id ("barrier-1").'),
    direction: z.string().optional().describe('One direction row of the barrier ("a→b", "ps->nse"); default: the barrier\'s own status.'),
    status,
    dry_run: dryRun,
  },
  set_artifact_checked: {
    tracker,
    path: z.string().optional().describe('The artifact path of the checklist item, as written.'),
    line: line.describe('1-based line of the checklist item (needed when the path is listed in more than one item, or the item has no path).'),
    checked: z.boolean().describe('true: [x]; false: [ ].'),
    dry_run: dryRun,
  },
  sync_dashboard: {
    tracker,
    date: z.string().optional().describe('ISO timestamp used for "Last Updated" (default now).'),
    dry_run: dryRun,
  },
  add_artifact: {
    tracker,
    id: z.string().min(1).describe('Agent id of the unit that produced the artifact.'),
    path: z.string().min(1).describe('Artifact path, relative to the repository (no "..", not absolute).'),
    line: line.describe('1-based line of the agent\'s row, when the id is written in more than one row.'),
    phase: z.number().int().min(0).optional().describe('Phase number of the row, when the id is written in more than one phase.'),
    checked: z.boolean().optional().describe('For a checklist: add it as [x] (default [ ]).'),
    dry_run: dryRun,
  },
  log_event: {
    tracker,
    event: z.string().min(1).describe('Event name, e.g. AGENT_COMPLETE, BARRIER_PASSED.'),
    details: z.string().optional().describe('Free text for the Details column.'),
    timestamp: z.string().optional().describe('YYYY-MM-DD or ISO timestamp; default now, in the form the log already uses.'),
    log: z.enum(['session', 'execution']).optional().describe('Which log table when the tracker has both a Session Log and an Execution Log.'),
    values: z.record(z.string(), z.string()).optional().describe('Other columns of the log table by header text, e.g. {"Agent": "ps-r-001"}.'),
    dry_run: dryRun,
  },
};

// ------------------------------------------------------------------ results

function ok(data: Json, text?: string): CallToolResult {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(data, null, 2) }], structuredContent: data };
}

/** Messages name files relative to the root, as the tools take them. */
function scrubRoot(s: string, root: Root): string {
  return s.split(root.real + path.sep).join('');
}

function fail(e: unknown, root: Root): CallToolResult {
  let code = 'internal';
  let message = e instanceof Error ? e.message : String(e);
  let details: Json = {};
  if (e instanceof ToolError || e instanceof EditRefused) {
    code = e.code;
    details = e.details;
  } else if (e instanceof OutsideRootError) code = 'outside-root';
  else if (e instanceof WriteError || (e instanceof TrackerError && e.exitCode !== 2)) {
    const exit = e.exitCode;
    if (/changed on disk/.test(message)) {
      code = 'changed-meanwhile';
      message = message.replace(/Run the command again\.?/, 'Read the tracker again and repeat the call.');
    } else code = exit === 3 ? 'locked' : 'write-failed';
  } else if (e instanceof TrackerError) code = /no such file|no ORCHESTRATION/.test(message) ? 'not-found' : 'invalid-input';
  message = scrubRoot(message, root);
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }], structuredContent: { error: code, message, ...details } };
}

// ------------------------------------------------------------------ the server

export interface ServerOptions {
  /** Test seam: milliseconds to wait between reading a tracker and writing it (inside the lock). */
  pauseBeforeWriteMs?: number;
}

export function createServer(root: Root, opts: ServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: 'worktracker', version: pkg.version },
    {
      instructions: [
        `Trackers (ORCHESTRATION_WORKTRACKER.md with an optional ORCHESTRATION.yaml) under ${root.real}.`,
        'Start with list_trackers, read one with get_tracker, find problems with check.',
        'Change a tracker only through the set_*/add_artifact/log_event/sync_dashboard tools, never by rewriting the file: each makes the smallest text edit in the file\'s own spelling and returns the unified diff; dry_run: true previews it.',
        'A refusal names what to do next: an unknown id lists the closest ids, an id written in several rows lists them (pass line or phase), "changed-meanwhile" means read again and retry.',
      ].join(' '),
    },
  );
  const fs = new NodeFs();

  const labelOf = (p: string) => root.label(p);

  async function open(input: string): Promise<Loaded & { label: string }> {
    const { md, yaml, label } = await root.tracker(input);
    const loaded = await load(md, yaml);
    if (!looksLikeTracker(loaded.tracker)) throw new ToolError('not-a-tracker', `${label}: not a tracker (no header, phases, agents or barriers)`);
    return { ...loaded, label };
  }

  /** Reads, edits, diffs and (unless dry) writes one tracker pair under its locks. */
  async function mutate(args: { tracker: string; dry_run?: boolean }, what: string, compute: (l: Loaded) => TextEdit[] | { edits: TextEdit[]; extra: Json }): Promise<CallToolResult> {
    const { md, yaml, label } = await root.tracker(args.tracker);
    const dry = args.dry_run === true;
    const run = async (): Promise<CallToolResult> => {
      const loaded = await load(md, yaml);
      if (!looksLikeTracker(loaded.tracker)) throw new ToolError('not-a-tracker', `${label}: not a tracker (no header, phases, agents or barriers)`);
      const r = compute(loaded);
      const edits = Array.isArray(r) ? r : r.edits;
      const extra = Array.isArray(r) ? {} : r.extra;
      const parts = splitEdits(loaded, edits)
        .map((p) => ({ ...p, text: applyEdits(p.snap.text, p.edits) }))
        .filter((p) => p.text !== p.snap.text);
      const diff = parts.map((p) => unifiedDiff(labelOf(p.snap.path), p.snap.text, p.edits)).join('');
      if (!dry && parts.length > 0) {
        if (opts.pauseBeforeWriteMs) await new Promise((res) => setTimeout(res, opts.pauseBeforeWriteMs));
        await writeAll(parts.map((p) => ({ snap: p.snap, text: p.text })));
      }
      const files = parts.map((p) => labelOf(p.snap.path));
      const data: Json = { tracker: label, change: what, dry_run: dry, changed: parts.length > 0, files, written: dry ? [] : files, diff, ...extra };
      const head = parts.length === 0 ? `${label}: already up to date (${what}); nothing written` : `${label}: ${what}${dry ? ' (dry run, nothing written)' : ''}`;
      return ok(data, parts.length ? `${head}\n${diff}` : head);
    };
    return dry ? run() : withLocks([md, yaml], run);
  }

  const tool = <S extends z.ZodRawShape>(
    name: string,
    title: string,
    description: string,
    shape: S,
    annotations: { readOnlyHint?: boolean; idempotentHint?: boolean; destructiveHint?: boolean },
    handler: (args: z.infer<z.ZodObject<S>>) => Promise<CallToolResult>,
  ) => {
    server.registerTool(name, { title, description, inputSchema: shape, annotations: { openWorldHint: false, destructiveHint: false, ...annotations } }, (async (args: z.infer<z.ZodObject<S>>) => {
      try {
        return await handler(args);
      } catch (e) {
        return fail(e, root);
      }
    }) as never);
  };

  const parseStatus = (raw: string): Status => {
    const s = parseStatusArg(raw);
    if (!s) throw new ToolError('invalid-input', `unknown status "${raw}"; use one of ${STATUS_WORDS.join(', ')}`, { statuses: STATUS_WORDS });
    return s;
  };
  const checkDate = (d: string | undefined, name = 'date') => {
    if (d !== undefined && !validDate(d)) throw new ToolError('invalid-input', `${name} ${d}: expected YYYY-MM-DD or an ISO timestamp`);
  };

  // ---------------------------------------------------------------- read tools

  async function listTrackers(under?: string): Promise<Json[]> {
    const start = await root.resolve(under ?? '.');
    const found: string[] = [];
    await findTrackers(start, found);
    const out: Json[] = [];
    for (const md of [...new Set(found)].sort()) {
      let real: string;
      try {
        real = await root.resolve(md);
      } catch {
        continue;
      }
      const label = labelOf(real);
      try {
        const l = await open(label);
        const t = l.tracker;
        const c = unitCount(t);
        out.push({
          path: label,
          yaml: l.yaml ? labelOf(l.yaml.path) : undefined,
          title: t.title?.text,
          status: t.workflowStatus ? { status: t.workflowStatus.status, raw: t.workflowStatus.raw } : undefined,
          done: c.done,
          total: c.total,
          byStatus: c.byStatus,
          uri: `worktracker://${label}`,
        });
      } catch (e) {
        out.push({ path: label, error: scrubRoot(e instanceof Error ? e.message : String(e), root) });
      }
    }
    return out;
  }

  function modelOf(l: Loaded & { label: string }, phase?: number): Json {
    const t = l.tracker;
    const m = model(t) as ReturnType<typeof model> & Json;
    const out: Json = { ...m, file: l.label, yaml: l.yaml ? labelOf(l.yaml.path) : undefined, progress: unitCount(t) };
    if (phase === undefined) return out;
    if (!t.phases.some((p) => p.number === phase)) {
      throw new ToolError('unknown-id', `${l.label}: no Phase ${phase}; its phases: ${t.phases.map((p) => p.number).join(', ') || 'none'}`, {
        phases: t.phases.map((p) => ({ number: p.number, title: p.title, line: p.heading.range.start.line + 1 })),
      });
    }
    return {
      ...out,
      narrowedTo: { phase },
      phases: m.phases.filter((p) => p.number === phase),
      agents: m.agents.filter((a) => a.phase === phase),
      units: m.units.filter((u) => u.phase === phase),
      gates: m.gates.filter((g) => g.phase === phase),
      barriers: [],
      progress: countUnits(workUnits(t).filter((a) => a.phase === phase)),
    };
  }

  tool(
    'list_trackers',
    'List trackers',
    'List every tracker (ORCHESTRATION_WORKTRACKER.md) under the server root: path (pass it as "tracker" to the other tools), title, workflow status, units done/total (each agent row of a phase counts once; done = COMPLETE, SKIPPED or CANCELLED). Symbolic links, node_modules and .git are not followed.',
    SCHEMAS.list_trackers,
    { readOnlyHint: true },
    async (a) => {
      const trackers = await listTrackers(a.under);
      const text = trackers.length
        ? trackers.map((t) => (t.error ? `${t.path}: ${t.error}` : `${t.path} — ${t.title ?? ''}${t.status ? ` — ${(t.status as { status: string }).status}` : ''} — ${t.done}/${t.total} done`)).join('\n')
        : 'no ORCHESTRATION_WORKTRACKER.md under the root';
      return ok({ root: root.real, trackers }, `${text}\n\n${JSON.stringify({ trackers }, null, 2)}`);
    },
  );

  tool(
    'get_tracker',
    'Read a tracker',
    'The tracker as structured JSON: units (every agent row, phase, barrier and gate in file order, each with id, 1-based line, kind, phase, status and artifacts), agents, phases (with pipeline groups), barriers (with direction rows), gates, counts, progress (done/total) and coverage (status lines the reader did not understand). Use the ids and lines it prints in the editing tools. Optionally narrowed to one phase.',
    SCHEMAS.get_tracker,
    { readOnlyHint: true },
    async (a) => ok(modelOf(await open(a.tracker), a.phase)),
  );

  tool(
    'check',
    'Check trackers',
    'Validate trackers: broken or absolute artifact paths, markdown/YAML status drift, a dashboard or metrics table that does not match the tables, malformed tables, duplicate ids, YAML errors. Each finding has code, severity (error, warning, info, hint), file, 1-based line and column, and message. Artifact paths are resolved inside the root only.',
    SCHEMAS.check,
    { readOnlyHint: true },
    async (a) => {
      const mds: string[] = [];
      if (a.tracker !== undefined) {
        const real = await root.resolve(a.tracker);
        const st = await fsp.stat(real);
        if (st.isDirectory()) await findTrackers(real, mds);
        else mds.push((await root.tracker(a.tracker)).md);
      } else await findTrackers(root.real, mds);
      const unique = [...new Set(mds)].sort();
      if (unique.length === 0) throw new ToolError('not-found', `no ORCHESTRATION_WORKTRACKER.md under ${a.tracker ?? 'the root'}`);
      const base = a.base !== undefined ? toCorePath(await root.resolve(a.base)) : undefined;
      const statCache = new Map<string, Promise<FileStat | undefined>>();
      const findings: Json[] = [];
      const trackers: Json[] = [];
      for (const md of unique) {
        let l: Loaded & { label: string };
        try {
          l = await open(labelOf(await root.resolve(md)));
        } catch (e) {
          trackers.push({ path: labelOf(md), error: scrubRoot(e instanceof Error ? e.message : String(e), root) });
          continue;
        }
        const list: Finding[] = await analyze(l.tracker, { fs, root: toCorePath(root.real), base, statCache, staleness, ignore: a.ignore ?? [] });
        trackers.push({ path: l.label, findings: list.length });
        for (const f of list) {
          const j = findingJson(f);
          findings.push({ ...j, file: labelOf(j.file), ...(j.related ? { related: j.related.map((r) => ({ ...r, file: labelOf(r.file) })) } : {}) });
        }
      }
      const count = (s: string) => findings.filter((f) => f.severity === s).length;
      const data = { trackers, findings, errors: count('error'), warnings: count('warning') };
      const text = [
        ...findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}`),
        `${trackers.length} tracker(s) checked: ${data.errors} error(s), ${data.warnings} warning(s), ${findings.length - data.errors - data.warnings} other`,
      ].join('\n');
      return ok(data, text);
    },
  );

  // ---------------------------------------------------------------- editing tools

  const occurrenceJson = (l: Loaded, o: { file: 'md' | 'yaml'; line: number; phase?: number; pipeline?: string; status: Status; raw: string }) => ({
    file: labelOf(o.file === 'yaml' && l.yaml ? l.yaml.path : l.md.path),
    line: o.line + 1,
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
    ...(o.pipeline !== undefined ? { pipeline: o.pipeline } : {}),
    status: o.status,
    raw: o.raw,
  });

  const unknownAgent = (l: Loaded, id: string, known: string[]): ToolError => {
    const closest = closeIds(id, known);
    return new ToolError(
      'unknown-id',
      `unknown agent id "${id}"${closest.length ? `; closest: ${closest.join(', ')}` : known.length ? '' : ' (this tracker has no agents)'}`,
      { id, closest },
    );
  };

  tool(
    'set_agent_status',
    'Set an agent\'s status',
    'Set the status of one agent row in the markdown (and of its record in ORCHESTRATION.yaml when that record matches without doubt), filling or clearing its Started/Completed dates as the status implies. An id written in more than one row needs line or phase; without them the call is refused with the rows listed. Returns the unified diff.',
    SCHEMAS.set_agent_status,
    { idempotentHint: true },
    async (a) => {
      const st = parseStatus(a.status);
      checkDate(a.date);
      return mutate(a, `${a.id} → ${st}`, (l) => {
        const t = l.tracker;
        const known = [...t.agents.map((x) => x.id), ...(t.yaml?.agents ?? []).map((x) => x.id)];
        if (!known.some((k) => k.toLowerCase() === a.id.toLowerCase())) throw unknownAgent(l, a.id, known);
        try {
          return setAgentStatus(t, a.id, st, { ...(a.date !== undefined ? { date: a.date } : {}), line: a.line === undefined ? undefined : a.line - 1, phase: a.phase });
        } catch (e) {
          if (e instanceof AgentOccurrenceError) {
            const occ = e.occurrences.map((o) => occurrenceJson(l, o));
            const list = occ.map((o) => `line ${o.line}${o.phase !== undefined ? ` (phase ${o.phase})` : ''}: ${o.status}`).join('; ');
            if (e instanceof AmbiguousAgentError) throw new ToolError('ambiguous', `agent "${a.id}" is written in ${occ.length} rows; pass line or phase: ${list}`, { id: a.id, occurrences: occ });
            throw new ToolError('no-such-occurrence', `agent "${a.id}" has no row at ${[a.line !== undefined ? `line ${a.line}` : '', a.phase !== undefined ? `phase ${a.phase}` : ''].filter(Boolean).join(' and ')}; its rows: ${list}`, { id: a.id, occurrences: occ });
          }
          throw e;
        }
      });
    },
  );

  tool(
    'set_phase_status',
    'Set a phase\'s status',
    'Set the status written in a phase heading (appended in the file\'s style when the heading has none) and in the YAML phase record. Returns the unified diff.',
    SCHEMAS.set_phase_status,
    { idempotentHint: true },
    async (a) => {
      const st = parseStatus(a.status);
      return mutate(a, `Phase ${a.phase} → ${st}`, (l) => {
        const t = l.tracker;
        const md = t.phases.filter((p) => p.number === a.phase);
        const phases = t.phases.map((p) => ({ number: p.number, title: p.title, line: p.heading.range.start.line + 1 }));
        if (md.length === 0 && !(t.yaml?.phases ?? []).some((p) => p.number === a.phase)) {
          throw new ToolError('unknown-id', `no Phase ${a.phase}; its phases: ${phases.map((p) => p.number).join(', ') || 'none'}`, { phases });
        }
        if (md.length > 1) {
          throw new ToolError('ambiguous', `Phase ${a.phase} has ${md.length} headings (lines ${md.map((p) => p.heading.range.start.line + 1).join(', ')}); edit it by hand`, { phases: phases.filter((p) => p.number === a.phase) });
        }
        return setPhaseStatus(t, a.phase, st);
      });
    },
  );

  tool(
    'set_barrier_status',
    'Set a barrier\'s status',
    'Set the status of a barrier (its heading or row, and its YAML record), or of one direction row of it ("a→b") when direction is given. Returns the unified diff.',
    SCHEMAS.set_barrier_status,
    { idempotentHint: true },
    async (a) => {
      const st = parseStatus(a.status);
      return mutate(a, `barrier ${a.barrier}${a.direction ? ` ${a.direction}` : ''} → ${st}`, (l) => {
        const t = l.tracker;
        const list = t.barriers.map((b) => ({ number: b.number, id: b.id, title: b.title, line: (b.row?.range ?? b.heading.range).start.line + 1, directions: b.directions.map((d) => d.direction) }));
        try {
          return setBarrierStatus(t, a.barrier, st, a.direction !== undefined ? { direction: a.direction } : undefined);
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          if (/^unknown barrier/.test(msg)) {
            const closest = closeIds(String(a.barrier), t.barriers.map((b) => b.id));
            throw new ToolError('unknown-id', `no barrier ${a.barrier}; its barriers: ${list.map((b) => `${b.number} (${b.id})`).join(', ') || 'none'}`, { barriers: list, closest });
          }
          if (/^unknown direction/.test(msg)) throw new ToolError('unknown-id', `${msg}; its directions: ${list.filter((b) => b.directions.length).map((b) => `${b.id}: ${b.directions.join(', ')}`).join('; ') || 'none'}`, { barriers: list });
          throw e;
        }
      });
    },
  );

  tool(
    'set_artifact_checked',
    'Check or uncheck an artifact',
    'Tick ([x]) or untick ([ ]) one checklist item, found by its artifact path or its 1-based line. Only the character between the brackets changes. Returns the unified diff.',
    SCHEMAS.set_artifact_checked,
    { idempotentHint: true },
    async (a) => {
      if (a.path === undefined && a.line === undefined) throw new ToolError('invalid-input', 'give the item\'s path or its line');
      return mutate(a, `${a.path ?? `line ${a.line}`} → ${a.checked ? '[x]' : '[ ]'}`, (l) => {
        const t = l.tracker;
        const seen = new Set<number>();
        const items: ChecklistItem[] = [];
        for (const c of [...t.checklist, ...t.nextActions]) {
          if (seen.has(c.checkRange.start.offset)) continue;
          seen.add(c.checkRange.start.offset);
          items.push(c);
        }
        const itemJson = (c: ChecklistItem) => ({ line: c.range.start.line + 1, checked: c.checked, text: c.text, ...(c.artifact ? { path: c.artifact.path } : {}) });
        let hits = items.filter((c) => (a.line === undefined || c.range.start.line + 1 === a.line) && (a.path === undefined || (!!c.artifact && samePath(c.artifact.path, a.path)) || (a.line !== undefined && c.text.includes(a.path))));
        if (a.path !== undefined && a.line === undefined && hits.length === 0) hits = items.filter((c) => c.text.includes(a.path!));
        if (hits.length === 0) {
          if (a.path !== undefined) {
            const paths = [...new Set(items.flatMap((c) => (c.artifact ? [c.artifact.path] : [])))];
            const base = (p: string) => p.slice(p.lastIndexOf('/') + 1).toLowerCase();
            const closest = [...new Set([...closeIds(a.path, paths), ...paths.filter((p) => editDistance(base(p), base(a.path!)) <= 3)])].slice(0, 5);
            throw new ToolError('unknown-id', `no checklist item ${a.line !== undefined ? `at line ${a.line} ` : ''}lists ${a.path}${closest.length ? `; closest: ${closest.join(', ')}` : ''}`, { path: a.path, closest });
          }
          const near = items.filter((c) => Math.abs(c.range.start.line + 1 - a.line!) <= 5).map(itemJson);
          throw new ToolError('unknown-id', `no checklist item at line ${a.line}${near.length ? `; items nearby: lines ${near.map((n) => n.line).join(', ')}` : ''}`, { items: near });
        }
        if (hits.length > 1) {
          const occ = hits.map(itemJson);
          throw new ToolError('ambiguous', `${a.path} is listed in ${hits.length} checklist items (lines ${occ.map((o) => o.line).join(', ')}); pass line`, { occurrences: occ });
        }
        return setArtifactChecked(t, hits[0], a.checked);
      });
    },
  );

  tool(
    'sync_dashboard',
    'Sync the dashboard',
    'Bring the dashboard\'s values (bars, percentages, n/m counts, status words), the metrics table, Last Updated and the YAML\'s derived values in line with the tables. Only those value spans change. Returns the unified diff (empty when nothing is stale).',
    SCHEMAS.sync_dashboard,
    { idempotentHint: true },
    async (a) => {
      checkDate(a.date);
      const now = a.date !== undefined ? new Date(a.date) : new Date();
      return mutate(a, 'dashboard and metrics synced', (l) => syncDerived(l.tracker, { now }));
    },
  );

  tool(
    'add_artifact',
    'Add an artifact path',
    'Record a file an agent produced: the path goes into the agent\'s artifact cell (replacing a placeholder such as "-", else after the paths already there) when its table has one, else as a new checklist item after the last one of its pipeline group or phase — in the file\'s own form (backticks or bare, list marker, padding). Refused when the path is already listed, absolute or contains "..". Returns the unified diff.',
    SCHEMAS.add_artifact,
    { idempotentHint: false },
    async (a) =>
      mutate(a, `${a.path} added to ${a.id}`, (l) => {
        const t = l.tracker;
        const agent = pickAgent(l, a.id, a.line, a.phase);
        return addArtifactEdits(t, agent, a.path, { checked: a.checked });
      }),
  );

  tool(
    'log_event',
    'Log an event',
    'Append a row to the tracker\'s Session Log or Execution Log table, in its own columns and form: timestamp (default now, in the form the log uses), event, details, other columns from values, "-" elsewhere. A log holding only the template\'s placeholder row has that row replaced. Refused when the tracker has no log table (nothing is created). Returns the unified diff.',
    SCHEMAS.log_event,
    { idempotentHint: false },
    async (a) => {
      checkDate(a.timestamp, 'timestamp');
      return mutate(a, `logged ${a.event}`, (l) => {
        const r = logEventEdits(l.tracker, { log: a.log, event: a.event, details: a.details, timestamp: a.timestamp, values: a.values });
        return { edits: r.edits, extra: { log: { heading: r.table.heading, kind: r.table.kind, line: r.table.line } } };
      });
    },
  );

  function pickAgent(l: Loaded, id: string, line1?: number, phase?: number): Agent {
    const t: Tracker = l.tracker;
    const all = occurrences(t.agents.filter((x) => x.id.trim().toLowerCase() === id.trim().toLowerCase()));
    if (all.length === 0) {
      const inYaml = (t.yaml?.agents ?? []).some((y) => y.id.toLowerCase() === id.toLowerCase());
      if (inYaml) throw new ToolError('no-place', `agent "${id}" is only in the YAML; add_artifact edits the markdown's rows`, { id });
      throw unknownAgent(l, id, t.agents.map((x) => x.id));
    }
    const occ = (x: Agent) => occurrenceJson(l, { file: 'md', line: x.row.range.start.line, phase: x.phase, pipeline: x.pipeline, status: x.status.status, raw: x.status.raw });
    const keep = all.filter((x) => (line1 === undefined || x.row.range.start.line + 1 === line1) && (phase === undefined || x.phase === phase));
    if (keep.length === 1) return keep[0];
    if (keep.length === 0) throw new ToolError('no-such-occurrence', `agent "${id}" has no row at ${line1 !== undefined ? `line ${line1}` : `phase ${phase}`}`, { id, occurrences: all.map(occ) });
    throw new ToolError('ambiguous', `agent "${id}" is written in ${keep.length} rows (lines ${keep.map((x) => x.row.range.start.line + 1).join(', ')}); pass line or phase`, { id, occurrences: keep.map(occ) });
  }

  // ---------------------------------------------------------------- resources

  server.registerResource(
    'tracker',
    new ResourceTemplate('worktracker://{+path}', {
      list: async () => ({
        resources: (await listTrackers())
          .filter((t) => !t.error)
          .map((t) => ({ uri: `worktracker://${String(t.path)}`, name: String(t.path), title: typeof t.title === 'string' ? t.title : undefined, mimeType: 'application/json' })),
      }),
    }),
    { title: 'Tracker model', description: 'A tracker\'s model as JSON (what get_tracker returns), by its path under the root.', mimeType: 'application/json' },
    async (uri, vars) => {
      const p = decodeURIComponent(String(Array.isArray(vars.path) ? vars.path.join('/') : vars.path));
      const l = await open(p).catch((e: unknown) => {
        const r = fail(e, root);
        throw new Error((r.content[0] as { text: string }).text);
      });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(modelOf(l), null, 2) }] };
    },
  );

  return server;
}
