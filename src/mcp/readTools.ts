/** The MCP server's reading tools: list_trackers, get_tracker, check (and the resources' listing). */
import { promises as fsp } from 'node:fs';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { analyze } from '../core/analyze';
import { unitCount } from '../core/units';
import type { FileStat, Finding } from '../core/model';
import { toCorePath } from '../node/fs';
import { findTrackers, staleness, type Loaded } from '../node/trackers';
import { checkReport } from '../tools/model';
import { trackerJson } from '../tools/model';
import { ToolError } from '../tools/edits';
import type { ToolArgs } from '../tools/definitions';
import { ok, type Json, type ToolContext } from './context';

type Opened = Loaded & { label: string };

function summary(ctx: ToolContext, l: Opened): Json {
  const t = l.tracker;
  const c = unitCount(t);
  return {
    path: l.label,
    yaml: l.yaml ? ctx.label(l.yaml.path) : undefined,
    title: t.title?.text,
    status: t.workflowStatus ? { status: t.workflowStatus.status, raw: t.workflowStatus.raw } : undefined,
    done: c.done,
    total: c.total,
    byStatus: c.byStatus,
    uri: `worktracker://${l.label}`,
  };
}

/** Every tracker under `under` (default the root), each summarised or with the reason it cannot be read. */
export async function listTrackers(ctx: ToolContext, under?: string): Promise<Json[]> {
  const start = await ctx.root.resolve(under ?? '.');
  const found: string[] = [];
  await findTrackers(start, found);
  const out: Json[] = [];
  for (const md of [...new Set(found)].sort()) {
    let real: string;
    try {
      real = await ctx.root.resolve(md);
    } catch {
      continue;
    }
    const label = ctx.label(real);
    try {
      out.push(summary(ctx, await ctx.open(label)));
    } catch (e) {
      out.push({ path: label, error: ctx.scrub(e instanceof Error ? e.message : String(e)) });
    }
  }
  return out;
}

/** What get_tracker returns (and each tracker resource holds). */
export function modelOf(ctx: ToolContext, l: Opened, phase?: number): Json {
  return trackerJson(l.tracker, { file: l.label, yaml: l.yaml ? ctx.label(l.yaml.path) : undefined }, phase);
}

export async function listTool(ctx: ToolContext, a: ToolArgs<'list_trackers'>): Promise<CallToolResult> {
  const trackers = await listTrackers(ctx, a.under);
  const line = (t: Json) => (t.error ? `${t.path}: ${t.error}` : `${t.path} — ${t.title ?? ''}${t.status ? ` — ${(t.status as { status: string }).status}` : ''} — ${t.done}/${t.total} done`);
  const text = trackers.length ? trackers.map(line).join('\n') : 'no ORCHESTRATION_WORKTRACKER.md under the root';
  return ok({ root: ctx.root.real, trackers }, `${text}\n\n${JSON.stringify({ trackers }, null, 2)}`);
}

export async function getTool(ctx: ToolContext, a: ToolArgs<'get_tracker'>): Promise<CallToolResult> {
  return ok(modelOf(ctx, await ctx.open(a.tracker), a.phase));
}

/** The markdown files `check` covers: one tracker, the trackers under a folder, or every one under the root. */
async function trackersToCheck(ctx: ToolContext, tracker: string | undefined): Promise<string[]> {
  const mds: string[] = [];
  if (tracker !== undefined) {
    const real = await ctx.root.resolve(tracker);
    if ((await fsp.stat(real)).isDirectory()) await findTrackers(real, mds);
    else mds.push((await ctx.root.tracker(tracker)).md);
  } else await findTrackers(ctx.root.real, mds);
  const unique = [...new Set(mds)].sort();
  if (unique.length === 0) throw new ToolError('not-found', `no ORCHESTRATION_WORKTRACKER.md under ${tracker ?? 'the root'}`);
  return unique;
}

export async function checkTool(ctx: ToolContext, a: ToolArgs<'check'>): Promise<CallToolResult> {
  const unique = await trackersToCheck(ctx, a.tracker);
  const base = a.base !== undefined ? toCorePath(await ctx.root.resolve(a.base)) : undefined;
  const statCache = new Map<string, Promise<FileStat | undefined>>();
  const trackers: Json[] = [];
  const perTracker: { findings: Finding[]; label: (file: string) => string }[] = [];
  for (const md of unique) {
    let l: Opened;
    try {
      l = await ctx.open(ctx.label(await ctx.root.resolve(md)));
    } catch (e) {
      trackers.push({ path: ctx.label(md), error: ctx.scrub(e instanceof Error ? e.message : String(e)) });
      continue;
    }
    const list: Finding[] = await analyze(l.tracker, { fs: ctx.fs, root: toCorePath(ctx.root.real), base, statCache, staleness, ignore: a.ignore ?? [] });
    trackers.push({ path: l.label, findings: list.length });
    perTracker.push({ findings: list, label: (f) => ctx.label(f) });
  }
  const { data, text } = checkReport(trackers, perTracker);
  return ok(data, text);
}
