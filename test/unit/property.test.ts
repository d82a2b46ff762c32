// Property tests for "never lose a byte" (issue 6): five invariants over generated trackers (the
// benchmark's generator) and over the real examples, with random mutations. Seeded; a few thousand
// cases in all; set FC_SEED to explore other seeds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import type { Range, Status, TextEdit, Tracker } from '../../src/core/model';
import { applyEdits, LineIndex } from '../../src/core/text';
import { createTrackerCache, parseTracker } from '../../src/core/tracker';
import { setAgentStatus } from '../../src/core/edits';
import { syncDerived } from '../../src/core/dashboard';
import { analyze } from '../../src/core/analyze';
import { PathCache } from '../../src/core/paths';
import { buildTracker } from '../../bench/generate';
import { MemoryFs } from './memfs';

const SEED = Number(process.env.FC_SEED ?? 0x5eed);
/** FC_RUNS scales every run count (e.g. 0.1 for a quick look, 10 for a long soak). */
const SCALE = Number(process.env.FC_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const MD = '/repo/proj/ORCHESTRATION_WORKTRACKER.md';
const YAML = '/repo/proj/ORCHESTRATION.yaml';
const FILES = { mdFile: MD, yamlFile: YAML };
const NOW = new Date('2026-03-01T12:00:00Z');
const EDIT = { date: '2026-03-01' };
const SETTABLE: Status[] = ['PENDING', 'READY', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'FAILED', 'SKIPPED', 'CANCELLED'];

interface Fixture {
  name: string;
  md: string;
  yaml?: string;
}

// Small generated trackers (fast to parse) in every dialect, plus the real examples when present.
const generated: Fixture[] = ['template', 'emoji-prefix', 'done', 'legend', 'suffix-emoji', 'lower'].map((dialect, i) => {
  const g = buildTracker({ seed: 100 + i, targetBytes: 8000, dialect, pipelines: 2 + (i % 2) }, 1 + (i % 2));
  return { name: `generated/${dialect}`, md: g.md, yaml: g.yaml };
});
const byName = new Map<string, Fixture>();
/** Fixtures print as their name in a counterexample, not as 20 KiB of text. */
const fixtureArb = (fxs: Fixture[]) => fc.constantFrom(...fxs);
const EXAMPLES = resolve(__dirname, '../../../shared/format/examples');
const examples: Fixture[] = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => ({
        name: `example/${d.name}`,
        md: readFileSync(join(EXAMPLES, d.name, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8'),
        yaml: existsSync(join(EXAMPLES, d.name, 'ORCHESTRATION.yaml')) ? readFileSync(join(EXAMPLES, d.name, 'ORCHESTRATION.yaml'), 'utf8') : undefined,
      }))
  : [];
for (const f of [...generated, ...examples]) {
  byName.set(f.name, f);
  Object.defineProperty(f, fc.toStringMethod, { value: () => f.name });
}

/**
 * Parses are memoised by text: the same base texts come back in many cases, and remark dominates the
 * run time. The core treats a parsed Tracker as read-only, so sharing one is safe (and if it were
 * not, the equality checks below would notice).
 */
const memo = new Map<string, Tracker>();
function parse(md: string, yaml?: string): Tracker {
  const key = md + '\u0000\u0001' + (yaml ?? '\u0002');
  let t = memo.get(key);
  if (!t) {
    if (memo.size > 256) memo.clear();
    t = parseTracker(md, yaml, FILES);
    memo.set(key, t);
  }
  return t;
}
const mdEdits = (es: TextEdit[]) => es.filter((e) => e.file === MD);
const yamlEdits = (es: TextEdit[]) => es.filter((e) => e.file === YAML);
const within = (r: Range, outer: Range) => outer.start.offset <= r.start.offset && r.end.offset <= outer.end.offset;

// ------------------------------------------------------------------ text variants and mutations

type Variant = 'lf' | 'crlf' | 'bom' | 'tabs' | 'mixed';
const VARIANTS: Variant[] = ['lf', 'crlf', 'bom', 'tabs', 'mixed'];

/** The same tracker written with CRLF, a BOM, tab padding in table rows, or mixed line endings. */
function variant(text: string, v: Variant, salt: number): string {
  const base = text.replace(/\r\n/g, '\n');
  switch (v) {
    case 'lf':
      return text;
    case 'crlf':
      return base.replace(/\n/g, '\r\n');
    case 'bom':
      return text.startsWith('\ufeff') ? text : '\ufeff' + text;
    case 'tabs':
      return base
        .split('\n')
        .map((l, i) => (l.startsWith('| ') && !l.startsWith('|-') && (i + salt) % 2 === 0 ? l.replace(/ \| /g, '\t|\t') : l))
        .join('\n');
    case 'mixed':
      return base
        .split('\n')
        .map((l, i, all) => (i === all.length - 1 ? l : l + ((i * 7 + salt) % 3 === 0 ? '\r\n' : '\n')))
        .join('');
  }
}

const TOKENS = ['|', '\\|', '`', '```', '\n', '\r\n', '\r', ' ', '\t', '-', '---', '#', '### ', '> ', '- [ ] ', '- [x] ', '✅', '⏳ PENDING', 'COMPLETE', '| agent-x-001 | DONE |', '\u0000', '\ufffd', '\ud800', '<div>', '</div>', '~~~', '*', '[x](command:evil)', '║', '╔═╗'];

interface Mutation {
  kind: 'insert' | 'delete' | 'dupLine' | 'dropLine' | 'swapLines';
  at: number;
  len: number;
  token: string;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('insert', 'delete', 'dupLine', 'dropLine', 'swapLines'),
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  len: fc.integer({ min: 1, max: 400 }),
  token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 12 })),
});

