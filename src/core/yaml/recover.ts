/**
 * The node tree of a YAML text, read past syntax errors: a clean parse when there is none; else the
 * broken lines are blanked out one at a time (offsets stay valid), and when that does not help each
 * top-level section is read on its own, cut back to before its error. Every skipped line and error
 * is a finding. Private to `src/core/yaml/`.
 */
import type { Event } from 'js-yaml';
import type { LineIndex } from '../text';
import { buildDocuments, deref } from './tree';
import type { TreeIssue, YDocument, YMapNode, YNode, YPair } from './tree';
import { keyText } from './scalars';
import type { Reader } from './reader';

/** Syntax-error recovery: how many times one top-level section is cut back before giving up on it. */
const MAX_RETRIES_PER_SECTION = 4;
/** Syntax-error recovery: how many broken lines are blanked out (whole-file re-parses) before reading per section. */
const MAX_BLANKED_LINES = 8;

interface YamlError {
  reason: string;
  position: number;
}

function asYamlError(err: unknown, base = 0): YamlError {
  const e = err as { reason?: unknown; message?: unknown; mark?: { position?: unknown } };
  const reason = typeof e?.reason === 'string' ? e.reason : typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
  const pos = typeof e?.mark?.position === 'number' ? e.mark.position : 0;
  return { reason, position: base + pos };
}

