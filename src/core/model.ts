/**
 * The typed model of one Tracker: the worktracker markdown and, when present, its ORCHESTRATION.yaml.
 *
 * Over 500 lines on purpose: type declarations only, no logic; one file keeps the model readable
 * top to bottom and every `import type … from './model'` unchanged.
 *
 * Conventions (shared by every core module, the CLI and the extension):
 * - Positions are 0-based `line`, 0-based `column` in UTF-16 code units (what VS Code uses), and
 *   `offset`, the UTF-16 index into the file's text *as given to the parser* (a BOM, if any, is
 *   part of the text at offset 0, so edits computed here apply to the raw decoded text).
 * - A Range is half-open: [start, end).
 * - Every element keeps the exact source range of the text it came from so an edit or a
 *   diagnostic can point at it. Cells keep the range of their trimmed content.
 */

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Which of the two files an element, a finding or an edit belongs to. */
export type FileKind = 'md' | 'yaml';

/** Canonical statuses; every raw spelling maps onto one of these. */
export type Status =
  | 'PENDING'
  | 'READY'
  | 'IN_PROGRESS'
  | 'COMPLETE'
  | 'BLOCKED'
  | 'FAILED'
  | 'SKIPPED'
  | 'CANCELLED'
  | 'UNKNOWN';

export const STATUSES: readonly Status[] = [
  'PENDING',
  'READY',
  'IN_PROGRESS',
  'COMPLETE',
  'BLOCKED',
  'FAILED',
  'SKIPPED',
  'CANCELLED',
  'UNKNOWN',
];

/** A status as written: the canonical value plus the raw text it came from. */
export interface StatusValue {
  status: Status;
  /** The raw text, e.g. `✅ DONE`, `IN PROGRESS 🔄`, `COMPLETE (2026-02-11T14:25)`. */
  raw: string;
  /** Range of the raw text in its file. */
  range: Range;
}

/** One table cell: `text` is the trimmed content with `\|` kept as written; `range` covers exactly it. */
export interface Cell {
  text: string;
  range: Range;
  /** Range between the two pipes (including padding), for edits that must re-pad. */
  outer: Range;
}

export interface TableRow {
  cells: Cell[];
  /** The whole line, without its line ending. */
  range: Range;
}

/** What a table is, recognised by its header cells (never by position or exact spelling). */
export type TableKind =
  | 'agents'
  | 'barrier'
  | 'queue'
  | 'blockers'
  | 'resolved'
  | 'checkpoints'
  | 'metrics'
  | 'legend'
  | 'metadata'
  | 'other';

/**
 * Column meanings found in headers. `columns[meaning]` is the 0-based cell index.
 * Meanings: id, agent, role, status, started, completed, artifact, notes, direction, path,
 * key_content, priority, pipeline, phase, dependencies, description, blocking, severity, owner,
 * resolution, timestamp, trigger, state, recovery, metric, value, target, emoji, meaning, field.
 */
export type ColumnMeaning = string;

export interface Table {
  kind: TableKind;
  header: TableRow;
  rows: TableRow[];
  /** meaning -> column index */
  columns: Partial<Record<ColumnMeaning, number>>;
  /** Columns whose header has no known meaning: header text -> column index. */
  extraColumns: Record<string, number>;
  /** True when every row has the same cell widths (padded to line up), so edits re-pad the column. */
  aligned: boolean;
  range: Range;
  /** The nearest heading above the table (text), for context. */
  heading?: string;
}

/** A file path mentioned in the tracker: a checklist line, a table cell, a YAML value. */
export interface ArtifactRef {
  /** The path as written (without backticks or link syntax). */
  path: string;
  file: FileKind;
  /** Range of `path` itself. */
  range: Range;
  /** Where it came from. */
  source: 'checklist' | 'agent-cell' | 'barrier-cell' | 'yaml' | 'link' | 'other';
  /** The agent id that produces it, when known. */
  agentId?: string;
}

