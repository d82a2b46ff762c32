/**
 * The worktracker MCP server: the trackers under one root, offered to agents as tools (read, check,
 * exact edits) and resources (each tracker's model). The tools' names, descriptions and input
 * schemas are the ones the VS Code tools share (src/tools/definitions.ts); the editing tools' work
 * is src/tools/edits.ts, written through the CLI's locked compare-before-rename path
 * (`ToolContext.mutate`). Every editing tool returns the unified diff it applied, and `dry_run`
 * returns it without writing.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { SCHEMAS, TOOL_DEFS, type EditToolName, type ToolArgs, type ToolName } from '../tools/definitions';
import { EDIT_PLANS, type EditPlan } from '../tools/edits';
import { ToolContext, type ServerOptions } from './context';
import { checkTool, getTool, listTool, listTrackers, modelOf } from './readTools';
import type { Root } from './root';
import pkg from '../../package.json';

export { SCHEMAS } from '../tools/definitions';
export { ToolError } from '../tools/edits';
export type { ServerOptions } from './context';

type Handler<N extends ToolName> = (ctx: ToolContext, args: ToolArgs<N>) => Promise<CallToolResult>;

/** An editing tool: its shared plan (arguments checked first), applied by `ToolContext.mutate`. */
const edit =
  <N extends EditToolName>(name: N): Handler<N> =>
  async (ctx, a) =>
    ctx.mutate(a as { tracker: string; dry_run?: boolean }, (EDIT_PLANS[name] as (args: ToolArgs<N>, label: typeof ctx.labelCore) => EditPlan)(a, ctx.labelCore));

/** The registration table: every tool's handler by name (titles, descriptions and schemas come from TOOL_DEFS). */
export const HANDLERS: { [N in ToolName]: Handler<N> } = {
  list_trackers: listTool,
  get_tracker: getTool,
  check: checkTool,
  set_agent_status: edit('set_agent_status'),
  set_phase_status: edit('set_phase_status'),
  set_barrier_status: edit('set_barrier_status'),
  set_artifact_checked: edit('set_artifact_checked'),
  sync_dashboard: edit('sync_dashboard'),
  add_artifact: edit('add_artifact'),
  log_event: edit('log_event'),
};

function instructions(root: Root): string {
  return [
    `Trackers (ORCHESTRATION_WORKTRACKER.md with an optional ORCHESTRATION.yaml) under ${root.real}.`,
    'Start with list_trackers, read one with get_tracker, find problems with check.',
    'Change a tracker only through the set_*/add_artifact/log_event/sync_dashboard tools, never by rewriting the file: each makes the smallest text edit in the file\'s own spelling and returns the unified diff; dry_run: true previews it.',
    'A refusal names what to do next: an unknown id lists the closest ids, an id written in several rows lists them (pass line or phase), "changed-meanwhile" means read again and retry.',
  ].join(' ');
}

function registerTools(server: McpServer, ctx: ToolContext): void {
  for (const def of TOOL_DEFS) {
    const handler = HANDLERS[def.name] as Handler<ToolName>;
    const annotations = { openWorldHint: false, destructiveHint: false, ...(def.readOnly ? { readOnlyHint: true } : { idempotentHint: def.idempotent }) };
    const shape: z.ZodRawShape = SCHEMAS[def.name];
    server.registerTool(def.name, { title: def.title, description: def.description, inputSchema: shape, annotations }, (async (args: ToolArgs<ToolName>) => {
      try {
        return await handler(ctx, args);
      } catch (e) {
        return ctx.fail(e);
      }
    }) as never);
  }
}

function registerResources(server: McpServer, ctx: ToolContext): void {
  const list = async () => ({
    resources: (await listTrackers(ctx))
      .filter((t) => !t.error)
      .map((t) => ({ uri: `worktracker://${String(t.path)}`, name: String(t.path), title: typeof t.title === 'string' ? t.title : undefined, mimeType: 'application/json' })),
  });
  server.registerResource(
    'tracker',
    new ResourceTemplate('worktracker://{+path}', { list }),
    { title: 'Tracker model', description: 'A tracker\'s model as JSON (what get_tracker returns), by its path under the root.', mimeType: 'application/json' },
    async (uri, vars) => {
      const p = decodeURIComponent(String(Array.isArray(vars.path) ? vars.path.join('/') : vars.path));
      const l = await ctx.open(p).catch((e: unknown) => {
        throw new Error((ctx.fail(e).content[0] as { text: string }).text);
      });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(modelOf(ctx, l), null, 2) }] };
    },
  );
}

export function createServer(root: Root, opts: ServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'worktracker', version: pkg.version }, { instructions: instructions(root) });
  const ctx = new ToolContext(root, opts);
  registerTools(server, ctx);
  registerResources(server, ctx);
  return server;
}
