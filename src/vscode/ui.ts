import * as vscode from 'vscode';
import type { Range, Status, StatusValue, YamlScalar } from '../core/model';
import { toStatus } from '../core/status';

/** Core ranges are 0-based line + UTF-16 column, exactly VS Code's positions. */
export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

export function containsPos(r: Range, p: vscode.Position): boolean {
  return toVsRange(r).contains(p);
}

const ICONS: Record<Status, [string, string | undefined]> = {
  COMPLETE: ['pass-filled', 'testing.iconPassed'],
  IN_PROGRESS: ['sync', 'charts.blue'],
  READY: ['circle-large-outline', 'testing.iconQueued'],
  PENDING: ['circle-large-outline', 'testing.iconUnset'],
  BLOCKED: ['lock', 'testing.iconErrored'],
  FAILED: ['error', 'testing.iconFailed'],
  SKIPPED: ['debug-step-over', 'testing.iconSkipped'],
  CANCELLED: ['circle-slash', 'disabledForeground'],
  UNKNOWN: ['question', undefined],
};

export function statusIcon(status: Status | undefined): vscode.ThemeIcon {
  const [id, color] = ICONS[status ?? 'UNKNOWN'];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export const DRIFT_ICON_ID = 'warning';
export function driftIcon(): vscode.ThemeIcon {
  return new vscode.ThemeIcon(DRIFT_ICON_ID, new vscode.ThemeColor('list.warningForeground'));
}

export const STATUS_LABEL: Record<Status, string> = {
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

/** Status of a YAML scalar, or undefined when it has none. */
export function yamlStatus(s: YamlScalar | undefined): Status | undefined {
  if (!s || s.value === null || s.value === undefined || s.value === '') return undefined;
  return toStatus(String(s.value));
}

export function statusOf(v: StatusValue | undefined): Status | undefined {
  return v?.status;
}

/**
 * Escapes user text for a MarkdownString: every Markdown punctuation character gets a backslash,
 * so a Notes cell holding `[x](command:...)` or `<img>` renders as the literal text.
 */
export function escapeMd(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

/** A MarkdownString for user content: untrusted (no command links run), no HTML. */
export function untrustedMarkdown(): vscode.MarkdownString {
  const m = new vscode.MarkdownString('', true);
  m.isTrusted = false;
  m.supportHtml = false;
  return m;
}

/** Our own commands that hovers may link to; nothing else can run from a hover. */
export const HOVER_COMMANDS = ['worktracker.openArtifact', 'worktracker.revealArtifact', 'worktracker.revealInEditor'];

export function trustedMarkdown(): vscode.MarkdownString {
  // No theme icons either: `$(...)` in a file's preview must stay text.
  const m = new vscode.MarkdownString('', false);
  m.isTrusted = { enabledCommands: HOVER_COMMANDS };
  m.supportHtml = false;
  return m;
}

export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${escapeMd(title)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/** Formats a byte count for humans. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
