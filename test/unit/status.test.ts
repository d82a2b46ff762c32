import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnDateStyle, learnDialect, spellDerived, spellStatus, splitStatus, statusEmoji, toStatus } from '../../src/core/status';
import type { Status } from '../../src/core/model';

const CASES: [string, Status][] = [
  ['✅ DONE', 'COMPLETE'],
  ['COMPLETED', 'COMPLETE'],
  ['✓', 'COMPLETE'],
  ['✅', 'COMPLETE'],
  ['✔️', 'COMPLETE'],
  ['PASS', 'COMPLETE'],
  ['APPROVED ✅', 'COMPLETE'],
  ['IN PROGRESS 🔄', 'IN_PROGRESS'],
  ['in_progress', 'IN_PROGRESS'],
  ['In-Progress', 'IN_PROGRESS'],
  ['pending', 'PENDING'],
  ['NOT STARTED', 'PENDING'],
  ['⬜ PENDING', 'PENDING'],
  ['🔒 BLOCKED', 'BLOCKED'],
  ['⏳ READY', 'READY'],
  ['⏳', 'PENDING'],
  ['⏳ BLOCKED', 'BLOCKED'],
  ['SKIPPED', 'SKIPPED'],
  ['DEFERRED', 'SKIPPED'],
  ['ON TRACK', 'IN_PROGRESS'],
  ['🟡 50%', 'IN_PROGRESS'],
  ['100%', 'COMPLETE'],
  ['COMPLETE (2026-02-11T14:25)', 'COMPLETE'],
  ['COMPLETE (Iter 1: 0.905, Iter 2: 0.965)', 'COMPLETE'],
  ['ACTIVE', 'IN_PROGRESS'],
  ['PAUSED', 'BLOCKED'],
  ['FAILED', 'FAILED'],
  ['❌', 'FAILED'],
  ['CANCELLED', 'CANCELLED'],
  ['Canceled', 'CANCELLED'],
  ['PHASE_2_IN_PROGRESS', 'IN_PROGRESS'],
  ['PHASE_3_PENDING', 'PENDING'],
  ['COMPLETE - 3 findings', 'COMPLETE'],
  ['BLOCKED (by Phase 1)', 'BLOCKED'],
  ['READY (Barrier 2 complete)', 'READY'],
  ['PENDING (blocked by Barrier 3)', 'PENDING'],
  ['**COMPLETE**', 'COMPLETE'],
  ['`IN_PROGRESS`', 'IN_PROGRESS'],
  ['', 'UNKNOWN'],
  ['-', 'UNKNOWN'],
  ['Doneness review', 'UNKNOWN'],
  ['Newcomer', 'UNKNOWN'],
  ['see notes', 'UNKNOWN'],
];

test('toStatus maps every documented spelling by its leading word or emoji', () => {
  for (const [raw, want] of CASES) assert.equal(toStatus(raw), want, JSON.stringify(raw));
});

test('toStatus never throws on garbage', () => {
  for (const raw of ['\u0000\u0001', '\uFFFD'.repeat(10), '|'.repeat(1000), '\uD800', 'x'.repeat(100000)]) {
    assert.equal(typeof toStatus(raw), 'string');
  }
});

test('splitStatus isolates the status core from a suffix', () => {
  const raw = 'COMPLETE (2026-02-11T14:25)';
  const p = splitStatus(raw);
  assert.equal(raw.slice(p.start, p.end), 'COMPLETE');
  const raw2 = '**IN PROGRESS 🔄** since Monday';
  const p2 = splitStatus(raw2);
  assert.equal(raw2.slice(p2.start, p2.end), 'IN PROGRESS 🔄');
  assert.equal(p2.emojiPlace, 'trail');
});

test('learnDialect picks the most used spelling and fills unseen statuses in the file style', () => {
  const d = learnDialect(['✅ DONE', '✅ DONE', '✅ COMPLETE', '⏳ PENDING', '🔒 BLOCKED']);
  assert.equal(d.spelling.COMPLETE, '✅ DONE');
  assert.equal(d.spelling.PENDING, '⏳ PENDING');
  // Unseen: built with a leading emoji, upper case, like the rest of the file.
  assert.equal(d.spelling.FAILED, `${statusEmoji('FAILED')} FAILED`);
});

