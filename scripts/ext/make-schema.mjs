// Writes schemas/orchestration.schema.json. Real ORCHESTRATION.yaml files vary a lot (pipelines as
// a mapping or a list, barriers as a list or a mapping, tracks, extra keys), so the schema only
// describes and suggests: nothing is required and unknown keys are allowed. Status fields offer
// the documented values for completion but accept any string, because files use many spellings.
import { writeFileSync } from 'node:fs';

const loose = (values, description) => ({
  description,
  anyOf: [{ enum: values }, { type: 'string' }, { type: 'null' }],
});
const agentStatus = loose(['PENDING', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'BLOCKED'], 'Agent status: PENDING | IN_PROGRESS | COMPLETE | FAILED | BLOCKED.');
const phaseStatus = loose(['PENDING', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED'], 'Phase status: PENDING | IN_PROGRESS | COMPLETE | BLOCKED.');
const barrierStatus = loose(['PENDING', 'IN_PROGRESS', 'COMPLETE'], 'Barrier status: PENDING | IN_PROGRESS | COMPLETE.');
const timestamp = (d) => ({ description: `${d} (ISO-8601), or null while not reached.`, type: ['string', 'null'] });
const path = (d) => ({ description: `${d} Repository-relative path.`, type: ['string', 'null'] });
const id = (d) => ({ description: d, type: ['string', 'number'] });

const agent = {
  type: 'object',
  description: 'One agent run.',
  properties: {
    id: id('Agent id, e.g. `ps-r-001`; matches the Agent column of the worktracker.'),
    name: { type: 'string', description: 'Agent name or role.' },
    status: agentStatus,
    artifact: path('The artifact this agent produces.'),
    artifacts: { type: ['array', 'object', 'null'], description: 'Artifacts this agent produces.' },
    started_at: timestamp('When the agent started'),
    completed_at: timestamp('When the agent completed'),
    inputs: { type: ['array', 'object', 'string', 'null'], description: 'Artifacts the agent reads.' },
  },
};
const phase = {
  type: 'object',
  description: 'One phase of a pipeline.',
  properties: {
    id: id('Phase number (0 allowed).'),
    name: { type: 'string' },
    status: phaseStatus,
    blocked_by: { type: ['string', 'array', 'null'], description: 'What the phase waits for, e.g. `barrier-1`.' },
    started_at: timestamp('When the phase started'),
    completed_at: timestamp('When the phase completed'),
    agents: {
      description: 'Agents of the phase, as a list or keyed by id.',
      anyOf: [
        // Some files list agent ids only.
        { type: 'array', items: { anyOf: [{ $ref: '#/definitions/agent' }, { type: 'string' }] } },
        { type: 'object', additionalProperties: { $ref: '#/definitions/agent' } },
      ],
    },
    artifacts: { type: ['array', 'object', 'null'] },
  },
};
const pipeline = {
  type: 'object',
  description: 'A parallel chain of phases (also called track or stream).',
  properties: {
    id: id('Pipeline id, e.g. `pipeline-a`.'),
    name: { type: 'string' },
    short_alias: { type: 'string', description: 'Short alias used in agent ids and paths (`ps`, `nse`).' },
    description: { type: 'string' },
    status: loose(['PHASE_1_PENDING', 'PHASE_1_IN_PROGRESS', 'COMPLETE'], 'Pipeline status: PHASE_N_PENDING | PHASE_N_IN_PROGRESS | COMPLETE.'),
    current_phase: { type: ['number', 'string', 'null'] },
    total_phases: { type: ['number', 'null'] },
    progress_percent: { type: ['number', 'null'] },
    phases: {
      description: 'Phases, as a list or keyed by number/name.',
      anyOf: [{ type: 'array', items: { $ref: '#/definitions/phase' } }, { type: 'object', additionalProperties: { $ref: '#/definitions/phase' } }],
    },
  },
};
const barrierArtifact = {
  type: 'object',
  properties: {
    path: path('Hand-off artifact.'),
    status: barrierStatus,
    key_content: { type: ['string', 'null', 'array'] },
  },
};
const barrier = {
  type: 'object',
  description: 'A sync point where pipelines exchange hand-off artifacts.',
  properties: {
    id: id('Barrier id, e.g. `barrier-1`.'),
    name: { type: 'string' },
    status: barrierStatus,
    completed_at: timestamp('When the barrier completed'),
    depends_on: { type: ['array', 'string'] },
    artifacts: {
      description: 'Hand-off artifacts by direction (`a_to_b`, `ps_to_nse`).',
      anyOf: [{ type: 'object', additionalProperties: { $ref: '#/definitions/barrierArtifact' } }, { type: 'array' }],
    },
  },
};

const executionQueue = {
  type: 'object',
  properties: {
    current_group: { type: ['number', 'string', 'null'] },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: id('Group number.'),
          name: { type: 'string' },
          execution_mode: loose(['PARALLEL', 'SEQUENTIAL'], 'PARALLEL | SEQUENTIAL.'),
          status: loose(['READY', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED'], 'Execution group status: READY | IN_PROGRESS | COMPLETE | BLOCKED.'),
          agents: { type: ['array', 'null'] },
        },
      },
    },
  },
};
const pipelineMap = (description) => ({
  description,
  anyOf: [{ type: 'object', additionalProperties: { $ref: '#/definitions/pipeline' } }, { type: 'array', items: { $ref: '#/definitions/pipeline' } }],
});

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://worktracker.local/schemas/orchestration.schema.json',
  title: 'ORCHESTRATION.yaml',
  description: 'Machine-readable state of a multi-agent orchestration (companion of ORCHESTRATION_WORKTRACKER.md).',
  type: 'object',
  definitions: { agent, phase, pipeline, barrier, barrierArtifact, executionQueue },
  properties: {
    schema_version: { type: 'string', description: 'Version of this file\'s layout, e.g. "2.0.0".' },
    workflow: {
      type: 'object',
      properties: {
        id: id('Workflow id; trackers often keep artifacts under `<tracker folder>/<id>/`.'),
        name: { type: 'string' },
        project_id: { type: 'string' },
        version: { type: ['string', 'number'] },
        created_at: timestamp('Creation time'),
        updated_at: timestamp('Last update'),
        status: loose(['ACTIVE', 'PAUSED', 'COMPLETE', 'FAILED', 'CANCELLED'], 'Workflow status: ACTIVE | PAUSED | COMPLETE | FAILED | CANCELLED.'),
        patterns: { type: 'array', items: { anyOf: [{ enum: ['SEQUENTIAL', 'CONCURRENT', 'BARRIER_SYNC', 'HIERARCHICAL', 'FAN_OUT', 'FAN_IN'] }, { type: 'string' }] } },
      },
    },
    paths: {
      type: 'object',
      description: 'Where artifact paths are rooted.',
      properties: { base: { type: ['string', 'null'], description: 'Base folder of artifact paths.' } },
    },
    pipelines: pipelineMap('Pipelines keyed by name or alias (`pipeline_a`, `ps`), or a list.'),
    pipeline: { $ref: '#/definitions/pipeline' },
    tracks: pipelineMap('Tracks (pipelines under another name).'),
    phases: {
      description: 'Phases when the file has no pipelines.',
      anyOf: [{ type: 'array', items: { $ref: '#/definitions/phase' } }, { type: 'object', additionalProperties: { $ref: '#/definitions/phase' } }],
    },
    barriers: {
      description: 'Sync barriers, as a list or keyed by id.',
      anyOf: [{ type: 'array', items: { $ref: '#/definitions/barrier' } }, { type: 'object', additionalProperties: { $ref: '#/definitions/barrier' } }],
    },
    execution_queue: { anyOf: [{ $ref: '#/definitions/executionQueue' }, { type: 'array' }] },
    checkpoints: { type: ['object', 'array', 'null'] },
    metrics: {
      type: 'object',
      properties: {
        execution: {
          type: 'object',
          description: 'Counts the worktracker metrics table mirrors.',
          additionalProperties: { type: ['number', 'string', 'null', 'object', 'array', 'boolean'] },
        },
      },
    },
    blockers: { type: ['object', 'array', 'null'] },
    issues: { type: ['object', 'array', 'null'] },
    next_actions: { type: ['object', 'array', 'null'] },
    resumption: { type: ['object', 'null'] },
  },
};
writeFileSync(new URL('../../schemas/orchestration.schema.json', import.meta.url), JSON.stringify(schema, null, 2) + '\n');
