/**
 * The agent tools' one definition (src/tools/) and the edit plans the MCP server and the VS Code
 * tools share: names line up everywhere, refusals name what to do next, the diff is the core's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { inputJsonSchema, lmToolName, mcpToolName, SCHEMAS, TOOL_DEFS } from '../../src/tools/definitions';
import { EDIT_PLANS, isEditTool, ToolError, editsOf } from '../../src/tools/edits';
import { trackerJson } from '../../src/tools/model';
import { unifiedDiff } from '../../src/core/diff';
import { unifiedDiff as nodeDiff } from '../../src/node/diff';
import { HANDLERS } from '../../src/mcp/server';
import { apply, parse } from './helpers';

const MD = `# Demo

## Phase 1: Build

| Agent | Status |
|-------|--------|
| ps-a-001 | PENDING |
| ps-b-001 | PENDING |

## Phase 2: Check

| Agent | Status |
|-------|--------|
| ps-a-001 | PENDING |
`;

const label = (f: string) => `x/${f}`;

function refusal(fn: () => unknown): ToolError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ToolError, `expected a ToolError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a refusal');
}

describe('agent tool definitions', () => {
  it('every tool has a schema, an MCP handler, and a generated languageModelTools entry', () => {
    const names = TOOL_DEFS.map((d) => d.name).sort();
    assert.deepEqual(names, Object.keys(SCHEMAS).sort());
    assert.deepEqual(names, Object.keys(HANDLERS).sort());
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { contributes: { languageModelTools: { name: string; modelDescription: string; inputSchema: unknown }[] } };
    const lm = pkg.contributes.languageModelTools;
    assert.deepEqual(lm.map((t) => t.name), TOOL_DEFS.map((d) => lmToolName(d.name)));
    for (const d of TOOL_DEFS) {
      const t = lm.find((x) => x.name === lmToolName(d.name))!;
      assert.equal(t.modelDescription, d.description);
      assert.deepEqual(t.inputSchema, inputJsonSchema(d.name));
      assert.equal(mcpToolName(t.name), d.name);
      assert.equal(isEditTool(d.name), !d.readOnly, d.name);
    }
    assert.equal(mcpToolName('get_tracker'), undefined);
    assert.deepEqual((inputJsonSchema('set_agent_status').required as string[]).sort(), ['id', 'status', 'tracker']);
  });
});

describe('edit plans', () => {
  it('set_agent_status: edits the one row named by line; an id in two rows is refused with both', () => {
    const t = parse(MD);
    const plan = EDIT_PLANS.set_agent_status({ tracker: '.', id: 'ps-a-001', status: 'done', line: 14, date: '2026-01-02' }, label);
    assert.equal(plan.what, 'ps-a-001 → COMPLETE');
    const out = apply(t, editsOf(plan.build(t)).edits).md;
    assert.match(out.split('\n')[13], /ps-a-001 \| COMPLETE/);
    assert.match(out.split('\n')[6], /ps-a-001 \| PENDING/);
    const e = refusal(() => EDIT_PLANS.set_agent_status({ tracker: '.', id: 'ps-a-001', status: 'done' }, label).build(t));
    assert.equal(e.code, 'ambiguous');
    assert.deepEqual((e.details.occurrences as { line: number; file: string }[]).map((o) => [o.file, o.line]), [['x/ORCHESTRATION_WORKTRACKER.md', 7], ['x/ORCHESTRATION_WORKTRACKER.md', 14]]);
  });

  it('unknown ids list the closest; bad statuses and dates are refused before any tracker is read', () => {
    const t = parse(MD);
    const e = refusal(() => EDIT_PLANS.set_agent_status({ tracker: '.', id: 'ps-a-01', status: 'done' }, label).build(t));
    assert.equal(e.code, 'unknown-id');
    assert.ok((e.details.closest as string[]).includes('ps-a-001'));
    assert.equal(refusal(() => EDIT_PLANS.set_phase_status({ tracker: '.', phase: 1, status: 'sideways' }, label)).code, 'invalid-input');
    assert.equal(refusal(() => EDIT_PLANS.sync_dashboard({ tracker: '.', date: 'yesterday' }, label)).code, 'invalid-input');
    assert.equal(refusal(() => EDIT_PLANS.set_phase_status({ tracker: '.', phase: 9, status: 'done' }, label).build(t)).code, 'unknown-id');
  });

  it('get_tracker narrows to one phase and refuses an unknown one', () => {
    const t = parse(MD);
    const j = trackerJson(t, { file: 'a.md' }, 2) as { agents: { line: number }[]; file: string };
    assert.equal(j.file, 'a.md');
    assert.deepEqual(j.agents.map((a) => a.line), [14]);
    assert.equal(refusal(() => trackerJson(t, { file: 'a.md' }, 7)).code, 'unknown-id');
  });

  it('the unified diff lives in the core; src/node re-exports the same function', () => {
    const t = parse(MD);
    const edits = editsOf(EDIT_PLANS.set_agent_status({ tracker: '.', id: 'ps-b-001', status: 'wip' }, label).build(t)).edits;
    const d = unifiedDiff('a.md', t.text, edits);
    assert.equal(nodeDiff, unifiedDiff);
    assert.match(d, /^--- a\/a\.md\n\+\+\+ b\/a\.md\n@@ /);
    assert.match(d, /\n-\| ps-b-001 \| PENDING \|\n\+\| ps-b-001 \| IN_PROGRESS \|\n/);
  });
});
