/**
 * Table cells: edits that change some cells of one table. An aligned table stays aligned (a wider
 * value widens its whole column, delimiter dashes included); a ragged one only gets the changed
 * cells. Public through `./index.ts` (`tableEdits`, `CellChange`: the metrics check and the
 * artifact edit write cells the same way).
 */
import type { Table, TableRow, TextEdit, Tracker } from '../model';
import type { LineIndex } from '../text';
import { displayWidth } from '../width';
import { escapeCell, indexOf, slice } from './common';

export interface CellChange {
  row: TableRow;
  col: number;
  text: string;
}

/** The first and last pipe-delimited segments of a table line, as offsets (for the delimiter row). */
function splitRowLine(line: string): { start: number; end: number }[] {
  const cells: { start: number; end: number }[] = [];
  let i = line.indexOf('|');
  if (i < 0) return cells;
  // A row may omit the leading pipe; the parser's cells tell us, but the delimiter row has none.
  if (line.slice(0, i).trim() !== '') {
    cells.push({ start: 0, end: i });
  }
  for (;;) {
    let j = i + 1;
    while (j < line.length && !(line[j] === '|' && line[j - 1] !== '\\')) j++;
    if (j >= line.length) {
      if (line.slice(i + 1).trim() !== '') cells.push({ start: i + 1, end: line.length });
      break;
    }
    cells.push({ start: i + 1, end: j });
    i = j;
  }
  return cells;
}

/**
 * Edits that change some cells of one table. An aligned table stays aligned: a wider value widens
 * its column in every row (delimiter dashes included), a narrower one is padded to the old width.
 * A ragged table only gets the changed cells replaced, each keeping its own padding.
 */
export function tableEdits(tracker: Tracker, table: Table, changes: readonly CellChange[]): TextEdit[] {
  const valid = changes.filter((c) => c.row.cells[c.col] !== undefined);
  if (!table.aligned) return raggedEdits(tracker, valid);
  const byCol = new Map<number, CellChange[]>();
  for (const c of valid) {
    if (!byCol.has(c.col)) byCol.set(c.col, []);
    byCol.get(c.col)!.push(c);
  }
  return [...byCol].flatMap(([col, colChanges]) => alignedColumnEdits(tracker, table, col, colChanges));
}

/** A ragged table: each changed cell replaced, keeping its own padding. */
function raggedEdits(tracker: Tracker, changes: readonly CellChange[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const c of changes) {
    const cell = c.row.cells[c.col];
    const value = escapeCell(c.text);
    if (cell.text === value) continue;
    const outerText = slice(tracker.text, cell.outer);
    if (cell.text === '' && !/\s/.test(outerText)) {
      // `||` has no padding to keep: give the new value the usual one space each side.
      edits.push({ file: tracker.file, range: cell.outer, newText: ` ${value} ` });
    } else {
      edits.push({ file: tracker.file, range: cell.range, newText: value });
    }
  }
  return edits;
}

/** One column of an aligned table: the changed cells padded to the column width, widened everywhere when needed. */
function alignedColumnEdits(tracker: Tracker, table: Table, col: number, colChanges: readonly CellChange[]): TextEdit[] {
  const text = tracker.text;
  const edits: TextEdit[] = [];
  const changed = colChanges.filter((c) => escapeCell(c.text) !== c.row.cells[col].text);
  if (changed.length === 0) return edits;
  const allRows = [table.header, ...table.rows];
  let colWidth = 0;
  for (const r of allRows) {
    const cell = r.cells[col];
    if (cell) colWidth = Math.max(colWidth, displayWidth(slice(text, cell.outer)));
  }
  const planned = changed.map((c) => {
    const cell = c.row.cells[col];
    const lead = text.slice(cell.outer.start.offset, cell.range.start.offset);
    const trail = text.slice(cell.range.end.offset, cell.outer.end.offset);
    const value = escapeCell(c.text);
    const minTrail = trail.length > 0 ? 1 : 0;
    return { c, cell, lead: lead === '' && cell.text === '' ? ' ' : lead, value, need: displayWidth(lead) + displayWidth(value) + minTrail };
  });
  const newWidth = Math.max(colWidth, ...planned.map((p) => p.need));
  const changedRows = new Set(planned.map((p) => p.c.row));
  for (const p of planned) {
    const body = p.lead + p.value;
    edits.push({ file: tracker.file, range: p.cell.outer, newText: body + ' '.repeat(Math.max(0, newWidth - displayWidth(body))) });
  }
  if (newWidth > colWidth) {
    for (const r of allRows) {
      if (changedRows.has(r)) continue;
      const cell = r.cells[col];
      if (!cell) continue;
      const pad = newWidth - displayWidth(slice(text, cell.outer));
      if (pad > 0) edits.push({ file: tracker.file, range: { start: cell.outer.end, end: cell.outer.end }, newText: ' '.repeat(pad) });
    }
    edits.push(...delimiterEdits(tracker, indexOf(text, tracker), table, col, newWidth));
  }
  return edits;
}

/** The delimiter row is not part of the model: its segment for `col` is found by pipes and given more dashes. */
function delimiterEdits(tracker: Tracker, ix: LineIndex, table: Table, col: number, newWidth: number): TextEdit[] {
  const delimLine = table.header.range.start.line + 1;
  if (delimLine >= ix.lineCount) return [];
  const line = ix.lineText(delimLine);
  const segs = splitRowLine(line);
  const headerSegs = splitRowLine(ix.lineText(table.header.range.start.line));
  // Align segment indexes when the header has a leading pipe and the delimiter not (or vice versa).
  const shift = headerSegs.length - segs.length;
  const seg = segs[col - Math.max(0, shift)];
  if (!seg || !/^[\s:-]*$/.test(line.slice(seg.start, seg.end))) return [];
  const segText = line.slice(seg.start, seg.end);
  const lastDash = segText.lastIndexOf('-');
  const at = lastDash >= 0 ? seg.start + lastDash + 1 : seg.end;
  const pad = newWidth - displayWidth(segText);
  if (pad <= 0) return [];
  const pos = ix.position(ix.lineStarts[delimLine] + at);
  return [{ file: tracker.file, range: { start: pos, end: pos }, newText: '-'.repeat(pad) }];
}

export function cellEdit(row: TableRow, col: number | undefined, value: string): CellChange | undefined {
  if (col === undefined || row.cells[col] === undefined) return undefined;
  return { row, col, text: value };
}

/** Groups cell changes by table and returns the edits for all of them. */
export function editCells(tracker: Tracker, changes: readonly { table: Table; change: CellChange }[]): TextEdit[] {
  const byTable = new Map<Table, CellChange[]>();
  for (const { table, change } of changes) {
    if (!byTable.has(table)) byTable.set(table, []);
    byTable.get(table)!.push(change);
  }
  const out: TextEdit[] = [];
  for (const [table, list] of byTable) out.push(...tableEdits(tracker, table, list));
  return out;
}

export function findTableOfRow(tracker: Tracker, row: TableRow): Table | undefined {
  const off = row.range.start.offset;
  return tracker.tables.find((t) => t.range.start.offset <= off && off <= t.range.end.offset && (t.header === row || t.rows.includes(row)))
    ?? tracker.tables.find((t) => t.range.start.offset <= off && off < t.range.end.offset);
}
