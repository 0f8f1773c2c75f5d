/**
 * The official `nginx` image: `/` and `/index.html` serve the "Welcome to nginx!" page,
 * `/50x.html` the error page, anything else nginx's 404 page; GET and HEAD only (others get 405,
 * as nginx answers for static files). With its default configuration it listens on 80. When the
 * Pod mounts its own `/etc/nginx/nginx.conf` (or `conf.d/*.conf`), nginx listens where that
 * configuration says, over TLS for `listen ... ssl` with the mounted certificate and key (see
 * nginx-config.ts); a configuration nginx would refuse makes `start` reject with nginx's message.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';
import { parseNginxConfig, type NginxListen } from './nginx-config.ts';

const VERSION = 'nginx/1.27.3';
const DEFAULT_PORT = 80;
/** The files' modification time as the image ships them. */
const LAST_MODIFIED = 'Tue, 26 Nov 2024 15:55:00 GMT';

export const NGINX_WELCOME_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const ERROR_50X_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

function errorPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>${VERSION}</center>\r\n</body>\r\n</html>\r\n`;
}

function handle(req: AppRequest, res: AppResponse): void {
  const file = req.path === '/' || req.path === '/index.html' ? NGINX_WELCOME_HTML : req.path === '/50x.html' ? ERROR_50X_HTML : undefined;
  if (file === undefined) {
    res.send(404, { 'content-type': 'text/html' }, errorPage(404, 'Not Found'));
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.send(405, { 'content-type': 'text/html' }, errorPage(405, 'Not Allowed'));
  } else {
    res.send(200, { 'content-type': 'text/html', 'last-modified': LAST_MODIFIED, etag: `"6745ef54-${file.length.toString(16)}"`, 'accept-ranges': 'bytes' }, file);
  }
}

/** The mounted configuration: nginx.conf, else the conf.d files (in path order), else none. */
function mountedConfig(files: ReadonlyMap<string, string | Buffer> | undefined): string | undefined {
  if (!files) return undefined;
  const main = files.get('/etc/nginx/nginx.conf');
  if (main !== undefined) return main.toString();
  const confD = [...files.keys()].filter((p) => /^\/etc\/nginx\/conf\.d\/[^/]+\.conf$/.test(p)).sort();
  return confD.length > 0 ? confD.map((p) => files.get(p)!.toString()).join('\n') : undefined;
}

function tlsFor(listen: NginxListen, files: ReadonlyMap<string, string | Buffer>): { cert: string | Buffer; key: string | Buffer } {
  if (!listen.certificate) throw new Error(`nginx: [emerg] no "ssl_certificate" is defined for the "listen ... ssl" directive (port ${listen.port})`);
  const cert = files.get(listen.certificate);
  if (cert === undefined) throw new Error(`nginx: [emerg] cannot load certificate "${listen.certificate}": no such file (mount it from a Secret)`);
  const keyPath = listen.certificateKey ?? listen.certificate;
  const key = files.get(keyPath);
  if (key === undefined) throw new Error(`nginx: [emerg] cannot load certificate key "${keyPath}": no such file (mount it from a Secret)`);
  return { cert, key };
}

async function startNginx(options: AppStartOptions): Promise<RunningApp> {
  const config = mountedConfig(options.files);
  if (config === undefined) {
    return serve({ host: options.host, ports: options.ports.length > 0 ? options.ports : [DEFAULT_PORT], handler: handle, serverHeader: VERSION });
  }
  const listens = parseNginxConfig(config);
  if (!listens.ok) throw new Error(listens.error);
  const files = options.files ?? new Map<string, string | Buffer>();
  const tlsOptions = listens.value.map((l) => (l.ssl ? tlsFor(l, files) : undefined));
  const started: RunningApp[] = [];
  try {
    for (const [i, l] of listens.value.entries()) {
      const tls = tlsOptions[i];
      started.push(await serve({ host: options.host, ports: [l.port], handler: handle, serverHeader: VERSION, ...(tls ? { tls } : {}) }));
    }
  } catch (e) {
    await Promise.all(started.map((a) => a.close()));
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    ports: started.flatMap((a) => a.ports),
    close: () => (closing ??= Promise.all(started.map((a) => a.close())).then(() => undefined)),
  };
}

export function createNginxApp(repository: string): AppSpec {
  return { kind: 'app', app: 'nginx', repository, defaultPorts: () => [DEFAULT_PORT], start: startNginx };
}
