/**
 * Test fixture: clusters, a ClusterLoadAssignment and secrets that use every member of every union
 * they hold (discovery types, LB policies and configs, health checkers and payloads, upstream HTTP
 * protocol options, validation contexts, secret types). See kitchen-sink-routes.ts.
 */
import { newCluster } from '../builders.ts';
import type { Cluster } from '../cluster.ts';
import type { ClusterLoadAssignment } from '../endpoint.ts';
import { secretName } from '../ids.ts';
import type { Secret, UpstreamTlsContext } from '../tls.ts';
import { ADD_HEADER_FOR_TEST, KITCHEN_SINK_SOURCES_FOR_TEST } from './kitchen-sink-routes.ts';

export const UPSTREAM_TLS_FOR_TEST: UpstreamTlsContext = {
  commonTlsContext: {
    tlsCertificates: [],
    tlsCertificateSdsSecretConfigs: [],
    validationContextType: { kind: 'validationContextSdsSecretConfig', validationContextSdsSecretConfig: { name: secretName('demo/ca') } },
    alpnProtocols: ['h2'],
  },
  sni: 'backend.example.com',
  allowRenegotiation: true,
  maxSessionKeys: 0,
};

/** A STATIC cluster with every cluster-level field, inline endpoints and every health checker. */
export function kitchenSinkStaticClusterForTest(): Cluster {
  return newCluster({
    name: 'cluster-static',
    sources: KITCHEN_SINK_SOURCES_FOR_TEST,
    altStatName: 'static_stats',
    type: 'STATIC',
    loadAssignment: {
      clusterName: 'cluster-static',
      endpoints: [{ lbEndpoints: [{ endpoint: { address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 9000 } } }] }],
      sources: [],
    },
    connectTimeoutMs: 250,
    lbPolicy: 'RING_HASH',
    lbConfig: { kind: 'ringHashLbConfig', ringHashLbConfig: { minimumRingSize: 2048, maximumRingSize: 4_194_304, hashFunction: 'MURMUR_HASH_2' } },
    commonLbConfig: { healthyPanicThreshold: 0.25 },
    circuitBreakers: {
      thresholds: [
        { maxConnections: 10, maxPendingRequests: 20, maxRequests: 30, maxRetries: 0, trackRemaining: true },
        { priority: 'HIGH', retryBudget: { budgetPercent: 0.3, minRetryConcurrency: 5 } },
      ],
    },
    outlierDetection: {
      consecutive5xx: 3,
      intervalMs: 5000,
      baseEjectionTimeMs: 15_000,
      maxEjectionTimeMs: 120_000,
      maxEjectionTimeJitterMs: 500,
      maxEjectionPercent: 0.5,
      enforcingConsecutive5xx: 0.9,
      enforcingSuccessRate: 0.8,
      successRateMinimumHosts: 4,
      successRateRequestVolume: 50,
      successRateStdevFactor: 1500,
      consecutiveGatewayFailure: 2,
      enforcingConsecutiveGatewayFailure: 0.7,
      splitExternalLocalOriginErrors: true,
      consecutiveLocalOriginFailure: 6,
      enforcingConsecutiveLocalOriginFailure: 0.6,
      enforcingLocalOriginSuccessRate: 0.5,
      failurePercentageThreshold: 80,
      enforcingFailurePercentage: 0.4,
      enforcingFailurePercentageLocalOrigin: 0.3,
      failurePercentageMinimumHosts: 3,
      failurePercentageRequestVolume: 40,
    },
    healthChecks: [
      {
        timeoutMs: 1000,
        intervalMs: 10_000,
        initialJitterMs: 100,
        intervalJitterMs: 200,
        intervalJitterPercent: 10,
        unhealthyThreshold: 3,
        healthyThreshold: 2,
        noTrafficIntervalMs: 30_000,
        noTrafficHealthyIntervalMs: 40_000,
        unhealthyIntervalMs: 5000,
        unhealthyEdgeIntervalMs: 1000,
        healthyEdgeIntervalMs: 2000,
        reuseConnection: false,
        alwaysLogHealthCheckFailures: true,
        healthChecker: {
          kind: 'httpHealthCheck',
          httpHealthCheck: {
            host: 'health.local',
            path: '/healthz',
            expectedStatuses: [{ start: 200, end: 300 }],
            retriableStatuses: [{ start: 503, end: 504 }],
            requestHeadersToAdd: [ADD_HEADER_FOR_TEST],
            requestHeadersToRemove: ['x-hc'],
            codecClientType: 'HTTP2',
            method: 'HEAD',
            serviceNameMatcher: { kind: 'exact', exact: 'backend' },
          },
        },
      },
      {
        timeoutMs: 500,
        intervalMs: 5000,
        unhealthyThreshold: 1,
        healthyThreshold: 1,
        healthChecker: { kind: 'tcpHealthCheck', tcpHealthCheck: { send: { kind: 'text', text: '50494e47' }, receive: [{ kind: 'text', text: '504f4e47' }, { kind: 'binary', binary: 'AQI=' }] } },
      },
      { timeoutMs: 500, intervalMs: 5000, unhealthyThreshold: 2, healthyThreshold: 2, healthChecker: { kind: 'grpcHealthCheck', grpcHealthCheck: { serviceName: 'backend.v1', authority: 'grpc.local' } } },
    ],
    httpProtocolOptions: {
      commonHttpProtocolOptions: { idleTimeoutMs: 60_000, maxRequestsPerConnection: 100 },
      upstreamProtocolOptions: { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'http2ProtocolOptions', http2ProtocolOptions: { maxConcurrentStreams: 64 } } },
      autoSni: true,
      autoSanValidation: true,
    },
    transportSocket: UPSTREAM_TLS_FOR_TEST,
    perConnectionBufferLimitBytes: 65_536,
    closeConnectionsOnHostHealthFailure: true,
  });
}