/** Lines that start a top-level mapping key (`key:` at column 0), used to read around a syntax error. */
function topLevelSections(text: string, index: LineIndex): { start: number; end: number }[] {
  const starts: number[] = [];
  let docEnd = text.length;
  let seenContent = false;
  for (let line = 0; line < index.lineCount; line++) {
    const s = index.lineStarts[line];
    const lt = index.lineText(line);
    if (/^(---|\.\.\.)(\s|$)/.test(lt)) {
      // Only the first document is read.
      if (seenContent) {
        docEnd = s;
        break;
      }
      continue;
    }
    if (/^(\ufeff)?([^\s#\-?:,[\]{}&*!|>'"%@`][^#]*?|"[^"]*"|'[^']*')\s*:(\s|$)/.test(lt)) {
      starts.push(s + (lt.charCodeAt(0) === 0xfeff ? 1 : 0));
      seenContent = true;
    } else if (/^\S/.test(lt) && !lt.startsWith('#')) seenContent = true;
  }
  return starts.map((s, i) => ({ start: s, end: i + 1 < starts.length ? starts[i + 1] : docEnd })).filter((x) => x.start < docEnd);
}

export interface TreeResult {
  root: YNode | null;
  /** Set when no syntax error occurred, so js-yaml can construct `data` from the same events. */
  clean: boolean;
  issues: TreeIssue[];
  rootCount: number;
  /** The parser events of a clean read, reused to construct `data`. */
  events?: Event[];
}

/** The first mapping document (else the first non-empty one), and how many documents hold something. */
function pickRoot(docs: YDocument[]): { root: YNode | null; rootCount: number } {
  const nonEmpty = docs.filter((d) => d.root !== null);
  const root = nonEmpty.find((d) => deref(d.root!)?.kind === 'map')?.root ?? nonEmpty[0]?.root ?? null;
  return { root, rootCount: nonEmpty.length };
}

export function readTree(r: Reader): TreeResult {
  try {
    const { docs, issues, events } = buildDocuments(r.text);
    return { ...pickRoot(docs), clean: true, issues, events };
  } catch (err) {
    const report = errorReporter(r);
    const first = asYamlError(err);
    report(first);
    const blanked = blankBrokenLines(r, first, report);
    return 'tree' in blanked ? blanked.tree : readBySection(r, blanked.work, report);
  }
}

/** Reports a syntax error as a finding, once per line. */
function errorReporter(r: Reader): (e: YamlError) => void {
  const reported = new Set<number>();
  return (e) => {
    const line = r.index.position(e.position).line;
    if (reported.has(line)) return;
    reported.add(line);
    r.finding('yaml-syntax', 'error', `YAML syntax error: ${e.reason}; the rest of the file is read where possible`, e.position, r.index.lineEnd(line), {
      data: { reason: e.reason },
    });
  };
}

function reportSkipped(r: Reader, line: number): void {
  r.finding('yaml-syntax', 'warning', `Line ${line + 1} could not be read as YAML and was skipped`, r.index.lineStarts[line], r.index.lineEnd(line), {
    data: { skippedLine: line + 1 },
  });
}

function blankLine(index: LineIndex, w: string, line: number): string {
  const ls = index.lineStarts[line];
  const le = index.lineEnd(line);
  return w.slice(0, ls) + ' '.repeat(le - ls) + w.slice(le);
}

/**
 * First try blanking the broken line with spaces (offsets stay valid, every other line is read).
 * The culprit is often a line or two above where the parser notices (an unclosed quote or bracket),
 * so those are tried too and the candidate that parses furthest wins. Returns the tree when a
 * blanked text parses, else the text with the lines blanked so far.
 */
function blankBrokenLines(r: Reader, first: YamlError, report: (e: YamlError) => void): { tree: TreeResult } | { work: string } {
  const { text, index } = r;
  let work = text;
  let err: YamlError = first;
  const candidatesPerError = text.length > 1_000_000 ? 1 : 3;
  for (let attempt = 0; attempt < MAX_BLANKED_LINES; attempt++) {
    const errLine = index.position(err.position).line;
    let best: { work: string; err: YamlError; line: number } | undefined;
    for (let line = errLine, tried = 0; line >= 0 && tried < candidatesPerError; line--) {
      if (work.slice(index.lineStarts[line], index.lineEnd(line)).trim() === '') continue;
      tried++;
      const w = blankLine(index, work, line);
      try {
        const { docs, issues } = buildDocuments(w);
        reportSkipped(r, line);
        return { tree: { ...pickRoot(docs), clean: false, issues } };
      } catch (e) {
        const ye = asYamlError(e);
        if (!best || ye.position > best.err.position) best = { work: w, err: ye, line };
      }
    }
    if (!best || best.err.position <= err.position) break;
    reportSkipped(r, best.line);
    work = best.work;
    err = best.err;
    report(err);
  }
  return { work };
}

/** Then read each top-level section on its own, cutting a broken one back to before its error. */
function readBySection(r: Reader, work: string, report: (e: YamlError) => void): TreeResult {
  const { text, index } = r;
  const pairs: YPair[] = [];
  const issues: TreeIssue[] = [];
  for (const sec of topLevelSections(text, index)) {
    let end = sec.end;
    for (let attempt = 0; attempt <= MAX_RETRIES_PER_SECTION && end > sec.start; attempt++) {
      try {
        const { docs, issues: iss } = buildDocuments(work, sec.start, end);
        const root = docs[0]?.root ? deref(docs[0].root) : undefined;
        if (root && root.kind === 'map') pairs.push(...root.pairs);
        issues.push(...iss);
        break;
      } catch (e2) {
        const ye = asYamlError(e2, sec.start);
        report(ye);
        const cut = index.lineStarts[index.position(ye.position).line];
        end = cut < end ? cut : index.lineStarts[Math.max(0, index.position(end).line - 1)];
      }
    }
  }
  if (pairs.length === 0) return { root: null, clean: false, issues, rootCount: 0 };
  // Sections were read apart, so keys repeated across sections are checked here.
  const seen = new Map<string, number>();
  for (const p of pairs) {
    const k = keyText(p.key);
    if (k === undefined) continue;
    const prev = seen.get(k);
    if (prev !== undefined) issues.push({ kind: 'duplicate-key', message: `duplicate key "${k}"`, offset: p.key.start, firstOffset: prev, key: k });
    else seen.set(k, p.key.start);
  }
  const root: YMapNode = { kind: 'map', start: pairs[0].key.start, end: pairs[pairs.length - 1].value.end, pairs };
  return { root, clean: false, issues, rootCount: 1 };
}
