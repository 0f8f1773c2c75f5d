// Micro-benchmark of the compiled route table: `node --import tsx bench/route-match.ts`.
// Builds a route configuration shaped like a busy gateway (50 virtual hosts of 20 routes mixing
// exact, prefix, RE2 regex, header and query matchers, weighted clusters), then matches a fixed
// rotation of requests and prints matches per second.
import type { Route } from '../src/model/index.ts';
import { clusterName, newRoute, newRouteConfiguration, newRouteMatch, newVirtualHost, toCluster } from '../src/model/index.ts';
import { SeededRandom } from '../src/dataplane/lb/index.ts';
import { pickCluster, RouteTable, type HeaderAccessor, type RouteRequest } from '../src/dataplane/routing/index.ts';

function routesFor(v: number): Route[] {
  const routes: Route[] = [];
  for (let i = 0; i < 5; i++) {
    routes.push(newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'path', path: `/v${v}/exact/${i}` } }), action: toCluster(`c${i}`) }));
    routes.push(newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'safeRegex', regex: `/v${v}/users/[0-9]+/item${i}` } }), action: toCluster(`c${i}`) }));
    routes.push(
      newRoute({
        match: newRouteMatch({
          pathSpecifier: { kind: 'prefix', prefix: `/v${v}/api/${i}` },
          headers: [{ name: 'x-version', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'v2' } } }],
        }),
        action: toCluster(`c${i}`),
      }),
    );
    routes.push(
      newRoute({
        match: newRouteMatch({
          pathSpecifier: { kind: 'prefix', prefix: `/v${v}/q/${i}` },
          queryParameters: [{ name: 'debug', queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: true } }],
        }),
        action: toCluster(`c${i}`),
      }),
    );
  }
  routes.push(
    newRoute({
      match: newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: '/' } }),
      action: toCluster('default', {
        clusterSpecifier: {
          kind: 'weightedClusters',
          weightedClusters: {
            clusters: [90, 10].map((weight, k) => ({
              name: clusterName(`w${k}`),
              weight,
              requestHeadersToAdd: [],
              requestHeadersToRemove: [],
              responseHeadersToAdd: [],
              responseHeadersToRemove: [],
              typedPerFilterConfig: {},
            })),
          },
        },
      }),
    }),
  );
  return routes;
}

const config = newRouteConfiguration({
  name: 'bench',
  virtualHosts: [
    ...Array.from({ length: 50 }, (_, v) => newVirtualHost({ name: `vh${v}`, domains: [`svc${v}.example.com`, `*.svc${v}.example.net`], routes: routesFor(v) })),
    newVirtualHost({ name: 'default', domains: ['*'], routes: routesFor(999) }),
  ],
});
const built = RouteTable.build(config);
if (!built.ok) throw new Error(JSON.stringify(built.error));
const table = built.value;

const headers = (h: Record<string, string>): HeaderAccessor => ({ get: (n) => h[n] });
const requests: RouteRequest[] = [];
for (let v = 0; v < 50; v += 7) {
  const base = { method: 'GET', scheme: 'http', query: '' };
  requests.push({ ...base, authority: `svc${v}.example.com`, path: `/v${v}/exact/3`, headers: headers({}) });
  requests.push({ ...base, authority: `a.svc${v}.example.net:8080`, path: `/v${v}/users/12345/item4`, headers: headers({}) });
  requests.push({ ...base, authority: `svc${v}.example.com`, path: `/v${v}/api/2/list`, headers: headers({ 'x-version': 'v2' }) });
  requests.push({ ...base, authority: `SVC${v}.example.com`, path: `/v${v}/q/1`, query: 'a=1&debug', headers: headers({}) });
  requests.push({ ...base, authority: `svc${v}.example.com`, path: '/anything/else', headers: headers({}) });
}

const random = new SeededRandom(1);
let sink = 0;
function run(n: number): void {
  for (let i = 0; i < n; i++) {
    const e = table.match(requests[i % requests.length], random);
    if (e?.action.kind === 'route') sink += pickCluster(e.action.target, random).cluster.length;
  }
}

run(200_000); // warm up
const rounds = 5;
const n = 1_000_000;
const rates: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  run(n);
  const ns = Number(process.hrtime.bigint() - t0);
  rates.push(n / (ns / 1e9));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
console.log(
  `route-match: ${Math.round(median).toLocaleString('en-US')} matches/s (median of ${rounds} × ${n.toLocaleString('en-US')}; ` +
    `${config.virtualHosts.length} virtual hosts, ${config.virtualHosts.reduce((s, vh) => s + vh.routes.length, 0)} routes; ${requests.length} request shapes) [${sink > 0 ? 'ok' : '?'}]`,
);
