/**
 * Envoy's defaults for the optional fields of this model, in one place, so the runtime applies
 * the same value every time an optional field is absent. Milliseconds for durations; fractions in
 * [0, 1] for percentages. Sources: the Envoy v3 API reference for each message.
 */
export const ENVOY_DEFAULTS = {
  route: {
    /** RouteAction.timeout. */
    timeoutMs: 15_000,
  },
  retryPolicy: {
    numRetries: 1,
    baseIntervalMs: 25,
    /** max_interval defaults to 10 × base_interval. */
    maxIntervalFactor: 10,
    hostSelectionRetryMaxAttempts: 1,
  },
  hcm: {
    serverName: 'envoy',
    streamIdleTimeoutMs: 300_000,
    requestTimeoutMs: 0,
    requestHeadersTimeoutMs: 0,
    drainTimeoutMs: 5_000,
    delayedCloseTimeoutMs: 1_000,
    maxRequestHeadersKb: 60,
    idleTimeoutMs: 3_600_000,
    maxHeadersCount: 100,
    generateRequestId: true,
  },
  http2: {
    maxConcurrentStreams: 2_147_483_647,
    initialStreamWindowSize: 268_435_456,
    initialConnectionWindowSize: 268_435_456,
  },
  listener: {
    listenerFiltersTimeoutMs: 15_000,
    perConnectionBufferLimitBytes: 1_048_576,
  },
  tcpProxy: {
    idleTimeoutMs: 3_600_000,
    maxConnectAttempts: 1,
  },
  localRateLimit: {
    status: 429,
    tokensPerFill: 1,
  },
  cluster: {
    connectTimeoutMs: 5_000,
    lbPolicy: 'ROUND_ROBIN',
    dnsRefreshRateMs: 5_000,
    healthyPanicThreshold: 0.5,
    perConnectionBufferLimitBytes: 1_048_576,
  },
  circuitBreakers: {
    maxConnections: 1024,
    maxPendingRequests: 1024,
    maxRequests: 1024,
    maxRetries: 3,
    retryBudgetPercent: 0.2,
    retryBudgetMinRetryConcurrency: 3,
  },
  outlierDetection: {
    consecutive5xx: 5,
    intervalMs: 10_000,
    baseEjectionTimeMs: 30_000,
    maxEjectionTimeMs: 300_000,
    maxEjectionTimeJitterMs: 0,
    maxEjectionPercent: 0.1,
    enforcingConsecutive5xx: 1,
    enforcingSuccessRate: 1,
    successRateMinimumHosts: 5,
    successRateRequestVolume: 100,
    successRateStdevFactor: 1900,
    consecutiveGatewayFailure: 5,
    enforcingConsecutiveGatewayFailure: 0,
    consecutiveLocalOriginFailure: 5,
    enforcingConsecutiveLocalOriginFailure: 1,
    enforcingLocalOriginSuccessRate: 1,
    failurePercentageThreshold: 85,
    enforcingFailurePercentage: 0,
    enforcingFailurePercentageLocalOrigin: 0,
    failurePercentageMinimumHosts: 5,
    failurePercentageRequestVolume: 50,
  },
  healthCheck: {
    noTrafficIntervalMs: 60_000,
  },
  ringHash: {
    minimumRingSize: 1024,
    maximumRingSize: 8_388_608,
  },
  maglev: {
    tableSize: 65_537,
  },
  leastRequest: {
    choiceCount: 2,
    activeRequestBias: 1,
  },
  lbEndpoint: {
    loadBalancingWeight: 1,
  },
  clusterLoadAssignment: {
    overprovisioningFactor: 140,
  },
} as const;
