/**
 * The folders a Tracker's paths may be written against, in the order the format's users write
 * them: `--base`, the YAML's `paths.base` (joined to the root, the project and the tracker folder,
 * never to itself), the tracker folder, `<tracker folder>/<workflow id>/`, the project folder, every
 * folder up to the root. Also the `paths.base` prefixes that name the tracker's own folder. Public
 * through `./index.ts`.
 */
import * as posix from 'node:path/posix';
import type { Tracker } from '../model';
import { isInside } from './tokens';
import { selfJoined } from './suggest';

/** `p` made absolute against `root` (`/` when none), with `/` separators. */
export function absolutePath(p: string, root: string | undefined): string {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/')) return posix.normalize(s);
  return posix.normalize(posix.join(root ?? '/', s));
}

/** Workflow id, from the YAML or the header (`Workflow ID`, `Workflow`), without backticks. */
function workflowId(tracker: Tracker): string | undefined {
  const y = tracker.yaml?.workflow.id?.value;
  if (typeof y === 'string' && y.trim() && !y.includes('{')) return y.trim();
  for (const f of tracker.header) {
    if (/^workflow(\s*id)?$/i.test(f.key.trim())) {
      const v = f.value.replace(/`/g, '').trim();
      if (/^[\w.-]+$/.test(v)) return v;
    }
  }
  return undefined;
}

/** `paths.base` naming the tracker's own folder (`orchestration/wf-1/` for `…/orchestration/wf-1`). */
export function basePrefixes(tracker: Tracker, trackerDir: string): { prefix: string; dir: string }[] {
  const yb = tracker.yaml?.pathsBase?.value;
  if (typeof yb !== 'string' || !yb.trim() || /[{}]/.test(yb) || yb.trim().startsWith('/')) return [];
  const tail = posix.normalize(yb.trim().replace(/\\/g, '/')).replace(/\/$/, '');
  if (!tail || tail === '.' || tail.startsWith('..')) return [];
  return trackerDir === tail || trackerDir.endsWith('/' + tail) ? [{ prefix: tail + '/', dir: trackerDir }] : [];
}

/** Candidate base folders, in the order the format's users write paths against them. */
export function candidateBases(tracker: Tracker, root: string, trackerDir: string, explicitBase?: string): string[] {
  const bases: string[] = [];
  if (explicitBase) bases.push(absolutePath(explicitBase, root));
  const rel = posix.relative(root, trackerDir);
  const segs = rel && !rel.startsWith('..') ? rel.split('/') : [];
  const pi = segs.indexOf('projects');
  const projectDir = pi >= 0 && segs[pi + 1] ? posix.join(root, ...segs.slice(0, pi + 2)) : undefined;
  const yb = tracker.yaml?.pathsBase?.value;
  if (typeof yb === 'string' && yb.trim() && !/[{}]/.test(yb)) {
    const v = yb.trim().replace(/\\/g, '/');
    if (v.startsWith('/')) bases.push(posix.normalize(v));
    else {
      const tail = posix.normalize(v).replace(/\/$/, '');
      // `paths.base` naming the tracker's own folder (relative to some ancestor) means the tracker folder.
      if (tail && tail !== '.' && (trackerDir === tail || trackerDir.endsWith('/' + tail))) bases.push(trackerDir);
      // Never a folder joined to itself (`projects/X` + `projects/X/` = `projects/X/projects/X`).
      const vSegs = [...posix.normalize(v).replace(/\/$/, '').split('/'), ''];
      for (const dir of [root, projectDir, trackerDir]) {
        if (dir && !selfJoined(posix.relative(root, dir), vSegs)) bases.push(posix.join(dir, v));
      }
    }
  }
  bases.push(trackerDir);
  const wf = workflowId(tracker);
  if (wf) bases.push(posix.join(trackerDir, wf));
  if (projectDir) bases.push(projectDir);
  // Every folder between the tracker and the root: trackers nest under work items too.
  for (let d = posix.dirname(trackerDir); isInside(root, d) && d !== root; d = posix.dirname(d)) bases.push(d);
  bases.push(root);
  return [...new Set(bases.map((b) => posix.normalize(b).replace(/(.)\/$/, '$1')))];
}