test('learnDialect: lower case files spell lower case; a Legend emoji wins over usage', () => {
  const d = learnDialect(['pending', 'in_progress', 'complete'], [
    { symbol: '⬜', meaning: 'Pending' },
    { symbol: '🔄', meaning: 'In Progress' },
    { symbol: '✅', meaning: 'Complete' },
    { symbol: '🔒', meaning: 'Blocked' },
  ]);
  assert.equal(d.spelling.COMPLETE, 'complete');
  assert.equal(d.spelling.BLOCKED, 'blocked');
  assert.equal(d.emoji.PENDING, '⬜');
  assert.equal(d.emoji.BLOCKED, '🔒');
  assert.equal(spellStatus(d, 'PENDING', '⏳ PENDING'), '⬜ PENDING');
});

test('learnDialect ignores percentages and unknown text as spellings', () => {
  const d = learnDialect(['🟡 50%', 'whatever', '🟡 50%']);
  assert.notEqual(d.spelling.IN_PROGRESS, '🟡 50%');
  assert.equal(d.emoji.IN_PROGRESS, '🟡');
});

test('spellStatus keeps the shape of the previous cell', () => {
  const d = learnDialect(['✅ DONE', '⏳ PENDING', 'IN_PROGRESS', 'COMPLETE']);
  // emoji + word: the word the file uses for COMPLETE in the emoji style.
  assert.equal(spellStatus(d, 'COMPLETE', '⏳ PENDING'), '✅ DONE');
  // bare word stays bare.
  assert.equal(spellStatus(d, 'IN_PROGRESS', 'PENDING'), 'IN_PROGRESS');
  // lower case previous stays lower case.
  assert.equal(spellStatus(d, 'IN_PROGRESS', 'pending'), 'in_progress');
  // space separator kept from the previous spelling.
  assert.equal(spellStatus(d, 'IN_PROGRESS', 'NOT STARTED'), 'IN PROGRESS');
  // emoji alone stays emoji alone.
  assert.equal(spellStatus(d, 'COMPLETE', '⏳'), '✅');
  // trailing emoji stays trailing.
  assert.equal(spellStatus(d, 'IN_PROGRESS', 'PENDING ⏳'), `IN_PROGRESS ${statusEmoji('IN_PROGRESS')}`);
  // a bare heading status in a file whose cells say `✅ DONE` gets the plain word.
  const v1 = learnDialect(['✅ DONE', '✅ DONE', '⏳ PENDING', 'PENDING']);
  assert.equal(spellStatus(v1, 'COMPLETE', 'PENDING'), 'COMPLETE');
  assert.equal(spellStatus(v1, 'COMPLETE', '⏳ BLOCKED'), '✅ DONE');
  // no previous: the learned spelling.
  assert.equal(spellStatus(d, 'PENDING'), '⏳ PENDING');
});

test('learnDateStyle', () => {
  assert.equal(learnDateStyle(['2026-02-11', '2026-02-12', '-']), 'date');
  assert.equal(learnDateStyle(['2026-02-11T14:25:00Z', '2026-02-11T15:00']), 'iso');
  assert.equal(learnDateStyle(['-', '']), 'unknown');
});

test('spellDerived: a derived value uses the file\'s word only when it is a plain status word', () => {
  const d = learnDialect(['🔄 EXECUTING', '🔄 EXECUTING', '✅ DONE', '✅ DONE', '⏳ PENDING']);
  assert.equal(spellStatus(d, 'IN_PROGRESS', '✅ DONE'), '🔄 EXECUTING', 'tables keep the file\'s own word');
  const derived = spellDerived(d, 'IN_PROGRESS', '✅ DONE');
  assert.doesNotMatch(derived, /EXECUTING/);
  assert.match(derived, /^🔄 IN[ _]PROGRESS$/);
  assert.equal(spellDerived(d, 'COMPLETE', '🔄 IN PROGRESS'), '✅ DONE', 'a plain word of the file is kept');
});
