/**
 * The one definition of the agent tools: name, title, description, input schema (zod) and hints.
 * The MCP server registers them (src/mcp/), the VS Code extension registers the same names as
 * language-model tools (src/vscode/lmTools.ts), and `npm run gen` writes their JSON schemas into
 * package.json's `contributes.languageModelTools` (scripts/ext/set-package-keys.mjs). Pure: only
 * zod and src/core.
 */
import { z } from 'zod';
import { STATUSES } from '../core/model';

export const STATUS_WORDS = STATUSES.filter((s) => s !== 'UNKNOWN');

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

export interface ToolDef {
  name: ToolName;
  title: string;
  /** What the model reads to decide when and how to call the tool. */
  description: string;
  /** Reads only (no confirmation, no write). */
  readOnly: boolean;
  /** Calling it twice with the same input changes nothing more. */
  idempotent: boolean;
}

export const TOOL_DEFS: readonly ToolDef[] = [
  {
    name: 'list_trackers',
    title: 'List trackers',
    description:
      'List every tracker (ORCHESTRATION_WORKTRACKER.md) under the root: path (pass it as "tracker" to the other tools), title, workflow status, units done/total (each agent row of a phase counts once; done = COMPLETE, SKIPPED or CANCELLED). Symbolic links, node_modules and .git are not followed.',
    readOnly: true,
    idempotent: false,
  },
  {
    name: 'get_tracker',
    title: 'Read a tracker',
    description:
      'The tracker as structured JSON: units (every agent row, phase, barrier and gate in file order, each with id, 1-based line, kind, phase, status and artifacts), agents, phases (with pipeline groups), barriers (with direction rows), gates, counts, progress (done/total) and coverage (status lines the reader did not understand). Use the ids and lines it prints in the editing tools. Optionally narrowed to one phase.',
    readOnly: true,
    idempotent: false,
  },
  {
    name: 'check',
    title: 'Check trackers',
    description:
      'Validate trackers: broken or absolute artifact paths, markdown/YAML status drift, a dashboard or metrics table that does not match the tables, malformed tables, duplicate ids, YAML errors. Each finding has code, severity (error, warning, info, hint), file, 1-based line and column, and message. Artifact paths are resolved inside the root only.',
    readOnly: true,
    idempotent: false,
  },
  {
    name: 'set_agent_status',
    title: 'Set an agent\'s status',
    description:
      'Set the status of one agent row in the markdown (and of its record in ORCHESTRATION.yaml when that record matches without doubt), filling or clearing its Started/Completed dates as the status implies. An id written in more than one row needs line or phase; without them the call is refused with the rows listed. Returns the unified diff.',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'set_phase_status',
    title: 'Set a phase\'s status',
    description:
      'Set the status written in a phase heading (appended in the file\'s style when the heading has none) and in the YAML phase record. Returns the unified diff.',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'set_barrier_status',
    title: 'Set a barrier\'s status',
    description:
      'Set the status of a barrier (its heading or row, and its YAML record), or of one direction row of it ("a→b") when direction is given. Returns the unified diff.',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'set_artifact_checked',
    title: 'Check or uncheck an artifact',
    description:
      'Tick ([x]) or untick ([ ]) one checklist item, found by its artifact path or its 1-based line. Only the character between the brackets changes. Returns the unified diff.',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'sync_dashboard',
    title: 'Sync the dashboard',
    description:
      'Bring the dashboard\'s values (bars, percentages, n/m counts, status words), the metrics table, Last Updated and the YAML\'s derived values in line with the tables. Only those value spans change. Returns the unified diff (empty when nothing is stale).',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'add_artifact',
    title: 'Add an artifact path',
    description:
      'Record a file an agent produced: the path goes into the agent\'s artifact cell (replacing a placeholder such as "-", else after the paths already there) when its table has one, else as a new checklist item after the last one of its pipeline group or phase — in the file\'s own form (backticks or bare, list marker, padding). Refused when the path is already listed, absolute or contains "..". Returns the unified diff.',
    readOnly: false,
    idempotent: false,
  },
  {
    name: 'log_event',
    title: 'Log an event',
    description:
      'Append a row to the tracker\'s Session Log or Execution Log table, in its own columns and form: timestamp (default now, in the form the log uses), event, details, other columns from values, "-" elsewhere. A log holding only the template\'s placeholder row has that row replaced. Refused when the tracker has no log table (nothing is created). Returns the unified diff.',
    readOnly: false,
    idempotent: false,
  },
];

/** The name a tool has among VS Code's language-model tools (they share one namespace). */
export function lmToolName(name: ToolName): string {
  return `worktracker_${name}`;
}

/** The MCP name of a VS Code tool name, or undefined when it is not one of ours. */
export function mcpToolName(lmName: string): ToolName | undefined {
  const n = lmName.replace(/^worktracker_/, '');
  return lmName.startsWith('worktracker_') && n in SCHEMAS ? (n as ToolName) : undefined;
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
