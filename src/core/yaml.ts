/**
 * Reads ORCHESTRATION.yaml into the typed YamlModel, keeping the exact source range of every scalar
 * it reports. Built on js-yaml's event parser (offsets), core schema only, nothing executed.
 * Never throws: syntax errors, duplicate keys, odd shapes and hostile input become findings.
 */
import { CORE_SCHEMA, NOT_RESOLVED, constructFromEvents } from 'js-yaml';
import type { Event } from 'js-yaml';
import type { Finding, Range, YamlAgent, YamlBarrier, YamlModel, YamlPhase, YamlPipeline, YamlScalar } from './model';
import { LineIndex } from './text';
import { isPathValue } from './paths';
import { MAX_DEPTH, buildDocuments, deref, expandedSize } from './yaml/tree';
import type { TreeIssue, YMapNode, YNode, YPair, YScalarNode } from './yaml/tree';

/** Alias bound for js-yaml's constructor (its default is unlimited). */
const MAX_ALIASES = 1000;
/** Above this many nodes with aliases expanded, `data` is withheld (billion laughs). */
const MAX_EXPANDED_NODES = 2_000_000;
/** Syntax-error recovery: how many times one top-level section is cut back before giving up on it. */
const MAX_RETRIES_PER_SECTION = 4;
/** Syntax-error recovery: how many broken lines are blanked out (whole-file re-parses) before reading per section. */
const MAX_BLANKED_LINES = 8;

// ---------------------------------------------------------------- scalar values

const CORE_PREFIX = 'tag:yaml.org,2002:';

/** The core-schema value of a scalar: plain scalars resolve to null/bool/int/float, the rest stay strings. */
function resolveScalar(n: YScalarNode): string | number | boolean | null {
  if (n.tag !== undefined) {
    const name = n.tag.startsWith('!!') ? CORE_PREFIX + n.tag.slice(2) : n.tag.startsWith('!<') ? n.tag.slice(2, -1) : '';
    const def = name ? CORE_SCHEMA.lookupScalarTag(name) : undefined;
    if (def) {
      const v = def.resolve(n.text, true, name);
      if (v !== NOT_RESOLVED && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) return v as string | number | boolean | null;
    }
    return n.text;
  }
  if (n.style !== 'plain') return n.text;
  for (const def of CORE_SCHEMA.implicitScalarTags) {
    const v = def.resolve(n.text, false, def.tagName);
    if (v !== NOT_RESOLVED && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) return v as string | number | boolean | null;
  }
  return n.text;
}

