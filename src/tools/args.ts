/**
 * Reading what a person or an agent typed: status words (done, wip, ...), dates, and the ids
 * closest to a mistyped one. Pure; shared by the CLI, the MCP server and the VS Code tools.
 */
import { toStatus } from '../core/status';
import { STATUSES, type Status } from '../core/model';

export const FRIENDLY: Record<string, Status> = {
  DONE: 'COMPLETE',
  COMPLETED: 'COMPLETE',
  FINISHED: 'COMPLETE',
  TODO: 'PENDING',
  NOT_STARTED: 'PENDING',
  STARTED: 'IN_PROGRESS',
  WIP: 'IN_PROGRESS',
  DOING: 'IN_PROGRESS',
  ACTIVE: 'IN_PROGRESS',
  RUNNING: 'IN_PROGRESS',
  FAIL: 'FAILED',
  SKIP: 'SKIPPED',
  CANCELED: 'CANCELLED',
};

export function parseStatusArg(raw: string): Status | undefined {
  const norm = raw.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if ((STATUSES as readonly string[]).includes(norm) && norm !== 'UNKNOWN') return norm as Status;
  if (FRIENDLY[norm]) return FRIENDLY[norm];
  const s = toStatus(raw);
  return s === 'UNKNOWN' ? undefined : s;
}

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n];
}

export function closeIds(id: string, ids: string[]): string[] {
  const q = id.toLowerCase();
  return [...new Set(ids)]
    .map((c) => ({ c, d: c.toLowerCase().includes(q) || q.includes(c.toLowerCase()) ? 0.5 : editDistance(q, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(q.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 5)
    .map((x) => x.c);
}

export function validDate(d: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(d) && !Number.isNaN(Date.parse(d.slice(0, 10)));
}
