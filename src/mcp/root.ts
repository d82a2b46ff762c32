/**
 * The one folder the MCP server serves. Every path an agent sends is resolved here: relative to the
 * root, `..` segments refused, absolute paths only when inside it, and symlinks followed to their real
 * location, which must stay inside too. Nothing outside the root is ever read or written.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TRACKER_FILE, YAML_FILE } from '../core/files';
import { locate, TrackerError } from '../node/trackers';

export class OutsideRootError extends TrackerError {}

export class Root {
  private constructor(
    /** The root's real path (symlinks resolved). */
    readonly real: string,
    /** The root as given (absolute), to accept absolute inputs written against it. */
    readonly given: string,
  ) {}

  static async open(dir: string): Promise<Root> {
    const given = path.resolve(dir);
    let real: string;
    try {
      real = await fsp.realpath(given);
    } catch {
      throw new TrackerError(`--root ${dir}: no such folder`);
    }
    if (!(await fsp.stat(real)).isDirectory()) throw new TrackerError(`--root ${dir}: not a folder`);
    return new Root(real, given);
  }

  /** True when `real` (a real path) is the root or inside it. */
  contains(real: string): boolean {
    const r = path.relative(this.real, real);
    return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
  }

  /** The root-relative, '/'-separated label of a path inside the root (`.` for the root). */
  label(p: string): string {
    const r = path.relative(this.real, p);
    return r === '' ? '.' : r.split(path.sep).join('/');
  }

  /**
   * The real path of `input` (relative to the root, or absolute inside it). Refuses `..` segments,
   * paths outside the root, and paths whose real location (after symlinks) is outside it.
   */
  async resolve(input: string): Promise<string> {
    const raw = input.trim() === '' ? '.' : input.trim();
    if (raw.includes('\0')) throw new OutsideRootError(`${JSON.stringify(input)}: not a path`);
    if (raw.split(/[\\/]+/).includes('..')) throw new OutsideRootError(`${raw}: ".." is not allowed; give a path inside the root ${this.real}`);
    let abs: string;
    if (path.isAbsolute(raw)) {
      const norm = path.resolve(raw);
      const underGiven = path.relative(this.given, norm);
      const underReal = path.relative(this.real, norm);
      const inside = (r: string) => r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
      if (!inside(underGiven) && !inside(underReal)) throw new OutsideRootError(`${raw}: outside the root ${this.real}; nothing there is read`);
      abs = inside(underReal) ? norm : path.join(this.real, underGiven);
    } else abs = path.resolve(this.real, raw);
    let real: string;
    try {
      real = await fsp.realpath(abs);
    } catch {
      // Refuse escapes before saying "not found", so a dangling link out of the root reveals nothing.
      throw new TrackerError(`${raw}: no such file or folder under the root`);
    }
    if (!this.contains(real)) throw new OutsideRootError(`${raw}: resolves (through a symbolic link) outside the root ${this.real}; refused`);
    return real;
  }

  /** The tracker pair of `input` (its markdown, its YAML or their folder), every file inside the root. */
  async tracker(input: string): Promise<{ md: string; yaml?: string; label: string }> {
    const real = await this.resolve(input);
    const st = await fsp.stat(real);
    if (st.isFile() && !/\.(md|markdown|ya?ml)$/i.test(real)) throw new TrackerError(`${input}: not a tracker (expected ${TRACKER_FILE}, ${YAML_FILE} or a folder holding them)`);
    const { md, yaml } = await locate(real);
    const mdReal = await fsp.realpath(md);
    if (!this.contains(mdReal)) throw new OutsideRootError(`${input}: its ${TRACKER_FILE} resolves outside the root; refused`);
    let yamlReal: string | undefined;
    if (yaml) {
      yamlReal = await fsp.realpath(yaml);
      if (!this.contains(yamlReal)) throw new OutsideRootError(`${input}: its ${YAML_FILE} resolves outside the root; refused`);
    }
    return { md: mdReal, yaml: yamlReal, label: this.label(mdReal) };
  }
}