/** Key text normalised for matching: case-insensitive, `-` and spaces as `_`. */
function norm(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function keyText(n: YNode): string | undefined {
  const d = deref(n);
  return d && d.kind === 'scalar' ? d.text : undefined;
}

// ---------------------------------------------------------------- vocabulary (by meaning, not by one file)

const PIPELINE_CONTAINERS = new Set(['pipelines', 'tracks', 'streams', 'workstreams', 'work_streams', 'spikes', 'lanes']);
const PIPELINE_SINGULAR = new Set(['pipeline', 'track', 'stream']);
const PHASE_CONTAINERS = new Set(['phases', 'stages', 'waves']);
const AGENT_CONTAINERS = new Set(['agents', 'tasks', 'subagents', 'workers', 'enablers', 'jobs', 'work_items']);
/** Lists where a bare string is an agent id (a `tasks: ["TASK-006"]` list only refers to work items). */
const BARE_AGENT_CONTAINERS = new Set(['agents', 'subagents', 'workers']);
const AGENT_SINGULAR = new Set(['agent', 'task']);
const BARRIER_CONTAINERS = new Set(['barriers', 'wave_gates', 'sync_barriers', 'sync_points', 'barrier_gates', 'gates']);
const BARRIER_FALLBACK_CONTAINERS = new Set(['cross_pollination', 'cross_pollinations']);
/** Keys whose subtree is never work structure (gates, inputs, histories), so no agents are read there. */
const NOT_WORK = new Set([
  'quality_gate', 'quality_gates', 'inputs', 'input', 'depends_on', 'blocked_by', 'history', 'iteration', 'iterations',
  'iteration_history', 'evaluation_criteria', 'findings', 'conditions', 'gate_conditions', 'exit_criteria', 'entry_criteria',
  'acceptance_criteria', 'checkpoints', 'execution_queue', 'next_actions', 'resumption', 'metrics', 'blockers', 'issues',
  'artifacts', 'artifact', 'remediation', 'remediation_plan', 'critique_artifacts', 'releases', 'task_refs', 'tasks_ref',
]);
const ID_KEYS = ['id', 'agent_id', 'task_id', 'agent', 'key'];
const STATUS_KEYS = ['status', 'state'];
const STARTED_KEYS = ['started_at', 'started', 'start', 'start_time', 'spawned_at', 'begun_at'];
const COMPLETED_KEYS = ['completed_at', 'completed', 'finished_at', 'finished', 'end', 'ended_at', 'end_time', 'done_at'];
const AGENT_ARTIFACT_KEYS = new Set([
  'artifact', 'artifacts', 'artifact_path', 'artifact_paths', 'output', 'outputs', 'output_path', 'output_file', 'output_files',
  'path', 'file', 'files', 'deliverable', 'deliverables', 'report', 'report_path', 'additional_artifacts',
]);
/** Keys whose values are artifact paths anywhere in the file (`*_path`, `*_file` too). */
function isArtifactKey(k: string): boolean {
  return AGENT_ARTIFACT_KEYS.has(k) || /(^|_)(path|file|artifact)s?$/.test(k) || k === 'handoff' || k === 'document';
}

/** Path-like: the one heuristic for YAML values lives in paths.ts; re-exported under its old name. */
export { isPathValue as isPathLike } from './paths';

function firstInt(s: string): number | undefined {
  const m = /\d+/.exec(s);
  return m ? Number(m[0]) : undefined;
}

// ---------------------------------------------------------------- the reader

class Reader {
  readonly findings: Finding[] = [];
  readonly model: YamlModel;
  private readonly walked = new Set<YNode>();
  private readonly readItems = new Set<YNode>();
  /** Work-walk budget: nodes visited while looking for phases/agents (bounded on hostile input). */
  private budget: number;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly index: LineIndex,
  ) {
    this.model = {
      file,
      text,
      workflow: {},
      pipelines: [],
      phases: [],
      agents: [],
      barriers: [],
      metricsExecution: {},
      artifacts: [],
      data: undefined,
      findings: this.findings,
    };
    this.budget = 2_000_000;
  }

  range(start: number, end: number): Range {
    return this.index.range(start, end);
  }

  finding(code: Finding['code'], severity: Finding['severity'], message: string, start: number, end: number, extra?: Partial<Finding>): void {
    // A point finding still covers its line's first character so editors show it.
    const s = Math.max(0, Math.min(start, this.text.length));
    let e = Math.max(s, Math.min(end, this.text.length));
    if (e === s) e = Math.min(this.text.length, Math.max(s, this.index.lineEnd(this.index.position(s).line)));
    this.findings.push({ code, severity, message, file: this.file, range: this.range(s, e), ...extra });
  }

  scalar(node: YNode | undefined, key?: YNode): YamlScalar | undefined {
    const n = deref(node);
    if (!n || n.kind !== 'scalar') return undefined;
    // An alias (`status: *pending`) keeps its own range, so an edit changes this use only, not the anchor.
    const at = node && node.kind === 'alias' ? node : n;
    const out: YamlScalar = {
      value: resolveScalar(n),
      source: this.text.slice(at.start, at.end),
      range: this.range(at.start, at.end),
      style: at === n ? n.style : 'plain',
    };
    const k = key ? deref(key) : undefined;
    if (k) out.keyRange = this.range(k.start, k.end);
    return out;
  }

  private readonly keyIndexes = new WeakMap<YMapNode, Map<string, YPair>>();

  /** Normalised key -> pair (the last one written wins, like a lenient loader), built once per mapping. */
  keyIndex(m: YMapNode): Map<string, YPair> {
    let ix = this.keyIndexes.get(m);
    if (!ix) {
      ix = new Map();
      for (const p of m.pairs) {
        const k = keyText(p.key);
        if (k !== undefined) ix.set(k === '<<' ? k : norm(k), p);
      }
      this.keyIndexes.set(m, ix);
    }
    return ix;
  }

  /** The value for the first of `names` present in `map` (the last one written wins for a duplicate key; `<<` merges followed). */
  get(map: YNode | undefined, names: readonly string[], depth = 0): YPair | undefined {
    const m = deref(map);
    if (!m || m.kind !== 'map' || depth > 8) return undefined;
    const keys = this.keyIndex(m);
    for (const name of names) {
      const hit = keys.get(name);
      if (hit) return hit;
    }
    if (!keys.has('<<')) return undefined;
    for (const p of m.pairs) {
      if (keyText(p.key) !== '<<') continue;
      const v = deref(p.value);
      const sources = v?.kind === 'seq' ? v.items : v ? [v] : [];
      for (const s of sources) {
        const hit = this.get(s, names, depth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  getScalar(map: YNode | undefined, names: readonly string[]): YamlScalar | undefined {
    const p = this.get(map, names);
    return p ? this.scalar(p.value, p.key) : undefined;
  }

  // ------------------------------------------------------------ workflow, paths, metrics

  readWorkflow(root: YMapNode): void {
    const wfPair = this.get(root, ['workflow', 'orchestration', 'metadata', 'meta']);
    const wf = wfPair ? deref(wfPair.value) : undefined;
    const places: (YNode | undefined)[] = [wf, root];
    const pick = (names: readonly string[]) => {
      for (const p of places) {
        const s = this.getScalar(p, names);
        if (s) return s;
      }
      return undefined;
    };
    const w = this.model.workflow;
    w.id = pick(['id', 'workflow_id']);
    w.name = pick(['name', 'title', 'workflow_name']);
    w.status = pick(['status', 'state', 'workflow_status']);
    w.updated_at = pick(['updated_at', 'last_updated', 'updated', 'last_updated_at', 'modified_at']);
  }

  readPaths(root: YMapNode): void {
    const paths = this.get(root, ['paths']);
    this.model.pathsBase = this.getScalar(paths?.value, ['base', 'base_path', 'root']) ?? this.getScalar(root, ['base_path']);
  }

  readMetrics(root: YMapNode): void {
    const metrics = deref(this.get(root, ['metrics'])?.value);
    if (!metrics || metrics.kind !== 'map') return;
    const exec = deref(this.get(metrics, ['execution'])?.value);
    // Some files keep the counters directly under `metrics`.
    const from = exec && exec.kind === 'map' ? exec : metrics;
    for (const p of from.pairs) {
      const k = keyText(p.key);
      const s = this.scalar(p.value, p.key);
      if (k !== undefined && s) this.model.metricsExecution[k] = s;
    }
  }

  // ------------------------------------------------------------ pipelines, phases, agents

  readWork(root: YMapNode): void {
    for (const p of root.pairs) {
      const k = keyText(p.key);
      if (k === undefined) continue;
      const nk = norm(k);
      const v = deref(p.value);
      if (!v) continue;
      if (PIPELINE_CONTAINERS.has(nk)) {
        if (v.kind === 'map') {
          for (const pp of v.pairs) {
            const pk = keyText(pp.key);
            const pv = deref(pp.value);
            if (pk !== undefined && pv && pv.kind === 'map') this.readPipeline(pk, pv, pp.key);
          }
        } else if (v.kind === 'seq') {
          v.items.forEach((it, i) => {
            const pv = deref(it);
            if (!pv || pv.kind !== 'map') return;
            const name = this.getScalar(pv, ['short_alias', 'alias', 'id', 'key', 'name']);
            this.readPipeline(name ? String(name.value) : `${nk}-${i + 1}`, pv);
          });
        }
      } else if (PIPELINE_SINGULAR.has(nk) && v.kind === 'map') {
        this.readPipeline(k, v, p.key);
      } else if (PHASE_CONTAINERS.has(nk)) {
        this.readPhases(v, {});
      } else if (/^(phase|stage|wave)_?\d+$/.test(nk) && v.kind === 'map') {
        this.readPhase(v, firstInt(nk) ?? 0, {}, p.key);
      } else if (AGENT_CONTAINERS.has(nk)) {
        this.readAgents(v, {}, nk);
      }
    }
  }

  readPipeline(key: string, node: YMapNode, keyNode?: YNode): void {
    const alias = this.getScalar(node, ['short_alias', 'alias', 'path_alias', 'pipeline_alias']);
    const id = this.getScalar(node, ['id', 'pipeline_id']);
    const name = this.getScalar(node, ['name', 'title']);
    const pl: YamlPipeline = { key, range: this.nodeRange(node, keyNode) };
    if (id && id.value !== null) pl.id = String(id.value);
    if (alias && alias.value !== null) pl.alias = String(alias.value);
    if (name && name.value !== null) pl.name = String(name.value);
    const st = this.getScalar(node, STATUS_KEYS);
    if (st) pl.status = st;
    this.model.pipelines.push(pl);
    this.walkWork(node, { pipeline: key }, 0);
  }

  nodeRange(node: YNode, keyNode?: YNode): Range {
    const k = keyNode ? deref(keyNode) : undefined;
    return this.range(k && k.start < node.start ? k.start : node.start, node.end);
  }

  /** Inside a pipeline/phase/track: phases and agents wherever they sit (groups like `task002_cycle`, `streams`). */
  walkWork(node: YNode, ctx: Ctx, depth: number): void {
    const n = deref(node);
    if (!n || depth > MAX_DEPTH || --this.budget < 0) return;
    // Each node is walked once, so aliases cannot multiply the work (or the agents).
    if (n.kind !== 'scalar' && n.kind !== 'alias') {
      if (this.walked.has(n)) return;
      this.walked.add(n);
    }
    if (n.kind === 'seq') {
      for (const it of n.items) this.walkWork(it, ctx, depth + 1);
      return;
    }
    if (n.kind !== 'map') return;
    for (const p of n.pairs) {
      const k = keyText(p.key);
      const v = deref(p.value);
      if (k === undefined || !v || v.kind === 'scalar') continue;
      const nk = norm(k);
      if (PHASE_CONTAINERS.has(nk)) this.readPhases(v, ctx);
      else if (AGENT_CONTAINERS.has(nk)) this.readAgents(v, ctx, nk);
      else if (AGENT_SINGULAR.has(nk) && v.kind === 'map') this.readAgentItem(v, undefined, ctx, depth + 1);
      else if (/^(phase|stage|wave)_?\d+$/.test(nk) && v.kind === 'map') this.readPhase(v, firstInt(nk) ?? 0, ctx, p.key);
      else if (NOT_WORK.has(nk) || PIPELINE_CONTAINERS.has(nk) || BARRIER_CONTAINERS.has(nk)) continue;
      else this.walkWork(v, ctx, depth + 1);
    }
  }

  readPhases(v: YNode, ctx: Ctx): void {
    if (v.kind === 'seq') {
      v.items.forEach((it, i) => {
        const item = deref(it);
        if (item && item.kind === 'map') this.readPhase(item, this.phaseNumber(item, undefined, i), ctx);
      });
    } else if (v.kind === 'map') {
      v.pairs.forEach((p, i) => {
        const item = deref(p.value);
        if (item && item.kind === 'map') this.readPhase(item, this.phaseNumber(item, keyText(p.key), i), ctx, p.key);
      });
    }
  }

  phaseNumber(item: YNode, key: string | undefined, index: number): number {
    for (const names of [['number', 'phase', 'phase_number', 'phase_id'], ['id'], ['sequence', 'seq', 'order', 'index']]) {
      const s = this.getScalar(item, names);
      if (!s) continue;
      if (typeof s.value === 'number' && Number.isInteger(s.value) && s.value >= 0) return s.value;
      if (typeof s.value === 'string') {
        const n = firstInt(s.value);
        if (n !== undefined) return n;
      }
    }
    const fromKey = key !== undefined ? firstInt(key) : undefined;
    if (fromKey !== undefined) return fromKey;
    // `name: "Phase 2: Build"`
    const name = this.getScalar(item, ['name', 'title']);
    const m = typeof name?.value === 'string' ? /\b(?:phase|stage|wave)\s*[-_#]?\s*(\d+)/i.exec(name.value) : null;
    return m ? Number(m[1]) : index + 1;
  }

  readPhase(item: YMapNode, number: number, ctx: Ctx, keyNode?: YNode): void {
    if (this.readItems.has(item)) return;
    this.readItems.add(item);
    const ph: YamlPhase = { number, range: this.nodeRange(item, keyNode) };
    if (ctx.pipeline !== undefined) ph.pipeline = ctx.pipeline;
    const st = this.getScalar(item, STATUS_KEYS);
    if (st) ph.status = st;
    this.model.phases.push(ph);
    this.walkWork(item, { ...ctx, phase: number }, 1);
  }

  readAgents(v: YNode, ctx: Ctx, containerKey: string): void {
    if (v.kind === 'seq') {
      for (const it of v.items) {
        const item = deref(it);
        if (!item) continue;
        if (item.kind === 'map') this.readAgentItem(item, undefined, ctx, 1);
        else if (item.kind === 'scalar' && BARE_AGENT_CONTAINERS.has(containerKey) && /^[\w.:/-]+$/.test(item.text)) {
          // A bare id in a work list: an agent the file names without a status.
          this.pushAgent({ id: item.text, range: this.range(item.start, item.end), artifacts: [] }, ctx, true);
        }
      }
    } else if (v.kind === 'map') {
      for (const p of v.pairs) {
        const k = keyText(p.key);
        const item = deref(p.value);
        if (k === undefined || !item) continue;
        if (item.kind === 'map') this.readAgentItem(item, p.key, ctx, 1);
        else if (item.kind === 'scalar' && item.text !== '') {
          // `agent-id: COMPLETE`
          const a: YamlAgent = { id: k, range: this.nodeRange(item, p.key), artifacts: [] };
          const st = this.scalar(item, p.key);
          if (st) a.status = st;
          this.pushAgent(a, ctx, false);
        }
      }
    }
  }

  /** A mapping in a work list: an agent, or a container of agents (an enabler with `tasks`, a stream with `agents`). */
  readAgentItem(item: YMapNode, keyNode: YNode | undefined, ctx: Ctx, depth: number): void {
    if (this.readItems.has(item)) return;
    this.readItems.add(item);
    const nested = item.pairs.some((p) => {
      const k = keyText(p.key);
      const v = deref(p.value);
      if (k === undefined || !v) return false;
      const nk = norm(k);
      const nonEmpty = (v.kind === 'seq' && v.items.length > 0) || (v.kind === 'map' && v.pairs.length > 0);
      return nonEmpty && (AGENT_CONTAINERS.has(nk) || PHASE_CONTAINERS.has(nk));
    });
    if (nested) {
      this.walkWork(item, ctx, depth);
      return;
    }
    let id: string | undefined;
    const idScalar = this.getScalar(item, ID_KEYS);
    if (idScalar && idScalar.value !== null && idScalar.value !== '') id = String(idScalar.value);
    if (id === undefined && keyNode) id = keyText(keyNode);
    if (id === undefined) {
      const name = this.getScalar(item, ['name']);
      if (name && typeof name.value === 'string' && /^[A-Za-z][\w.-]*$/.test(name.value) && /[-_\d]/.test(name.value)) id = name.value;
    }
    if (id === undefined) return;
    const a: YamlAgent = { id, range: this.nodeRange(item, keyNode), artifacts: this.agentArtifacts(item) };
    const st = this.getScalar(item, STATUS_KEYS);
    if (st) a.status = st;
    const started = this.getScalar(item, STARTED_KEYS);
    if (started) a.started_at = started;
    const completed = this.getScalar(item, COMPLETED_KEYS);
    if (completed) a.completed_at = completed;
    this.pushAgent(a, ctx, false);
  }

  agentArtifacts(item: YMapNode): YamlScalar[] {
    const out: YamlScalar[] = [];
    const visit = (n: YNode | undefined, key: YNode | undefined, depth: number) => {
      const d = deref(n);
      if (!d || depth > 4) return;
      if (d.kind === 'scalar') {
        if (typeof resolveScalar(d) === 'string' && isPathValue(d.text)) {
          const s = this.scalar(d, key);
          if (s) out.push(s);
        }
      } else if (d.kind === 'seq') for (const it of d.items) visit(it, key, depth + 1);
      else if (d.kind === 'map') {
        for (const p of d.pairs) {
          const k = keyText(p.key);
          if (k !== undefined && isArtifactKey(norm(k))) visit(p.value, p.key, depth + 1);
        }
      }
    };
    for (const p of item.pairs) {
      const k = keyText(p.key);
      if (k !== undefined && AGENT_ARTIFACT_KEYS.has(norm(k))) visit(p.value, p.key, 0);
    }
    return out;
  }

  pushAgent(a: YamlAgent, ctx: Ctx, bare: boolean): void {
    if (ctx.pipeline !== undefined) a.pipeline = ctx.pipeline;
    if (ctx.phase !== undefined) a.phase = ctx.phase;
    if (bare) this.bareAgents.push(a);
    else this.model.agents.push(a);
  }

  readonly bareAgents: YamlAgent[] = [];

  /** Mapping agents (id + status) in the execution queue or elsewhere, only when not already seen. */
  readLooseAgents(root: YMapNode): void {
    const seen = new Set(this.model.agents.map((a) => a.id));
    const queue = deref(this.get(root, ['execution_queue', 'queue'])?.value);
    if (!queue) return;
    const visit = (n: YNode | undefined, key: string | undefined, depth: number) => {
      const d = deref(n);
      if (!d || depth > 12 || --this.budget < 0) return;
      if (d.kind === 'seq') for (const it of d.items) visit(it, key, depth + 1);
      else if (d.kind === 'map') {
        if (key !== undefined && AGENT_CONTAINERS.has(key)) {
          const id = this.getScalar(d, ID_KEYS);
          const st = this.getScalar(d, STATUS_KEYS);
          if (id && st && id.value !== null && !seen.has(String(id.value))) {
            seen.add(String(id.value));
            this.readAgentItem(d, undefined, {}, depth);
            return;
          }
        }
        for (const p of d.pairs) {
          const k = keyText(p.key);
          if (k !== undefined) visit(p.value, norm(k), depth + 1);
        }
      }
    };
    visit(queue, undefined, 0);
  }

  /** Bare ids count only when no mapping with that id exists (no double counting). */
  mergeBareAgents(): void {
    const seen = new Set(this.model.agents.map((a) => a.id));
    for (const a of this.bareAgents) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      this.model.agents.push(a);
    }
  }

  // ------------------------------------------------------------ barriers

  readBarriers(root: YMapNode): void {
    const read = (containers: Set<string>) => {
      for (const p of root.pairs) {
        const k = keyText(p.key);
        const v = deref(p.value);
        if (k === undefined || !v || !containers.has(norm(k))) continue;
        if (v.kind === 'seq') {
          v.items.forEach((it, i) => {
            const item = deref(it);
            if (item && item.kind === 'map') this.readBarrier(item, undefined, i);
          });
        } else if (v.kind === 'map') {
          v.pairs.forEach((bp, i) => {
            const item = deref(bp.value);
            if (item && item.kind === 'map') this.readBarrier(item, bp.key, i);
          });
        }
      }
    };
    read(BARRIER_CONTAINERS);
    if (this.model.barriers.length === 0) read(BARRIER_FALLBACK_CONTAINERS);
  }

  readBarrier(item: YMapNode, keyNode: YNode | undefined, index: number): void {
    const idS = this.getScalar(item, ['id', 'barrier_id', 'gate_id']);
    const key = keyNode ? keyText(keyNode) : undefined;
    const name = this.getScalar(item, ['name', 'title']);
    let number: number | undefined;
    const numS = this.getScalar(item, ['number', 'barrier', 'barrier_number', 'sequence', 'seq']);
    if (numS && typeof numS.value === 'number' && Number.isInteger(numS.value)) number = numS.value;
    const idText = idS && idS.value !== null ? String(idS.value) : undefined;
    number ??= idText !== undefined ? firstInt(idText) : undefined;
    number ??= key !== undefined ? firstInt(key) : undefined;
    number ??= name && typeof name.value === 'string' ? firstInt(name.value) : undefined;
    number ??= index + 1;
    let id = idText ?? key ?? `barrier-${number}`;
    if (/^\d+$/.test(id)) id = `barrier-${id}`;
    const b: YamlBarrier = { number, id, range: this.nodeRange(item, keyNode), artifacts: [] };
    const st = this.getScalar(item, STATUS_KEYS);
    if (st) b.status = st;
    const one = (k: string, v: YNode | undefined) => {
      const d = deref(v);
      if (!d) return;
      if (d.kind === 'scalar') {
        const path = this.scalar(d);
        if (path && path.value !== null) b.artifacts.push({ key: k, path });
      } else if (d.kind === 'map') {
        const entry: YamlBarrier['artifacts'][number] = { key: k };
        const path = this.getScalar(d, ['path', 'file', 'artifact', 'output', 'artifact_path']);
        if (path) entry.path = path;
        const s = this.getScalar(d, STATUS_KEYS);
        if (s) entry.status = s;
        b.artifacts.push(entry);
      }
    };
    const arts = deref(this.get(item, ['artifacts', 'handoffs'])?.value);
    if (arts?.kind === 'map') {
      for (const p of arts.pairs) {
        const k = keyText(p.key);
        if (k !== undefined) one(k, p.value);
      }
    } else if (arts?.kind === 'seq') {
      arts.items.forEach((it, i) => {
        const d = deref(it);
        const k = d && d.kind === 'map' ? this.getScalar(d, ['direction', 'key', 'id', 'name']) : undefined;
        one(k && k.value !== null ? String(k.value) : String(i), it);
      });
    }
    const single = this.get(item, ['artifact', 'handoff']);
    if (single) one(keyText(single.key) ?? 'artifact', single.value);
    this.model.barriers.push(b);
  }

  // ------------------------------------------------------------ artifacts (every path-like value)

  readArtifacts(root: YMapNode): void {
    const seen = new Set<YNode>();
    type Item = { node: YNode; key?: YNode; artifactKey: boolean; depth: number };
    const stack: Item[] = [];
    for (let i = root.pairs.length - 1; i >= 0; i--) {
      const p = root.pairs[i];
      const k = keyText(p.key);
      // `paths:` holds patterns (`{base}...`), not artifacts.
      if (k !== undefined && norm(k) === 'paths') continue;
      stack.push({ node: p.value, key: p.key, artifactKey: k !== undefined && isArtifactKey(norm(k)), depth: 1 });
    }
    while (stack.length) {
      const { node, key, artifactKey, depth } = stack.pop()!;
      // Aliases are not followed: the anchored scalar is already reported where it is written.
      if (node.kind === 'alias' || seen.has(node) || depth > MAX_DEPTH || --this.budget < 0) continue;
      seen.add(node);
      if (node.kind === 'scalar') {
        if (artifactKey && node.style !== 'literal' && node.style !== 'folded' && typeof resolveScalar(node) === 'string' && isPathValue(node.text)) {
          const s = this.scalar(node, key);
          if (s) this.model.artifacts.push(s);
        }
      } else if (node.kind === 'seq') {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], key, artifactKey, depth: depth + 1 });
      } else {
        for (let i = node.pairs.length - 1; i >= 0; i--) {
          const p = node.pairs[i];
          const k = keyText(p.key);
          stack.push({ node: p.value, key: p.key, artifactKey: k !== undefined && isArtifactKey(norm(k)), depth: depth + 1 });
        }
      }
    }
  }
}

interface Ctx {
  pipeline?: string;
  phase?: number;
}

// ---------------------------------------------------------------- tree reading with recovery

interface YamlError {
  reason: string;
  position: number;
}

function asYamlError(err: unknown, base = 0): YamlError {
  const e = err as { reason?: unknown; message?: unknown; mark?: { position?: unknown } };
  const reason = typeof e?.reason === 'string' ? e.reason : typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
  const pos = typeof e?.mark?.position === 'number' ? e.mark.position : 0;
  return { reason, position: base + pos };
}

/** Lines that start a top-level mapping key (`key:` at column 0), used to read around a syntax error. */
function topLevelSections(text: string, index: LineIndex): { start: number; end: number }[] {
  const starts: number[] = [];
  let docEnd = text.length;
  let seenContent = false;
  for (let line = 0; line < index.lineCount; line++) {
    const s = index.lineStarts[line];
    const lt = index.lineText(line);
    if (/^(---|\.\.\.)(\s|$)/.test(lt)) {
      // Only the first document is read.
      if (seenContent) {
        docEnd = s;
        break;
      }
      continue;
    }
    if (/^(\ufeff)?([^\s#\-?:,[\]{}&*!|>'"%@`][^#]*?|"[^"]*"|'[^']*')\s*:(\s|$)/.test(lt)) {
      starts.push(s + (lt.charCodeAt(0) === 0xfeff ? 1 : 0));
      seenContent = true;
    } else if (/^\S/.test(lt) && !lt.startsWith('#')) seenContent = true;
  }
  return starts.map((s, i) => ({ start: s, end: i + 1 < starts.length ? starts[i + 1] : docEnd })).filter((x) => x.start < docEnd);
}

interface TreeResult {
  root: YNode | null;
  /** Set when no syntax error occurred, so js-yaml can construct `data` from the same events. */
  clean: boolean;
  issues: TreeIssue[];
  rootCount: number;
  /** The parser events of a clean read, reused to construct `data`. */
  events?: Event[];
}

function readTree(r: Reader): TreeResult {
  const { text, index } = r;
  try {
    const { docs, issues, events } = buildDocuments(text);
    const nonEmpty = docs.filter((d) => d.root !== null);
    const root = nonEmpty.find((d) => deref(d.root!)?.kind === 'map')?.root ?? nonEmpty[0]?.root ?? null;
    return { root, clean: true, issues, rootCount: nonEmpty.length, events };
  } catch (err) {
    const first = asYamlError(err);
    const reported = new Set<number>();
    const report = (e: YamlError) => {
      const line = index.position(e.position).line;
      if (reported.has(line)) return;
      reported.add(line);
      r.finding('yaml-syntax', 'error', `YAML syntax error: ${e.reason}; the rest of the file is read where possible`, e.position, index.lineEnd(line), {
        data: { reason: e.reason },
      });
    };
    report(first);
    const skipped = (line: number) => {
      r.finding('yaml-syntax', 'warning', `Line ${line + 1} could not be read as YAML and was skipped`, index.lineStarts[line], index.lineEnd(line), {
        data: { skippedLine: line + 1 },
      });
    };
    // First try blanking the broken line with spaces (offsets stay valid, every other line is read).
    // The culprit is often a line or two above where the parser notices (an unclosed quote or
    // bracket), so those are tried too and the candidate that parses furthest wins.
    let work = text;
    let err2: YamlError = first;
    const blankLine = (w: string, line: number) => {
      const ls = index.lineStarts[line];
      const le = index.lineEnd(line);
      return w.slice(0, ls) + ' '.repeat(le - ls) + w.slice(le);
    };
    const candidatesPerError = text.length > 1_000_000 ? 1 : 3;
    for (let attempt = 0; attempt < MAX_BLANKED_LINES; attempt++) {
      const errLine = index.position(err2.position).line;
      let best: { work: string; err: YamlError; line: number } | undefined;
      for (let line = errLine, tried = 0; line >= 0 && tried < candidatesPerError; line--) {
        if (work.slice(index.lineStarts[line], index.lineEnd(line)).trim() === '') continue;
        tried++;
        const w = blankLine(work, line);
        try {
          const { docs, issues } = buildDocuments(w);
          skipped(line);
          const nonEmpty = docs.filter((d) => d.root !== null);
          const root = nonEmpty.find((d) => deref(d.root!)?.kind === 'map')?.root ?? nonEmpty[0]?.root ?? null;
          return { root, clean: false, issues, rootCount: nonEmpty.length };
        } catch (e) {
          const ye = asYamlError(e);
          if (!best || ye.position > best.err.position) best = { work: w, err: ye, line };
        }
      }
      if (!best || best.err.position <= err2.position) break;
      skipped(best.line);
      work = best.work;
      err2 = best.err;
      report(err2);
    }
    // Then read each top-level section on its own, cutting a broken one back to before its error.
    const pairs: YPair[] = [];
    const issues: TreeIssue[] = [];
    for (const sec of topLevelSections(text, index)) {
      let end = sec.end;
      for (let attempt = 0; attempt <= MAX_RETRIES_PER_SECTION && end > sec.start; attempt++) {
        try {
          const { docs, issues: iss } = buildDocuments(work, sec.start, end);
          const root = docs[0]?.root ? deref(docs[0].root) : undefined;
          if (root && root.kind === 'map') pairs.push(...root.pairs);
          issues.push(...iss);
          break;
        } catch (e2) {
          const ye = asYamlError(e2, sec.start);
          report(ye);
          const cut = index.lineStarts[index.position(ye.position).line];
          end = cut < end ? cut : index.lineStarts[Math.max(0, index.position(end).line - 1)];
        }
      }
    }
    if (pairs.length === 0) return { root: null, clean: false, issues, rootCount: 0 };
    // Sections were read apart, so keys repeated across sections are checked here.
    const seen = new Map<string, number>();
    for (const p of pairs) {
      const k = keyText(p.key);
      if (k === undefined) continue;
      const prev = seen.get(k);
      if (prev !== undefined) issues.push({ kind: 'duplicate-key', message: `duplicate key "${k}"`, offset: p.key.start, firstOffset: prev, key: k });
      else seen.set(k, p.key.start);
    }
    const root: YMapNode = { kind: 'map', start: pairs[0].key.start, end: pairs[pairs.length - 1].value.end, pairs };
    return { root, clean: false, issues, rootCount: 1 };
  }
}

// ---------------------------------------------------------------- data (plain JS value)

function toPlain(root: YNode): unknown {
  const memo = new Map<YNode, unknown>();
  const conv = (n: YNode | undefined, depth: number): unknown => {
    const d = deref(n);
    if (!d || depth > MAX_DEPTH * 2) return null;
    if (d.kind === 'scalar') return resolveScalar(d);
    const m = memo.get(d);
    if (m !== undefined) return m;
    if (d.kind === 'seq') {
      const arr: unknown[] = [];
      memo.set(d, arr);
      for (const it of d.items) arr.push(conv(it, depth + 1));
      return arr;
    }
    if (d.kind !== 'map') return null;
    const obj: Record<string, unknown> = {};
    memo.set(d, obj);
    for (const p of d.pairs) {
      const k = deref(p.key);
      const key = k && k.kind === 'scalar' ? String(resolveScalar(k)) : JSON.stringify(conv(p.key, depth + 1));
      // defineProperty so a `__proto__` key is data, never a prototype change.
      Object.defineProperty(obj, key, { value: conv(p.value, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return obj;
  };
  return conv(root, 0);
}

function buildData(text: string, tree: TreeResult, r: Reader): unknown {
  const root = tree.root;
  if (!root) return undefined;
  if (expandedSize(root, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
    r.finding('yaml-shape', 'warning', 'YAML aliases expand to too many nodes (alias bomb?); the plain data is not built', root.start, root.start);
    return undefined;
  }
  if (tree.events && !tree.issues.some((i) => i.kind === 'tag')) {
    try {
      const docs = constructFromEvents(tree.events, { source: text, schema: CORE_SCHEMA, json: true, maxAliases: MAX_ALIASES });
      const first = docs.find((d) => d !== null && typeof d === 'object' && !Array.isArray(d));
      if (first !== undefined) return first;
    } catch {
      // Fall through to our own bounded conversion of the same tree.
    }
  }
  return toPlain(root);
}

// ---------------------------------------------------------------- API

/** Reads an ORCHESTRATION.yaml text. Never throws; problems are in `findings`. */
export function parseYaml(text: string, file: string): YamlModel {
  const index = new LineIndex(text);
  const r = new Reader(text, file, index);
  try {
    const tree = readTree(r);
    for (const iss of tree.issues) {
      if (iss.kind === 'duplicate-key') {
        const first = iss.firstOffset !== undefined ? index.position(iss.firstOffset) : undefined;
        const keyEnd = iss.offset + (iss.key?.length ?? 0);
        r.finding(
          'yaml-duplicate-key',
          'warning',
          `Duplicate YAML key "${iss.key}"${first ? ` (first at line ${first.line + 1})` : ''}; strict loaders reject this file, the last value is used`,
          iss.offset,
          Math.max(keyEnd, iss.offset + 1),
          first ? { related: [{ file, range: index.range(iss.firstOffset!, iss.firstOffset! + (iss.key?.length ?? 0)), message: 'first occurrence' }], data: { key: iss.key } } : { data: { key: iss.key } },
        );
      } else if (iss.kind === 'tag') {
        r.finding('yaml-syntax', 'warning', iss.message, iss.offset, index.lineEnd(index.position(iss.offset).line));
      }
    }
    const root = tree.root ? deref(tree.root) : undefined;
    if (!root) {
      if (tree.clean && text.replace(/^\ufeff/, '').trim() !== '' && !/^\s*(#.*)?(\s*(---|\.\.\.)?\s*(#.*)?)*$/.test(text.replace(/^\ufeff/, ''))) {
        r.finding('yaml-shape', 'warning', 'The YAML holds no document', 0, 0);
      }
      return r.model;
    }
    if (root.kind !== 'map') {
      const what = root.kind === 'seq' ? 'a list' : root.kind === 'scalar' ? 'a single value' : 'an alias';
      r.finding('yaml-shape', 'warning', `The YAML top level is ${what}, not a mapping; no workflow, pipelines or agents can be read`, root.start, root.start);
      r.model.data = buildData(text, tree, r);
      return r.model;
    }
    const work = unwrapRoot(root);
    r.readWorkflow(work);
    r.readPaths(work);
    r.readMetrics(work);
    r.readWork(work);
    r.readLooseAgents(work);
    r.mergeBareAgents();
    r.readBarriers(work);
    r.readArtifacts(root);
    r.model.data = buildData(text, tree, r);
  } catch (err) {
    // Defensive: a bug here must not take the extension down; report it on line 1.
    r.finding('yaml-syntax', 'error', `Could not read the YAML: ${err instanceof Error ? err.message : String(err)}`, 0, 0);
  }
  return r.model;
}

/** A file that wraps everything in one key (`orchestration: {pipelines: ...}`) is read from inside it. */
function unwrapRoot(root: YMapNode): YMapNode {
  const has = (m: YMapNode) => m.pairs.some((p) => {
    const k = keyText(p.key);
    return k !== undefined && (PIPELINE_CONTAINERS.has(norm(k)) || PHASE_CONTAINERS.has(norm(k)) || BARRIER_CONTAINERS.has(norm(k)) || PIPELINE_SINGULAR.has(norm(k)));
  });
  if (has(root)) return root;
  for (const p of root.pairs) {
    const v = deref(p.value);
    if (v && v.kind === 'map' && has(v)) {
      return { ...root, pairs: [...root.pairs, ...v.pairs] };
    }
  }
  return root;
}

// ---------------------------------------------------------------- writing a value back

function resolvesAs(text: string): string | number | boolean | null {
  return resolveScalar({ kind: 'scalar', start: 0, end: text.length, text, style: 'plain' });
}

function doubleQuoted(value: string): string {
  // JSON's escapes are a subset of YAML's double-quoted escapes.
  return JSON.stringify(value);
}

/** Source text for `value` written in the same style as `like` (quotes kept; plain only when it stays the same value). */
export function yamlScalarText(value: string, like: YamlScalar): string {
  switch (like.style) {
    case 'double':
      return doubleQuoted(value);
    case 'single':
      return /[\r\n]/.test(value) ? doubleQuoted(value) : `'${value.replace(/'/g, "''")}'`;
    case 'plain': {
      const safe =
        value.length > 0 &&
        value === value.trim() &&
        !/[\r\n\t]/.test(value) &&
        !/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
        !/:(\s|$)/.test(value) &&
        !/\s#/.test(value);
      if (!safe) return doubleQuoted(value);
      const as = resolvesAs(value);
      // Keep a number a number (`phases_complete: 4` -> `5`), but never turn a word into a bool/null.
      if (typeof as === 'string') return value;
      if (like.value !== null && typeof like.value !== 'string' && typeof as === typeof like.value) return value;
      return doubleQuoted(value);
    }
    default:
      // A block scalar's indentation depends on context; a double-quoted flow scalar fits the same range.
      return doubleQuoted(value);
  }
}
