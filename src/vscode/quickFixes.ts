import * as vscode from 'vscode';
import { posix } from 'node:path';
import { findingData, type Finding, type Status, type TextEdit, type Tracker } from '../core/model';
import { setAgentStatus, setArtifactChecked, setBarrierStatus, setPhaseStatus } from '../core/edits';
import { syncDerived } from '../core/dashboard';
import { resolveArtifact } from '../core/analyze';
import { spellStatus } from '../core/status';
import { TRACKER_SELECTOR, type TrackerEntry, type TrackerStore } from './trackerStore';
import { YAML_FILE } from '../core/files';
import { Disposable } from './dispose';
import type { Diagnostics } from './diagnostics';
import { absoluteBase, DIAGNOSTIC_SOURCE } from './diagnostics';
import { getConfig, SECTION } from './config';
import { toVsRange } from './ui';
import { STATUS_LABEL } from '../core/present';

/** Words the YAML's `workflow.status` uses (its own vocabulary, not the agent one). */
const WORKFLOW_WORD: Partial<Record<Status, string>> = {
  IN_PROGRESS: 'ACTIVE',
  BLOCKED: 'PAUSED',
  COMPLETE: 'COMPLETE',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  PENDING: 'PENDING',
};

/**
 * Quick fixes for Worktracker diagnostics. Every fix is a WorkspaceEdit built from the core's pure
 * edits (so it keeps the file's dialect), except "ignore", which changes a setting.
 */
export class QuickFixes extends Disposable implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly store: TrackerStore,
    private readonly diagnostics: Diagnostics,
  ) {
    super();
    // Its command (`worktracker.addToIgnore`, `addToIgnore` below) is registered by the command table.
    this._register(vscode.languages.registerCodeActionsProvider(TRACKER_SELECTOR, this, { providedCodeActionKinds: QuickFixes.kinds }));
  }

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const entry = this.store.get(doc.uri);
    // Restricted Mode is read-only: no fix that would write.
    if (!entry || !vscode.workspace.isTrusted) return [];
    const ours = ctx.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    // Fixes are built against the text as it is now, not the last debounced parse.
    const snap = await this.store.snapshot(entry);
    const t = snap?.tracker;
    if (!t) return [];
    const findings = this.diagnostics.findings(entry);
    const out: vscode.CodeAction[] = [];
    for (const d of ours) {
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
      const f = findings.find((x) => x.code === code && entry.uriOf(x.file).toString() === doc.uri.toString() && toVsRange(x.range).isEqual(d.range));
      if (!f) continue;
      try {
        out.push(...(await this.fixesFor(entry, t, f, d)));
      } catch {
        // A fix that cannot be built is simply not offered.
      }
    }
    return out;
  }

  private async fixesFor(entry: TrackerEntry, t: Tracker, f: Finding, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    const path = typeof f.data?.path === 'string' ? f.data.path : undefined;
    const fixes = f.code === 'path-missing' ? await pathMissingFixes(entry, t, f, path) : f.code === 'status-drift' ? driftFixes(entry, t, f) : staleFixes(t, f);
    const out = fixes.map((fix) => {
      const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      a.isPreferred = fix.preferred ?? false;
      a.edit = fix.edit instanceof vscode.WorkspaceEdit ? fix.edit : this.toWorkspaceEdit(entry, fix.edit);
      return a;
    });
    if (path && f.code.startsWith('path-')) {
      const a = new vscode.CodeAction(`Ignore \`${path}\` in ${SECTION}.validate.ignore`, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      a.command = { command: 'worktracker.addToIgnore', title: 'Ignore path', arguments: [path, entry.mdUri.toString()] };
      out.push(a);
    }
    return out;
  }

  private toWorkspaceEdit(entry: TrackerEntry, edits: TextEdit[]): vscode.WorkspaceEdit {
    const we = new vscode.WorkspaceEdit();
    const byUri = new Map<string, vscode.TextEdit[]>();
    for (const e of edits) {
      const k = entry.uriOf(e.file).toString();
      if (!byUri.has(k)) byUri.set(k, []);
      byUri.get(k)!.push(new vscode.TextEdit(toVsRange(e.range), e.newText));
    }
    for (const [k, list] of byUri) we.set(vscode.Uri.parse(k), list);
    return we;
  }
}

/** One offered fix: core edits (made into a WorkspaceEdit) or a WorkspaceEdit of its own. */
interface Fix {
  title: string;
  edit: TextEdit[] | vscode.WorkspaceEdit;
  preferred?: boolean;
}

