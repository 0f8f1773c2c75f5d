import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { WEFT_BOOTSTRAP_TEMPLATE } from './start-target.ts';
import { renderWeftBootstrap } from './weft-bootstrap.ts';

const TEMPLATE = readFileSync(WEFT_BOOTSTRAP_TEMPLATE, 'utf8');

interface Bootstrap {
  static_resources: {
    listeners: Array<{
      address: { socket_address: { address: string; port_value: number } };
      filter_chains: Array<{ filters: Array<{ name: string; typed_config: Record<string, unknown> }> }>;
    }>;
    clusters: Array<{
      name: string;
      type: string;
      load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: { address: string; port_value: number } } } }> }> };
    }>;
  };
}

test('the committed bootstrap: one listener, HCM with stat_prefix bench, / → upstream, router, no access log, STATIC upstream', () => {
  const b = parse(TEMPLATE) as Bootstrap;
  assert.equal(b.static_resources.listeners.length, 1);
  const [hcm] = b.static_resources.listeners[0].filter_chains[0].filters;
  assert.equal(hcm.name, 'envoy.filters.network.http_connection_manager');
  const cfg = hcm.typed_config as {
    '@type': string; stat_prefix: string; access_log?: unknown;
    route_config: { virtual_hosts: Array<{ domains: string[]; routes: Array<{ match: { prefix: string }; route: { cluster: string } }> }> };
    http_filters: Array<{ name: string }>;
  };
  assert.equal(cfg['@type'], 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager');
  assert.equal(cfg.stat_prefix, 'bench');
  assert.equal(cfg.access_log, undefined);
  assert.deepEqual(cfg.route_config.virtual_hosts[0].domains, ['*']);
  assert.deepEqual(cfg.route_config.virtual_hosts[0].routes, [{ match: { prefix: '/' }, route: { cluster: 'upstream' } }]);
  assert.deepEqual(cfg.http_filters.map((f) => f.name), ['envoy.filters.http.router']);
  assert.equal(b.static_resources.clusters[0].name, 'upstream');
  assert.equal(b.static_resources.clusters[0].type, 'STATIC');
});

test('rendering sets the listener and upstream ports and keeps everything else', () => {
  const r = renderWeftBootstrap(TEMPLATE, { host: '127.0.0.1', port: 19001, upstreamPort: 19000 });
  assert.ok(r.ok, r.ok ? '' : r.error);
  const b = parse(r.value) as Bootstrap;
  assert.deepEqual(b.static_resources.listeners[0].address.socket_address, { address: '127.0.0.1', port_value: 19001 });
  const ep = b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address;
  assert.deepEqual(ep, { address: '127.0.0.1', port_value: 19000 });
  const before = parse(TEMPLATE) as Bootstrap;
  assert.deepEqual(b.static_resources.listeners[0].filter_chains, before.static_resources.listeners[0].filter_chains);
});

test('a template that does not have the expected shape is reported', () => {
  const o = { host: '127.0.0.1', port: 1, upstreamPort: 2 };
  const bad = (yaml: string): string => {
    const r = renderWeftBootstrap(yaml, o);
    assert.ok(!r.ok);
    return r.error;
  };
  assert.match(bad('static_resources: [unclosed'), /not valid YAML/);
  assert.match(bad('static_resources: {listeners: []}'), /exactly one listener/);
  assert.match(bad('static_resources: {listeners: [{name: a}]}'), /socket_address is missing/);
  assert.match(bad('static_resources: {listeners: [{address: {socket_address: {}}}], clusters: [{name: other}]}'), /no cluster named "upstream"/);
});
