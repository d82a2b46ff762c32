/**
 * `parseYaml`: reads ORCHESTRATION.yaml into the typed YamlModel, keeping the exact source range of
 * every scalar it reports. Built on js-yaml's event parser (offsets), core schema only, nothing
 * executed. Never throws: syntax errors, duplicate keys, odd shapes and hostile input become
 * findings. Public through `./index.ts`.
 */
import { CORE_SCHEMA, constructFromEvents } from 'js-yaml';
import type { YamlModel } from '../model';
import { LineIndex } from '../text';
import { MAX_DEPTH, deref, expandedSize } from './tree';
import type { YMapNode, YNode } from './tree';
import { keyText, norm, resolveScalar } from './scalars';
import { BARRIER_CONTAINERS, PHASE_CONTAINERS, PIPELINE_CONTAINERS, PIPELINE_SINGULAR } from './vocabulary';
import type { Reader } from './reader';
import { WorkReader } from './work';
import { readTree, type TreeResult } from './recover';

/** Alias bound for js-yaml's constructor (its default is unlimited). */
const MAX_ALIASES = 1000;
/** Above this many nodes with aliases expanded, `data` is withheld (billion laughs). */
const MAX_EXPANDED_NODES = 2_000_000;

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
  const r = new WorkReader(text, file, index);
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
    const error = err instanceof Error ? err.message : String(err);
    r.finding('internal-error', 'error', `Could not read the YAML: ${error}`, 0, 0, { data: { check: 'yaml', error } });
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
