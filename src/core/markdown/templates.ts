/**
 * Tables of the template layout, by kind: agent tables, barrier direction tables, the queue,
 * blockers and checkpoints lists, metrics, the status legend and metadata (`Field | Value`). Read
 * during the pass (`pass.ts`), whose state they extend; used only by it and by `units.ts`.
 */
import { cellStatus, cleanId, isPlaceholder, normalizeHeader, plainHeader, TOTALS, toRow } from './tables';
import { phaseNumberIn } from './headings';
import type { Reader } from './reader';
import type { Pass } from './pass';
import type { Agent, ArtifactRef, BarrierDirection, Cell, Table, TableRow } from '../model';

/** The paths an agent's artifact cell names (none for a placeholder such as `—` or `TBD`). */
export function artifactsIn(r: Reader, cell: Cell, id: string): ArtifactRef[] {
  return isPlaceholder(cell.text) ? [] : r.paths(cell.range.start.offset, cell.range.end.offset, 'agent-cell', id);
}

/** Cells of columns with no meaning of their own, by header text, into `agent.extra`. */
export function extraCells(agent: Agent, t: Table, r: TableRow, used: Set<number>): void {
  t.header.cells.forEach((hc, i) => {
    if (used.has(i) || !r.cells[i]) return;
    agent.extra[plainHeader(hc.text) || `#${i}`] = r.cells[i];
  });
}

/** The cell of the column with this meaning. */
function cellOf(t: Table, r: TableRow, meaning: string): Cell | undefined {
  const i = t.columns[meaning];
  return i === undefined ? undefined : r.cells[i];
}

const isUnitId = (x: string) => !isPlaceholder(x) && !TOTALS.test(normalizeHeader(x));

export class TemplateTables {
  constructor(private readonly p: Pass) {}

  read(t: Table): void {
    switch (t.kind) {
      case 'agents':
        return this.agents(t);
      case 'barrier':
        return this.directions(t);
      case 'queue':
      case 'blockers':
      case 'checkpoints':
        return this.list(t);
      case 'metrics':
        this.p.metricsTables.push(t);
        return;
      case 'legend':
        return this.legend(t);
      case 'metadata':
        return this.metadata(t);
      default:
        return;
    }
  }

  /** An agent table: one agent per row with an id. */
  private agents(t: Table): void {
    const p = this.p;
    const c = t.columns;
    const po = p.openPhase();
    const idCol = c.agent ?? c.id;
    // A table of placeholder rows under a unit's heading makes no pipeline group.
    const { group, groupTitle } = t.rows.some((r) => idCol !== undefined && r.cells[idCol] && isUnitId(cleanId(r.cells[idCol].text))) ? p.groupFor(po) : p.groupFor(undefined);
    let produced = 0;
    const used = new Set<number>([idCol as number]);
    for (const m of ['status', 'started', 'completed', 'artifact', 'notes', 'role']) if (c[m] !== undefined) used.add(c[m] as number);
    for (const r of t.rows) {
      const idCell = idCol === undefined ? undefined : r.cells[idCol];
      if (!idCell) continue;
      const id = cleanId(idCell.text);
      if (!isUnitId(id)) continue;
      const agent = this.agent(t, r, id, idCell, used);
      const phase = po?.phase;
      if (phase) agent.phase = phase.number;
      else if (groupTitle) {
        const n = phaseNumberIn(groupTitle);
        if (n !== undefined) agent.phase = n;
      }
      if (groupTitle) agent.pipeline = groupTitle;
      this.checkStatus(agent);
      p.register(agent, phase, group);
      produced++;
    }
    // A heading over rows that are placeholders (`#### EN-410: …` then `| 1 | — | … | PENDING |`).
    if (produced === 0) p.units.headingOverRows(t, c.status);
  }

  /** The agent of one agent-table row, its cells by meaning. */
  private agent(t: Table, r: TableRow, id: string, idCell: Cell, used: Set<number>): Agent {
    const agent: Agent = { id, idCell, status: cellStatus(cellOf(t, r, 'status'), r.range), artifacts: [], extra: {}, row: r, table: t };
    const started = cellOf(t, r, 'started');
    const completed = cellOf(t, r, 'completed');
    const art = cellOf(t, r, 'artifact');
    const notes = cellOf(t, r, 'notes');
    const role = cellOf(t, r, 'role');
    if (started) {
      agent.started = started;
      this.p.dateCells.push(started.text);
    }
    if (completed) {
      agent.completed = completed;
      this.p.dateCells.push(completed.text);
    }
    if (art) {
      agent.artifactCell = art;
      agent.artifacts = artifactsIn(this.p.r, art, id);
    }
    if (notes) agent.notes = notes;
    if (role) agent.role = role;
    extraCells(agent, t, r, used);
    return agent;
  }

