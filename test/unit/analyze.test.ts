import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze, resolveArtifact, type AnalyzeOptions } from '../../src/core/analyze';
import { parseTracker } from '../../src/core/tracker';
import type { Finding, Tracker } from '../../src/core/model';
import { MemoryFs } from './memfs';
import { BASIC } from './helpers';

const { md: MD_TEXT, yaml: YAML_TEXT, dir: DIR, mdFile: MD, yamlFile: YAML } = BASIC;

/** The fixture tracker inside a repository whose artifacts exist except agent-a-002's (moved up a folder). */
function repo(md = MD_TEXT, yaml: string | undefined = YAML_TEXT): MemoryFs {
  const files: Record<string, string> = {
    '/repo/.git/HEAD': 'ref: refs/heads/main\n',
    '/repo/docs/guide.md': '# guide',
    [MD]: md,
    [`${DIR}/ps/phase-1/agent-a-001/a-001-survey.md`]: 'x',
    [`${DIR}/ps/phase-1/agent-a-002/a-002-findings.md`]: 'x',
    [`${DIR}/nse/phase-1/agent-b-001/b-001-scope.md`]: 'x',
    '/outside/secret.md': 'secret',
  };
  if (yaml !== undefined) files[YAML] = yaml;
  return new MemoryFs(files);
}

function parse(md = MD_TEXT, yaml: string | undefined = YAML_TEXT): Tracker {
  return parseTracker(md, yaml, { mdFile: MD, yamlFile: YAML });
}

async function run(md = MD_TEXT, yaml: string | undefined = YAML_TEXT, opts: Partial<AnalyzeOptions> = {}): Promise<{ findings: Finding[]; fs: MemoryFs; tracker: Tracker }> {
  const fs = repo(md, yaml);
  const tracker = parse(md, yaml);
  const findings = await analyze(tracker, { fs, ...opts });
  return { findings, fs, tracker };
}

function codes(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** path-missing findings reported as problems (artifacts of finished work), not "not produced yet". */
function warned(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code === 'path-missing' && f.severity !== 'info');
}

function textAt(f: Finding, md = MD_TEXT, yaml = YAML_TEXT): string {
  const t = f.file === MD ? md : yaml;
  return t.slice(f.range.start.offset, f.range.end.offset);
}

