// The "minimal Node proxy" of the bench: node:http server + undici Pool, bodies streamed both ways,
// hop-by-hop headers dropped, nothing else. Plain JavaScript on purpose: it runs under bare `node`
// (no TypeScript loader thread), so its CPU and RSS are those of the simplest possible Node proxy.
// The response body is forwarded with .pipe() rather than stream.pipeline(): on Node 20 pipeline()
// cost this proxy about half its requests/s (measured with shared/tools/bench-proxies.sh).
//   node bench/targets/node-undici-proxy.mjs PORT UPSTREAM_HOST UPSTREAM_PORT
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [port, upHost, upPort] = process.argv.slice(2);
const pool = new Pool(`http://${upHost}:${upPort}`, { connections: 64, pipelining: 1, keepAliveTimeout: 60e3 });
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te',
  'trailer', 'upgrade', 'host', 'proxy-authorization', 'proxy-authenticate']);

function strip(h) {
  const o = {};
  for (const k in h) if (!HOP.has(k)) o[k] = h[k];
  return o;
}

const server = createServer((req, res) => {
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  pool.request({ path: req.url, method: req.method, headers: strip(req.headers), body: hasBody ? req : null },
    (err, up) => {
      if (err) {
        if (!res.headersSent) res.writeHead(502);
        res.end();
        return;
      }
      res.writeHead(up.statusCode, strip(up.headers));
      up.body.on('error', (e) => res.destroy(e));
      res.on('close', () => { if (!up.body.readableEnded) up.body.destroy(); });
      up.body.pipe(res);
    });
});
server.keepAliveTimeout = 65e3;
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => { server.close(); pool.close().finally(() => process.exit(0)); server.closeAllConnections(); });
