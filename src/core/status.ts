/**
 * Statuses: every status set and word list lives here (what a status means, which statuses are
 * finished, which class a status belongs to, the phrases and emoji a file may write), plus the
 * dialect: maps any raw status spelling onto the canonical `Status`, learns how one file spells
 * its statuses, and spells a status back in that file's own style. Pure; anyone may import it.
 * scripts/ext/make-grammar.mjs reads PHRASES and STATUS_COLOUR from this file's text: keep both
 * literal tables (`['WORD', 'STATUS'],` rows and `STATUS: 'colour',` entries).
 *
 * The decision is made by the *leading* status word (after any leading emoji), falling back to the
 * leading emoji, so `⏳ BLOCKED` is BLOCKED while a bare `⏳` is PENDING, and any summary after the
 * status word (`COMPLETE - 3 findings`, `BLOCKED (by Phase 1)`) is ignored.
 */
import type { Dialect, Status } from './model';
import { remembered } from './memo';

/** Finished: nothing more will happen (done, or dropped). Progress counts these as done. */
export const FINISHED: ReadonlySet<Status> = new Set<Status>(['COMPLETE', 'SKIPPED', 'CANCELLED']);

export function isFinished(s: Status | undefined): boolean {
  return s !== undefined && FINISHED.has(s);
}

/**
 * What a status says about the work: `done`, going (`active`), not begun (`waiting`: pending, ready
 * or blocked, used interchangeably for work not started), `failed`, `dropped` (skipped, cancelled).
 */
export type StatusClass = 'done' | 'active' | 'waiting' | 'failed' | 'dropped' | 'unknown';

export const STATUS_CLASS: Readonly<Record<Status, StatusClass>> = {
  PENDING: 'waiting',
  READY: 'waiting',
  BLOCKED: 'waiting',
  IN_PROGRESS: 'active',
  COMPLETE: 'done',
  FAILED: 'failed',
  SKIPPED: 'dropped',
  CANCELLED: 'dropped',
  UNKNOWN: 'unknown',
};

export function statusClass(s: Status): StatusClass {
  return STATUS_CLASS[s];
}

/** The grammar's colour group per status (blocked apart from waiting); read by make-grammar.mjs. */
export const STATUS_COLOUR: Readonly<Partial<Record<Status, string>>> = {
  COMPLETE: 'complete',
  IN_PROGRESS: 'progress',
  PENDING: 'pending',
  READY: 'pending',
  BLOCKED: 'blocked',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  CANCELLED: 'skipped',
};