describe('analyze: paths', () => {
  it('reports a moved artifact once per mention, with a suggestion written like the original', async () => {
    const { findings } = await run();
    const missing = warned(findings);
    assert.ok(missing.length >= 2, JSON.stringify(missing, null, 1));
    for (const f of missing) assert.match(textAt(f), /agent-a-002\/findings\/a-002-findings\.md$/);
    const md = missing.filter((f) => f.file === MD);
    assert.ok(md.length >= 1);
    for (const f of md) {
      assert.equal(f.data?.suggestion, 'ps/phase-1/agent-a-002/a-002-findings.md');
      assert.equal(f.severity, 'warning');
    }
    const y = missing.find((f) => f.file === YAML);
    assert.ok(y, 'the YAML mention is reported too');
    assert.equal(y.data?.suggestion, 'orchestration/widgets-20260301-001/ps/phase-1/agent-a-002/a-002-findings.md');
  });

  it('does not report a bare file name the checklist lists, nor artifacts of unfinished agents', async () => {
    const { findings } = await run();
    const texts = warned(findings).map((f) => textAt(f));
    assert.ok(!texts.some((t) => t === 'a-001-survey.md'));
    assert.ok(!texts.some((t) => /b-002-risks|a-003-design|handoff/.test(t)), texts.join('\n'));
  });

  it('reports the artifact of a finished agent that is missing', async () => {
    const md = MD_TEXT.replace('| agent-b-002 | ⏳ PENDING | - | - |', '| agent-b-002 | ✅ COMPLETE | 2026-03-02 | 2026-03-02 |');
    const { findings } = await run(md);
    const f = warned(findings).find((x) => x.file === MD && /b-002-risks\.md/.test(textAt(x, md)));
    assert.ok(f, 'b-002-risks.md reported');
    assert.equal(f.data?.suggestion, undefined);
  });

  it('absolute, placeholder and escaping paths; nothing outside the root is touched', async () => {
    const md = MD_TEXT.replace('- [x] `ps/phase-1/agent-a-001/a-001-survey.md`', '- [x] `/Users/someone/a-001-survey.md`')
      .replace('1. [ ] Finish agent-b-001 (see `docs/guide.md`)', '1. [x] Finish agent-b-001 (see `../../../../../outside/secret.md`)')
      .replace('2. [ ] Start agent-b-002', '2. [x] Start agent-b-002 (see `{base}/ps/{agent_id}.md`)');
    const { findings, fs } = await run(md);
    const abs = codes(findings, 'path-absolute');
    assert.equal(abs.length, 1);
    assert.equal(textAt(abs[0], md), '/Users/someone/a-001-survey.md');
    const esc = codes(findings, 'path-escapes-root');
    assert.equal(esc.length, 1);
    assert.equal(esc[0].severity, 'error');
    assert.equal(textAt(esc[0], md), '../../../../../outside/secret.md');
    const ph = codes(findings, 'path-placeholder');
    assert.ok(ph.some((f) => textAt(f, md) === '{base}/ps/{agent_id}.md'));
    assert.deepEqual(fs.touched().filter((p) => !p.startsWith('/repo')), []);
  });

  it('YAML `paths:` patterns are not reported as placeholders', async () => {
    const { findings } = await run();
    assert.deepEqual(codes(findings, 'path-placeholder'), []);
  });

  it('ignore globs silence path findings', async () => {
    const { findings } = await run(MD_TEXT, YAML_TEXT, { ignore: ['**/findings/*.md'] });
    assert.deepEqual(warned(findings), []);
  });

  it('stats each distinct path once per run through a shared cache', async () => {
    const fs = repo();
    const statCache = new Map();
    const t1 = parse();
    const t2 = parse();
    await analyze(t1, { fs, statCache });
    const n = fs.calls.filter((c) => c.op === 'stat').length;
    await analyze(t2, { fs, statCache });
    const stats = fs.calls.filter((c) => c.op === 'stat');
    const perPath = new Map<string, number>();
    for (const c of stats) perPath.set(c.path, (perPath.get(c.path) ?? 0) + 1);
    assert.ok([...perPath.values()].every((v) => v === 1), 'no path stat-ed twice');
    assert.equal(stats.length, n, 'second tracker served from the cache');
  });

  it('a new run (new stat cache) on the same tracker sees files created since', async () => {
    const fs = repo();
    const t = parse();
    const first = await analyze(t, { fs, statCache: new Map() });
    assert.ok(warned(first).length > 0);
    fs.writeFile(`${DIR}/ps/phase-1/agent-a-002/findings/a-002-findings.md`, 'x');
    const second = await analyze(t, { fs, statCache: new Map() });
    assert.deepEqual(warned(second), []);
  });

  it('resolveArtifact resolves bare names via the checklist and reports where', async () => {
    const fs = repo();
    const t = parse();
    const r = await resolveArtifact(t, 'a-001-survey.md', { fs });
    assert.equal(r.kind, 'found');
    assert.equal(r.resolved, `${DIR}/ps/phase-1/agent-a-001/a-001-survey.md`);
    const u = await resolveArtifact(t, 'https://example.com/x.md', { fs });
    assert.equal(u.kind, 'url');
  });

  it('`paths.base` naming the tracker folder resolves YAML paths even when the root is that folder', async () => {
    const { findings } = await run(MD_TEXT, YAML_TEXT, { root: DIR });
    const y = warned(findings).filter((f) => f.file === YAML);
    assert.equal(y.length, 1, JSON.stringify(y, null, 1));
    assert.equal(y[0].data?.suggestion, 'orchestration/widgets-20260301-001/ps/phase-1/agent-a-002/a-002-findings.md');
  });

  it('uses an explicit base first', async () => {
    const fs = repo().writeFile('/repo/elsewhere/notes/x.md', 'x');
    const t = parse();
    const r = await resolveArtifact(t, 'notes/x.md', { fs, base: '/repo/elsewhere' });
    assert.equal(r.kind, 'found');
    const r2 = await resolveArtifact(t, 'notes/x.md', { fs });
    assert.equal(r2.kind, 'missing');
  });
});

