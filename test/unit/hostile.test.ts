// Hostile input (issue 6): YAML bombs and tags, path escapes on a real folder, odd markdown. Each case
// must end in findings with a line, in bounded time and memory, with nothing executed and nothing
// outside the repository root touched.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStat, Finding, Tracker, WorkspaceFs, YamlModel } from '../../src/core/model';
import { parseYaml } from '../../src/core/yaml';
import { parseTracker } from '../../src/core/tracker';
import { analyze } from '../../src/core/analyze';
import { setAgentStatus } from '../../src/core/edits';
import { NodeFs } from '../../src/node/fs';
import { LineIndex, applyEdits } from '../../src/core/text';

const YAML_FILE = '/repo/ORCHESTRATION.yaml';
const MD_FILE = '/repo/ORCHESTRATION_WORKTRACKER.md';

/**
 * Runs `fn`, failing when it takes longer than `ms` or grows the heap by more than `maxHeapMiB`. The
 * limits catch blow-ups (an unbounded alias bomb is ~10^9 nodes), not slowness, so they are wide
 * enough for a loaded CI machine.
 */
function bounded<T>(fn: () => T, ms: number, maxHeapMiB = 512): T {
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const out = fn();
  const took = performance.now() - t0;
  const grew = (process.memoryUsage().heapUsed - heap0) / (1 << 20);
  assert.ok(took < ms, `took ${took.toFixed(0)} ms (limit ${ms})`);
  assert.ok(grew < maxHeapMiB, `heap grew ${grew.toFixed(0)} MiB (limit ${maxHeapMiB})`);
  return out;
}

/** Every finding points at a real line of its file. */
function assertLocated(findings: readonly Finding[], text: string): void {
  const lines = new LineIndex(text).lineCount;
  for (const f of findings) {
    assert.ok(Number.isInteger(f.range.start.line) && f.range.start.line >= 0 && f.range.start.line < lines, `${f.code} at line ${f.range.start.line} of ${lines}`);
    assert.ok(f.range.start.offset <= f.range.end.offset && f.range.end.offset <= text.length, `${f.code} range inside the text`);
  }
}

function yamlOk(text: string, ms = 60_000): YamlModel {
  const m = bounded(() => parseYaml(text, YAML_FILE), ms);
  assertLocated(m.findings, text);
  return m;
}

function containsFunction(v: unknown, seen = new Set<unknown>()): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  return Object.values(v as Record<string, unknown>).some((x) => containsFunction(x, seen));
}

