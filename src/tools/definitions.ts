/**
 * The one definition of the agent tools: name, title, description and hints (catalog.ts, re-exported
 * here) and input schema (zod, here). The MCP server registers them (src/mcp/), the VS Code
 * extension registers the same names as language-model tools (src/vscode/lmTools.ts, which loads
 * this file on the first call), and `npm run gen` writes their JSON schemas into package.json's
 * `contributes.languageModelTools` (scripts/ext/set-package-keys.mjs). Pure: only zod and src/core.
 */
import * as z from 'zod';
import { lmToolName, STATUS_WORDS, TOOL_DEFS } from './catalog';

export { lmToolName, mcpToolName, STATUS_WORDS, TOOL_DEFS, type ToolDef } from './catalog';

// ------------------------------------------------------------------ input schemas (zod raw shapes)

const tracker = z
  .string()
  .describe(
    'The tracker: its ORCHESTRATION_WORKTRACKER.md, its ORCHESTRATION.yaml or the folder holding them, relative to the root (the MCP server\'s --root; in VS Code, a workspace folder) as list_trackers prints it. ".." and paths outside the root are refused.',
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

export type ToolName = keyof typeof SCHEMAS;
/** The parsed input of one tool. */
export type ToolArgs<N extends ToolName> = z.infer<z.ZodObject<(typeof SCHEMAS)[N]>>;
export type EditToolName = Exclude<ToolName, 'list_trackers' | 'get_tracker' | 'check'>;

/** A tool's input checked against its schema: the parsed arguments, or what is wrong with them. */
export function parseToolInput(name: ToolName, input: unknown): { args: Record<string, unknown> } | { problem: string } {
  const parsed = z.object(SCHEMAS[name]).safeParse(input ?? {});
  if (parsed.success) return { args: parsed.data as Record<string, unknown> };
  return { problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
}

/** A tool's input as JSON Schema (what MCP's tools/list shows and package.json declares). */
export function inputJsonSchema(name: ToolName): Record<string, unknown> {
  const js = z.toJSONSchema(z.object(SCHEMAS[name]), { io: 'input' }) as Record<string, unknown>;
  delete js.$schema;
  // z.int() adds the safe-integer bounds; they say nothing to a model.
  return JSON.parse(JSON.stringify(js, (_k, v: unknown) => (v === Number.MAX_SAFE_INTEGER || v === Number.MIN_SAFE_INTEGER ? undefined : v))) as Record<string, unknown>;
}

/** package.json `contributes.languageModelTools`, generated from the definitions above. */
export function languageModelToolsContribution(): Record<string, unknown>[] {
  return TOOL_DEFS.map((d) => ({
    name: lmToolName(d.name),
    toolReferenceName: lmToolName(d.name),
    displayName: `Worktracker: ${d.title}`,
    userDescription: d.title,
    modelDescription: d.description,
    canBeReferencedInPrompt: true,
    icon: '$(checklist)',
    tags: ['worktracker', d.readOnly ? 'read' : 'edit'],
    inputSchema: inputJsonSchema(d.name),
  }));
}
