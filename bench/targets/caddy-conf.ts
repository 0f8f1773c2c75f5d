/**
 * Caddy's JSON config: one reverse_proxy route, no admin endpoint, no automatic HTTPS, warnings
 * only, keep-alive pool to the upstream. GOMAXPROCS=1 is set by the caller (one worker).
 */
export function renderCaddyConf(o: { host: string; port: number; upstreamPort: number }): string {
  const config = {
    admin: { disabled: true, config: { persist: false } },
    logging: { logs: { default: { level: 'WARN' } } },
    apps: {
      http: {
        grace_period: 1_000_000_000,
        servers: {
          bench: {
            listen: [`${o.host}:${o.port}`],
            automatic_https: { disable: true },
            routes: [
              {
                handle: [
                  {
                    handler: 'reverse_proxy',
                    transport: {
                      protocol: 'http',
                      keep_alive: { idle_timeout: 120_000_000_000, max_idle_conns: 256, max_idle_conns_per_host: 64 },
                    },
                    upstreams: [{ dial: `${o.host}:${o.upstreamPort}` }],
                  },
                ],
              },
            ],
          },
        },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
