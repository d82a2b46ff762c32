/**
 * Pure edits on a parsed Tracker: each function returns the smallest `TextEdit`s that make one
 * change in the markdown and, when present, in ORCHESTRATION.yaml. Nothing is ever re-serialised:
 * edits replace exact source ranges, so padding, line endings, BOM and the file's own spelling
 * survive.
 *
 * Statuses: of an agent occurrence (`agents.ts`, which occurrence in `occurrences.ts`), of a phase
 * or barrier (`headings.ts`); a checklist box (`checklist.ts`); a path added to a unit
 * (`artifacts.ts`); a log row (`log.ts`). Shared: table cells (`tables.ts`), dates (`dates.ts`),
 * status spelling (`spelling.ts`), YAML scalars (`yamlScalars.ts`), `common.ts`.
 *
 * Import from here (`./core/edits`): the other files are this folder's own. Pure core: no
 * `vscode`; the CLI, the MCP server, the extension and the dashboard sync may import it.
 */
export { setAgentStatus } from './agents';
export {
  agentOccurrences,
  AgentOccurrenceError,
  AmbiguousAgentError,
  NoSuchAgentOccurrenceError,
  type AgentEditOptions,
  type AgentOccurrence,
  type AgentTarget,
} from './occurrences';
export { setPhaseStatus, setBarrierStatus } from './headings';
export { setArtifactChecked } from './checklist';
export { addArtifactEdits, checkArtifactPath, samePath } from './artifacts';
export { logEventEdits, logTables, type LogEvent, type LogKind, type LogTable } from './log';
export { EditRefused, isPlaceholder, mostCommon } from './common';
// Shared with the dashboard sync and the metrics check, which write cells, dates and YAML the same way.
export { tableEdits, type CellChange } from './tables';
export { dateText, dateFormatOf, type EditOptions } from './dates';
export { yamlSet } from './yamlScalars';
