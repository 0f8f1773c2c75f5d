import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RE2JS } from 're2js';
import { SeededRandom } from '../lb/random.ts';
import { requiredLiteralPrefix } from './regex-prefix.ts';

test('the required literal prefix of a pattern, conservatively', () => {
  const cases: [string, string][] = [
    ['/v[0-9]+/users', '/v'],
    ['^/api/.*', '/api/'],
    ['/abc*', '/ab'],
    ['/ab?c', '/a'],
    ['/ab{2}', '/a'],
    ['/ab+c', '/ab'],
    ['(?i)/abc', ''],
    ['/a|/b', ''],
    ['/a\\.b', '/a'],
    ['.*', ''],
    ['/plain', '/plain'],
    ['/é+x', '/é'],
  ];
  for (const [p, want] of cases) assert.equal(requiredLiteralPrefix(p), want, p);
});

test('prefilter then regex agrees with the regex alone on random paths', () => {
  const patterns = ['/v[0-9]+/users', '^/api/.*', '/abc*', '/ab?c', '/ab+c', '/a{0,2}b', '/x/(a|b)/y', '/😀*z', '/ä+/[a-z]+'];
  const alphabet = ['/', 'a', 'b', 'c', 'v', '1', 'x', 'y', 'z', 'api', 'users', '😀', 'ä', '9'];
  const random = new SeededRandom(3);
  for (const p of patterns) {
    const re = RE2JS.compile(p);
    const prefix = requiredLiteralPrefix(p);
    for (let i = 0; i < 3000; i++) {
      let s = '/';
      const len = Math.floor(random.next() * 8);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(random.next() * alphabet.length)];
      const full = re.testExact(s);
      if (full) assert.ok(s.startsWith(prefix), `${p} matched ${s} without prefix ${prefix}`);
    }
  }
});
