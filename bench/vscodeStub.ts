/**
 * A fake `vscode` module, enough for the extension's production bundle to activate and to run its
 * real editor paths (discovery, re-parse, diagnostics, save sync) outside VS Code, in the benchmark's
 * child processes. Backed by Node's file system under one workspace folder.
 *
 * What it models faithfully, because the measured paths go through it:
 * - `Uri` for `file:` URIs: '/'-separated paths, `joinPath` (with `..`), `with`, `parse`, `toString`;
 * - `workspace.fs.stat/readFile/readDirectory` on Node's fs, throwing for a missing file as VS Code does;
 * - `workspace.findFiles` (a walk of the folder, skipping `node_modules` and `.git`);
 * - `workspace.getConfiguration`: the defaults of package.json's `contributes.configuration`, plus
 *   VS Code's default `files.exclude`;
 * - `workspace.textDocuments`: fake TextDocuments whose text and version the benchmark changes;
 * - `languages.createDiagnosticCollection` keeps what is published; `getDiagnostics` returns it; after
 *   a publish, `onDidChangeDiagnostics` fires once (coalesced, on the next turn) as VS Code does;
 * - `createFileSystemWatcher`: watchers the benchmark can fire.
 * Everything else (tree views, status bar items, commands, language-model tools) registers and does nothing.
 */
