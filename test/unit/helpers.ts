// Shared by the core's edit and dashboard tests: read a fixture, parse a pair, apply edits per file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TextEdit, Tracker } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { parseTracker } from '../../src/core/tracker';

export const EDITS_FIXTURES = path.resolve(__dirname, '../fixtures/edits');
export const EXAMPLES = path.resolve(__dirname, '../../../shared/format/examples');
/** Why a test of the shared examples is skipped, or false when they are there (node's test runner prints the reason). */
export const NO_EXAMPLES: string | false = existsSync(EXAMPLES) ? false : `${EXAMPLES} is absent (a clone without ../shared): the shared examples are not checked`;
export const NOW = new Date('2026-03-02T10:15:30Z');

export function fixture(name: string): string {
  return readFileSync(path.join(EDITS_FIXTURES, name), 'utf8');
}

export function parse(md: string, yaml?: string): Tracker {
  return parseTracker(md, yaml, { mdFile: 'ORCHESTRATION_WORKTRACKER.md', yamlFile: 'ORCHESTRATION.yaml' });
}

/** Applies each file's edits to its text; an edit naming any other file fails the test. */
export function apply(t: Tracker, edits: TextEdit[]): { md: string; yaml?: string } {
  const md = applyEdits(t.text, edits.filter((e) => e.file === t.file));
  const yaml = t.yaml ? applyEdits(t.yaml.text, edits.filter((e) => e.file === t.yaml!.file)) : undefined;
  for (const e of edits) assert.ok(e.file === t.file || e.file === t.yaml?.file, `edit for an unknown file ${e.file}`);
  return { md, yaml };
}
