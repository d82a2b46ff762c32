/**
 * Units of layouts beyond the template: key/value sections under a unit's heading (`### TASK-014`
 * over `| Field | Value |`), a heading over placeholder rows, an id heading with a status key line
 * under it and no units beneath (`**Status:** ⬜ READY | **Effort:** 2h`), rows of status tables
 * that are not agent tables (tasks, artifact rows, gates, barriers, phases). Read during the pass (`pass.ts`),
 * whose state they extend; used only by it.
 */
import { toStatus } from '../status';
import { LOOKALIKE_ID, UNIT_ID, headingUnit, phaseNumberIn } from './headings';
import {
  ID_LIKE,
  LOOKALIKE_KEY,
  MEANINGS,
  STATUS_LIKE,
  TOTALS,
  cellStatus,
  cleanId,
  isPlaceholder,
  lineRange,
  normalizeHeader,
  plainHeader,
} from './tables';
import { artifactsIn, extraCells } from './templates';
import { ownStatus } from './statuses';
import type { Pass } from './pass';
import type { Agent, Barrier, Cell, Gate, Heading, Phase, PipelineGroup, Range, StatusValue, Table, TableRow } from '../model';

/** A phase or barrier read from a row, placed once every heading is read. */
export interface Deferred {
  kind: 'phase' | 'barrier';
  id: string;
  title: string;
  sv: StatusValue | undefined;
  row: TableRow;
  range: Range;
}

/** An id heading with a status key line under it, a unit once its section closes with no units beneath it. */
export interface KeyLine {
  heading: Heading;
  id: string;
  title: string;
  idStart: number;
  idEnd: number;
  sv: StatusValue;
  /** 0-based line of the key line. */
  line: number;
  /** `Pass.unitCount` when the heading was read. */
  unitsAt: number;
  phase: Phase | undefined;
  /** Heading words around the unit (below its phase when under one), lower case. */
  context: string;
}

/** What a unit with this id (and these surrounding words) is. */
function unitKindFor(id: string | undefined, context: string): 'agent' | 'phase' | 'barrier' | 'gate' {
  if (id && /^(?:QG|GATE|G|QGATE|QA)-?(?:\d+[A-Za-z]?|FINAL)$/i.test(id)) return 'gate';
  if (id && /^(?:B|BAR|BARRIER|SB|SYNC)-?\d+$/i.test(id)) return 'barrier';
  if (id && /^(?:PH|PHASE)-?\d+$/i.test(id)) return 'phase';
  if (/\b(?:quality\s+)?gates?\b/i.test(context)) return 'gate';
  if (/\b(?:barriers?|sync points?)\b/i.test(context)) return 'barrier';
  return 'agent';
}

/** Columns of a status table read row by row. */
interface RowColumns {
  statusCol: number;
  /** Undefined: no id column, the rows may be a heading unit's placeholder rows. */
  idCol: number | undefined;
  phaseRows: boolean;
  context: string;
  artifactRow: boolean;
}

export class Units {
  constructor(private readonly p: Pass) {}

  /** Tables of other layouts; true when the table was consumed (no further handling by its kind). */
  table(t: Table): boolean {
    if (t.kind === 'metadata' || t.kind === 'metrics') return this.keyValue(t);
    if (t.kind === 'other') this.rows(t);
    return false;
  }

  /** Adds a unit of another layout as an agent of `tracker.agents` (`at`: the phase and words where it was written, when read later). */
  private addUnit(agent: Agent, group?: PipelineGroup, groupTitle?: string, at?: { phase: Phase | undefined; context: string }): void {
    const p = this.p;
    const phase = at ? at.phase : p.openPhase()?.phase;
    agent.kind = 'agent';
    if (phase) agent.phase = phase.number;
    else {
      const n = phaseNumberIn(groupTitle ?? at?.context ?? p.sectionInfo().context);
      if (n !== undefined) agent.phase = n;
    }
    if (groupTitle) agent.pipeline = groupTitle;
    if (agent.status.raw) p.statusSamples.push(agent.status.raw);
    p.register(agent, phase, group);
  }

  /** A Cell for the id part of a heading (`TASK-014` of `### TASK-014: Schema Migration`). */
  private headingIdCell(h: Heading, start: number, end: number): Cell {
    const s = h.range.start.offset + start;
    const e = h.range.start.offset + end;
    const r = this.p.r.range(s, e);
    return { text: this.p.r.text.slice(s, e), range: r, outer: r };
  }

