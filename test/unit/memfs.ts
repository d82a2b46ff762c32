/**
 * An in-memory WorkspaceFs for tests: files, folders and symlinks under absolute '/'-separated paths.
 * Every call is recorded in `calls` so tests can assert what was (not) touched.
 */
import * as posix from 'node:path/posix';
import type { FileStat, WorkspaceFs } from '../../src/core/model';

type Node = { type: 'file'; data: Uint8Array; mtime: number } | { type: 'directory'; mtime: number } | { type: 'symlink'; target: string };

export class MemoryFs implements WorkspaceFs {
  private readonly nodes = new Map<string, Node>();
  readonly calls: { op: 'stat' | 'readFile' | 'readDirectory' | 'realpath'; path: string }[] = [];
  /** Set to false to act like a file system without realpath support. */
  realpathSupported = true;

  constructor(files: Record<string, string> = {}) {
    this.nodes.set('/', { type: 'directory', mtime: 0 });
    for (const [p, text] of Object.entries(files)) this.writeFile(p, text);
  }

  private ensureDir(dir: string): void {
    if (this.nodes.has(dir)) return;
    this.ensureDir(posix.dirname(dir));
    this.nodes.set(dir, { type: 'directory', mtime: 0 });
  }

  writeFile(p: string, text: string): this {
    const n = posix.normalize(p);
    if (n.endsWith('/')) {
      this.ensureDir(n.replace(/\/$/, '') || '/');
      return this;
    }
    this.ensureDir(posix.dirname(n));
    this.nodes.set(n, { type: 'file', data: new TextEncoder().encode(text), mtime: Date.now() });
    return this;
  }

  /** Deletes a file, or a folder with everything in it. */
  remove(p: string): this {
    const n = posix.normalize(p);
    for (const k of [...this.nodes.keys()]) if (k === n || k.startsWith(n + '/')) this.nodes.delete(k);
    return this;
  }

  mkdir(p: string): this {
    this.ensureDir(posix.normalize(p));
    return this;
  }

  symlink(p: string, target: string): this {
    const n = posix.normalize(p);
    this.ensureDir(posix.dirname(n));
    this.nodes.set(n, { type: 'symlink', target });
    return this;
  }

  /** Follows symlinks component by component; throws ENOENT / ELOOP like the real thing. */
  private resolveReal(p: string): string {
    const parts = posix.normalize(p).split('/').filter(Boolean);
    let cur = '/';
    let hops = 0;
    while (parts.length > 0) {
      const name = parts.shift()!;
      const next = posix.join(cur, name);
      const node = this.nodes.get(next);
      if (!node) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      if (node.type === 'symlink') {
        if (++hops > 40) throw Object.assign(new Error(`ELOOP: ${p}`), { code: 'ELOOP' });
        const target = node.target.startsWith('/') ? node.target : posix.join(cur, node.target);
        parts.unshift(...posix.normalize(target).split('/').filter(Boolean));
        cur = '/';
        continue;
      }
      cur = next;
    }
    return cur;
  }

  async stat(p: string): Promise<FileStat | undefined> {
    this.calls.push({ op: 'stat', path: p });
    let real: string;
    try {
      real = this.resolveReal(p);
    } catch {
      return undefined;
    }
    const node = this.nodes.get(real);
    if (!node || node.type === 'symlink') return undefined;
    return { type: node.type, size: node.type === 'file' ? node.data.length : 0, mtime: node.mtime };
  }

  async readFile(p: string): Promise<Uint8Array> {
    this.calls.push({ op: 'readFile', path: p });
    const node = this.nodes.get(this.resolveReal(p));
    if (!node || node.type !== 'file') throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return node.data;
  }

  async readDirectory(p: string): Promise<[string, 'file' | 'directory' | 'other'][]> {
    this.calls.push({ op: 'readDirectory', path: p });
    const dir = this.resolveReal(p);
    const prefix = dir === '/' ? '/' : dir + '/';
    const out: [string, 'file' | 'directory' | 'other'][] = [];
    for (const [k, node] of this.nodes) {
      if (k === dir || !k.startsWith(prefix) || k.slice(prefix.length).includes('/')) continue;
      let type: 'file' | 'directory' | 'other' = node.type === 'symlink' ? 'other' : node.type;
      if (node.type === 'symlink') {
        try {
          const t = this.nodes.get(this.resolveReal(k));
          type = t && t.type !== 'symlink' ? t.type : 'other';
        } catch {
          type = 'other';
        }
      }
      out.push([k.slice(prefix.length), type]);
    }
    return out;
  }

  realpath?: (p: string) => Promise<string> = async (p: string) => {
    this.calls.push({ op: 'realpath', path: p });
    if (!this.realpathSupported) throw new Error('unsupported');
    return this.resolveReal(p);
  };

  /** Every path handed to stat/readFile/realpath/readDirectory. */
  touched(): string[] {
    return this.calls.map((c) => c.path);
  }
}
