/**
 * `/server_info` (admin.v3.ServerInfo as Envoy prints it: every field, protobuf JSON order) and
 * `/ready` (200 `LIVE` when serving, 503 with the state otherwise).
 */
import { type AdminResponse, jsonResponse, protoDuration, textResponse } from './admin-response.ts';

export type ServerState = 'LIVE' | 'DRAINING' | 'PRE_INITIALIZING' | 'INITIALIZING';

/** The subset of Envoy's CommandLineOptions weft has an answer for. */
export interface CommandLineOptionsView {
  readonly concurrency: number;
  readonly configPath?: string;
  readonly configYaml?: string;
  readonly adminAddressPath?: string;
  readonly localAddressIpVersion?: 'v4' | 'v6';
  readonly logLevel?: string;
  readonly logPath?: string;
  readonly serviceCluster?: string;
  readonly serviceNode?: string;
  readonly serviceZone?: string;
  readonly fileFlushIntervalSeconds?: number;
  readonly drainTimeSeconds?: number;
  readonly drainStrategy?: 'Gradual' | 'Immediate';
  readonly parentShutdownTimeSeconds?: number;
  readonly mode?: 'Serve' | 'Validate' | 'InitOnly';
}

export interface NodeView {
  readonly id: string;
  readonly cluster: string;
  readonly userAgentName?: string;
  readonly userAgentVersion?: string;
}

export interface ServerInfoView {
  /** Envoy prints `<sha>/<version>/<status>/<build type>/<ssl>`; weft prints its own build string. */
  readonly version: string;
  readonly state: ServerState;
  readonly uptimeCurrentEpochSeconds: number;
  readonly uptimeAllEpochsSeconds?: number;
  /** `disabled`: weft has no hot restart. */
  readonly hotRestartVersion?: string;
  readonly commandLineOptions: CommandLineOptionsView;
  readonly node?: NodeView;
}

export function renderServerInfo(info: ServerInfoView): AdminResponse {
  const o = info.commandLineOptions;
  return jsonResponse({
    version: info.version,
    state: info.state,
    uptime_current_epoch: protoDuration(Math.trunc(info.uptimeCurrentEpochSeconds)),
    uptime_all_epochs: protoDuration(Math.trunc(info.uptimeAllEpochsSeconds ?? info.uptimeCurrentEpochSeconds)),
    hot_restart_version: info.hotRestartVersion ?? 'disabled',
    command_line_options: {
      base_id: '0',
      concurrency: o.concurrency,
      config_path: o.configPath ?? '',
      config_yaml: o.configYaml ?? '',
      allow_unknown_static_fields: false,
      admin_address_path: o.adminAddressPath ?? '',
      local_address_ip_version: o.localAddressIpVersion ?? 'v4',
      log_level: o.logLevel ?? 'info',
      component_log_level: '',
      log_format: '[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v',
      log_path: o.logPath ?? '',
      service_cluster: o.serviceCluster ?? '',
      service_node: o.serviceNode ?? '',
      service_zone: o.serviceZone ?? '',
      file_flush_interval: protoDuration(o.fileFlushIntervalSeconds ?? 10),
      drain_time: protoDuration(o.drainTimeSeconds ?? 600),
      parent_shutdown_time: protoDuration(o.parentShutdownTimeSeconds ?? 900),
      mode: o.mode ?? 'Serve',
      disable_hot_restart: true,
      enable_mutex_tracing: false,
      restart_epoch: 0,
      cpuset_threads: false,
      reject_unknown_dynamic_fields: false,
      log_format_escaped: false,
      disabled_extensions: [],
      ignore_unknown_dynamic_fields: false,
      use_dynamic_base_id: false,
      base_id_path: '',
      drain_strategy: o.drainStrategy ?? 'Gradual',
      enable_fine_grain_logging: false,
      socket_path: '',
      socket_mode: 0,
      enable_core_dump: false,
      stats_tags: [],
    },
    node: {
      id: info.node?.id ?? '',
      cluster: info.node?.cluster ?? '',
      user_agent_name: info.node?.userAgentName ?? 'weft',
      user_agent_version: info.node?.userAgentVersion ?? '',
    },
  });
}

/** `/ready`: Envoy answers `LIVE` with 200 only in the LIVE state. */
export function renderReady(state: ServerState): AdminResponse {
  return textResponse(`${state}\n`, state === 'LIVE' ? 200 : 503);
}
