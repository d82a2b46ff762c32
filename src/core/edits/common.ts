/**
 * What every edit in this folder shares: the Tracker's line index (built once per text), a range's
 * source text, a table cell's escaping, placeholders (`-`, `TBD`, `{ISO-8601}`), the most used of a
 * file's spellings, and `EditRefused` for requests an edit turns down. Private to `src/core/edits/`
 * (`mostCommon` and `EditRefused` are public through `./index.ts`).
 */
import type { Range } from '../model';
import { LineIndex } from '../text';

const indexCache = new WeakMap<object, LineIndex>();
export function indexOf(text: string, owner: object): LineIndex {
  let ix = indexCache.get(owner);
  if (!ix || ix.text !== text) {
    ix = new LineIndex(text);
    indexCache.set(owner, ix);
  }
  return ix;
}

export function slice(text: string, r: Range): string {
  return text.slice(r.start.offset, r.end.offset);
}

/**
 * The value written most often; ties go to the first to reach the count, unless `prefer(value,
 * best)` says the later one wins (the dashboard's widths prefer the larger).
 */
export function mostCommon<T>(values: readonly T[], prefer?: (value: T, best: T) => boolean): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN || (n === bestN && prefer !== undefined && prefer(v, best as T))) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

/** A cell value on one line: line breaks become spaces, a bare `|` is escaped. */
export function escapeCell(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

const PLACEHOLDER = /^(?:|-+|—|–|n\/?a|tbd|none|null|pending|\{[^}]*\}|\.\.\.|…|_+)$/i;

/** An empty or placeholder value (`-`, `—`, `TBD`, `{ISO-8601}`, `...`), markup aside. */
export function isPlaceholder(text: string | undefined): boolean {
  return text === undefined || PLACEHOLDER.test(text.replace(/[*`]/g, '').trim());
}

/** A request an edit refuses, with a stable code and the details an agent needs to retry. */
export class EditRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