function mutate(text: string, m: Mutation): string {
  const pos = Math.floor(m.at * (text.length + 1));
  if (m.kind === 'insert') return text.slice(0, pos) + m.token + text.slice(pos);
  if (m.kind === 'delete') return text.slice(0, pos) + text.slice(pos + m.len);
  const lines = text.split('\n');
  const i = Math.floor(m.at * lines.length);
  if (m.kind === 'dupLine') lines.splice(i, 0, lines[i]);
  else if (m.kind === 'dropLine') lines.splice(i, 1);
  else {
    const j = Math.min(lines.length - 1, i + 1 + (m.len % 5));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines.join('\n');
}

function assertSane(t: Tracker, md: string): void {
  assert.equal(t.text, md);
  const ix = new LineIndex(md);
  for (const f of t.findings) {
    const len = f.file === MD ? md.length : (t.yaml?.text.length ?? Infinity);
    assert.ok(f.range.start.offset >= 0 && f.range.end.offset <= len && f.range.start.offset <= f.range.end.offset, `${f.code} range`);
    if (f.file === MD) assert.ok(f.range.start.line < ix.lineCount, `${f.code} line`);
  }
}

// ------------------------------------------------------------------ 1. parsing never throws

describe('invariant 1: parsing never throws', () => {
  it('arbitrary strings, structure-heavy strings and invalid UTF-8', () => {
    const structured = fc.array(fc.constantFrom(...TOKENS, 'agent-a-001', 'Status', 'Agent', 'PHASE 1', 'BARRIER 1', ' - '), { maxLength: 80 }).map((xs) => xs.join(''));
    const bytes = fc.uint8Array({ maxLength: 400 }).map((b) => new TextDecoder().decode(b));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), structured, bytes), fc.option(fc.oneof(structured, bytes, fc.string({ maxLength: 200 }))), (md, yaml) => {
        assertSane(parse(md, yaml ?? undefined), md);
      }),
      { seed: SEED, numRuns: runs(1200), includeErrorInReport: true },
    );
  });

  it('generated trackers with random mutations (markdown and YAML)', () => {
    fc.assert(
      fc.property(fixtureArb(generated), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), fc.array(mutationArb, { maxLength: 4 }), (fx, ms, ys) => {
        const md = ms.reduce(mutate, fx.md);
        const yaml = fx.yaml === undefined ? undefined : ys.reduce(mutate, fx.yaml);
        assertSane(parse(md, yaml), md);
      }),
      { seed: SEED, numRuns: runs(150), includeErrorInReport: true },
    );
  });

  it('the real examples with random mutations', { skip: examples.length === 0 && 'examples folder not present' }, () => {
    fc.assert(
      fc.property(fixtureArb(examples), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), fc.array(mutationArb, { maxLength: 3 }), (fx, ms, ys) => {
        const md = ms.reduce(mutate, fx.md);
        const yaml = fx.yaml === undefined ? undefined : ys.reduce(mutate, fx.yaml);
        assertSane(parse(md, yaml), md);
      }),
      { seed: SEED, numRuns: runs(28), includeErrorInReport: true },
    );
  });
});