  /** A gate, barrier or phase unit found in a row or a key/value section. */
  private addOther(
    kind: 'phase' | 'barrier' | 'gate',
    id: string,
    title: string,
    statusCell: Cell | undefined,
    row: TableRow,
    heading: Heading | undefined,
    range: Range,
    phase: Phase | undefined = this.p.openPhase()?.phase,
  ): void {
    const p = this.p;
    p.unitCount++;
    const sv = statusCell ? p.r.statusAt(statusCell.text, statusCell.range.start.offset) : undefined;
    if (sv) p.statusSamples.push(sv.raw);
    const line = row.range.start.line;
    p.readLines.add(line);
    if (kind === 'gate') {
      const g: Gate = { id, title, range, line };
      if (sv) g.status = sv;
      if (heading) g.heading = heading;
      g.row = row;
      if (phase) g.phase = phase.number;
      p.tracker.gates.push(g);
      return;
    }
    // Phases and barriers of rows are matched to headings once every heading is read (a summary table may come first).
    if (!heading) {
      p.deferred.push({ kind, id, title, sv, row, range });
      return;
    }
    this.placeOther({ kind, id, title, sv, row, range }, heading);
  }

  /** Places the phases and barriers of rows read before their headings; keeps both lists in document order. */
  placeDeferred(): void {
    const { deferred, tracker } = this.p;
    if (!deferred.length) return;
    for (const d of deferred) this.placeOther(d, undefined);
    tracker.phases.sort((a, b) => a.heading.range.start.offset - b.heading.range.start.offset);
    tracker.barriers.sort((a, b) => a.heading.range.start.offset - b.heading.range.start.offset);
  }

  private placeOther(d: Deferred, heading: Heading | undefined): void {
    const { kind, id, title, sv, row, range } = d;
    const tracker = this.p.tracker;
    const num = Number(/(\d+)/.exec(id)?.[1] ?? NaN);
    const own = sv && ownStatus(sv);
    if (kind === 'barrier') {
      const bid = /^(?:b|bar|barrier|sb|sync)-?\d+$/i.test(id) && Number.isFinite(num) ? `barrier-${num}` : id.toLowerCase();
      const existing = tracker.barriers.find((b) => b.id === bid);
      if (existing) {
        if (!existing.status && own && !existing.effectiveStatus) existing.effectiveStatus = own;
        return;
      }
      const b: Barrier = {
        number: Number.isFinite(num) ? num : tracker.barriers.length + 1,
        id: bid,
        title,
        heading: heading ?? { depth: 0, text: id, range: row.range },
        directions: [],
        checklist: [],
        range,
      };
      if (sv) b.status = sv;
      if (!heading) b.row = row;
      tracker.barriers.push(b);
      return;
    }
    if (!Number.isFinite(num)) return;
    const existing = tracker.phases.find((p) => p.number === num && p.kind === undefined);
    if (existing) {
      if (!existing.status && own && !existing.effectiveStatus) existing.effectiveStatus = own;
      return;
    }
    const p: Phase = { number: num, title, heading: heading ?? { depth: 0, text: id, range: row.range }, groups: [], agents: [], checklist: [], range };
    if (sv) p.status = sv;
    tracker.phases.push(p);
  }

  /** A phase or barrier heading over a key/value table takes its status from that Status row. */
  private sectionStatus(target: Phase | Barrier, h: Heading, row: TableRow, statusCell: Cell | undefined): true {
    const p = this.p;
    p.unitHeadings.add(h);
    p.readLines.add(row.range.start.line);
    const sv = statusCell && p.r.statusAt(statusCell.text, statusCell.range.start.offset);
    if (sv && !target.status) {
      target.status = sv;
      p.statusSamples.push(sv.raw);
    }
    return true;
  }

