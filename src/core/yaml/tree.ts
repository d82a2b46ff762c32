/**
 * A YAML node tree built from js-yaml's parser events, keeping source offsets (the AST from
 * `eventsToAst` drops them). Self-contained: no imports from the rest of core, so the folder can
 * stay below `src/core/` under the lint rule that forbids `../` imports.
 */
import { EVENT_ID, SCALAR_STYLE, parseEvents, getScalarValue } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';

export type ScalarStyleName = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface YScalarNode {
  kind: 'scalar';
  /** Source range including quotes / block indicator. */
  start: number;
  end: number;
  /** Decoded text. */
  text: string;
  style: ScalarStyleName;
  tag?: string;
  tagOffset?: number;
  anchor?: string;
}

export interface YPair {
  key: YNode;
  value: YNode;
}

export interface YMapNode {
  kind: 'map';
  start: number;
  end: number;
  pairs: YPair[];
  tag?: string;
  tagOffset?: number;
  anchor?: string;
}

export interface YSeqNode {
  kind: 'seq';
  start: number;
  end: number;
  items: YNode[];
  tag?: string;
  tagOffset?: number;
  anchor?: string;
}

export interface YAliasNode {
  kind: 'alias';
  start: number;
  end: number;
  name: string;
  /** The anchored node, when it was defined before the alias. */
  target?: YNode;
}

export type YNode = YScalarNode | YMapNode | YSeqNode | YAliasNode;

export interface YDocument {
  root: YNode | null;
}

export interface TreeIssue {
  kind: 'syntax' | 'duplicate-key' | 'tag';
  message: string;
  offset: number;
  /** For duplicate keys: offset of the first occurrence. */
  firstOffset?: number;
  key?: string;
}

/** Safety bounds: js-yaml's default depth (100) is fine for real files, but we go lower and fail fast. */
export const MAX_DEPTH = 64;

const STYLE_NAMES: Record<number, ScalarStyleName> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

