/**
 * The contract between weft's Pod runtime and the built-in demo apps. An app is a plain Node
 * server: given an address, ports, the container's environment and the Pod's identity, it listens
 * there until closed. Apps that call other services (Bookinfo) send every outbound request through
 * `upstreamProxy`, the node's outbound proxy, so that those calls cross the mesh as they would in a
 * cluster.
 */

export interface AppStartOptions {
  /** The address to listen on (the Pod IP). */
  readonly host: string;
  /**
   * The ports to listen on (the container's ports). Empty: the ports the original image listens on,
   * from its environment and defaults (`AppSpec.defaultPorts`). Port 0 picks a free port.
   */
  readonly ports: readonly number[];
  /** The container's environment as the manifest gives it (not weft's own process environment). */
  readonly env: Readonly<Record<string, string>>;
  readonly podName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The outbound HTTP proxy (`http://[user:pass@]127.0.0.1:15001`) that calls to other services go
   * through as absolute-form proxy requests. Without it, such calls go straight to the named host.
   */
  readonly upstreamProxy?: string;
  /**
   * Files the container sees from its ConfigMap and Secret volumes, by absolute path
   * (`/etc/nginx/nginx.conf`, `/etc/nginx-server-certs/tls.crt`). Only apps whose original reads
   * configuration files use them (nginx); the others ignore them.
   */
  readonly files?: ReadonlyMap<string, string | Buffer>;
}

export interface RunningApp {
  /** The ports actually bound, in the order asked (they differ from the request only for port 0). */
  readonly ports: readonly number[];
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}

/** The built-in apps, one per behaviour (several images may map to one app). */
export type AppName =
  | 'helloworld'
  | 'bookinfo-productpage'
  | 'bookinfo-details'
  | 'bookinfo-reviews'
  | 'bookinfo-ratings'
  | 'echo-basic'
  | 'json-mock'
  | 'e2e-echoserver'
  | 'nginx'
  | 'httpbin'
  | 'http-echo'
  | 'fortio-server';

/** An image weft runs as a built-in app. */
export interface AppSpec {
  readonly kind: 'app';
  readonly app: AppName;
  /** What the image was recognised as, for `weft get pod -o wide` and `describe`: `istio/examples-helloworld-v1`. */
  readonly repository: string;
  /** The ports the original image listens on given this environment (used when `ports` is empty). */
  defaultPorts(env: Readonly<Record<string, string>>): readonly number[];
  start(options: AppStartOptions): Promise<RunningApp>;
}

/** An image that runs nothing under weft and only gives its Pod an identity (curl, netshoot, fortio as a client). */
export interface ClientOnly {
  readonly kind: 'client-only';
  readonly repository: string;
}

export type ImageMatch = AppSpec | ClientOnly;

/** The command and arguments of a container, as the manifest gives them (`command`, `args`). */
export interface ContainerInvocation {
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}
