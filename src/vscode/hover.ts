/**
 * Hovers on artifact paths (checklists, table cells, YAML values, bullets under an artifacts
 * heading) and on agent ids. The text is src/core/present/hover.ts's; this file finds what is under
 * the cursor, resolves the path, reads the preview and returns the Hover.
 */
import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { Range, Tracker, YamlScalar } from '../core/model';
import { producingAgent, resolveArtifact } from '../core/analyze';
import { looksLikePath } from '../core/paths';
import { agentHover, artifactHover, filePreview, type ArtifactLookup } from '../core/present';
import { TRACKER_SELECTOR, type TrackerEntry, type TrackerStore } from './trackerStore';
import { getConfig } from './config';
import { absoluteBase } from './diagnostics';
import { containsPos, toVsRange, trustedMarkdown } from './ui';
import { decodeText } from './vscodeFs';
import { Disposable } from './dispose';

const PREVIEW_BYTES = 8 * 1024;

interface PathAt {
  path: string;
  range: vscode.Range;
  agentId?: string;
  /** The path's range in core coordinates, in the markdown (finds the row that names it). */
  mdRange?: Range;
}

/** The hover provider of tracker markdown and YAML files. */
export class Hovers extends Disposable implements vscode.HoverProvider {
  constructor(private readonly store: TrackerStore) {
    super();
    // The links' commands (`worktracker.openArtifact`, `worktracker.revealArtifact`) are in the command table.
    this._register(vscode.languages.registerHoverProvider(TRACKER_SELECTOR, this));
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const entry = this.store.get(doc.uri);
    if (!entry) return undefined;
    const snap = await this.store.snapshot(entry);
    const t = snap?.tracker;
    if (!t || token.isCancellationRequested) return undefined;
    const isMd = doc.uri.toString() === entry.mdUri.toString();
    const p = isMd ? (mdPathAt(t, pos) ?? bulletPathAt(doc, pos)) : yamlPathAt(t, pos);
    if (p) return this.pathHover(entry, t, p, token);
    const word = doc.getWordRangeAtPosition(pos, /[A-Za-z0-9][\w.-]*/);
    if (!word) return undefined;
    const id = doc.getText(word);
    const agent = t.agents.find((a) => a.id === id);
    const yAgent = t.yaml?.agents.find((a) => a.id === id);
    if (!agent && !yAgent) return undefined;
    return new vscode.Hover(markdown(agentHover(t, id, agent, entry.mdUri.toString())), word);
  }

  private async pathHover(entry: TrackerEntry, t: Tracker, p: PathAt, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const lookup = await lookUp(entry, t, p.path);
    if (token.isCancellationRequested) return undefined;
    // The occurrence whose row names the path: ids repeat across phases with different statuses.
    const producer = lookup.kind === 'error' ? undefined : producingAgent(t, p.path, { agentId: p.agentId, range: p.mdRange, file: t.file });
    return new vscode.Hover(markdown(artifactHover(p.path, lookup, { producer, agentId: p.agentId })), p.range);
  }
}

/** Hover text in a MarkdownString that runs only our own commands. */
function markdown(text: string): vscode.MarkdownString {
  const md = trustedMarkdown();
  md.appendMarkdown(text);
  return md;
}

