/**
 * Scalar values of the YAML tree: their core-schema value (null, bool, number or string), key text
 * and its normalised form for matching, and the way back: source text for a new value written in
 * an existing scalar's style. Pure; `yamlScalarText` is public through `./index.ts` (the edits use
 * it), the rest is private to `src/core/yaml/`.
 */
import { CORE_SCHEMA, NOT_RESOLVED } from 'js-yaml';
import type { YamlScalar } from '../model';
import { deref } from './tree';
import type { YNode, YScalarNode } from './tree';

const CORE_PREFIX = 'tag:yaml.org,2002:';

/** The core-schema value of a scalar: plain scalars resolve to null/bool/int/float, the rest stay strings. */
export function resolveScalar(n: YScalarNode): string | number | boolean | null {
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
export function norm(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export function keyText(n: YNode): string | undefined {
  const d = deref(n);
  return d && d.kind === 'scalar' ? d.text : undefined;
}

export function firstInt(s: string): number | undefined {
  const m = /\d+/.exec(s);
  return m ? Number(m[0]) : undefined;
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