/** Agents whose id is written once: an id written twice is ambiguous by design (and reported). */
function uniqueAgents(t: Tracker): Tracker['agents'] {
  const counts = new Map<string, number>();
  for (const a of t.agents) counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
  return t.agents.filter((a) => counts.get(a.id) === 1);
}

// ------------------------------------------------------------------ 2. an edit changes only what it names

function checkOneEdit(fx: Fixture, v: Variant, salt: number, agentAt: number, status: Status): void {
  const md = variant(fx.md, v, salt);
  const yaml = fx.yaml;
  const t = parse(md, yaml);
  const unique = uniqueAgents(t);
  if (unique.length === 0) return;
  const agent = unique[Math.floor(agentAt * unique.length)];
  const edits = setAgentStatus(t, agent.id, status, EDIT);
  const me = mdEdits(edits);
  const ye = yamlEdits(edits);
  assert.equal(me.length + ye.length, edits.length, 'every edit names one of the two files');
  // Markdown: only inside the agent's row (or its table, when the table is re-padded), never a line ending.
  const scope = agent.table.aligned ? agent.table.range : agent.row.range;
  for (const e of me) {
    assert.ok(within(e.range, scope), `md edit ${e.range.start.offset}-${e.range.end.offset} outside ${agent.id}'s ${agent.table.aligned ? 'table' : 'row'}`);
    assert.ok(!/[\r\n]/.test(e.newText) && !/[\r\n]/.test(md.slice(e.range.start.offset, e.range.end.offset)), 'an edit never touches a line ending');
  }
  const out = applyEdits(md, me);
  const before = scope.start.offset;
  const afterLen = md.length - scope.end.offset;
  assert.equal(out.slice(0, before), md.slice(0, before), 'bytes before the row');
  assert.equal(out.slice(out.length - afterLen), md.slice(md.length - afterLen), 'bytes after the row');
  if (!agent.table.aligned) {
    // Outside the edited cells the row itself is byte-identical.
    const cells = agent.row.cells.map((c) => c.outer);
    for (const e of me) assert.ok(cells.some((c) => within(e.range, c)), 'md edit inside one cell');
  }
  // YAML: only inside that agent's entry.
  const ya = t.yaml?.agents.filter((a) => a.id === agent.id) ?? [];
  for (const e of ye) assert.ok(ya.some((a) => within(e.range, a.range)), `yaml edit outside agent ${agent.id}`);
  const yout = yaml === undefined ? undefined : applyEdits(yaml, ye);
  // And it means what it says: the agent now has the status, every other agent kept its own.
  const t2 = parse(out, yout);
  assert.equal(t2.agents.find((a) => a.id === agent.id)?.status.status, status, `${agent.id} -> ${status} (was ${agent.status.raw})`);
  assert.equal(t2.agents.length, t.agents.length);
  t.agents.forEach((a, i) => {
    if (a !== agent) assert.equal(t2.agents[i].status.status, a.status.status, `${a.id} unchanged`);
  });
  if (yout !== undefined && ya.length > 0 && ya[0].status) {
    const y2 = t2.yaml!.agents.find((a) => a.id === agent.id);
    assert.ok(y2?.status, 'yaml status still there');
  }
}

describe('invariant 2: an edit changes only the bytes it names', () => {
  const args = (fxs: Fixture[]) => [fixtureArb(fxs), fc.constantFrom(...VARIANTS), fc.nat(10), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...SETTABLE)] as const;
  it('generated trackers, every line-ending/BOM/tab variant', () => {
    fc.assert(fc.property(...args(generated), checkOneEdit), { seed: SEED, numRuns: runs(150), includeErrorInReport: true });
  });
  it('the real examples', { skip: examples.length === 0 && 'examples folder not present' }, () => {
    fc.assert(fc.property(...args(examples), checkOneEdit), { seed: SEED, numRuns: runs(28), includeErrorInReport: true });
  });
});

// ------------------------------------------------------------------ 3. edits compose

function setStatus(md: string, yaml: string | undefined, id: string, status: Status): { md: string; yaml?: string } {
  const t = parse(md, yaml);
  const es = setAgentStatus(t, id, status, EDIT);
  return { md: applyEdits(md, mdEdits(es)), yaml: yaml === undefined ? undefined : applyEdits(yaml, yamlEdits(es)) };
}

