import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALL_RESPONSE_FLAGS,
  formatResponseFlags,
  formatResponseFlagsLong,
  parseResponseFlag,
  RESPONSE_FLAG_NAMES,
  RESPONSE_FLAGS,
  responseFlagNames,
} from './response-flags.ts';

test("the vocabulary and its order are Envoy's (CoreResponseFlag)", () => {
  assert.deepEqual(RESPONSE_FLAG_NAMES, [
    'LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'RL', 'UAEX', 'RLSE', 'DC', 'URX', 'SI', 'IH', 'DPE',
    'UMSDR', 'RFCF', 'NFCF', 'DT', 'UPE', 'NC', 'OM', 'DF', 'DO', 'DR', 'UDO',
  ]);
});

test('no flag prints "-"', () => {
  assert.equal(formatResponseFlags(0), '-');
  assert.equal(formatResponseFlagsLong(0), '-');
});

test('single flags, short and long', () => {
  assert.equal(formatResponseFlags(RESPONSE_FLAGS.UH), 'UH');
  assert.equal(formatResponseFlagsLong(RESPONSE_FLAGS.UH), 'NoHealthyUpstream');
  assert.equal(formatResponseFlags(RESPONSE_FLAGS.NR), 'NR');
  assert.equal(formatResponseFlags(RESPONSE_FLAGS.UDO), 'UDO');
  assert.equal(formatResponseFlagsLong(RESPONSE_FLAGS.OM), 'OverloadManagerTerminated');
  assert.equal(formatResponseFlagsLong(RESPONSE_FLAGS.DO), 'DropOverload');
});

test("several flags join with commas in Envoy's order, whatever order they were set in", () => {
  let flags = 0;
  flags |= RESPONSE_FLAGS.URX;
  flags |= RESPONSE_FLAGS.UF;
  flags |= RESPONSE_FLAGS.DC;
  assert.equal(formatResponseFlags(flags), 'UF,DC,URX');
  assert.equal(formatResponseFlagsLong(flags), 'UpstreamConnectionFailure,DownstreamConnectionTermination,UpstreamRetryLimitExceeded');
  assert.deepEqual(responseFlagNames(flags), ['UF', 'DC', 'URX']);
});

test('every flag round-trips through its name; unknown names and bits are rejected/ignored', () => {
  for (const name of RESPONSE_FLAG_NAMES) {
    const bit = parseResponseFlag(name);
    assert.ok(bit !== undefined);
    assert.equal(formatResponseFlags(bit), name);
  }
  assert.equal(parseResponseFlag('XX'), undefined);
  assert.equal(parseResponseFlag('toString'), undefined);
  assert.equal(formatResponseFlags(1 << 30), '-', 'bits outside the vocabulary do not print');
  assert.equal(formatResponseFlags(ALL_RESPONSE_FLAGS).split(',').length, 30);
});