  /** The unit a heading with an id names, its status in `row`'s `statusCol` (key/value and placeholder forms). */
  private headingUnitOf(t: Table, row: TableRow, statusCol: number, shape: 'keyvalue' | 'heading', extraRows: TableRow[]): boolean {
    const p = this.p;
    const h = p.lastHeading;
    if (!h || h.depth < 2 || p.unitHeadings.has(h)) return false;
    const sec = p.sectionInfo();
    if (sec.excluded) return false;
    const statusCell = row.cells[statusCol];
    const po = p.openPhase();
    const bo = p.openBarrier();
    if (po && po.heading === h) return this.sectionStatus(po.phase!, h, row, statusCell);
    if (bo && bo.heading === h) return this.sectionStatus(bo.barrier!, h, row, statusCell);
    const hu = headingUnit(h.text);
    if (!hu || LOOKALIKE_ID.test(hu.id)) return false;
    p.unitHeadings.add(h);
    const kind = unitKindFor(hu.id, sec.context);
    const range = p.r.range(p.r.li.lineStarts[h.range.start.line], t.range.end.offset);
    if (kind !== 'agent') {
      this.addOther(kind, hu.id, hu.title, statusCell, row, h, range);
      return true;
    }
    const agent: Agent = {
      id: hu.id,
      idCell: this.headingIdCell(h, hu.start, hu.end),
      status: cellStatus(statusCell, row.range),
      artifacts: [],
      extra: {},
      row,
      table: t,
      shape,
      statusColumn: statusCol,
      heading: h,
    };
    if (hu.title) agent.title = hu.title;
    // Key/value rows naming the agent and the artifact.
    for (const r of extraRows) {
      const k = normalizeHeader(r.cells[0]?.text ?? '');
      const v = r.cells[1];
      if (!v || r === row) continue;
      if (k === 'agent' || k === 'agents' || k === 'agent id' || k === 'owner' || k === 'assignee') agent.extra[plainHeader(r.cells[0].text)] = v;
      else if (!agent.artifactCell && MEANINGS[k] === 'artifact') {
        agent.artifactCell = v;
        agent.artifacts = artifactsIn(p.r, v, hu.id);
      }
    }
    this.addUnit(agent);
    return true;
  }

  /** `#### EN-410: …` over a table whose rows are placeholders: the unit is the heading, its status the last status row. */
  headingOverRows(t: Table, statusCol: number | undefined): boolean {
    if (statusCol === undefined) return false;
    const lastHeading = this.p.lastHeading;
    if (!lastHeading || !headingUnit(lastHeading.text)) return false;
    let row: TableRow | undefined;
    let n = 0;
    for (const r of t.rows) {
      const c = r.cells[statusCol];
      if (c && !isPlaceholder(c.text) && toStatus(c.text) !== 'UNKNOWN') {
        row = r;
        n++;
      }
    }
    if (!row) return false;
    // Several rows: only iterations of the one unit (`| Iteration | … | Verdict |`), the last one wins.
    if (n > 1 && !/^(?:iteration|iter|round|cycle|attempt|pass|run)s?$/.test(normalizeHeader(t.header.cells[0]?.text ?? ''))) return false;
    return this.headingUnitOf(t, row, statusCol, 'heading', []);
  }

  /**
   * A status key line (`**Status:** ⬜ READY | **Effort:** 2h`) in a paragraph right under a heading
   * with a unit id, before any sub-heading: the heading is a candidate unit, decided when its section
   * closes (`closeKeyLines`).
   */
  keyLine(start: number, end: number): void {
    const p = this.p;
    const h = p.lastHeading;
    if (!h || h.depth < 2 || p.unitHeadings.has(h) || p.keyLines.some((k) => k.heading === h)) return;
    const po = p.openPhase();
    if (po?.heading === h || p.openBarrier()?.heading === h) return;
    const sec = p.sectionInfo();
    if (sec.excluded) return;
    const hu = headingUnit(h.text);
    if (!hu || LOOKALIKE_ID.test(hu.id)) return;
    const kl = p.r.statusKeyLine(start, end);
    if (!kl) return;
    const below = po ? p.stack.slice(p.stack.indexOf(po) + 1) : p.stack;
    p.keyLines.push({
      heading: h,
      id: hu.id,
      title: hu.title,
      idStart: hu.start,
      idEnd: hu.end,
      sv: kl.sv,
      line: kl.line,
      unitsAt: p.unitsAtHeading,
      phase: po?.phase,
      context: po ? below.map((o) => o.heading.text).join(' / ').toLowerCase() : sec.context,
    });
  }

