// The findings a user keeps switched on (issue 10): path-missing only warns for finished work,
// path-placeholder only in artifact fields, no self-contradiction for APPROVED, close matches that
// keep the path's distinguishing folders, and "looked for" lists without a base joined to itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, producingAgent } from '../../src/core/analyze';
import { PathResolver, selfJoined } from '../../src/core/paths';
import { parseTracker } from '../../src/core/tracker';
import type { Finding, Tracker } from '../../src/core/model';
import { MemoryFs } from './memfs';

const DIR = '/repo/projects/PROJ-7/orchestration/wf-1';
const MD = `${DIR}/ORCHESTRATION_WORKTRACKER.md`;
const YAML = `${DIR}/ORCHESTRATION.yaml`;

function tracker(md: string, yaml?: string): Tracker {
  return parseTracker(md, yaml, { mdFile: MD, yamlFile: YAML });
}

async function findings(md: string, yaml?: string, files: Record<string, string> = {}): Promise<Finding[]> {
  const fs = new MemoryFs({ '/repo/.git/HEAD': 'x', [MD]: md, ...(yaml ? { [YAML]: yaml } : {}), ...files });
  return analyze(tracker(md, yaml), { fs });
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle));
}

const TABLES = `# ORCHESTRATION_WORKTRACKER.md

> **Status:** ACTIVE

### 2.1 PHASE 1 - IN_PROGRESS

| Agent | Status | Started | Completed | Artifacts | Notes |
|-------|--------|---------|-----------|-----------|-------|
| ps-r-001 | COMPLETE | 2026-03-01 | 2026-03-01 | \`ps/phase-1/ps-r-001/done-report.md\` | |
| ps-r-002 | PENDING | - | - | \`ps/phase-1/ps-r-002/later-report.md\` | |

**Phase 1 Artifacts:**
- [x] \`ps/phase-1/ticked-report.md\`
- [ ] \`ps/phase-1/unticked-report.md\`

### 2.2 PHASE 2 - PENDING

| Agent | Status | Started | Completed | Artifacts | Notes |
|-------|--------|---------|-----------|-----------|-------|
| ps-r-002 | COMPLETE | 2026-03-02 | 2026-03-02 | \`ps/phase-2/ps-r-002/second-report.md\` | same name, phase 2 |
`;

describe('path-missing: a warning only for finished work', () => {
  it('an unfinished producer gives information "not produced yet" with data.produced false', async () => {
    const all = (await findings(TABLES)).filter((f) => f.code === 'path-missing');
    const at = (needle: string) => all.find((f) => f.range.start.line === lineOf(TABLES, needle));
    const later = at('later-report.md');
    assert.ok(later, 'unfinished agent artifact reported');
    assert.equal(later.severity, 'info');
    assert.match(later.message, /not produced yet/);
    assert.equal(later.data?.produced, false);
    assert.equal(later.data?.producer, 'ps-r-002');
    const unticked = at('unticked-report.md');
    assert.equal(unticked?.severity, 'info');
    assert.equal(unticked?.data?.produced, false);
  });

  it('a COMPLETE producer or a ticked item gives a warning with data.produced true', async () => {
    const all = (await findings(TABLES)).filter((f) => f.code === 'path-missing');
    const at = (needle: string) => all.find((f) => f.range.start.line === lineOf(TABLES, needle));
    assert.equal(at('done-report.md')?.severity, 'warning');
    assert.equal(at('done-report.md')?.data?.produced, true);
    assert.equal(at('ticked-report.md')?.severity, 'warning');
    // The occurrence whose row names the path decides, not the first row with that id.
    assert.equal(at('second-report.md')?.severity, 'warning');
  });

  it('producingAgent picks the occurrence whose row names the path', () => {
    const t = tracker(TABLES);
    const line = lineOf(TABLES, 'second-report.md');
    const ref = t.artifacts.find((a) => a.range.start.line === line)!;
    const a = producingAgent(t, ref.path, { agentId: 'ps-r-002', range: ref.range, file: MD });
    assert.equal(a?.status.status, 'COMPLETE');
    assert.equal(a?.row.range.start.line, line);
    // From elsewhere (the YAML, a hover without a range): the row listing the path.
    assert.equal(producingAgent(t, 'ps/phase-2/ps-r-002/second-report.md', { agentId: 'ps-r-002' })?.row.range.start.line, line);
    assert.equal(producingAgent(t, 'ps/phase-1/ps-r-002/later-report.md', {})?.status.status, 'PENDING');
  });
});

describe('path-placeholder: artifact fields only', () => {
  const yaml = `workflow:
  id: wf-1
  status: ACTIVE
flow:
  critique:
    output_path: "projects/PROJ-7/{task.id}/critique-v{iteration}.md"
pipelines:
  ps:
    phases:
      - id: 1
        status: PENDING
        agents:
          - id: ps-r-001
            status: PENDING
            artifact: "{path/to/artifact.md}"
`;
  it('a path template in a flow definition is not reported; a left-over template artifact is', async () => {
    const md = TABLES.replace('`ps/phase-1/ps-r-002/later-report.md`', '`ps/{PHASE}/later-report.md`') + '\nSee `{base}/ps/{agent_id}.md` for the layout.\n';
    const ph = (await findings(md, yaml)).filter((f) => f.code === 'path-placeholder');
    const texts = ph.map((f) => String(f.data?.path)).sort();
    assert.deepEqual(texts, ['ps/{PHASE}/later-report.md', '{path/to/artifact.md}']);
  });
});

