/**
 * Close matches for a missing path: files of the same name elsewhere under the root, ranked by the
 * written folders they keep, then by the leading folders they share with where the path was
 * expected; never one that swaps a distinguishing folder (`qg-2` for `qg-0`). Spelled relative to
 * the base that explains it best. Also `selfJoined`, the rule that keeps a base from being joined to
 * itself. Private to `src/core/paths/` (`selfJoined` and `Suggestion` are public through
 * `./index.ts`).
 */
import * as posix from 'node:path/posix';
import { isInside } from './tokens';
import { remembered } from '../memo';

/**
 * Whether a candidate (its folders) keeps the written path's distinguishing folders: none of them
 * is swapped for a sibling of the same shape (`qg-2` → `qg-0`, `phase-1` → `phase-3`), and at least
 * one is kept when there are any. A dropped folder (`tier-3`, the file moved up) is fine.
 */
function keepsDistinguishing(distinguishing: string[], segs: Set<string>): boolean {
  if (distinguishing.length === 0) return true;
  const segShapes = new Set<string>();
  for (const s of segs) segShapes.add(shape(s));
  let kept = 0;
  for (const d of distinguishing) {
    if (segs.has(d)) kept++;
    else if (segShapes.has(shape(d))) return false;
  }
  return kept > 0;
}

/** A folder name with its numbers blanked (`qg-2` → `qg-#`); folder names repeat, so each is shaped once. */
const shape = remembered((x) => x.replace(/\d+/g, '#'), { longest: Infinity });

/** A close match for a missing path, with the alternatives, most similar first. */
export interface Suggestion {
  abs: string;
  suggestion: string;
  suggestions: string[];
  preferred: boolean;
}

/** Shared written folders, shared leading folders with where it was expected, closeness in depth. */
type Score = [number, number, number];

function compareScore(a: Score, b: Score): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether joining `rel` to a base (given root-relative) would repeat the base inside itself: the
 * base's last folders are the path's first ones (`projects/X` + `projects/X/a.md`). One shared
 * folder counts only when it is the whole base (`docs` + `docs/a.md`).
 */
export function selfJoined(baseRel: string, rel: string[]): boolean {
  const b = baseRel && baseRel !== '.' ? baseRel.split('/') : [];
  for (let k = Math.min(b.length, rel.length - 1); k >= 1; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = b[b.length - k + i] === rel[i];
    if (same && (k >= 2 || k === b.length)) return true;
  }
  return false;
}

function commonPrefix(as: string[], bs: string[]): number {
  let n = 0;
  while (n < as.length && n < bs.length && as[n] === bs[n]) n++;
  return n;
}

/**
 * A close existing match for a missing relative path `rel`: a file with the same name elsewhere
 * (`byName`), the one sharing most leading folders with where it was expected (`candidatePlaces`,
 * the places the resolver tried). The suggestion keeps the original's style (relative to the base
 * that explains it best).
 */
export function closeMatch(
  rel: string,
  byName: Map<string, string[]>,
  candidatePlaces: readonly { abs: string; base: string }[],
  root: string,
  prefixes: readonly { prefix: string; dir: string }[],
): Suggestion | undefined {
  const name = posix.basename(rel.replace(/\/$/, ''));
  const matches = byName.get(name) ?? [];
  if (matches.length === 0) return undefined;
  const prefixOf = new Map(prefixes.map((x) => [x.dir, x.prefix]));
  const written = posix.normalize(rel).split('/').slice(0, -1).filter((x) => x && x !== '.' && x !== '..');
  // Folders naming one thing among siblings (`qg-2`, `tier-3`, `phase-1`, `task001`) must be kept:
  // the same file name under another gate or phase is a different artifact, not a fix.
  // (`keepsDistinguishing` above.)
  const distinguishing = written.filter((x) => /\d/.test(x));
  // Split each candidate once: a common name (`report.md`) can match thousands of files.
  const candidates = candidatePlaces.filter((c) => isInside(root, c.abs)).map((c) => ({ ...c, segs: c.abs.split('/') }));
  const ranked: { abs: string; base: string; prefix?: string; score: Score }[] = [];
  for (const m of matches) {
    const ms = m.split('/');
    const inRoot = new Set(ms);
    if (!keepsDistinguishing(distinguishing, inRoot)) continue;
    const shared = written.filter((x) => inRoot.has(x)).length;
    let best: { abs: string; base: string; prefix?: string; score: Score } | undefined;
    for (const c of candidates) {
      if (!isInside(c.base, m)) continue;
      const score: Score = [shared, commonPrefix(c.segs, ms), -Math.abs(c.segs.length - ms.length)];
      // A prefix candidate keeps the prefix in the suggestion, as the original was written.
      const p = prefixOf.get(c.base);
      const prefix = p && rel.startsWith(p) ? p : undefined;
      if (!best || compareScore(score, best.score) > 0) best = { abs: m, base: c.base, prefix, score };
    }
    if (best) ranked.push(best);
  }
  if (ranked.length === 0) return undefined;
  ranked.sort((a, b) => compareScore(b.score, a.score) || a.abs.localeCompare(b.abs));
  const spell = (x: (typeof ranked)[number]): string => {
    let suggestion = posix.relative(x.base, x.abs);
    if (x.prefix) suggestion = posix.join(x.prefix, suggestion);
    if (rel.startsWith('./')) suggestion = './' + suggestion;
    return suggestion;
  };
  const suggestions = [...new Set(ranked.slice(0, 3).map(spell))];
  // Two matches keeping as many of the written folders at the same depth: neither is "the" fix.
  const close = ranked.length > 1 && ranked[1].score[0] === ranked[0].score[0] && ranked[1].score[1] === ranked[0].score[1];
  return { abs: ranked[0].abs, suggestion: suggestions[0], suggestions, preferred: !close };
}
