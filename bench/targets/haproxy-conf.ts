/** HAProxy as a reverse proxy: one thread, keep-alive both sides, connections reused always. */
export function renderHaproxyConf(o: { host: string; port: number; upstreamPort: number }): string {
  return `global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
frontend bench_fe
  bind ${o.host}:${o.port}
  default_backend bench_be
backend bench_be
  server up1 ${o.host}:${o.upstreamPort} maxconn 1000
`;
}
