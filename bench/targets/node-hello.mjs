// Reference only, NOT a proxy: node:http answering the upstream's body itself. The ceiling of any
// single-event-loop Node proxy on this machine. Plain JavaScript for the same reason as
// node-undici-proxy.mjs.   BENCH_BODY=... node bench/targets/node-hello.mjs PORT
import { createServer } from 'node:http';

const body = Buffer.from(process.env.BENCH_BODY ?? '');
const [port] = process.argv.slice(2);
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65e3;
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
