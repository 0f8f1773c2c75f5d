export type { AppName, AppSpec, AppStartOptions, ClientOnly, ContainerInvocation, ImageMatch, RunningApp } from './app.ts';
export { matchImage, isApp, KNOWN_REPOSITORIES } from './image-registry.ts';
export { parseImageRef, type ImageRef } from './image-ref.ts';
export { planPodApps, startPodApps, type PlannedApp, type PodAppPlan, type PodStartOptions, type SkippedContainer } from './pod-apps.ts';
export { containerEnv, containerFiles, type ContainerLike, type EnvVarLike, type PodLike, type VolumeLookup } from './pod-env.ts';
export {
  fortioLoadArgs,
  LOAD_DEFAULTS,
  LOAD_USAGE,
  parseLoadArgs,
  proxyFromEnv,
  runLoad,
  runLoadCommand,
  type LoadIo,
  type LoadOptions,
  type LoadResult,
} from './load/index.ts';
