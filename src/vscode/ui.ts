import * as vscode from 'vscode';
import type { Range, Status } from '../core/model';
import type { IconName, TreeSymbol } from '../core/present';

/** VS Code objects shared by the features: ranges, icons, MarkdownStrings. Text itself is in src/core/present/. */

/** Core ranges are 0-based line + UTF-16 column, exactly VS Code's positions. */
export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

export function containsPos(r: Range, p: vscode.Position): boolean {
  return toVsRange(r).contains(p);
}

/** Codicon and theme colour of each status. */
const STATUS_ICONS: Record<Status, [string, string | undefined]> = {
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

/** Codicon and theme colour of each tree symbol (icons that are not a status). */
const SYMBOL_ICONS: Record<TreeSymbol, [string, string | undefined]> = {
  drift: ['warning', 'list.warningForeground'],
  missing: ['warning', 'list.warningForeground'],
  error: ['error', undefined],
  checklist: ['checklist', undefined],
  agents: ['person', undefined],
  blockers: ['warning', undefined],
  blocker: ['warning', 'list.warningForeground'],
  'blocker-severe': ['warning', 'list.errorForeground'],
  'next-actions': ['tasklist', undefined],
  group: ['git-branch', undefined],
  file: ['file', undefined],
  gates: ['verified', undefined],
  info: ['info', undefined],
};

export function statusIcon(status: Status | undefined): vscode.ThemeIcon {
  return themeIcon(status ?? 'UNKNOWN');
}

/** The ThemeIcon a draft's icon name stands for. */
export function themeIcon(name: IconName): vscode.ThemeIcon {
  const [id, color] = name in STATUS_ICONS ? STATUS_ICONS[name as Status] : SYMBOL_ICONS[name as TreeSymbol];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
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