/** `- [ ] \`path\`` or `1. [x] text`. */
export interface ChecklistItem {
  checked: boolean;
  /** Range of the single character inside the brackets (` ` or `x`/`X`). */
  checkRange: Range;
  /** The item's text after the checkbox, trimmed. */
  text: string;
  /** The first path in the item (inline code or link target), when there is one. */
  artifact?: ArtifactRef;
  /** The whole line, without its line ending. */
  range: Range;
}

export interface Agent {
  id: string;
  idCell: Cell;
  status: StatusValue;
  started?: Cell;
  completed?: Cell;
  /** Artifact cell (Artifacts / Artifact / Artifact Path / Output), when the table has one. */
  artifactCell?: Cell;
  artifacts: ArtifactRef[];
  notes?: Cell;
  role?: Cell;
  /** Any other columns, keyed by their header text as written. */
  extra: Record<string, Cell>;
  row: TableRow;
  table: Table;
  /** Phase number the agent sits under, when it is under a phase heading. */
  phase?: number;
  /** Title of its pipeline group (e.g. `Pipeline A Phase 1: Research`, `Stream B: ...`). */
  pipeline?: string;
  /** Set on units read from layouts beyond the template (always `'agent'` for entries of `tracker.agents`). */
  kind?: 'agent';
  /**
   * How the unit is written: a row of an agent-like table (`table`, the default), a heading over a
   * `Field | Value` table with a Status row (`keyvalue`), a heading over placeholder rows (`heading`),
   * a row of a per-feature artifact table keyed by its `#` cell (`artifact-row`), a heading whose
   * status is a key line under it (`keyline`: `**Status:** ⬜ READY | **Effort:** 2h`; its `row` is a
   * synthetic one-cell row whose cell is exactly the status core, its `table` a synthetic one).
   */
  shape?: UnitShape;
  /**
   * Column index of the status cell within `row` when it is not `table.columns.status` (a key/value
   * table's Status row keeps its status in the Value cell; `State`/`Result`/`Verdict` columns).
   */
  statusColumn?: number;
  /** The heading that names the unit (`### TASK-014: Schema Migration`) for `keyvalue`, `heading` and `keyline` units. */
  heading?: Heading;
  /** The unit's name when it has one apart from its id (heading text after the id, the Artifact cell). */
  title?: string;
}

/** How a unit of work is written in the markdown. */
export type UnitShape = 'table' | 'keyvalue' | 'heading' | 'artifact-row' | 'keyline';

/** What a unit of work is: an agent run, a phase, a barrier or a gate. */
export type UnitKind = 'agent' | 'phase' | 'barrier' | 'gate';

/**
 * Where a phase's, barrier's or gate's status came from: its own heading or row (`own`), its line in
 * the fenced dashboard (`dashboard`), or its units / direction rows (`derived`).
 */
export type StatusSource = 'own' | 'dashboard' | 'derived';

/** The status a phase, barrier or gate is shown with, and where it came from. */
export interface EffectiveStatus {
  status: Status;
  source: StatusSource;
  /** The text it was read from (the cell, the dashboard line's status), when not derived. */
  raw?: string;
  /** 0-based line it was read from, when not derived. */
  line?: number;
}

/** A quality gate written in its own table row or under its own heading (`GATE-3`, `QG-2`, `G-FINAL`). */
export interface Gate {
  /** As written (`QG-2`, `G-FINAL`). */
  id: string;
  title: string;
  /** Status written in its own row or key/value table, with its exact range (the status core only). */
  status?: StatusValue;
  /** Best status: own, else its dashboard line, else derived; undefined when none is known. */
  effectiveStatus?: EffectiveStatus;
  statusSource?: StatusSource;
  /** The heading that names it (key/value form), when there is one. */
  heading?: Heading;
  /** Its row (table form) or its Status row (key/value form). */
  row?: TableRow;
  /** Heading-to-section-end for the key/value form, the row for the table form. */
  range: Range;
  /** 0-based line of the row (table form) or of the Status row (key/value form). */
  line: number;
  /** Phase number it sits under, when it is under a phase. */
  phase?: number;
}

