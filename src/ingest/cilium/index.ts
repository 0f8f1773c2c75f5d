// CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig ingest (issue 6): configs + Services in,
// qualified Envoy resources, redirects, Diagnostics and per-config status reports out.
export { ingestCiliumEnvoyConfigs } from './ingest-cilium-envoy-configs.ts';
export { qualifyName, qualifyClusterRef } from './qualified-name.ts';
export type { QualifyScope } from './qualified-name.ts';
export { CILIUM_DEFAULT_CIRCUIT_BREAKERS } from './cluster-defaults.ts';
export type {
  CiliumEnvoyConfigIngest,
  CiliumEnvoyConfigInput,
  CiliumEnvoyConfigReport,
  ClusterReport,
  ConfigCondition,
  ConfigConditionType,
  ListenerReport,
  ServicePortRedirect,
} from './types.ts';