/** Tags of the core schema (and the harmless `!!str`-like ones); anything else is reported, never constructed. */
const KNOWN_TAGS = new Set(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!', '!!binary', '!!timestamp']);

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Source range of a scalar: quotes and block headers included, trailing line breaks of blocks excluded. */
function scalarRange(text: string, e: ScalarEvent, style: ScalarStyleName): [number, number] {
  let s = e.valueStart;
  let t = e.valueEnd;
  if (style === 'single' || style === 'double') {
    const q = style === 'single' ? "'" : '"';
    if (text[s - 1] === q) s--;
    if (text[t] === q) t++;
    return [s, t];
  }
  if (style === 'literal' || style === 'folded') {
    const ind = style === 'literal' ? '|' : '>';
    // The header (`|`, `>-`, `|2+`) sits on the line before the content; search back to it.
    const limit = Math.max(0, s - 4096);
    let i = s - 1;
    while (i >= limit && text[i] !== ind) i--;
    if (i >= limit) s = i;
    while (t > s && isWs(text.charCodeAt(t - 1))) t--;
    return [s, t];
  }
  return [s, t];
}

/**
 * Parses `text` (or `text.slice(from, to)`, offsets stay absolute) into documents.
 * Throws js-yaml's exception on a syntax error; the caller recovers.
 */
export function buildDocuments(text: string, from = 0, to = text.length): { docs: YDocument[]; issues: TreeIssue[]; events: Event[] } {
  const src = from === 0 && to === text.length ? text : text.slice(from, to);
  const events: Event[] = parseEvents(src, { maxDepth: MAX_DEPTH });
  const issues: TreeIssue[] = [];
  const docs: YDocument[] = [];
  const anchors = new Map<string, YNode>();
  type Open = { node: YMapNode | YSeqNode | null; pending?: YNode; keys?: Map<string, number> };
  const stack: Open[] = [];
  let doc: YDocument | null = null;

  const tagOf = (e: { tagStart: number; tagEnd: number }): string | undefined =>
    e.tagStart >= 0 ? src.slice(e.tagStart, e.tagEnd) : undefined;
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }): string | undefined =>
    e.anchorStart >= 0 ? src.slice(e.anchorStart, e.anchorEnd) : undefined;

  const checkTag = (tag: string | undefined, offset: number) => {
    const verbatimCore = /^!<tag:yaml\.org,2002:(str|int|float|bool|null|map|seq)>$/.test(tag ?? '');
    if (tag !== undefined && !KNOWN_TAGS.has(tag) && !verbatimCore) {
      issues.push({ kind: 'tag', message: `unsupported tag ${tag} ignored (never executed); the value is read as plain data`, offset });
    }
  };

  const attach = (node: YNode) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (doc && doc.root === null) doc.root = node;
      return;
    }
    const parent = top.node;
    if (parent === null) {
      if (doc && doc.root === null) doc.root = node;
      return;
    }
    if (parent.kind === 'seq') {
      parent.items.push(node);
      return;
    }
    if (top.pending === undefined) {
      top.pending = node;
      return;
    }
    const key = top.pending;
    top.pending = undefined;
    if (key.kind === 'scalar') {
      top.keys ??= new Map();
      const prev = top.keys.get(key.text);
      if (prev !== undefined) {
        issues.push({ kind: 'duplicate-key', message: `duplicate key "${key.text}"`, offset: key.start, firstOffset: prev, key: key.text });
      } else top.keys.set(key.text, key.start);
    }
    parent.pairs.push({ key, value: node });
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        doc = { root: null };
        docs.push(doc);
        stack.push({ node: null });
        anchors.clear();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const tag = tagOf(e);
        const start = from + Math.min(e.start, e.anchorStart >= 0 ? e.anchorStart - 1 : e.start, e.tagStart >= 0 ? e.tagStart : e.start);
        const node: YMapNode | YSeqNode =
          e.type === EVENT_ID.MAPPING
            ? { kind: 'map', start, end: from + e.start, pairs: [] }
            : { kind: 'seq', start, end: from + e.start, items: [] };
        if (tag !== undefined) {
          node.tag = tag;
          node.tagOffset = from + e.tagStart;
          checkTag(tag, from + e.tagStart);
        }
        const anchor = anchorOf(e);
        if (anchor !== undefined) {
          node.anchor = anchor;
          anchors.set(anchor, node);
        }
        attach(node);
        stack.push({ node });
        break;
      }
      case EVENT_ID.SCALAR: {
        const style = STYLE_NAMES[e.style] ?? 'plain';
        const [s, t] = scalarRange(src, e, style);
        const node: YScalarNode = { kind: 'scalar', start: from + s, end: from + t, text: e.fast ? src.slice(e.valueStart, e.valueEnd) : getScalarValue(src, e), style };
        const tag = tagOf(e);
        if (tag !== undefined) {
          node.tag = tag;
          node.tagOffset = from + e.tagStart;
          checkTag(tag, from + e.tagStart);
        }
        const anchor = anchorOf(e);
        if (anchor !== undefined) {
          node.anchor = anchor;
          anchors.set(anchor, node);
        }
        attach(node);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = src.slice(e.anchorStart, e.anchorEnd);
        attach({ kind: 'alias', start: from + e.anchorStart - 1, end: from + e.anchorEnd, name, target: anchors.get(name) });
        break;
      }
      case EVENT_ID.POP: {
        const top = stack.pop();
        const node = top?.node;
        if (node) {
          const last = node.kind === 'map' ? node.pairs[node.pairs.length - 1]?.value : node.items[node.items.length - 1];
          let end = Math.max(node.end, last ? last.end : node.end);
          // A flow collection ends at its closing bracket.
          const close = node.kind === 'map' ? '}' : ']';
          if (src[node.start - from] === (node.kind === 'map' ? '{' : '[')) {
            let i = end - from;
            while (i < src.length && src[i] !== close) i++;
            if (i < src.length) end = from + i + 1;
          }
          node.end = end;
        }
        break;
      }
    }
  }
  return { docs, issues, events };
}

/** Follows aliases (bounded: a chain of aliases cannot loop because targets are defined earlier). */
export function deref(node: YNode | undefined): YNode | undefined {
  let n = node;
  for (let i = 0; n && n.kind === 'alias' && i < 64; i++) n = n.target;
  return n && n.kind === 'alias' ? undefined : n;
}

/**
 * Node count with aliases expanded, stopping as soon as it passes `limit`; guards consumers of
 * `data` against "billion laughs" documents (the tree itself shares aliased nodes).
 */
export function expandedSize(root: YNode, limit: number): number {
  const memo = new Map<YNode, number>();
  const size = (n: YNode, depth: number): number => {
    if (depth > MAX_DEPTH * 4) return limit + 1;
    const m = memo.get(n);
    if (m !== undefined) return m;
    let s = 1;
    if (n.kind === 'alias') s = n.target ? size(n.target, depth + 1) : 1;
    else if (n.kind === 'map') {
      for (const p of n.pairs) {
        s += size(p.key, depth + 1) + size(p.value, depth + 1);
        if (s > limit) break;
      }
    } else if (n.kind === 'seq') {
      for (const it of n.items) {
        s += size(it, depth + 1);
        if (s > limit) break;
      }
    }
    s = Math.min(s, limit + 1);
    memo.set(n, s);
    return s;
  };
  return size(root, 0);
}
