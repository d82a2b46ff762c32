/**
 * `addArtifactEdits`: a path added to a unit's artifact cell (after the paths already there, in the
 * cell's own separator and backticks), or as a new item of its phase's checklist (copying the last
 * item's indentation, list marker and backticks). Refuses (`EditRefused`) a path that is already
 * listed, absolute, leaves the repository or holds a placeholder. Public through `./index.ts`.
 */
import type { Agent, ChecklistItem, TextEdit, Tracker } from '../model';
import { EditRefused, indexOf, isPlaceholder } from './common';
import { tableEdits } from './tables';

/** The same path as written in a tracker (`./a/b.md`, `a\b.md` and `a/b.md` are one path). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return norm(a) === norm(b);
}

/** Rejects paths that a tracker must not hold: absolute, leaving the repository, multi-line, template placeholders. */
export function checkArtifactPath(p: string): string {
  const v = p.trim();
  if (!v) throw new EditRefused('the artifact path is empty', 'invalid-input');
  if (/[\r\n`|]/.test(v)) throw new EditRefused(`artifact path "${v}" holds a line break, a backtick or a pipe`, 'invalid-input');
  if (/^([A-Za-z]:)?[\\/]/.test(v) || /^~/.test(v) || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    throw new EditRefused(`artifact path "${v}" is absolute; write it relative to the repository`, 'invalid-input');
  }
  if (v.split(/[\\/]/).includes('..')) throw new EditRefused(`artifact path "${v}" leaves the repository (..)`, 'invalid-input');
  if (/\{[^}]*\}/.test(v)) throw new EditRefused(`artifact path "${v}" still holds a {placeholder}`, 'invalid-input');
  return v;
}

/** True when most non-placeholder values of `cells` are written in backticks (default when none: true). */
export function prefersBackticks(cells: readonly string[]): boolean {
  const real = cells.map((c) => c.trim()).filter((c) => c && !isPlaceholder(c));
  if (real.length === 0) return true;
  return real.filter((c) => c.startsWith('`')).length * 2 >= real.length;
}

/**
 * Adds `artifactPath` to the unit: into its artifact cell when its table has one (replacing a
 * placeholder, else after the paths already there, separated the way that cell or its peers are),
 * else as a new item after the last checklist item of its pipeline group or phase, copying that
 * item's indentation, list marker and backticks. Refuses when the path is already listed or the
 * unit has neither.
 */
export function addArtifactEdits(t: Tracker, agent: Agent, artifactPath: string, opts: { checked?: boolean } = {}): TextEdit[] {
  const p = checkArtifactPath(artifactPath);
  const phase = t.phases.find((ph) => ph.agents.includes(agent)) ?? (agent.phase !== undefined ? t.phases.find((ph) => ph.number === agent.phase) : undefined);
  const group = phase?.groups.find((g) => g.agents.includes(agent));
  const inRange = (c: ChecklistItem, r: { start: { offset: number }; end: { offset: number } }) => c.range.start.offset >= r.start.offset && c.range.end.offset <= r.end.offset;
  const groupItems = group && phase ? phase.checklist.filter((c) => inRange(c, { start: group.range.start, end: nextGroupStart(phase, group) })) : [];
  const items = groupItems.length ? groupItems : (phase?.checklist ?? []);

  if (agent.artifacts.some((a) => samePath(a.path, p)) || items.some((c) => c.artifact && samePath(c.artifact.path, p))) {
    throw new EditRefused(`${p} is already listed for ${agent.id}`, 'already-present', { path: p, id: agent.id });
  }

  const cell = agent.artifactCell;
  if (cell) {
    const col = agent.row.cells.findIndex((c) => c.range.start.offset === cell.range.start.offset);
    if (col >= 0) {
      const peers = t.agents.map((a) => a.artifactCell?.text ?? '');
      const form = prefersBackticks(cell.text && !isPlaceholder(cell.text) ? [cell.text] : peers) ? `\`${p}\`` : p;
      let text: string;
      if (isPlaceholder(cell.text)) text = form;
      else {
        const sepSample = [cell.text, ...peers].find((c) => /<br\s*\/?>|;\s|,\s/i.test(c));
        const sep = sepSample ? (/<br\s*\/?>/i.exec(sepSample)?.[0] ?? (/;\s/.test(sepSample) ? '; ' : ', ')) : ', ';
        text = `${cell.text}${sep}${form}`;
      }
      return tableEdits(t, agent.table, [{ row: agent.row, col, text }]);
    }
  }

  const last = items[items.length - 1];
  if (!last) {
    throw new EditRefused(
      `${agent.id} has no artifact cell and ${phase ? `Phase ${phase.number} has no checklist` : 'sits under no phase with a checklist'}; nothing added (add the path by hand where your tracker lists outputs)`,
      'no-place',
      { id: agent.id },
    );
  }
  const lastLine = indexOf(t.text, t).lineText(last.range.start.line);
  const m = /^(\s*)(?:([-*+])|(\d+)([.)]))(\s+)\[[ xX]\](\s*)/.exec(lastLine);
  if (!m) throw new EditRefused(`cannot read the list item at line ${last.range.start.line + 1}`, 'no-place');
  const marker = m[2] ?? `${Number(m[3]) + 1}${m[4]}`;
  const backticks = prefersBackticks(items.map((c) => c.text));
  const mark = opts.checked ? (t.text.slice(last.checkRange.start.offset, last.checkRange.end.offset) === 'X' ? 'X' : 'x') : ' ';
  const newLine = `${m[1]}${marker}${m[5]}[${mark}]${m[6] || ' '}${backticks ? `\`${p}\`` : p}`;
  const at = last.range.end;
  return [{ file: t.file, range: { start: at, end: at }, newText: t.eol + newLine }];
}

function nextGroupStart(phase: Tracker['phases'][number], group: Tracker['phases'][number]['groups'][number]) {
  const after = phase.groups.filter((g) => g.range.start.offset > group.range.start.offset).sort((a, b) => a.range.start.offset - b.range.start.offset)[0];
  return after ? after.range.start : phase.range.end;
}
