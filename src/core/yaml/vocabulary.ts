/**
 * The YAML vocabulary, by meaning rather than by one file's spelling: which keys hold pipelines,
 * phases, agents, barriers and artifacts, which subtrees are never work structure, and the key
 * names read for ids, statuses and times. Data only; private to `src/core/yaml/`.
 */

export const PIPELINE_CONTAINERS = new Set(['pipelines', 'tracks', 'streams', 'workstreams', 'work_streams', 'spikes', 'lanes']);
export const PIPELINE_SINGULAR = new Set(['pipeline', 'track', 'stream']);
export const PHASE_CONTAINERS = new Set(['phases', 'stages', 'waves']);
export const AGENT_CONTAINERS = new Set(['agents', 'tasks', 'subagents', 'workers', 'enablers', 'jobs', 'work_items']);
/** Lists where a bare string is an agent id (a `tasks: ["TASK-006"]` list only refers to work items). */
export const BARE_AGENT_CONTAINERS = new Set(['agents', 'subagents', 'workers']);
export const AGENT_SINGULAR = new Set(['agent', 'task']);
export const BARRIER_CONTAINERS = new Set(['barriers', 'wave_gates', 'sync_barriers', 'sync_points', 'barrier_gates', 'gates']);
export const BARRIER_FALLBACK_CONTAINERS = new Set(['cross_pollination', 'cross_pollinations']);
/** Keys whose subtree is never work structure (gates, inputs, histories), so no agents are read there. */
export const NOT_WORK = new Set([
  'quality_gate', 'quality_gates', 'inputs', 'input', 'depends_on', 'blocked_by', 'history', 'iteration', 'iterations',
  'iteration_history', 'evaluation_criteria', 'findings', 'conditions', 'gate_conditions', 'exit_criteria', 'entry_criteria',
  'acceptance_criteria', 'checkpoints', 'execution_queue', 'next_actions', 'resumption', 'metrics', 'blockers', 'issues',
  'artifacts', 'artifact', 'remediation', 'remediation_plan', 'critique_artifacts', 'releases', 'task_refs', 'tasks_ref',
]);
export const ID_KEYS = ['id', 'agent_id', 'task_id', 'agent', 'key'];
export const STATUS_KEYS = ['status', 'state'];
export const STARTED_KEYS = ['started_at', 'started', 'start', 'start_time', 'spawned_at', 'begun_at'];
export const COMPLETED_KEYS = ['completed_at', 'completed', 'finished_at', 'finished', 'end', 'ended_at', 'end_time', 'done_at'];
export const AGENT_ARTIFACT_KEYS = new Set([
  'artifact', 'artifacts', 'artifact_path', 'artifact_paths', 'output', 'outputs', 'output_path', 'output_file', 'output_files',
  'path', 'file', 'files', 'deliverable', 'deliverables', 'report', 'report_path', 'additional_artifacts',
]);
/** Keys whose values are artifact paths anywhere in the file (`*_path`, `*_file` too). */
export function isArtifactKey(k: string): boolean {
  return AGENT_ARTIFACT_KEYS.has(k) || /(^|_)(path|file|artifact)s?$/.test(k) || k === 'handoff' || k === 'document';
}
