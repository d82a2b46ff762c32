/**
 * `npm run bench`: the extension's real paths at scale (issue 13).
 *
 * The headline rows drive the production bundle (`scripts/build.mjs --production`, built into a temp
 * folder so `dist/` is left alone) in child processes, against a fake `vscode` (bench/vscodeStub.ts)
 * whose workspace folder holds a generated tracker on the real file system:
 * - keystroke re-analysis: the open document's text changes (one status cell, alternating between two
 *   texts) and its version is bumped; then `store.reparse(entry)` (what the debounce timer calls) and
 *   the diagnostics run it schedules, until the diagnostics are published and VS Code's
 *   `onDidChangeDiagnostics` listeners have run. Only the debounce delay is skipped.
 * - save: `saveSync.editsFor(doc)` on a document whose dashboard is stale (what the save participant awaits).
 * - cold analysis: a fresh TrackerEntry (fresh markdown cache) after a file-system event that drops the
 *   path caches: `store.reparse` + `diagnostics.run`, i.e. what discovery of a new tracker costs.
 * - activation: `require()` of the production bundle + `activate()`, each in a fresh process.
 * Their peers (markdown-it, bare remark + GFM, remark with only the GFM table extension, `syncDerived`
 * alone) come from bench/benchCore.ts, bundled the same way, and run interleaved with them round by
 * round (round k runs each measure once, in a fixed order); medians over rounds.
 *
 * Flags: `--sizes=10K,1M` (subset), `--quick` (few rounds), `--no-vsix`, `--no-profile`, `--no-real`.
 * Subset and quick runs write to the temp folder, never bench/results.md. Internal: `--child=...`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SIZES, generateTracker, materialize } from './generate';
import { createHost, fireProbe, loadExtension, Uri, type FakeDocument, type Host, type LooseApi, type LooseEntry, type LooseFinding } from './vscodeStub';
import { profile, topSelf, type HotFunction } from './profile';

const ROOT = resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const flagValue = (name: string) => flag(name)?.split('=').slice(1).join('=');
const QUICK = !!flag('quick');
const SEED = 20260220;
const EXAMPLES = resolve(ROOT, '../shared/format/examples');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

// ------------------------------------------------------------------ builds

/**
 * Runs the project's own build script in a shadow folder (symlinks to src/, scripts/, node_modules/ and
 * the rest), so the bundle is exactly what `npm run build` makes, written to a temp `dist/`.
 */
