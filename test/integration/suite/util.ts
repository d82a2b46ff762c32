// Shared helpers for the extension's integration tests (not a test file itself).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import type { WorktrackerApi } from '../../../src/vscode/extension';
import type { TrackerEntry } from '../../../src/vscode/trackerStore';

export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

let api: WorktrackerApi | undefined;

/** Activates the extension and waits for the first discovery. */
export async function getApi(): Promise<WorktrackerApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<WorktrackerApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} not found`);
  const a = await ext.activate();
  await a.ready;
  await a.store.ready();
  // Right after start-up every tracker of the workspace is still being parsed: let that finish so
  // test timings measure the feature, not the initial load.
  await waitFor('initial parse', () => (a.store.all().every((e) => e.tracker || e.error) ? true : undefined), 120_000);
  api = a;
  return api;
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder');
  return f.uri;
}

/** Examples copied into the workspace by the harness (`examples/<name>/`), when present. */
export function exampleUri(name: string, file = 'ORCHESTRATION_WORKTRACKER.md'): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), 'examples', name, file);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Skips a test of the shared examples, saying why (mocha prints a skip without a reason). */
export async function skipWithoutExamples(ctx: Mocha.Context): Promise<void> {
  if (await hasExamples()) return;
  console.log(`      skipped "${ctx.test?.title}": the shared examples are not in the workspace (../shared/format/examples is absent)`);
  ctx.skip();
}

export async function hasExamples(): Promise<boolean> {
  return exists(vscode.Uri.joinPath(workspaceRoot(), 'examples', 'two-pipelines-v1', 'ORCHESTRATION_WORKTRACKER.md'));
}

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && (v as unknown) !== false) return v as T;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The store entry of a tracker (waits for the watcher to pick up new files). */
export async function entryOf(uri: vscode.Uri): Promise<TrackerEntry> {
  const a = await getApi();
  // Generous: right after start-up the extension is still parsing every tracker of the workspace.
  return waitFor(
    `tracker ${uri.path}`,
    () => {
      const e = a.store.get(uri);
      return e?.tracker ? e : undefined;
    },
    30_000,
  );
}

let fixtureCounter = 0;

/**
 * Writes a tracker (and optional YAML) into a fresh folder of the workspace and waits until the
 * extension has parsed it. Each call gets its own folder so tests never share state.
 */
export async function writeFixture(md: string, yaml?: string, files: Record<string, string> = {}): Promise<{ dir: vscode.Uri; md: vscode.Uri; yaml: vscode.Uri; entry: TrackerEntry }> {
  const dir = vscode.Uri.joinPath(workspaceRoot(), 'ext-fixtures', `f${Date.now()}-${fixtureCounter++}`);
  const enc = new TextEncoder();
  for (const [rel, text] of Object.entries(files)) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, rel), enc.encode(text));
  const yamlUri = vscode.Uri.joinPath(dir, 'ORCHESTRATION.yaml');
  if (yaml !== undefined) await vscode.workspace.fs.writeFile(yamlUri, enc.encode(yaml));
  const mdUri = vscode.Uri.joinPath(dir, 'ORCHESTRATION_WORKTRACKER.md');
  await vscode.workspace.fs.writeFile(mdUri, enc.encode(md));
  const entry = await entryOf(mdUri);
  // The YAML may land after the markdown was parsed: wait for the paired parse.
  if (yaml !== undefined) await waitFor('yaml paired', () => entry.tracker?.yaml !== undefined || undefined);
  return { dir, md: mdUri, yaml: yamlUri, entry };
}

export async function setConfig(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('worktracker').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Lines that differ between two texts, as `[line, before, after]`. */
export function changedLines(before: string, after: string): [number, string, string][] {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  const out: [number, string, string][] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push([i, a[i] ?? '', b[i] ?? '']);
  return out;
}

/** Replaces a document's whole text (to restore it after an edit test). */
export async function restore(uri: vscode.Uri, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const we = new vscode.WorkspaceEdit();
  we.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(we);
  await doc.save();
}

export const SMALL_TRACKER = `# ORCHESTRATION_WORKTRACKER.md

> **Project:** PROJ-T
> **Workflow:** Test Flow
> **Status:** ACTIVE
> **Last Updated:** 2026-01-10

---

## 2. Phase Execution Log

### 2.1 PHASE 1 - IN_PROGRESS

#### Pipeline A Phase 1: Research

| Agent | Status | Started | Completed | Artifacts | Notes |
|-------|--------|---------|-----------|-----------|-------|
| agent-a-001 | COMPLETE | 2026-01-09 | 2026-01-09 | findings.md | done first |
| agent-a-002 | PENDING | - | - | design.md | waits |

**Phase 1 Artifacts:**
- [x] \`docs/findings.md\`
- [ ] \`docs/design.md\`

#### Pipeline B Phase 1: Scope

| Agent | Status | Started | Completed | Artifacts | Notes |
|-------|--------|---------|-----------|-----------|-------|
| agent-b-001 | BLOCKED | - | - | scope.md | [x](command:workbench.action.quit) |

---

### 2.2 BARRIER 1 - PENDING

| Direction | Artifact | Status | Key Content |
|-----------|----------|--------|-------------|
| a→b | handoff-a.md | PENDING | summary |
| b→a | handoff-b.md | PENDING | summary |

---
`;

export const SMALL_YAML = `workflow:
  id: "test-flow"
  name: "Test Flow"
  status: "ACTIVE"
pipelines:
  pipeline_a:
    id: "pipeline-a"
    phases:
      - id: 1
        status: "IN_PROGRESS"
        agents:
          - id: "agent-a-001"
            status: "COMPLETE"
            artifact: "docs/findings.md"
          - id: "agent-a-002"
            status: "PENDING"
            artifact: "docs/design.md"
  pipeline_b:
    id: "pipeline-b"
    phases:
      - id: 1
        status: "IN_PROGRESS"
        agents:
          - id: "agent-b-001"
            status: "IN_PROGRESS"
            artifact: "docs/scope.md"
barriers:
  - id: "barrier-1"
    status: "PENDING"
    artifacts:
      a_to_b:
        path: "cross/a-to-b/handoff-a.md"
        status: "PENDING"
`;

/** A dashboard block that is stale for SMALL_TRACKER (it shows 0% though agent-a-001 is complete). */
const DASHBOARD = `## 1. Execution Dashboard

\`\`\`
╔═══════════════════════════════════════════════════════════════════════════════╗
║                        ORCHESTRATION EXECUTION STATUS                         ║
╠═══════════════════════════════════════════════════════════════════════════════╣
║                                                                               ║
║  PIPELINE A                              PIPELINE B                           ║
║  ══════════                              ══════════                           ║
║  Phase 1: ░░░░░░░░░░░░   0% ⏳            Phase 1: ░░░░░░░░░░░░   0% ⏳        ║
║                                                                               ║
║  SYNC BARRIERS                                                                ║
║  ═════════════                                                                ║
║  Barrier 1: ░░░░░░░░░░░░ PENDING ⏳                                           ║
║                                                                               ║
║  Overall Progress: ░░░░░░░░░░░░ 0%                                            ║
║                                                                               ║
╚═══════════════════════════════════════════════════════════════════════════════╝
\`\`\`

---

`;
export const WITH_DASHBOARD = SMALL_TRACKER.replace('## 2. Phase Execution Log', DASHBOARD + '## 2. Phase Execution Log');
