// Writes syntaxes/worktracker.injection.tmLanguage.json from readable parts, so the status
// vocabulary stays in one place. Run: node scripts/ext/make-grammar.mjs
import { writeFileSync } from 'node:fs';

const words = {
  complete: ['COMPLETED', 'COMPLETE', 'DONE', 'FINISHED', 'PASSED', 'PASS', 'APPROVED', 'ACCEPTED', 'VERIFIED', 'RESOLVED', 'MERGED', 'SUCCESS'],
  progress: ['IN[ _-]PROGRESS', 'IN[ _-]REVIEW', 'ON[ _-]TRACK', 'ACTIVE', 'RUNNING', 'ONGOING', 'STARTED', 'WIP', 'PARTIAL', 'PHASE[ _-]?\\d+[ _-]IN[ _-]PROGRESS'],
  pending: ['NOT[ _-]STARTED', 'PENDING', 'QUEUED', 'WAITING', 'PLANNED', 'TODO', 'TBD', 'READY', 'PHASE[ _-]?\\d+[ _-]PENDING'],
  blocked: ['BLOCKED', 'ON[ _-]HOLD', 'PAUSED', 'ESCALATED', 'STUCK'],
  failed: ['FAILED', 'FAILURE', 'FAIL', 'ERROR', 'REJECTED'],
  skipped: ['SKIPPED', 'DEFERRED', 'CANCELLED', 'CANCELED', 'ABORTED', 'SUPERSEDED', 'N/A'],
};
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

const statusInCell = Object.keys(words).map((k) => ({
  // A status word at the start of a cell (after optional emoji and bold markers).
  match: `(?i)(?<=\\|)\\s*(?:\\*\\*)?((?:${emoji[k].join('|')})\\s*)?\\b(${words[k].join('|')})\\b`,
  captures: { 1: { name: scope[k] }, 2: { name: scope[k] } },
}));
// Emoji standing alone at the start or end of a cell (`| ✅ |`, `| DONE ✅ |`).
const emojiInCell = Object.keys(emoji).map((k) => ({ match: `(?<=\\|\\s|\\|)(?:${emoji[k].join('|')})|(?:${emoji[k].join('|')})(?=\\s?\\|)`, name: scope[k] }));
const statusInHeading = Object.keys(words).map((k) => ({
  // `### 2.1 PHASE 1 - COMPLETE`, `BARRIER 2 — IN PROGRESS 🔄`: upper-case status after a dash.
  match: `(?<=\\s[-—–:]\\s|\\s--\\s)((?:${emoji[k].join('|')})\\s*)?\\b(${words[k].join('|')})\\b(\\s*(?:${emoji[k].join('|')}))?`,
  captures: { 1: { name: scope[k] }, 2: { name: scope[k] }, 3: { name: scope[k] } },
}));

// Only single-line matches anchored on table pipes or heading dashes: a begin/end block would
// take the line away from the Markdown grammar and lose its heading and inline styling.
const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Worktracker injection',
  scopeName: 'worktracker.injection',
  injectionSelector: 'L:text.html.markdown -markup.fenced_code -markup.inline.raw -markup.raw -comment',
  patterns: [...statusInCell, ...emojiInCell, { include: '#agent-id' }, { include: '#direction' }, ...statusInHeading],
  repository: {
    'agent-id': {
      // ps-r-001, agent-a-001, nse-k-002, impl-003 at the start of a cell
      match: '(?<=\\|)\\s*(?:\\*\\*|`)?([a-z][a-z0-9]*(?:-[a-z0-9]+)*-\\d{2,4}[a-z]?)(?![\\w/.-])',
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
