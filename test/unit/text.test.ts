import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, applyEdits, detectEol } from '../../src/core/text';

test('LineIndex maps offsets across LF, CRLF and lone CR', () => {
  const text = 'ab\r\ncd\nef\rgh';
  const ix = new LineIndex(text);
  assert.equal(ix.lineCount, 4);
  assert.deepEqual(ix.position(text.indexOf('c')), { line: 1, column: 0, offset: 4 });
  assert.equal(ix.lineText(0), 'ab');
  assert.equal(ix.lineText(2), 'ef');
  assert.equal(ix.lineText(3), 'gh');
  assert.equal(ix.at(3, 1).offset, text.indexOf('h'));
});

test('applyEdits applies from the end and refuses overlaps', () => {
  const ix = new LineIndex('hello world');
  const out = applyEdits(ix.text, [
    { range: ix.range(6, 11), newText: 'there' },
    { range: ix.range(0, 5), newText: 'hi' },
  ]);
  assert.equal(out, 'hi there');
  assert.throws(() => applyEdits(ix.text, [{ range: ix.range(0, 5), newText: '' }, { range: ix.range(3, 6), newText: '' }]));
});

test('detectEol prefers the dominant ending', () => {
  assert.equal(detectEol('a\r\nb\r\nc\n'), '\r\n');
  assert.equal(detectEol('a\nb\nc\r\n'), '\n');
});