/** Status phrases (upper case, words separated by one space). Longest phrases are tried first. */
const PHRASES: [string, Status][] = [
  ['NOT STARTED', 'PENDING'],
  ['NOT YET STARTED', 'PENDING'],
  ['NOT RUN', 'PENDING'],
  ['NOT APPLICABLE', 'SKIPPED'],
  ['NOT NEEDED', 'SKIPPED'],
  ['NOT REQUIRED', 'SKIPPED'],
  ['TO DO', 'PENDING'],
  ['TODO', 'PENDING'],
  ['TBD', 'PENDING'],
  ['PENDING', 'PENDING'],
  ['QUEUED', 'PENDING'],
  ['WAITING', 'PENDING'],
  ['PLANNED', 'PENDING'],
  ['SCHEDULED', 'PENDING'],
  ['UPCOMING', 'PENDING'],
  ['NEW', 'PENDING'],
  ['READY', 'READY'],
  ['UNBLOCKED', 'READY'],
  ['IN PROGRESS', 'IN_PROGRESS'],
  ['INPROGRESS', 'IN_PROGRESS'],
  ['IN REVIEW', 'IN_PROGRESS'],
  ['UNDER REVIEW', 'IN_PROGRESS'],
  ['ON TRACK', 'IN_PROGRESS'],
  ['ACTIVE', 'IN_PROGRESS'],
  ['RUNNING', 'IN_PROGRESS'],
  ['ONGOING', 'IN_PROGRESS'],
  ['EXECUTING', 'IN_PROGRESS'],
  ['STARTED', 'IN_PROGRESS'],
  ['WIP', 'IN_PROGRESS'],
  ['PARTIAL', 'IN_PROGRESS'],
  ['REVISING', 'IN_PROGRESS'],
  ['COMPLETED', 'COMPLETE'],
  ['VALIDATED', 'COMPLETE'],
  ['RELEASED', 'COMPLETE'],
  ['SHIPPED', 'COMPLETE'],
  ['PUBLISHED', 'COMPLETE'],
  ['INCOMPLETE', 'IN_PROGRESS'],
  ['DRAFT', 'IN_PROGRESS'],
  ['AWAITING', 'PENDING'],
  ['PROPOSED', 'PENDING'],
  ['HALTED', 'BLOCKED'],
  ['COMPLETE', 'COMPLETE'],
  ['DONE', 'COMPLETE'],
  ['FINISHED', 'COMPLETE'],
  ['PASSED', 'COMPLETE'],
  ['PASS', 'COMPLETE'],
  ['CONDITIONAL PASS', 'COMPLETE'],
  ['APPROVED', 'COMPLETE'],
  ['ACCEPTED', 'COMPLETE'],
  ['VERIFIED', 'COMPLETE'],
  ['RESOLVED', 'COMPLETE'],
  ['MERGED', 'COMPLETE'],
  ['DELIVERED', 'COMPLETE'],
  ['SUCCESS', 'COMPLETE'],
  ['SUCCEEDED', 'COMPLETE'],
  ['CLOSED', 'COMPLETE'],
  ['BLOCKED', 'BLOCKED'],
  ['ON HOLD', 'BLOCKED'],
  ['PAUSED', 'BLOCKED'],
  ['STUCK', 'BLOCKED'],
  ['ESCALATED', 'BLOCKED'],
  ['FAILED', 'FAILED'],
  ['FAILURE', 'FAILED'],
  ['FAIL', 'FAILED'],
  ['ERROR', 'FAILED'],
  ['REJECTED', 'FAILED'],
  ['SKIPPED', 'SKIPPED'],
  ['SKIP', 'SKIPPED'],
  ['DEFERRED', 'SKIPPED'],
  ['N/A', 'SKIPPED'],
  ['NA', 'SKIPPED'],
  ['OMITTED', 'SKIPPED'],
  ['CANCELLED', 'CANCELLED'],
  ['CANCELED', 'CANCELLED'],
  ['ABORTED', 'CANCELLED'],
  ['ABANDONED', 'CANCELLED'],
  ['SUPERSEDED', 'CANCELLED'],
  ['WITHDRAWN', 'CANCELLED'],
];
PHRASES.sort((a, b) => b[0].length - a[0].length);

/** Emoji / symbols that carry a status on their own (variation selectors are stripped first). */
const EMOJI: Record<string, Status> = {
  '✅': 'COMPLETE',
  '✔': 'COMPLETE',
  '✓': 'COMPLETE',
  '☑': 'COMPLETE',
  '🟢': 'COMPLETE',
  '💚': 'COMPLETE',
  '🏁': 'COMPLETE',
  '🔄': 'IN_PROGRESS',
  '🟡': 'IN_PROGRESS',
  '🚧': 'IN_PROGRESS',
  '🔁': 'IN_PROGRESS',
  '▶': 'IN_PROGRESS',
  '🏃': 'IN_PROGRESS',
  '⚙': 'IN_PROGRESS',
  '🔵': 'IN_PROGRESS',
  '⏳': 'PENDING',
  '⌛': 'PENDING',
  '⬜': 'PENDING',
  '☐': 'PENDING',
  '⚪': 'PENDING',
  '🕐': 'PENDING',
  '⏸': 'BLOCKED',
  '❌': 'FAILED',
  '✗': 'FAILED',
  '✘': 'FAILED',
  '🔴': 'FAILED',
  '💥': 'FAILED',
  '🚫': 'BLOCKED',
  '🔒': 'BLOCKED',
  '⛔': 'BLOCKED',
  '🛑': 'BLOCKED',
  '⚠': 'BLOCKED',
  '⏭': 'SKIPPED',
  '➖': 'SKIPPED',
  '🗑': 'CANCELLED',
};

const DEFAULT_EMOJI: Record<Status, string> = {
  PENDING: '⏳',
  READY: '⏳',
  IN_PROGRESS: '🔄',
  COMPLETE: '✅',
  BLOCKED: '🔒',
  FAILED: '❌',
  SKIPPED: '⏭️',
  CANCELLED: '🚫',
  UNKNOWN: '❔',
};

/** Canonical word written for a status when the file shows no spelling of its own. */
const CANONICAL_WORD: Record<Status, string> = {
  PENDING: 'PENDING',
  READY: 'READY',
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETE',
  BLOCKED: 'BLOCKED',
  FAILED: 'FAILED',
  SKIPPED: 'SKIPPED',
  CANCELLED: 'CANCELLED',
  UNKNOWN: 'UNKNOWN',
};