function checkCompose(fx: Fixture, v: Variant, atA: number, atB: number, sA: Status, sB: Status): void {
  const md = variant(fx.md, v, 1);
  const t = parse(md, fx.yaml);
  const unique = uniqueAgents(t).filter((a) => !a.table.aligned);
  if (unique.length < 2) return;
  const a = unique[Math.floor(atA * unique.length)];
  let b = unique[Math.floor(atB * unique.length)];
  if (b === a) b = unique[(unique.indexOf(a) + 1) % unique.length];
  const ab1 = setStatus(md, fx.yaml, a.id, sA);
  const ba1 = setStatus(md, fx.yaml, b.id, sB);
  // The writer spells a status the way the file already does; an edit that changes the file's
  // dialect (it removed the last `✅ DONE`, say) changes how the other edit is spelled. Composition
  // is promised for edits that leave the dialect alone.
  const spelling = (x: Tracker, s: Status) => `${x.dialect.spelling[s]}|${x.dialect.emoji[s]}`;
  fc.pre(spelling(parse(ab1.md, ab1.yaml), sB) === spelling(t, sB) && spelling(parse(ba1.md, ba1.yaml), sA) === spelling(t, sA));
  const ab = setStatus(ab1.md, ab1.yaml, b.id, sB);
  const ba = setStatus(ba1.md, ba1.yaml, a.id, sA);
  assert.equal(ab.md, ba.md, `A(${a.id}→${sA}) then B(${b.id}→${sB}) equals B then A (markdown)`);
  assert.equal(ab.yaml, ba.yaml, 'A then B equals B then A (YAML)');
  const twice = setStatus(ab1.md, ab1.yaml, a.id, sA);
  assert.equal(twice.md, ab1.md, `setting ${a.id} to ${sA} twice equals once (markdown)`);
  assert.equal(twice.yaml, ab1.yaml, 'twice equals once (YAML)');
}

describe('invariant 3: edits compose', () => {
  const args = (fxs: Fixture[]) => [fixtureArb(fxs), fc.constantFrom(...VARIANTS), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...SETTABLE), fc.constantFrom(...SETTABLE)] as const;
  it('generated trackers', () => {
    fc.assert(fc.property(...args(generated), checkCompose), { seed: SEED, numRuns: runs(80), includeErrorInReport: true });
  });
  it('the real examples', { skip: examples.length === 0 && 'examples folder not present' }, () => {
    fc.assert(fc.property(...args(examples), checkCompose), { seed: SEED, numRuns: runs(14), includeErrorInReport: true });
  });
});

// ------------------------------------------------------------------ 4. syncDerived

function checkSync(fx: Fixture, v: Variant, changes: [number, Status][]): void {
  let md = variant(fx.md, v, 2);
  let yaml = fx.yaml;
  // Make the derived sections stale first: a few agents change status.
  for (const [at, s] of changes) {
    const t = parse(md, yaml);
    if (t.agents.length === 0) break;
    ({ md, yaml } = setStatus(md, yaml, t.agents[Math.floor(at * t.agents.length)].id, s));
  }
  const t = parse(md, yaml);
  const edits = syncDerived(t, { now: NOW });
  const allowedMd = [t.dashboard?.range, t.metrics?.table.range, t.lastUpdated?.range].filter((r): r is Range => !!r);
  for (const e of mdEdits(edits)) assert.ok(allowedMd.some((r) => within(e.range, r)), `sync edit at line ${e.range.start.line + 1} is outside the dashboard, metrics and Last Updated`);
  const y = t.yaml;
  const allowedYaml = y ? [...Object.values(y.metricsExecution).map((s) => s.range), ...(y.workflow.updated_at ? [y.workflow.updated_at.range] : [])] : [];
  for (const e of yamlEdits(edits)) assert.ok(allowedYaml.some((r) => within(e.range, r)), `sync YAML edit at line ${e.range.start.line + 1} outside metrics/updated_at`);
  const md1 = applyEdits(md, mdEdits(edits));
  const yaml1 = yaml === undefined ? undefined : applyEdits(yaml, yamlEdits(edits));
  const again = syncDerived(parse(md1, yaml1), { now: NOW });
  assert.equal(applyEdits(md1, mdEdits(again)), md1, 'syncDerived is idempotent (markdown)');
  if (yaml1 !== undefined) assert.equal(applyEdits(yaml1, yamlEdits(again)), yaml1, 'syncDerived is idempotent (YAML)');
}

