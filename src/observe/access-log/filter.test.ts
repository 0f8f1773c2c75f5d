import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESPONSE_FLAGS } from '../response-flags.ts';
import type { AccessLogEntry } from './entry.ts';
import { type AccessLogFilterSpec, compileAccessLogFilter } from './filter.ts';

const e = (patch: Partial<AccessLogEntry>): AccessLogEntry => ({
  startTimeMs: 0,
  responseCode: 200,
  responseFlags: 0,
  bytesReceived: 0,
  bytesSent: 0,
  ...patch,
});

function pred(spec: AccessLogFilterSpec): (x: AccessLogEntry) => boolean {
  const r = compileAccessLogFilter(spec);
  assert.ok(r.ok);
  return r.value;
}

test('status code and duration comparisons', () => {
  const ge500 = pred({ kind: 'statusCodeFilter', op: 'GE', value: 500 });
  assert.equal(ge500(e({ responseCode: 503 })), true);
  assert.equal(ge500(e({ responseCode: 404 })), false);
  const slow = pred({ kind: 'durationFilter', op: 'GE', valueMs: 1000 });
  assert.equal(slow(e({ durationMs: 1000.4 })), true);
  assert.equal(slow(e({ durationMs: 999.9 })), false);
  assert.equal(slow(e({})), false, 'an open stream has no duration yet');
});

test('or/and of filters (the seed config: status >= 500 or duration >= 1s)', () => {
  const p = pred({
    kind: 'orFilter',
    filters: [
      { kind: 'statusCodeFilter', op: 'GE', value: 500 },
      { kind: 'durationFilter', op: 'GE', valueMs: 1000 },
    ],
  });
  assert.equal(p(e({ responseCode: 502, durationMs: 1 })), true);
  assert.equal(p(e({ responseCode: 200, durationMs: 1500 })), true);
  assert.equal(p(e({ responseCode: 200, durationMs: 10 })), false);
  const both = pred({ kind: 'andFilter', filters: [{ kind: 'notHealthCheckFilter' }, { kind: 'statusCodeFilter', op: 'EQ', value: 200 }] });
  assert.equal(both(e({})), true);
  assert.equal(both(e({ isHealthCheck: true })), false);
});

test('response flag filter: listed flags, or any flag when the list is empty', () => {
  const p = pred({ kind: 'responseFlagFilter', flags: ['UH', 'NR'] });
  assert.equal(p(e({ responseFlags: RESPONSE_FLAGS.NR })), true);
  assert.equal(p(e({ responseFlags: RESPONSE_FLAGS.UF })), false);
  const any = pred({ kind: 'responseFlagFilter', flags: [] });
  assert.equal(any(e({ responseFlags: RESPONSE_FLAGS.UF })), true);
  assert.equal(any(e({})), false);
  const bad = compileAccessLogFilter({ kind: 'responseFlagFilter', flags: ['XX'] });
  assert.equal(bad.ok, false);
});
