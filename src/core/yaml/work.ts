/**
 * Work structure in the YAML: pipelines (or tracks, streams), phases (or stages, waves) and agents
 * (or tasks, workers) wherever they sit, including nested groups, bare ids in work lists and
 * mapping agents in the execution queue. Each node is read once, so aliases cannot multiply agents.
 * Private to `src/core/yaml/`.
 */
import type { YamlAgent, YamlPhase, YamlPipeline, YamlScalar } from '../model';
import { isPathValue } from '../paths';
import { firstPerId } from '../units';
import { MAX_DEPTH, deref } from './tree';
import type { YMapNode, YNode } from './tree';
import { keyText, norm, firstInt, resolveScalar } from './scalars';
import {
  AGENT_ARTIFACT_KEYS,
  AGENT_CONTAINERS,
  AGENT_SINGULAR,
  BARE_AGENT_CONTAINERS,
  BARRIER_CONTAINERS,
  COMPLETED_KEYS,
  ID_KEYS,
  NOT_WORK,
  PHASE_CONTAINERS,
  PIPELINE_CONTAINERS,
  PIPELINE_SINGULAR,
  STARTED_KEYS,
  STATUS_KEYS,
  isArtifactKey,
} from './vocabulary';
import { Reader } from './reader';

interface Ctx {
  pipeline?: string;
  phase?: number;
}

export class WorkReader extends Reader {
  private readonly walked = new Set<YNode>();
  private readonly readItems = new Set<YNode>();
  private readonly bareAgents: YamlAgent[] = [];

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
    const mapped = new Set(this.model.agents.map((a) => a.id));
    this.model.agents.push(...firstPerId(this.bareAgents.filter((a) => !mapped.has(a.id)), (a) => a.id));
  }
}