describe('hostile YAML', () => {
  it('an alias bomb ("billion laughs") is refused with a finding, in bounded time and memory', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const p = String.fromCharCode(97 + i - 1);
      const c = String.fromCharCode(97 + i);
      levels.push(`${c}: &${c} [${Array(9).fill('*' + p).join(',')}]`);
    }
    const text = 'workflow:\n  id: "bomb"\n' + levels.join('\n') + '\n';
    const m = yamlOk(text);
    assert.ok(m.findings.some((f) => f.code.startsWith('yaml-')), 'a yaml finding');
    assert.equal(m.workflow.id?.value, 'bomb', 'what can be read is still read');
  });

  it('deep nesting (flow and block) does not overflow the stack', () => {
    const flow = 'workflow: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n';
    const m1 = yamlOk(flow);
    assert.ok(m1.findings.length > 0, 'deep flow nesting is reported');
    const block = Array.from({ length: 5_000 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' end\n';
    yamlOk(block);
    const unbalanced = 'pipelines: ' + '{a: '.repeat(50_000) + '\n';
    const m3 = yamlOk(unbalanced);
    assert.ok(m3.findings.some((f) => f.code === 'yaml-syntax'), 'unterminated flow mapping is a syntax finding');
  });

  it('custom tags are never executed or constructed', () => {
    const g = globalThis as Record<string, unknown>;
    delete g.__pwned;
    const text = [
      'workflow:',
      '  id: !!js/function "function () { globalThis.__pwned = true; return 1 }"',
      '  name: !!python/object/apply:os.system ["touch /tmp/pwned"]',
      '  status: !<tag:yaml.org,2002:js/undefined> ""',
      'pipelines:',
      '  a: !!js/regexp /x/g',
      '',
    ].join('\n');
    const m = yamlOk(text);
    assert.equal(g.__pwned, undefined);
    assert.ok(!containsFunction(m.data), 'no function in the data');
    const tagged = m.findings.filter((f) => f.range.start.line >= 1 && f.range.start.line <= 5);
    assert.ok(tagged.length > 0, 'the custom tags are reported on their lines');
  });

  it('a huge scalar is read in bounded time', () => {
    const big = 'x'.repeat(8 << 20);
    const m = yamlOk(`workflow:\n  id: "w"\n  name: "${big}"\n  status: ACTIVE\n`, 60_000);
    assert.equal(m.workflow.status?.value, 'ACTIVE');
  });

  it('a duplicate key is a finding on the second occurrence, and the file is still read', () => {
    const text = 'workflow:\n  id: "w"\n  status: "ACTIVE"\n  name: "n"\n  status: "COMPLETE"\n';
    const m = yamlOk(text);
    const dup = m.findings.find((f) => f.code === 'yaml-duplicate-key');
    assert.ok(dup, 'yaml-duplicate-key');
    assert.equal(dup.range.start.line, 4);
    assert.equal(m.workflow.id?.value, 'w');
  });

  it('a YAML that is a list or a scalar is a yaml-shape finding', () => {
    for (const text of ['- a\n- b\n', 'just a string\n', '42\n', '"quoted"\n']) {
      const m = yamlOk(text);
      assert.ok(m.findings.some((f) => f.code === 'yaml-shape'), JSON.stringify(text));
      assert.deepEqual(m.agents, []);
    }
  });

  it('odd bytes: NUL, replacement characters, lone surrogates, CR-only, tabs, BOM', () => {
    const bytes = Uint8Array.from([0x77, 0x6f, 0x72, 0x6b, 0x66, 0x6c, 0x6f, 0x77, 0x3a, 0x0a, 0x20, 0x20, 0x69, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x0a]);
    const cases = [
      new TextDecoder().decode(bytes),
      'workflow:\n  id: "a\u0000b"\n  status: ACTIVE\u0000\n',
      'workflow:\n  id: "\ud800"\n',
      'workflow:\r  id: w\r  status: ACTIVE\r',
      'workflow:\n\tid: w\n',
      '\ufeff',
      '',
      '\ufeffworkflow:\n  id: w\n',
      '---\n---\n---\n',
      '%YAML 9.9\n--- !x\n',
    ];
    for (const c of cases) yamlOk(c);
  });
});

// ------------------------------------------------------------------ paths, on a real folder

/** A Node fs that records every path it is asked about. */
class SpyFs implements WorkspaceFs {
  readonly calls: { op: string; path: string }[] = [];
  private readonly inner = new NodeFs();
  stat(p: string): Promise<FileStat | undefined> {
    this.calls.push({ op: 'stat', path: p });
    return this.inner.stat(p);
  }
  readFile(p: string): Promise<Uint8Array> {
    this.calls.push({ op: 'readFile', path: p });
    return this.inner.readFile(p);
  }
  readDirectory(p: string): Promise<[string, 'file' | 'directory' | 'other'][]> {
    this.calls.push({ op: 'readDirectory', path: p });
    return this.inner.readDirectory(p);
  }
  realpath(p: string): Promise<string> {
    this.calls.push({ op: 'realpath', path: p });
    return this.inner.realpath(p);
  }
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + '/');
}

