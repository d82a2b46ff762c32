/**
 * The JSON shapes of a tracker and of a finding (src/tools/model.ts) with native file paths: what
 * `worktracker show --json` / `check --json` print.
 */
import type { Finding, Tracker } from '../core/model';
import { findingJson as findingJsonOf, model as modelOf } from '../tools/model';
import { toNativePath } from './fs';

export { effective, line, units } from '../tools/model';

export function findingJson(f: Finding) {
  return findingJsonOf(f, toNativePath);
}

export function model(t: Tracker) {
  return modelOf(t, toNativePath);
}
