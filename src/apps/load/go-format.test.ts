import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatF, formatG } from './go-format.ts';

test('%g without precision prints the shortest digits, switching to exponent form as Go does', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [50, '50'],
    [99.9, '99.9'],
    [0.000187245, '0.000187245'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [100000, '100000'],
    [1000000, '1e+06'],
    [123456789, '1.23456789e+08'],
    [-2.5, '-2.5'],
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
  ];
  for (const [x, want] of cases) assert.equal(formatG(x), want, `formatG(${x})`);
});

test('%.Ng rounds to N significant digits and drops trailing zeros', () => {
  const cases: [number, number, string][] = [
    [0.00006296, 4, '6.296e-05'],
    [370.55, 8, '370.55'],
    [85.0100001, 4, '85.01'],
    [7411, 9, '7411'],
    [724.8686673887566, 5, '724.87'],
    [0.0027248375, 8, '0.0027248375'],
    [12345, 4, '1.234e+04'],
    [0.0015321745, 6, '0.00153217'],
    [0, 4, '0'],
    [2.5, 1, '2'],
    [3.5, 1, '4'],
  ];
  for (const [x, p, want] of cases) assert.equal(formatG(x, p), want, `formatG(${x}, ${p})`);
});

test('%.Nf rounds exact ties to even, as Go does, unlike toFixed', () => {
  assert.equal(formatF(0.25, 1), '0.2');
  assert.equal(formatF(0.75, 1), '0.8');
  assert.equal(formatF(0.15, 1), '0.1'); // 0.15 is slightly below .15 in binary
  assert.equal(formatF(95, 1), '95.0');
  assert.equal(formatF(100, 2), '100.00');
  assert.equal(formatF(2.725, 3), '2.725');
  assert.equal(formatF(0.0004, 1), '0.0');
  assert.equal(formatF(9.96, 1), '10.0');
});