describe('invariant 4: syncDerived is idempotent and stays in its sections', () => {
  const args = (fxs: Fixture[]) => [fixtureArb(fxs), fc.constantFrom(...VARIANTS), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...SETTABLE)), { maxLength: 3 })] as const;
  it('generated trackers', () => {
    fc.assert(fc.property(...args(generated), checkSync), { seed: SEED, numRuns: runs(80), includeErrorInReport: true });
  });
  it('the real examples', { skip: examples.length === 0 && 'examples folder not present' }, () => {
    fc.assert(fc.property(...args(examples), checkSync), { seed: SEED, numRuns: runs(14), includeErrorInReport: true });
  });
});

// ------------------------------------------------------------------ 5. incremental = full

type EditStep =
  | { kind: 'status'; at: number; status: Status }
  | { kind: 'text'; m: Mutation }
  | { kind: 'yaml'; m: Mutation }
  | { kind: 'file'; at: number; create: boolean };
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const editArb: fc.Arbitrary<EditStep> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), at: fraction, status: fc.constantFrom(...SETTABLE) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), m: mutationArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('yaml' as const), m: mutationArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('file' as const), at: fraction, create: fc.boolean() }) },
);

/**
 * The extension's own path after every step: the document's parse cache (sections, and the YAML
 * model while its text is unchanged) and one path cache across all steps, told of every file
 * created or deleted as the watcher would. Each step must give exactly a cold parse and analysis.
 */
async function checkIncremental(fx: Fixture, v: Variant, steps: EditStep[]): Promise<void> {
  let md = variant(fx.md, v, 3);
  let yaml = fx.yaml;
  const cache = createTrackerCache();
  const paths = new PathCache({ covered: () => true });
  const fs = new MemoryFs({ '/repo/.git/HEAD': 'x', '/repo/proj/docs/a.md': 'a' });
  parseTracker(md, yaml, FILES, cache);
  for (const step of steps) {
    if (step.kind === 'status') {
      const t = parse(md, yaml);
      if (t.agents.length === 0) continue;
      // One occurrence, by its row line: a duplicated line (`dupLine`) may write an id twice.
      const a = t.agents[Math.floor(step.at * t.agents.length)];
      md = applyEdits(md, mdEdits(setAgentStatus(t, a.id, step.status, { ...EDIT, line: a.row.range.start.line })));
    } else if (step.kind === 'text') md = mutate(md, step.m);
    else if (step.kind === 'yaml') yaml = yaml === undefined ? undefined : mutate(yaml, step.m);
    else {
      // An artifact the tracker names appears or disappears on disk; the watcher reports it.
      const refs = parse(md, yaml).artifacts.filter((r) => /^[\w./-]+\.\w+$/.test(r.path) && !r.path.startsWith('/') && !r.path.includes('..'));
      if (refs.length === 0) continue;
      const file = `/repo/proj/${refs[Math.floor(step.at * refs.length)].path.replace(/^\.\//, '')}`;
      if (step.create) fs.writeFile(file, 'x');
      else fs.remove(file);
      paths.invalidate(file);
    }
    const inc = parseTracker(md, yaml, FILES, cache);
    const full = parse(md, yaml);
    assert.deepStrictEqual(inc, full, 'incremental parse equals a full parse');
    assert.deepStrictEqual(await analyze(inc, { fs, root: '/repo', pathCache: paths }), await analyze(full, { fs, root: '/repo' }), 'same findings as a cold analysis');
  }
}

describe('invariant 5: incremental re-analysis equals full analysis', () => {
  const args = (fxs: Fixture[]) => [fixtureArb(fxs), fc.constantFrom(...VARIANTS), fc.array(editArb, { minLength: 1, maxLength: 4 })] as const;
  it('generated trackers, chains of edits', async () => {
    await fc.assert(fc.asyncProperty(...args(generated), checkIncremental), { seed: SEED, numRuns: runs(100), includeErrorInReport: true });
  });
  it('the real examples', { skip: examples.length === 0 && 'examples folder not present' }, async () => {
    await fc.assert(fc.asyncProperty(...args(examples), checkIncremental), { seed: SEED, numRuns: runs(14), includeErrorInReport: true });
  });
});
