/**
 * Checklist boxes: only the character inside `[ ]` changes. Public through `./index.ts`.
 */
import type { ChecklistItem, TextEdit, Tracker } from '../model';
import { mostCommon, slice } from './common';

/** Only the character inside `[ ]` changes; an upper-case `X` is used when the file prefers it. */
export function setArtifactChecked(tracker: Tracker, item: ChecklistItem, checked: boolean): TextEdit[] {
  if (item.checked === checked) return [];
  const current = slice(tracker.text, item.checkRange);
  if (current.length !== 1 && item.checkRange.end.offset - item.checkRange.start.offset !== 1) return [];
  let mark = ' ';
  if (checked) {
    const marks = tracker.checklist.filter((c) => c.checked).map((c) => slice(tracker.text, c.checkRange));
    mark = mostCommon(marks) === 'X' ? 'X' : 'x';
  }
  return [{ file: tracker.file, range: item.checkRange, newText: mark }];
}
