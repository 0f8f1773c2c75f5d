/**
 * The Kubernetes e2e `echoserver` (nginx + lua; `registry.k8s.io/echoserver`,
 * `gcr.io/kubernetes-e2e-test-images/echoserver`), used by Cilium's Gateway API traffic-splitting
 * example, whose check counts `Hostname: echo-1` lines. Every path answers a plain-text report of
 * the request: hostname, Pod information (from `POD_NAME`, `POD_NAMESPACE`, `POD_IP`,
 * `NODE_NAME`), request line details, headers and body. Listens on 8080.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';

const DEFAULT_PORT = 8080;
const BODY_LIMIT = 64 * 1024;

interface PodInfo {
  readonly hostname: string;
  readonly nodeName?: string;
  readonly podName?: string;
  readonly namespace?: string;
  readonly podIp?: string;
}

export function echoserverReport(req: AppRequest, pod: PodInfo, body: Buffer): string {
  const lines = ['', '', `Hostname: ${pod.hostname}`, '', 'Pod Information:'];
  if (pod.podName || pod.namespace || pod.podIp || pod.nodeName) {
    lines.push(`\tnode name:\t${pod.nodeName ?? ''}`, `\tpod name:\t${pod.podName ?? ''}`, `\tpod namespace:\t${pod.namespace ?? ''}`, `\tpod IP:\t${pod.podIp ?? ''}`);
  } else lines.push('\t-no pod information available-');
  const q = req.target.indexOf('?');
  lines.push(
    '',
    'Server values:',
    '\tserver_version=nginx: 1.14.2 - lua: 10015',
    '',
    'Request Information:',
    `\tclient_address=${req.remoteAddress}`,
    `\tmethod=${req.method}`,
    `\treal path=${req.path}`,
    `\tquery=${q === -1 ? '' : req.target.slice(q + 1)}`,
    `\trequest_version=${req.httpVersion}`,
    `\trequest_scheme=http`,
    `\trequest_uri=http://${req.authority}${req.target}`,
    '',
    'Request Headers:',
  );
  const headers = Object.entries(req.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of headers) lines.push(`\t${k}=${Array.isArray(v) ? v.join(', ') : (v ?? '')}`);
  lines.push('', 'Request Body:', body.length > 0 ? body.toString('utf8') : '\t-no body in request-', '', '');
  return lines.join('\n');
}

function createHandler(options: AppStartOptions): (req: AppRequest, res: AppResponse) => Promise<void> {
  const env = options.env;
  const pod: PodInfo = {
    hostname: env.HOSTNAME || options.podName,
    nodeName: env.NODE_NAME,
    podName: env.POD_NAME,
    namespace: env.POD_NAMESPACE,
    podIp: env.POD_IP,
  };
  return async (req, res) => {
    let body: Buffer;
    try {
      body = await req.readBody(BODY_LIMIT);
    } catch {
      res.send(413, { 'content-type': 'text/plain' }, 'Request Entity Too Large\n');
      return;
    }
    res.send(200, { 'content-type': 'text/plain' }, echoserverReport(req, pod, body));
  };
}

export function createE2eEchoserverApp(repository: string): AppSpec {
  return {
    kind: 'app',
    app: 'e2e-echoserver',
    repository,
    defaultPorts: () => [DEFAULT_PORT],
    start: (options): Promise<RunningApp> =>
      serve({
        host: options.host,
        ports: options.ports.length > 0 ? options.ports : [DEFAULT_PORT],
        handler: createHandler(options),
        serverHeader: 'echoserver',
      }),
  };
}
