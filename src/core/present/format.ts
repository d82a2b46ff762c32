/**
 * Text for people: status names, Markdown escaping, command links, sizes. Pure strings; the editor
 * layer wraps them in `MarkdownString`s, and the tree and hover drafts here build on them.
 */
import type { EffectiveStatus, Status, YamlScalar } from '../model';
import { toStatus } from '../status';

export const STATUS_LABEL: Readonly<Record<Status, string>> = {
  PENDING: 'Pending',
  READY: 'Ready',
  IN_PROGRESS: 'In Progress',
  COMPLETE: 'Complete',
  BLOCKED: 'Blocked',
  FAILED: 'Failed',
  SKIPPED: 'Skipped',
  CANCELLED: 'Cancelled',
  UNKNOWN: 'Unknown',
};

/** A status not written in its own heading or row, marked with where it came from. */
export function sourcedStatus(eff: EffectiveStatus | undefined): string | undefined {
  if (!eff) return undefined;
  return `${eff.raw ?? STATUS_LABEL[eff.status]} (${eff.source === 'dashboard' ? 'from the dashboard' : eff.source === 'derived' ? 'derived' : 'own row'})`;
}

/** The tooltip's longer form of `sourcedStatus`: where the status was read, with its line. */
export function statusSourceNote(eff: EffectiveStatus | undefined): string | undefined {
  if (!eff) return undefined;
  const at = eff.line !== undefined ? ` (line ${eff.line + 1})` : '';
  const where = eff.source === 'dashboard' ? `read from the dashboard${at}` : eff.source === 'derived' ? 'derived from its units' : `read from its row${at}`;
  return `${STATUS_LABEL[eff.status]}, ${where}`;
}

/** Status of a YAML scalar, or undefined when it has none. */
export function yamlStatus(s: YamlScalar | undefined): Status | undefined {
  if (!s || s.value === null || s.value === undefined || s.value === '') return undefined;
  return toStatus(String(s.value));
}

/**
 * Escapes user text for Markdown: every Markdown punctuation character gets a backslash, so a
 * Notes cell holding `[x](command:...)` or `<img>` renders as the literal text. Newlines become spaces.
 */
export function escapeMd(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

/** Inline code for any text: code spans cannot be escaped, so the fence is longer than any backtick run inside. */
export function inlineCode(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** A Markdown link that runs one of our commands with JSON arguments (the title is escaped). */
export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${escapeMd(title)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/** Formats a byte count for humans. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
