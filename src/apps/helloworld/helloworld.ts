/**
 * Istio's helloworld sample (`istio/examples-helloworld-v1`, `-v2`): `GET /hello` answers
 * `Hello version: v1, instance: <pod name>` and `/health` `Helloworld is healthy`, on port 5000.
 * The version comes from `SERVICE_VERSION` (the real images bake it in; a Pod may override it),
 * else from the image name; the instance is `HOSTNAME`, which Kubernetes sets to the Pod name.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { FLASK_HTML, sendFlaskMethodNotAllowed, sendFlaskNotFound } from '../http/flask.ts';
import { serve } from '../http/serve.ts';

const DEFAULT_PORT = 5000;

export function helloText(version: string, instance: string): string {
  return `Hello version: ${version}, instance: ${instance}\n`;
}

export function createHelloworldApp(repository: string, imageVersion: string | undefined): AppSpec {
  return {
    kind: 'app',
    app: 'helloworld',
    repository,
    defaultPorts: () => [DEFAULT_PORT],
    start: (options) => startHelloworld(options, imageVersion),
  };
}

function startHelloworld(options: AppStartOptions, imageVersion: string | undefined): Promise<RunningApp> {
  // Python's `%s` of a missing variable prints `None`, as the original does without SERVICE_VERSION.
  const version = options.env.SERVICE_VERSION ?? imageVersion ?? 'None';
  const instance = options.env.HOSTNAME || options.podName;
  const handler = (req: AppRequest, res: AppResponse): void => {
    const known = req.path === '/hello' || req.path === '/health';
    if (known && req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') sendFlaskMethodNotAllowed(res, ['GET', 'HEAD', 'OPTIONS']);
    else if (req.path === '/hello') res.send(200, { 'content-type': FLASK_HTML }, helloText(version, instance));
    else if (req.path === '/health') res.send(200, { 'content-type': FLASK_HTML }, 'Helloworld is healthy');
    else sendFlaskNotFound(res);
  };
  const ports = options.ports.length > 0 ? options.ports : [DEFAULT_PORT];
  return serve({ host: options.host, ports, handler });
}
