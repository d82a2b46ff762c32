// Writes syntaxes/worktracker.injection.tmLanguage.json from readable parts. The status words and
// their colour groups come from the reader's own vocabulary (src/core/status.ts: PHRASES and
// STATUS_COLOUR), so the colours never disagree with what the reader understands.
// Run: node scripts/ext/make-grammar.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const STATUS_SRC = readFileSync(new URL('../../src/core/status.ts', import.meta.url), 'utf8');

/** `[phrase, Status]` pairs of status.ts's PHRASES table, read from its source text. */
function readPhrases() {
  const src = STATUS_SRC;
  const start = src.indexOf('const PHRASES');
  const end = src.indexOf('];', start);
  if (start < 0 || end < 0) throw new Error('make-grammar: PHRASES not found in src/core/status.ts');
  const pairs = [...src.slice(start, end).matchAll(/\[\s*'([^']+)'\s*,\s*'([A-Z_]+)'\s*\]/g)].map((m) => [m[1], m[2]]);
  if (pairs.length < 20) throw new Error(`make-grammar: only ${pairs.length} status phrases read from src/core/status.ts`);
  return pairs;
}

/** Status -> colour group, from status.ts's STATUS_COLOUR table. */
function readColours() {
  const start = STATUS_SRC.indexOf('const STATUS_COLOUR');
  const end = STATUS_SRC.indexOf('};', start);
  if (start < 0 || end < 0) throw new Error('make-grammar: STATUS_COLOUR not found in src/core/status.ts');
  const pairs = [...STATUS_SRC.slice(start, end).matchAll(/^\s*([A-Z_]+):\s*'([a-z]+)'/gm)].map((m) => [m[1], m[2]]);
  if (pairs.length < 6) throw new Error(`make-grammar: only ${pairs.length} colour groups read from src/core/status.ts`);
  return Object.fromEntries(pairs);
}

const GROUP = readColours();
const escape = (w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '[ _-]');
const words = { complete: [], progress: [], pending: [], blocked: [], failed: [], skipped: [] };
for (const [phrase, status] of readPhrases()) {
  const g = GROUP[status];
  if (g) words[g].push(phrase);
}
// Workflow-level spellings (`PHASE_2_IN_PROGRESS`) the reader reads through its phase prefix.
words.progress.push('PHASE PROGRESS_N');
words.pending.push('PHASE PENDING_N');
for (const k of Object.keys(words)) {
  // Longest first, so `IN PROGRESS` wins over `IN`, `COMPLETED` over `COMPLETE`.
  words[k] = [...new Set(words[k])]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((w) => (w === 'PHASE PROGRESS_N' ? 'PHASE[ _-]?\\d+[ _-]IN[ _-]PROGRESS' : w === 'PHASE PENDING_N' ? 'PHASE[ _-]?\\d+[ _-]PENDING' : escape(w)));
}
const emoji = {
  complete: ['✅', '✔️?', '✓', '☑️?', '🟢'],
  progress: ['🔄', '🟡', '🚧', '🔁', '▶️?'],
  pending: ['⏳', '⌛', '⬜', '☐', '⚪'],
  blocked: ['🔒', '🚫', '⛔', '🛑', '⚠️?', '⏸️?'],
  failed: ['❌', '✗', '✘', '🔴'],
  skipped: ['⏭️?', '➖'],
};
// Standard scopes: every theme colours markup.inserted/changed/deleted and comments.
const scope = {
  complete: 'markup.inserted.status.complete.worktracker',
  progress: 'markup.changed.status.in-progress.worktracker',
  pending: 'comment.status.pending.worktracker',
  blocked: 'markup.deleted.status.blocked.worktracker',
  failed: 'markup.deleted.status.failed.worktracker',
  skipped: 'comment.status.skipped.worktracker',
};

// What may follow a status: the end of the cell or line, a reason `(…)`, a dash and a summary, an
// emoji, a number. Not a colon (`Accepted: maxLength…` is prose) and not more words (`New feature`).
const ENDS_STATUS = `(?=(?:\\*\\*)?\\s*(?:$|\\||\\(|[-—–]\\s|\\d|[^\\w\\s:|*]))`;
// A header row: two or more cells named like columns (`| Agent | Status | Started | Completed |`,
// `| Field | Value |`). It is consumed whole, so nothing in it is coloured as a status. `Started` and
// `Completed` do not count (`| Status | Completed |` is a key/value row whose value is a status).
const COLUMN_NAMES = ['Status', 'State', 'Result', 'Verdict', 'Agent', 'Agent ID', 'Agents', 'ID', '#', 'Task', 'Gate', 'Direction', 'Artifact', 'Artifacts', 'Artifact Path', 'Output Path', 'Notes', 'Phase', 'Pipeline', 'Field', 'Value', 'Metric', 'Target', 'Owner', 'Role', 'Priority', 'Dependencies', 'Description', 'Key Content', 'Score', 'Name'];
const columnCell = `\\s*(?:\\*\\*)?(?:${COLUMN_NAMES.map(escape).join('|')})(?:\\*\\*)?\\s*\\|`;
const headerRow = { match: `(?i)^\\s*\\|(?=(?:[^|]*\\|)*?${columnCell}(?:[^|]*\\|)*?${columnCell}).*$`, name: 'meta.table.header.worktracker' };

const statusInCell = Object.keys(words).map((k) => ({
  // A status word at the start of a cell (after optional emoji and bold markers).
  match: `(?i)(?<=\\|)\\s*(?:\\*\\*)?((?:${emoji[k].join('|')})\\s*)?\\b(${words[k].join('|')})\\b${ENDS_STATUS}`,
  captures: { 1: { name: scope[k] }, 2: { name: scope[k] } },
}));
// Emoji standing alone at the start or end of a cell (`| ✅ |`, `| DONE ✅ |`).
const emojiInCell = Object.keys(emoji).map((k) => ({ match: `(?<=\\|\\s|\\|)(?:${emoji[k].join('|')})|(?:${emoji[k].join('|')})(?=\\s?\\|)`, name: scope[k] }));
const statusInHeading = Object.keys(words).map((k) => ({
  // `### 2.1 PHASE 1 - COMPLETE`, `BARRIER 2 — IN PROGRESS 🔄`: upper-case status after a dash.
  match: `(?<=\\s[-—–:]\\s|\\s--\\s)((?:${emoji[k].join('|')})\\s*)?\\b(${words[k].join('|')})\\b(\\s*(?:${emoji[k].join('|')}))?${ENDS_STATUS}`,
  captures: { 1: { name: scope[k] }, 2: { name: scope[k] }, 3: { name: scope[k] } },
}));

// Only single-line matches anchored on table pipes or heading dashes (the header row is one line): a begin/end block would
// take the line away from the Markdown grammar and lose its heading and inline styling.
const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Worktracker injection',
  scopeName: 'worktracker.injection',
  injectionSelector: 'L:text.html.markdown -markup.fenced_code -markup.inline.raw -markup.raw -comment',
  patterns: [headerRow, ...statusInCell, ...emojiInCell, { include: '#agent-id' }, { include: '#direction' }, ...statusInHeading],
  repository: {
    'agent-id': {
      // A cell holding one id: ps-r-001, agent-a-001, ps-architect-task001-rev, fix-reviser-p1, impl-003,
      // EN-410, TASK-014, QG-2 (kebab-case with a digit somewhere), optionally bold or in backticks.
      match: '(?<=\\|)\\s*(?:\\*\\*|`)?((?=[A-Za-z][\\w-]*\\d)(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+))(?=(?:\\*\\*|`)?\\s*\\|)',
      captures: { 1: { name: 'variable.other.constant.agent-id.worktracker' } },
    },
    direction: {
      // a→b, ps→nse, all-to-vv, A -> B at the start of a cell
      match: '(?<=\\|)\\s*(?:\\*\\*|`)?([A-Za-z][\\w*]*)\\s?(→|->|⇒|-to-)\\s?([A-Za-z][\\w*]*)(?![\\w-])',
      captures: {
        1: { name: 'entity.name.tag.pipeline.worktracker' },
        2: { name: 'keyword.operator.direction.worktracker' },
        3: { name: 'entity.name.tag.pipeline.worktracker' },
      },
    },
  },
};
writeFileSync(new URL('../../syntaxes/worktracker.injection.tmLanguage.json', import.meta.url), JSON.stringify(grammar, null, 2) + '\n');
