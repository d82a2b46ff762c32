/**
 * Glob matching for `files.exclude` (the extension) and `worktracker.validate.ignore` / `--ignore`
 * (analyze), one matcher so both mean the same; VS Code has no public matcher for a bare path.
 * Supports `**`, `*`, `?`, `{a,b}` and `[...]`.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches anything.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces > 0) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  const r = new RegExp(`^${re}$`);
  cache.set(glob, r);
  return r;
}

/**
 * True when `relPath` (workspace-relative, `/`-separated) matches the glob. A glob without a slash
 * also matches a bare name anywhere, and a match on a folder covers everything under it, as in
 * `files.exclude`.
 */
export function matchGlob(glob: string, relPath: string): boolean {
  const g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!g) return false;
  const p = relPath.replace(/^\.\//, '');
  const segments = p.split('/');
  const re = globToRegExp(g);
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('/');
    if (re.test(prefix)) return true;
    if (!g.includes('/') && re.test(segments[i - 1])) return true;
  }
  return false;
}

export function matchAny(globs: readonly string[], relPath: string): boolean {
  return globs.some((g) => matchGlob(g, relPath));
}