  /** Learns the agent's status spelling; reports a status word that is not known. */
  private checkStatus(agent: Agent): void {
    const st = agent.status;
    if (st.raw) this.p.statusSamples.push(st.raw);
    if (st.status === 'UNKNOWN' && st.raw && !isPlaceholder(st.raw)) {
      this.p.r.findings.push({
        code: 'status-unknown',
        severity: 'warning',
        message: `Status "${st.raw}" of agent ${agent.id} is not a known status.`,
        file: this.p.r.file,
        range: st.range,
        data: { raw: st.raw },
      });
    }
  }

  /** A barrier's direction table (`| Direction | Artifact | Status |`). */
  private directions(t: Table): void {
    const p = this.p;
    const bo = p.openBarrier();
    for (const r of t.rows) {
      const d = this.direction(t, r);
      if (!d) continue;
      p.addArtifacts(d.artifacts);
      if (bo) {
        bo.barrier!.directions.push(d);
        p.readLines.add(r.range.start.line);
      }
    }
  }

  private direction(t: Table, r: TableRow): BarrierDirection | undefined {
    const p = this.p;
    const dcell = cellOf(t, r, 'direction');
    if (!dcell || isPlaceholder(dcell.text)) return undefined;
    const direction = dcell.text;
    const d: BarrierDirection = { direction, row: r, artifacts: [] };
    // `a→b`, `ps -> nse`, `all-to-vv`, `impl_to_vv`: the `to` may be joined by `-`/`_`.
    const parts = direction.split(/\s*(?:→|⟶|➡️?|-+>|=>|↔)\s*|(?:\s+|[_-])to(?:\s+|[_-])/i);
    if (parts.length === 2 && parts[0] && parts[1]) {
      d.from = parts[0].trim();
      d.to = parts[1].trim();
    }
    const art = cellOf(t, r, 'artifact');
    if (art) d.artifact = art;
    const st = cellOf(t, r, 'status');
    if (st) {
      d.status = cellStatus(st, r.range);
      if (st.text) p.statusSamples.push(st.text);
      if (d.status.status === 'UNKNOWN' && !isPlaceholder(st.text)) {
        p.r.findings.push({
          code: 'status-unknown',
          severity: 'warning',
          message: `Status "${st.text}" of barrier direction ${direction} is not a known status.`,
          file: p.r.file,
          range: st.range,
          data: { raw: st.text },
        });
      }
    }
    for (const pc of [cellOf(t, r, 'path'), art]) {
      if (!pc || isPlaceholder(pc.text)) continue;
      const refs = p.r.paths(pc.range.start.offset, pc.range.end.offset, 'barrier-cell');
      if (refs.length) {
        d.artifacts.push(...refs);
        break;
      }
    }
    return d;
  }

  /** Queue, blockers and checkpoints: rows by meaning (placeholder ids skipped but in the queue). */
  private list(t: Table): void {
    const tracker = this.p.tracker;
    const list = t.kind === 'queue' ? tracker.queue : t.kind === 'blockers' ? tracker.blockers : tracker.checkpoints;
    for (const r of t.rows) {
      const row = toRow(t, r);
      if (t.kind !== 'queue') {
        const idc = cellOf(t, r, 'id');
        if (idc && isPlaceholder(idc.text)) continue;
      }
      list.push(row);
    }
  }

  private legend(t: Table): void {
    const c = t.columns;
    const sc = c.emoji as number;
    const mc = (c.meaning ?? c.status ?? c.description) as number;
    for (const r of t.rows) {
      const s = r.cells[sc];
      const m = r.cells[mc];
      if (s && m) this.p.legend.push({ symbol: s.text, meaning: m.text });
    }
  }

  /** `| Field | Value |` (or a two-column table of known keys): header fields of the tracker. */
  private metadata(t: Table): void {
    const { r: reader, tracker } = this.p;
    const text = reader.text;
    const c = t.columns;
    const twoCol = c.field === undefined;
    const keyCol = twoCol ? 0 : (c.field as number);
    const valCol = twoCol ? 1 : (c.value as number);
    const rows = twoCol ? [t.header, ...t.rows] : t.rows;
    for (const r of rows) {
      const k = r.cells[keyCol];
      const v = r.cells[valCol];
      if (!k || !v) continue;
      let vs = v.range.start.offset;
      let ve = v.range.end.offset;
      if (text[vs] === '`' && text[ve - 1] === '`' && ve - vs >= 2) {
        vs++;
        ve--;
      }
      tracker.header.push({ key: plainHeader(k.text), value: text.slice(vs, ve), range: reader.range(vs, ve) });
    }
  }
}