  /**
   * Closes the candidate sections at `depth` or deeper (0: all). One with no units read beneath it
   * (no unit table of its own, no unit sub-heading) is a unit of shape `keyline`; one with units is
   * a group and stays as written.
   */
  closeKeyLines(depth: number): void {
    const p = this.p;
    while (p.keyLines.length && p.keyLines[p.keyLines.length - 1].heading.depth >= depth) {
      const k = p.keyLines.pop()!;
      if (p.unitCount > k.unitsAt || p.unitHeadings.has(k.heading)) continue;
      this.keyLineUnit(k);
    }
  }

  /** The unit of a key line: a synthetic one-cell row (the cell is exactly the status core) in a synthetic table. */
  private keyLineUnit(k: KeyLine): void {
    const p = this.p;
    const h = k.heading;
    p.unitHeadings.add(h);
    const li = p.r.li;
    const cell: Cell = { text: k.sv.raw, range: k.sv.range, outer: k.sv.range };
    const lineStart = li.lineStarts[k.line];
    const rowRange = lineRange(k.line, lineStart, lineStart, li.lineEnd(k.line));
    const row: TableRow = { cells: [cell], range: rowRange };
    const table: Table = { kind: 'other', header: { cells: [], range: rowRange }, rows: [row], columns: {}, extraColumns: {}, aligned: false, range: rowRange, heading: h.text };
    const kind = unitKindFor(k.id, k.context);
    if (kind !== 'agent') {
      this.addOther(kind, k.id, k.title, cell, row, h, p.r.range(li.lineStarts[h.range.start.line], rowRange.end.offset), k.phase);
      return;
    }
    const agent: Agent = {
      id: k.id,
      idCell: this.headingIdCell(h, k.idStart, k.idEnd),
      status: cellStatus(cell, rowRange),
      artifacts: [],
      extra: {},
      row,
      table,
      shape: 'keyline',
      statusColumn: 0,
      heading: h,
    };
    if (k.title) agent.title = k.title;
    this.addUnit(agent, undefined, undefined, { phase: k.phase, context: k.context });
  }

  /** Key/value tables (`Field | Value`, `Metric | Value`, `| Status | … |`) under a unit's heading. */
  private keyValue(t: Table): boolean {
    const c = t.columns;
    if (t.header.cells.length > 3) return false;
    const keyCol = c.field ?? c.metric ?? 0;
    const valCol = c.value ?? (keyCol === 0 ? 1 : 0);
    const headerIsKey = c.field === undefined && c.metric === undefined;
    const rows = headerIsKey ? [t.header, ...t.rows] : t.rows;
    const statusRow = rows.find((r) => STATUS_LIKE.test(normalizeHeader(r.cells[keyCol]?.text ?? '')));
    if (!statusRow || !statusRow.cells[valCol]) return this.gateSection(t);
    return this.headingUnitOf(t, statusRow, valCol, 'keyvalue', rows);
  }

  /** A gate section with no Status row: the gate is there, its status comes from elsewhere (the dashboard). */
  private gateSection(t: Table): boolean {
    const p = this.p;
    const h = p.lastHeading;
    const hu = h && h.depth >= 2 && !p.unitHeadings.has(h) ? headingUnit(h.text) : undefined;
    if (!h || !hu || unitKindFor(hu.id, '') !== 'gate' || p.sectionInfo().excluded || p.openBarrier()?.heading === h) return false;
    p.unitHeadings.add(h);
    p.unitCount++;
    const g: Gate = { id: hu.id, title: hu.title, heading: h, range: p.r.range(p.r.li.lineStarts[h.range.start.line], t.range.end.offset), line: h.range.start.line };
    const po = p.openPhase();
    if (po?.phase) g.phase = po.phase.number;
    p.tracker.gates.push(g);
    return true;
  }

