/**
 * Hover text as Markdown strings: an artifact path (where it resolved, or where it was looked for,
 * and who produces it) and an agent id (its row, its YAML status). User text is escaped; the only
 * command links are our own (open, reveal, go to row). Pure: the editor layer resolves the path,
 * reads the preview and wraps the text in a trusted-for-those-commands `MarkdownString`.
 */
import type { Agent, FileStat, Tracker } from '../model';
import { statusesAgree } from '../drift';
import { YAML_FILE } from '../files';
import { commandLink, escapeMd, formatSize, inlineCode, STATUS_LABEL, yamlStatus } from './format';

/** Lines of a file shown under a found artifact when it has no Markdown heading. */
const PREVIEW_LINES = 6;

/** What looking up an artifact path gave, with paths already as the workspace names them. */
export type ArtifactLookup =
  | { kind: 'error'; message: string }
  | { kind: 'found'; relativePath: string; uri: string; stat?: FileStat; inWorkspace: boolean; preview?: string }
  | { kind: 'missing'; tried: string[]; suggestions: string[] }
  | { kind: 'absolute' }
  | { kind: 'placeholder' }
  | { kind: 'escapes-root'; reason?: string }
  | { kind: 'url' };

export interface ArtifactHoverOptions {
  /** The occurrence whose row names the path (ids repeat across phases with different statuses). */
  producer?: Agent;
  /** The agent the path was written under, when no producing row was found. */
  agentId?: string;
  /** How a modification time reads; the locale's date and time by default. */
  formatTime?: (mtime: number) => string;
}

/** The hover of an artifact path. */
export function artifactHover(path: string, lookup: ArtifactLookup, opts: ArtifactHoverOptions = {}): string {
  let md = `**Artifact** ${inlineCode(path)}\n\n`;
  if (lookup.kind === 'error') return md + `Could not resolve: ${escapeMd(lookup.message)}`;
  md += lookupText(lookup, opts.formatTime ?? ((ms) => new Date(ms).toLocaleString()));
  const p = opts.producer;
  if (p) md += `---\n\nProduced by **${escapeMd(p.id)}** — ${escapeMd(p.status.raw)} (${STATUS_LABEL[p.status.status]})`;
  else if (opts.agentId) md += `---\n\nProduced by **${escapeMd(opts.agentId)}**`;
  return md;
}

function lookupText(r: Exclude<ArtifactLookup, { kind: 'error' }>, formatTime: (mtime: number) => string): string {
  switch (r.kind) {
    case 'found': {
      let md = `✔ ${inlineCode(r.relativePath)}`;
      if (r.stat) md += ` — ${r.stat.type === 'directory' ? 'folder' : escapeMd(formatSize(r.stat.size))}, modified ${escapeMd(formatTime(r.stat.mtime))}`;
      md += '\n\n';
      md += `${commandLink('Open', 'worktracker.openArtifact', [r.uri])} · ${commandLink('Reveal in Explorer', 'worktracker.revealArtifact', [r.uri])}\n\n`;
      // Never read outside the workspace, even when the repository root is above it.
      if (r.inWorkspace && r.preview) md += `---\n\n${r.preview}\n\n`;
      else if (!r.inWorkspace) md += '_Outside the workspace: not previewed._\n\n';
      return md;
    }
    case 'missing': {
      // The candidates as the workspace names them, each once.
      const tried = [...new Set(r.tried)];
      const more = tried.length > 4 ? ` and ${tried.length - 4} more` : '';
      let md = `✘ **Not found.** Looked at ${tried.slice(0, 4).map(inlineCode).join(', ')}${more}.\n\n`;
      if (r.suggestions.length) md += `Did you mean ${r.suggestions.map(inlineCode).join(' or ')}?\n\n`;
      return md;
    }
    case 'absolute':
      return 'Absolute path: not checked and not read (paths should be repository-relative).\n\n';
    case 'placeholder':
      return 'Template placeholder: nothing to check.\n\n';
    case 'escapes-root':
      return `Outside the repository${r.reason ? ` (${escapeMd(r.reason)})` : ''}: never read.\n\n`;
    case 'url':
      return 'A URL: not checked.\n\n';
    default:
      return '';
  }
}

/**
 * The preview of a found text file: its first heading (Markdown files), else its first non-empty
 * lines in a fence longer than any backtick run inside.
 */
export function filePreview(text: string, isMarkdown: boolean): string {
  const lines = text.split(/\r?\n/);
  const heading = lines.find((l) => /^#{1,6}\s+\S/.test(l));
  if (heading && isMarkdown) return `**${escapeMd(heading.replace(/^#+\s*/, '').trim())}**`;
  const first = lines.filter((l) => l.trim() !== '').slice(0, PREVIEW_LINES).join('\n');
  if (!first) return '_(empty file)_';
  const longest = Math.max(2, ...(first.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${first}\n${fence}`;
}

/**
 * The hover of an agent id: its row (status, phase, pipeline, cells), the YAML's status with a
 * drift mark, and a link to the row. `agent` is the markdown row, undefined when only the YAML has it.
 */
export function agentHover(t: Tracker, id: string, agent: Agent | undefined, mdUri: string): string {
  let md = `**Agent ${escapeMd(id)}**`;
  if (agent) {
    md += ` — ${escapeMd(agent.status.raw)} (${STATUS_LABEL[agent.status.status]})\n\n`;
    const rows: [string, string | undefined][] = [
      ['Phase', agent.phase !== undefined ? String(agent.phase) : undefined],
      ['Pipeline', agent.pipeline],
      ['Role', agent.role?.text],
      ['Started', agent.started?.text],
      ['Completed', agent.completed?.text],
      ['Artifact', agent.artifactCell?.text],
      ['Notes', agent.notes?.text],
    ];
    for (const [k, v] of rows) if (v && v.trim() && v.trim() !== '-') md += `${k}: ${escapeMd(v.trim())}  \n`;
  } else md += '\n\nNot in the markdown tables.\n\n';
  const ya = t.yaml?.agents.find((x) => x.id === id);
  if (ya?.status) {
    const ys = yamlStatus(ya.status);
    const drift = agent && ys && !statusesAgree(ys, agent.status.status);
    md += `\n${YAML_FILE}: ${escapeMd(String(ya.status.value))}${drift ? ' ⚠ differs' : ''}\n\n`;
  }
  if (agent) {
    const r = agent.idCell.range;
    md += commandLink('Go to row', 'worktracker.revealInEditor', [mdUri, r.start.line, r.start.column, r.end.line, r.end.column]);
  }
  return md;
}