import NodeModule, { createRequire } from 'node:module';
import { promises as fsp, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { posix, join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';

type Listener<T> = (e: T) => unknown;

/** Called at the start of every EventEmitter.fire: the benchmark uses it to split parse time from listener time. */
export const fireProbe: { hook?: () => void } = {};

export class EventEmitter<T> {
  private ls: Listener<T>[] = [];
  event = (l: Listener<T>, thisArg?: unknown) => {
    const f = thisArg ? l.bind(thisArg) : l;
    this.ls.push(f);
    return { dispose: () => void (this.ls = this.ls.filter((x) => x !== f)) };
  };
  fire(e: T): void {
    fireProbe.hook?.();
    for (const l of [...this.ls]) l(e);
  }
  dispose(): void {
    this.ls = [];
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isEqual(o: Position): boolean {
    return this.line === o.line && this.character === o.character;
  }
  isBefore(o: Position): boolean {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isBeforeOrEqual(o: Position): boolean {
    return this.isBefore(o) || this.isEqual(o);
  }
  isAfter(o: Position): boolean {
    return !this.isBeforeOrEqual(o);
  }
  isAfterOrEqual(o: Position): boolean {
    return !this.isBefore(o);
  }
  compareTo(o: Position): number {
    return this.isBefore(o) ? -1 : this.isEqual(o) ? 0 : 1;
  }
  translate(dl = 0, dc = 0): Position {
    return new Position(this.line + dl, this.character + dc);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const s = typeof a === 'number' ? new Position(a, b as number) : a;
    const e = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    [this.start, this.end] = s.isBeforeOrEqual(e) ? [s, e] : [e, s];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  get isSingleLine(): boolean {
    return this.start.line === this.end.line;
  }
  isEqual(o: Range): boolean {
    return this.start.isEqual(o.start) && this.end.isEqual(o.end);
  }
  contains(x: Position | Range): boolean {
    if (x instanceof Range) return this.contains(x.start) && this.contains(x.end);
    return x.isAfterOrEqual(this.start) && x.isBeforeOrEqual(this.end);
  }
  intersection(o: Range): Range | undefined {
    const s = this.start.isAfter(o.start) ? this.start : o.start;
    const e = this.end.isBefore(o.end) ? this.end : o.end;
    return s.isAfter(e) ? undefined : new Range(s, e);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

/** VS Code's URI, for the `file:` scheme (and any other, parsed plainly). */
export class Uri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  get fsPath(): string {
    return this.authority && this.scheme === 'file' ? `//${this.authority}${this.path}` : this.path;
  }
  toString(): string {
    const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/').replace(/%3A/g, ':');
    return `${this.scheme}://${this.authority}${enc(this.path)}${this.query ? '?' + this.query : ''}${this.fragment ? '#' + encodeURIComponent(this.fragment) : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
  with(c: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  static file(p: string): Uri {
    return new Uri('file', '', posix.normalize(p.replace(/\\/g, '/')));
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '/', c.query ?? '', c.fragment ?? '');
  }
  static parse(s: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
    if (!m) throw new Error(`fake vscode: cannot parse URI ${s}`);
    return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3] || '/'), m[4] ?? '', m[5] ? decodeURIComponent(m[5]) : '');
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return u.with({ path: posix.join(u.path || '/', ...parts) });
  }
}

const EOL_LF = 1;
const EOL_CRLF = 2;

/** A TextDocument whose text the benchmark replaces (each change bumps the version, as typing does). */
export class FakeDocument {
  version = 1;
  isDirty = false;
  isClosed = false;
  readonly isUntitled = false;
  readonly languageId: string;
  private starts?: number[];
  constructor(
    readonly uri: Uri,
    private text: string,
  ) {
    this.languageId = uri.path.endsWith('.md') ? 'markdown' : uri.path.endsWith('.yaml') ? 'yaml' : 'plaintext';
  }
  get fileName(): string {
    return this.uri.fsPath;
  }
  get eol(): number {
    return this.text.includes('\r\n') ? EOL_CRLF : EOL_LF;
  }
  /** Replaces the whole text and bumps the version (the benchmark's "keystroke"). */
  setText(text: string): void {
    this.text = text;
    this.starts = undefined;
    this.version++;
    this.isDirty = true;
  }
  private lineStarts(): number[] {
    if (!this.starts) {
      const s = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) s.push(i + 1);
      this.starts = s;
    }
    return this.starts;
  }
  get lineCount(): number {
    return this.lineStarts().length;
  }
  getText(r?: Range): string {
    return r ? this.text.slice(this.offsetAt(r.start), this.offsetAt(r.end)) : this.text;
  }
  offsetAt(p: Position): number {
    const s = this.lineStarts();
    if (p.line >= s.length) return this.text.length;
    const line = Math.max(0, p.line);
    const end = line + 1 < s.length ? s[line + 1] : this.text.length;
    return Math.min(s[line] + Math.max(0, p.character), end);
  }
  positionAt(offset: number): Position {
    const s = this.lineStarts();
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return new Position(lo, o - s[lo]);
  }
  lineAt(x: number | Position) {
    const line = typeof x === 'number' ? x : x.line;
    const s = this.lineStarts();
    const start = s[line];
    let end = line + 1 < s.length ? s[line + 1] - 1 : this.text.length;
    if (end > start && this.text[end - 1] === '\r') end--;
    const text = this.text.slice(start, end);
    const firstNonWs = text.search(/\S/);
    return {
      lineNumber: line,
      text,
      range: new Range(line, 0, line, text.length),
      rangeIncludingLineBreak: new Range(line, 0, line + 1 < s.length ? line + 1 : line, line + 1 < s.length ? 0 : text.length),
      firstNonWhitespaceCharacterIndex: firstNonWs < 0 ? text.length : firstNonWs,
      isEmptyOrWhitespace: firstNonWs < 0,
    };
  }
  validateRange(r: Range): Range {
    return r;
  }
  validatePosition(p: Position): Position {
    return p;
  }
  getWordRangeAtPosition(): Range | undefined {
    return undefined;
  }
  async save(): Promise<boolean> {
    this.isDirty = false;
    return true;
  }
}

class Diagnostic {
  source?: string;
  code?: unknown;
  relatedInformation?: unknown[];
  tags?: number[];
  constructor(
    public range: Range,
    public message: string,
    public severity = 0,
  ) {}
}

class TextEdit {
  constructor(
    public range: Range,
    public newText: string,
  ) {}
  static replace(r: Range, t: string) {
    return new TextEdit(r, t);
  }
  static insert(p: Position, t: string) {
    return new TextEdit(new Range(p, p), t);
  }
  static delete(r: Range) {
    return new TextEdit(r, '');
  }
}

class WorkspaceEdit {
  private readonly edits: [Uri, TextEdit[]][] = [];
  private bucket(u: Uri): TextEdit[] {
    let e = this.edits.find(([x]) => x.toString() === u.toString());
    if (!e) this.edits.push((e = [u, []]));
    return e[1];
  }
  replace(u: Uri, r: Range, t: string) {
    this.bucket(u).push(new TextEdit(r, t));
  }
  insert(u: Uri, p: Position, t: string) {
    this.bucket(u).push(TextEdit.insert(p, t));
  }
  delete(u: Uri, r: Range) {
    this.bucket(u).push(TextEdit.delete(r));
  }
  set(u: Uri, edits: TextEdit[]) {
    this.bucket(u).push(...edits);
  }
  get(u: Uri): TextEdit[] {
    return this.bucket(u);
  }
  has(u: Uri): boolean {
    return this.edits.some(([x]) => x.toString() === u.toString());
  }
  entries(): [Uri, TextEdit[]][] {
    return this.edits;
  }
  get size(): number {
    return this.edits.length;
  }
  createFile() {}
  deleteFile() {}
  renameFile() {}
}

class Base {
  constructor(...a: unknown[]) {
    Object.assign(this, { args: a });
  }
}

class FileSystemError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
  static FileNotFound(u?: unknown) {
    return new FileSystemError(`${String(u)} not found`, 'FileNotFound');
  }
  static FileExists(u?: unknown) {
    return new FileSystemError(`${String(u)} exists`, 'FileExists');
  }
  static FileNotADirectory(u?: unknown) {
    return new FileSystemError(`${String(u)} is not a directory`, 'FileNotADirectory');
  }
  static FileIsADirectory(u?: unknown) {
    return new FileSystemError(`${String(u)} is a directory`, 'FileIsADirectory');
  }
  static NoPermissions(u?: unknown) {
    return new FileSystemError(`${String(u)}: no permissions`, 'NoPermissions');
  }
  static Unavailable(u?: unknown) {
    return new FileSystemError(`${String(u)} unavailable`, 'Unavailable');
  }
}

const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };

function fsError(e: unknown, u: Uri): Error {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return FileSystemError.FileNotFound(u);
  if (code === 'EISDIR') return FileSystemError.FileIsADirectory(u);
  if (code === 'EACCES' || code === 'EPERM') return FileSystemError.NoPermissions(u);
  return FileSystemError.Unavailable(u);
}

function typeOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }, link = false): number {
  return (s.isFile() ? FileType.File : s.isDirectory() ? FileType.Directory : FileType.Unknown) | (link ? FileType.SymbolicLink : 0);
}

/** VS Code's own default `files.exclude`. */
const FILES_EXCLUDE_DEFAULT = { '**/.git': true, '**/.svn': true, '**/.hg': true, '**/.DS_Store': true, '**/Thumbs.db': true };

export interface FakeWatcher {
  glob: string;
  onCreate: EventEmitter<Uri>;
  onChange: EventEmitter<Uri>;
  onDelete: EventEmitter<Uri>;
}

export interface HostOptions {
  /** The one workspace folder (a native absolute path). */
  folder: string;
  /** The extension's folder (package.json is read from it for the configuration defaults). */
  extensionRoot: string;
}

/** The fake module and the handles the benchmark drives it with. */
export interface Host {
  vscode: Record<string, unknown>;
  folderUri: Uri;
  /** Makes another folder the (one) workspace folder. */
  setFolder(path: string): void;
  /** Opens a document in the fake editor (it joins `workspace.textDocuments`). */
  openDocument(path: string, text?: string): FakeDocument;
  /** What the extension last published, by URI string. */
  diagnostics: Map<string, Diagnostic[]>;
  watchers: FakeWatcher[];
  /** Resolves once the pending `onDidChangeDiagnostics` (if any) has fired and its listeners ran. */
  diagnosticsSettled(): Promise<void>;
  disposeAll(): void;
}

export function createHost(o: HostOptions): Host {
  const pkg = JSON.parse(readFileSync(join(o.extensionRoot, 'package.json'), 'utf8')) as {
    contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } | { properties?: Record<string, { default?: unknown }> }[] };
  };
  const defaults = new Map<string, unknown>();
  const confs = pkg.contributes?.configuration;
  for (const c of Array.isArray(confs) ? confs : confs ? [confs] : []) for (const [k, v] of Object.entries(c.properties ?? {})) defaults.set(k, v.default);
  defaults.set('files.exclude', FILES_EXCLUDE_DEFAULT);

  let folderUri = Uri.file(o.folder);
  let folder = { uri: folderUri, name: posix.basename(folderUri.path), index: 0 };
  let found: Uri[] | undefined;
  const documents: FakeDocument[] = [];
  const collections: Map<string, Diagnostic[]>[] = [];
  const diagnostics = new Map<string, Diagnostic[]>();
  const watchers: FakeWatcher[] = [];
  const disposables: { dispose(): void }[] = [];
  const diagChanged = new EventEmitter<{ uris: Uri[] }>();
  let pendingUris = new Map<string, Uri>();
  let pendingFlush: Promise<void> | undefined;
  const disposable = () => ({ dispose() {} });

  const scheduleDiagEvent = (u: Uri) => {
    pendingUris.set(u.toString(), u);
    if (pendingFlush) return;
    // VS Code delivers onDidChangeDiagnostics after the publish, not inside it.
    pendingFlush = new Promise<void>((resolve) =>
      setImmediate(() => {
        const uris = [...pendingUris.values()];
        pendingUris = new Map();
        pendingFlush = undefined;
        diagChanged.fire({ uris });
        resolve();
      }),
    );
  };

  const isInFolder = (u: Uri) => u.scheme === 'file' && (u.path === folderUri.path || u.path.startsWith(folderUri.path.replace(/\/$/, '') + '/'));
  const relative = (u: Uri) => posix.relative(folderUri.path, u.path);

  const event = () => disposable();
  /**
   * Anything not named below: `onDid*`/`onWill*` are events, `register*` return a disposable,
   * `create*` return an inert item, `show*` resolve to undefined, other names are no-ops.
   */
  const fallback = (k: string | symbol): unknown => {
    if (typeof k !== 'string' || k === 'then' || k === 'toJSON') return undefined;
    if (/^on(Did|Will)/.test(k)) return event;
    if (k.startsWith('register')) return disposable;
    if (k.startsWith('create')) return item;
    if (k.startsWith('show')) return async () => undefined;
    return () => undefined;
  };
  const withFallback = <T extends object>(x: T): T => new Proxy(x, { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : fallback(k)) });
  function item(): unknown {
    // Plain properties a view or status bar item has; the rest falls back to no-ops.
    return withFallback({ show() {}, hide() {}, dispose() {}, appendLine() {}, append() {}, clear() {}, replace() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {}, reveal: async () => {}, text: '', name: '', tooltip: undefined, command: undefined, backgroundColor: undefined, badge: undefined, message: undefined, title: undefined, description: undefined, visible: true, selection: [], items: [], logLevel: 2 } as Record<string, unknown>);
  }
  const configuration = (section?: string) => {
    const full = (k: string) => (section ? `${section}.${k}` : k);
    return {
      get: (k: string, d?: unknown) => (defaults.has(full(k)) ? structuredClone(defaults.get(full(k))) : d),
      has: (k: string) => defaults.has(full(k)),
      inspect: (k: string) => ({ key: full(k), defaultValue: defaults.get(full(k)) }),
      update: async () => {},
    };
  };

  const activeEditor = () => {
    const d = documents.find((x) => x.uri.path.endsWith('.md'));
    if (!d) return undefined;
    const p = new Position(0, 0);
    return { document: d, selection: new Selection(p, p), selections: [new Selection(p, p)], visibleRanges: [new Range(0, 0, 40, 0)], options: {}, viewColumn: 1, edit: async () => true, revealRange() {}, setDecorations() {} };
  };

  const walk = (dir: string, out: Uri[], name: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.name === 'node_modules' || d.name === '.git') continue;
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p, out, name);
      else if (d.isFile() && d.name === name) out.push(Uri.file(p));
    }
  };

  const vscode: Record<string, unknown> = {
    version: '1.100.0',
    EventEmitter,
    Position,
    Range,
    Selection,
    Uri,
    Location: class {
      constructor(
        public uri: Uri,
        public range: Range,
      ) {}
    },
    Disposable: Object.assign(
      class {
        constructor(private readonly f?: () => void) {}
        dispose() {
          this.f?.();
        }
      },
      { from: (...ds: { dispose(): void }[]) => ({ dispose: () => ds.forEach((d) => d.dispose()) }) },
    ),
    Diagnostic,
    DiagnosticRelatedInformation: class {
      constructor(
        public location: unknown,
        public message: string,
      ) {}
    },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    TreeItem: class {
      constructor(
        public label: unknown,
        public collapsibleState?: number,
      ) {}
    },
    ThemeIcon: Object.assign(
      class {
        constructor(
          public id: string,
          public color?: unknown,
        ) {}
      },
      { File: {}, Folder: {} },
    ),
    ThemeColor: class {
      constructor(public id: string) {}
    },
    MarkdownString: class {
      isTrusted: unknown = false;
      supportThemeIcons = false;
      supportHtml = false;
      constructor(
        public value = '',
        supportThemeIcons = false,
      ) {
        this.supportThemeIcons = supportThemeIcons;
      }
      appendMarkdown(s: string) {
        this.value += s;
        return this;
      }
      appendText(s: string) {
        this.value += s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
        return this;
      }
      appendCodeblock(s: string, lang = '') {
        this.value += '\n```' + lang + '\n' + s + '\n```\n';
        return this;
      }
    },
    Hover: class {
      constructor(
        public contents: unknown,
        public range?: Range,
      ) {}
    },
    CodeAction: class {
      edit?: unknown;
      command?: unknown;
      diagnostics?: unknown;
      isPreferred?: boolean;
      constructor(
        public title: string,
        public kind?: unknown,
      ) {}
    },
    CodeActionKind: { QuickFix: { value: 'quickfix', append: () => ({}) }, Refactor: { value: 'refactor' }, Source: { value: 'source', append: () => ({}) }, Empty: { value: '' } },
    CodeLens: Base,
    DocumentLink: Base,
    TextEdit,
    WorkspaceEdit,
    RelativePattern: class {
      constructor(
        public base: unknown,
        public pattern: string,
      ) {}
    },
    FileSystemError,
    CancellationTokenSource: class {
      token = { isCancellationRequested: false, onCancellationRequested: event };
      cancel() {
        this.token.isCancellationRequested = true;
      }
      dispose() {}
    },
    LanguageModelTextPart: class {
      constructor(public value: string) {}
    },
    LanguageModelToolResult: class {
      constructor(public content: unknown[]) {}
    },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { Notification: 15, Window: 10, SourceControl: 1 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    FileType,
    EndOfLine: { LF: EOL_LF, CRLF: EOL_CRLF },
    TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    TreeItemCheckboxState: { Unchecked: 0, Checked: 1 },
    FilePermission: { Readonly: 1 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    UIKind: { Desktop: 1, Web: 2 },
    commands: withFallback({ registerCommand: disposable, registerTextEditorCommand: disposable, executeCommand: async () => undefined, getCommands: async () => [] }),
    window: withFallback({
      createTreeView: item,
      registerTreeDataProvider: disposable,
      createStatusBarItem: item,
      createOutputChannel: item,
      createQuickPick: item,
      createTextEditorDecorationType: item,
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      showQuickPick: async () => undefined,
      setStatusBarMessage: disposable,
      withProgress: async (_o: unknown, f: (p: unknown, t: unknown) => unknown) => f({ report() {} }, { isCancellationRequested: false, onCancellationRequested: event }),
      get activeTextEditor() {
        return activeEditor();
      },
      get visibleTextEditors() {
        const e = activeEditor();
        return e ? [e] : [];
      },
      onDidChangeActiveTextEditor: event,
      onDidChangeVisibleTextEditors: event,
      onDidChangeTextEditorSelection: event,
    }),
    workspace: withFallback({
      get workspaceFolders() {
        return [folder];
      },
      get name() {
        return folder.name;
      },
      get textDocuments() {
        return documents;
      },
      isTrusted: true,
      getConfiguration: (section?: string) => configuration(section),
      getWorkspaceFolder: (u: Uri) => (isInFolder(u) ? folder : undefined),
      asRelativePath: (x: Uri | string, includeFolder?: boolean) => {
        const u = typeof x === 'string' ? (x.includes('://') ? Uri.parse(x) : Uri.file(x)) : x;
        if (!isInFolder(u)) return typeof x === 'string' ? x : u.fsPath;
        return includeFolder ? `${folder.name}/${relative(u)}` : relative(u);
      },
      findFiles: async (include: string | { pattern: string }) => {
        const pattern = typeof include === 'string' ? include : include.pattern;
        const name = posix.basename(pattern);
        if (/[*?{[]/.test(name)) return [];
        // The workspace does not change under the benchmark: one walk (re-discoveries stay cheap).
        if (!found) walk(folderUri.fsPath, (found = []), name);
        return found.filter((u) => posix.basename(u.path) === name);
      },
      createFileSystemWatcher: (glob: string | { pattern: string }, ignoreCreate = false, ignoreChange = false, ignoreDelete = false) => {
        const w: FakeWatcher = { glob: typeof glob === 'string' ? glob : glob.pattern, onCreate: new EventEmitter(), onChange: new EventEmitter(), onDelete: new EventEmitter() };
        watchers.push(w);
        return {
          ignoreCreateEvents: ignoreCreate,
          ignoreChangeEvents: ignoreChange,
          ignoreDeleteEvents: ignoreDelete,
          onDidCreate: ignoreCreate ? event : w.onCreate.event,
          onDidChange: ignoreChange ? event : w.onChange.event,
          onDidDelete: ignoreDelete ? event : w.onDelete.event,
          dispose() {},
        };
      },
      openTextDocument: async (x: Uri | string) => {
        const u = typeof x === 'string' ? Uri.file(x) : x;
        return documents.find((d) => d.uri.toString() === u.toString()) ?? openDocument(u.fsPath);
      },
      applyEdit: async () => true,
      registerTextDocumentContentProvider: disposable,
      fs: {
        stat: async (u: Uri) => {
          try {
            const l = await fsp.lstat(u.fsPath);
            const s = l.isSymbolicLink() ? await fsp.stat(u.fsPath) : l;
            return { type: typeOf(s, l.isSymbolicLink()), ctime: s.ctimeMs, mtime: s.mtimeMs, size: s.size };
          } catch (e) {
            throw fsError(e, u);
          }
        },
        readFile: async (u: Uri) => {
          try {
            return new Uint8Array(await fsp.readFile(u.fsPath));
          } catch (e) {
            throw fsError(e, u);
          }
        },
        readDirectory: async (u: Uri) => {
          try {
            const ds = await fsp.readdir(u.fsPath, { withFileTypes: true });
            return ds.map((d) => [d.name, typeOf(d, d.isSymbolicLink())] as [string, number]);
          } catch (e) {
            throw fsError(e, u);
          }
        },
        writeFile: async () => {},
        createDirectory: async () => {},
        delete: async () => {},
        rename: async () => {},
      },
    }),
    languages: withFallback({
      createDiagnosticCollection: (name?: string) => {
        const mine = new Map<string, Diagnostic[]>();
        collections.push(mine);
        const set = (u: Uri, list: Diagnostic[] | undefined) => {
          const k = u.toString();
          if (list && list.length) mine.set(k, [...list]);
          else mine.delete(k);
          if (list && list.length) diagnostics.set(k, [...list]);
          else diagnostics.delete(k);
          scheduleDiagEvent(u);
        };
        return {
          name,
          set: (u: Uri | [Uri, Diagnostic[]][], list?: Diagnostic[]) => {
            if (Array.isArray(u)) for (const [x, l] of u) set(x, l);
            else set(u, list);
          },
          delete: (u: Uri) => set(u, undefined),
          clear: () => [...mine.keys()].forEach((k) => set(Uri.parse(k), undefined)),
          get: (u: Uri) => mine.get(u.toString()),
          has: (u: Uri) => mine.has(u.toString()),
          forEach: (f: (u: Uri, d: Diagnostic[]) => void) => mine.forEach((d, k) => f(Uri.parse(k), d)),
          dispose: () => mine.clear(),
        };
      },
      getDiagnostics: (u?: Uri) => (u ? diagnostics.get(u.toString()) ?? [] : [...diagnostics].map(([k, d]) => [Uri.parse(k), d])),
      onDidChangeDiagnostics: diagChanged.event,
      match: () => 10,
    }),
    lm: withFallback({
      tools: [],
      registerTool: disposable,
      invokeTool: async () => ({ content: [] }),
    }),
    env: withFallback({ language: 'en', appName: 'Fake VS Code (benchmark)', uriScheme: 'vscode', clipboard: { writeText: async () => {}, readText: async () => '' }, openExternal: async () => true, uiKind: 1, remoteName: undefined }),
    extensions: withFallback({ getExtension: () => undefined, all: [] }),
    l10n: { t: (s: string | { message: string }, ...a: unknown[]) => String(typeof s === 'string' ? s : s.message).replace(/\{(\d+)\}/g, (_m, i) => String(a[Number(i)])) },
  };

  function openDocument(path: string, text?: string): FakeDocument {
    const u = Uri.file(path);
    const existing = documents.find((d) => d.uri.toString() === u.toString());
    if (existing) return existing;
    const d = new FakeDocument(u, text ?? readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    documents.push(d);
    return d;
  }

  return {
    vscode,
    get folderUri() {
      return folderUri;
    },
    setFolder(path: string) {
      folderUri = Uri.file(path);
      folder = { uri: folderUri, name: posix.basename(folderUri.path), index: 0 };
      found = undefined;
    },
    openDocument,
    diagnostics,
    watchers,
    diagnosticsSettled: async () => {
      while (pendingFlush) await pendingFlush;
    },
    disposeAll: () => disposables.forEach((d) => d.dispose()),
  };
}

/** What `activate` returns (src/vscode/extension.ts WorktrackerApi), typed loosely: the bench must survive API drift. */
export interface LooseApi {
  store: {
    all(): LooseEntry[];
    reparse(e: LooseEntry, o?: { notify?: boolean; force?: boolean }): Promise<unknown>;
    ready?(): Promise<void>;
    entries?: Map<string, LooseEntry>;
  };
  diagnostics: { run(e: LooseEntry): Promise<LooseFinding[]>; onDidUpdate?: (l: (e: LooseEntry) => void) => { dispose(): void }; findings?(e: LooseEntry): LooseFinding[] };
  saveSync: { editsFor(doc: unknown): Promise<{ range: Range; newText: string }[]> };
  ready: Promise<void>;
  [k: string]: unknown;
}
export interface LooseEntry {
  key: string;
  mdUri: Uri;
  tracker?: { agents: { id: string; status: { status: string; range: { start: { offset: number }; end: { offset: number } } } }[]; findings: unknown[] };
  snapshot?: unknown;
  constructor: new (u: Uri) => LooseEntry;
}
export interface LooseFinding {
  code: string;
  message: string;
  file: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface Loaded {
  api?: LooseApi;
  requireMs: number;
  activateMs: number;
  error?: string;
  subscriptions: number;
  cleanup(): void;
}

/**
 * Loads the bundle with `require('vscode')` answered by the host, and runs `activate()` with a fake
 * ExtensionContext. Times the require and the synchronous activate() separately.
 */
export function loadExtension(bundle: string, host: Host, extensionRoot: string): Loaded {
  const Module = NodeModule as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const load = Module._load;
  Module._load = function (req: string, parent: unknown, isMain: boolean) {
    if (req === 'vscode') return host.vscode;
    return load.call(this, req, parent, isMain);
  };
  const ctxDir = mkdtempSync(join(tmpdir(), 'wt-ctx-'));
  const memento = () => {
    const m = new Map<string, unknown>();
    return { get: (k: string, d?: unknown) => (m.has(k) ? m.get(k) : d), update: async (k: string, v: unknown) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync() {} };
  };
  const rootUri = Uri.file(extensionRoot);
  const dirUri = Uri.file(ctxDir);
  const context = {
    subscriptions: [] as { dispose(): void }[],
    extensionPath: extensionRoot,
    extensionUri: rootUri,
    globalState: memento(),
    workspaceState: memento(),
    globalStorageUri: dirUri,
    storageUri: dirUri,
    logUri: dirUri,
    globalStoragePath: ctxDir,
    storagePath: ctxDir,
    logPath: ctxDir,
    extensionMode: 1,
    extension: { id: 'worktracker.orchestration-worktracker', extensionPath: extensionRoot, extensionUri: rootUri, packageJSON: JSON.parse(readFileSync(join(extensionRoot, 'package.json'), 'utf8')), isActive: true, exports: undefined, extensionKind: 2 },
    asAbsolutePath: (p: string) => join(extensionRoot, p),
    environmentVariableCollection: { replace() {}, append() {}, prepend() {}, get() {}, forEach() {}, delete() {}, clear() {} },
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
    languageModelAccessInformation: { onDidChange: () => ({ dispose() {} }), canSendRequest: () => undefined },
  };
  const cleanup = () => {
    for (const d of context.subscriptions) {
      try {
        d.dispose();
      } catch {
        /* disposal errors do not matter to the benchmark */
      }
    }
    Module._load = load;
    rmSync(ctxDir, { recursive: true, force: true });
  };
  const t0 = performance.now();
  let requireMs = 0;
  let activateMs = 0;
  try {
    const ext = createRequire(__filename)(bundle) as { activate?: (c: unknown) => unknown };
    requireMs = performance.now() - t0;
    if (typeof ext.activate !== 'function') throw new Error('bundle exports no activate()');
    const t1 = performance.now();
    const api = ext.activate(context) as LooseApi | undefined;
    activateMs = performance.now() - t1;
    if (!api || typeof api !== 'object' || !api.store) throw new Error('activate() returned no API object');
    return { api, requireMs, activateMs, subscriptions: context.subscriptions.length, cleanup };
  } catch (e) {
    return { requireMs, activateMs, error: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 3).join(' / ') : String(e), subscriptions: context.subscriptions.length, cleanup };
  }
}
