import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIAGNOSTIC_CODES, formatDiagnostic } from '../../lib/diagnostic.ts';
import { decodeBootstrap } from './decode-bootstrap.ts';

// Envoy's "getting started" bootstrap, plus an admin listener and a runtime layer.
const YAML_BOOTSTRAP = `node:
  id: weft-test
admin:
  address:
    socket_address: { address: 127.0.0.1, port_value: 9901 }
layered_runtime:
  layers:
    - name: static
      static_layer: {}
static_resources:
  listeners:
    - name: listener_0
      address:
        socket_address: { address: 0.0.0.0, port_value: 10000 }
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_http
                access_log:
                  - name: envoy.access_loggers.stdout
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                route_config:
                  name: local_route
                  virtual_hosts:
                    - name: local_service
                      domains: ["*"]
                      routes:
                        - match: { prefix: "/" }
                          route:
                            host_rewrite_literal: www.envoyproxy.io
                            cluster: service_envoyproxy_io
  clusters:
    - name: service_envoyproxy_io
      type: LOGICAL_DNS
      dns_lookup_family: V4_ONLY
      load_assignment:
        cluster_name: service_envoyproxy_io
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: www.envoyproxy.io, port_value: 443 }
      transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
          sni: www.envoyproxy.io
  secrets:
    - name: server_cert
      tls_certificate:
        certificate_chain: { filename: certs/server.crt }
        private_key: { filename: certs/server.key }
`;

describe('decodeBootstrap', () => {
  test('a YAML bootstrap: listeners, clusters, secrets and the admin address', () => {
    const r = decodeBootstrap(YAML_BOOTSTRAP, 'envoy.yaml');
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map(formatDiagnostic), []);
    assert.deepEqual(r.admin, { address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 9901 }, accessLog: [] });
    assert.deepEqual(r.resources.listeners.map((l) => [l.name, l.address]), [['listener_0', { kind: 'socketAddress', address: '0.0.0.0', portValue: 10000 }]]);
    const hcm = r.resources.listeners[0].filterChains[0].filters[0];
    assert.ok(hcm.kind === 'httpConnectionManager');
    assert.deepEqual(hcm.typedConfig.accessLog, [{ name: 'envoy.access_loggers.stdout', typedConfig: { kind: 'stdout', logFormat: {} } }]);
    const c = r.resources.clusters[0];
    assert.equal(c.type, 'LOGICAL_DNS');
    assert.equal(c.transportSocket?.sni, 'www.envoyproxy.io');
    assert.deepEqual(c.sources, [{ kind: 'Bootstrap', name: 'envoy.yaml', field: 'static_resources.clusters[0]', position: { file: 'envoy.yaml', line: 40, column: 7 } }]);
    assert.deepEqual(r.resources.secrets.map((s) => [s.name, s.type.kind]), [['server_cert', 'tlsCertificate']]);
  });

  test('process-wide settings weft does not run are warnings that name the line', () => {
    const r = decodeBootstrap(YAML_BOOTSTRAP, 'envoy.yaml');
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.field, d.position?.line, d.position?.column]),
      [['warning', DIAGNOSTIC_CODES.UNSUPPORTED, 'layered_runtime', 6, 1]],
    );
  });

  test('the same bootstrap as JSON, in lowerCamelCase', () => {
    const json = JSON.stringify({
      staticResources: {
        clusters: [{ name: 'backend', type: 'STATIC', connectTimeout: '1s', loadAssignment: { clusterName: 'backend', endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: 8080 } } } }] }] } }],
      },
    }, null, 2);
    const r = decodeBootstrap(json, 'envoy.json');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.resources.clusters[0].connectTimeoutMs, 1000);
    assert.equal(r.admin, undefined);
  });

  test('errors inside static resources carry the bootstrap path and line', () => {
    const r = decodeBootstrap(YAML_BOOTSTRAP.replace('dns_lookup_family: V4_ONLY', 'dns_lookup_family: V4_ONLYY'), 'envoy.yaml');
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.field, d.position?.line, d.position?.column]),
      [[DIAGNOSTIC_CODES.INVALID_VALUE, 'static_resources.clusters[0].dns_lookup_family', 42, 7]],
    );
    assert.equal(r.resources.clusters.length, 0);
    assert.equal(r.resources.listeners.length, 1);
  });

  test('an unknown top-level field, and one weft does not run (dynamic_resources)', () => {
    const r = decodeBootstrap(`static_resource: {}\n`, 'a.yaml');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.field, d.hint]), [[DIAGNOSTIC_CODES.UNKNOWN_FIELD, 'static_resource', 'did you mean "static_resources"?']]);
    const dyn = decodeBootstrap(`dynamic_resources:\n  ads_config: { api_type: GRPC }\n`, 'b.yaml');
    assert.deepEqual(dyn.diagnostics.map((d) => [d.severity, d.code, d.field]), [['error', DIAGNOSTIC_CODES.UNSUPPORTED, 'dynamic_resources']]);
  });

  test('a syntax error is reported with its position', () => {
    const r = decodeBootstrap('static_resources:\n  listeners: [\n', 'bad.yaml');
    assert.equal(r.diagnostics.length > 0, true);
    assert.equal(r.diagnostics[0].code, DIAGNOSTIC_CODES.YAML_SYNTAX);
    assert.equal(r.diagnostics[0].position?.file, 'bad.yaml');
  });

  test('a bootstrap that is not an object', () => {
    const r = decodeBootstrap('- a\n- b\n', 'list.yaml');
    assert.deepEqual(r.diagnostics.map((d) => d.code), [DIAGNOSTIC_CODES.NOT_AN_OBJECT]);
  });
});
