/**
 * A YAML node tree built from js-yaml's parser events, keeping source offsets (the AST from
 * `eventsToAst` drops them). Self-contained: no imports from the rest of core. Private to
 * `src/core/yaml/`.
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
  const b = new TreeBuilder(src, from);
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        b.document();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        b.collection(e, e.type === EVENT_ID.MAPPING ? 'map' : 'seq');
        break;
      case EVENT_ID.SCALAR:
        b.scalar(e);
        break;
      case EVENT_ID.ALIAS:
        b.alias(e);
        break;
      case EVENT_ID.POP:
        b.pop();
        break;
    }
  }
  return { docs: b.docs, issues: b.issues, events };
}

type Open = { node: YMapNode | YSeqNode | null; pending?: YNode; keys?: Map<string, number> };
type TagAndAnchor = { tagStart: number; tagEnd: number; anchorStart: number; anchorEnd: number };

/** The node tree under construction: one method per kind of parser event. */
class TreeBuilder {
  readonly docs: YDocument[] = [];
  readonly issues: TreeIssue[] = [];
  private readonly anchors = new Map<string, YNode>();
  private readonly stack: Open[] = [];
  private doc: YDocument | null = null;

  constructor(
    private readonly src: string,
    /** Offset of `src` in the whole text: every node range is absolute. */
    private readonly from: number,
  ) {}

  document(): void {
    this.doc = { root: null };
    this.docs.push(this.doc);
    this.stack.push({ node: null });
    this.anchors.clear();
  }

  collection(e: TagAndAnchor & { start: number }, kind: 'map' | 'seq'): void {
    const from = this.from;
    const start = from + Math.min(e.start, e.anchorStart >= 0 ? e.anchorStart - 1 : e.start, e.tagStart >= 0 ? e.tagStart : e.start);
    const node: YMapNode | YSeqNode = kind === 'map' ? { kind: 'map', start, end: from + e.start, pairs: [] } : { kind: 'seq', start, end: from + e.start, items: [] };
    this.decorate(node, e);
    this.attach(node);
    this.stack.push({ node });
  }

  scalar(e: ScalarEvent): void {
    const { src, from } = this;
    const style = STYLE_NAMES[e.style] ?? 'plain';
    const [s, t] = scalarRange(src, e, style);
    const node: YScalarNode = { kind: 'scalar', start: from + s, end: from + t, text: e.fast ? src.slice(e.valueStart, e.valueEnd) : getScalarValue(src, e), style };
    this.decorate(node, e);
    this.attach(node);
  }

  alias(e: { anchorStart: number; anchorEnd: number }): void {
    const name = this.src.slice(e.anchorStart, e.anchorEnd);
    this.attach({ kind: 'alias', start: this.from + e.anchorStart - 1, end: this.from + e.anchorEnd, name, target: this.anchors.get(name) });
  }

  pop(): void {
    const node = this.stack.pop()?.node;
    if (!node) return;
    const { src, from } = this;
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

  /** A node's tag (checked against the core schema) and anchor (remembered for later aliases). */
  private decorate(node: YScalarNode | YMapNode | YSeqNode, e: TagAndAnchor): void {
    if (e.tagStart >= 0) {
      const tag = this.src.slice(e.tagStart, e.tagEnd);
      node.tag = tag;
      node.tagOffset = this.from + e.tagStart;
      const verbatimCore = /^!<tag:yaml\.org,2002:(str|int|float|bool|null|map|seq)>$/.test(tag);
      if (!KNOWN_TAGS.has(tag) && !verbatimCore) {
        this.issues.push({ kind: 'tag', message: `unsupported tag ${tag} ignored (never executed); the value is read as plain data`, offset: node.tagOffset });
      }
    }
    if (e.anchorStart >= 0) {
      const anchor = this.src.slice(e.anchorStart, e.anchorEnd);
      node.anchor = anchor;
      this.anchors.set(anchor, node);
    }
  }

  /** Puts a finished node where it belongs: document root, list item, a mapping's key, or its value. */
  private attach(node: YNode): void {
    const top = this.stack[this.stack.length - 1];
    const parent = top?.node ?? null;
    if (!top || parent === null) {
      if (this.doc && this.doc.root === null) this.doc.root = node;
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
        this.issues.push({ kind: 'duplicate-key', message: `duplicate key "${key.text}"`, offset: key.start, firstOffset: prev, key: key.text });
      } else top.keys.set(key.text, key.start);
    }
    parent.pairs.push({ key, value: node });
  }
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
