/**
 * Safe writes for the CLI: a lock file per target (O_EXCL), a temporary file in the same folder,
 * and a compare-before-rename so a change made by someone else since we read the file is never
 * silently overwritten.
 */
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A file as read: its bytes, decoded text (BOM kept at offset 0) and mode. */
export interface Snapshot {
  path: string;
  bytes: Buffer;
  text: string;
  mode: number;
}

export class WriteError extends Error {
  constructor(
    message: string,
    readonly file: string,
    /** 3: the file changed under us or is locked; 4: the write itself failed. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Decodes UTF-8 strictly: a file we cannot decode exactly is a file we must not rewrite. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new WriteError(`${file}: not valid UTF-8 text`, file, 2);
  }
}

export async function readSnapshot(file: string): Promise<Snapshot> {
  const bytes = await fsp.readFile(file);
  const st = await fsp.stat(file);
  return { path: file, bytes, text: decodeUtf8(bytes, file), mode: st.mode & 0o7777 };
}

/** Test seam: lets tests make a chosen write fail after its temporary file is written. */
export interface WriteHooks {
  beforeRename?(target: string): Promise<void> | void;
}

function envHooks(): WriteHooks {
  // Used by the CLI tests to simulate a failing disk for one file name (never set in normal use).
  const fail = process.env.WORKTRACKER_TEST_FAIL_RENAME;
  if (!fail) return {};
  return {
    beforeRename(target) {
      if (path.basename(target) === fail) throw new Error('simulated write failure');
    },
  };
}

/**
 * Replaces `snap.path` with `text` unless the file changed since `snap` was read: the new content
 * goes to a temporary file beside it, the original is re-read and compared byte for byte, then the
 * temporary file is renamed over it (atomic on one file system) keeping the original's mode.
 */
export async function writeIfUnchanged(snap: Snapshot, text: string, hooks: WriteHooks = envHooks()): Promise<void> {
  const dir = path.dirname(snap.path);
  const tmp = path.join(dir, `.${path.basename(snap.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fsp.writeFile(tmp, text, { encoding: 'utf8', mode: snap.mode, flag: 'wx' });
    await fsp.chmod(tmp, snap.mode);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw new WriteError(`${snap.path}: cannot write a temporary file in ${dir}: ${errMessage(e)}`, snap.path, 4);
  }
  try {
    let current: Buffer;
    try {
      current = await fsp.readFile(snap.path);
    } catch (e) {
      throw new WriteError(`${snap.path}: cannot re-read before writing: ${errMessage(e)}`, snap.path, 3);
    }
    if (!current.equals(snap.bytes)) {
      throw new WriteError(`${snap.path}: changed on disk since it was read; nothing written to it. Run the command again.`, snap.path, 3);
    }
    try {
      await hooks.beforeRename?.(snap.path);
      await fsp.rename(tmp, snap.path);
    } catch (e) {
      throw new WriteError(`${snap.path}: write failed: ${errMessage(e)}`, snap.path, 4);
    }
  } finally {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}

function errMessage(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (e instanceof Error && typeof code === 'string') return `${code} ${e.message.replace(/^[A-Z]+: /, '')}`;
  return e instanceof Error ? e.message : String(e);
}

export interface Lock {
  release(): Promise<void>;
}

/**
 * Takes `FILE.lock` (created with O_EXCL). Waits up to `waitMs` for another run to finish; a lock
 * older than `staleMs` is left over from a crashed run and is taken over.
 */
export async function acquireLock(file: string, waitMs = 5000, staleMs = 60000): Promise<Lock> {
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const h = await fsp.open(lockPath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      await h.writeFile(`${process.pid}\n`);
      await h.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await fsp.rm(lockPath, { force: true }).catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') {
        throw new WriteError(`${file}: cannot create lock file ${lockPath}: ${errMessage(e)}`, file, 4);
      }
      const st = await fsp.stat(lockPath).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > staleMs) {
        await fsp.rm(lockPath, { force: true }).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new WriteError(`${file}: locked by another worktracker run (${lockPath}); try again, or delete the lock if no run is active`, file, 3);
      }
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    }
  }
}

/**
 * Writes several files (the markdown, then the YAML). When one fails after others were written,
 * the error says exactly which were written and which were not.
 */
export async function writeAll(items: { snap: Snapshot; text: string }[], hooks?: WriteHooks): Promise<string[]> {
  const written: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const { snap, text } = items[i];
    if (text === snap.text) continue;
    try {
      await writeIfUnchanged(snap, text, hooks);
      written.push(snap.path);
    } catch (e) {
      const err = e instanceof WriteError ? e : new WriteError(`${snap.path}: ${errMessage(e)}`, snap.path, 4);
      const notWritten = items.slice(i).filter((x) => x.text !== x.snap.text).map((x) => x.snap.path);
      if (written.length > 0) {
        err.message += ` — already written: ${written.join(', ')}; NOT written: ${notWritten.join(', ')}`;
      }
      throw err;
    }
  }
  return written;
}
