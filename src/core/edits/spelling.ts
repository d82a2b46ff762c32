/**
 * How a status is written back: in the spelling the file's peers already use for it, else in the
 * file's dialect and the previous value's shape (its markup kept, an old suffix dropped). Private to
 * `src/core/edits/`.
 */
import type { Status, StatusValue, Tracker } from '../model';
import { spellStatus, splitStatus } from '../status';
import { mostCommon } from './common';

/** Markup around a status (`**DONE**`) is kept; explanatory text around it is not. */
const MARKUP_ONLY = /^[\s*_`~]*$/;

/** The status core of a raw text, without markup or suffix (`✅ DONE (x)` -> `✅ DONE`). */
function coreOf(raw: string): string {
  const p = splitStatus(raw);
  return raw.slice(p.start, p.end).replace(/[*`~]/g, '').trim();
}

/**
 * How to write `status` where `previousRaw` stood: the spelling its peers (same kind of element in
 * this file) already use for that status, else the file dialect in the previous text's shape. A
 * suffix describing the old status (`(2026-02-11T14:25)`, `(by Phase 1)`) is dropped; markup kept.
 */
export function spellLike(tracker: Tracker, status: Status, previousRaw: string | undefined, peers: readonly StatusValue[], emojiAllowed = true): string {
  // A percentage (`🟡 50%`) or `PHASE_2_…` says where work is, not how the file spells the status.
  const spellable = (raw: string): boolean => {
    const w = splitStatus(raw).word;
    return !w || !/^(\d|phase)/i.test(w);
  };
  const same = peers.filter((p) => p.status === status && spellable(p.raw)).map((p) => coreOf(p.raw)).filter((s) => s !== '');
  let core = mostCommon(same);
  if (core === undefined) {
    core = spellStatus(tracker.dialect, status, previousRaw && previousRaw.trim() !== '' ? previousRaw : undefined);
    if (!previousRaw || previousRaw.trim() === '') {
      // No shape to follow: an element kind that never shows emoji (headings) gets the bare word.
      const anyEmoji = peers.some((p) => splitStatus(p.raw).emoji);
      if (!emojiAllowed || (peers.length > 0 && !anyEmoji)) core = stripEmoji(core, status);
    }
  }
  if (!previousRaw) return core;
  const p = splitStatus(previousRaw);
  if (p.status === 'UNKNOWN') return core;
  const before = previousRaw.slice(0, p.start);
  const after = previousRaw.slice(p.end);
  // Only wrapping markup survives; leading/trailing whitespace belongs to the cell, not the status.
  const pre = MARKUP_ONLY.test(before) ? before.trimStart() : '';
  const post = MARKUP_ONLY.test(after) ? after.trimEnd() : '';
  return pre + core + post;
}

function stripEmoji(spelled: string, status: Status): string {
  const p = splitStatus(spelled);
  if (p.word) return p.word;
  return status;
}