describe('analyze: status drift', () => {
  it('one finding on each side, pointing at each other', async () => {
    const { findings } = await run();
    const drift = codes(findings, 'status-drift');
    assert.equal(drift.length, 2, JSON.stringify(drift, null, 1));
    const md = drift.find((f) => f.file === MD)!;
    const y = drift.find((f) => f.file === YAML)!;
    assert.equal(textAt(md), '🔄 IN PROGRESS');
    assert.match(textAt(y), /COMPLETE/);
    assert.deepEqual(md.data, { md: 'IN_PROGRESS', yaml: 'COMPLETE', kind: 'agent', id: 'agent-b-001' });
    assert.equal(md.related?.[0].file, YAML);
    assert.equal(md.related?.[0].range.start.offset, y.range.start.offset);
    assert.equal(y.related?.[0].file, MD);
    assert.equal(y.related?.[0].range.start.offset, md.range.start.offset);
  });

  it('none when both sides agree', async () => {
    const yaml = YAML_TEXT.replace('- id: "agent-b-001"\n            status: "COMPLETE"', '- id: "agent-b-001"\n            status: "in_progress"');
    const { findings } = await run(MD_TEXT, yaml);
    assert.deepEqual(codes(findings, 'status-drift'), []);
  });

  it('skipped when a side is unknown', async () => {
    const yaml = YAML_TEXT.replace('- id: "agent-b-001"\n            status: "COMPLETE"', '- id: "agent-b-001"\n            status: "¯\\_(ツ)_/¯"');
    const { findings } = await run(MD_TEXT, yaml);
    assert.deepEqual(codes(findings, 'status-drift'), []);
  });

  it('workflow: ACTIVE agrees with IN_PROGRESS, disagrees with COMPLETE', async () => {
    const agree = YAML_TEXT.replace('status: "ACTIVE"', 'status: "IN_PROGRESS"');
    assert.equal(codes((await run(MD_TEXT, agree)).findings, 'status-drift').filter((f) => f.data?.kind === 'workflow').length, 0);
    const done = YAML_TEXT.replace('status: "ACTIVE"', 'status: "COMPLETE"');
    const wf = codes((await run(MD_TEXT, done)).findings, 'status-drift').filter((f) => f.data?.kind === 'workflow');
    assert.equal(wf.length, 2);
    assert.equal(textAt(wf.find((f) => f.file === MD)!), 'ACTIVE');
  });

  it('phase: the heading against every YAML phase with that number', async () => {
    const yaml = YAML_TEXT.replace('name: "Scope"\n        status: "IN_PROGRESS"', 'name: "Scope"\n        status: "COMPLETE"').replace(
      'name: "Research"\n        status: "IN_PROGRESS"',
      'name: "Research"\n        status: "COMPLETE"',
    );
    const { findings } = await run(MD_TEXT, yaml);
    const phase = codes(findings, 'status-drift').filter((f) => f.data?.kind === 'phase');
    assert.equal(phase.filter((f) => f.file === MD).length, 1);
    assert.equal(phase.filter((f) => f.file === YAML).length, 2);
    assert.deepEqual(phase[0].data, { md: 'IN_PROGRESS', yaml: 'COMPLETE', kind: 'phase', id: '1' });
  });

  it('barrier', async () => {
    const yaml = YAML_TEXT.replace('- id: "barrier-1"\n    status: "PENDING"', '- id: "barrier-1"\n    status: "COMPLETE"');
    const { findings } = await run(MD_TEXT, yaml);
    const b = codes(findings, 'status-drift').filter((f) => f.data?.kind === 'barrier');
    assert.equal(b.length, 2);
    assert.equal(b[0].data?.id, '1');
  });

  it('no YAML, no drift', async () => {
    // (an explicit `undefined` would pick up the default YAML)
    const tracker = parseTracker(MD_TEXT, undefined, { mdFile: MD, yamlFile: YAML });
    assert.equal(tracker.yaml, undefined);
    const findings = await analyze(tracker, { fs: repo(MD_TEXT, undefined) });
    assert.deepEqual(codes(findings, 'status-drift'), []);
  });
});

