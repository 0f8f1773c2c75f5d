import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClockForTest } from '../clock.ts';
import { RESPONSE_FLAGS } from '../response-flags.ts';
import { ISTIO_DEFAULT_FORMAT } from './default-formats.ts';
import type { AccessLogEntry } from './entry.ts';
import { formatErrorToDiagnostic } from './format-error.ts';
import { type AccessLogFormatSpec, type AccessLogFormatter, compileAccessLogFormat, type JsonFormatValue } from './formatter.ts';

function compile(spec: AccessLogFormatSpec = {}): AccessLogFormatter {
  const r = compileAccessLogFormat(spec, {
    clock: createManualClockForTest(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    env: { WEFT_ZONE: 'zone-a' },
    hostname: 'node-1',
  });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

const text = (format: string): AccessLogFormatter => compile({ format: { kind: 'textFormat', textFormat: format } });
const json = (jsonFormat: { [k: string]: JsonFormatValue }, omitEmptyValues = false): AccessLogFormatter =>
  compile({ format: { kind: 'jsonFormat', jsonFormat }, omitEmptyValues });

function entry(patch: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return { startTimeMs: Date.UTC(2016, 3, 15, 20, 17, 0, 310), responseCode: 200, responseFlags: 0, bytesReceived: 0, bytesSent: 0, ...patch };
}

test("Envoy's default format, as its documentation prints it", () => {
  const line = compile().format(
    entry({
      method: 'POST',
      path: '/api/v1/locations',
      authority: 'locations',
      protocol: 'HTTP/2',
      responseCode: 204,
      bytesReceived: 154,
      bytesSent: 0,
      durationMs: 226.9,
      requestHeaders: { 'x-forwarded-for': '10.0.35.28', 'user-agent': 'nsq2http', 'x-request-id': 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2' },
      responseHeaders: { 'x-envoy-upstream-service-time': '100' },
      upstreamHost: 'tcp://10.0.2.1:80',
    }),
  );
  assert.equal(
    line,
    '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" ' +
      '"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"\n',
  );
});

test("Istio's default format reproduces the tutorial's line", () => {
  const line = text(ISTIO_DEFAULT_FORMAT).format(
    entry({
      startTimeMs: Date.parse('2022-07-28T05:12:53.673Z'),
      method: 'GET',
      path: '/reviews/0',
      authority: 'reviews:9080',
      protocol: 'HTTP/1.1',
      responseCode: 200,
      responseCodeDetails: 'via_upstream',
      bytesReceived: 0,
      bytesSent: 438,
      durationMs: 878,
      requestHeaders: { 'user-agent': 'curl/7.52.1', 'x-request-id': 'bcc505d1-c954-9b74-88c9-17ef0f137e64' },
      responseHeaders: { 'x-envoy-upstream-service-time': '878' },
      upstreamHost: '10.233.66.20:9080',
      upstreamCluster: 'outbound|9080||reviews.ns1.svc.cluster.local',
      upstreamLocalAddress: '10.233.66.21:53406',
      downstreamLocalAddress: '10.233.0.250:9080',
      downstreamRemoteAddress: '10.233.66.21:37600',
      routeName: 'default',
    }),
  );
  assert.equal(
    line,
    '[2022-07-28T05:12:53.673Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 438 878 878 "-" "curl/7.52.1" ' +
      '"bcc505d1-c954-9b74-88c9-17ef0f137e64" "reviews:9080" "10.233.66.20:9080" outbound|9080||reviews.ns1.svc.cluster.local ' +
      '10.233.66.21:53406 10.233.0.250:9080 10.233.66.21:37600 - default\n',
  );
});

test('a local reply line: flags, details, no upstream', () => {
  const f = text('%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_FLAGS_LONG% %RESPONSE_CODE_DETAILS% %UPSTREAM_HOST% %DURATION%');
  assert.equal(
    f.format(entry({ responseCode: 503, responseFlags: RESPONSE_FLAGS.UF | RESPONSE_FLAGS.URX, responseCodeDetails: 'upstream reset before response' })),
    '503 UF,URX UpstreamConnectionFailure,UpstreamRetryLimitExceeded upstream_reset_before_response - -',
  );
  assert.equal(text('%RESPONSE_CODE_DETAILS(ALLOW_WHITESPACES)%').format(entry({ responseCodeDetails: 'a b' })), 'a b');
  assert.equal(text('%RESPONSE_CODE%').format(entry({ responseCode: 0 })), '0', 'no response is logged as 0');
});

// [format, entry patch, expected]
const COMMAND_CASES: [string, Partial<AccessLogEntry>, string][] = [
  ['%START_TIME(%Y/%m/%dT%H:%M:%S%z)%', {}, '2016/04/15T20:17:00+0000'],
  ['%START_TIME(%s)%', {}, '1460751420'],
  ['%START_TIME(%s.%3f)%', {}, '1460751420.310'],
  ['%START_TIME(%s.%6f)%', { startTimeMs: 1460751420310.123 }, '1460751420.310123'],
  ['%START_TIME(%s.%9f)%', {}, '1460751420.310000000'],
  ['%START_TIME(%Y-%m-%dT%H:%M:%E3SZ)%', {}, '2016-04-15T20:17:00.310Z'],
  ['%START_TIME(%a %b %e %j %I%p %F %T %%)%', {}, 'Fri Apr 15 106 08PM 2016-04-15 20:17:00 %'],
  ['%EMIT_TIME%', {}, '2024-01-02T03:04:05.678Z'],
  ['%BYTES_RECEIVED% %BYTES_SENT%', { bytesReceived: 12, bytesSent: 34 }, '12 34'],
  ['%PROTOCOL% %UPSTREAM_PROTOCOL%', { protocol: 'HTTP/1.1' }, 'HTTP/1.1 -'],
  ['%DURATION% %REQUEST_DURATION% %REQUEST_TX_DURATION% %RESPONSE_DURATION% %RESPONSE_TX_DURATION%', { durationMs: 9.9, requestDurationMs: 1, requestTxDurationMs: 2, responseDurationMs: 3.7, responseTxDurationMs: 4 }, '9 1 2 3 4'],
  ['%ROUNDTRIP_DURATION%', {}, '-'],
  ['%COMMON_DURATION(DS_RX_BEG:DS_TX_END:us)%', { timePoints: { DS_RX_BEG: 10, DS_TX_END: 12.5 } }, '2500'],
  ['%COMMON_DURATION(US_CX_BEG:US_CX_END:ms)%', {}, '-'],
  ['%UPSTREAM_REQUEST_ATTEMPT_COUNT%', { upstreamRequestAttemptCount: 2 }, '2'],
  ['%ROUTE_NAME% %VIRTUAL_CLUSTER_NAME%', { routeName: 'r1' }, 'r1 -'],
  ['%UPSTREAM_CLUSTER% %UPSTREAM_CLUSTER_RAW%', { upstreamCluster: 'alt', upstreamClusterRaw: 'raw' }, 'alt raw'],
  ['%UPSTREAM_HOST% %UPSTREAM_HOST_NAME% %UPSTREAM_HOST_NAME_WITHOUT_PORT%', { upstreamHost: '127.0.0.1:8080' }, '127.0.0.1:8080 127.0.0.1:8080 127.0.0.1'],
  ['%UPSTREAM_LOCAL_ADDRESS% %UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT% %UPSTREAM_LOCAL_PORT%', { upstreamLocalAddress: '127.0.0.1:51000' }, '127.0.0.1:51000 127.0.0.1 51000'],
  ['%UPSTREAM_REMOTE_ADDRESS% %UPSTREAM_REMOTE_PORT%', { upstreamHost: '[::1]:8443' }, '[::1]:8443 8443'],
  ['%UPSTREAM_TRANSPORT_FAILURE_REASON%', { upstreamTransportFailureReason: 'TLS_error:|268435581:SSL' }, 'TLS_error:|268435581:SSL'],
  ['%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_REMOTE_PORT%', { downstreamRemoteAddress: '10.1.10.23:40000' }, '10.1.10.23:40000 10.1.10.23 40000'],
  ['%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(16)%', { downstreamRemoteAddress: '10.1.10.23:40000' }, '10.1.0.0/16'],
  ['%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(64)%', { downstreamRemoteAddress: '[2001:db8:1234:5678:9abc:def0:1234:5678]:1' }, '2001:db8:1234:5678::/64'],
  ['%DOWNSTREAM_DIRECT_REMOTE_ADDRESS%', { downstreamRemoteAddress: '1.1.1.1:1', downstreamDirectRemoteAddress: '127.0.0.1:2' }, '127.0.0.1:2'],
  ['%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_PORT% %DOWNSTREAM_DIRECT_LOCAL_ADDRESS%', { downstreamLocalAddress: '127.0.0.9:80' }, '127.0.0.9:80 80 127.0.0.9:80'],
  ['%REQUESTED_SERVER_NAME%', { requestedServerName: 'bookinfo.example' }, 'bookinfo.example'],
  ['%REQUESTED_SERVER_NAME% %REQUESTED_SERVER_NAME(SNI_FIRST)% %REQUESTED_SERVER_NAME(HOST_FIRST:HOST)%', { authority: 'a.example' }, '- a.example a.example'],
  ['%CONNECTION_ID% %UPSTREAM_CONNECTION_ID% %STREAM_ID%', { connectionId: 7, requestHeaders: { 'x-request-id': 'rid' } }, '7 - rid'],
  ['%REQ(:METHOD)% %REQ(:PATH)% %REQ(:AUTHORITY)% %REQ(HOST)% %REQ(:SCHEME)%', { requestHeaders: { ':method': 'PUT', ':path': '/p', ':authority': 'h2', ':scheme': 'https' } }, 'PUT /p h2 h2 https'],
  ['%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%', { path: '/new', requestHeaders: { 'x-envoy-original-path': '/old' } }, '/old'],
  ['%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%', { path: '/new' }, '/new'],
  ['%REQ(USER-AGENT):5%', { requestHeaders: { 'user-agent': 'curl/8.5.0' } }, 'curl/'],
  ['%REQUEST_HEADER(X-Multi)%', { requestHeaders: { 'x-multi': ['first', 'second'] } }, 'first'],
  ['%REQ(X-MISSING)%', {}, '-'],
  ['%REQ(X-EMPTY)%', { requestHeaders: { 'x-empty': '' } }, '-'],
  ['%RESP(CONTENT-TYPE)% %RESPONSE_HEADER(SERVER):3%', { responseHeaders: { 'content-type': 'text/plain', server: 'envoy' } }, 'text/plain env'],
  ['%TRAILER(GRPC-MESSAGE)% %RESPONSE_TRAILER(GRPC-STATUS)%', { responseTrailers: { 'grpc-message': 'ok', 'grpc-status': '0' } }, 'ok 0'],
  ['%GRPC_STATUS% %GRPC_STATUS(SNAKE_STRING)% %GRPC_STATUS(NUMBER)% %GRPC_STATUS_NUMBER%', { responseTrailers: { 'grpc-status': '14' } }, 'Unavailable UNAVAILABLE 14 14'],
  ['%GRPC_STATUS%', {}, '-'],
  ['%REQUEST_HEADERS_BYTES% %RESPONSE_HEADERS_BYTES% %RESPONSE_TRAILERS_BYTES%', { requestHeadersBytes: 80 }, '80 0 0'],
  ['%UPSTREAM_WIRE_BYTES_SENT% %DOWNSTREAM_WIRE_BYTES_RECEIVED%', { upstreamWireBytesSent: 5 }, '5 0'],
  ['%DOWNSTREAM_TLS_VERSION% %DOWNSTREAM_TLS_CIPHER% %DOWNSTREAM_PEER_URI_SAN%', { downstreamTls: { version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', peerUriSan: ['spiffe://a', 'spiffe://b'] } }, 'TLSv1.3 TLS_AES_128_GCM_SHA256 spiffe://a,spiffe://b'],
  ['%UPSTREAM_TLS_VERSION% %DOWNSTREAM_PEER_SUBJECT%', {}, '- -'],
  ['%HOSTNAME% %ENVIRONMENT(WEFT_ZONE)% %ENVIRONMENT(WEFT_ZONE):4% %ENVIRONMENT(NOPE)%', {}, 'node-1 zone-a zone -'],
  ['%LOCAL_REPLY_BODY% %FILTER_CHAIN_NAME% %ACCESS_LOG_TYPE% %TRACE_ID% %CUSTOM_FLAGS%', { localReplyBody: 'no healthy upstream', accessLogType: 'DownstreamEnd' }, 'no healthy upstream - DownstreamEnd - -'],
  ['%QUERY_PARAM(a)% %QUERY_PARAM(b):2% %QUERY_PARAM(c)%', { path: '/x?a=1&b=hello' }, '1 he -'],
  ['%PATH% %PATH(NQ)% %PATH(WQ:PATH)% %PATH(NQ:ORIG)%', { path: '/n?q=1', requestHeaders: { 'x-envoy-original-path': '/o?q=2' } }, '/o?q=2 /o /n?q=1 /o'],
  ['%REQ_WITHOUT_QUERY(:PATH)%', { path: '/a/b?c=d' }, '/a/b'],
  ['%DYNAMIC_METADATA(com.test.my_filter)%', { metadata: { dynamic: { 'com.test.my_filter': { test_key: 'foo', test_object: { inner_key: 'bar' } } } } }, '{"test_key":"foo","test_object":{"inner_key":"bar"}}'],
  ['%DYNAMIC_METADATA(com.test.my_filter:test_key)% %DYNAMIC_METADATA(com.test.my_filter:test_object:inner_key)% %DYNAMIC_METADATA(com.unknown)% %DYNAMIC_METADATA(com.test.my_filter:test_key):2%', { metadata: { dynamic: { 'com.test.my_filter': { test_key: 'foo', test_object: { inner_key: 'bar' } } } } }, 'foo bar - fo'],
  ['%METADATA(ROUTE:ns:k)% %CLUSTER_METADATA(ns:k)% %UPSTREAM_METADATA(ns:n)%', { metadata: { route: { ns: { k: 'r' } }, cluster: { ns: { k: 'c' } }, upstreamHost: { ns: { n: 3 } } } }, 'r c 3'],
  ['100%% %BYTES_SENT%', { bytesSent: 1 }, '100% 1'],
];

test('every command operator', () => {
  for (const [format, patch, want] of COMMAND_CASES) {
    assert.equal(text(format).format(entry(patch)), want, format);
  }
});

test('UNIQUE_ID is a fresh UUID per line', () => {
  const f = text('%UNIQUE_ID%');
  const a = f.format(entry());
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.notEqual(a, f.format(entry()));
});

test('omit_empty_values prints nothing for unset text operators', () => {
  const f = compile({ format: { kind: 'textFormat', textFormat: '[%UPSTREAM_HOST%][%BYTES_SENT%]' }, omitEmptyValues: true });
  assert.equal(f.format(entry()), '[][0]');
});

test('JSON format: typed values, keys sorted, nested objects, constants, one object per line', () => {
  const f = json({
    status: '%RESPONSE_CODE%',
    path: '%REQ(:PATH)%',
    duration: '%DURATION%',
    upstream: { host: '%UPSTREAM_HOST%', cluster: '%UPSTREAM_CLUSTER%' },
    flags: '%RESPONSE_FLAGS%',
    start: '%START_TIME%',
    mixed: 'took %DURATION%ms',
    ua: '%REQ(USER-AGENT):4%',
    meta: '%DYNAMIC_METADATA(ns)%',
    constant: 5,
    on: true,
    tags: ['%ROUTE_NAME%', 'x'],
    protocol: '%PROTOCOL%',
  });
  assert.equal(f.contentType, 'application/json');
  const line = f.format(
    entry({
      responseCode: 404,
      path: '/missing',
      durationMs: 3.4,
      responseFlags: RESPONSE_FLAGS.NR,
      requestHeaders: { 'user-agent': 'curl/8' },
      metadata: { dynamic: { ns: { a: 1 } } },
      routeName: 'r',
    }),
  );
  assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'));
  assert.equal(
    line,
    '{"constant":5,"duration":3,"flags":"NR","meta":{"a":1},"mixed":"took 3ms","on":true,"path":"/missing","protocol":"-",' +
      '"start":"2016-04-15T20:17:00.310Z","status":404,"tags":["r","x"],"ua":"curl","upstream":{"cluster":null,"host":null}}\n',
  );
  assert.deepEqual(Object.keys(JSON.parse(line) as object), [
    'constant', 'duration', 'flags', 'meta', 'mixed', 'on', 'path', 'protocol', 'start', 'status', 'tags', 'ua', 'upstream',
  ]);
});

test('JSON format: missing values are null, or left out with omit_empty_values; text with a missing value keeps "-"', () => {
  const spec = { host: '%UPSTREAM_HOST%', line: 'to %UPSTREAM_HOST%', code: '%RESPONSE_CODE%' };
  assert.equal(json(spec).format(entry()), '{"code":200,"host":null,"line":"to -"}\n');
  assert.equal(json(spec, true).format(entry()), '{"code":200,"line":"to "}\n');
  assert.equal(json({ q: '%REQ(X-EMPTY)%' }).format(entry({ requestHeaders: { 'x-empty': '' } })), '{"q":""}\n');
});

test('compile errors name the problem and become Diagnostics', () => {
  const cases: [string, RegExp][] = [
    ['%NOT_A_COMMAND%', /Not supported field in StreamInfo: NOT_A_COMMAND/],
    ['abc %broken', /Couldn't find valid command at position 4/],
    ['%BYTES_SENT(x)%', /BYTES_SENT does not take any parameters/],
    ['%UPSTREAM_HOST:10%', /UPSTREAM_HOST does not allow length to be specified/],
    ['%REQ%', /REQ requires parameters/],
    ['%REQ(a?b?c)%', /multiple alternative headers/],
    ['%COMMON_DURATION(DS_RX_BEG:NOPE:ms)%', /COMMON_DURATION/],
    ['%GRPC_STATUS(LOUD)%', /GRPC_STATUS/],
    ['%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(abc)%', /MASK_PREFIX_LEN/],
    ['%METADATA(NOPE:ns)%', /METADATA/],
  ];
  for (const [format, re] of cases) {
    const r = compileAccessLogFormat({ format: { kind: 'textFormat', textFormat: format } });
    assert.equal(r.ok, false, format);
    if (!r.ok) assert.match(r.error.message, re, format);
  }
  const bad = compileAccessLogFormat({ format: { kind: 'jsonFormat', jsonFormat: { outer: { inner: '%NOPE%' } } } });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.jsonPath, 'outer.inner');
    const d = formatErrorToDiagnostic(bad.error, { object: { kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'x' }, field: 'spec.resources[0].access_log[0].json_format' });
    assert.equal(d.code, 'WEFT_INVALID_VALUE');
    assert.equal(d.severity, 'error');
    assert.equal(d.field, 'spec.resources[0].access_log[0].json_format.outer.inner');
    assert.match(d.message, /Not supported field in StreamInfo: NOPE/);
  }
});

test('START_TIME renders across second boundaries from the cache correctly', () => {
  const f = text('%START_TIME%');
  const base = Date.UTC(2020, 1, 29, 23, 59, 59, 999);
  assert.equal(f.format(entry({ startTimeMs: base })), '2020-02-29T23:59:59.999Z');
  assert.equal(f.format(entry({ startTimeMs: base + 1 })), '2020-03-01T00:00:00.000Z');
  assert.equal(f.format(entry({ startTimeMs: base + 12.7 })), '2020-03-01T00:00:00.011Z');
  const whole = text('%START_TIME(%H:%M:%S)%');
  assert.equal(whole.format(entry({ startTimeMs: base })), '23:59:59');
  assert.equal(whole.format(entry({ startTimeMs: base + 1 })), '00:00:00');
});
