import * as vscode from 'vscode';
import { posix } from 'node:path';
import type { Agent, Range, Tracker, YamlScalar } from '../core/model';
import { producingAgent, resolveArtifact } from '../core/analyze';
import { looksLikePath } from '../core/paths';
import { statusesAgree } from '../core/drift';
import { TRACKER_SELECTOR, type TrackerEntry, type TrackerStore } from './trackerStore';
import { YAML_FILE } from '../core/files';
import { Disposable } from './dispose';
import { getConfig } from './config';
import { absoluteBase } from './diagnostics';
import { commandLink, containsPos, escapeMd, formatSize, STATUS_LABEL, toVsRange, trustedMarkdown, yamlStatus } from './ui';
import { decodeText } from './vscodeFs';

const PREVIEW_BYTES = 8 * 1024;
const PREVIEW_LINES = 6;

interface PathAt {
  path: string;
  range: vscode.Range;
  agentId?: string;
  /** The path's range in core coordinates, in the markdown (finds the row that names it). */
  mdRange?: Range;
}

/**
 * Hovers on artifact paths (checklists, table cells, YAML values) and on agent ids. User text is
 * escaped; the only command links are our own open/reveal commands.
 */
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
    return new vscode.Hover(agentMarkdown(entry, t, id, agent), word);
  }

  private async pathHover(entry: TrackerEntry, t: Tracker, p: PathAt, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const md = trustedMarkdown();
    md.appendMarkdown(`**Artifact** ${code(p.path)}\n\n`);
    const cfg = getConfig(entry.mdUri);
    let r;
    try {
      r = await resolveArtifact(t, p.path, { fs: entry.fs, root: await entry.root(), base: cfg.pathsBase ? absoluteBase(entry, cfg.pathsBase) : undefined, ignore: cfg.validateIgnore });
    } catch (e) {
      md.appendMarkdown(`Could not resolve: ${escapeMd(e instanceof Error ? e.message : String(e))}`);
      return new vscode.Hover(md, p.range);
    }
    if (token.isCancellationRequested) return undefined;
    switch (r.kind) {
      case 'found': {
        const uri = entry.fs.toUri(r.resolved!);
        const inWorkspace = !!vscode.workspace.getWorkspaceFolder(uri);
        md.appendMarkdown(`✔ ${code(vscode.workspace.asRelativePath(uri))}`);
        if (r.stat) {
          const isDir = r.stat.type === 'directory';
          md.appendMarkdown(` — ${isDir ? 'folder' : escapeMd(formatSize(r.stat.size))}, modified ${escapeMd(new Date(r.stat.mtime).toLocaleString())}`);
        }
        md.appendMarkdown('\n\n');
        md.appendMarkdown(`${commandLink('Open', 'worktracker.openArtifact', [uri.toString()])} · ${commandLink('Reveal in Explorer', 'worktracker.revealArtifact', [uri.toString()])}\n\n`);
        // Never read outside the workspace, even when the repository root is above it.
        if (inWorkspace && r.stat?.type === 'file') {
          const preview = await readPreview(uri);
          if (preview) md.appendMarkdown(`---\n\n${preview}\n\n`);
        } else if (!inWorkspace) md.appendMarkdown('_Outside the workspace: not previewed._\n\n');
        break;
      }
      case 'missing': {
        // The candidates as the workspace names them, each once.
        const tried = [...new Set(r.tried.map((x) => rel(entry, x)))];
        md.appendMarkdown(`✘ **Not found.** Looked at ${tried.slice(0, 4).map((x) => code(x)).join(', ')}${tried.length > 4 ? ` and ${tried.length - 4} more` : ''}.\n\n`);
        if (r.suggestion) md.appendMarkdown(`Did you mean ${(r.suggestions ?? [r.suggestion]).map((x) => code(x)).join(' or ')}?\n\n`);
        break;
      }
      case 'absolute':
        md.appendMarkdown('Absolute path: not checked and not read (paths should be repository-relative).\n\n');
        break;
      case 'placeholder':
        md.appendMarkdown('Template placeholder: nothing to check.\n\n');
        break;
      case 'escapes-root':
        md.appendMarkdown(`Outside the repository${r.reason ? ` (${escapeMd(r.reason)})` : ''}: never read.\n\n`);
        break;
      case 'url':
        md.appendMarkdown('A URL: not checked.\n\n');
        break;
    }
    // The occurrence whose row names the path: ids repeat across phases with different statuses.
    const producer = producingAgent(t, p.path, { agentId: p.agentId, range: p.mdRange, file: t.file });
    if (producer) md.appendMarkdown(`---\n\nProduced by **${escapeMd(producer.id)}** — ${escapeMd(producer.status.raw)} (${STATUS_LABEL[producer.status.status]})`);
    else if (p.agentId) md.appendMarkdown(`---\n\nProduced by **${escapeMd(p.agentId)}**`);
    return new vscode.Hover(md, p.range);
  }
}

function code(s: string): string {
  // Inline code cannot be escaped: use a fence longer than any backtick run inside.
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ')}${pad}${fence}`;
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
    const text = decodeText(bytes);
    const lines = text.split(/\r?\n/);
    const heading = lines.find((l) => /^#{1,6}\s+\S/.test(l));
    if (heading && posix.extname(uri.path).toLowerCase() === '.md') return `**${escapeMd(heading.replace(/^#+\s*/, '').trim())}**`;
    const first = lines.filter((l) => l.trim() !== '').slice(0, PREVIEW_LINES).join('\n');
    if (!first) return '_(empty file)_';
    const longest = Math.max(2, ...(first.match(/`+/g) ?? []).map((m) => m.length));
    const fence = '`'.repeat(longest + 1);
    return `${fence}text\n${first}\n${fence}`;
  } catch {
    return undefined;
  }
}

function agentMarkdown(entry: TrackerEntry, t: Tracker, id: string, a: Agent | undefined): vscode.MarkdownString {
  const md = trustedMarkdown();
  md.appendMarkdown(`**Agent ${escapeMd(id)}**`);
  if (a) {
    md.appendMarkdown(` — ${escapeMd(a.status.raw)} (${STATUS_LABEL[a.status.status]})\n\n`);
    const rows: [string, string | undefined][] = [
      ['Phase', a.phase !== undefined ? String(a.phase) : undefined],
      ['Pipeline', a.pipeline],
      ['Role', a.role?.text],
      ['Started', a.started?.text],
      ['Completed', a.completed?.text],
      ['Artifact', a.artifactCell?.text],
      ['Notes', a.notes?.text],
    ];
    for (const [k, v] of rows) if (v && v.trim() && v.trim() !== '-') md.appendMarkdown(`${k}: ${escapeMd(v.trim())}  \n`);
  } else md.appendMarkdown('\n\nNot in the markdown tables.\n\n');
  const ya = t.yaml?.agents.find((x) => x.id === id);
  if (ya?.status) {
    const ys = yamlStatus(ya.status);
    const drift = a && ys && !statusesAgree(ys, a.status.status);
    md.appendMarkdown(`\n${YAML_FILE}: ${escapeMd(String(ya.status.value))}${drift ? ' ⚠ differs' : ''}\n\n`);
  }
  if (a) {
    const r = a.idCell.range;
    md.appendMarkdown(commandLink('Go to row', 'worktracker.revealInEditor', [entry.mdUri.toString(), r.start.line, r.start.column, r.end.line, r.end.column]));
  }
  return md;
}
