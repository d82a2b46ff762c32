/** The quick picks the commands ask with when no tree node or argument names the target. */
import * as vscode from 'vscode';
import type { Agent, Status, Tracker } from '../core/model';
import type { TrackerEntry } from './trackerStore';
import { containsPos, statusIcon } from './ui';
import { STATUS_LABEL } from '../core/present';


/** One agent row picked by the user or named by a caller: the id plus its row line (0-based) and phase. */
export interface AgentPick {
  id: string;
  line?: number;
  phase?: number;
}

/** Statuses a user can set from a pick. */
const SETTABLE: Status[] = ['PENDING', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'FAILED', 'SKIPPED'];

/** Cursor position in the tracker's markdown when it is the active editor. */
export function cursorIn(entry: TrackerEntry): vscode.Position | undefined {
  const ed = vscode.window.activeTextEditor;
  return ed && ed.document.uri.toString() === entry.mdUri.toString() ? ed.selection.active : undefined;
}

/** A quick pick whose active item is the one under the cursor (`under`), if any. */
export async function quickPick<T extends vscode.QuickPickItem & { under?: boolean }>(items: T[], placeHolder: string, matchOnDetail = false): Promise<T | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.items = items;
  qp.placeholder = placeHolder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = matchOnDetail;
  const under = items.find((i) => i.under);
  if (under) qp.activeItems = [under];
  return new Promise<T | undefined>((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0] ?? qp.activeItems[0]);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** Asks for one agent row: every occurrence of an id is its own item (`ps-researcher · Phase 1 · Blocked`). */
export async function pickAgent(entry: TrackerEntry, t: Tracker, placeHolder: string): Promise<AgentPick | undefined> {
  if (t.agents.length === 0) {
    void vscode.window.showInformationMessage('This tracker has no agent rows.');
    return undefined;
  }
  const pos = cursorIn(entry);
  const counts = idCounts(t);
  const items = t.agents.map((a) => ({
    label: `$(${statusIcon(a.status.status).id}) ${occurrenceLabel(a, counts)}`,
    description: a.status.raw,
    detail: [a.phase !== undefined ? `Phase ${a.phase}` : undefined, `line ${a.row.range.start.line + 1}`, a.pipeline, a.notes?.text].filter(Boolean).join(' · '),
    pick: { id: a.id, line: a.row.range.start.line, phase: a.phase } as AgentPick,
    under: !!pos && containsPos(a.row.range, pos),
  }));
  return (await quickPick(items, placeHolder, true))?.pick;
}

export async function pickStatus(current: Status | undefined, what: string): Promise<Status | undefined> {
  const pick = await vscode.window.showQuickPick(
    SETTABLE.map((s) => ({ label: `$(${statusIcon(s).id}) ${STATUS_LABEL[s]}`, description: s === current ? 'current' : undefined, status: s })),
    { placeHolder: `New status for ${what}` },
  );
  return pick?.status;
}

/** How many rows each agent id (lower case) has. */
export function idCounts(t: Tracker): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of t.agents) counts.set(a.id.toLowerCase(), (counts.get(a.id.toLowerCase()) ?? 0) + 1);
  return counts;
}

/** `ps-researcher · Phase 1 · Blocked`; an id with one row is just its id. */
export function occurrenceLabel(a: Agent, counts: Map<string, number>): string {
  if ((counts.get(a.id.toLowerCase()) ?? 1) <= 1) return a.id;
  const where = a.phase !== undefined ? `Phase ${a.phase}` : `line ${a.row.range.start.line + 1}`;
  return `${a.id} · ${where} · ${STATUS_LABEL[a.status.status]}`;
}

/** The row a pick names: by line, else by phase, else the first row of the id (for display only). */
export function findOccurrence(t: Tracker, p: AgentPick): Agent | undefined {
  const same = t.agents.filter((a) => a.id.toLowerCase() === p.id.toLowerCase());
  if (p.line !== undefined) return same.find((a) => a.row.range.start.line === p.line);
  if (p.phase !== undefined) return same.find((a) => a.phase === p.phase);
  return same[0];
}
