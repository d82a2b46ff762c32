import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml, yamlScalarText } from '../../src/core/yaml';
import type { YamlModel, YamlScalar } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';

const EXAMPLES = path.resolve(__dirname, '../../../shared/format/examples');
const FIXTURES = path.resolve(__dirname, '../fixtures/yaml');
const haveExamples = existsSync(EXAMPLES);

function example(name: string): YamlModel {
  const file = path.join(EXAMPLES, name, 'ORCHESTRATION.yaml');
  return parseYaml(readFileSync(file, 'utf8'), file);
}

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Every scalar the model reports, so range checks cover all of them. */
function allScalars(m: YamlModel): YamlScalar[] {
  const out: (YamlScalar | undefined)[] = [m.workflow.id, m.workflow.name, m.workflow.status, m.workflow.updated_at, m.pathsBase];
  for (const p of m.pipelines) out.push(p.status);
  for (const p of m.phases) out.push(p.status);
  for (const a of m.agents) out.push(a.status, a.started_at, a.completed_at, ...a.artifacts);
  for (const b of m.barriers) {
    out.push(b.status);
    for (const x of b.artifacts) out.push(x.path, x.status);
  }
  out.push(...Object.values(m.metricsExecution), ...m.artifacts);
  return out.filter((s): s is YamlScalar => s !== undefined);
}

function assertRanges(m: YamlModel): void {
  const scalars = allScalars(m);
  assert.ok(scalars.length > 0);
  for (const s of scalars) {
    assert.equal(m.text.slice(s.range.start.offset, s.range.end.offset), s.source, `range of ${s.source}`);
    if (s.style === 'double') assert.match(s.source, /^".*"$/s);
    if (s.style === 'single') assert.match(s.source, /^'.*'$/s);
    if (s.keyRange) assert.ok(s.keyRange.end.offset <= s.range.start.offset, 'key before value');
  }
}

function agent(m: YamlModel, id: string) {
  const a = m.agents.find((x) => x.id === id);
  assert.ok(a, `agent ${id}`);
  return a;
}