function shadowBuild(production: boolean): { dir: string; bundle: string; error?: string } {
  const dir = mkdtempSync(join(tmpdir(), production ? 'wt-prod-' : 'wt-dev-'));
  for (const name of readdirSync(ROOT)) {
    if (name === 'dist' || name === '.git' || name === 'out' || name === 'test-output' || name === '.vscode-test') continue;
    symlinkSync(join(ROOT, name), join(dir, name));
  }
  const r = spawnSync(process.execPath, ['scripts/build.mjs', ...(production ? ['--production'] : [])], { cwd: dir, encoding: 'utf8' });
  const bundle = join(dir, 'dist/extension.js');
  return { dir, bundle, error: r.status !== 0 || !existsSync(bundle) ? (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(0, 3).join(' ') : undefined };
}

/** bench/benchCore.ts (peers and core) bundled with esbuild, with a source map. */
async function buildCoreBundle(dir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(dir, 'benchCore.cjs');
  await esbuild.build({ entryPoints: [join(ROOT, 'bench/benchCore.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' });
  return outfile;
}

interface CoreBundle {
  peers(): { remarkGfm: (md: string) => unknown; remarkTables: (md: string) => unknown; markdownIt: (md: string) => unknown };
  core: {
    parseTracker: (md: string, yaml: string | undefined, o: { mdFile: string; yamlFile: string }) => LooseTracker;
    analyze: (t: LooseTracker, o: Record<string, unknown>) => Promise<LooseFinding[]>;
    syncDerived: (t: LooseTracker, o: { now: Date }) => { file: string }[];
    staleness: unknown;
    NodeFs: new () => unknown;
  };
}
type LooseTracker = NonNullable<LooseEntry['tracker']>;

function loadCore(file: string): CoreBundle {
  return createRequire(__filename)(file) as CoreBundle;
}

// ------------------------------------------------------------------ statistics

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const now = () => performance.now();

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

// ------------------------------------------------------------------ the extension in a child

interface Harness {
  host: Host;
  api: LooseApi;
  entry: LooseEntry;
  doc: FakeDocument;
  cleanup(): void;
  requireMs: number;
  activateMs: number;
}

/** Resolves when the diagnostics of `entry` are next published. */
function nextUpdate(api: LooseApi, entry: LooseEntry, ms = 600_000): Promise<void> {
  const on = api.diagnostics.onDidUpdate;
  if (typeof on !== 'function') return Promise.reject(new Error('diagnostics.onDidUpdate missing'));
  return withTimeout(
    new Promise<void>((res) => {
      const d = on.call(api.diagnostics, (e: LooseEntry) => {
        if (e.key === entry.key) {
          d.dispose();
          res();
        }
      });
    }),
    ms,
    'diagnostics publish',
  );
}

/** Activates the bundle on `folder` with `mdPath` open in the editor; waits for discovery and the first diagnostics. */
async function startExtension(bundle: string, folder: string, mdPath: string): Promise<Harness> {
  const host = createHost({ folder, extensionRoot: ROOT });
  const doc = host.openDocument(mdPath);
  const loaded = loadExtension(bundle, host, ROOT);
  if (!loaded.api) throw new Error(`activate() failed: ${loaded.error}`);
  const api = loaded.api;
  const firstRun = new Promise<void>((res) => {
    const d = api.diagnostics.onDidUpdate?.(() => {
      d?.dispose();
      res();
    });
  });
  await withTimeout(api.ready, 600_000, 'discovery');
  const entry = api.store.all()[0];
  if (!entry) throw new Error('discovery found no tracker');
  await withTimeout(firstRun, 600_000, 'first diagnostics');
  await host.diagnosticsSettled();
  return { host, api, entry, doc, cleanup: loaded.cleanup, requireMs: loaded.requireMs, activateMs: loaded.activateMs };
}

/**
 * One keystroke: the document gets the one of the two texts it does not have now (a new version),
 * then the store's re-parse and the diagnostics run it schedules. The first event fired inside
 * `reparse` is the store's change event: what comes before it is the parse, after it its listeners.
 */
async function keystroke(h: Harness, texts: readonly string[]): Promise<{ total: number; parse: number; changeListeners: number; analysis: number; listeners: number; deferredCpu: number }> {
  const text = texts.find((t) => t !== h.doc.getText());
  if (text === undefined) throw new Error('keystroke: no different text');
  h.doc.setText(text);
  const published = nextUpdate(h.api, h.entry, 300_000);
  let tFire: number | undefined;
  fireProbe.hook = () => (tFire ??= now());
  const t0 = now();
  await h.api.store.reparse(h.entry);
  const t1 = now();
  fireProbe.hook = undefined;
  await published;
  const t2 = now();
  await h.host.diagnosticsSettled();
  const t3 = now();
  tFire ??= t1;
  // Work the extension defers past the keystroke (a tree rebuild on a timer, say) is not part of
  // it, but must not land in the next measure: wait it out, and report the CPU time it took.
  const c0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, DEFERRED_WAIT_MS));
  await h.host.diagnosticsSettled();
  const c = process.cpuUsage(c0);
  return { total: t3 - t0, parse: tFire - t0, changeListeners: t1 - tFire, analysis: t2 - t1, listeners: t3 - t2, deferredCpu: (c.user + c.system) / 1000 };
}

/** How long after a keystroke deferred work is waited for (the tree rebuilds 150 ms after the last change). */
const DEFERRED_WAIT_MS = 400;

/**
 * Cold analysis through the extension: a file-system event on the workspace folder (what drops the
 * extension's path caches), then a fresh TrackerEntry in the store's place: re-parse with an empty
 * markdown cache, a full diagnostics run, publish.
 */
async function coldAnalysis(h: Harness, mdPath = h.entry.mdUri.fsPath): Promise<{ total: number; parse: number; analysis: number; findings: LooseFinding[] }> {
  for (const w of h.host.watchers) if (w.glob === '**/*') w.onCreate.fire(h.host.folderUri);
  const Entry = h.entry.constructor;
  const fresh = new Entry(Uri.file(mdPath));
  const entries = (h.api.store as { entries?: Map<string, LooseEntry> }).entries;
  const previous = entries instanceof Map ? entries.get(fresh.key) : undefined;
  if (entries instanceof Map) entries.set(fresh.key, fresh);
  try {
    const t0 = now();
    await h.api.store.reparse(fresh, { notify: false });
    const t1 = now();
    const findings = await h.api.diagnostics.run(fresh);
    await h.host.diagnosticsSettled();
    const t2 = now();
    return { total: t2 - t0, parse: t1 - t0, analysis: t2 - t1, findings };
  } finally {
    if (entries instanceof Map) {
      if (previous) entries.set(fresh.key, previous);
      else entries.delete(fresh.key);
    }
  }
}

/**
 * Two texts one status cell apart, both with a stale dashboard: agent A is COMPLETE in both (so the
 * dashboard's counts are stale), agent B keeps its status in one and is COMPLETE in the other. Typing
 * alternates between them, so every keystroke is a real one-cell change.
 */
function statusTexts(entry: LooseEntry, md: string): { texts: [string, string]; agents: string[] } | undefined {
  const agents = entry.tracker?.agents ?? [];
  const candidates = agents.filter((a) => a.status && ['PENDING', 'IN_PROGRESS', 'BLOCKED'].includes(a.status.status));
  const a = candidates[Math.floor(candidates.length / 2)];
  const b = candidates.find((x) => x !== a && x.status.range.start.offset !== a?.status.range.start.offset);
  if (!a || !b) return undefined;
  const put = (text: string, ...cells: { start: number; end: number }[]) => {
    for (const c of [...cells].sort((x, y) => y.start - x.start)) text = text.slice(0, c.start) + 'COMPLETE' + text.slice(c.end);
    return text;
  };
  const cell = (x: typeof a) => ({ start: x.status.range.start.offset, end: x.status.range.end.offset });
  return { texts: [put(md, cell(a)), put(md, cell(a), cell(b))], agents: [a.id, b.id] };
}

/** Comparable form of findings and of published diagnostics: code, file, range, message. */
function findingKeys(fs: LooseFinding[]): string[] {
  return fs.map((f) => `${f.code}|${Uri.file(f.file).toString()}|${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}|${f.message}`).sort();
}
function diagnosticKeys(host: Host): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.diagnostics) {
    for (const d of list) {
      const code = typeof d.code === 'object' && d.code ? String((d.code as { value: unknown }).value) : String(d.code);
      out.push(`${code}|${uri}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`);
    }
  }
  return out.sort();
}
function sameKeys(a: string[], b: string[]): string {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return `equal (${a.length})`;
  const sa = new Set(a);
  const sb = new Set(b);
  return `DIFFERENT: ${a.length} vs ${b.length}; only in the first: ${a.filter((x) => !sb.has(x)).slice(0, 2).join(' ; ')}; only in the second: ${b.filter((x) => !sa.has(x)).slice(0, 2).join(' ; ')}`;
}

// ------------------------------------------------------------------ child: one size

interface SizeOut {
  label: string;
  bytes: number;
  yamlBytes: number;
  agents: number;
  phases: number;
  pipelines: number;
  artifacts: number;
  rounds: number;
  series: Record<string, number[]>;
  notes: string[];
  load: { start: string; end: string };
  activation?: { requireMs: number; activateMs: number; readyMs: number };
}

