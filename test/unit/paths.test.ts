import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PathResolver, classifyPath, findRepositoryRoot, looksLikePath, Limiter } from '../../src/core/paths';
import { MemoryFs } from './memfs';

const ROOT = '/repo';
const TRACKER_DIR = '/repo/projects/PROJ-001/orchestration/wf-001';

function repo(): MemoryFs {
  return new MemoryFs({
    '/repo/.git/HEAD': 'ref: refs/heads/main\n',
    '/repo/docs/guide.md': '# guide',
    '/repo/projects/PROJ-001/orchestration/wf-001/ORCHESTRATION_WORKTRACKER.md': '# t',
    '/repo/projects/PROJ-001/orchestration/wf-001/ps/phase-1/ps-r-001/ps-r-001-research.md': 'x',
    '/repo/projects/PROJ-001/orchestration/wf-001/ps/phase-4/critic-red-team-review.md': 'x',
    '/repo/projects/PROJ-001/work/TASK-001.md': 'x',
    '/outside/secret.md': 'secret',
  });
}

function resolver(fs: MemoryFs, extra: Partial<ConstructorParameters<typeof PathResolver>[0]> = {}): PathResolver {
  return new PathResolver({
    fs,
    root: ROOT,
    bases: [TRACKER_DIR, '/repo/projects/PROJ-001', ROOT],
    ...extra,
  });
}

describe('classifyPath', () => {
  it('sorts paths by what may be checked', () => {
    assert.equal(classifyPath('docs/a.md').kind, 'relative');
    assert.equal(classifyPath('https://example.com/a.md').kind, 'url');
    assert.equal(classifyPath('/Users/me/a.md').kind, 'absolute');
    assert.equal(classifyPath('C:\\work\\a.md').kind, 'absolute');
    assert.equal(classifyPath('{base}/ps/{agent_id}.md').kind, 'placeholder');
    assert.equal(classifyPath('~/a.md').kind, 'escapes-root');
    assert.equal(classifyPath('file:///etc/passwd').kind, 'escapes-root');
    assert.equal(classifyPath('command:workbench.action.quit').kind, 'escapes-root');
    assert.equal(classifyPath('docs\\..\\..\\a.md').kind, 'escapes-root');
    assert.equal(classifyPath('docs/a\u0000.md').kind, 'escapes-root');
    assert.equal(classifyPath('docs/*.md').kind, 'pattern');
  });

  it('strips fragments, link brackets and stray backticks', () => {
    assert.deepEqual(classifyPath('<docs/a.md#section>'), { kind: 'relative', path: 'docs/a.md' });
    assert.deepEqual(classifyPath('`docs/a.md`'), { kind: 'relative', path: 'docs/a.md' });
    assert.equal(classifyPath('`file:///etc/passwd`').kind, 'escapes-root');
  });
});

describe('looksLikePath', () => {
  it('accepts files and folders, rejects prose in inline code', () => {
    for (const p of ['docs/a.md', 'plugin.schema.json', 'orchestration/wf/', 'ps-r-001-research.md']) assert.ok(looksLikePath(p), p);
    for (const p of ['keywords', 'uv run pytest', 'validate_plugin_json()', '3/4', 'N/A', 'v2.1.0', '0.943', 'cls=jsonschema.Draft202012Validator']) {
      assert.ok(!looksLikePath(p), p);
    }
  });
});

describe('findRepositoryRoot', () => {
  it('finds the nearest folder holding .git', async () => {
    assert.equal(await findRepositoryRoot(repo(), TRACKER_DIR), ROOT);
  });
  it('falls back to the folder itself when there is no repository', async () => {
    const fs = new MemoryFs({ '/a/b/ORCHESTRATION_WORKTRACKER.md': 'x' });
    assert.equal(await findRepositoryRoot(fs, '/a/b'), '/a/b');
  });
});

