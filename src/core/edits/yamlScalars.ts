/**
 * Edits of ORCHESTRATION.yaml scalars: a value written in the scalar's own style (or a peer's, for
 * an empty one), a status in the YAML's own spelling, a value cleared to `null`. Public through
 * `./index.ts` (`yamlSet`: the dashboard sync writes `updated_at` with it).
 */
import type { Status, TextEdit, Tracker, YamlScalar } from '../model';
import { toStatus } from '../status';
import { yamlScalarText } from '../yaml';
import { isPlaceholder, mostCommon } from './common';


function yamlFile(tracker: Tracker): string {
  return tracker.yaml?.file ?? '';
}

/** The YAML's own spelling for a status (its most used value for it), else the canonical word. */
function yamlStatusWord(peers: readonly (YamlScalar | undefined)[], status: Status): string {
  const values = peers.filter((p): p is YamlScalar => !!p && typeof p.value === 'string').map((p) => String(p.value));
  const same = values.filter((v) => toStatus(v) === status && /^[A-Za-z_ -]+$/.test(v));
  const best = mostCommon(same);
  if (best) return best;
  const lower = values.filter((v) => /[a-z]/.test(v) && v === v.toLowerCase()).length;
  return lower > values.length / 2 ? status.toLowerCase() : status;
}

export function yamlSet(tracker: Tracker, scalar: YamlScalar | undefined, value: string, like?: YamlScalar): TextEdit[] {
  if (!scalar || !tracker.yaml) return [];
  if (typeof scalar.value === 'string' && scalar.value === value) return [];
  const model = like && like.style !== 'plain' && scalar.style === 'plain' && scalar.value === null ? like : scalar;
  const newText = yamlScalarText(value, model);
  if (newText === scalar.source) return [];
  return [{ file: yamlFile(tracker), range: scalar.range, newText }];
}

export function yamlClear(tracker: Tracker, scalar: YamlScalar | undefined): TextEdit[] {
  if (!scalar || !tracker.yaml || scalar.value === null || scalar.value === '') return [];
  if (typeof scalar.value === 'string' && isPlaceholder(scalar.value)) return [];
  return [{ file: yamlFile(tracker), range: scalar.range, newText: 'null' }];
}

export function yamlStatusEdit(tracker: Tracker, scalar: YamlScalar | undefined, status: Status, peers: readonly (YamlScalar | undefined)[]): TextEdit[] {
  if (!scalar || typeof scalar.value !== 'string' && scalar.value !== null) return [];
  if (typeof scalar.value === 'string' && toStatus(scalar.value) === status) return [];
  return yamlSet(tracker, scalar, yamlStatusWord(peers, status));
}