/** Which rounds a size gets (the first, warm-up round is not counted). */
function roundsFor(bytes: number): number {
  if (QUICK) return bytes >= 4e6 ? 1 : bytes >= 1e6 ? 2 : 3;
  return bytes >= 4e6 ? 3 : bytes >= 1e6 ? 7 : bytes >= 1e5 ? 15 : 31;
}

async function sizeChild(bytes: number, label: string, bundle: string, coreFile: string): Promise<void> {
  const loadStart = load();
  const gen = generateTracker({ seed: SEED, targetBytes: bytes });
  const work = mkdtempSync(join(tmpdir(), 'wt-bench-'));
  const notes: string[] = [];
  const series: Record<string, number[]> = {};
  const add = (k: string, v: number) => (series[k] ??= []).push(v);
  try {
    mkdirSync(join(work, '.git'));
    const { mdPath, yamlPath } = materialize(gen, work);
    const { peers, core } = loadCore(coreFile);
    const p = peers();
    const t0 = now();
    const h = await startExtension(bundle, work, mdPath);
    const readyMs = now() - t0;
    const st = statusTexts(h.entry, gen.md);
    if (!st) throw new Error('no agent with a status to edit');
    const files = { mdFile: h.entry.mdUri.path, yamlFile: Uri.file(yamlPath).path };
    const parsed = st.texts.map((t) => core.parseTracker(t, gen.yaml, files));
    const big = bytes >= 4e6;
    const rounds = roundsFor(bytes);
    let lastEdits = -1;
    for (let k = -1; k < rounds; k++) {
      const warm = k < 0;
      const rec = (name: string, v: number) => !warm && add(name, v);
      const text = st.texts[(k + 2) % 2];
      // Fixed order within a round; each measure once.
      let t = now();
      p.markdownIt(text);
      rec('markdown-it parse', now() - t);
      if (!(warm && big)) {
          t = now();
        p.remarkGfm(text);
        rec('bare remark + GFM', now() - t);
        if (!big) {
              t = now();
          p.remarkTables(text);
          rec('remark + GFM table only', now() - t);
        }
          const c = await coldAnalysis(h);
        rec('cold analysis', c.total);
        rec('cold: parse (store.reparse, fresh entry)', c.parse);
        rec('cold: analysis (diagnostics.run + publish)', c.analysis);
        // The cold measure began with a file event that emptied the path cache; typing happens on
        // an extension that has analysed the document before: one untimed keystroke restores that.
        await keystroke(h, st.texts);
      }
      const ks = await keystroke(h, st.texts);
      rec('keystroke re-analysis', ks.total);
      rec('keystroke: parse (store.reparse up to its change event)', ks.parse);
      rec('keystroke: store change listeners (tree, status bar)', ks.changeListeners);
      rec('keystroke: diagnostics run to publish', ks.analysis);
      rec('keystroke: onDidChangeDiagnostics listeners', ks.listeners);
      rec(`after the keystroke, not in it: CPU time of deferred work in the next ${DEFERRED_WAIT_MS} ms (tree rebuild)`, ks.deferredCpu);
      t = now();
      const edits = await h.api.saveSync.editsFor(h.doc);
      rec('save (saveSync.editsFor)', now() - t);
      lastEdits = edits.length;
      if (edits.length === 0) notes.push(`save: no edits in round ${k} (dashboard not stale?)`);
      t = now();
      core.syncDerived(parsed[(k + 2) % 2], { now: new Date('2026-02-21T10:00:00Z') });
      rec('syncDerived alone (parsed model)', now() - t);
    }
    // Sanity: what the keystroke path published equals a cold analysis of the same text by the core.
    const text = h.doc.getText();
    const t = core.parseTracker(text, gen.yaml, files);
    const reference = await core.analyze(t, { fs: new core.NodeFs(), root: Uri.file(work).path, concurrency: 8, staleness: core.staleness });
    notes.push(`keystroke diagnostics vs a cold core analysis of the same text: ${sameKeys(diagnosticKeys(h.host), findingKeys(reference))}`);
    const cold = await coldAnalysis(h);
    notes.push(`cold-analysis findings (extension, fresh entry) vs the same reference: ${sameKeys(findingKeys(cold.findings), findingKeys(reference))}`);
    notes.push(`agent ${st.agents[0]} is COMPLETE in both texts (stale dashboard); each keystroke flips agent ${st.agents[1]}'s status cell between its own status and COMPLETE; save returned ${lastEdits} edit(s) on the last round`);
    const out: SizeOut = {
      label,
      bytes: Buffer.byteLength(gen.md),
      yamlBytes: Buffer.byteLength(gen.yaml),
      agents: gen.agents.length,
      phases: gen.phases.length,
      pipelines: gen.pipelines.length,
      artifacts: gen.files.length,
      rounds,
      series,
      notes,
      load: { start: loadStart, end: load() },
      activation: { requireMs: h.requireMs, activateMs: h.activateMs, readyMs },
    };
    h.cleanup();
    process.stdout.write('\n@@JSON ' + JSON.stringify(out) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

// ------------------------------------------------------------------ child: activation

async function activateChild(bundle: string): Promise<void> {
  const gen = generateTracker({ seed: SEED, targetBytes: 100 * 1024 });
  const work = mkdtempSync(join(tmpdir(), 'wt-act-'));
  mkdirSync(join(work, '.git'));
  materialize(gen, work);
  const host = createHost({ folder: work, extensionRoot: ROOT });
  const t0 = now();
  const loaded = loadExtension(bundle, host, ROOT);
  let readyMs: number | undefined;
  if (loaded.api) {
    await loaded.api.ready;
    readyMs = now() - t0;
  }
  loaded.cleanup();
  rmSync(work, { recursive: true, force: true });
  process.stdout.write('\n@@JSON ' + JSON.stringify({ requireMs: loaded.requireMs, activateMs: loaded.activateMs, readyMs, error: loaded.error, subscriptions: loaded.subscriptions }) + '\n');
  process.exit(0);
}

// ------------------------------------------------------------------ child: peak heap

/** Peak heap of a cold analysis (extension path), warm JIT; run with --expose-gc --trace-gc. */
async function memChild(bytes: number, bundle: string, coreFile?: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  if (coreFile) {
    // The same measure for one bare remark + GFM parse: the floor the reader builds on.
    const p = loadCore(coreFile).peers();
    p.remarkGfm(generateTracker({ seed: 1, targetBytes: 20_000 }).md);
    const md = generateTracker({ seed: SEED, targetBytes: bytes }).md;
    gc();
    gc();
    const base = process.memoryUsage().heapUsed;
    process.stdout.write(`@@BEGIN ${base}\n`);
    let tree: unknown = p.remarkGfm(md);
    const end = process.memoryUsage().heapUsed;
    process.stdout.write(`@@END ${end}\n`);
    gc();
    const retained = process.memoryUsage().heapUsed - base;
    tree = undefined;
    process.stdout.write(JSON.stringify({ base, end, retained, bytes: Buffer.byteLength(md), tree }) + '\n');
    process.exit(0);
  }
  const work = mkdtempSync(join(tmpdir(), 'wt-mem-'));
  try {
    mkdirSync(join(work, '.git'));
    // A small tracker in the workspace warms the code; the measured one is added as a fresh entry.
    const small = generateTracker({ seed: 1, targetBytes: 20_000 });
    const smallDir = join(work, 'small');
    mkdirSync(smallDir);
    const { mdPath: smallMd } = materialize(small, smallDir);
    const h = await startExtension(bundle, work, smallMd);
    await coldAnalysis(h);
    const gen = generateTracker({ seed: SEED, targetBytes: bytes });
    const bigDir = join(work, 'big');
    mkdirSync(bigDir);
    const { mdPath } = materialize(gen, bigDir);
    gc();
    gc();
    const base = process.memoryUsage().heapUsed;
    // With --trace-gc V8 prints the heap size before every collection: the peak is the largest of
    // those between the markers, or the size at the end.
    process.stdout.write(`@@BEGIN ${base}\n`);
    const r = await coldAnalysis(h, mdPath);
    const end = process.memoryUsage().heapUsed;
    process.stdout.write(`@@END ${end}\n`);
    gc();
    const retained = process.memoryUsage().heapUsed - base;
    process.stdout.write(JSON.stringify({ base, end, retained, findings: r.findings.length, bytes: Buffer.byteLength(gen.md) }) + '\n');
    h.cleanup();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

interface Heap {
  peakHeap: number;
  retained: number;
  bytes: number;
  error?: string;
}

function memRun(bytes: number, bundle: string, coreFile?: string): Heap {
  const r = spawnSync(process.execPath, ['--expose-gc', '--trace-gc', '--import', 'tsx', __filename, '--child=mem', `--bytes=${bytes}`, `--bundle=${bundle}`, ...(coreFile ? [`--core=${coreFile}`] : [])], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 900_000 });
  const lines = (r.stdout ?? '').split('\n');
  const b = lines.findIndex((l) => l.startsWith('@@BEGIN '));
  const e = lines.findIndex((l) => l.startsWith('@@END '));
  const last = lines.filter((l) => l.startsWith('{')).pop();
  if (b < 0 || e < 0 || !last) return { peakHeap: 0, retained: 0, bytes, error: (r.stderr || 'no markers').trim().split('\n').slice(-2).join(' ') };
  const { base, end, retained, bytes: fileBytes } = JSON.parse(last) as { base: number; end: number; retained: number; bytes: number };
  let peak = end;
  for (const l of lines.slice(b + 1, e)) {
    // `Scavenge 45.2 (60.1) -> 40.1 (62.3) MB`: the first figure is the heap used before that GC.
    const m = /(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep)[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+)/.exec(l);
    if (m) peak = Math.max(peak, parseFloat(m[1]) * 1024 * 1024);
  }
  return { peakHeap: peak - base, retained, bytes: fileBytes };
}

// ------------------------------------------------------------------ child: real-shaped trackers

/** Tracker folders (markdown + YAML side by side): the shared examples and the test fixtures. */
function realPairs(): { set: string; dir: string }[] {
  const out: { set: string; dir: string }[] = [];
  const add = (set: string, dir: string) => existsSync(join(dir, 'ORCHESTRATION_WORKTRACKER.md')) && out.push({ set, dir });
  if (existsSync(EXAMPLES)) for (const d of readdirSync(EXAMPLES).sort()) add('examples', join(EXAMPLES, d));
  const fx = join(ROOT, 'test/fixtures');
  if (existsSync(fx)) for (const c of readdirSync(fx).sort()) if (statSync(join(fx, c)).isDirectory()) for (const d of readdirSync(join(fx, c)).sort()) if (statSync(join(fx, c, d)).isDirectory()) add('fixtures', join(fx, c, d));
  return out;
}

interface RealOut {
  pairs: { set: string; name: string; bytes: number; cold: number; remark: number; rounds: number }[];
  load: { start: string; end: string };
  examples: boolean;
}

/**
 * Cold analysis vs bare remark + GFM on each real-shaped tracker, in place (nothing copied): one
 * activation whose workspace folder is switched to each tracker's folder, fresh entries as above.
 */
async function realChild(bundle: string, coreFile: string): Promise<void> {
  const loadStart = load();
  const pairs = realPairs();
  const { peers } = loadCore(coreFile);
  const p = peers();
  const first = pairs[0];
  const h = await startExtension(bundle, first.dir, join(first.dir, 'ORCHESTRATION_WORKTRACKER.md'));
  const rounds = QUICK ? 3 : 15;
  const out: RealOut = { pairs: [], load: { start: loadStart, end: '' }, examples: existsSync(EXAMPLES) };
  for (const pair of pairs) {
    h.host.setFolder(pair.dir);
    const mdPath = join(pair.dir, 'ORCHESTRATION_WORKTRACKER.md');
    const md = readFileSync(mdPath, 'utf8');
    const cold: number[] = [];
    const remark: number[] = [];
    for (let k = -2; k < rounds; k++) {
      const t = now();
      p.remarkGfm(md);
      const r = now() - t;
      const c = await coldAnalysis(h, mdPath);
      if (k >= 0) {
        remark.push(r);
        cold.push(c.total);
      }
    }
    out.pairs.push({ set: pair.set, name: pair.dir.startsWith(EXAMPLES) ? pair.dir.slice(EXAMPLES.length + 1) : pair.dir.slice(ROOT.length + 1), bytes: Buffer.byteLength(md), cold: median(cold), remark: median(remark), rounds });
  }
  out.load.end = load();
  h.cleanup();
  process.stdout.write('\n@@JSON ' + JSON.stringify(out) + '\n');
  process.exit(0);
}

// ------------------------------------------------------------------ child: CPU profiles

interface ProfileOut {
  keystroke: HotFunction[];
  cold: HotFunction[];
  keystrokeRuns: number;
  coldRuns: number;
  bundle: string;
}

/** CPU profiles at one size of the keystroke path and of the cold analysis, on the unminified bundle with its source map. */
async function profileChild(bytes: number, bundle: string): Promise<void> {
  const gen = generateTracker({ seed: SEED, targetBytes: bytes });
  const work = mkdtempSync(join(tmpdir(), 'wt-prof-'));
  try {
    mkdirSync(join(work, '.git'));
    const { mdPath } = materialize(gen, work);
    const h = await startExtension(bundle, work, mdPath);
    const st = statusTexts(h.entry, gen.md);
    if (!st) throw new Error('no agent with a status to edit');
    for (let i = 0; i < 3; i++) await keystroke(h, st.texts);
    await coldAnalysis(h);
    const ksRuns = QUICK ? 3 : 10;
    const coldRuns = QUICK ? 1 : 3;
    const kp = await profile(async () => {
      for (let i = 0; i < ksRuns; i++) await keystroke(h, st.texts);
    });
    const cp = await profile(async () => {
      for (let i = 0; i < coldRuns; i++) await coldAnalysis(h);
    });
    const out: ProfileOut = { keystroke: topSelf(kp, ROOT), cold: topSelf(cp, ROOT), keystrokeRuns: ksRuns, coldRuns, bundle };
    h.cleanup();
    process.stdout.write('\n@@JSON ' + JSON.stringify(out) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

// ------------------------------------------------------------------ running children

function runChild<T>(kind: string, extra: string[], timeout = 900_000): T & { error?: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, `--child=${kind}`, ...extra, ...(QUICK ? ['--quick'] : [])], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('@@JSON '));
  if (line) return JSON.parse(line.slice(7)) as T & { error?: string };
  return { error: (r.stderr || r.stdout || `exit ${r.status}${r.signal ? ' ' + r.signal : ''}`).trim().split('\n').slice(-4).join(' / ') } as T & { error?: string };
}

// ------------------------------------------------------------------ report

const fmtMs = (x?: number) => (x === undefined || Number.isNaN(x) ? 'n/a' : x >= 100 ? x.toFixed(0) + ' ms' : x >= 10 ? x.toFixed(1) + ' ms' : x.toFixed(2) + ' ms');
const fmtBytes = (n: number) => (n >= 1 << 20 ? (n / (1 << 20)).toFixed(2) + ' MiB' : (n / 1024).toFixed(1) + ' KiB');
const met = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : '**MISSED**');
const esc = (s: string) => s.replace(/\|/g, '\\|');

interface Run {
  started: string;
  commit: string;
  loadStart: string;
  loadEnd?: string;
  sizes: (SizeOut & { heap?: Heap; remarkHeap?: Heap; error?: string })[];
  activation: { requireMs: number; activateMs: number; readyMs?: number; error?: string; subscriptions?: number }[];
  bundleBytes?: number;
  bundleError?: string;
  vsix?: string;
  real?: RealOut & { error?: string };
  prof?: ProfileOut & { error?: string; label: string };
  minutes?: number;
  quick: boolean;
}

const med = (s: SizeOut | undefined, k: string) => (s ? median(s.series[k] ?? []) : undefined);

function report(run: Run): string {
  const o: string[] = [];
  const bySize = (label: string) => run.sizes.find((s) => s.label === label && !s.error);
  o.push('# Benchmark results', '');
  o.push(
    `Generated by \`npm run bench\`${run.quick ? ' --quick' : ''} on ${run.started.slice(0, 16).replace('T', ' ')} UTC at commit ${run.commit}: Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${fmtBytes(totalmem())} RAM; load average (1/5/15 min) ${run.loadStart} at the start, ${run.loadEnd ?? '?'} at the end${run.minutes ? `; ${run.minutes.toFixed(1)} minutes` : ''}; seed ${SEED}.`,
    '',
    'How: each size runs in its own child process, which activates the **production bundle** (`scripts/build.mjs --production`, built into a temp folder) against a fake `vscode` (`bench/vscodeStub.ts`) whose workspace folder holds the generated tracker and its artifact files on disk, with the markdown open as a document. Measures are interleaved round by round (round k runs each measure once, in the order of the table; no forced garbage collection in between: a forced full collection before each call was tried and doubled every figure, markdown-it included, as the heap then shrinks and compiled code is dropped); a first warm-up round is not counted (at 5 MiB only the cheap measures are warmed); the figure is the median over rounds. The peers (markdown-it, remark) come from `bench/benchCore.ts`, bundled by esbuild the same way. Times include the file-system work the extension does (stat, realpath, directory walks through `workspace.fs` backed by Node\'s fs).',
    '',
    '- **keystroke re-analysis**: on an extension that has analysed the document before (after the cold measure, whose file event empties the path cache, one untimed keystroke restores that state), the document text changes (one status cell, alternating between two texts so each run is a real change; both texts have a stale dashboard) and its version is bumped; timed from `store.reparse(entry)` (what the debounce timer calls) to the diagnostics run it schedules having published, and the `onDidChangeDiagnostics` listeners having run. Only the `refreshDelay` debounce is skipped. Work the extension defers to a later timer (the tree rebuild) is waited out after each keystroke and reported apart as CPU time (`process.cpuUsage`, all threads).',
    '- **save**: `saveSync.editsFor(doc)` — what the save participant awaits (parse of the document through the entry\'s cache + `syncDerived`) — on the just-edited document, whose dashboard is stale.',
    '- **cold analysis**: a create event on the workspace folder (which drops the extension\'s path caches), then a fresh `TrackerEntry` (empty markdown cache) put in the store: `store.reparse` + `diagnostics.run` + publish — what discovering a tracker costs.',
    '- **activation**: `require()` of the production bundle + `activate()`, each in a fresh process (workspace: a generated 100 KiB tracker; discovery, which follows asynchronously, is shown apart).',
    '',
  );

  // Headline targets
  const t100 = bySize('100 KiB');
  const t1m = bySize('1 MiB');
  const t5m = bySize('5 MiB');
  const act = run.activation.filter((a) => !a.error);
  const actTotal = median(act.map((a) => a.requireMs + a.activateMs));
  const rows: string[] = [];
  if (t100) rows.push(`| Keystroke re-analysis ≤ 16 ms at 100 KiB | ${fmtMs(med(t100, 'keystroke re-analysis'))} | ${met(med(t100, 'keystroke re-analysis')! <= 16)} |`);
  if (t1m) rows.push(`| Keystroke re-analysis at 1 MiB < one markdown-it parse | ${fmtMs(med(t1m, 'keystroke re-analysis'))} vs ${fmtMs(med(t1m, 'markdown-it parse'))} | ${met(med(t1m, 'keystroke re-analysis')! < med(t1m, 'markdown-it parse')!)} |`);
  if (t100) rows.push(`| Save (saveSync.editsFor) ≤ 20 ms at 100 KiB | ${fmtMs(med(t100, 'save (saveSync.editsFor)'))} | ${met(med(t100, 'save (saveSync.editsFor)')! <= 20)} |`);
  rows.push(`| Activation (require + activate(), production bundle) ≤ 50 ms | ${act.length ? `${fmtMs(actTotal)} (require ${fmtMs(median(act.map((a) => a.requireMs)))} + activate ${fmtMs(median(act.map((a) => a.activateMs)))}; median of ${act.length} processes)` : `n/a (${run.activation[0]?.error ?? 'not run'})`} | ${met(act.length ? actTotal <= 50 : undefined)} |`);
  for (const s of run.sizes) {
    if (s.error) continue;
    const c = med(s, 'cold analysis');
    const r = med(s, 'bare remark + GFM');
    rows.push(`| Cold analysis ≤ 1.2× bare remark + GFM, ${s.label} | ${fmtMs(c)} vs ${fmtMs(r)} = ${c && r ? (c / r).toFixed(2) : 'n/a'}× | ${met(c && r ? c <= 1.2 * r : undefined)} |`);
  }
  if (run.real && !run.real.error) {
    for (const set of ['examples', 'fixtures']) {
      const ps = run.real.pairs.filter((x) => x.set === set);
      if (!ps.length) continue;
      const c = ps.reduce((a, x) => a + x.cold, 0);
      const r = ps.reduce((a, x) => a + x.remark, 0);
      const over = ps.filter((x) => x.cold > 1.2 * x.remark).length;
      rows.push(`| Cold analysis ≤ 1.2× bare remark + GFM, real-shaped: ${set} (${ps.length} trackers, summed medians) | ${fmtMs(c)} vs ${fmtMs(r)} = ${(c / r).toFixed(2)}×; ${over} of ${ps.length} trackers over 1.2× | ${met(c <= 1.2 * r)} |`);
    }
  }
  if (t1m && t5m) {
    for (const [stage, key] of [
      ['markdown parse, cold (store.reparse of a fresh entry: markdown + YAML)', 'cold: parse (store.reparse, fresh entry)'],
      ['analysis, cold (cold analysis total)', 'cold analysis'],
      ['keystroke re-analysis', 'keystroke re-analysis'],
      ['save', 'save (saveSync.editsFor)'],
    ] as const) {
      const a = med(t1m, key)!;
      const b = med(t5m, key)!;
      const size = t5m.bytes / t1m.bytes;
      rows.push(`| Linear growth: ${stage}, 5 MiB / 1 MiB ≤ 6 | ${fmtMs(b)} / ${fmtMs(a)} = ${(b / a).toFixed(2)} (file ratio ${size.toFixed(2)}) | ${met(b / a <= 6)} |`);
    }
  }
  if (t1m?.heap) {
    const h = t1m.heap;
    const rh = t1m.remarkHeap && !t1m.remarkHeap.error ? `; one bare remark + GFM parse alone: ${(t1m.remarkHeap.peakHeap / t1m.remarkHeap.bytes).toFixed(1)}×` : '';
    rows.push(h.error ? `| Peak heap < 20× the file at 1 MiB | n/a (${esc(h.error)}) | n/a |` : `| Peak heap < 20× the file at 1 MiB (cold analysis) | ${fmtBytes(h.peakHeap)} = ${(h.peakHeap / h.bytes).toFixed(1)}×${rh} | ${met(h.peakHeap < 20 * h.bytes)} |`);
  }
  o.push('## Targets (issue 13)', '', '| target | measured | |', '|---|---|---|', ...rows, '');

  // Per size
  for (const s of run.sizes) {
    if (s.error) {
      o.push(`## ${s.label}`, '', `Failed: ${s.error}`, '');
      continue;
    }
    o.push(`## ${s.label} — ${fmtBytes(s.bytes)} markdown, ${fmtBytes(s.yamlBytes)} YAML, ${s.pipelines} pipelines, ${s.phases} phases, ${s.agents} agents, ${s.artifacts} artifact files`, '');
    o.push(`${s.rounds} rounds; load average ${s.load.start} at the start of this size, ${s.load.end} at its end.`, '');
    o.push('| measure | median | min | max |', '|---|---:|---:|---:|');
    for (const [k, xs] of Object.entries(s.series)) {
      const sub = k.startsWith('keystroke: ') || k.startsWith('cold: ');
      o.push(`| ${sub ? '&nbsp;&nbsp;of which ' : ''}${esc(sub ? k.split(': ').slice(1).join(': ') : k)} | ${fmtMs(median(xs))} | ${fmtMs(Math.min(...xs))} | ${fmtMs(Math.max(...xs))} |`);
    }
    const c = med(s, 'cold analysis');
    const r = med(s, 'bare remark + GFM');
    const rt = med(s, 'remark + GFM table only');
    const mi = med(s, 'markdown-it parse');
    const ks = med(s, 'keystroke re-analysis');
    o.push(`| ratio cold analysis / bare remark + GFM | ${c && r ? (c / r).toFixed(2) + '×' : 'n/a'} | | |`);
    if (rt) o.push(`| ratio cold analysis / remark + GFM table only | ${c ? (c / rt).toFixed(2) + '×' : 'n/a'} | | |`);
    o.push(`| ratio keystroke / markdown-it parse | ${ks && mi ? (ks / mi).toFixed(2) + '×' : 'n/a'} | | |`);
    if (s.heap) {
      if (s.heap.error) o.push(`| peak heap, cold analysis | n/a (${esc(s.heap.error)}) | | |`);
      else {
        o.push(`| peak heap, cold analysis (above the pre-run heap, from --trace-gc) | ${fmtBytes(s.heap.peakHeap)} = ${(s.heap.peakHeap / s.heap.bytes).toFixed(1)}× the file | | |`);
        o.push(`| heap retained after the cold analysis (model, caches) | ${fmtBytes(s.heap.retained)} | | |`);
      }
    }
    if (s.remarkHeap && !s.remarkHeap.error) o.push(`| peak heap, one bare remark + GFM parse (same method) | ${fmtBytes(s.remarkHeap.peakHeap)} = ${(s.remarkHeap.peakHeap / s.remarkHeap.bytes).toFixed(1)}× the file | | |`);
    o.push('');
    for (const n of s.notes) o.push(`- ${n}`);
    if (s.activation) o.push(`- this child's activation: require ${fmtMs(s.activation.requireMs)}, activate() ${fmtMs(s.activation.activateMs)}, to the end of discovery and the first diagnostics ${fmtMs(s.activation.readyMs)}`);
    o.push('');
  }

  // Real-shaped
  o.push('## Real-shaped trackers: cold analysis vs bare remark + GFM', '');
  if (!run.real) o.push('Not run.', '');
  else if (run.real.error) o.push(`Failed: ${run.real.error}`, '');
  else {
    o.push(
      run.real.examples ? `Read in place from \`../shared/format/examples/*/\` and \`test/fixtures/*/*/\` (never copied); the workspace folder is each tracker's own folder. ${run.real.pairs[0]?.rounds ?? 0} rounds after 2 warm-up rounds; load average ${run.real.load.start} → ${run.real.load.end}.` : `\`../shared/format/examples/\` does not exist on this machine: only \`test/fixtures/*/*/\` pairs were measured. Load average ${run.real.load.start} → ${run.real.load.end}.`,
      '',
      '| tracker | markdown | cold analysis | bare remark + GFM | ratio |',
      '|---|---:|---:|---:|---:|',
    );
    for (const x of run.real.pairs) o.push(`| ${x.set}: ${esc(x.name)} | ${fmtBytes(x.bytes)} | ${fmtMs(x.cold)} | ${fmtMs(x.remark)} | ${(x.cold / x.remark).toFixed(2)}× |`);
    o.push('');
  }

  // Profiles
  o.push('## CPU profiles at 1 MiB', '');
  if (!run.prof) o.push('Not run.', '');
  else if (run.prof.error) o.push(`Failed: ${run.prof.error}`, '');
  else {
    o.push(`Top ten functions by self time, from V8's sampling profiler (100 µs) in the child, on the unminified bundle (\`scripts/build.mjs\` without \`--production\`) with positions mapped to the TypeScript source through its source map; ${run.prof.keystrokeRuns} keystrokes and ${run.prof.coldRuns} cold analyses of the ${run.prof.label} tracker. "(garbage collector)" and "(program)" are V8's own; shares are of the busy time (idle samples, waiting for timers and file-system callbacks, left out).`, '');
    for (const [title, list] of [
      ['Keystroke re-analysis (with the work it defers: each keystroke is followed by its 400 ms wait)', run.prof.keystroke],
      ['Cold analysis', run.prof.cold],
    ] as const) {
      o.push(`### ${title}`, '', '| # | function | source | self time | share |', '|---:|---|---|---:|---:|');
      list.forEach((f, i) => o.push(`| ${i + 1} | \`${esc(f.name)}\` | ${esc(f.where)} | ${fmtMs(f.selfMs)} | ${f.selfPct.toFixed(1)} % |`));
      o.push('');
    }
  }

  o.push('## Bundle and activation', '');
  o.push(run.bundleError ? `- production bundle: build failed: ${run.bundleError}` : `- \`dist/extension.js\` (production build, minified): ${fmtBytes(run.bundleBytes ?? 0)}`);
  o.push(`- ${run.vsix ?? '`.vsix`: not measured'}`);
  if (act.length) {
    o.push(`- activation, median of ${act.length} fresh processes: require ${fmtMs(median(act.map((a) => a.requireMs)))}, activate() ${fmtMs(median(act.map((a) => a.activateMs)))}, total ${fmtMs(actTotal)} (min ${fmtMs(Math.min(...act.map((a) => a.requireMs + a.activateMs)))}, max ${fmtMs(Math.max(...act.map((a) => a.requireMs + a.activateMs)))}); then discovery and the first parse (asynchronous, after activate() returned): ready at ${fmtMs(median(act.map((a) => a.readyMs ?? NaN)))} from the require; ${act[0].subscriptions} subscriptions registered`);
  } else o.push(`- activation: n/a (${run.activation[0]?.error ?? 'not run'})`);
  o.push('');
  return o.join('\n');
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const child = flagValue('child');
  if (child === 'size') return sizeChild(Number(flagValue('bytes')), flagValue('label')!, flagValue('bundle')!, flagValue('core')!);
  if (child === 'activate') return activateChild(flagValue('bundle')!);
  if (child === 'mem') return memChild(Number(flagValue('bytes')), flagValue('bundle')!, flagValue('core'));
  if (child === 'real') return realChild(flagValue('bundle')!, flagValue('core')!);
  if (child === 'profile') return profileChild(Number(flagValue('bytes')), flagValue('bundle')!);

  const started = Date.now();
  const git = (...a: string[]) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout ?? '';
  // Porcelain lines are `XY path`; X may be a space, so the output is not trimmed before slicing.
  const dirty = git('status', '--porcelain', '--', 'src', 'scripts', 'package.json').split('\n').filter((l) => l.length > 3);
  const commit = `${git('rev-parse', '--short', 'HEAD').trim() || 'unknown'}${dirty.length ? ' with uncommitted changes to ' + [...new Set(dirty.map((l) => l.slice(3).split('/').slice(0, 3).join('/')))].join(', ') : ''}`;
  const run: Run = { started: new Date().toISOString(), commit, loadStart: load(), sizes: [], activation: [], quick: QUICK };
  const wanted = flagValue('sizes')?.split(',').map((s) => s.trim().toUpperCase().replace('IB', ''));
  const sizes = SIZES.filter((s) => !wanted || wanted.includes(s.label.replace(' ', '').toUpperCase().replace('IB', '')));
  // A subset or quick run must not overwrite the committed full table.
  const outFile = flag('sizes') || QUICK ? join(tmpdir(), 'wt-bench-results.md') : join(ROOT, 'bench/results.md');
  const say = (s: string) => process.stderr.write(`bench [${((Date.now() - started) / 60000).toFixed(1)} min, load ${load()}]: ${s}\n`);
  const write = () => writeFileSync(outFile, report(run));

  say('building the production bundle, the unminified bundle with source maps and the bench bundle');
  const prod = shadowBuild(true);
  const dev = shadowBuild(false);
  const tmp = mkdtempSync(join(tmpdir(), 'wt-benchcore-'));
  const coreFile = await buildCoreBundle(tmp);
  const cleanup: string[] = [prod.dir, dev.dir, tmp];
  try {
    if (prod.error) run.bundleError = prod.error;
    else run.bundleBytes = statSync(prod.bundle).size;
    if (!flag('no-vsix')) run.vsix = packageSize();

    say('activation');
    const nAct = QUICK ? 3 : 9;
    for (let i = 0; i < nAct; i++) run.activation.push(runChild('activate', [`--bundle=${prod.bundle}`], 120_000));

    for (const s of flag('no-sizes') ? [] : sizes) {
      say(`${s.label}: interleaved rounds`);
      const r = runChild<SizeOut>('size', [`--bytes=${s.bytes}`, `--label=${s.label}`, `--bundle=${prod.bundle}`, `--core=${coreFile}`], 1_800_000);
      const entry = r.error ? ({ label: s.label, error: r.error } as SizeOut & { error: string }) : (r as SizeOut & { heap?: Heap; remarkHeap?: Heap });
      if (!r.error && (s.bytes <= 1024 * 1024 || !QUICK)) {
        say(`${s.label}: peak heap`);
        (entry as { heap?: Heap }).heap = memRun(s.bytes, prod.bundle);
        if (s.bytes <= 1024 * 1024) (entry as { remarkHeap?: Heap }).remarkHeap = memRun(s.bytes, prod.bundle, coreFile);
      }
      run.sizes.push(entry);
      write();
    }
    if (!flag('no-real')) {
      say('real-shaped trackers');
      run.real = runChild<RealOut>('real', [`--bundle=${prod.bundle}`, `--core=${coreFile}`], 900_000);
      write();
    }
    const profSize = SIZES.find((s) => s.label === '1 MiB')!;
    if (!flag('no-profile') && sizes.some((s) => s.label === '1 MiB')) {
      say('CPU profiles at 1 MiB');
      const pr = runChild<ProfileOut>('profile', [`--bytes=${profSize.bytes}`, `--bundle=${dev.bundle}`], 900_000);
      run.prof = { ...pr, label: profSize.label };
    }
  } finally {
    run.loadEnd = load();
    run.minutes = (Date.now() - started) / 60000;
    write();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  }
  process.stdout.write(report(run) + '\n');
  say(`written to ${outFile}`);
}

/** The project's own packaging (`npm run package`), run in a shadow folder so dist/ is left alone. */
function packageSize(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wt-vsix-'));
  try {
    // vsce does not follow symlinked folders: what goes into the package (assets, docs, manifest)
    // is copied; the sources and node_modules the build reads are linked.
    for (const name of readdirSync(ROOT)) {
      if (['dist', '.git', 'out', 'test-output', '.vscode-test'].includes(name)) continue;
      if (['src', 'scripts', 'node_modules', 'test', 'bench', 'demo'].includes(name)) symlinkSync(join(ROOT, name), join(dir, name));
      else cpSync(join(ROOT, name), join(dir, name), { recursive: true });
    }
    const vsix = join(dir, 'x.vsix');
    const r = spawnSync('npm', ['run', '--silent', 'package', '--', '-o', vsix], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return existsSync(vsix) ? `\`.vsix\` (\`npm run package\`): ${fmtBytes(statSync(vsix).size)}` : `\`.vsix\`: n/a (packaging failed: ${(r.stderr || r.stdout || '').trim().split('\n').pop()})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
