import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { acquireLock, readSnapshot, writeAll, writeIfUnchanged, WriteError } from '../../src/node/write';
import { bundleCli } from './helpers';

const PROJECT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(PROJECT, 'test/fixtures/analyze/basic');
const TRACKER_REL = 'projects/PROJ-042-widgets/orchestration/widgets-20260301-001';

let work: string;
let cli: string;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'worktracker-cli-'));
  cli = path.join(work, 'cli.js');
  // Bundle the CLI on its own so these tests do not depend on the extension building.
  await bundleCli(cli);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

let repoCount = 0;
/** A repository with the fixture tracker under projects/…/orchestration/<wf>/ and some artifacts. */
function makeRepo(): { root: string; dir: string; md: string; yaml: string } {
  const root = path.join(work, `repo-${++repoCount}`);
  const dir = path.join(root, TRACKER_REL);
  mkdirSync(path.join(root, '.git'), { recursive: true });
  mkdirSync(dir, { recursive: true });
  cpSync(FIXTURE, dir, { recursive: true });
  const files = [
    'ps/phase-1/agent-a-001/a-001-survey.md',
    'ps/phase-1/agent-a-002/a-002-findings.md',
    'nse/phase-1/agent-b-001/b-001-scope.md',
  ];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), '# artifact\n');
  }
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  writeFileSync(path.join(root, 'docs/guide.md'), '# guide\n');
  return { root, dir, md: path.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), yaml: path.join(dir, 'ORCHESTRATION.yaml') };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd ?? work, encoding: 'utf8', env: { ...process.env, ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(args: string[], cwd = work): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function agentStatus(md: string, id: string): { status: string; raw: string } {
  const r = run(['show', md, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const m = JSON.parse(r.stdout) as { agents: { id: string; status: string; raw: string }[] };
  const a = m.agents.find((x) => x.id === id);
  assert.ok(a, `agent ${id} in show output`);
  return a;
}

function noStack(r: Run): void {
  assert.ok(!/\n\s+at .+:\d+:\d+/.test(r.stderr), `no stack trace in: ${r.stderr}`);
  assert.ok(r.stderr.trim().split('\n').length <= 2, `short error: ${r.stderr}`);
}

describe('worktracker CLI: basics', () => {
  it('--help and --version', () => {
    const h = run(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /worktracker check/);
    assert.match(h.stdout, /worktracker mark FILE AGENT_ID STATUS/);
    const v = run(['--version']);
    assert.equal(v.code, 0);
    const pkg = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(v.stdout.trim(), pkg.version);
  });

  it('unknown command and option: exit 2, one line, no stack', () => {
    const r = run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
    noStack(r);
    const o = run(['check', '--frob']);
    assert.equal(o.code, 2);
    noStack(o);
  });
});

describe('worktracker check', () => {
  it('prints file:line:col: severity code: message and exits 0 without errors', () => {
    const { root } = makeRepo();
    const r = run(['check', '.'], { cwd: root });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    for (const l of lines) assert.match(l, /^[^:]+:\d+:\d+: (error|warning|info|hint) [a-z-]+: .+/);
    // The fixture's YAML says agent-b-001 is COMPLETE while the markdown says IN PROGRESS.
    const drift = lines.filter((l) => / status-drift: /.test(l));
    assert.equal(drift.length, 2);
    assert.ok(drift.some((l) => l.startsWith(path.join(TRACKER_REL, 'ORCHESTRATION_WORKTRACKER.md') + ':')));
    assert.ok(drift.some((l) => l.startsWith(path.join(TRACKER_REL, 'ORCHESTRATION.yaml') + ':')));
    // agent-a-002's artifact was written one folder up: reported with a suggestion.
    const missing = lines.filter((l) => / warning path-missing: /.test(l));
    assert.ok(missing.length >= 1);
    assert.ok(missing.every((l) => /a-002-findings\.md/.test(l)), missing.join('\n'));
    assert.ok(missing.some((l) => /Did you mean `ps\/phase-1\/agent-a-002\/a-002-findings\.md`/.test(l)), missing.join('\n'));
  });

  it('exits 1 when an error-severity finding exists', () => {
    const { root, md } = makeRepo();
    const text = readFileSync(md, 'utf8').replace('`docs/guide.md`', '`../../../../../../etc/passwd`').replace('1. [ ] Finish', '1. [x] Finish');
    writeFileSync(md, text);
    const r = run(['check', root]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, / error path-escapes-root: /);
  });

  it('--json gives 1-based positions and the same findings', () => {
    const { root } = makeRepo();
    const r = run(['check', root, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { trackers: unknown[]; findings: { line: number; column: number; code: string; file: string }[] };
    assert.equal(j.trackers.length, 1);
    const drift = j.findings.filter((f) => f.code === 'status-drift');
    assert.equal(drift.length, 2);
    const mdDrift = drift.find((f) => f.file.endsWith('.md'))!;
    const mdLines = readFileSync(path.join(root, TRACKER_REL, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8').split('\n');
    assert.match(mdLines[mdDrift.line - 1].slice(mdDrift.column - 1), /^🔄 IN PROGRESS/);
  });

  it('exit 2 for a missing path or a folder without trackers', () => {
    const r = run(['check', path.join(work, 'does-not-exist')]);
    assert.equal(r.code, 2);
    noStack(r);
    const empty = path.join(work, 'empty-folder');
    mkdirSync(empty, { recursive: true });
    const e = run(['check', empty]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /no ORCHESTRATION_WORKTRACKER\.md found/);
  });

  it('--ignore silences matching path findings', () => {
    const { root } = makeRepo();
    const r = run(['check', root, '--ignore', '**/findings/*.md', '--ignore', 'docs/**']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!/ warning path-missing: /.test(r.stdout), r.stdout);
    assert.match(r.stdout, / status-drift: /);
  });

  it('outside any repository the current folder is the root', () => {
    const { root } = makeRepo();
    rmSync(path.join(root, '.git'), { recursive: true });
    const r = run(['check', '.', '--json'], { cwd: root });
    const j = JSON.parse(r.stdout) as { findings: { code: string; severity: string; file: string; data?: { path?: string } }[] };
    const missing = j.findings.filter((f) => f.code === 'path-missing' && f.severity !== 'info');
    // The YAML's project-relative paths still resolve: only the really moved file is reported.
    assert.ok(missing.length >= 2);
    assert.ok(missing.every((f) => /a-002-findings\.md$/.test(f.data?.path ?? '')), JSON.stringify(missing));
    assert.ok(missing.some((f) => f.file.endsWith('ORCHESTRATION.yaml')));
  });

  it('skips node_modules', () => {
    const { root, dir } = makeRepo();
    const nm = path.join(root, 'node_modules/pkg');
    mkdirSync(nm, { recursive: true });
    cpSync(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), path.join(nm, 'ORCHESTRATION_WORKTRACKER.md'));
    const r = run(['check', root, '--json']);
    const j = JSON.parse(r.stdout) as { trackers: { file: string }[] };
    assert.equal(j.trackers.length, 1);
  });
});

describe('worktracker show', () => {
  it('--json gives the model', () => {
    const { md } = makeRepo();
    const r = run(['show', md, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.deepEqual(
      m.phases.map((p: { number: number }) => p.number),
      [1, 2],
    );
    assert.equal(m.phases[0].status.status, 'IN_PROGRESS');
    const ids = m.agents.map((a: { id: string }) => a.id);
    assert.deepEqual(ids, ['agent-a-001', 'agent-a-002', 'agent-b-001', 'agent-b-002', 'agent-a-003']);
    const b1 = m.agents.find((a: { id: string }) => a.id === 'agent-b-001');
    assert.equal(b1.status, 'IN_PROGRESS');
    assert.equal(b1.raw, '🔄 IN PROGRESS');
    assert.equal(b1.phase, 1);
    assert.equal(b1.yamlStatus, 'COMPLETE');
    assert.equal(m.barriers[0].number, 1);
    assert.equal(m.counts.agents, 5);
    assert.equal(m.counts.byStatus.COMPLETE, 2);
  });

  it('without --json prints a readable summary; accepts the folder', () => {
    const { dir } = makeRepo();
    const r = run(['show', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Phase 1/);
    assert.match(r.stdout, /agent-b-002\s+PENDING/);
  });

  it('a file that is not a tracker: exit 2', () => {
    const f = path.join(work, 'notes.txt');
    writeFileSync(f, 'hello');
    const r = run(['show', f]);
    assert.equal(r.code, 2);
    noStack(r);
  });
});

describe('worktracker mark', () => {
  it('sets the status in the markdown and the YAML; show reflects it', () => {
    const { md, yaml } = makeRepo();
    const r = run(['mark', md, 'agent-b-002', 'in-progress', '--date', '2026-03-03']);
    assert.equal(r.code, 0, r.stderr);
    const a = agentStatus(md, 'agent-b-002');
    assert.equal(a.status, 'IN_PROGRESS');
    // The file's own dialect (emoji + spaced words) is kept.
    assert.equal(a.raw, '🔄 IN PROGRESS');
    const y = readFileSync(yaml, 'utf8');
    assert.match(y, /- id: "agent-b-002"\n\s+status: "IN_PROGRESS"/);
  });

  it('accepts friendly status names', () => {
    const { md } = makeRepo();
    assert.equal(run(['mark', md, 'agent-b-002', 'done']).code, 0);
    assert.equal(agentStatus(md, 'agent-b-002').status, 'COMPLETE');
    assert.equal(run(['mark', md, 'agent-b-002', 'Pending']).code, 0);
    assert.equal(agentStatus(md, 'agent-b-002').status, 'PENDING');
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const { md, yaml } = makeRepo();
    const before = [readFileSync(md), readFileSync(yaml)];
    const r = run(['mark', md, 'agent-b-002', 'COMPLETE', '--dry-run', '--date', '2026-03-03']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/.*ORCHESTRATION_WORKTRACKER\.md$/m);
    assert.match(r.stdout, /^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    assert.match(r.stdout, /^-\| agent-b-002 \| ⏳ PENDING/m);
    assert.match(r.stdout, /^\+\| agent-b-002 \| ✅ COMPLETE/m);
    assert.match(r.stdout, /^--- a\/.*ORCHESTRATION\.yaml$/m);
    assert.ok(readFileSync(md).equals(before[0]));
    assert.ok(readFileSync(yaml).equals(before[1]));
  });

  it('unknown agent id: exit 2 with close ids', () => {
    const { md } = makeRepo();
    const r = run(['mark', md, 'agent-b-020', 'done']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown agent id "agent-b-020"/);
    assert.match(r.stderr, /agent-b-002/);
    noStack(r);
  });

  it('unknown status and bad date: exit 2', () => {
    const { md } = makeRepo();
    assert.equal(run(['mark', md, 'agent-b-002', 'sideways']).code, 2);
    assert.equal(run(['mark', md, 'agent-b-002', 'done', '--date', '03/03/2026']).code, 2);
  });

  it('a failed second write says which file was written and which not', () => {
    const { md, yaml } = makeRepo();
    const yamlBefore = readFileSync(yaml);
    const r = run(['mark', md, 'agent-b-002', 'done'], { env: { WORKTRACKER_TEST_FAIL_RENAME: 'ORCHESTRATION.yaml' } });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /already written: .*ORCHESTRATION_WORKTRACKER\.md/);
    assert.match(r.stderr, /NOT written: .*ORCHESTRATION\.yaml/);
    assert.ok(readFileSync(yaml).equals(yamlBefore), 'YAML intact');
    assert.equal(agentStatus(md, 'agent-b-002').status, 'COMPLETE');
    noStack(r);
  });

  it('a failed first write leaves both files intact and no temp files', () => {
    const { md, yaml, dir } = makeRepo();
    const before = [readFileSync(md), readFileSync(yaml)];
    const r = run(['mark', md, 'agent-b-002', 'done'], { env: { WORKTRACKER_TEST_FAIL_RENAME: 'ORCHESTRATION_WORKTRACKER.md' } });
    assert.equal(r.code, 4);
    assert.ok(readFileSync(md).equals(before[0]));
    assert.ok(readFileSync(yaml).equals(before[1]));
    const leftovers = spawnSync('find', [dir, '-name', '*.tmp', '-o', '-name', '*.lock'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(leftovers, '');
  });

  it('two concurrent marks lose nothing (or one fails loudly)', async () => {
    const { md } = makeRepo();
    const [a, b] = await Promise.all([runAsync(['mark', md, 'agent-b-002', 'done']), runAsync(['mark', md, 'agent-a-003', 'in-progress'])]);
    for (const r of [a, b]) assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
    if (a.code === 0) assert.equal(agentStatus(md, 'agent-b-002').status, 'COMPLETE');
    else assert.match(a.stderr, /changed on disk|locked/);
    if (b.code === 0) assert.equal(agentStatus(md, 'agent-a-003').status, 'IN_PROGRESS');
    else assert.match(b.stderr, /changed on disk|locked/);
    assert.ok(a.code === 0 || b.code === 0);
  });

  it('keeps the file mode', () => {
    const { md } = makeRepo();
    chmodSync(md, 0o640);
    assert.equal(run(['mark', md, 'agent-b-002', 'done']).code, 0);
    assert.equal(statSync(md).mode & 0o777, 0o640);
  });

  // ps-researcher is written in Phase 0 (line 10), Phase 1 (line 17) and the execution queue.
  const PER_PHASE = path.join(PROJECT, 'test/fixtures/edits/per-phase');
  function perPhaseRepo(): { md: string; yaml: string; md0: string; yaml0: string } {
    const dir = path.join(work, `per-phase-${++repoCount}`);
    mkdirSync(dir, { recursive: true });
    const md = path.join(dir, 'ORCHESTRATION_WORKTRACKER.md');
    const yaml = path.join(dir, 'ORCHESTRATION.yaml');
    cpSync(`${PER_PHASE}.md`, md);
    cpSync(`${PER_PHASE}.yaml`, yaml);
    return { md, yaml, md0: readFileSync(md, 'utf8'), yaml0: readFileSync(yaml, 'utf8') };
  }
  const diffLines = (a: string, b: string) => a.split('\n').map((l, i) => (l === b.split('\n')[i] ? 0 : i + 1)).filter(Boolean);

  it('a name written in several rows, without --line/--phase: exit 2 listing the rows (1-based lines, phases); nothing written', () => {
    const { md, yaml, md0, yaml0 } = perPhaseRepo();
    const r = run(['mark', md, 'ps-researcher', 'done']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /agent "ps-researcher" occurs 2 times; pick one with --line N or --phase N/);
    assert.match(r.stderr, /^ {2}line 10 {2}phase 0 {2}COMPLETE$/m);
    assert.match(r.stderr, /^ {2}line 17 {2}phase 1 {2}BLOCKED$/m);
    assert.ok(!/\n\s+at .+:\d+:\d+/.test(r.stderr), 'no stack trace');
    assert.equal(readFileSync(md, 'utf8'), md0);
    assert.equal(readFileSync(yaml, 'utf8'), yaml0);
  });

  it('--line N (1-based, as show --json prints it) marks that row only, and its per-phase YAML record', () => {
    const { md, yaml, md0, yaml0 } = perPhaseRepo();
    const shown = JSON.parse(run(['show', md, '--json']).stdout) as { agents: { id: string; line: number; phase?: number }[] };
    const rows = shown.agents.filter((a) => a.id === 'ps-researcher');
    assert.deepEqual(rows.map((a) => [a.line, a.phase]), [[10, 0], [17, 1]]);
    const r = run(['mark', md, 'ps-researcher', 'in-progress', '--line', String(rows[0].line), '--date', '2026-03-03']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(diffLines(md0, readFileSync(md, 'utf8')), [10]);
    const y1 = readFileSync(yaml, 'utf8');
    assert.deepEqual(diffLines(yaml0, y1).map((l) => y1.split('\n')[l - 1].trim()), ['status: IN_PROGRESS', 'completed_at: null']);
    assert.match(y1, /- id: ps-researcher-p0\n\s+status: IN_PROGRESS/);
    assert.match(y1, /- id: ps-researcher-p1\n\s+status: BLOCKED/);
  });

  it('--phase N marks the row under that phase; the queue row and the other phase stay', () => {
    const { md, md0 } = perPhaseRepo();
    const r = run(['mark', md, 'ps-researcher', 'done', '--phase', '1', '--date', '2026-03-03']);
    assert.equal(r.code, 0, r.stderr);
    const m1 = readFileSync(md, 'utf8');
    assert.deepEqual(diffLines(md0, m1), [17]);
    assert.match(m1, /\| 1 \| ps-researcher \| 1 \| BLOCKED \|/);
  });

  it('--line that is not a row of the id, --phase with no row, or a bad number: exit 2', () => {
    const { md, md0 } = perPhaseRepo();
    const miss = run(['mark', md, 'ps-researcher', 'done', '--line', '11']);
    assert.equal(miss.code, 2, miss.stderr);
    assert.match(miss.stderr, /no row of agent "ps-researcher" at line 11; its rows:/);
    assert.match(miss.stderr, /line 10 {2}phase 0/);
    assert.match(miss.stderr, /line 17 {2}phase 1/);
    // The queue row (line 23) names the agent but is not one of its rows.
    assert.equal(run(['mark', md, 'ps-researcher', 'done', '--line', '23']).code, 2);
    assert.equal(run(['mark', md, 'ps-researcher', 'done', '--phase', '5']).code, 2);
    assert.equal(run(['mark', md, 'ps-researcher', 'done', '--line', '10', '--phase', '1']).code, 2);
    for (const bad of ['0', 'ten', '-3']) assert.equal(run(['mark', md, 'ps-researcher', 'done', '--line', bad]).code, 2, `--line ${bad}`);
    assert.equal(readFileSync(md, 'utf8'), md0);
    // A name written once needs no --line, and accepts its own.
    assert.equal(run(['mark', md, 'ps-writer', 'done', '--line', '18', '--dry-run']).code, 0);
    assert.equal(run(['mark', md, 'ps-writer', 'done', '--line', '17', '--dry-run']).code, 2);
  });

  it('--help documents --line and --phase', () => {
    const h = run(['--help']);
    assert.match(h.stdout, /worktracker mark FILE AGENT_ID STATUS \[--line N\] \[--phase N\]/);
  });
});

describe('worktracker sync', () => {
  it('--check exits 1 when stale, 0 after sync', () => {
    const { md } = makeRepo();
    const first = run(['sync', md]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(run(['sync', md, '--check']).code, 0);
    // Completing an agent makes the metrics (Agents Executed) stale.
    assert.equal(run(['mark', md, 'agent-b-002', 'done']).code, 0);
    const before = readFileSync(md);
    const stale = run(['sync', md, '--check']);
    assert.equal(stale.code, 1, stale.stdout + stale.stderr);
    assert.match(stale.stdout, /stale at line/);
    assert.ok(readFileSync(md).equals(before), '--check writes nothing');
    assert.equal(run(['sync', md]).code, 0);
    assert.equal(run(['sync', md, '--check']).code, 0);
  });
});

describe('safe writes (src/node/write.ts)', () => {
  it('refuses to overwrite a file changed since it was read', async () => {
    const f = path.join(work, 'conflict.md');
    writeFileSync(f, 'one\n');
    const snap = await readSnapshot(f);
    writeFileSync(f, 'someone else\n');
    await assert.rejects(writeIfUnchanged(snap, 'mine\n'), (e: unknown) => e instanceof WriteError && e.exitCode === 3);
    assert.equal(readFileSync(f, 'utf8'), 'someone else\n');
  });

  it('keeps a BOM and CRLF exactly as in the text', async () => {
    const f = path.join(work, 'bom.md');
    writeFileSync(f, '\ufeffa\r\nb\r\n');
    const snap = await readSnapshot(f);
    assert.equal(snap.text.charCodeAt(0), 0xfeff);
    await writeIfUnchanged(snap, snap.text.replace('b', 'c'), {});
    assert.deepEqual([...readFileSync(f)], [...Buffer.from('\ufeffa\r\nc\r\n', 'utf8')]);
  });

  it('rejects text that is not valid UTF-8 rather than rewriting it lossily', async () => {
    const f = path.join(work, 'latin1.md');
    writeFileSync(f, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await assert.rejects(readSnapshot(f), (e: unknown) => e instanceof WriteError && /UTF-8/.test((e as Error).message));
  });

  it('writeAll reports written and not-written files', async () => {
    const a = path.join(work, 'wa-a.md');
    const b = path.join(work, 'wa-b.yaml');
    writeFileSync(a, 'a\n');
    writeFileSync(b, 'b\n');
    const items = [
      { snap: await readSnapshot(a), text: 'A\n' },
      { snap: await readSnapshot(b), text: 'B\n' },
    ];
    await assert.rejects(
      writeAll(items, { beforeRename: (t) => (t === b ? Promise.reject(new Error('disk full')) : undefined) }),
      (e: unknown) => e instanceof WriteError && /already written: .*wa-a\.md/.test((e as Error).message) && /NOT written: .*wa-b\.yaml/.test((e as Error).message),
    );
    assert.equal(readFileSync(a, 'utf8'), 'A\n');
    assert.equal(readFileSync(b, 'utf8'), 'b\n');
  });

  it('a lock is exclusive until released', async () => {
    const f = path.join(work, 'locked.md');
    writeFileSync(f, 'x');
    const l1 = await acquireLock(f);
    await assert.rejects(acquireLock(f, 100), (e: unknown) => e instanceof WriteError && e.exitCode === 3);
    await l1.release();
    const l2 = await acquireLock(f, 100);
    await l2.release();
    assert.ok(!existsSync(`${f}.lock`));
  });
});
