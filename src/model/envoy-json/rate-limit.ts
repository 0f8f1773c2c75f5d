/**
 * envoy.config.route.v3.RateLimit (route / virtual host `rate_limits`) and the local rate limit
 * filter's `descriptors` (envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor).
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { LocalRateLimitDescriptor, RateLimit, RateLimitAction, RateLimitDescriptorEntry } from '../rate-limit.ts';
import { encodeTokenBucket } from './common.ts';
import { list, noOtherFields, num, obj, str, type JsonObject } from './json.ts';
import { encodeHeaderMatchers } from './matchers.ts';

function encodeAction(a: RateLimitAction): JsonObject {
  switch (a.kind) {
    case 'sourceCluster':
      return { source_cluster: {} };
    case 'destinationCluster':
      return { destination_cluster: {} };
    case 'remoteAddress':
      return { remote_address: {} };
    case 'requestHeaders':
      return { request_headers: obj({ header_name: a.headerName, descriptor_key: a.descriptorKey, skip_if_absent: a.skipIfAbsent === true ? true : undefined }) };
    case 'genericKey':
      return { generic_key: obj({ descriptor_value: a.descriptorValue, descriptor_key: str(a.descriptorKey) }) };
    case 'headerValueMatch':
      return {
        header_value_match: obj({
          descriptor_key: str(a.descriptorKey),
          descriptor_value: a.descriptorValue,
          expect_match: a.expectMatch,
          headers: encodeHeaderMatchers(a.headers),
        }),
      };
    default:
      return assertNever(a);
  }
}

export function encodeRateLimit(r: RateLimit): JsonObject {
  const { stage, actions, ...rest } = r;
  noOtherFields(rest);
  return obj({ stage: num(stage), actions: list(actions, encodeAction) });
}

/** A `rate_limits` field: left out when absent or empty. */
export function encodeRateLimits(list_: readonly RateLimit[] | undefined): readonly JsonObject[] | undefined {
  return list_ === undefined ? undefined : list(list_, encodeRateLimit);
}

function encodeEntry(e: RateLimitDescriptorEntry): JsonObject {
  const { key, value, ...rest } = e;
  noOtherFields(rest);
  return obj({ key, value: str(value) });
}

export function encodeLocalRateLimitDescriptor(d: LocalRateLimitDescriptor): JsonObject {
  const { entries, tokenBucket, ...rest } = d;
  noOtherFields(rest);
  return obj({ entries: list(entries, encodeEntry), token_bucket: encodeTokenBucket(tokenBucket) });
}
