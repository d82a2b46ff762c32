// Shared by the core's edit and dashboard tests: read a fixture, parse a pair, apply edits per file.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import path from 'node:path';
import type { TextEdit, Tracker } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { parseTracker } from '../../src/core/tracker';
import { displayWidth } from '../../src/core/width';

export const EDITS_FIXTURES = path.resolve(__dirname, '../fixtures/edits');
export const EXAMPLES = path.resolve(__dirname, '../../../shared/format/examples');
/** Why a test of the shared examples is skipped, or false when they are there (node's test runner prints the reason). */
export const NO_EXAMPLES: string | false = existsSync(EXAMPLES) ? false : `${EXAMPLES} is absent (a clone without ../shared): the shared examples are not checked`;
export const NOW = new Date('2026-03-02T10:15:30Z');

/**
 * The analysis fixture (test/fixtures/analyze/basic) and where the path tests put it: a project
 * folder inside a repository at /repo.
 */
export const BASIC = (() => {
  const dir = path.resolve(__dirname, '../fixtures/analyze/basic');
  const at = '/repo/projects/PROJ-042-widgets/orchestration/widgets-20260301-001';
  return {
    md: readFileSync(path.join(dir, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8'),
    yaml: readFileSync(path.join(dir, 'ORCHESTRATION.yaml'), 'utf8'),
    dir: at,
    mdFile: `${at}/ORCHESTRATION_WORKTRACKER.md`,
    yamlFile: `${at}/ORCHESTRATION.yaml`,
  };
})();

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

/** The tracker pairs in a folder of pair folders (each holding ORCHESTRATION_WORKTRACKER.md and maybe the YAML). */
export function pairsIn(dir: string): { name: string; md: string; yaml?: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, 'ORCHESTRATION_WORKTRACKER.md')))
    .map((d) => {
      const yp = path.join(dir, d, 'ORCHESTRATION.yaml');
      return { name: d, md: readFileSync(path.join(dir, d, 'ORCHESTRATION_WORKTRACKER.md'), 'utf8'), yaml: existsSync(yp) ? readFileSync(yp, 'utf8') : undefined };
    });
}

/** Bundles the CLI like dist/cli.js (CJS, dependencies included), so CLI tests need no prior build. */
export async function bundleCli(outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.resolve(__dirname, '../../src/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    external: ['vscode'],
  });
}

/** Display column of every `|` in a table line. */
export function pipeColumns(line: string): number[] {
  const cols: number[] = [];
  let w = 0;
  for (const ch of line) {
    if (ch === '|') cols.push(w);
    w += displayWidth(ch);
  }
  return cols;
}
