/** Paths and bodies of weft's own API endpoints (beside the Kubernetes-shaped resource paths). */
export const STATUS_PATH = '/apis/weft.dev/v1/status';
export const CONFIG_PATH = '/apis/weft.dev/v1/config';
/** Batch apply: POST {files: [{name, content}], dryRun?, namespace?}. */
export const APPLY_PATH = '/apis/weft.dev/v1/apply';
/** What an object turned into: GET ?kind=KIND&name=NAME[&namespace=NS] (kinds `weft explain` knows). */
export const EXPLAIN_PATH = '/apis/weft.dev/v1/explain';
/** What a request will do: GET ?url=URL[&method=M][&header=Name: value]...[&from=POD|deploy/NAME][&namespace=NS]. */
export const EXPLAIN_REQUEST_PATH = '/apis/weft.dev/v1/explain/request';

export interface ComponentStatus {
  name: string;
  state: 'OK' | 'Warning' | 'Error' | 'Disabled';
  message: string;
}

export interface StatusReport {
  version: string;
  components: ComponentStatus[];
}