describe('real examples', { skip: !haveExamples && 'examples folder not present' }, () => {
  test('two-pipelines-v1: pipelines keyed by alias, v1 barriers list', () => {
    const m = example('two-pipelines-v1');
    assertRanges(m);
    assert.equal(m.workflow.status?.value, 'ACTIVE');
    assert.equal(m.workflow.status?.source, '"ACTIVE"');
    assert.equal(m.workflow.id?.value, 'SAO-CROSS-POLLINATED-PIPELINE');
    assert.deepEqual(m.pipelines.map((p) => p.key), ['ps', 'nse']);
    assert.equal(m.agents.length, 20);
    const d1 = agent(m, 'ps-d-001');
    assert.equal(d1.status?.value, 'PENDING');
    assert.equal(d1.pipeline, 'ps');
    assert.equal(d1.phase, 3);
    assert.equal(d1.artifacts[0]?.value, 'ps-pipeline/phase-3-design/agent-design-specs.md');
    assert.equal(agent(m, 'nse-v-003').status?.value, 'BLOCKED');
    assert.equal(agent(m, 'ps-r-001').started_at, undefined);
    assert.deepEqual(m.barriers.map((b) => [b.id, b.number, b.status?.value]), [
      ['barrier-1', 1, 'COMPLETE'],
      ['barrier-2', 2, 'COMPLETE'],
      ['barrier-3', 3, 'PENDING'],
      ['barrier-4', 4, 'BLOCKED'],
    ]);
    const b3 = m.barriers[2].artifacts.find((x) => x.key === 'ps_to_nse');
    assert.equal(b3?.path?.value, 'cross-pollination/barrier-3/ps-to-nse/design-specs.md');
    assert.equal(m.pathsBase, undefined);
    assert.equal(m.metricsExecution.agents_total?.value, 20);
    assert.equal(m.phases.filter((p) => p.pipeline === 'nse').length, 4);
    assert.equal(m.findings.length, 0);
    assert.equal((m.data as any).workflow.status, 'ACTIVE');
  });

  test('em-dash-headings: agents inside nested cycle groups, singular barrier artifact, paths.base', () => {
    const m = example('em-dash-headings');
    assertRanges(m);
    assert.equal(m.workflow.status?.value, 'COMPLETE');
    assert.equal(m.pathsBase?.value, 'orchestration/en001-bugfix-20260210-001/');
    assert.equal(m.agents.length, 12);
    assert.equal(agent(m, 'ps-validator-task003').phase, 2);
    assert.equal(agent(m, 'ps-critic-task001').completed_at?.value, '2026-02-11T02:57:46Z');
    assert.equal(m.pipelines[0].alias, 'ps');
    assert.equal(m.barriers.length, 1);
    assert.match(String(m.barriers[0].artifacts[0]?.path?.value), /barrier-1-gate-check\.md$/);
  });

  test('overflowing-dashboard: pipeline_ps / pipeline_nse with short aliases', () => {
    const m = example('overflowing-dashboard');
    assertRanges(m);
    assert.deepEqual(m.pipelines.map((p) => [p.key, p.alias]), [['pipeline_ps', 'ps'], ['pipeline_nse', 'nse']]);
    assert.equal(m.agents.length, 21);
    const arch = agent(m, 'ps-architect-001');
    assert.equal(arch.pipeline, 'pipeline_ps');
    assert.ok(arch.artifacts.length >= 3, 'artifact plus additional_artifacts');
    assert.equal(m.barriers.length, 4);
    assert.equal(m.metricsExecution.agents_total?.value, 22);
  });

  test('pipe-header-barrier-map: comments before ---, phases and agents as mappings, barriers as a mapping', () => {
    const m = example('pipe-header-barrier-map');
    assertRanges(m);
    assert.equal(m.workflow.status?.value, 'COMPLETED');
    assert.equal(m.agents.length, 21);
    const a = agent(m, 'ps-researcher-003');
    assert.equal(a.phase, 2);
    assert.equal(a.status?.value, 'COMPLETED');
    assert.ok(a.artifacts.some((x) => x.value === 'ps-researcher-003-output.md'));
    assert.deepEqual(m.barriers.map((b) => b.id), ['barrier-1', 'barrier-2', 'barrier-3', 'barrier-4']);
    assert.equal(m.barriers[0].artifacts.length, 2);
    assert.equal(m.metricsExecution.agents_total?.value, 21, 'flat metrics fall back');
  });

  test('single-pipeline-streams: task reference lists are not agents', () => {
    const m = example('single-pipeline-streams');
    assertRanges(m);
    assert.equal(m.agents.length, 18);
    assert.ok(!m.agents.some((a) => a.id === 'TASK-006'));
    assert.equal(m.barriers.length, 3);
    assert.equal(m.workflow.status?.value, 'COMPLETE');
  });

  test('three-pipelines: convergent pipeline', () => {
    const m = example('three-pipelines');
    assertRanges(m);
    assert.equal(m.pipelines.length, 3);
    assert.equal(agent(m, 'agent-c-001').phase, 3);
    assert.equal(agent(m, 'agent-c-001').pipeline, 'convergent');
    assert.equal(m.agents.length, 5);
  });

  test('tracks-duplicate-yaml-key: duplicate key reported at its line, all work items still read', () => {
    const m = example('tracks-duplicate-yaml-key');
    assertRanges(m);
    const dup = m.findings.filter((f) => f.code === 'yaml-duplicate-key');
    assert.equal(dup.length, 1);
    assert.equal(dup[0].range.start.line + 1, 887);
    assert.equal(m.text.slice(dup[0].range.start.offset, dup[0].range.end.offset), 'status');
    assert.equal(m.workflow.status?.value, 'ACTIVE');
    assert.deepEqual(m.pipelines.map((p) => p.key), ['track_a', 'track_b']);
    assert.equal(m.agents.length, 25);
    assert.equal(agent(m, 'TASK-419').phase, 0);
    assert.equal(agent(m, 'TASK-424').phase, 3);
    assert.equal(agent(m, 'TASK-400').pipeline, 'track_a');
    assert.ok(m.data && typeof m.data === 'object', 'data still built');
  });
});