/** Resolves an artifact path as the diagnostics do, with the paths as the workspace names them. */
async function lookUp(entry: TrackerEntry, t: Tracker, path: string): Promise<ArtifactLookup> {
  const cfg = getConfig(entry.mdUri);
  let r;
  try {
    r = await resolveArtifact(t, path, { fs: entry.fs, pathCache: entry.paths, root: await entry.root(), base: cfg.pathsBase ? absoluteBase(entry, cfg.pathsBase) : undefined, ignore: cfg.validateIgnore });
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  switch (r.kind) {
    case 'found': {
      const uri = entry.fs.toUri(r.resolved!);
      const inWorkspace = !!vscode.workspace.getWorkspaceFolder(uri);
      // Never read outside the workspace, even when the repository root is above it.
      const preview = inWorkspace && r.stat?.type === 'file' ? await readPreview(uri) : undefined;
      return { kind: 'found', relativePath: vscode.workspace.asRelativePath(uri), uri: uri.toString(), stat: r.stat, inWorkspace, preview };
    }
    case 'missing':
      return { kind: 'missing', tried: r.tried.map((x) => rel(entry, x)), suggestions: r.suggestion ? (r.suggestions ?? [r.suggestion]) : [] };
    case 'escapes-root':
      return { kind: 'escapes-root', reason: r.reason };
    default:
      return { kind: r.kind };
  }
}

function rel(entry: TrackerEntry, abs: string): string {
  return vscode.workspace.asRelativePath(entry.fs.toUri(abs));
}

function mdPathAt(t: Tracker, pos: vscode.Position): PathAt | undefined {
  for (const a of t.artifacts) {
    if (containsPos(a.range, pos)) return { path: a.path, range: toVsRange(a.range), agentId: a.agentId, mdRange: a.range };
  }
  for (const c of t.checklist) {
    if (c.artifact && containsPos(c.artifact.range, pos)) return { path: c.artifact.path, range: toVsRange(c.artifact.range), agentId: c.artifact.agentId, mdRange: c.artifact.range };
  }
  return undefined;
}

function yamlPathAt(t: Tracker, pos: vscode.Position): PathAt | undefined {
  const y = t.yaml;
  if (!y) return undefined;
  const hit = (s: YamlScalar | undefined, agentId?: string): PathAt | undefined =>
    s && typeof s.value === 'string' && containsPos(s.range, pos) ? { path: s.value, range: toVsRange(s.range), agentId } : undefined;
  for (const a of y.agents) for (const s of a.artifacts) {
    const h = hit(s, a.id);
    if (h) return h;
  }
  for (const b of y.barriers) for (const a of b.artifacts) {
    const h = hit(a.path);
    if (h) return h;
  }
  for (const s of y.artifacts) {
    const h = hit(s);
    if (h) return h;
  }
  return undefined;
}

/** A heading naming artifacts (`### Artifacts`, `**Phase 1 Artifacts:**`, `## Outputs`, `Deliverables`). */
const ARTIFACTS_HEADING = /^(?:#{1,6}\s+|\*\*|__)?[^|]*\b(?:artifacts?|outputs?|deliverables?)\b[^|]*$/i;

/**
 * A path in a plain bullet (`- \`path\``, `* path — note`) under an artifacts heading: the reader
 * only takes checklist items and table cells, but such lists name artifacts just the same.
 */
function bulletPathAt(doc: vscode.TextDocument, pos: vscode.Position): PathAt | undefined {
  const line = doc.lineAt(pos.line).text;
  const bullet = /^(\s*)(?:[-*+]|\d+[.)])\s+(?!\[[ xX]\])/.exec(line);
  if (!bullet) return undefined;
  // The path under the cursor: a code span, else a whitespace-delimited word.
  let hit: { text: string; start: number } | undefined;
  for (const m of line.matchAll(/`([^`]+)`/g)) {
    const start = m.index + 1;
    if (pos.character >= start && pos.character <= start + m[1].length) hit = { text: m[1].trim(), start: start + m[1].indexOf(m[1].trim()) };
  }
  if (!hit) {
    const w = doc.getWordRangeAtPosition(pos, /[^\s`*()[\]<>|,;]+/);
    if (!w || w.start.character < bullet[0].length) return undefined;
    const text = doc.getText(w).replace(/[.:]+$/, '');
    hit = { text, start: w.start.character };
  }
  if (!hit.text || !looksLikePath(hit.text) || !/[/.]/.test(hit.text)) return undefined;
  // The nearest heading (or bold label line) above, within the same list or its lead-in.
  for (let l = pos.line - 1, budget = 200; l >= 0 && budget > 0; l--, budget--) {
    const text = doc.lineAt(l).text.trim();
    if (text === '' || /^(?:[-*+]|\d+[.)])\s/.test(text) || /^\s/.test(doc.lineAt(l).text)) continue;
    if (/^#{1,6}\s/.test(text) || /^(?:\*\*|__)[^*_]+(?:\*\*|__):?$/.test(text) || /:$/.test(text)) {
      if (!ARTIFACTS_HEADING.test(text)) return undefined;
      return { path: hit.text, range: new vscode.Range(pos.line, hit.start, pos.line, hit.start + hit.text.length) };
    }
    return undefined;
  }
  return undefined;
}

/** First heading, or the first lines, of a text file; undefined for binary or unreadable files. */
async function readPreview(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const bytes = (await vscode.workspace.fs.readFile(uri)).subarray(0, PREVIEW_BYTES);
    if (bytes.includes(0)) return undefined;
    return filePreview(decodeText(bytes), posix.extname(uri.path).toLowerCase() === '.md');
  } catch {
    return undefined;
  }
}