describe('analyze: self-contradiction', () => {
  it('header COMPLETE while phases and agents are not', async () => {
    const md = MD_TEXT.replace('> **Status:** ACTIVE', '> **Status:** COMPLETE');
    const { findings } = await run(md);
    const sc = codes(findings, 'self-contradiction').filter((f) => f.data?.kind === 'workflow');
    assert.equal(sc.length, 1);
    assert.equal(textAt(sc[0], md), 'COMPLETE');
    assert.deepEqual(sc[0].data?.phases, [1, 2]);
    assert.deepEqual(sc[0].data?.barriers, [1]);
    assert.deepEqual(sc[0].data?.agents, ['agent-b-001', 'agent-b-002', 'agent-a-003']);
  });

  it('a phase heading COMPLETE while one of its agents is not', async () => {
    const md = MD_TEXT.replace('### 2.1 PHASE 1 - IN_PROGRESS', '### 2.1 PHASE 1 - COMPLETE');
    const { findings } = await run(md);
    const sc = codes(findings, 'self-contradiction').filter((f) => f.data?.kind === 'phase');
    assert.equal(sc.length, 1);
    assert.deepEqual(sc[0].data?.agents, ['agent-b-001', 'agent-b-002']);
  });

  it('none on a consistent tracker', async () => {
    const { findings } = await run();
    assert.deepEqual(codes(findings, 'self-contradiction'), []);
  });
});