export function statusEmoji(status: Status): string {
  return DEFAULT_EMOJI[status];
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && /\p{L}/u.test(String.fromCharCode(c)));
}

/** True for code points that are emoji / pictographic symbols (never letters, digits or punctuation). */
function isSymbol(ch: string): boolean {
  return /[\p{Extended_Pictographic}\p{So}\u2713\u2714\u2717\u2718]/u.test(ch);
}

/** Markup that may wrap a status without being part of it. */
function isWrapper(c: number): boolean {
  return c === 42 /* * */ || c === 96 /* ` */ || c === 126 /* ~ */ || c === 95 /* _ */ || c === 32 || c === 9 || c === 0xa0;
}

/** How one raw status text is built: where its status core is, and what style it uses. */
export interface StatusParts {
  status: Status;
  /** [start, end) of the status core in raw: leading emoji + word(s) + directly trailing emoji, no suffix. */
  start: number;
  end: number;
  /** The status word(s) as written (`DONE`, `in_progress`), when there is one. */
  word?: string;
  /** The emoji as written (with its variation selector), when there is one. */
  emoji?: string;
  emojiPlace: 'lead' | 'trail' | 'alone' | 'none';
}

/** Reads one emoji cluster (code point + variation selectors / ZWJ parts) at i; '' when none. */
function emojiAt(raw: string, i: number): string {
  const cp = raw.codePointAt(i);
  if (cp === undefined) return '';
  const ch = String.fromCodePoint(cp);
  if (!isSymbol(ch)) return '';
  let j = i + ch.length;
  while (j < raw.length) {
    const c = raw.charCodeAt(j);
    if (c === 0xfe0f || c === 0xfe0e || c === 0x20e3) j++;
    else if (c === 0x200d) {
      const n = raw.codePointAt(j + 1);
      j += 1 + (n !== undefined && n > 0xffff ? 2 : n !== undefined ? 1 : 0);
    } else break;
  }
  return raw.slice(i, j);
}

function emojiStatus(e: string): Status | undefined {
  const cp = e.codePointAt(0);
  if (cp === undefined) return undefined;
  return EMOJI[String.fromCodePoint(cp)];
}

/** Matches a known phrase at position i of raw (case-insensitive, `_`/`-`/space interchangeable). */
function phraseAt(raw: string, i: number): { status: Status; end: number } | undefined {
  // Normalise a bounded window only: statuses are short and cells may be huge.
  const window = raw.slice(i, i + 40);
  const norm = window.toUpperCase().replace(/[_\-\s]/g, ' ');
  for (const [p, s] of PHRASES) {
    if (norm.startsWith(p)) {
      const after = norm.charCodeAt(p.length);
      if (!Number.isNaN(after) && (isAlnum(after) || after === 47)) continue;
      return { status: s, end: i + p.length };
    }
  }
  // Pipeline form: PHASE_2_IN_PROGRESS -> the pipeline is working through its phases.
  const m = /^PHASE[ _-]?\d+[ _-]+/i.exec(window);
  if (m) {
    const inner = phraseAt(raw, i + m[0].length);
    if (inner) return { status: inner.status === 'COMPLETE' ? 'IN_PROGRESS' : inner.status, end: inner.end };
  }
  // A percentage alone (`50%`, `100%`) is progress.
  const pct = /^(\d{1,3})(?:\.\d+)?\s?%/.exec(window);
  if (pct) {
    const n = Number(pct[1]);
    return { status: n >= 100 ? 'COMPLETE' : n <= 0 ? 'PENDING' : 'IN_PROGRESS', end: i + pct[0].length };
  }
  return undefined;
}

/** Cells split once per text: every re-parse while typing classifies the same cells again. */
const splitOnce = remembered(split, { longest: 200 });

/** Splits a raw status text into its status core and style; UNKNOWN with an empty core if none. */
export function splitStatus(raw: string): StatusParts {
  // A copy: nothing a caller does reaches the remembered answer.
  return { ...splitOnce(raw) };
}