/** How much of the file's status-bearing text the reader understood. */
export interface Coverage {
  /** Status-bearing lines read as units (agent rows, key/value Status rows, phase/barrier/gate headings and rows, direction rows). */
  units: number;
  /** Status-bearing lines (table rows and headings with a status word or emoji) left unread, 0-based lines. */
  unread: { line: number; text: string }[];
}

/** A `#### Pipeline A Phase 1: NAME` (or Track/Stream/Spike/Wave/Step) group under a phase. */
export interface PipelineGroup {
  title: string;
  /** Short alias when recognisable (`a`, `ps`, `nse`), lower case. */
  alias?: string;
  range: Range;
  agents: Agent[];
}

export interface Heading {
  depth: number;
  text: string;
  range: Range;
}

export interface Phase {
  /** Phase number as written (0 allowed); also the phase's id. */
  number: number;
  title: string;
  /** Status word in the heading, with its exact range; undefined when the heading has none. */
  status?: StatusValue;
  heading: Heading;
  groups: PipelineGroup[];
  /** All agents of the phase, in file order (also reachable through groups). */
  agents: Agent[];
  checklist: ChecklistItem[];
  /** Range of the whole section, heading to the line before the next same-or-higher heading. */
  range: Range;
  /**
   * Set for phase-like top-level sections that are not `Phase N` headings (`## Track A: …`,
   * `## Wave 2`): the word, lower case (`track`, `wave`, `stream`, `spike`). `number` is then the
   * number as written or the letter's position (A = 1).
   */
  kind?: string;
  /** The label as written (`Track A`) when `kind` is set. */
  label?: string;
  /**
   * Best status: `status` (own heading, `**Status:**` line, key/value Status row, its summary row),
   * else its dashboard line, else derived from its units. `status` keeps meaning "written in its
   * own heading" for edits.
   */
  effectiveStatus?: EffectiveStatus;
  statusSource?: StatusSource;
}

export interface BarrierDirection {
  /** As written: `a→b`, `ps→nse`, `all-to-vv`. */
  direction: string;
  from?: string;
  to?: string;
  artifact?: Cell;
  status?: StatusValue;
  row: TableRow;
  artifacts: ArtifactRef[];
}

export interface Barrier {
  number: number;
  /** `barrier-1` style id; also matches YAML barriers. */
  id: string;
  title: string;
  status?: StatusValue;
  heading: Heading;
  directions: BarrierDirection[];
  checklist: ChecklistItem[];
  range: Range;
  /** Best status: own heading/row, else its dashboard line, else derived from its direction rows. */
  effectiveStatus?: EffectiveStatus;
  statusSource?: StatusSource;
  /** Set when the barrier is a row of a barrier table (its `heading` then covers that row). */
  row?: TableRow;
}

export interface HeaderField {
  key: string;
  value: string;
  /** Range of the value text. */
  range: Range;
}

export interface Dashboard {
  /** The heading above it (`Execution Dashboard`, `Progress Dashboard`). */
  heading?: Heading;
  /** Range of the fenced block's content (between the fence lines, excluding both). */
  contentRange: Range;
  /** The whole fenced block including fences. */
  range: Range;
  text: string;
  fenced: boolean;
}

export interface Row {
  cells: Record<ColumnMeaning, Cell>;
  row: TableRow;
  status?: StatusValue;
}

export interface Metrics {
  table: Table;
  /** Rows by metric name as written (`Phases Complete`, `Agents Executed`, ...). */
  rows: Row[];
}

