// The JSON Schema contributed for ORCHESTRATION.yaml (yamlValidation): real files must validate
// without a single error (the schema describes and completes, it must not nag), while a file of
// the wrong shape is flagged. A small validator for the keywords the schema uses keeps this
// independent of the YAML extension.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from '../../src/core/yaml';

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  definitions?: Record<string, Schema>;
};

const ROOT = path.resolve(__dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'orchestration.schema.json'), 'utf8')) as Schema;
const EXAMPLES = path.resolve(ROOT, '../shared/format/examples');

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function validate(s: Schema, v: unknown, at: string, out: string[]): void {
  if (s.$ref) {
    const name = s.$ref.replace('#/definitions/', '');
    const target = schema.definitions?.[name];
    if (!target) throw new Error(`dangling $ref ${s.$ref}`);
    return validate(target, v, at, out);
  }
  if (s.anyOf) {
    const tries = s.anyOf.map((alt) => {
      const e: string[] = [];
      validate(alt, v, at, e);
      return e;
    });
    // Report the closest alternative's errors, so a failure says what is wrong.
    if (!tries.some((e) => e.length === 0)) out.push(`${at}: matches none of anyOf (${tries.sort((x, y) => x.length - y.length)[0].join('; ')})`);
    return;
  }
  if (s.enum && !s.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      out.push(`${at}: ${t} is not ${types.join('|')}`);
      return;
    }
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v)) {
      const p = s.properties?.[k];
      if (p) validate(p, val, `${at}.${k}`, out);
      else if (s.additionalProperties === false) out.push(`${at}.${k}: not allowed`);
      else if (typeof s.additionalProperties === 'object') validate(s.additionalProperties, val, `${at}.${k}`, out);
    }
  }
  if (Array.isArray(v) && s.items) v.forEach((x, i) => validate(s.items!, x, `${at}[${i}]`, out));
}

function errorsOf(yamlText: string): string[] {
  const data = parseYaml(yamlText, '/x/ORCHESTRATION.yaml').data;
  const out: string[] = [];
  validate(schema, data, '$', out);
  return out;
}

test('every real ORCHESTRATION.yaml validates without errors', { skip: !fs.existsSync(EXAMPLES) && 'examples not present' }, () => {
  const dirs = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'ORCHESTRATION.yaml')));
  assert.ok(dirs.length >= 7);
  for (const d of dirs) {
    const errs = errorsOf(fs.readFileSync(path.join(EXAMPLES, d, 'ORCHESTRATION.yaml'), 'utf8'));
    assert.deepEqual(errs, [], d);
  }
});

test('the template validates, and documented status values are offered', () => {
  const template = path.resolve(ROOT, '../shared/format/ORCHESTRATION.template.yaml');
  if (fs.existsSync(template)) assert.deepEqual(errorsOf(fs.readFileSync(template, 'utf8')), []);
  const agentStatus = schema.definitions?.agent.properties?.status;
  assert.deepEqual(agentStatus?.anyOf?.[0].enum, ['PENDING', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'BLOCKED']);
});

test('a file of the wrong shape is flagged', () => {
  const errs = errorsOf(['workflow: "just a string"', 'pipelines: 5', 'barriers: true', 'phases:', '  - id: 1', '    agents: "none"'].join('\n'));
  const flagged = (p: string) => errs.some((e) => e.startsWith(p));
  assert.deepEqual(['$.workflow', '$.pipelines', '$.barriers', '$.phases'].filter((p) => !flagged(p)), [], errs.join('\n'));
});
