/**
 * The agent tools by name, without their input schemas: name, title, description and hints (zod-free,
 * so the editor registers its language-model tools at activation without loading zod; the schemas,
 * in definitions.ts, load on the first call). definitions.ts re-exports everything here. Pure: only
 * src/core.
 */
import { STATUSES } from '../core/model';
import type { ToolName } from './definitions';

export const STATUS_WORDS = STATUSES.filter((s) => s !== 'UNKNOWN');

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
  return lmName.startsWith('worktracker_') ? TOOL_DEFS.find((d) => d.name === n)?.name : undefined;
}
