/**
 * nginx configurations: the fixed upstream (answers a fixed body from memory) and nginx as a
 * reverse proxy in front of it. Both: one worker, no access log, keep-alive without a request cap.
 */
import { join } from 'node:path';

function common(dir: string): string {
  return [
    'daemon off;',
    'master_process on;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
  ].join('\n');
}

/** Temp paths inside `dir`, so nginx never needs the system's /var/lib/nginx. */
function tempPaths(dir: string): string {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `  ${k}_temp_path ${join(dir, `tmp_${k}`)};`)
    .join('\n');
}

/** The body must be safe inside an nginx double-quoted string. */
export function isNginxSafeBody(body: string): boolean {
  return /^[\x20-\x7e]*$/.test(body) && !/["\\$]/.test(body);
}

export function renderUpstreamNginxConf(o: { dir: string; host: string; port: number; body: string }): string {
  return `${common(o.dir)}
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
${tempPaths(o.dir)}
  server {
    listen ${o.host}:${o.port} backlog=4096;
    location / {
      default_type text/plain;
      return 200 "${o.body}";
    }
  }
}
`;
}

export function renderProxyNginxConf(o: { dir: string; host: string; port: number; upstreamPort: number }): string {
  return `${common(o.dir)}
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
${tempPaths(o.dir)}
  upstream bench_up {
    server ${o.host}:${o.upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen ${o.host}:${o.port} backlog=4096;
    location / {
      proxy_pass http://bench_up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}