describe('hostile paths (real temp folder, Node fs)', () => {
  let top: string;
  let root: string;
  let outside: string;
  const hostile: string[] = [];

  before(() => {
    top = realpathSync(mkdtempSync(join(tmpdir(), 'wt-hostile-')));
    root = join(top, 'repo');
    outside = join(top, 'outside');
    mkdirSync(join(root, '.git'), { recursive: true });
    mkdirSync(join(root, 'proj', 'docs'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.md'), 'secret');
    writeFileSync(join(root, 'proj', 'docs', 'ok.md'), 'ok');
    // Symlinks inside the root that lead out of it, and loops.
    symlinkSync(join(outside, 'secret.md'), join(root, 'proj', 'docs', 'link-out.md'));
    symlinkSync(outside, join(root, 'proj', 'outdir'));
    symlinkSync(join(root, 'proj', 'loop-b'), join(root, 'proj', 'loop-a'));
    symlinkSync(join(root, 'proj', 'loop-a'), join(root, 'proj', 'loop-b'));
    symlinkSync(join(root, 'proj'), join(root, 'proj', 'self'));
    hostile.push(
      '../../outside/secret.md',
      '../../../../../../../../etc/passwd',
      'docs/../../../outside/secret.md',
      '/etc/passwd',
      join(outside, 'secret.md'),
      '~/.ssh/id_rsa',
      '~root/.bashrc',
      'file:///etc/passwd',
      'http://example.com/x.md',
      'command:workbench.action.terminal.new',
      'vscode://file/etc/passwd',
      'C:\\Windows\\System32\\drivers\\etc\\hosts',
      'c:/windows/win.ini',
      '..\\..\\outside\\secret.md',
      '\\\\server\\share\\x.md',
      'docs/a\u0000b.md',
      'docs/' + 'a'.repeat(5000) + '.md',
      'a/'.repeat(3000) + 'x.md',
      'docs/link-out.md',
      'outdir/secret.md',
      'loop-a/x.md',
      'self/self/self/self/self/self/self/self/docs/ok.md',
    );
  });

  after(() => rmSync(top, { recursive: true, force: true }));

  function trackerText(paths: string[]): string {
    const rows = paths.map((p, i) => `| agent-a-${String(i + 1).padStart(3, '0')} | COMPLETE | 2026-01-01 | 2026-01-02 | \`${p.replace(/\|/g, '\\|')}\` | ok |`);
    return [
      '# ORCHESTRATION_WORKTRACKER.md',
      '',
      '> **Status:** ACTIVE',
      '',
      '## 2. Phase Execution Log',
      '',
      '### 2.1 PHASE 1 - COMPLETE',
      '',
      '#### Pipeline A Phase 1: Research',
      '',
      '| Agent | Status | Started | Completed | Artifacts | Notes |',
      '|-------|--------|---------|-----------|-----------|-------|',
      ...rows,
      '',
      '**Phase 1 Artifacts:**',
      ...paths.map((p) => `- [x] \`${p}\``),
      '- [x] [link](../../outside/secret.md)',
      '- [x] [cmd](command:workbench.action.quit)',
      '',
    ].join('\n');
  }

  let run: { md: string; yaml: string; mdFile: string; yamlFile: string; fs: SpyFs; findings: Finding[] } | undefined;
  async function analysed() {
    if (run) return run;
    const md = trackerText(hostile);
    const yaml = ['workflow:', '  id: "w"', 'paths:', '  base: "../../"', 'pipelines:', '  a:', '    phases:', '      - id: 1', '        status: COMPLETE', '        agents:', ...hostile.slice(0, 12).map((p, i) => `          - id: "agent-a-${String(i + 1).padStart(3, '0')}"\n            status: COMPLETE\n            artifact: ${JSON.stringify(p)}`), ''].join('\n');
    const mdFile = join(root, 'proj', 'ORCHESTRATION_WORKTRACKER.md');
    const yamlFile = join(root, 'proj', 'ORCHESTRATION.yaml');
    writeFileSync(mdFile, md);
    writeFileSync(yamlFile, yaml);
    const fs = new SpyFs();
    const t = parseTracker(md, yaml, { mdFile, yamlFile });
    let timer: NodeJS.Timeout | undefined;
    const findings = await Promise.race([
      analyze(t, { fs, root, statCache: new Map(), concurrency: 8 }),
      new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error('analysis did not end within 60 s')), 60_000))),
    ]).finally(() => clearTimeout(timer));
    run = { md, yaml, mdFile, yamlFile, fs, findings };
    return run;
  }
  function flagged(r: NonNullable<typeof run>, p: string): boolean {
    return r.findings.some((f) => f.file === r.mdFile && ((f.data as { path?: string } | undefined)?.path === p || r.md.slice(f.range.start.offset, f.range.end.offset) === p));
  }

  it('never stats, reads or lists anything outside the root, and ends', async () => {
    const r = await analysed();
    assert.ok(r.fs.calls.length > 0, 'the analysis did look at the file system');
    assert.deepEqual(r.fs.calls.filter((c) => !inside(root, c.path)), [], 'file system calls outside the root');
    assert.ok(r.fs.calls.every((c) => !c.path.includes('\u0000')), 'no NUL reaches the fs');
    // The symlinks that lead out are followed by realpath only, never by stat or a directory walk.
    for (const c of r.fs.calls.filter((x) => x.op !== 'realpath')) {
      assert.ok(!c.path.includes('/outdir') && !c.path.endsWith('/link-out.md'), `${c.op} ${c.path}`);
    }
    assertLocated(r.findings.filter((f) => f.file === r.mdFile), r.md);
    assertLocated(r.findings.filter((f) => f.file === r.yamlFile), r.yaml);
  });

  it('escapes, absolute paths, ~, command: links, backslashes, NUL and outbound symlinks are reported', async () => {
    const r = await analysed();
    for (const p of ['../../../../../../../../etc/passwd', '/etc/passwd', join(outside, 'secret.md'), '~/.ssh/id_rsa', 'command:workbench.action.terminal.new', 'c:/windows/win.ini', '..\\..\\outside\\secret.md', '\\\\server\\share\\x.md', 'docs/a\u0000b.md', 'docs/link-out.md', 'outdir/secret.md']) {
      assert.ok(flagged(r, p), `no finding for ${JSON.stringify(p)}`);
    }
    const escapes = r.findings.filter((f) => f.code === 'path-escapes-root');
    assert.ok(escapes.length >= 8, `path-escapes-root findings: ${escapes.length}`);
    assert.ok(escapes.every((f) => f.severity === 'error'));
    // The symlinked folder that points back into the tree resolves like the real one.
    assert.ok(!flagged(r, 'self/self/self/self/self/self/self/self/docs/ok.md'));
  });

  it('URL schemes in inline code and Windows drive paths are reported too', async () => {
    const r = await analysed();
    for (const p of ['file:///etc/passwd', 'vscode://file/etc/passwd', 'C:\\Windows\\System32\\drivers\\etc\\hosts']) assert.ok(flagged(r, p), `no finding for ${p}`);
  });

  it('with no root given, only .git probes go above the tracker folder', async () => {
    const md = trackerText(hostile.slice(0, 6));
    const mdFile = join(root, 'proj', 'ORCHESTRATION_WORKTRACKER.md');
    const fs = new SpyFs();
    const t = parseTracker(md, undefined, { mdFile, yamlFile: join(root, 'proj', 'ORCHESTRATION.yaml') });
    await analyze(t, { fs, statCache: new Map() });
    const out = fs.calls.filter((c) => !inside(root, c.path));
    assert.ok(out.every((c) => c.op === 'stat' && c.path.endsWith('/.git')), JSON.stringify(out));
  });
});