/** A path not found: the close matches (most similar first), create the file, untick its box. */
async function pathMissingFixes(entry: TrackerEntry, t: Tracker, f: Finding, path: string | undefined): Promise<Fix[]> {
  const out: Fix[] = [];
  const data = findingData(f, 'path-missing');
  if (data?.produced) {
    // None is preferred when two are about as close.
    const suggestions = data.suggestions ?? (data.suggestion ? [data.suggestion] : []);
    suggestions.forEach((s, i) => out.push({ title: `Replace with \`${s}\``, edit: [{ file: f.file, range: f.range, newText: s }], preferred: i === 0 && data.preferred !== false }));
  }
  if (!path) return out;
  const cfg = getConfig(entry.mdUri);
  const r = await resolveArtifact(t, path, { fs: entry.fs, pathCache: entry.paths, root: await entry.root(), base: cfg.pathsBase ? absoluteBase(entry, cfg.pathsBase) : undefined });
  const target = r.resolved ?? r.tried[0];
  // Only create inside the workspace: never write where the user did not open.
  if (r.kind === 'missing' && target) {
    const uri = entry.fs.toUri(target);
    if (vscode.workspace.getWorkspaceFolder(uri)) {
      const we = new vscode.WorkspaceEdit();
      // Text goes in as an insert, not `contents`: bytes do not survive the trip through
      // the code-action API (vscode.executeCodeActionProvider) as a plain insert does.
      we.createFile(uri, { ignoreIfExists: true });
      const text = initialContent(target);
      if (text) we.insert(uri, new vscode.Position(0, 0), text);
      out.push({ title: `Create \`${vscode.workspace.asRelativePath(uri, false)}\``, edit: we });
    }
  }
  const item = t.checklist.find((c) => c.checked && c.artifact && c.artifact.range.start.offset === f.range.start.offset && f.file === t.file);
  if (item) out.push({ title: 'Untick the checklist item (file is missing)', edit: setArtifactChecked(t, item, false) });
  return out;
}

/** Markdown and YAML disagree: take either side's status into the other. */
function driftFixes(entry: TrackerEntry, t: Tracker, f: Finding): Fix[] {
  const data = findingData(f, 'status-drift');
  if (!data?.md || !data.yaml) return [];
  const { kind, id, md, yaml } = data;
  const mdRange = f.file === t.file ? f.range : f.related?.find((r) => r.file === t.file)?.range;
  const build = (s: Status): TextEdit[] => {
    switch (kind) {
      case 'agent':
        // The finding points at one markdown row (its status cell): edit that row, not every row of the name.
        return setAgentStatus(t, id, s, { dateStyle: dateStyle(entry), line: mdRange?.start.line });
      case 'phase':
        return setPhaseStatus(t, Number(id), s);
      case 'barrier':
        return setBarrierStatus(t, Number(id), s);
      case 'workflow':
        return workflowEdits(t, s);
      default:
        return [];
    }
  };
  // A finding older than the text (its row moved or went) offers no fix rather than a wrong one.
  const safe = (s: Status): TextEdit[] => {
    try {
      return build(s);
    } catch {
      return [];
    }
  };
  const toYaml = safe(md).filter((x) => x.file !== t.file);
  const toMd = safe(yaml).filter((x) => x.file === t.file);
  const yamlFirst = f.file !== t.file;
  const out: Fix[] = [];
  if (toYaml.length) out.push({ title: `Take the markdown's status (${STATUS_LABEL[md]}) into ${YAML_FILE}`, edit: toYaml, preferred: !yamlFirst });
  if (toMd.length) out.push({ title: `Take ${YAML_FILE}'s status (${STATUS_LABEL[yaml]}) into the markdown`, edit: toMd, preferred: yamlFirst });
  return out;
}

/** A stale dashboard or metrics table: regenerate it. */
function staleFixes(t: Tracker, f: Finding): Fix[] {
  if (f.code !== 'dashboard-stale' && f.code !== 'metrics-stale') return [];
  const edits = syncDerived(t, { now: new Date() }).filter((e) => e.file === t.file);
  if (!edits.length) return [];
  return [{ title: f.code === 'dashboard-stale' ? 'Regenerate the dashboard' : 'Regenerate the dashboard and metrics', edit: edits, preferred: true }];
}

/** Adds a glob to `worktracker.validate.ignore` in the folder (or workspace) holding the tracker. */
export async function addToIgnore(path: string, scope?: string): Promise<void> {
  if (!path) return;
  const uri = scope ? vscode.Uri.parse(scope) : undefined;
  const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
  const cfg = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  const inspect = cfg.inspect<string[]>('validate.ignore');
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const target = folder && multiRoot ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current =
    (target === vscode.ConfigurationTarget.WorkspaceFolder ? inspect?.workspaceFolderValue : target === vscode.ConfigurationTarget.Workspace ? inspect?.workspaceValue : inspect?.globalValue) ?? [];
  const glob = path.replace(/^\.\//, '');
  if (current.includes(glob)) return;
  await cfg.update('validate.ignore', [...current, glob], target);
}

function dateStyle(entry: TrackerEntry): 'date' | 'iso' | 'auto' {
  const f = getConfig(entry.mdUri).dateFormat;
  return f === 'auto' ? 'auto' : f;
}

/** Workflow status lives in the header (markdown) and `workflow.status` (YAML). */
function workflowEdits(t: Tracker, s: Status): TextEdit[] {
  const out: TextEdit[] = [];
  if (t.workflowStatus && t.workflowStatus.status !== s) {
    out.push({ file: t.file, range: t.workflowStatus.range, newText: spellStatus(t.dialect, s, t.workflowStatus.raw) });
  }
  const ys = t.yaml?.workflow.status;
  const word = WORKFLOW_WORD[s];
  if (t.yaml && ys && word) {
    const old = String(ys.value ?? '');
    const cased = old && old === old.toLowerCase() ? word.toLowerCase() : word;
    const quote = ys.style === 'double' ? '"' : ys.style === 'single' ? "'" : '';
    if (old.toUpperCase() !== word) out.push({ file: t.yaml.file, range: ys.range, newText: `${quote}${cased}${quote}` });
  }
  return out;
}

function initialContent(path: string): string {
  const ext = posix.extname(path).toLowerCase();
  if (ext === '.md') return `# ${posix.basename(path, ext)}\n`;
  return '';
}
