/**
 * The YAML reader's base: looking values up in the node tree (normalised keys, `<<` merges, the last
 * duplicate wins), turning scalars into `YamlScalar`s with their source ranges, findings, and the
 * parts of the file that are not work structure: workflow, `paths.base`, metrics, barriers and every
 * path-like artifact value. Pipelines, phases and agents are read by `WorkReader` (`work.ts`).
 * Private to `src/core/yaml/`.
 */
import type { Finding, Range, YamlBarrier, YamlModel, YamlScalar } from '../model';
import type { LineIndex } from '../text';
import { isPathValue } from '../paths';
import { MAX_DEPTH, deref } from './tree';
import type { YMapNode, YNode, YPair } from './tree';
import { keyText, norm, firstInt, resolveScalar } from './scalars';
import { BARRIER_CONTAINERS, BARRIER_FALLBACK_CONTAINERS, STATUS_KEYS, isArtifactKey } from './vocabulary';

export class Reader {
  readonly findings: Finding[] = [];
  readonly model: YamlModel;
  /** Work-walk budget: nodes visited while looking for phases/agents (bounded on hostile input). */
  protected budget: number;

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

  nodeRange(node: YNode, keyNode?: YNode): Range {
    const k = keyNode ? deref(keyNode) : undefined;
    return this.range(k && k.start < node.start ? k.start : node.start, node.end);
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
