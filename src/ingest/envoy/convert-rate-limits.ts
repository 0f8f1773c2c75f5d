/**
 * envoy.config.route.v3.RateLimit (route / virtual host `rate_limits`) and the local rate limit
 * filter's `descriptors`. Actions weft runs: source_cluster, destination_cluster, request_headers,
 * remote_address, generic_key, header_value_match; the others are reported as unsupported.
 */
import type { LocalRateLimitDescriptor, RateLimit, RateLimitAction, RateLimitDescriptorEntry } from '../../model/index.ts';
import { compact, convertTokenBucket } from './convert-common.ts';
import { convertHeaderMatchers } from './convert-matchers.ts';
import type { ProtoObject } from './proto-object.ts';

const RUN_ACTIONS = 'source_cluster, destination_cluster, request_headers, remote_address, generic_key, header_value_match';

function convertAction(o: ProtoObject): RateLimitAction | undefined {
  const which = o.oneof('action_specifier');
  switch (which) {
    case 'source_cluster':
      o.msg('source_cluster');
      return { kind: 'sourceCluster' };
    case 'destination_cluster':
      o.msg('destination_cluster');
      return { kind: 'destinationCluster' };
    case 'remote_address':
      o.msg('remote_address');
      return { kind: 'remoteAddress' };
    case 'request_headers': {
      const h = o.msg('request_headers');
      if (!h) return undefined;
      return compact({ kind: 'requestHeaders' as const, headerName: h.str('header_name') ?? '', descriptorKey: h.str('descriptor_key') ?? '', skipIfAbsent: h.bool('skip_if_absent') || undefined });
    }
    case 'generic_key': {
      const g = o.msg('generic_key');
      if (!g) return undefined;
      return compact({ kind: 'genericKey' as const, descriptorValue: g.str('descriptor_value') ?? '', descriptorKey: g.str('descriptor_key') || undefined });
    }
    case 'header_value_match': {
      const m = o.msg('header_value_match');
      if (!m) return undefined;
      return compact({
        kind: 'headerValueMatch' as const,
        descriptorValue: m.str('descriptor_value') ?? '',
        descriptorKey: m.str('descriptor_key') || undefined,
        expectMatch: m.bool('expect_match'),
        headers: convertHeaderMatchers(m.msgs('headers')),
      });
    }
    case undefined:
      return undefined;
    default:
      o.unsupported(which, `rate limit action "${which}" is valid Envoy, but weft does not run it`, `weft runs ${RUN_ACTIONS}`);
      return undefined;
  }
}

export function convertRateLimit(o: ProtoObject): RateLimit | undefined {
  const actions = o.msgs('actions').map(convertAction);
  if (actions.some((a) => a === undefined)) return undefined;
  return compact({ stage: o.num('stage') || undefined, actions: actions as RateLimitAction[] });
}

/** A `rate_limits` field; undefined when absent or empty, so models without it stay unchanged. */
export function convertRateLimits(list: readonly ProtoObject[]): RateLimit[] | undefined {
  if (list.length === 0) return undefined;
  return list.map(convertRateLimit).filter((r): r is RateLimit => r !== undefined);
}

function convertEntry(o: ProtoObject): RateLimitDescriptorEntry {
  return { key: o.str('key') ?? '', value: o.str('value') ?? '' };
}

export function convertLocalRateLimitDescriptor(o: ProtoObject): LocalRateLimitDescriptor | undefined {
  const bucket = o.msg('token_bucket');
  const entries = o.msgs('entries').map(convertEntry);
  if (!bucket) return undefined;
  return { entries, tokenBucket: convertTokenBucket(bucket) };
}
