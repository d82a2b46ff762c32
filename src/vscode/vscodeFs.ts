import * as vscode from 'vscode';
import { realpath as nodeRealpath } from 'node:fs/promises';
import type { FileStat, WorkspaceFs } from '../core/model';
import { PathCache, isInside } from '../core/paths';
import { matchAny } from '../core/glob';

/**
 * The core's WorkspaceFs over `vscode.workspace.fs`, so remote and virtual workspaces work.
 * Core paths are the URI's `/`-separated path; the scheme and authority stay fixed per instance,
 * which is why one instance serves one workspace location (see `fsFor`).
 */
export class VscodeFs implements WorkspaceFs {
  readonly realpath?: (path: string) => Promise<string>;

  constructor(private readonly base: vscode.Uri) {
    // Symlinks can only be resolved for local files; elsewhere the core falls back to lexical checks.
    if (base.scheme === 'file') {
      this.realpath = async (p: string) => {
        const real = await nodeRealpath(vscode.Uri.file(this.toUri(p).fsPath).fsPath);
        return vscode.Uri.file(real).path;
      };
    }
  }

  toUri(path: string): vscode.Uri {
    return this.base.with({ path, query: '', fragment: '' });
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(this.toUri(path));
      const type = s.type & vscode.FileType.File ? 'file' : s.type & vscode.FileType.Directory ? 'directory' : 'other';
      return { type, size: s.size, mtime: s.mtime };
    } catch {
      return undefined;
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    return vscode.workspace.fs.readFile(this.toUri(path));
  }

  async readDirectory(path: string): Promise<[string, 'file' | 'directory' | 'other'][]> {
    try {
      const entries = await vscode.workspace.fs.readDirectory(this.toUri(path));
      return entries.map(([name, t]) => [name, t & vscode.FileType.File ? 'file' : t & vscode.FileType.Directory ? 'directory' : 'other']);
    } catch {
      return [];
    }
  }
}

const instances = new Map<string, VscodeFs>();

/** The file system a URI lives on: its scheme and authority. */
export function fsKey(uri: vscode.Uri): string {
  return `${uri.scheme}://${uri.authority}`;
}

/** One shared VscodeFs per scheme+authority. */
export function fsFor(uri: vscode.Uri): VscodeFs {
  const key = fsKey(uri);
  let fs = instances.get(key);
  if (!fs) {
    fs = new VscodeFs(uri.with({ path: '/', query: '', fragment: '' }));
    instances.set(key, fs);
  }
  return fs;
}

const pathCaches = new Map<string, PathCache>();

/**
 * What the file system said about artifact paths, kept between analyses: one cache per file system
 * (core paths carry no scheme). The store's watcher reports every create, change and delete to it;
 * a path outside the workspace folders or in `files.watcherExclude` gets no events, so what is
 * learnt about it lives only seconds.
 */
export function pathCacheFor(uri: vscode.Uri): PathCache {
  const key = fsKey(uri);
  let c = pathCaches.get(key);
  if (!c) {
    c = new PathCache({ covered: (abs) => watched(uri.with({ path: abs })) });
    pathCaches.set(key, c);
  }
  return c;
}

/** Whether this window's file watchers report changes to `uri`: inside a workspace folder and not in `files.watcherExclude`. */
function watched(uri: vscode.Uri): boolean {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === uri.scheme && f.uri.authority === uri.authority && isInside(f.uri.path.replace(/(.)\/$/, '$1'), uri.path));
  if (!folder) return false;
  const rel = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
  const excluded = watcherExclude(folder.uri);
  return !matchAny(excluded, rel) && !matchAny(excluded, uri.path);
}

const excludes = new Map<string, { at: number; globs: string[] }>();

/** `files.watcherExclude` of a folder, read at most once a second (asked for every path stat-ed). */
function watcherExclude(folder: vscode.Uri): string[] {
  const key = folder.toString();
  const now = Date.now();
  const hit = excludes.get(key);
  if (hit && now - hit.at < 1000) return hit.globs;
  const globs = Object.entries(vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('watcherExclude', {}))
    .filter(([, v]) => v === true)
    .map(([g]) => g);
  excludes.set(key, { at: now, globs });
  return globs;
}

/**
 * Decodes file bytes as the editor shows them: VS Code drops a UTF-8 BOM from the document text
 * (and writes it back on save), so positions computed on this text match the open document's.
 */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
