/**
 * Path heuristics on text alone, before any file access: which written tokens and values are paths
 * (`isPathToken` for the markdown reader, `isPathValue` for the YAML reader, `looksLikePath` for
 * code spans), their cleaned form, their lexical class (URL, absolute, placeholder, pattern, escape,
 * relative) and containment. Public through `./index.ts`.
 */
import { remembered } from '../memo';

/** Lexical classification, before any file access. */
export type PathClass =
  | { kind: 'relative'; path: string }
  | { kind: 'url' }
  | { kind: 'absolute' }
  | { kind: 'placeholder' }
  | { kind: 'pattern' }
  | { kind: 'escapes-root'; reason: string };

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Strips link decorations (`<...>`, `#fragment`, `?query`, `./`) that are not part of the file name. */
export function cleanPath(raw: string): string {
  let p = raw.trim();
  // A reader may hand over an inline code span with its backticks.
  if (p.length >= 2 && p.startsWith('`') && p.endsWith('`')) p = p.replace(/^`+|`+$/g, '').trim();
  if (p.startsWith('<') && p.endsWith('>')) p = p.slice(1, -1).trim();
  if (/^[a-z][a-z0-9+.-]+:/i.test(p)) return p; // keep URLs whole for classification
  const hash = p.indexOf('#');
  if (hash > 0) p = p.slice(0, hash);
  const q = p.indexOf('?');
  if (q > 0) p = p.slice(0, q);
  return p;
}

/** A path text's class, worked out once per text (every analysis while typing asks again). */
export const classifyPath = remembered((raw: string): Readonly<PathClass> => Object.freeze(classifyPathOf(raw)));

function classifyPathOf(raw: string): PathClass {
  const p = cleanPath(raw);
  // Control characters (NUL included) can truncate paths in lower layers: never pass them on.
  if (/[\u0000-\u001f]/.test(p)) return { kind: 'escapes-root', reason: 'contains a control character' };
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(p);
  if (scheme) {
    return SAFE_SCHEMES.has(scheme[1].toLowerCase())
      ? { kind: 'url' }
      : { kind: 'escapes-root', reason: `uses the \`${scheme[1]}:\` scheme` };
  }
  if (/[{}]/.test(p) || /\$\{/.test(p)) return { kind: 'placeholder' };
  if (p.startsWith('~')) return { kind: 'escapes-root', reason: 'starts with `~` (home folder)' };
  if (/^[a-z]:([\\/]|$)/i.test(p) || p.startsWith('\\\\')) return { kind: 'absolute' };
  if (p.includes('\\')) return { kind: 'escapes-root', reason: 'contains a backslash' };
  if (p.startsWith('/')) return { kind: 'absolute' };
  if (/[*?[\]]/.test(p)) return { kind: 'pattern' };
  // `orchestration/.../ps/x.md` abbreviates a path on purpose; it names no single file.
  if (/(^|\/)(\.{3,}|[^/]*\u2026[^/]*)(\/|$)/.test(p)) return { kind: 'pattern' };
  if (p === '' || p === '.' || p === './') return { kind: 'pattern' };
  return { kind: 'relative', path: p };
}

/**
 * Whether text written in a tracker reads as a file path (vs an inline-code word, a command or a
 * number). A reader hands us every inline code span it saw; prose like `keywords` or `uv run pytest`
 * must not become a missing-file finding.
 */
export function looksLikePath(raw: string): boolean {
  const p = cleanPath(raw);
  if (p.length === 0 || p.length > 1024) return false;
  if (/^[a-z][a-z0-9+.-]+:/i.test(p)) return true; // URL-ish, classified later
  if (/\s/.test(p)) return false;
  if (/[(),;=`'"|]/.test(p)) return false;
  if (p.includes('/') || p.includes('\\')) {
    // `a/b` ratios, `3/4`, `N/A`, `ps→nse` style directions are not paths.
    if (/^[\d./]+$/.test(p)) return false;
    if (/^n\/a$/i.test(p)) return false;
    if (/^[A-Za-z0-9-]+\/[A-Za-z0-9-]+$/.test(p) && !/[.]/.test(p) && p.split('/')[0].length < 3) return false;
    return true;
  }
  // A bare name needs a file extension with a letter in it: `foo.md`, `plugin.schema.json`.
  return /^[^/]*[A-Za-z0-9_-]\.[A-Za-z][A-Za-z0-9]{0,5}$/.test(p) && !/^v?\d+(\.\d+)+/.test(p);
}

/** URL schemes that name a local file. */
const FILE_URL = /^(?:file|vscode(?:-insiders)?):\/\/\S/i;
/** Schemes of web/remote links: never a workspace file. Other schemes (`command:`) are left to the analyzer. */
export const WEB_URL = /^(?:https?|ftps?|mailto|tel|data|ssh|git|irc|news|urn|about|javascript):/i;

/**
 * The markdown reader's test for a token in prose, a code span or a table cell: has a `/` or a file
 * extension, no spaces, no code-ish punctuation. Stricter than `looksLikePath` about what a bare word
 * may be, because it runs over every word of a cell.
 */
export function isPathToken(s: string): boolean {
  if (!s || s.length > 400 || /\s/.test(s) || /^[-=]/.test(s) || /[="'<>|;(),`]/.test(s.replace(/\{[^}]*\}/g, ''))) return false;
  // `file:`/`vscode:` URLs and drive paths point at files: report them so the analyzer can judge them.
  if (FILE_URL.test(s) || /^[A-Za-z]:[\\/]\S/.test(s)) return true;
  if (WEB_URL.test(s) || s.startsWith('#')) return false;
  if (/^[\d.,:%/x+-]+$/i.test(s)) return false;
  if (s.includes('/')) return /[\p{L}{]/u.test(s);
  return /[^./]\.[A-Za-z][A-Za-z0-9]{1,7}$/.test(s) || /[^./]\.[a-z]$/.test(s) && /^[\w.-]+\.(c|h|r|d|m)$/.test(s);
}

/**
 * The YAML reader's test for a string value under an artifact key (or in a list of them): has a `/` or
 * ends in a file extension; not a URL, not prose. A value may hold a few spaces (`docs/My Notes.md`).
 */
export function isPathValue(s: string): boolean {
  if (s.length === 0 || s.length > 1024 || /[\r\n]/.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /:\s/.test(s)) return false;
  const ext = /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(s);
  // Prose that merely mentions a slash (`3 sections (/a, /b) - ~220 lines`) is not a path.
  const spaces = (s.match(/\s/g) ?? []).length;
  if (spaces > 0 && (spaces > 2 || !ext || /[(),;]/.test(s))) return false;
  return s.includes('/') || ext;
}

export function isInside(root: string, p: string): boolean {
  const r = root.endsWith('/') ? root : root + '/';
  return p === root || p.startsWith(r);
}
/** Whether `p` is a bare file name (no folder part). */
export function isBareName(p: string): boolean {
  const c = cleanPath(p);
  return !c.includes('/') && !c.includes('\\');
}
