/** Paths and bodies of weft's own API endpoints (beside the Kubernetes-shaped resource paths). */
export const STATUS_PATH = '/apis/weft.dev/v1/status';
export const CONFIG_PATH = '/apis/weft.dev/v1/config';
/** Batch apply: POST {files: [{name, content}], dryRun?, namespace?}. */
export const APPLY_PATH = '/apis/weft.dev/v1/apply';

export interface ComponentStatus {
  name: string;
  state: 'OK' | 'Warning' | 'Error' | 'Disabled';
  message: string;
}

export interface StatusReport {
  version: string;
  components: ComponentStatus[];
}
