// Tree labels show a cell's text as written (issue 10: `validate_plugin_json()` lost its underscores).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainLabel } from '../../src/core/label';

test('underscores inside names are kept', () => {
  assert.equal(plainLabel('Run validate_plugin_json() again'), 'Run validate_plugin_json() again');
  assert.equal(plainLabel('`validate_plugin_json()`'), 'validate_plugin_json()');
  assert.equal(plainLabel('Fix __init__.py and snake_case_name_'), 'Fix __init__.py and snake_case_name_');
  assert.equal(plainLabel('Check **validate_plugin_json()**'), 'Check validate_plugin_json()');
});

test('emphasis and code markers go, their text stays', () => {
  assert.equal(plainLabel('**Fix** the _schema_ and *one* `thing`'), 'Fix the schema and one thing');
  assert.equal(plainLabel('__bold__ words'), 'bold words');
  assert.equal(plainLabel('a*b*c stays'), 'a*b*c stays');
  assert.equal(plainLabel('`__init__` in code'), '__init__ in code');
  assert.equal(plainLabel('escaped \\_x\\_'), 'escaped _x_');
});