describe('PathResolver', () => {
  it('resolves against any base, in order', async () => {
    const r = resolver(repo());
    const a = await r.resolve('ps/phase-1/ps-r-001/ps-r-001-research.md');
    assert.equal(a.kind, 'found');
    assert.equal(a.resolved, `${TRACKER_DIR}/ps/phase-1/ps-r-001/ps-r-001-research.md`);
    const b = await r.resolve('orchestration/wf-001/ps/phase-1/ps-r-001/ps-r-001-research.md');
    assert.equal(b.kind, 'found');
    const c = await r.resolve('docs/guide.md');
    assert.equal(c.kind, 'found');
    assert.equal(c.resolved, '/repo/docs/guide.md');
  });

  it('reports missing with every candidate tried', async () => {
    const r = resolver(repo());
    const m = await r.resolve('ps/phase-9/nothing.md');
    assert.equal(m.kind, 'missing');
    assert.equal(m.tried.length, 3);
  });

  it('stats each distinct candidate once per run', async () => {
    const fs = repo();
    const cache = new Map();
    const r = resolver(fs, { statCache: cache });
    await Promise.all([r.resolve('docs/guide.md'), r.resolve('docs/guide.md'), r.resolve('./docs/guide.md')]);
    const stats = fs.calls.filter((c) => c.op === 'stat' && c.path === '/repo/docs/guide.md');
    assert.equal(stats.length, 1);
  });

  it('never touches anything outside the root, whatever the spelling', async () => {
    const fs = repo();
    const r = resolver(fs);
    const attempts = [
      '../../../../../outside/secret.md',
      '../../../../../../../../outside/secret.md',
      '/outside/secret.md',
      '~/secret.md',
      'file:///outside/secret.md',
      'command:rm',
      '..\\..\\outside\\secret.md',
      'C:/outside/secret.md',
      'docs/\u0000../../outside/secret.md',
    ];
    for (const a of attempts) {
      const res = await r.resolve(a);
      assert.notEqual(res.kind, 'found', a);
      assert.notEqual(res.kind, 'missing', a);
    }
    assert.deepEqual(fs.touched().filter((p) => !p.startsWith('/repo')), []);
  });

  it('a symlink leading outside the root is an escape, and its target is never stat-ed', async () => {
    const fs = repo().symlink('/repo/docs/leak.md', '/outside/secret.md');
    const r = resolver(fs);
    const res = await r.resolve('docs/leak.md');
    assert.equal(res.kind, 'escapes-root');
    assert.ok(!fs.calls.some((c) => c.op === 'stat' && c.path.startsWith('/outside')));
  });

  it('a symlink inside the root is followed', async () => {
    const fs = repo().symlink('/repo/docs/alias.md', '/repo/docs/guide.md');
    const res = await resolver(fs).resolve('docs/alias.md');
    assert.equal(res.kind, 'found');
  });

  it('a symlink loop ends as missing, without hanging', async () => {
    const fs = repo().symlink('/repo/docs/loop-a', '/repo/docs/loop-b').symlink('/repo/docs/loop-b', '/repo/docs/loop-a');
    const res = await resolver(fs).resolve('docs/loop-a/x.md');
    assert.equal(res.kind, 'missing');
  });

  it('suggests a close match written relative to the same base', async () => {
    const r = resolver(repo());
    const path = 'ps/phase-4/critic-red-team/critic-red-team-review.md';
    const res = await r.resolve(path);
    assert.equal(res.kind, 'missing');
    const s = await r.suggest(path, res);
    assert.equal(s?.suggestion, 'ps/phase-4/critic-red-team-review.md');
    const viaProject = 'orchestration/wf-001/ps/phase-4/x/critic-red-team-review.md';
    const s2 = await r.suggest(viaProject, await r.resolve(viaProject));
    assert.equal(s2?.suggestion, 'orchestration/wf-001/ps/phase-4/critic-red-team-review.md');
  });

  it('offers no suggestion when no file has that name', async () => {
    const r = resolver(repo());
    const res = await r.resolve('ps/nope/unrelated-name.md');
    assert.equal(await r.suggest('ps/nope/unrelated-name.md', res), undefined);
  });

  it('keeps at most `concurrency` operations in flight', async () => {
    const fs = repo();
    let inFlight = 0;
    let peak = 0;
    const stat = fs.stat.bind(fs);
    fs.stat = async (p: string) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return stat(p);
    };
    fs.realpath = undefined;
    const r = resolver(fs, { concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => r.resolve(`docs/f${i}.md`)));
    assert.ok(peak <= 3, `peak ${peak}`);
    assert.ok(peak >= 2, `peak ${peak}`);
  });
});

describe('Limiter', () => {
  it('runs everything eventually', async () => {
    const l = new Limiter(2);
    const out = await Promise.all([1, 2, 3, 4, 5].map((n) => l.run(async () => n * 2)));
    assert.deepEqual(out, [2, 4, 6, 8, 10]);
  });

  it('keeps at most `limit` tasks running and starts waiting ones in order, over a long queue', async () => {
    const l = new Limiter(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const tasks = Array.from({ length: 5000 }, (_, i) =>
      l.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        return i;
      }),
    );
    const out = await Promise.all(tasks);
    assert.equal(peak, 3);
    assert.deepEqual(out, started);
    assert.deepEqual(started, [...started].sort((a, b) => a - b), 'FIFO');
  });
});
