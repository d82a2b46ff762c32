/**
 * What every MCP tool handler shares: the root, reading a tracker pair inside it, the one edit path
 * (read, build, diff, and unless dry write under the locks), and turning results and refusals into
 * tool results. The handlers themselves are in `readTools.ts` and `editTools.ts`.
 */
import * as path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { EditRefused } from '../core/edits';
import { applyEdits } from '../core/text';
import { unifiedDiff } from '../core/diff';
import { NodeFs, toNativePath } from '../node/fs';
import { writeAll, WriteError } from '../node/write';
import { load, looksLikeTracker, splitEdits, TrackerError, withLocks, type Loaded } from '../node/trackers';
import { editsOf, ToolError, type EditPlan } from '../tools/edits';
import { OutsideRootError, type Root } from './root';

export type Json = Record<string, unknown>;

export interface ServerOptions {
  /** Test seam: milliseconds to wait between reading a tracker and writing it (inside the lock). */
  pauseBeforeWriteMs?: number;
}

export function ok(data: Json, text?: string): CallToolResult {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(data, null, 2) }], structuredContent: data };
}

/** The stable code of a failure: a refusal's own, or what a loader or writer error means to an agent. */
function codeOf(e: unknown, message: string): { code: string; message: string; details: Json } {
  if (e instanceof ToolError || e instanceof EditRefused) return { code: e.code, message, details: e.details };
  if (e instanceof OutsideRootError) return { code: 'outside-root', message, details: {} };
  if (e instanceof WriteError || (e instanceof TrackerError && e.exitCode !== 2)) {
    if (/changed on disk/.test(message)) return { code: 'changed-meanwhile', message: message.replace(/Run the command again\.?/, 'Read the tracker again and repeat the call.'), details: {} };
    return { code: e.exitCode === 3 ? 'locked' : 'write-failed', message, details: {} };
  }
  if (e instanceof TrackerError) return { code: /no such file|no ORCHESTRATION/.test(message) ? 'not-found' : 'invalid-input', message, details: {} };
  return { code: 'internal', message, details: {} };
}

async function loadTracker(md: string, yaml: string | undefined, label: string): Promise<Loaded & { label: string }> {
  const loaded = await load(md, yaml);
  if (!looksLikeTracker(loaded.tracker)) throw new ToolError('not-a-tracker', `${label}: not a tracker (no header, phases, agents or barriers)`);
  return { ...loaded, label };
}

export class ToolContext {
  readonly fs = new NodeFs();

  constructor(
    readonly root: Root,
    private readonly opts: ServerOptions = {},
  ) {}

  /** A path as the tools take and print it: relative to the root, '/'-separated. */
  label(p: string): string {
    return this.root.label(p);
  }

  /** The label of a tracker file by its core path (what the shared edit plans name files by). */
  readonly labelCore = (corePath: string): string => this.root.label(toNativePath(corePath));

  /** Messages name files relative to the root, as the tools take them. */
  scrub(s: string): string {
    return s.split(this.root.real + path.sep).join('');
  }

  fail(e: unknown): CallToolResult {
    const { code, message, details } = codeOf(e, e instanceof Error ? e.message : String(e));
    const text = this.scrub(message);
    return { isError: true, content: [{ type: 'text', text: `${code}: ${text}` }], structuredContent: { error: code, message: text, ...details } };
  }

  async open(input: string): Promise<Loaded & { label: string }> {
    const { md, yaml, label } = await this.root.tracker(input);
    return loadTracker(md, yaml, label);
  }

  /** Reads, edits, diffs and (unless dry) writes one tracker pair under its locks. */
  async mutate(args: { tracker: string; dry_run?: boolean }, plan: EditPlan): Promise<CallToolResult> {
    const { md, yaml, label } = await this.root.tracker(args.tracker);
    const dry = args.dry_run === true;
    const run = async (): Promise<CallToolResult> => {
      const loaded = await loadTracker(md, yaml, label);
      const { edits, extra } = editsOf(plan.build(loaded.tracker));
      const parts = splitEdits(loaded, edits)
        .map((p) => ({ ...p, text: applyEdits(p.snap.text, p.edits) }))
        .filter((p) => p.text !== p.snap.text);
      const diff = parts.map((p) => unifiedDiff(this.label(p.snap.path), p.snap.text, p.edits)).join('');
      if (!dry && parts.length > 0) {
        if (this.opts.pauseBeforeWriteMs) await new Promise((res) => setTimeout(res, this.opts.pauseBeforeWriteMs));
        await writeAll(parts.map((p) => ({ snap: p.snap, text: p.text })));
      }
      const files = parts.map((p) => this.label(p.snap.path));
      const data: Json = { tracker: label, change: plan.what, dry_run: dry, changed: parts.length > 0, files, written: dry ? [] : files, diff, ...extra };
      const head = parts.length === 0 ? `${label}: already up to date (${plan.what}); nothing written` : `${label}: ${plan.what}${dry ? ' (dry run, nothing written)' : ''}`;
      return ok(data, parts.length ? `${head}\n${diff}` : head);
    };
    return dry ? run() : withLocks([md, yaml], run);
  }
}