/** The file's own spelling for each status, learned from what it already uses (and its Legend). */
export interface Dialect {
  /** Status -> the raw text most used for it in this file (e.g. COMPLETE -> `✅ COMPLETE`). */
  spelling: Partial<Record<Status, string>>;
  /** Status -> emoji from a Legend table or usage. */
  emoji: Partial<Record<Status, string>>;
  /** Date style used in Started/Completed cells. */
  dateStyle: 'date' | 'iso' | 'unknown';
}

/** A problem reported while reading or analysing. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export type FindingCode =
  | 'path-missing'
  | 'path-absolute'
  | 'path-placeholder'
  | 'path-escapes-root'
  | 'status-drift'
  | 'self-contradiction'
  | 'status-unknown'
  | 'dashboard-stale'
  | 'metrics-stale'
  | 'table-malformed'
  | 'id-duplicate'
  | 'yaml-syntax'
  | 'yaml-duplicate-key'
  | 'yaml-shape'
  /** A check itself failed (the file system threw, a derived-section check crashed): not a fact about the tracker. */
  | 'internal-error';

/** What a drift or contradiction is about. */
export type FindingSubject = 'agent' | 'phase' | 'barrier' | 'workflow';

/**
 * `Finding.data` per code: what quick fixes and views read (they never parse the message), like
 * vscode-markdown-languageservice's `DiagnosticCode`. Every value is JSON (it crosses to the
 * extension's diagnostics and to `--json` output). Read it with `findingData(f, code)`.
 */
export interface FindingDataMap {
  'path-missing':
    | { path: string; produced: false; producer?: string }
    | { path: string; produced: true; producer?: string; tried: string[]; suggestion?: string; suggestions?: string[]; preferred?: boolean };
  'path-absolute': { path: string };
  'path-placeholder': { path: string };
  'path-escapes-root': { path: string };
  'status-drift': { md: Status; yaml: Status; kind: FindingSubject; id: string };
  'self-contradiction':
    | { kind: 'workflow'; status: Status; phases: number[]; barriers: number[]; agents: string[] }
    | { kind: 'phase'; phase: number; status: Status; agents: string[] };
  'status-unknown': { raw: string };
  'dashboard-stale': { reason?: string };
  'metrics-stale': { name: string; expected: string; actual: string };
  'table-malformed': { cells: number; header: number };
  'id-duplicate': Record<string, never>;
  'yaml-syntax': { reason: string } | { skippedLine: number };
  'yaml-duplicate-key': { key: string };
  'yaml-shape': Record<string, never>;
  /** Which check (or reader) failed and its error message. */
  'internal-error': { check: 'paths' | 'staleness' | 'markdown' | 'yaml'; error: string };
}

/**
 * Any code's data. Each member also admits other keys so `f.data?.path` reads as `unknown` on an
 * unnarrowed finding; `findingData(f, code)` gives the code's own type.
 */
export type FindingData = { [C in FindingCode]: FindingDataMap[C] & { [key: string]: unknown } }[FindingCode];

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** Absolute or workspace path of the file the finding is in (the tracker's md or yaml path). */
  file: string;
  range: Range;
  related?: RelatedLocation[];
  /** Machine-readable extras for quick fixes and views, typed per code (`FindingDataMap`). */
  data?: FindingData;
}

