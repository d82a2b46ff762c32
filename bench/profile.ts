/**
 * CPU profiles for the benchmark: V8's sampling profiler through `node:inspector` in the same
 * process (so only the measured calls are inside the profile), self time summed per function, and
 * each function's position mapped back to its TypeScript source through the bundle's source map
 * (`node:module`'s SourceMap, no dependency).
 */
import { Session } from 'node:inspector';
import { SourceMap } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  name: string;
  /** Source file:line (TypeScript, through the source map) or the bundle position, or a V8 category. */
  where: string;
  selfMs: number;
  selfPct: number;
}

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

/** Runs `fn` under the sampling profiler (100 µs interval) and returns the raw profile. */
export async function profile(fn: () => Promise<void>): Promise<Profile> {
  const s = new Session();
  s.connect();
  try {
    await post(s, 'Profiler.enable');
    await post(s, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(s, 'Profiler.start');
    await fn();
    const { profile: p } = await post<{ profile: Profile }>(s, 'Profiler.stop');
    return p;
  } finally {
    s.disconnect();
  }
}

const maps = new Map<string, SourceMap | null>();

function mapFor(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url)!;
  let m: SourceMap | null = null;
  try {
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (existsSync(file + '.map')) m = new SourceMap(JSON.parse(readFileSync(file + '.map', 'utf8')));
  } catch {
    m = null;
  }
  maps.set(url, m);
  return m;
}

/** Where a profiled function is, in the TypeScript (or node_modules) source, relative to `root`. */
function where(cf: CallFrame, root: string): string {
  if (!cf.url) return /^\((garbage collector|program|idle|root)\)$/.test(cf.functionName) ? '(V8)' : '(native: V8 or Node built-in)';
  const m = mapFor(cf.url);
  const e = m?.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (e && e.originalSource) {
    let src = e.originalSource;
    if (src.startsWith('file:')) src = fileURLToPath(src);
    const rel = relative(root, src.replace(/^.*?(?=\/)/, '')).replace(/^(\.\.\/)+/, '');
    return `${src.includes('/node_modules/') ? src.slice(src.lastIndexOf('node_modules/')) : rel}:${(e.originalLine ?? 0) + 1}`;
  }
  const file = cf.url.startsWith('file:') ? fileURLToPath(cf.url) : cf.url;
  return `${file.includes('/node_modules/') ? file.slice(file.lastIndexOf('node_modules/')) : relative(root, file)}:${cf.lineNumber + 1} (no source map)`;
}

/** The `n` functions with the most self time, by name and source position. */
export function topSelf(p: Profile, root: string, n = 10): HotFunction[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  // Shares are of the busy time: idle samples (waiting for timers and file-system callbacks) are left out.
  const idle = new Set(p.nodes.filter((x) => x.callFrame.functionName === '(idle)').map((x) => x.id));
  for (const id of idle) self.delete(id);
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const agg = new Map<string, HotFunction>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const cf = node.callFrame;
    const name = cf.functionName || (cf.url ? '(anonymous)' : '');
    const w = where(cf, root);
    const key = `${name}@${w}`;
    const h = agg.get(key) ?? { name: name || '(root)', where: w, selfMs: 0, selfPct: 0 };
    h.selfMs += us / 1000;
    agg.set(key, h);
  }
  const list = [...agg.values()].sort((a, b) => b.selfMs - a.selfMs);
  for (const h of list) h.selfPct = (100 * h.selfMs * 1000) / total;
  return list.slice(0, n);
}
