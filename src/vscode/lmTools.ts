/**
 * The agent tools as VS Code language-model tools (`worktracker_list_trackers`, ...): the same
 * names, descriptions and input schemas as the MCP server (src/tools/definitions.ts; package.json's
 * `contributes.languageModelTools` is generated from them) and the same edit plans
 * (src/tools/edits.ts). Editing tools ask for confirmation naming the file and the change (with the
 * diff), then write through `TrackerWriter`: one WorkspaceEdit, undoable, version-checked, refused
 * in Restricted Mode. They return the unified diff they applied. Trackers are the ones the store
 * found in the workspace, named by their workspace-relative path.
 */
import * as vscode from 'vscode';
import { analyze } from '../core/analyze';
import { isDashboardStale, isMetricsStale } from '../core/dashboard';
import { unifiedDiff } from '../core/diff';
import { unitCount } from '../core/units';
import type { Finding, TextEdit, Tracker } from '../core/model';
import { closeIds } from '../tools/args';
import { lmToolName, TOOL_DEFS, type ToolDef } from '../tools/catalog';
import type { EditToolName, ToolArgs, ToolName } from '../tools/definitions';
import { EDIT_PLANS, editsOf, isEditTool, ToolError, type EditPlan } from '../tools/edits';
import { checkReport, trackerJson } from '../tools/model';
import { absoluteBase } from './diagnostics';
import { getConfig } from './config';
import { Disposable } from './dispose';
import type { TrackerEntry, TrackerStore } from './trackerStore';
import type { TrackerWriter } from './trackerWriter';

type Json = Record<string, unknown>;

/** What a tool returns: the text the model reads, and the same as data (for tests and scripts). */
export interface LmToolOutput {
  text: string;
  data: Json;
}

/** How a refusal reaches the model: one message with the code and the details to act on. */
export function refusalText(e: ToolError): string {
  return `${e.code}: ${e.message}${Object.keys(e.details).length ? `\n${JSON.stringify(e.details)}` : ''}`;
}