/** One cluster per remaining discovery type, LB config and upstream protocol option. */
export function kitchenSinkOtherClustersForTest(): Cluster[] {
  const s = KITCHEN_SINK_SOURCES_FOR_TEST;
  return [
    newCluster({
      name: 'cluster-eds',
      sources: s,
      type: 'EDS',
      edsClusterConfig: { serviceName: 'eds-service' },
      lbPolicy: 'MAGLEV',
      lbConfig: { kind: 'maglevLbConfig', maglevLbConfig: { tableSize: 65_537 } },
      httpProtocolOptions: { upstreamProtocolOptions: { kind: 'useDownstreamProtocolConfig', httpProtocolOptions: {}, http2ProtocolOptions: { allowConnect: true } } },
    }),
    newCluster({
      name: 'cluster-strict-dns',
      sources: s,
      type: 'STRICT_DNS',
      loadAssignment: { clusterName: 'cluster-strict-dns', endpoints: [{ lbEndpoints: [{ endpoint: { address: { kind: 'socketAddress', address: 'backend.example.com', portValue: 443 } } }] }], sources: [] },
      lbPolicy: 'LEAST_REQUEST',
      lbConfig: { kind: 'leastRequestLbConfig', leastRequestLbConfig: { choiceCount: 3, activeRequestBias: 1.5 } },
      dnsLookupFamily: 'V4_ONLY',
      dnsRefreshRateMs: 30_000,
      respectDnsTtl: true,
      httpProtocolOptions: { upstreamProtocolOptions: { kind: 'autoConfig', httpProtocolOptions: { acceptHttp10: true } } },
      transportSocket: {
        commonTlsContext: {
          tlsCertificates: [{ certificateChain: { kind: 'inlineString', inlineString: 'chain' }, privateKey: { kind: 'inlineString', inlineString: 'key' } }],
          tlsCertificateSdsSecretConfigs: [],
          validationContextType: {
            kind: 'validationContext',
            validationContext: {
              trustedCa: { kind: 'inlineString', inlineString: 'ca' },
              matchTypedSubjectAltNames: [{ sanType: 'DNS', matcher: { kind: 'exact', exact: 'backend.example.com' } }],
              verifyCertificateHash: [],
              verifyCertificateSpki: [],
            },
          },
          alpnProtocols: [],
        },
      },
    }),
    newCluster({
      name: 'cluster-logical-dns',
      sources: s,
      type: 'LOGICAL_DNS',
      lbConfig: { kind: 'roundRobinLbConfig', roundRobinLbConfig: { slowStartConfig: { slowStartWindowMs: 60_000, aggression: 2, minWeightPercent: 0.2 } } },
      dnsLookupFamily: 'V4_PREFERRED',
      httpProtocolOptions: { upstreamProtocolOptions: { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'httpProtocolOptions', httpProtocolOptions: {} } } },
    }),
    newCluster({ name: 'cluster-random', sources: s, type: 'EDS', edsClusterConfig: {}, lbPolicy: 'RANDOM' }),
  ];
}