describe('self-contradiction and APPROVED', () => {
  const md = (status: string) => `# T

> **Status:** ${status}

### 2.1 PHASE 1 - PENDING

| Agent | Status | Artifacts |
|-------|--------|-----------|
| ps-r-001 | PENDING | \`a.md\` |
`;
  it('a header APPROVED (plan approved, nothing run) contradicts nothing', async () => {
    const f = (await findings(md('APPROVED'))).filter((x) => x.code === 'self-contradiction');
    assert.deepEqual(f, []);
    const g = (await findings(md('✅ APPROVED'))).filter((x) => x.code === 'self-contradiction');
    assert.deepEqual(g, []);
  });
  it('a header COMPLETE still does', async () => {
    const f = (await findings(md('COMPLETE'))).filter((x) => x.code === 'self-contradiction');
    assert.equal(f.length, 1);
  });
  it('a phase heading APPROVED over pending agents is not flagged', async () => {
    const text = md('ACTIVE').replace('PHASE 1 - PENDING', 'PHASE 1 - APPROVED');
    const f = (await findings(text)).filter((x) => x.code === 'self-contradiction');
    assert.deepEqual(f, []);
  });
});

describe('close matches keep the distinguishing folders', () => {
  const ROOT = '/r';
  function resolver(files: string[]): PathResolver {
    const fs = new MemoryFs(Object.fromEntries([['/r/.git/HEAD', 'x'], ...files.map((f) => [f, 'x'])]));
    return new PathResolver({ fs, root: ROOT, bases: [ROOT] });
  }
  async function suggest(r: PathResolver, p: string) {
    return r.suggest(p, await r.resolve(p));
  }

  it('another gate with the same file name is not a fix', async () => {
    const r = resolver(['/r/gates/qg-0/nse-qa-audit.md', '/r/elsewhere/nse-qa-audit.md']);
    assert.equal(await suggest(r, 'gates/qg-2/tier-3/nse-qa-audit.md'), undefined);
    // Without distinguishing folders, a moved file is still found.
    assert.equal((await suggest(r, 'gates/audits/nse-qa-audit.md'))?.suggestion, 'gates/qg-0/nse-qa-audit.md');
  });

  it('the same gate one folder up is a fix, and preferred when alone', async () => {
    const r = resolver(['/r/gates/qg-0/nse-qa-audit.md', '/r/gates/qg-2/nse-qa-audit.md']);
    const s = await suggest(r, 'gates/qg-2/tier-3/nse-qa-audit.md');
    assert.equal(s?.suggestion, 'gates/qg-2/nse-qa-audit.md');
    assert.deepEqual(s?.suggestions, ['gates/qg-2/nse-qa-audit.md']);
    assert.equal(s?.preferred, true);
  });

  it('ranks by similarity; two equally close candidates: none preferred', async () => {
    const r = resolver(['/r/docs/archive/report.md', '/r/docs/old/report.md', '/r/other/deep/x/report.md']);
    const s = await suggest(r, 'docs/current/report.md');
    assert.deepEqual(s?.suggestions.slice(0, 2), ['docs/archive/report.md', 'docs/old/report.md']);
    assert.equal(s?.preferred, false);
    const r2 = resolver(['/r/docs/plans/report.md', '/r/other/plans/report.md']);
    const s2 = await suggest(r2, 'docs/plans/draft/report.md');
    assert.equal(s2?.suggestion, 'docs/plans/report.md');
    assert.equal(s2?.preferred, true);
  });

  it('the finding carries the ranked list and whether to prefer the first', async () => {
    const md = TABLES.replace('`ps/phase-1/ps-r-001/done-report.md`', '`ps/qg-2/tier-3/done-report.md`');
    const all = await findings(md, undefined, { [`${DIR}/ps/qg-0/done-report.md`]: 'x' });
    const f = all.find((x) => x.code === 'path-missing' && x.data?.path === 'ps/qg-2/tier-3/done-report.md');
    assert.ok(f);
    assert.equal(f.data?.suggestion, undefined);
    assert.doesNotMatch(f.message, /Did you mean/);
  });
});

describe('"looked for": real, deduplicated candidates', () => {
  it('selfJoined spots a base repeated inside itself', () => {
    assert.equal(selfJoined('projects/X', ['projects', 'X', 'a.md']), true);
    assert.equal(selfJoined('projects/X/orchestration/wf', ['orchestration', 'wf', 'ps', 'a.md']), true);
    assert.equal(selfJoined('docs', ['docs', 'a.md']), true);
    assert.equal(selfJoined('projects/X', ['ps', 'a.md']), false);
    assert.equal(selfJoined('', ['projects', 'a.md']), false);
    assert.equal(selfJoined('projects/X/docs', ['docs', 'a.md']), false);
  });

  it('no `projects/X/projects/X/…` among the tried paths, none twice', async () => {
    const yaml = `workflow:\n  id: wf-1\n  status: ACTIVE\npaths:\n  base: "projects/PROJ-7/"\n`;
    const md = TABLES;
    const all = await findings(md, yaml);
    const f = all.find((x) => x.code === 'path-missing' && x.data?.path === 'ps/phase-1/ps-r-001/done-report.md');
    assert.ok(f);
    const tried = f.data?.tried as string[];
    assert.ok(Array.isArray(tried) && tried.length > 0);
    assert.equal(new Set(tried).size, tried.length);
    assert.ok(!tried.some((p) => /projects\/PROJ-7\/projects\/PROJ-7/.test(p)), tried.join('\n'));
    const g = await findings(md.replace('`ps/phase-1/ps-r-001/done-report.md`', '`projects/PROJ-7/ps/done-report.md`'), yaml);
    const h = g.find((x) => x.code === 'path-missing' && x.data?.path === 'projects/PROJ-7/ps/done-report.md');
    assert.ok(h);
    assert.ok(!(h.data?.tried as string[]).some((p) => /projects\/PROJ-7\/projects\/PROJ-7/.test(p)), (h.data?.tried as string[]).join('\n'));
  });
});