describe('own fixtures', () => {
  test('template-shaped file with CRLF and BOM keeps exact ranges and edits apply', () => {
    const text = '\ufeff' + fixture('template-small.yaml').replace(/\r?\n/g, '\r\n');
    const m = parseYaml(text, 'ORCHESTRATION.yaml');
    assertRanges(m);
    assert.equal(m.findings.length, 0);
    assert.equal(m.agents.length, 3);
    const a = agent(m, 'agent-a-001');
    assert.equal(a.status?.source, '"IN_PROGRESS"');
    assert.equal(a.status?.range.start.line, 17);
    const edited = applyEdits(text, [{ range: a.status!.range, newText: yamlScalarText('COMPLETE', a.status!) }]);
    assert.ok(edited.startsWith('\ufeff'));
    assert.ok(edited.includes('status: "COMPLETE"  # agent status\r\n'));
    const again = parseYaml(edited, 'x');
    assert.equal(agent(again, 'agent-a-001').status?.value, 'COMPLETE');
  });

  test('syntax error mid-file: finding with its line, sections around it still read', () => {
    const m = parseYaml(fixture('syntax-error.yaml'), 'bad.yaml');
    const syn = m.findings.filter((f) => f.code === 'yaml-syntax');
    assert.ok(syn.length >= 1);
    const line = m.text.split('\n').findIndex((l) => l.includes('broken: [unclosed'));
    assert.ok(syn.some((f) => Math.abs(f.range.start.line - line) <= 1), `syntax finding near line ${line + 1}`);
    // The unclosed quote is on the line above where the parser notices; only that line is skipped.
    const skipped = m.findings.find((f) => f.data?.skippedLine !== undefined);
    assert.equal(skipped?.range.start.line, line);
    assert.equal(m.workflow.status?.value, 'ACTIVE');
    assert.deepEqual(m.agents.map((a) => a.id), ['agent-a-001', 'agent-a-002', 'agent-a-003']);
    assert.equal(m.barriers.length, 1, 'barriers after the error are read');
    assert.equal(m.metricsExecution.agents_total?.value, 3);
    assertRanges(m);
  });

  test('many syntax errors: each top-level section is read on its own', () => {
    const parts = ['workflow:\n  status: PAUSED\n'];
    for (let i = 0; i < 12; i++) parts.push(`junk_${i}:\n  a: [1\n  b: "x\n`);
    parts.push('barriers:\n  - id: barrier-3\n    status: COMPLETE\n');
    parts.push('junk_0: again\n');
    const m = parseYaml(parts.join(''), 'many.yaml');
    assert.ok(m.findings.filter((f) => f.code === 'yaml-syntax').length >= 2);
    assert.equal(m.workflow.status?.value, 'PAUSED');
    assert.deepEqual(m.barriers.map((b) => [b.number, b.status?.value]), [[3, 'COMPLETE']]);
    const dup = m.findings.find((f) => f.code === 'yaml-duplicate-key');
    assert.equal(dup?.range.start.line, m.text.split('\n').lastIndexOf('junk_0: again'));
    assertRanges(m);
  });

  test('top-level phases without pipelines, workflow.state, agent_id / name ids, numbered barriers', () => {
    const text = [
      'workflow:',
      '  state: in_progress',
      'phases:',
      '  - name: "Phase 3: Research"',
      '    status: done',
      '    agents:',
      '      - agent_id: r-001',
      '        status: done',
      '        started_at: 2026-01-02',
      '  - name: "Build"',
      '    agents: [{name: b-001, state: pending, outputs: [docs/b.md, not a path]}]',
      'barriers:',
      '  - barrier: 1',
      '    status: pending',
      'execution_queue:',
      '  groups:',
      '    - agents: [r-001, {id: q-001, status: READY}]',
      '',
    ].join('\n');
    const m = parseYaml(text, 'o.yaml');
    assertRanges(m);
    assert.equal(m.workflow.status?.value, 'in_progress');
    assert.deepEqual(m.phases.map((p) => [p.number, p.pipeline]), [[3, undefined], [2, undefined]]);
    assert.deepEqual(m.agents.map((a) => [a.id, a.phase, a.status?.value]), [
      ['r-001', 3, 'done'],
      ['b-001', 2, 'pending'],
      ['q-001', undefined, 'READY'],
    ]);
    assert.equal(m.agents[0].started_at?.source, '2026-01-02');
    assert.deepEqual(m.agents[1].artifacts.map((a) => a.value), ['docs/b.md']);
    assert.deepEqual(m.barriers.map((b) => [b.id, b.number, b.status?.value]), [['barrier-1', 1, 'pending']]);
  });

  test('list, scalar, empty and comment-only documents', () => {
    const list = parseYaml('- a\n- b\n', 'l.yaml');
    assert.deepEqual(list.findings.map((f) => f.code), ['yaml-shape']);
    assert.equal(list.agents.length, 0);
    const scalar = parseYaml('just text\n', 's.yaml');
    assert.deepEqual(scalar.findings.map((f) => f.code), ['yaml-shape']);
    assert.deepEqual(parseYaml('', 'e.yaml').findings, []);
    assert.deepEqual(parseYaml('# nothing\n# here\n', 'c.yaml').findings, []);
    assert.equal(parseYaml('# nothing\n', 'c.yaml').data, undefined);
  });

  test('multiple documents: the first mapping document is read', () => {
    const m = parseYaml('# c\n---\nworkflow:\n  status: PAUSED\n---\nworkflow:\n  status: ACTIVE\n', 'm.yaml');
    assert.equal(m.workflow.status?.value, 'PAUSED');
    assert.equal(m.workflow.status?.range.start.line, 3);
  });

  test('alias bomb is bounded and reported', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    lines.push('workflow:\n  status: ACTIVE');
    // The same bomb inside the work structure: agents reached through aliases are read once.
    lines.push('pipelines:\n  p:\n    phases:\n      - id: 1\n        agents: &ag\n          - id: bomb-001\n            status: PENDING\n            artifacts: *l');
    lines.push('      - id: 2\n        agents: *ag');
    const t0 = Date.now();
    const m = parseYaml(lines.join('\n') + '\n', 'bomb.yaml');
    assert.ok(Date.now() - t0 < 3000, 'bounded time');
    assert.ok(m.findings.length >= 1);
    assert.ok(m.findings.every((f) => f.range.start.line >= 0));
    assert.equal(m.data, undefined);
    assert.equal(m.workflow.status?.value, 'ACTIVE');
    assert.deepEqual(m.agents.map((a) => a.id), ['bomb-001']);
  });

  test('10k-deep nesting is a finding, not a crash', () => {
    const deep = 'workflow:\n  status: ACTIVE\ndeep: ' + '['.repeat(10000) + ']'.repeat(10000) + '\nbarriers:\n  - id: barrier-1\n    status: PENDING\n';
    const m = parseYaml(deep, 'deep.yaml');
    const f = m.findings.find((x) => x.code === 'yaml-syntax');
    assert.ok(f);
    assert.equal(f.range.start.line, 2);
    assert.equal(m.workflow.status?.value, 'ACTIVE');
    assert.equal(m.barriers[0]?.status?.value, 'PENDING');
    const blockDeep = 'workflow:\n  status: ACTIVE\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' x\n';
    const m2 = parseYaml(blockDeep, 'deep2.yaml');
    assert.ok(m2.findings.some((x) => x.code === 'yaml-syntax'));
    assert.equal(m2.workflow.status?.value, 'ACTIVE');
  });

  test('!!js/function and !!python/object are reported and never executed', () => {
    const text = 'workflow:\n  status: ACTIVE\nhook: !!js/function "function () { globalThis.pwned = true }"\nobj: !!python/object:os.system {cmd: ls}\n';
    const m = parseYaml(text, 't.yaml');
    const tags = m.findings.filter((f) => /!!js\/function|!!python\/object/.test(f.message));
    assert.equal(tags.length, 2);
    assert.equal(tags[0].range.start.line, 2);
    assert.equal((globalThis as any).pwned, undefined);
    assert.equal(typeof (m.data as any).hook, 'string');
    assert.equal(m.workflow.status?.value, 'ACTIVE');
  });

  test('huge scalars and a large file stay fast', () => {
    const big = 'x'.repeat(3_000_000);
    const m = parseYaml(`workflow:\n  status: ACTIVE\nnote: "${big}"\n`, 'big.yaml');
    assert.equal(m.workflow.status?.value, 'ACTIVE');
    const parts = ['workflow:\n  status: ACTIVE\npipelines:\n  a:\n    phases:\n'];
    for (let p = 1; p <= 1200; p++) {
      parts.push(`      - id: ${p}\n        status: PENDING\n        agents:\n`);
      for (let i = 0; i < 40; i++) parts.push(`          - id: "agent-${p}-${i}"\n            status: "PENDING"\n            artifact: "out/p${p}/a${i}.md"\n`);
    }
    const text = parts.join('');
    assert.ok(text.length > 4_500_000);
    const t0 = Date.now();
    const m2 = parseYaml(text, 'large.yaml');
    assert.equal(m2.agents.length, 48000);
    assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0}ms`);
  });

  test('shapes: singular pipeline, top-level phases, wave_gates mapping, agents keyed by id, anchors', () => {
    const m = parseYaml(fixture('shapes.yaml'), 'shapes.yaml');
    assertRanges(m);
    assert.equal(m.workflow.status?.value, 'IN_PROGRESS', 'top-level status when workflow has none');
    assert.deepEqual(m.phases.map((p) => p.number), [1, 2]);
    assert.deepEqual(m.agents.map((a) => [a.id, a.status?.value, a.phase]), [
      ['w-001', 'COMPLETE', 1],
      ['w-002', 'PENDING', 2],
      ['w-003', 'PENDING', 2],
    ]);
    assert.deepEqual(m.barriers.map((b) => [b.id, b.number, b.status?.value]), [
      ['QG-1', 1, 'PASSED'],
      ['gate_2', 2, 'PENDING'],
    ]);
    // w-003's status is an alias: its range is the alias itself, so an edit changes only this agent.
    const w3 = agent(m, 'w-003');
    assert.equal(w3.status?.source, '*pending');
    assert.equal(w3.status?.value, 'PENDING');
    assert.ok(m.artifacts.some((a) => a.value === 'out/w-001.md'));
  });
});

describe('yamlScalarText', () => {
  const like = (source: string): YamlScalar => parseYaml(`agents:\n  - id: a\n    status: ${source}\n`, 'x').agents[0].status!;

  test('keeps the quoting style', () => {
    assert.equal(yamlScalarText('COMPLETE', like('"PENDING"')), '"COMPLETE"');
    assert.equal(yamlScalarText("it's", like("'PENDING'")), "'it''s'");
    assert.equal(yamlScalarText('COMPLETE', like('PENDING')), 'COMPLETE');
    assert.equal(yamlScalarText('a "q"', like('"x"')), '"a \\"q\\""');
  });

  test('quotes a plain value that would change meaning or break the line', () => {
    assert.equal(yamlScalarText('true', like('PENDING')), '"true"');
    assert.equal(yamlScalarText('null', like('PENDING')), '"null"');
    assert.equal(yamlScalarText('a: b', like('PENDING')), '"a: b"');
    assert.equal(yamlScalarText('x # y', like('PENDING')), '"x # y"');
    assert.equal(yamlScalarText('5', like('4')), '5');
    assert.equal(yamlScalarText('✅ DONE', like('PENDING')), '✅ DONE');
  });

  test('round-trips through the parser', () => {
    for (const v of ['COMPLETE', "o'k", 'a\nb', 'x: y', '#tag', '2026-02-11T14:25:00Z', '']) {
      for (const src of ['"P"', "'P'", 'P']) {
        const text = `agents:\n  - id: a\n    status: ${src}\n`;
        const s = parseYaml(text, 'x').agents[0].status!;
        const out = applyEdits(text, [{ range: s.range, newText: yamlScalarText(v, s) }]);
        assert.equal(parseYaml(out, 'x').agents[0].status?.value, v, `${src} <- ${JSON.stringify(v)}`);
      }
    }
  });
});
