/**
 * src/core/present: the tree drafts and the hover text, on fixtures, without VS Code. The
 * integration tests (test/integration/suite/tree.test.ts, hover.test.ts) check the same text as
 * the editor shows it; these pin the drafts themselves: labels, descriptions (with where a derived
 * status came from), coverage, the no-units message, icons and escaping of untrusted cells.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tracker } from '../../src/core/model';
import { parseTracker } from '../../src/core/tracker';
import {
  agentHover,
  artifactHover,
  buildTrackerDraft,
  commandLink,
  coverageText,
  escapeMd,
  filePreview,
  inlineCode,
  trackerErrorDraft,
  trackerLabel,
  type NodeDraft,
  type TrackerDraftInput,
} from '../../src/core/present';

const FIXTURES = path.resolve(__dirname, '../fixtures');

function load(dir: string): Tracker {
  const md = path.join(FIXTURES, dir, 'ORCHESTRATION_WORKTRACKER.md');
  const y = path.join(FIXTURES, dir, 'ORCHESTRATION.yaml');
  return parseTracker(readFileSync(md, 'utf8'), existsSync(y) ? readFileSync(y, 'utf8') : undefined, { mdFile: md, yamlFile: y });
}

function input(dir: string): TrackerDraftInput {
  const tracker = load(dir);
  const mdPath = path.join(FIXTURES, dir, 'ORCHESTRATION_WORKTRACKER.md');
  return { key: `file://${mdPath}`, label: trackerLabel(tracker, mdPath), mdUri: `file://${mdPath}`, relativePath: `${dir}/ORCHESTRATION_WORKTRACKER.md`, tracker };
}

function all(d: NodeDraft): NodeDraft[] {
  return [d, ...(d.children ?? []).flatMap(all)];
}

function find(root: NodeDraft, pred: (n: NodeDraft) => boolean): NodeDraft {
  const n = all(root).find(pred);
  assert.ok(n, 'node not found');
  return n;
}

describe('tree drafts', () => {
  const small = buildTrackerDraft(input('present/small'));

  it('labels, descriptions, context values and icons of a small tracker', () => {
    assert.equal(small.label, 'Test Flow');
    assert.equal(small.kind, 'tracker');
    assert.equal(small.description, 'ACTIVE · 1/3');
    assert.equal(small.collapsible, 'expanded');
    assert.deepEqual((small.children ?? []).map((c) => c.label), ['Phase 1', 'Barrier 1']);
    const phase = small.children![0];
    assert.equal(phase.description, 'IN_PROGRESS · 1/3');
    assert.equal(phase.icon, 'IN_PROGRESS');
    assert.equal(phase.contextValue, 'worktracker.phase.in_progress');
    assert.deepEqual((phase.children ?? []).map((c) => c.label), ['Pipeline A Phase 1: Research', 'Pipeline B Phase 1: Scope']);
    const a1 = find(small, (n) => n.kind === 'agent' && n.agentId === 'agent-a-001');
    assert.equal(a1.description, 'COMPLETE · 2026-01-09 → 2026-01-09');
    assert.equal(a1.icon, 'COMPLETE');
    assert.equal(a1.contextValue, 'worktracker.agent.complete');
    assert.equal(a1.collapsible, 'collapsed');
    // The agent's artifact is matched to its checklist line: the box mirrors it.
    const art = a1.children![0];
    assert.equal(art.label, 'findings.md');
    assert.equal(art.description, 'docs');
    assert.equal(art.checked, true);
    assert.equal(art.contextValue, 'worktracker.artifact.checked');
    assert.equal(art.icon, undefined);
    const barrier = small.children![1];
    assert.equal(barrier.description, 'PENDING · 0/2');
    assert.deepEqual(barrier.children!.map((c) => c.label), ['a→b', 'b→a']);
  });

  it('ids are unique and stable across rebuilds', () => {
    const ids = all(small).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(all(buildTrackerDraft(input('present/small'))).map((n) => n.id), ids);
  });

  it('drift: warning icon, the YAML word in the description, both statuses in the tooltip', () => {
    const b1 = find(small, (n) => n.kind === 'agent' && n.agentId === 'agent-b-001');
    assert.equal(b1.drift, true);
    assert.equal(b1.icon, 'drift');
    assert.equal(b1.description, 'BLOCKED · YAML: IN_PROGRESS');
    assert.equal(b1.contextValue, 'worktracker.agent.blocked.drift');
    assert.match(b1.tooltip!, /YAML status: IN\\_PROGRESS — \$\(warning\) differs from the markdown/);
  });

  it('tooltips escape user text: a [x](command:…) Notes cell stays literal', () => {
    const b1 = find(small, (n) => n.kind === 'agent' && n.agentId === 'agent-b-001');
    assert.match(b1.tooltip!, /Notes: \\\[x\\\]\\\(command\\:workbench\\\.action\\\.quit\\\)/);
    assert.doesNotMatch(b1.tooltip!, /\]\(command:/);
    assert.ok(b1.tooltip!.startsWith('**agent\\-b\\-001**'));
  });

  it('the root tooltip: name, path, statuses, the one count', () => {
    assert.equal(small.tooltip, '**Test Flow**\n\npresent/small/ORCHESTRATION\\_WORKTRACKER\\.md\n\nStatus: ACTIVE\n\nYAML status: ACTIVE\n\nUnits done: 1/3');
  });

  it('statuses not written in their own heading name their source: dashboard or derived', () => {
    const d = buildTrackerDraft(input('layouts/dashboard-only'));
    const p1 = find(d, (n) => n.kind === 'phase' && n.phaseNumber === 1);
    assert.equal(p1.description, '✅ COMPLETE (from the dashboard) · 2/2');
    assert.match(p1.tooltip!, /Status: Complete, read from the dashboard \\\(line \d+\\\)/);
    const b2 = find(d, (n) => n.kind === 'barrier' && n.barrierNumber === 2);
    assert.equal(b2.description, 'In Progress (derived) · 1/2');
    assert.match(b2.tooltip!, /Status: In Progress, derived from its units/);
    assert.equal(b2.icon, 'IN_PROGRESS');
    const kv = buildTrackerDraft(input('layouts/keyvalue-sections'));
    const gate = find(kv, (n) => n.kind === 'gate' && n.label.startsWith('GATE-2'));
    assert.equal(gate.description, '⏳ PENDING (from the dashboard)');
    const gates = find(kv, (n) => n.kind === 'section' && n.label === 'Gates');
    assert.equal(gates.description, '1/2');
    assert.equal(gates.icon, 'gates');
  });

  it('coverage: N units · M lines not understood, on the root and in its tooltip', () => {
    const i = input('layouts/lookalikes');
    const d = buildTrackerDraft(i);
    assert.equal(coverageText(i.tracker!), '4 units · 2 lines not understood');
    assert.equal(d.description, 'ACTIVE · 1/4 · 4 units · 2 lines not understood');
    assert.match(d.tooltip!, /4 units · 2 lines not understood: run \*Show Lines Not Understood\* to list them$/);
    assert.equal(coverageText(load('present/small')), undefined);
  });

  it('a tracker without units: one message child that runs Show Lines Not Understood', () => {
    const i = input('layouts/unrecognised');
    const d = buildTrackerDraft(i);
    const n = i.tracker!.coverage.unread.length;
    assert.ok(n > 1);
    const msg = d.children![0];
    assert.equal(msg.kind, 'message');
    assert.equal(msg.label, `No agent tables recognised: ${n} status lines not understood`);
    assert.equal(msg.icon, 'info');
    assert.deepEqual(msg.command, { command: 'worktracker.showUnread', title: 'Show Lines Not Understood', arguments: [i.mdUri] });
    assert.match(msg.tooltip!, new RegExp(`${n} lines with a status were not understood: click to list them\\.$`));
    assert.ok(!d.children!.some((c) => c.kind === 'phase' && !c.status), 'no empty phase nodes');
    assert.equal(d.description, `ACTIVE · 0 units · ${n} lines not understood`);
  });

  it('a tracker still loading or unreadable is one error root', () => {
    const d = buildTrackerDraft({ key: 'k', label: 'x', mdUri: 'file:///x', relativePath: 'x', error: 'Cannot read x' });
    assert.deepEqual(d, { id: 'k#root', kind: 'tracker', label: 'x', description: 'Cannot read x', icon: 'error', contextValue: 'worktracker.tracker', collapsible: 'none' });
    assert.equal(trackerErrorDraft({ key: 'k', label: 'x', mdUri: '', relativePath: '' }).description, 'Loading…');
  });

  it('the tracker label: workflow name, else the folder', () => {
    assert.equal(trackerLabel(load('present/small'), '/w/a/ORCHESTRATION_WORKTRACKER.md'), 'Test Flow');
    assert.equal(trackerLabel(undefined, '/w/flow-x/ORCHESTRATION_WORKTRACKER.md'), 'flow-x');
  });
});

describe('hover text', () => {
  const t = load('present/small');

  it('an agent id: row summary, YAML drift, Go to row; user text escaped', () => {
    const a = t.agents.find((x) => x.id === 'agent-b-001')!;
    const md = agentHover(t, 'agent-b-001', a, 'file:///w/ORCHESTRATION_WORKTRACKER.md');
    assert.match(md, /^\*\*Agent agent\\-b\\-001\*\* — BLOCKED \(Blocked\)/);
    assert.match(md, /Notes: \\\[x\\\]\\\(command\\:workbench\\\.action\\\.quit\\\)/);
    assert.doesNotMatch(md, /\]\(command:workbench/);
    assert.match(md, /ORCHESTRATION\.yaml: IN\\_PROGRESS ⚠ differs/);
    assert.match(md, /\[Go to row\]\(command:worktracker\.revealInEditor\?/);
    const only = agentHover(t, 'ghost', undefined, 'file:///w');
    assert.match(only, /Not in the markdown tables/);
    assert.doesNotMatch(only, /Go to row/);
  });

  it('a found artifact: path, size, links, preview, producer', () => {
    const producer = t.agents.find((x) => x.id === 'agent-a-001')!;
    const md = artifactHover(
      'docs/findings.md',
      { kind: 'found', relativePath: 'flow/docs/findings.md', uri: 'file:///w/flow/docs/findings.md', stat: { type: 'file', size: 2048, mtime: 0 }, inWorkspace: true, preview: filePreview('# Findings Report\n\ntext', true) },
      { producer, formatTime: () => 'then' },
    );
    assert.equal(
      md,
      '**Artifact** `docs/findings.md`\n\n✔ `flow/docs/findings.md` — 2\\.0 KB, modified then\n\n' +
        `${commandLink('Open', 'worktracker.openArtifact', ['file:///w/flow/docs/findings.md'])} · ${commandLink('Reveal in Explorer', 'worktracker.revealArtifact', ['file:///w/flow/docs/findings.md'])}\n\n` +
        '---\n\n**Findings Report**\n\n---\n\nProduced by **agent\\-a\\-001** — COMPLETE (Complete)',
    );
    const outside = artifactHover('x.md', { kind: 'found', relativePath: '/elsewhere/x.md', uri: 'file:///elsewhere/x.md', inWorkspace: false });
    assert.match(outside, /_Outside the workspace: not previewed\._/);
  });

  it('a missing artifact: each candidate once, at most four, suggestions', () => {
    const md = artifactHover('d.md', { kind: 'missing', tried: ['a/d.md', 'b/d.md', 'a/d.md', 'c/d.md', 'e/d.md', 'f/d.md'], suggestions: ['docs/d.md'] }, { agentId: 'x-1' });
    assert.match(md, /✘ \*\*Not found\.\*\* Looked at `a\/d\.md`, `b\/d\.md`, `c\/d\.md`, `e\/d\.md` and 1 more\.\n\nDid you mean `docs\/d\.md`\?/);
    assert.match(md, /Produced by \*\*x\\-1\*\*$/);
  });

  it('unchecked kinds and errors', () => {
    assert.match(artifactHover('/etc/x', { kind: 'absolute' }), /Absolute path: not checked and not read/);
    assert.match(artifactHover('../x', { kind: 'escapes-root', reason: 'a <b>' }), /Outside the repository \(a \\<b\\>\): never read/);
    assert.equal(artifactHover('x', { kind: 'error', message: 'boom' }, { agentId: 'a' }), '**Artifact** `x`\n\nCould not resolve: boom');
  });

  it('previews: first heading of Markdown, else fenced first lines', () => {
    assert.equal(filePreview('intro\n# Title [x](command:y)\n', true), '**Title \\[x\\]\\(command\\:y\\)**');
    assert.equal(filePreview('a ``` b\n\nc\n', false), '````text\na ``` b\nc\n````');
    assert.equal(filePreview('\n\n', false), '_(empty file)_');
  });
});

describe('escaping', () => {
  it('escapeMd leaves no Markdown syntax, inlineCode fences any backticks', () => {
    assert.equal(escapeMd('[x](command:a.b) <img> *y*\nz'), '\\[x\\]\\(command\\:a\\.b\\) \\<img\\> \\*y\\* z');
    assert.equal(inlineCode('a`b'), '``a`b``');
    assert.equal(inlineCode('`a'), '`` `a ``');
  });
});