function split(raw: string): StatusParts {
  const n = raw.length;
  let i = 0;
  let leadEmoji = '';
  let leadStart = -1;
  // Skip markup and leading emoji (keeping the first emoji seen).
  for (let guard = 0; i < n && guard < 64; guard++) {
    const c = raw.charCodeAt(i);
    if (isWrapper(c)) {
      i++;
      continue;
    }
    const e = emojiAt(raw, i);
    if (e) {
      if (!leadEmoji && emojiStatus(e)) {
        leadEmoji = e;
        leadStart = i;
      }
      i += e.length;
      continue;
    }
    break;
  }
  const wordStart = i;
  const phrase = i < n ? phraseAt(raw, i) : undefined;
  if (phrase) {
    const word = raw.slice(wordStart, phrase.end);
    // A directly trailing emoji (`APPROVED ✅`, `IN PROGRESS 🔄`) is part of the core.
    let j = phrase.end;
    while (j < n && (raw.charCodeAt(j) === 32 || raw.charCodeAt(j) === 42)) j++;
    const trail = emojiAt(raw, j);
    if (leadEmoji) {
      return { status: phrase.status, start: leadStart, end: phrase.end, word, emoji: leadEmoji, emojiPlace: 'lead' };
    }
    if (trail && emojiStatus(trail)) {
      return { status: phrase.status, start: wordStart, end: j + trail.length, word, emoji: trail, emojiPlace: 'trail' };
    }
    return { status: phrase.status, start: wordStart, end: phrase.end, word, emojiPlace: 'none' };
  }
  if (leadEmoji) {
    const s = emojiStatus(leadEmoji) as Status;
    return { status: s, start: leadStart, end: leadStart + leadEmoji.length, emoji: leadEmoji, emojiPlace: 'alone' };
  }
  return { status: 'UNKNOWN', start: 0, end: 0, emojiPlace: 'none' };
}

export function toStatus(raw: string): Status {
  try {
    return splitStatus(raw).status;
  } catch {
    return 'UNKNOWN';
  }
}

type Case = 'upper' | 'lower' | 'title';

function caseOf(word: string): Case {
  if (word === word.toUpperCase()) return 'upper';
  if (word === word.toLowerCase()) return 'lower';
  return 'title';
}

