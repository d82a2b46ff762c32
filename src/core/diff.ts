import { applyEdits, LineIndex } from './text';
import type { TextEdit } from './model';

/**
 * A unified diff built from the edits themselves: each edit touches known lines, so the changed
 * regions are exact and no general diff algorithm is needed.
 */
export function unifiedDiff(label: string, oldText: string, edits: TextEdit[], context = 3): string {
  if (edits.length === 0) return '';
  const ix = new LineIndex(oldText);
  const sorted = [...edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
  // Line regions touched by edits, merged when they overlap or touch.
  const regions: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const e of sorted) {
    const from = ix.position(e.range.start.offset).line;
    const to = Math.max(from, ix.position(e.range.end.offset).line);
    const last = regions[regions.length - 1];
    if (last && from <= last.to + 1) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else regions.push({ from, to, edits: [e] });
  }
  const hunks: { from: number; to: number; regions: typeof regions }[] = [];
  for (const r of regions) {
    const last = hunks[hunks.length - 1];
    if (last && r.from - last.to - 1 <= 2 * context) {
      last.to = r.to;
      last.regions.push(r);
    } else hunks.push({ from: r.from, to: r.to, regions: [r] });
  }
  const out = [`--- a/${label}\n`, `+++ b/${label}\n`];
  const lineCount = ix.lineCount - (oldText.length > 0 && /\r?\n$|\r$/.test(oldText) ? 1 : 0);
  for (const h of hunks) {
    const start = Math.max(0, h.from - context);
    const end = Math.min(lineCount - 1, h.to + context);
    const body: string[] = [];
    let oldN = 0;
    let newN = 0;
    let cur = start;
    for (const r of h.regions) {
      for (; cur < r.from; cur++, oldN++, newN++) body.push(` ${ix.lineText(cur)}`);
      const s = ix.lineStarts[r.from];
      const e = ix.lineEnd(r.to);
      const oldSlice = oldText.slice(s, e);
      const newSlice = applyEdits(
        oldSlice,
        r.edits.map((x) => ({
          newText: x.newText,
          range: { start: { ...x.range.start, offset: x.range.start.offset - s }, end: { ...x.range.end, offset: Math.min(x.range.end.offset, e) - s } },
        })),
      );
      for (const l of oldSlice.split(/\r?\n|\r/)) {
        body.push(`-${l}`);
        oldN++;
      }
      for (const l of newSlice.split(/\r?\n|\r/)) {
        body.push(`+${l}`);
        newN++;
      }
      cur = r.to + 1;
    }
    for (; cur <= end; cur++, oldN++, newN++) body.push(` ${ix.lineText(cur)}`);
    out.push(`@@ -${start + 1},${oldN} +${start + 1},${newN} @@\n`, ...body.map((l) => l + '\n'));
  }
  return out.join('');
}