/** An EDS ClusterLoadAssignment with every endpoint field. */
export function kitchenSinkLoadAssignmentForTest(): ClusterLoadAssignment {
  return {
    clusterName: 'eds-service',
    sources: KITCHEN_SINK_SOURCES_FOR_TEST,
    endpoints: [
      {
        locality: { region: 'eu', zone: 'eu-1a', subZone: 'rack-7' },
        loadBalancingWeight: 70,
        lbEndpoints: [
          {
            endpoint: { address: { kind: 'socketAddress', address: '127.0.0.2', portValue: 8080 }, healthCheckConfig: { portValue: 8081, hostname: 'hc.local' }, hostname: 'pod-a' },
            healthStatus: 'HEALTHY',
            loadBalancingWeight: 5,
          },
          { endpoint: { address: { kind: 'pipe', path: '/run/app.sock' } }, healthStatus: 'DRAINING' },
        ],
      },
      { locality: {}, priority: 1, lbEndpoints: [{ endpoint: { address: { kind: 'socketAddress', address: '127.0.0.3', portValue: 8080 } } }] },
    ],
    policy: { overprovisioningFactor: 200 },
  };
}

/** One secret of each type. */
export function kitchenSinkSecretsForTest(): Secret[] {
  const s = KITCHEN_SINK_SOURCES_FOR_TEST;
  return [
    {
      name: secretName('demo/gateway-cert'),
      sources: s,
      type: { kind: 'tlsCertificate', tlsCertificate: { certificateChain: { kind: 'inlineString', inlineString: '-----BEGIN CERTIFICATE-----' }, privateKey: { kind: 'inlineBytes', inlineBytes: 'a2V5' } } },
    },
    {
      name: secretName('demo/ca'),
      sources: s,
      type: {
        kind: 'validationContext',
        validationContext: {
          trustedCa: { kind: 'filename', filename: '/certs/ca.crt' },
          matchTypedSubjectAltNames: [
            { sanType: 'DNS', matcher: { kind: 'suffix', suffix: '.example.com' } },
            { sanType: 'EMAIL', matcher: { kind: 'exact', exact: 'ops@example.com' } },
            { sanType: 'IP_ADDRESS', matcher: { kind: 'exact', exact: '10.0.0.1' } },
            { sanType: 'URI', matcher: { kind: 'contains', contains: 'weft' } },
          ],
          verifyCertificateHash: ['df6ff72fe9116521268f6f2dd4966f51df479883fe7037b39f75916ac3049d1a'],
          verifyCertificateSpki: ['NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A='],
          crl: { kind: 'filename', filename: '/certs/ca.crl' },
          trustChainVerification: 'ACCEPT_UNTRUSTED',
        },
      },
    },
    { name: secretName('demo/token'), sources: s, type: { kind: 'genericSecret', genericSecret: { secret: { kind: 'environmentVariable', environmentVariable: 'TOKEN' } } } },
  ];
}
