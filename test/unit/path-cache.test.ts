/**
 * The path cache kept between analyses (issue 13). The case that sank the first attempt comes
 * first: an artifact created right after its tracker must not stay "not found".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { parseTracker } from '../../src/core/tracker';
import { PathCache, PathResolver } from '../../src/core/paths';
import type { FileStat, Finding } from '../../src/core/model';
import { MemoryFs } from './memfs';
import { BASIC } from './helpers';

const { md: MD_TEXT, yaml: YAML_TEXT, dir: DIR, mdFile: MD, yamlFile: YAML } = BASIC;
/** The artifact the fixture lists but the repository lacks (agent-a-002's findings, moved). */
const LATE = `${DIR}/ps/phase-1/agent-a-002/findings/a-002-findings.md`;

function repo(): MemoryFs {
  return new MemoryFs({
    '/repo/.git/HEAD': 'ref: refs/heads/main\n',
    [MD]: MD_TEXT,
    [YAML]: YAML_TEXT,
    [`${DIR}/ps/phase-1/agent-a-001/a-001-survey.md`]: 'x',
    [`${DIR}/ps/phase-1/agent-a-002/a-002-findings.md`]: 'x',
    [`${DIR}/nse/phase-1/agent-b-001/b-001-scope.md`]: 'x',
  });
}

/** A fresh parse, as after every keystroke: a new Tracker object each time. */
async function check(fs: MemoryFs, cache: PathCache): Promise<Finding[]> {
  const t = parseTracker(MD_TEXT, YAML_TEXT, { mdFile: MD, yamlFile: YAML });
  return analyze(t, { fs, root: '/repo', pathCache: cache });
}

