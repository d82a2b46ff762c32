/**
 * The worktracker markdown reader: one remark parse per section (`sections.ts`), one walk of the
 * mdast into events (`reader.ts`, one method per construct), then a single pass that gives every
 * table, checklist and heading its place: phase, barrier, group (`pass.ts`, with the template's
 * tables in `templates.ts`, other layouts' units in `units.ts`, and `finish.ts` for what needs the
 * whole document). Headings grammar in `headings.ts`, cells and header meanings in `tables.ts`.
 *
 * Cells are cut from the source line itself (not from remark's cell nodes) so that every cell keeps
 * the exact range of its content and of its padding, which edits need.
 *
 * This file is the folder's public API; anyone may import it (core, CLI, extension). The other
 * files are private to the folder (tests may import `dashboardLines.ts`).
 */
import { LineIndex, detectEol, hasBom } from '../text';
import { Reader } from './reader';
import { readSections, type MarkdownCache } from './sections';
import { Pass, type MarkdownTracker } from './pass';

export { createMarkdownCache, type MarkdownCache } from './sections';
export { normalizeHeader } from './tables';
export { deriveStatus } from './statuses';
/** The markdown reader's path test, under its old name; it lives in paths.ts with the other path heuristics. */
export { isPathToken as looksLikePath } from '../paths';

/** Reads a worktracker markdown file into the typed model (everything but `yaml`). Never throws. */
export function parseMarkdown(text: string, file: string, cache?: MarkdownCache): MarkdownTracker {
  const src = typeof text === 'string' ? text : '';
  let li: LineIndex;
  try {
    li = new LineIndex(src);
  } catch {
    li = new LineIndex('');
  }
  const r = new Reader(src, file, li);
  const tracker: MarkdownTracker = {
    file,
    text: src,
    eol: detectEol(src),
    bom: hasBom(src),
    header: [],
    phases: [],
    barriers: [],
    agents: [],
    gates: [],
    coverage: { units: 0, unread: [] },
    artifacts: [],
    checklist: [],
    queue: [],
    blockers: [],
    checkpoints: [],
    nextActions: [],
    headings: [],
    tables: [],
    dialect: { spelling: {}, emoji: {}, dateStyle: 'unknown' },
    findings: r.findings,
  };
  try {
    readSections(r, cache);
    new Pass(r, tracker).run();
  } catch (e) {
    r.internal(e, 0, 0);
  }
  return tracker;
}