// ------------------------------------------------------------------ markdown

function mdOk(text: string, yaml?: string): Tracker {
  const t = bounded(() => parseTracker(text, yaml, { mdFile: MD_FILE, yamlFile: YAML_FILE }), 30_000);
  assertLocated(t.findings.filter((f) => f.file === MD_FILE), text);
  assert.equal(t.text, text, 'the model keeps the text as given');
  return t;
}

const HEAD = ['# ORCHESTRATION_WORKTRACKER.md', '', '> **Status:** ACTIVE', '> **Last Updated:** 2026-01-02', '', '## 2. Phase Execution Log', '', '### 2.1 PHASE 1 - IN_PROGRESS', ''];

describe('hostile markdown', () => {
  it('a 0-byte file and a BOM-only file', () => {
    const a = mdOk('');
    assert.equal(a.agents.length, 0);
    const b = mdOk('\ufeff');
    assert.equal(b.bom, true);
    assert.equal(b.agents.length, 0);
    mdOk('\ufeff', '\ufeff');
  });

  it('an agent table with 0 rows, and a header with no delimiter row', () => {
    const t = mdOk([...HEAD, '| Agent | Status | Started | Completed | Artifacts | Notes |', '|-------|--------|---------|-----------|-----------|-------|', '', '| Agent | Status | Notes |', '| agent-a-001 | COMPLETE | no delimiter row above |', ''].join('\n'));
    // Without a delimiter row it is not a table: no agent, and no crash.
    assert.ok(!t.agents.some((a) => a.id === 'agent-a-001' && a.status.status !== 'COMPLETE'));
  });

  it('escaped pipes and code spans in cells: the cells stay whole, and an edit keeps them', () => {
    const row = '| agent-a-001 | PENDING | - | - | `a\\|b.md` | uses `x | y` and a \\| pipe |';
    const text = [...HEAD, '| Agent | Status | Started | Completed | Artifacts | Notes |', '|---|---|---|---|---|---|', row, '| agent-a-002 | PENDING | - | - | c.md | plain |', ''].join('\n');
    const t = mdOk(text);
    const a = t.agents.find((x) => x.id === 'agent-a-001');
    assert.ok(a, 'agent-a-001 read');
    assert.equal(a.status.status, 'PENDING');
    assert.ok(a.notes?.text.includes('\\| pipe'), `notes kept whole: ${a.notes?.text}`);
    const edits = setAgentStatus(t, 'agent-a-001', 'COMPLETE', { date: '2026-01-03' }).filter((e) => e.file === MD_FILE);
    const out = applyEdits(text, edits);
    const newRow = out.split('\n').find((l) => l.startsWith('| agent-a-001 '))!;
    assert.ok(newRow.includes('`a\\|b.md`') && newRow.includes('uses `x | y` and a \\| pipe'), newRow);
    assert.equal(out.split('\n').length, text.split('\n').length);
  });

  it('two trackers in one file: duplicate ids are reported, nothing is lost', () => {
    const one = [...HEAD, '| Agent | Status | Started | Completed | Artifacts | Notes |', '|---|---|---|---|---|---|', '| agent-a-001 | COMPLETE | 2026-01-01 | 2026-01-02 | a.md | first |', ''];
    const text = [...one, ...one].join('\n');
    const t = mdOk(text);
    assert.equal(t.agents.length, 2);
    assert.ok(t.findings.some((f) => f.code === 'id-duplicate'), 'id-duplicate');
  });

  it('a dashboard that is not fenced is read as unfenced, never as a code block to rewrite', () => {
    const text = ['# ORCHESTRATION_WORKTRACKER.md', '', '## 1. Execution Dashboard', '', '╔════════╗', '║ Phase 1: ░░░░ 0% ║', '╚════════╝', '', ...HEAD.slice(5), '| Agent | Status | Notes |', '|---|---|---|', '| agent-a-001 | PENDING | x |', ''].join('\n');
    const t = mdOk(text);
    assert.ok(!t.dashboard || t.dashboard.fenced === false, 'not taken for a fenced block');
  });

  it('unterminated fences, tables in lists, blockquotes and HTML', () => {
    mdOk([...HEAD, '```', '| Agent | Status |', '|---|---|', '| agent-a-001 | COMPLETE |'].join('\n'));
    mdOk([...HEAD, '~~~~', '```', '| Agent | Status |', '|---|---|', '| agent-a-001 | COMPLETE |', '```'].join('\n'));
    const t = mdOk([...HEAD, '- item', '  | Agent | Status |', '  |---|---|', '  | agent-a-001 | COMPLETE |', '', '> | Agent | Status |', '> |---|---|', '> | agent-a-002 | PENDING |', '', '<div>', '', '| Agent | Status |', '|---|---|', '| agent-a-003 | PENDING |', '', '</div>', '', '<!--', '| Agent | Status |', '|---|---|', '| agent-a-004 | PENDING |', '-->', ''].join('\n'));
    // A table inside an HTML comment is not a table.
    assert.ok(!t.agents.some((a) => a.id === 'agent-a-004'));
  });

  // Huge inputs: the promise is "never throws, ends"; remark itself takes seconds on them, so the
  // time limit only catches a hang, not slowness (the benchmark measures speed).
  it('a row of 10 000 columns', () => {
    const wide = '| Agent | Status |' + ' x |'.repeat(10_000);
    const t = bounded(() => parseTracker([...HEAD, wide, '|---|---|' + '---|'.repeat(10_000), '| agent-a-001 | COMPLETE |' + ' y |'.repeat(10_000), ''].join('\n'), undefined, { mdFile: MD_FILE }), 180_000, 1024);
    assert.equal(t.agents[0]?.row.cells.length, 10_002);
  });

  it('a 100 000-line file, with a table after it', () => {
    const lines = [...HEAD];
    for (let i = 0; i < 50_000; i++) lines.push(i % 2 ? '' : `line ${i}`);
    lines.push('| Agent | Status | Notes |', '|---|---|---|', '| agent-a-001 | COMPLETE | last |');
    for (let i = 0; i < 50_000; i++) lines.push('');
    const t = bounded(() => parseTracker(lines.join('\n'), undefined, { mdFile: MD_FILE }), 180_000, 1024);
    assert.equal(t.agents.length, 1);
    assert.equal(t.agents[0].row.range.start.line, HEAD.length + 50_002);
  });
});
