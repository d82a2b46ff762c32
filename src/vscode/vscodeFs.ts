import * as vscode from 'vscode';
import { realpath as nodeRealpath } from 'node:fs/promises';
import type { FileStat, WorkspaceFs } from '../core/model';

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

/**
 * Decodes file bytes as the editor shows them: VS Code drops a UTF-8 BOM from the document text
 * (and writes it back on save), so positions computed on this text match the open document's.
 */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
