// The benchmark generator: deterministic for a seed, hits the requested size, and writes what it says it wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DIALECTS, buildTracker, generateTracker, materialize, mulberry32 } from '../../bench/generate';

test('mulberry32 is deterministic and spreads over [0, 1)', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  // Roughly uniform: each decile gets something.
  const deciles = new Set(xs.map((x) => Math.floor(x * 10)));
  assert.equal(deciles.size, 10);
  assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, mulberry32(43)));
});

test('same seed, same pair; another seed, another pair', () => {
  const a = generateTracker({ seed: 11, targetBytes: 40_000 });
  const b = generateTracker({ seed: 11, targetBytes: 40_000 });
  const c = generateTracker({ seed: 12, targetBytes: 40_000 });
  assert.equal(a.md, b.md);
  assert.equal(a.yaml, b.yaml);
  assert.deepEqual(a.missing, b.missing);
  assert.notEqual(a.md, c.md);
});

for (const target of [10 * 1024, 100 * 1024, 1024 * 1024]) {
  test(`hits the requested size (${target} bytes) within 3 %`, () => {
    for (const seed of [1, 2]) {
      const g = generateTracker({ seed, targetBytes: target });
      const size = Buffer.byteLength(g.md);
      assert.ok(Math.abs(size - target) <= target * 0.03, `seed ${seed}: ${size} bytes for a target of ${target}`);
    }
  });
}

test('shape: pipelines, one agent row per generated agent, dialect spelling, ~10 % missing', () => {
  const g = generateTracker({ seed: 5, targetBytes: 200_000, dialect: 'done' });
  assert.ok(g.pipelines.length >= 2 && g.pipelines.length <= 8);
  const lines = g.md.split('\n');
  // Every agent id appears in exactly one agent-table row (first cell).
  for (const a of g.agents) {
    const rows = lines.filter((l) => l.startsWith(`| ${a.id} |`));
    assert.equal(rows.length, 1, a.id);
    const spelled = DIALECTS.find((d) => d.name === 'done')!.spell[a.status];
    assert.ok(rows[0].includes(`| ${spelled} |`), `${a.id} row lacks "${spelled}": ${rows[0]}`);
  }
  assert.ok(lines.some((l) => l.startsWith('╔') && l.endsWith('╗')), 'boxed dashboard');
  assert.ok(lines.some((l) => /^### 2\.\d+ BARRIER 1 /.test(l)));
  assert.ok(lines.some((l) => l === '| Direction | Artifact | Status | Key Content |'));
  assert.ok(lines.some((l) => l.startsWith('| Metric | Value | Target | Status |')));
  const total = g.files.length + g.missing.length;
  assert.ok(g.missing.length > total * 0.05 && g.missing.length < total * 0.15, `${g.missing.length} of ${total} missing`);
  // Every generated agent is in the YAML too, with its canonical status.
  for (const a of g.agents.slice(0, 50)) assert.ok(g.yaml.includes(`- id: "${a.id}"\n            status: "${a.status}"`), a.id);
});

test('line endings and BOM options are honoured everywhere', () => {
  const g = buildTracker({ seed: 3, targetBytes: 30_000, eol: '\r\n', bom: true }, 3);
  assert.equal(g.md.charCodeAt(0), 0xfeff);
  assert.equal(g.md.split('\r\n').length, g.md.split('\n').length, 'every \\n is part of a \\r\\n');
  assert.ok(g.yaml.includes('\r\n'));
});

test('materialize writes the pair and only the files not marked missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'wt-gen-'));
  try {
    const g = generateTracker({ seed: 9, targetBytes: 20_000 });
    const { mdPath, yamlPath } = materialize(g, root);
    assert.equal(statSync(mdPath).size, Buffer.byteLength(g.md));
    assert.equal(statSync(yamlPath).size, Buffer.byteLength(g.yaml));
    for (const f of g.files) assert.ok(existsSync(join(root, f)), f);
    for (const f of g.missing) assert.ok(!existsSync(join(root, f)), f);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// Once the core reader exists: what the generator wrote is what the reader sees.
const trackerModule = resolve(__dirname, '../../src/core/tracker.ts');
test('the core reader finds every generated agent with its status', { skip: !existsSync(trackerModule) && 'src/core/tracker.ts not there yet' }, async () => {
  const { parseTracker } = await import('../../src/core/tracker');
  for (const [seed, dialect] of DIALECTS.map((d, i) => [i + 1, d.name] as const)) {
    const g = generateTracker({ seed, targetBytes: 60_000, dialect });
    const t = parseTracker(g.md, g.yaml, { mdFile: '/r/ORCHESTRATION_WORKTRACKER.md', yamlFile: '/r/ORCHESTRATION.yaml' });
    assert.equal(t.agents.length, g.agents.length, `seed ${seed} (${dialect})`);
    const byId = new Map(t.agents.map((a) => [a.id, a]));
    for (const a of g.agents) {
      assert.equal(byId.get(a.id)?.status.status, a.status, `${dialect}: ${a.id}`);
    }
    assert.equal(t.phases.length, g.phases.length, `phases, ${dialect}`);
    assert.equal(t.barriers.length, g.barriers.length, `barriers, ${dialect}`);
    assert.equal(t.yaml?.agents.length, g.agents.length, `yaml agents, ${dialect}`);
  }
});