function applyCase(word: string, c: Case): string {
  if (c === 'upper') return word.toUpperCase();
  if (c === 'lower') return word.toLowerCase();
  return word.toLowerCase().replace(/(^|[ _-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

function separatorOf(word: string): string | undefined {
  const m = /[ _-]/.exec(word);
  return m ? m[0] : undefined;
}

/**
 * The most counted key of a running tally; a tie goes to the key counted first. Not edits'
 * `mostCommon` (a list, where a tie goes to the value that reached the count first): the dialect
 * learner's ties would change.
 */
function mostCounted<T>(counts: Map<T, number>): T | undefined {
  let best: T | undefined;
  let bestN = 0;
  for (const [k, v] of counts) {
    if (v > bestN) {
      best = k;
      bestN = v;
    }
  }
  return best;
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * Learns a file's status dialect from the raw status texts it contains. Every canonical status gets
 * a spelling: the one the file uses most for it, or one built in the file's prevailing style
 * (emoji placement, case, word separator) for statuses the file has not used yet.
 */
export function learnDialect(samples: readonly string[], legend?: readonly { symbol: string; meaning: string }[]): Dialect {
  const spellings = new Map<Status, Map<string, number>>();
  const emojis = new Map<Status, Map<string, number>>();
  const places = new Map<StatusParts['emojiPlace'], number>();
  const cases = new Map<Case, number>();
  const seps = new Map<string, number>();
  for (const raw of samples) {
    const p = splitStatus(raw);
    if (p.status === 'UNKNOWN') continue;
    const core = raw.slice(p.start, p.end).replace(/[*`~]/g, '').trim();
    // Percentages and `PHASE_2_…` forms say where work is, not how the file spells the status.
    const spellable = !p.word || !/^(\d|phase)/i.test(p.word);
    if (spellable) {
      if (!spellings.has(p.status)) spellings.set(p.status, new Map());
      bump(spellings.get(p.status)!, core);
    }
    if (p.emoji) {
      if (!emojis.has(p.status)) emojis.set(p.status, new Map());
      bump(emojis.get(p.status)!, p.emoji);
    }
    bump(places, p.emojiPlace);
    if (p.word && /\p{L}/u.test(p.word)) {
      bump(cases, caseOf(p.word));
      const sep = separatorOf(p.word);
      if (sep) bump(seps, sep);
    }
  }
  const emoji: Partial<Record<Status, string>> = {};
  for (const [s, m] of emojis) {
    const e = mostCounted(m);
    if (e) emoji[s] = e;
  }
  // A Legend table is the file's own declaration: it wins over usage.
  if (legend && legend.length > 0) {
    for (const s of STATUS_LIST) {
      const e = legendFirst(legend, s);
      if (e) emoji[s] = e;
    }
  }
  const place = mostCounted(places) ?? 'none';
  const wordCase = mostCounted(cases) ?? 'upper';
  const sep = mostCounted(seps) ?? '_';
  const spelling: Partial<Record<Status, string>> = {};
  for (const [s, m] of spellings) {
    const best = mostCounted(m);
    if (best) spelling[s] = best;
  }
  for (const s of STATUS_LIST) {
    if (spelling[s]) continue;
    const word = applyCase(CANONICAL_WORD[s].replace(/_/g, sep), wordCase);
    spelling[s] = compose(word, emoji[s] ?? DEFAULT_EMOJI[s], place);
  }
  return { spelling, emoji, dateStyle: 'unknown' };
}

/** The first legend row's emoji for a status (legend order is the author's order). */
function legendFirst(legend: readonly { symbol: string; meaning: string }[], s: Status): string | undefined {
  for (const row of legend) {
    const e = emojiAt(row.symbol.trim(), 0) || row.symbol.trim();
    if (!e) continue;
    let rs = toStatus(row.meaning);
    if (rs === 'UNKNOWN') rs = toStatus(e);
    if (rs === s) return e;
  }
  return undefined;
}

const STATUS_LIST: readonly Status[] = ['PENDING', 'READY', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'FAILED', 'SKIPPED', 'CANCELLED'];

function compose(word: string, emoji: string, place: StatusParts['emojiPlace']): string {
  if (place === 'lead') return `${emoji} ${word}`;
  if (place === 'trail') return `${word} ${emoji}`;
  if (place === 'alone') return emoji;
  return word;
}

/**
 * What to write for `status` in this file's dialect. When the cell's previous raw text is given, its
 * shape (emoji before/after/alone/none, case, separator) is kept; the word is the one the file uses
 * for that status, and the emoji comes from the file's Legend or usage.
 */
export function spellStatus(dialect: Dialect, status: Status, previousRaw?: string): string {
  if (status === 'UNKNOWN') return previousRaw ?? 'UNKNOWN';
  const learned = dialect.spelling[status];
  const lp = learned ? splitStatus(learned) : undefined;
  const fileWord = lp?.word && lp.status === status ? lp.word : CANONICAL_WORD[status];
  const emoji = dialect.emoji[status] ?? (lp?.status === status ? lp.emoji : undefined) ?? DEFAULT_EMOJI[status];
  if (previousRaw === undefined || previousRaw.trim() === '') {
    return learned ?? CANONICAL_WORD[status];
  }
  const prev = splitStatus(previousRaw);
  if (prev.status === 'UNKNOWN') return learned ?? CANONICAL_WORD[status];
  // The learned word comes from cells of one shape (`✅ DONE`); a differently shaped place (a bare
  // heading status) often uses the plain word, so only borrow the word when the shapes agree.
  const sameShape = lp !== undefined && (lp.emojiPlace === prev.emojiPlace || (lp.emojiPlace !== 'none') === (prev.emojiPlace !== 'none'));
  let word = sameShape ? fileWord : CANONICAL_WORD[status];
  if (prev.word && /\p{L}/u.test(prev.word)) {
    word = applyCase(word, caseOf(prev.word));
    const sep = separatorOf(prev.word);
    if (sep) word = word.replace(/[ _-]/g, sep);
  }
  return compose(word, emoji, prev.emojiPlace);
}

/** Date style of Started/Completed cells: `2026-02-11` vs ISO with a time. */
export function learnDateStyle(cells: readonly string[]): Dialect['dateStyle'] {
  let date = 0;
  let iso = 0;
  for (const c of cells) {
    if (/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(c)) iso++;
    else if (/\d{4}-\d{2}-\d{2}/.test(c)) date++;
  }
  if (date === 0 && iso === 0) return 'unknown';
  return iso > date ? 'iso' : 'date';
}

/** Status words every reader of a drawing or a metrics table knows; a file's rarer word is not written there. */
const PLAIN_WORD = /^(complete[ds]?|done|in[ _-]?progress|pending|blocked|failed|ready|skipped|cancell?ed|not[ _-]started|pass(ed)?)$/i;

/**
 * The file's spelling of a status for a derived value (a dashboard line, a metrics Status cell), in
 * the shape of the text it replaces. A word of the file's own that only its tables use
 * (`EXECUTING`, `WIP`) gives way to the plain word, in the case of the replaced text.
 */
export function spellDerived(dialect: Dialect, status: Status, previousRaw: string): string {
  const spelled = spellStatus(dialect, status, previousRaw);
  const word = splitStatus(spelled).word;
  if (!word || PLAIN_WORD.test(word.trim())) return spelled;
  return spellStatus({ ...dialect, spelling: {} }, status, previousRaw);
}