const late = (fs: Finding[]) => fs.filter((f) => f.code === 'path-missing' && f.severity !== 'info' && /agent-a-002\/findings\//.test(String(f.data?.path)));

describe('PathCache across analyses', () => {
  it('an artifact created after its tracker is found once the watcher reports it', async () => {
    const fs = repo();
    const cache = new PathCache({ covered: () => true });
    assert.ok(late(await check(fs, cache)).length > 0, 'missing at first');
    fs.writeFile(LATE, '# findings\n');
    // The event has not arrived yet: the cache still answers (that is what makes typing cheap)...
    assert.ok(late(await check(fs, cache)).length > 0, 'the cache holds until told');
    cache.invalidate(LATE);
    assert.deepEqual(late(await check(fs, cache)), [], 'found after the create event');
  });

  it('an artifact created before its tracker is found at once', async () => {
    const fs = repo();
    const cache = new PathCache({ covered: () => true });
    fs.writeFile(LATE, '# findings\n');
    assert.deepEqual(late(await check(fs, cache)), []);
  });

  it('a create event for a parent folder drops what was learnt below it', async () => {
    const fs = repo();
    const cache = new PathCache({ covered: () => true });
    assert.ok(late(await check(fs, cache)).length > 0);
    fs.writeFile(LATE, '# findings\n');
    cache.invalidate(`${DIR}/ps/phase-1/agent-a-002/findings`);
    assert.deepEqual(late(await check(fs, cache)), []);
  });

  it('a deleted artifact is missing again after the delete event', async () => {
    const fs = repo();
    fs.writeFile(LATE, '# findings\n');
    const cache = new PathCache({ covered: () => true });
    assert.deepEqual(late(await check(fs, cache)), []);
    fs.remove(LATE);
    cache.invalidate(LATE);
    assert.ok(late(await check(fs, cache)).length > 0);
  });

  it('where no watcher reports events, what was learnt expires after the short TTL', async () => {
    const fs = repo();
    let now = 1_000_000;
    const cache = new PathCache({ covered: () => false, uncoveredTtlMs: 3000, now: () => now });
    assert.ok(late(await check(fs, cache)).length > 0);
    fs.writeFile(LATE, '# findings\n');
    now += 2000;
    assert.ok(late(await check(fs, cache)).length > 0, 'within the TTL the cache answers');
    now += 1500;
    assert.deepEqual(late(await check(fs, cache)), [], 'after the TTL it looks again');
  });

  it('a resolution expires with the stats it read, not later', async () => {
    const fs = repo();
    let now = 1_000_000;
    // The late artifact's folder is not watched; the rest is.
    const cache = new PathCache({ covered: (p) => !p.includes('/agent-a-002/findings'), uncoveredTtlMs: 3000, now: () => now });
    assert.ok(late(await check(fs, cache)).length > 0);
    fs.writeFile(LATE, '# findings\n');
    now += 3500;
    assert.deepEqual(late(await check(fs, cache)), []);
  });

  it('a resolution that reached an unwatched folder only after waiting expires with it', async () => {
    const fs = new MemoryFs({ '/repo/.git/HEAD': 'x', '/repo/a/other.md': 'x' });
    let now = 1_000_000;
    const cache = new PathCache({ covered: (p) => !p.startsWith('/repo/b'), uncoveredTtlMs: 3000, now: () => now });
    // Candidates in order: /repo/a/x/y.md (watched), then /repo/b/x/y.md (not watched).
    const resolver = () => new PathResolver({ fs, root: '/repo', bases: ['/repo/a', '/repo/b'], cache });
    assert.equal((await resolver().resolve('x/y.md')).kind, 'missing');
    fs.writeFile('/repo/b/x/y.md', 'x');
    now += 3500;
    const r = await resolver().resolve('x/y.md');
    assert.equal(r.kind, 'found');
    assert.equal(r.resolved, '/repo/b/x/y.md');
  });

  it('a stat in flight when its path is invalidated is not remembered', async () => {
    const fs = new GatedFs(repo(), (p) => p.includes('/agent-a-002/findings/'));
    const cache = new PathCache({ covered: () => true });
    const running = (async () => {
      const t = parseTracker(MD_TEXT, YAML_TEXT, { mdFile: MD, yamlFile: YAML });
      return analyze(t, { fs, root: '/repo', pathCache: cache });
    })();
    await fs.held();
    // The file appears and its event arrives while the analysis is still waiting for stats.
    fs.inner.writeFile(LATE, '# findings\n');
    cache.invalidate(LATE);
    fs.release();
    // This run may well say "not found": it asked before the file was there.
    await running;
    assert.deepEqual(late(await check(fs.inner, cache)), [], 'the next analysis looks again');
  });

  it('a file changed in place: its new size is seen, names are not listed again', async () => {
    const fs = new MemoryFs({ '/repo/.git/HEAD': 'x', '/repo/docs/a.md': 'x' });
    const cache = new PathCache({ covered: () => true });
    const resolver = () => new PathResolver({ fs, root: '/repo', bases: ['/repo'], cache });
    assert.equal((await resolver().resolve('docs/a.md')).stat?.size, 1);
    assert.equal((await resolver().suggest('docs/old/b.md', await resolver().resolve('docs/old/b.md'))), undefined);
    const walks = fs.calls.filter((c) => c.op === 'readDirectory').length;
    assert.ok(walks > 0, 'the suggestion walked the tree');
    fs.writeFile('/repo/docs/a.md', 'longer');
    cache.changed('/repo/docs/a.md');
    assert.equal((await resolver().resolve('docs/a.md')).stat?.size, 6);
    await resolver().suggest('docs/old/b.md', await resolver().resolve('docs/old/b.md'));
    assert.equal(fs.calls.filter((c) => c.op === 'readDirectory').length, walks, 'the walk still stands');
  });

  it('a second analysis of an unchanged tracker stats nothing', async () => {
    const fs = repo();
    const cache = new PathCache({ covered: () => true });
    const a = await check(fs, cache);
    const before = fs.calls.filter((c) => c.op === 'stat').length;
    const b = await check(fs, cache);
    assert.equal(fs.calls.filter((c) => c.op === 'stat').length, before);
    assert.deepEqual(b, a);
  });

  it('a cache that holds what it learnt gives what a cold analysis gives', async () => {
    const fs = repo();
    const cache = new PathCache({ covered: () => true });
    await check(fs, cache);
    const cold = await analyze(parseTracker(MD_TEXT, YAML_TEXT, { mdFile: MD, yamlFile: YAML }), { fs, root: '/repo' });
    assert.deepEqual(await check(fs, cache), cold);
  });
});

/** A file system whose answers about some paths wait until released, so a test can act while they are in flight. */
class GatedFs {
  private gate?: Promise<void>;
  private open?: () => void;
  private reached?: () => void;
  private readonly reachedP: Promise<void>;
  realpath?: (p: string) => Promise<string>;

  constructor(
    readonly inner: MemoryFs,
    private readonly gated: (p: string) => boolean,
  ) {
    this.gate = new Promise((r) => (this.open = r));
    this.reachedP = new Promise((r) => (this.reached = r));
    // The answer is taken at once and handed back only when released: a stale answer in flight.
    this.realpath = async (p) => {
      const answer = inner.realpath!(p);
      answer.catch(() => {});
      if (this.gated(p)) {
        this.reached?.();
        await this.gate;
      }
      return answer;
    };
  }

  held(): Promise<void> {
    return this.reachedP;
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async stat(p: string): Promise<FileStat | undefined> {
    const answer = this.inner.stat(p);
    if (this.gated(p)) {
      this.reached?.();
      await this.gate;
    }
    return answer;
  }

  readFile(p: string): Promise<Uint8Array> {
    return this.inner.readFile(p);
  }

  readDirectory(p: string): Promise<[string, 'file' | 'directory' | 'other'][]> {
    return this.inner.readDirectory(p);
  }
}
