import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateJsonError } from './json-error-position.ts';

test('valid JSON has no error position', () => {
  for (const text of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]}\n', '"s"', '0']) {
    assert.equal(locateJsonError(text), undefined, text);
    JSON.parse(text); // and V8 agrees
  }
});

test('the first error is located with offset, line and column', () => {
  const cases: [string, number, number, number][] = [
    ['{"a":}', 5, 1, 6],
    ['{"a":1', 6, 1, 7],
    ['', 0, 1, 1],
    ['{"a":1}}', 7, 1, 8],
    ['{\n  "a": 1,\n  "b" 2\n}', 18, 3, 7],
    ['{"a": tru}', 9, 1, 10],
    ['{"a": "x\\q"}', 9, 1, 10],
    ['{"a": 01}', 7, 1, 8],
    ['[1,]', 3, 1, 4],
    ['{"a": "unterminated', 19, 1, 20],
    ['{"a": "tab\there"}', 10, 1, 11],
  ];
  for (const [text, offset, line, column] of cases) {
    assert.throws(() => JSON.parse(text), SyntaxError, `V8 also rejects ${JSON.stringify(text)}`);
    assert.deepEqual(locateJsonError(text), { offset, line, column }, JSON.stringify(text));
  }
});

test('positions agree with V8 where V8 names one', () => {
  for (const text of ['{"a":1', '{"a":1}}', '{"a" 1}', '[1,2', '{"a":1,}']) {
    let message = '';
    try {
      JSON.parse(text);
    } catch (e) {
      message = (e as Error).message;
    }
    const m = /at position (\d+)/.exec(message);
    if (m) assert.equal(locateJsonError(text)?.offset, Number(m[1]), `${text}: ${message}`);
  }
});
