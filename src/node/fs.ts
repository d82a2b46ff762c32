/**
 * WorkspaceFs on Node's file system (used by the CLI and by tests on real folders).
 * Paths are absolute and '/'-separated as the core expects; on Windows they are converted.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FileStat, WorkspaceFs } from '../core/model';

/** Core-style path ('/'-separated, absolute) from a native path. */
export function toCorePath(native: string): string {
  const abs = path.resolve(native);
  return path.sep === '\\' ? '/' + abs.replace(/\\/g, '/').replace(/^\/?([A-Za-z]):/, '$1:') : abs;
}

/** Native path from a core-style path. */
export function toNativePath(core: string): string {
  if (path.sep === '\\') return core.replace(/^\/([A-Za-z]:)/, '$1').replace(/\//g, '\\');
  return core;
}

export class NodeFs implements WorkspaceFs {
  async stat(p: string): Promise<FileStat | undefined> {
    try {
      const s = await fsp.stat(toNativePath(p));
      return { type: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mtime: s.mtimeMs };
    } catch {
      // ENOENT, ELOOP, EACCES, ENOTDIR: all mean "not usable here".
      return undefined;
    }
  }

  async readFile(p: string): Promise<Uint8Array> {
    return fsp.readFile(toNativePath(p));
  }

  async readDirectory(p: string): Promise<[string, 'file' | 'directory' | 'other'][]> {
    const entries = await fsp.readdir(toNativePath(p), { withFileTypes: true });
    // Symlinks report as 'other': the walk must not follow them out of the root or round a loop.
    return entries.map((e) => [e.name, e.isFile() ? 'file' : e.isDirectory() ? 'directory' : 'other']);
  }

  async realpath(p: string): Promise<string> {
    return toCorePath(await fsp.realpath(toNativePath(p)));
  }
}