describe('analyze: readers and derived sections', () => {
  it('includes the YAML reader findings (duplicate key)', async () => {
    const yaml = YAML_TEXT.replace('  updated_at: "2026-03-02T10:00:00Z"', '  updated_at: "2026-03-02T10:00:00Z"\n  status: "COMPLETE"');
    const { findings } = await run(MD_TEXT, yaml);
    const dup = codes(findings, 'yaml-duplicate-key');
    assert.equal(dup.length, 1);
    assert.equal(dup[0].file, YAML);
  });

  it('dashboard-stale and metrics-stale come from the injected checks', async () => {
    const t = parse();
    const row = t.metrics!.rows[0];
    const stale = await analyze(t, {
      fs: repo(),
      staleness: {
        isDashboardStale: () => ({ stale: true, reason: 'Phase 1 bar shows 100%' }),
        isMetricsStale: () => ({ stale: true, rows: [{ name: 'Phases Complete', expected: '1/2', actual: '0/2', range: row.row.range }] }),
      },
    });
    assert.equal(codes(stale, 'dashboard-stale').length, 1);
    const m = codes(stale, 'metrics-stale');
    assert.equal(m.length, 1);
    assert.match(m[0].message, /Phases Complete/);
    const fresh = await analyze(parse(), {
      fs: repo(),
      staleness: { isDashboardStale: () => ({ stale: false }), isMetricsStale: () => ({ stale: false, rows: [] }) },
    });
    assert.deepEqual(codes(fresh, 'dashboard-stale'), []);
    assert.deepEqual(codes(fresh, 'metrics-stale'), []);
  });

  it('findings are sorted by file and position', async () => {
    const { findings } = await run();
    for (let i = 1; i < findings.length; i++) {
      const a = findings[i - 1];
      const b = findings[i];
      assert.ok(a.file < b.file || (a.file === b.file && a.range.start.offset <= b.range.start.offset));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The seven real trackers, placed where they sit in their repository, next to the files their
// paths point at there (test/fixtures/analyze/jerry-layout.json). Every expectation below was
// checked by hand against the tracker text and the repository's file listing.

const EXAMPLES = path.resolve(__dirname, '../../../shared/format/examples');
const LAYOUT = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/analyze/jerry-layout.json'), 'utf8')) as Record<string, { tracker: string; files: string[] }>;

const tempRoots: string[] = [];
after(async () => {
  const { rmSync } = await import('node:fs');
  for (const r of tempRoots) rmSync(r, { recursive: true, force: true });
});

async function analyzeExample(name: string): Promise<{ findings: Finding[]; dir: string }> {
  const { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { NodeFs, toCorePath } = await import('../../src/node/fs');
  const root = mkdtempSync(path.join(tmpdir(), `wt-${name}-`));
  tempRoots.push(root);
  const layout = LAYOUT[name];
  mkdirSync(path.join(root, '.git'));
  for (const f of layout.files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '');
  }
  const dir = path.join(root, layout.tracker);
  mkdirSync(dir, { recursive: true });
  for (const f of ['ORCHESTRATION_WORKTRACKER.md', 'ORCHESTRATION.yaml']) copyFileSync(path.join(EXAMPLES, name, f), path.join(dir, f));
  const md = readFileSync(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8');
  const yaml = readFileSync(path.join(dir, 'ORCHESTRATION.yaml'), 'utf8');
  const tracker = parseTracker(md, yaml, { mdFile: toCorePath(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md')), yamlFile: toCorePath(path.join(dir, 'ORCHESTRATION.yaml')) });
  return { findings: await analyze(tracker, { fs: new NodeFs() }), dir };
}

/** `md:125 path` / `yaml:358 path` for each path-missing finding. */
function missing(findings: Finding[]): string[] {
  return warned(findings)
    .map((f) => `${f.file.endsWith('.md') ? 'md' : 'yaml'}:${f.range.start.line + 1} ${String(f.data?.path)}${f.data?.suggestion ? ` => ${String(f.data.suggestion)}` : ''}`)
    .sort();
}

function drifted(findings: Finding[], kind: string, file: 'md' | 'yaml' = 'md'): string[] {
  return codes(findings, 'status-drift')
    .filter((f) => f.data?.kind === kind && (file === 'md') === f.file.endsWith('.md'))
    .map((f) => String(f.data?.id))
    .sort();
}

function otherPathFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code.startsWith('path-') && f.code !== 'path-missing');
}

describe('analyze: the real examples', { skip: !existsSync(EXAMPLES) && 'examples folder not present' }, () => {
  it('em-dash-headings: only the barrier gate check is missing; no drift', async () => {
    const { findings } = await analyzeExample('em-dash-headings');
    assert.deepEqual(missing(findings), [
      'md:125 orchestration/en001-bugfix-20260210-001/barriers/barrier-1/barrier-1-gate-check.md',
      'yaml:358 orchestration/en001-bugfix-20260210-001/barriers/barrier-1/barrier-1-gate-check.md',
    ]);
    assert.deepEqual(codes(findings, 'status-drift'), []);
    assert.deepEqual(codes(findings, 'self-contradiction'), []);
    assert.deepEqual(otherPathFindings(findings), []);
  });

  it('three-pipelines: header COMPLETE over IN_PROGRESS phases; phases 1-2 drift from the YAML', async () => {
    const { findings } = await analyzeExample('three-pipelines');
    assert.deepEqual(missing(findings), []);
    const sc = codes(findings, 'self-contradiction');
    assert.equal(sc.length, 1);
    assert.deepEqual(sc[0].data?.phases, [1, 2]);
    assert.deepEqual(drifted(findings, 'phase'), ['1', '2']);
    // one YAML finding per pipeline holding that phase (pipeline_a and pipeline_b)
    assert.deepEqual(drifted(findings, 'phase', 'yaml'), ['1', '1', '2', '2']);
    assert.deepEqual(drifted(findings, 'agent'), []);
    assert.deepEqual(drifted(findings, 'workflow'), []);
  });

  it('single-pipeline-streams: markdown ACTIVE, YAML COMPLETE; the missing artifacts are the real ones', async () => {
    const { findings } = await analyzeExample('single-pipeline-streams');
    assert.deepEqual(drifted(findings, 'workflow'), ['workflow']);
    assert.deepEqual(drifted(findings, 'phase'), ['2', '3', '4', '5']);
    assert.deepEqual(drifted(findings, 'barrier'), ['2', '3']);
    assert.deepEqual(drifted(findings, 'agent'), [
      'adv-executor',
      'adv-scorer',
      'adv-selector',
      'fix-creator-task001',
      'fix-creator-task002',
      'fix-creator-task003',
      'fix-creator-task005',
      'fix-reviser',
      'fix-validator-task001',
      'fix-validator-task002',
      'fix-validator-task003',
      'fix-validator-task005',
    ]);
    const wf = codes(findings, 'status-drift').find((f) => f.data?.kind === 'workflow' && f.file.endsWith('.md'));
    assert.deepEqual(wf?.data, { md: 'IN_PROGRESS', yaml: 'COMPLETE', kind: 'workflow', id: 'workflow' });
    assert.deepEqual(missing(findings), [
      'md:108 orchestration/bug002-hookfix-20260217-001/fix/phase-1-schema-foundation/fix-reviser-p1/fix-reviser-p1-revision.md',
      'md:130 barriers/barrier-1/barrier-1-gate-check.md',
      'yaml:135 orchestration/bug002-hookfix-20260217-001/fix/phase-1-schema-foundation/adv-executor-p1/adv-executor-p1-adversarial-review.md',
      'yaml:147 orchestration/bug002-hookfix-20260217-001/fix/phase-1-schema-foundation/adv-scorer-p1/adv-scorer-p1-quality-score.md',
      'yaml:159 orchestration/bug002-hookfix-20260217-001/fix/phase-1-schema-foundation/fix-reviser-p1/fix-reviser-p1-revision.md',
      'yaml:288 orchestration/bug002-hookfix-20260217-001/fix/phase-3-schema-tests/fix-creator-task005/fix-creator-task005-implementation.md',
      'yaml:290 tests/test_hook_schema_compliance.py => tests/hooks/test_hook_schema_compliance.py',
      'yaml:300 orchestration/bug002-hookfix-20260217-001/fix/phase-3-schema-tests/fix-validator-task005/fix-validator-task005-validation.md',
      'yaml:384 orchestration/bug002-hookfix-20260217-001/fix/phase-5-revision-closure/fix-reviser/fix-reviser-revision.md',
      'yaml:423 orchestration/bug002-hookfix-20260217-001/barriers/barrier-1/barrier-1-gate-check.md',
      'yaml:444 orchestration/bug002-hookfix-20260217-001/barriers/barrier-2/barrier-2-gate-check.md',
      'yaml:465 orchestration/bug002-hookfix-20260217-001/barriers/barrier-3/barrier-3-gate-check.md',
    ]);
  });

  it('overflowing-dashboard: phases 3-5 and barriers 3-4 drift; short names in tables resolve', async () => {
    const { findings } = await analyzeExample('overflowing-dashboard');
    assert.deepEqual(missing(findings), []);
    assert.deepEqual(drifted(findings, 'workflow'), ['workflow']);
    assert.deepEqual(drifted(findings, 'phase'), ['3', '4', '5']);
    assert.deepEqual(drifted(findings, 'barrier'), ['3', '4']);
    assert.deepEqual(drifted(findings, 'agent'), [
      'nse-integration-001',
      'nse-verification-001',
      'nse-verification-002',
      'nse-verification-003',
      'nse-verification-004',
      'ps-analyst-002',
      'ps-critic-001',
      'ps-investigator-001',
      'ps-reporter-001',
      'ps-reviewer-001',
      'ps-synthesizer-001',
    ]);
  });

  it('two-pipelines-v1: no drift; outputs since archived are found with a suggestion', async () => {
    const { findings } = await analyzeExample('two-pipelines-v1');
    assert.deepEqual(codes(findings, 'status-drift'), []);
    const m = missing(findings);
    assert.equal(m.length, 33);
    for (const line of m) {
      const [, p, s] = /^\S+ (\S+) => (\S+)$/.exec(line) ?? [];
      assert.equal(s, `archive/v_initial/${p}`, line);
    }
    // research-findings.md still sits at its listed place: never reported
    assert.ok(!m.some((l) => l.includes('research-findings.md')));
  });

  it('pipe-header-barrier-map: wrong output names, a moved plan, renamed barrier-4 handoffs', async () => {
    const { findings } = await analyzeExample('pipe-header-barrier-map');
    assert.deepEqual(codes(findings, 'status-drift'), []);
    assert.deepEqual(missing(findings), [
      'md:274 orchestration/llm-deception-20260221-001/cross-pollination/barrier-4/ps-to-nse-content.md',
      'md:275 orchestration/llm-deception-20260221-001/cross-pollination/barrier-4/nse-to-ps-qa-audit.md',
      'md:276 orchestration/llm-deception-20260221-001/quality-gates/qg-4-results.md',
      'yaml:100 ps-critic-001-output.md',
      'yaml:107 ps-critic-002-output.md',
      'yaml:114 ps-analyst-001-output.md',
      'yaml:586 projects/PROJ-009-llm-deception-research/orchestration/ORCHESTRATION_PLAN.md => projects/PROJ-009-llm-deception-research/ORCHESTRATION_PLAN.md',
      'yaml:86 ps-researcher-003-output.md',
      'yaml:93 ps-researcher-004-output.md',
    ]);
    // `orchestration/.../ps/...` abbreviations are not paths to check
    assert.ok(!codes(findings, 'path-missing').some((f) => String(f.data?.path).includes('...')));
  });

  it('tracks-duplicate-yaml-key: the duplicate key, the tasks the YAML completed, the missing critiques', async () => {
    const { findings } = await analyzeExample('tracks-duplicate-yaml-key');
    const dup = codes(findings, 'yaml-duplicate-key');
    assert.equal(dup.length, 1);
    assert.equal(dup[0].range.start.line + 1, 887);
    const agents = drifted(findings, 'agent');
    // TASK-419 (a heading with `**Status:** ⬜ READY`) is COMPLETE in the YAML.
    assert.equal(agents.length, 25);
    assert.ok(agents.includes('TASK-400') && agents.includes('TASK-424') && agents.includes('TASK-419'));
    assert.deepEqual(missing(findings), [
      'yaml:161 FEAT-005--IMP-001-task-tool-model-param-failure.md',
      'yaml:453 critiques/G-028-critique-iteration-2.md',
      'yaml:454 critiques/G-028-critique-iteration-2.md',
      'yaml:513 critiques/G-029-critique-iteration-1.md',
      'yaml:514 critiques/G-029-critique-iteration-1.md',
    ]);
  });

  it('no escapes, absolute paths or placeholders in any of them', async () => {
    for (const name of Object.keys(LAYOUT)) {
      if (name.startsWith('_')) continue;
      const { findings } = await analyzeExample(name);
      assert.deepEqual(otherPathFindings(findings).map((f) => `${name}: ${f.message}`), []);
      assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${name}: ${f.message}`), []);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Re-analysis with a warm per-run cache (the same statCache across edits) must give exactly what a
// cold analysis of the edited text gives: same findings, same order.

describe('analyze: warm cache after edits equals cold', () => {
  /** Status edits of a few agents, applied one after another, each followed by a warm and a cold run. */
  async function compareAfterEdits(md: string, yaml: string | undefined, mdFile: string, yamlFile: string, fs: AnalyzeOptions['fs'], root?: string): Promise<number> {
    const statCache: AnalyzeOptions['statCache'] = new Map();
    const opts = { mdFile, yamlFile };
    let text = md;
    let compared = 0;
    const first = parseTracker(text, yaml, opts);
    assert.deepEqual(await analyze(first, { fs, root, statCache }), await analyze(parseTracker(text, yaml, opts), { fs, root }));
    const n = first.agents.length;
    for (const k of [0, Math.floor(n / 3), Math.floor(n / 2), n - 1]) {
      const t = parseTracker(text, yaml, opts);
      const agent = t.agents[k];
      if (!agent) continue;
      const r = agent.status.range;
      text = text.slice(0, r.start.offset) + (agent.status.status === 'COMPLETE' ? 'IN_PROGRESS' : 'COMPLETE') + text.slice(r.end.offset);
      const warm = await analyze(parseTracker(text, yaml, opts), { fs, root, statCache });
      const cold = await analyze(parseTracker(text, yaml, opts), { fs, root, statCache: new Map() });
      assert.deepEqual(warm, cold);
      compared++;
    }
    return compared;
  }

  it('on a generated tracker with missing artifacts', async () => {
    const { generateTracker } = await import('../../bench/generate');
    const gen = generateTracker({ seed: 20260220, targetBytes: 100_000 });
    const files: Record<string, string> = { '/repo/.git/HEAD': 'ref: refs/heads/main\n' };
    for (const f of gen.files) files[`/repo/${f}`] = 'x';
    const dir = `/repo/${gen.trackerDir}`;
    files[`${dir}/ORCHESTRATION_WORKTRACKER.md`] = gen.md;
    files[`${dir}/ORCHESTRATION.yaml`] = gen.yaml;
    const fs = new MemoryFs(files);
    const before = await analyze(parseTracker(gen.md, gen.yaml, { mdFile: `${dir}/ORCHESTRATION_WORKTRACKER.md`, yamlFile: `${dir}/ORCHESTRATION.yaml` }), { fs });
    // The comparison is only meaningful when there are path findings to get wrong.
    assert.ok(before.some((f) => f.code === 'path-missing'));
    const compared = await compareAfterEdits(gen.md, gen.yaml, `${dir}/ORCHESTRATION_WORKTRACKER.md`, `${dir}/ORCHESTRATION.yaml`, fs);
    assert.ok(compared >= 3);
  });

  it('on the fixture tracker', async () => {
    const compared = await compareAfterEdits(MD_TEXT, YAML_TEXT, MD, YAML, repo());
    assert.ok(compared >= 1);
  });

  it('on the real examples', { skip: !existsSync(EXAMPLES) && 'examples folder not present' }, async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { NodeFs, toCorePath } = await import('../../src/node/fs');
    for (const [name, layout] of Object.entries(LAYOUT)) {
      if (!Array.isArray(layout.files) || !existsSync(path.join(EXAMPLES, name))) continue;
      const root = mkdtempSync(path.join(tmpdir(), `wt-warm-${name}-`));
      tempRoots.push(root);
      mkdirSync(path.join(root, '.git'));
      for (const f of layout.files) {
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        writeFileSync(path.join(root, f), '');
      }
      const dir = path.join(root, layout.tracker);
      const md = readFileSync(path.join(EXAMPLES, name, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8');
      const yaml = readFileSync(path.join(EXAMPLES, name, 'ORCHESTRATION.yaml'), 'utf8');
      await compareAfterEdits(md, yaml, toCorePath(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md')), toCorePath(path.join(dir, 'ORCHESTRATION.yaml')), new NodeFs());
    }
  });
});
