/** Paths and bodies of weft's own API endpoints (beside the Kubernetes-shaped resource paths). */
export const STATUS_PATH = '/apis/weft.dev/v1/status';
export const CONFIG_PATH = '/apis/weft.dev/v1/config';

export interface ComponentStatus {
  name: string;
  state: 'OK' | 'Warning' | 'Error' | 'Disabled';
  message: string;
}

export interface StatusReport {
  version: string;
  components: ComponentStatus[];
}