  /** The status and id columns of a table read row by row; undefined when it is no such table. */
  private rowColumns(t: Table, context: string): RowColumns | undefined {
    const c = t.columns;
    const hdr = t.header.cells.map((x) => plainHeader(x.text));
    const norm = hdr.map(normalizeHeader);
    let statusCol = c.status ?? c.state;
    if (statusCol === undefined) {
      const k = norm.findIndex((h) => STATUS_LIKE.test(h));
      if (k >= 0) statusCol = k;
    }
    if (statusCol === undefined) return undefined;
    let idCol = c.agent ?? c.id;
    if (idCol === undefined) {
      const k = hdr.findIndex((h, i) => i !== statusCol && ID_LIKE.test(h));
      if (k >= 0) idCol = k;
    }
    let phaseRows = false;
    if (idCol === undefined && c.phase !== undefined && c.phase === 0) {
      idCol = c.phase;
      phaseRows = true;
    }
    const keyHeader = norm[idCol ?? 0] ?? '';
    if (LOOKALIKE_KEY.test(keyHeader) || (idCol === undefined && LOOKALIKE_KEY.test(norm[0] ?? ''))) return undefined;
    return {
      statusCol,
      idCol,
      phaseRows,
      context: `${keyHeader} ${norm.join(' ')} / ${context}`,
      artifactRow: idCol !== undefined && /^(?:#|no\.?|nr\.?|num)$/i.test(hdr[idCol]) && c.artifact !== undefined,
    };
  }

  /** Rows of a table that is not an agent table but carries a status column: gates, barriers, artifacts, tasks. */
  private rows(t: Table): void {
    const p = this.p;
    const sec = p.sectionInfo();
    if (sec.excluded) return;
    const cols = this.rowColumns(t, sec.context);
    if (cols === undefined) return;
    const idCol = cols.idCol;
    if (idCol === undefined) {
      this.headingOverRows(t, cols.statusCol);
      return;
    }
    const rowsWithId = t.rows.filter((r) => {
      const x = r.cells[idCol];
      return x && !isPlaceholder(x.text) && !TOTALS.test(normalizeHeader(x.text));
    });
    if (rowsWithId.length === 0) {
      this.headingOverRows(t, cols.statusCol);
      return;
    }
    const { group, groupTitle } = p.groupFor(p.openPhase());
    for (const r of rowsWithId) this.row(t, r, { ...cols, idCol }, group, groupTitle);
  }

  /** One row of a status table: a look-alike, a gate/barrier/phase, or an agent. */
  private row(t: Table, r: TableRow, cols: RowColumns & { idCol: number }, group: PipelineGroup | undefined, groupTitle: string | undefined): void {
    const p = this.p;
    const c = t.columns;
    const { idCol, statusCol } = cols;
    const idCell = r.cells[idCol];
    const id = cleanId(idCell.text);
    if (LOOKALIKE_ID.test(id)) {
      p.lookalikeLines.add(r.range.start.line);
      return;
    }
    const statusCell = r.cells[statusCol];
    const titleCell = c.artifact !== undefined ? r.cells[c.artifact] : c.description !== undefined ? r.cells[c.description] : undefined;
    const title = titleCell ? plainHeader(titleCell.text) : '';
    const kind = cols.phaseRows ? 'phase' : unitKindFor(UNIT_ID.test(id) ? id : undefined, cols.context);
    if (kind !== 'agent') {
      this.addOther(kind, cols.phaseRows ? `PHASE-${/\d+/.exec(id)?.[0] ?? id}` : id, title, statusCell, r, undefined, r.range);
      return;
    }
    const agent: Agent = {
      id,
      idCell,
      status: cellStatus(statusCell, r.range),
      artifacts: [],
      extra: {},
      row: r,
      table: t,
      shape: cols.artifactRow ? 'artifact-row' : 'table',
      statusColumn: statusCol,
    };
    if (title) agent.title = title;
    const used = new Set<number>([idCol, statusCol]);
    for (const [m, i] of Object.entries(c)) {
      if (i === undefined || !r.cells[i]) continue;
      if (m === 'started') agent.started = r.cells[i];
      else if (m === 'completed') agent.completed = r.cells[i];
      else if (m === 'notes') agent.notes = r.cells[i];
      else if (m === 'role') agent.role = r.cells[i];
      else continue;
      used.add(i);
    }
    const pathCells = [c.path, c.artifact, ...Object.entries(t.extraColumns).filter(([h]) => /\b(path|output|file)\b/i.test(h)).map(([, i]) => i)].filter(
      (i): i is number => i !== undefined,
    );
    for (const i of pathCells) {
      const pc = r.cells[i];
      if (!pc) continue;
      if (i === c.artifact) agent.artifactCell = pc;
      used.add(i);
      if (agent.artifacts.length === 0) agent.artifacts = artifactsIn(p.r, pc, id);
    }
    if (agent.started) p.dateCells.push(agent.started.text);
    if (agent.completed) p.dateCells.push(agent.completed.text);
    extraCells(agent, t, r, used);
    this.addUnit(agent, group, groupTitle);
  }
}