/** A finding's data as its code defines it; undefined for a finding of another code or without data. */
export function findingData<C extends FindingCode>(f: Finding, code: C): FindingDataMap[C] | undefined {
  return f.code === code ? (f.data as FindingDataMap[C] | undefined) : undefined;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

// ---------------------------------------------------------------- YAML side

/** A YAML scalar with the exact source range of its text (quotes included). */
export interface YamlScalar {
  value: string | number | boolean | null;
  /** Source text of the scalar as written, including quotes. */
  source: string;
  range: Range;
  /** Range of the key (for diagnostics that point at `status:`). */
  keyRange?: Range;
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
}

export interface YamlAgent {
  id: string;
  range: Range;
  status?: YamlScalar;
  started_at?: YamlScalar;
  completed_at?: YamlScalar;
  artifacts: YamlScalar[];
  /** Pipeline key / alias it was found under. */
  pipeline?: string;
  phase?: number;
}

export interface YamlPhase {
  number: number;
  pipeline?: string;
  status?: YamlScalar;
  range: Range;
}

export interface YamlBarrier {
  number: number;
  id: string;
  status?: YamlScalar;
  range: Range;
  artifacts: { key: string; path?: YamlScalar; status?: YamlScalar }[];
}

export interface YamlPipeline {
  key: string;
  id?: string;
  alias?: string;
  name?: string;
  status?: YamlScalar;
  range: Range;
}

export interface YamlModel {
  file: string;
  text: string;
  workflow: {
    id?: YamlScalar;
    name?: YamlScalar;
    status?: YamlScalar;
    updated_at?: YamlScalar;
  };
  pipelines: YamlPipeline[];
  phases: YamlPhase[];
  agents: YamlAgent[];
  barriers: YamlBarrier[];
  /** `paths.base` when present. */
  pathsBase?: YamlScalar;
  /** `metrics.execution.*` scalars keyed by their key. */
  metricsExecution: Record<string, YamlScalar>;
  /** Every path-like scalar (`artifact`, `path`, `artifacts[]`, ...). */
  artifacts: YamlScalar[];
  /** The plain JS value (core schema), for anything else; undefined when unreadable. */
  data: unknown;
  findings: Finding[];
}

// ---------------------------------------------------------------- the Tracker

export interface Tracker {
  /** Path of the markdown file (as given in options). */
  file: string;
  text: string;
  eol: '\n' | '\r\n';
  bom: boolean;
  title?: Heading;
  header: HeaderField[];
  /** Convenience: header `Status` field mapped to a status. */
  workflowStatus?: StatusValue;
  dashboard?: Dashboard;
  phases: Phase[];
  barriers: Barrier[];
  /** Every agent row in file order (agent tables anywhere, under phases or not), and agent-kind units of other layouts. */
  agents: Agent[];
  /** Quality gates written in their own rows or key/value sections (`QG n` headings stay barriers). */
  gates: Gate[];
  /** Status-bearing lines read and left unread. */
  coverage: Coverage;
  /** Every artifact path mentioned in the markdown. */
  artifacts: ArtifactRef[];
  /** Every checklist item in the markdown (phase, barrier, next-action lists). */
  checklist: ChecklistItem[];
  queue: Row[];
  blockers: Row[];
  checkpoints: Row[];
  metrics?: Metrics;
  nextActions: ChecklistItem[];
  /** `Last Updated` header field, when present. */
  lastUpdated?: HeaderField;
  headings: Heading[];
  tables: Table[];
  dialect: Dialect;
  yaml?: YamlModel;
  /** Read-time findings (table-malformed, status-unknown, id-duplicate, yaml-*). */
  findings: Finding[];
}

export interface ParseOptions {
  /** Path of the markdown file, used in findings and edits. Default `ORCHESTRATION_WORKTRACKER.md`. */
  mdFile?: string;
  /** Path of the YAML file. Default: `ORCHESTRATION.yaml` beside mdFile. */
  yamlFile?: string;
}

/** File access for the core, so tests can use an in-memory workspace and the extension `vscode.workspace.fs`. */
export interface FileStat {
  type: 'file' | 'directory' | 'other';
  size: number;
  /** ms since epoch */
  mtime: number;
}

export interface WorkspaceFs {
  /** undefined when the path does not exist. Paths are absolute, `/`-separated. */
  stat(path: string): Promise<FileStat | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  /** Entries of a directory (names only); used for close-match suggestions. Optional. */
  readDirectory?(path: string): Promise<[string, 'file' | 'directory' | 'other'][]>;
  /** Resolves symlinks; when present the core checks a path's real location stays inside the root. */
  realpath?(path: string): Promise<string>;
}
