// The glob matcher the extension uses for `files.exclude` (VS Code exposes no matcher for bare paths).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { matchAny, matchGlob } from '../../src/core/glob';

test('files.exclude style globs match folders and everything under them', () => {
  assert.equal(matchGlob('**/node_modules', 'a/node_modules/x/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('**/.git', '.git/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('archive/**', 'archive/2025/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('archive/**', 'projects/archive-notes/ORCHESTRATION_WORKTRACKER.md'), false);
  assert.equal(matchGlob('**/old-*', 'projects/old-run/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('**/old-*', 'projects/bold-run/ORCHESTRATION_WORKTRACKER.md'), false);
});

test('a glob without a slash matches a name at any depth; braces, ? and classes work', () => {
  assert.equal(matchGlob('tmp', 'x/y/tmp/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('tmp', 'x/y/tmpfiles/ORCHESTRATION_WORKTRACKER.md'), false);
  assert.equal(matchGlob('**/{dist,out}', 'pkg/out/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('**/{dist,out}', 'pkg/output/ORCHESTRATION_WORKTRACKER.md'), false);
  assert.equal(matchGlob('run-?', 'run-1/ORCHESTRATION_WORKTRACKER.md'), true);
  assert.equal(matchGlob('run-[0-9]', 'run-x/ORCHESTRATION_WORKTRACKER.md'), false);
  assert.equal(matchGlob('run-[!0-9]', 'run-x/ORCHESTRATION_WORKTRACKER.md'), true);
});

test('special characters in globs are literal and empty globs match nothing', () => {
  assert.equal(matchGlob('a.b', 'axb/file'), false);
  assert.equal(matchGlob('a.b', 'a.b/file'), true);
  assert.equal(matchGlob('(x)', '(x)/file'), true);
  assert.equal(matchGlob('', 'anything'), false);
  assert.equal(matchAny([], 'anything'), false);
  assert.equal(matchAny(['nope', '**/keep'], 'a/keep/b'), true);
});