function norm(p: string): string {
  return p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

function label(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}

export class LmTools extends Disposable {
  constructor(
    private readonly store: TrackerStore,
    private readonly writer: TrackerWriter,
  ) {
    super();
    for (const def of TOOL_DEFS) this._register(vscode.lm.registerTool<Json>(lmToolName(def.name), this.toolFor(def)));
  }

  private toolFor(def: ToolDef): vscode.LanguageModelTool<Json> {
    return {
      prepareInvocation: (o) => this.prepare(def, o.input),
      invoke: async (o) => {
        try {
          const out = await this.run(def.name, o.input);
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(out.text)]);
        } catch (e) {
          // The model reads the message: a refusal names what to do next.
          throw new Error(e instanceof ToolError ? refusalText(e) : e instanceof Error ? e.message : String(e));
        }
      },
    };
  }

  /** Runs one tool on validated input; refusals are `ToolError`s. */
  async run(name: ToolName, input: unknown): Promise<LmToolOutput> {
    // The schemas (and zod) load on the first call, not at activation.
    const { parseToolInput } = await import('../tools/definitions');
    const parsed = parseToolInput(name, input);
    if ('problem' in parsed) throw new ToolError('invalid-input', parsed.problem);
    const a = parsed.args as Json;
    if (name === 'list_trackers') return this.list(a as ToolArgs<'list_trackers'>);
    if (name === 'get_tracker') return this.get(a as ToolArgs<'get_tracker'>);
    if (name === 'check') return this.check(a as ToolArgs<'check'>);
    return this.edit(name, a as ToolArgs<EditToolName>);
  }

  // ---------------------------------------------------------------- confirmation

  private async prepare(def: ToolDef, input: Json): Promise<vscode.PreparedToolInvocation> {
    if (!isEditTool(def.name) || input.dry_run === true || !vscode.workspace.isTrusted) return { invocationMessage: def.title };
    let preview: LmToolOutput;
    try {
      preview = await this.edit(def.name, { ...input, dry_run: true } as ToolArgs<EditToolName>);
    } catch {
      return { invocationMessage: def.title }; // invoke refuses with the reason
    }
    const { tracker, change, diff } = preview.data as { tracker: string; change: string; diff: string };
    const message = new vscode.MarkdownString();
    message.appendMarkdown(`${diff ? 'Change' : 'Nothing to change in'} **${tracker}**: ${change}\n\n`);
    if (diff) message.appendCodeblock(diff, 'diff');
    return { invocationMessage: `${def.title}: ${change}`, confirmationMessages: { title: `Worktracker: ${def.title}`, message } };
  }

  // ---------------------------------------------------------------- trackers by name

  private async trackerOf(entry: TrackerEntry): Promise<Tracker> {
    const t = (await this.store.snapshot(entry))?.tracker;
    if (!t) throw new ToolError('not-a-tracker', `${label(entry.mdUri)}: cannot be read${entry.error ? `: ${entry.error}` : ''}`);
    return t;
  }

  /** The tracker an agent named: its markdown, its YAML or their folder, workspace-relative or absolute. */
  private entryOf(input: string): TrackerEntry {
    const want = norm(input);
    const all = this.store.all();
    const names = (e: TrackerEntry) => {
      const dir = vscode.Uri.joinPath(e.mdUri, '..');
      const rel = [label(e.mdUri), label(e.yamlUri), dir.toString() === e.folder?.uri.toString() ? '.' : label(dir)];
      return [...rel, ...rel.map((r) => vscode.workspace.asRelativePath(r, false)), e.mdUri.fsPath, e.yamlUri.fsPath, dir.fsPath].map(norm);
    };
    const hits = all.filter((e) => names(e).includes(want || '.'));
    if (hits.length === 1) return hits[0];
    const known = all.map((e) => label(e.mdUri));
    if (hits.length > 1) throw new ToolError('ambiguous', `"${input}" names ${hits.length} trackers: ${hits.map((e) => label(e.mdUri)).join(', ')}`, { trackers: hits.map((e) => label(e.mdUri)) });
    const closest = closeIds(want, known);
    throw new ToolError('not-found', `no tracker "${input}" in this workspace; trackers: ${known.join(', ') || 'none'}`, { trackers: known, closest });
  }

  /** Names a file of the tracker (by its core path) as the tools take it. */
  private labeler(entry: TrackerEntry): (corePath: string) => string {
    return (p) => label(entry.uriOf(p));
  }

  // ---------------------------------------------------------------- reading

  private async list(a: ToolArgs<'list_trackers'>): Promise<LmToolOutput> {
    await this.store.ready();
    const under = a.under !== undefined ? norm(a.under) : '';
    const trackers: Json[] = [];
    for (const e of this.store.all()) {
      const path = label(e.mdUri);
      if (under && under !== '.' && !path.startsWith(`${under}/`)) continue;
      try {
        const t = await this.trackerOf(e);
        const c = unitCount(t);
        const status = t.workflowStatus ? { status: t.workflowStatus.status, raw: t.workflowStatus.raw } : undefined;
        trackers.push({ path, yaml: t.yaml ? label(e.yamlUri) : undefined, title: t.title?.text, status, done: c.done, total: c.total, byStatus: c.byStatus });
      } catch (err) {
        trackers.push({ path, error: err instanceof Error ? err.message : String(err) });
      }
    }
    trackers.sort((x, y) => String(x.path).localeCompare(String(y.path)));
    const line = (t: Json) => (t.error ? `${t.path}: ${t.error}` : `${t.path} — ${t.title ?? ''}${t.status ? ` — ${(t.status as { status: string }).status}` : ''} — ${t.done}/${t.total} done`);
    const text = trackers.length ? trackers.map(line).join('\n') : 'no ORCHESTRATION_WORKTRACKER.md in this workspace';
    return { text: `${text}\n\n${JSON.stringify({ trackers }, null, 2)}`, data: { trackers } };
  }

  private async get(a: ToolArgs<'get_tracker'>): Promise<LmToolOutput> {
    const entry = this.entryOf(a.tracker);
    const t = await this.trackerOf(entry);
    const data = trackerJson(t, { file: label(entry.mdUri), yaml: t.yaml ? label(entry.yamlUri) : undefined }, a.phase);
    return { text: JSON.stringify(data, null, 2), data };
  }

  private async check(a: ToolArgs<'check'>): Promise<LmToolOutput> {
    await this.store.ready();
    const entries = a.tracker !== undefined ? [this.entryOf(a.tracker)] : this.store.all();
    const trackers: Json[] = [];
    const perTracker: { findings: Finding[]; label: (file: string) => string }[] = [];
    for (const entry of entries) {
      const t = await this.trackerOf(entry);
      const cfg = getConfig(entry.mdUri);
      const base = a.base ?? cfg.pathsBase;
      const list = await analyze(t, {
        fs: entry.fs,
        root: await entry.root(),
        base: base ? absoluteBase(entry, base) : undefined,
        ignore: [...cfg.validateIgnore, ...(a.ignore ?? [])],
        staleness: { isDashboardStale, isMetricsStale },
      });
      trackers.push({ path: label(entry.mdUri), findings: list.length });
      perTracker.push({ findings: list, label: this.labeler(entry) });
    }
    const { data, text } = checkReport(trackers, perTracker);
    return { text, data };
  }

  // ---------------------------------------------------------------- editing

  private async edit(name: EditToolName, a: ToolArgs<EditToolName>): Promise<LmToolOutput> {
    const entry = this.entryOf(a.tracker);
    const plan = (EDIT_PLANS[name] as (args: ToolArgs<EditToolName>, l: (p: string) => string) => EditPlan)(a, this.labeler(entry));
    if (a.dry_run === true) {
      const t = await this.trackerOf(entry);
      const { edits, extra } = editsOf(plan.build(t));
      return this.result(entry, plan, t, edits, extra, true);
    }
    let refused: unknown;
    let built: { t: Tracker; extra: Json } | undefined;
    const r = await this.writer.apply(
      entry,
      plan.what,
      (t) => {
        try {
          const { edits, extra } = editsOf(plan.build(t));
          built = { t, extra };
          return edits;
        } catch (e) {
          refused = e;
          throw e;
        }
      },
      { quiet: true },
    );
    if (refused !== undefined) throw refused;
    if (r.problem === 'untrusted') throw new ToolError('restricted-mode', 'the workspace is in Restricted Mode, where trackers are read-only: ask the user to trust the workspace');
    if (!r.ok || !built) throw new ToolError('write-failed', r.problem ?? 'the edit was not applied');
    return this.result(entry, plan, built.t, r.edits, built.extra, false);
  }

  private result(entry: TrackerEntry, plan: EditPlan, t: Tracker, edits: TextEdit[], extra: Json, dry: boolean): LmToolOutput {
    const parts = [
      { file: t.file, text: t.text, uri: entry.mdUri },
      ...(t.yaml ? [{ file: t.yaml.file, text: t.yaml.text, uri: entry.yamlUri }] : []),
    ]
      .map((p) => ({ ...p, edits: edits.filter((e) => e.file === p.file) }))
      .filter((p) => p.edits.length > 0);
    const diff = parts.map((p) => unifiedDiff(label(p.uri), p.text, p.edits)).join('');
    const files = parts.map((p) => label(p.uri));
    const tracker = label(entry.mdUri);
    const changed = diff.length > 0;
    const data: Json = { tracker, change: plan.what, dry_run: dry, changed, files, written: dry ? [] : files, diff, ...extra };
    const head = changed ? `${tracker}: ${plan.what}${dry ? ' (dry run, nothing written)' : ''}` : `${tracker}: already up to date (${plan.what}); nothing written`;
    return { text: changed ? `${head}\n${diff}` : head, data };
  }
}
