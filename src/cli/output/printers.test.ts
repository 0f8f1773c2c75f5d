// `weft get` tables against what kubectl prints for the same objects (pods, services,
// deployments, endpointslices, endpoints), one kind and several kinds at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveKind } from '../../api/kinds.ts';
import type { KindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { formatTable, printGroups } from './printers.ts';
import type { KindGroup } from './printers.ts';

const NOW = new Date('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function info(name: string): KindInfo {
  const i = resolveKind(name);
  assert.ok(i, name);
  return i;
}

function obj(kind: string, name: string, rest: Record<string, unknown>, age = 300): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace: 'default', creationTimestamp: ago(age) }, ...rest } as KubeObject;
}

function render(groups: KindGroup[], wide = true, opts: { allNamespaces?: boolean } = {}): string[] {
  const out = printGroups(groups, { kind: 'table', wide }, { single: false, allNamespaces: opts.allNamespaces ?? false, multiKind: groups.length > 1, now: NOW });
  return out.split('\n');
}

const columns = (line: string) => line.split(/ {2,}/);

const running = (name: string, ready = true) => ({ name, ready, started: true, restartCount: 0, state: { running: { startedAt: ago(60) } } });

const helloPod = obj('Pod', 'helloworld-v1-7dc9c4ff-wpdhd', {
  spec: { nodeName: 'weft-node', containers: [{ name: 'helloworld', image: 'docker.io/istio/examples-helloworld-v1' }] },
  status: { phase: 'Running', podIP: '127.244.0.2', podIPs: [{ ip: '127.244.0.2' }], containerStatuses: [running('helloworld')] },
});

const echoPod = obj('Pod', 'echo-service-1-7d958f56c6-mpnq7', {
  spec: { nodeName: 'weft-node', containers: [{ name: 'echo-service-1' }, { name: 'dns-test-server' }] },
  status: {
    phase: 'Running',
    message: 'not run by weft: dns-test-server (coredns/coredns:1.9.3)',
    podIP: '127.244.0.5',
    containerStatuses: [running('dns-test-server'), running('echo-service-1')],
  },
});

describe('pods', () => {
  test('-o wide has kubectl columns: READY, STATUS, RESTARTS, AGE, IP, NODE, NOMINATED NODE, READINESS GATES', () => {
    const [header, row, end] = render([{ info: info('pods'), items: [helloPod] }]);
    assert.deepEqual(columns(header), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.deepEqual(columns(row), ['helloworld-v1-7dc9c4ff-wpdhd', '1/1', 'Running', '0', '5m', '127.244.0.2', 'weft-node', '<none>', '<none>']);
    assert.equal(end, '');
  });

  test('without -o wide: NAME READY STATUS RESTARTS AGE', () => {
    const [header] = render([{ info: info('pods'), items: [helloPod] }], false);
    assert.deepEqual(columns(header), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  });

  test('a sidecar weft does not run is noted in a last NOTES column, only when some Pod has a note', () => {
    const [header, hello, echo] = render([{ info: info('pods'), items: [helloPod, echoPod] }]);
    assert.deepEqual(columns(header).slice(-2), ['READINESS GATES', 'NOTES']);
    assert.equal(columns(hello).at(-1), '<none>');
    assert.deepEqual(columns(echo).slice(1, 3), ['2/2', 'Running']);
    assert.equal(columns(echo).at(-1), 'not run by weft: dns-test-server (coredns/coredns:1.9.3)');
  });

  test('STATUS follows the containers: waiting reasons, terminations, Terminating; RESTARTS says when', () => {
    const creating = obj('Pod', 'a', {
      spec: { containers: [{ name: 'c' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
    });
    const crashed = obj('Pod', 'b', {
      spec: { containers: [{ name: 'c' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } },
        ],
      },
    });
    const deleting = obj('Pod', 'c', {
      spec: { containers: [{ name: 'c' }], readinessGates: [{ conditionType: 'example.com/gate' }] },
      status: { phase: 'Running', containerStatuses: [running('c')], conditions: [{ type: 'example.com/gate', status: 'True' }] },
    });
    (deleting.metadata as { deletionTimestamp?: string }).deletionTimestamp = ago(1);
    const init = obj('Pod', 'd', {
      spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'c' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', ready: true, restartCount: 0, state: { terminated: { exitCode: 0 } } },
          { name: 'i2', ready: false, restartCount: 0, state: { running: {} } },
        ],
        containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    const lines = render([{ info: info('pods'), items: [creating, crashed, deleting, init] }]);
    assert.deepEqual(columns(lines[1]).slice(0, 4), ['a', '0/1', 'ContainerCreating', '0']);
    assert.deepEqual(columns(lines[2]).slice(0, 4), ['b', '0/1', 'CrashLoopBackOff', '3 (90s ago)']);
    assert.deepEqual(columns(lines[3]).slice(0, 3), ['c', '1/1', 'Terminating']);
    assert.equal(columns(lines[3]).at(-1), '1/1');
    assert.deepEqual(columns(lines[4]).slice(0, 3), ['d', '0/1', 'Init:1/2']);
  });
});

describe('services, deployments, endpoints', () => {
  const nodePort = obj('Service', 'echo-service-1', {
    spec: { type: 'NodePort', clusterIP: '127.96.148.122', clusterIPs: ['127.96.148.122'], selector: { name: 'echo-service-1', kind: 'echo' }, ports: [{ port: 8080, nodePort: 30186, protocol: 'TCP' }] },
  });
  const lb = obj('Service', 'gw', { spec: { type: 'LoadBalancer', clusterIP: '127.96.0.9', clusterIPs: ['127.96.0.9'], ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }, { port: 443, nodePort: 31001, protocol: 'TCP' }] } });
  const external = obj('Service', 'ext', { spec: { type: 'ExternalName', externalName: 'example.com' } });

  test('svc: TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR, with kubectl cell formats', () => {
    const [header, ...rows] = render([{ info: info('svc'), items: [nodePort, lb, external] }]);
    assert.deepEqual(columns(header), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.deepEqual(columns(rows[0]), ['echo-service-1', 'NodePort', '127.96.148.122', '<none>', '8080:30186/TCP', '5m', 'kind=echo,name=echo-service-1']);
    assert.deepEqual(columns(rows[1]), ['gw', 'LoadBalancer', '127.96.0.9', '<pending>', '80:31000/TCP,443:31001/TCP', '5m', '<none>']);
    assert.deepEqual(columns(rows[2]), ['ext', 'ExternalName', '<none>', 'example.com', '<none>', '5m', '<none>']);
  });

  test('deploy: READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR (expressions as kubectl writes them)', () => {
    const d = obj('Deployment', 'echo', {
      apiVersion: 'apps/v1',
      spec: {
        replicas: 2,
        selector: { matchLabels: { name: 'echo', kind: 'echo' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] },
        template: { spec: { containers: [{ name: 'echo', image: 'json-mock:v1' }, { name: 'dns', image: 'coredns:1.9' }] } },
      },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    });
    const [header, row] = render([{ info: info('deploy'), items: [d] }]);
    assert.deepEqual(columns(header), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual(columns(row), ['echo', '1/2', '2', '1', '5m', 'echo,dns', 'json-mock:v1,coredns:1.9', '!canary,kind=echo,name=echo,tier in (a,b)']);
  });

  test('endpointslices: ADDRESSTYPE PORTS ENDPOINTS AGE, three endpoints then "+ N more...", <unset> when empty', () => {
    const many = obj('EndpointSlice', 'web-abcde', {
      apiVersion: 'discovery.k8s.io/v1',
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 5000, protocol: 'TCP' }, { name: 'any' }],
      endpoints: ['127.244.0.1', '127.244.0.2', '127.244.0.3', '127.244.0.4', '127.244.0.5'].map((a) => ({ addresses: [a] })),
    });
    const empty = obj('EndpointSlice', 'idle-fghij', { apiVersion: 'discovery.k8s.io/v1', addressType: 'IPv4', endpoints: [] });
    const [header, row, idle] = render([{ info: info('endpointslices'), items: [many, empty] }]);
    assert.deepEqual(columns(header), ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    assert.deepEqual(columns(row), ['web-abcde', 'IPv4', '5000,any', '127.244.0.1,127.244.0.2,127.244.0.3 + 2 more...', '5m']);
    assert.deepEqual(columns(idle), ['idle-fghij', 'IPv4', '<unset>', '<unset>', '5m']);
  });

  test('endpoints: ip:port per address and port, <none> without subsets', () => {
    const ep = obj('Endpoints', 'web', { subsets: [{ addresses: [{ ip: '127.244.0.1' }, { ip: '127.244.0.2' }], ports: [{ port: 5000 }] }] });
    const none = obj('Endpoints', 'idle', {});
    const [, row, idle] = render([{ info: info('endpoints'), items: [ep, none] }]);
    assert.deepEqual(columns(row), ['web', '127.244.0.1:5000,127.244.0.2:5000', '5m']);
    assert.deepEqual(columns(idle), ['idle', '<none>', '5m']);
  });
});

describe('several kinds at once', () => {
  test('each kind its own table, names prefixed with kind[.group]/, a blank line between, empty kinds left out', () => {
    const svc = obj('Service', 'helloworld', { spec: { clusterIP: '127.96.0.1', clusterIPs: ['127.96.0.1'], ports: [{ port: 5000, protocol: 'TCP' }], selector: { app: 'helloworld' } } });
    const out = printGroups(
      [
        { info: info('pods'), items: [helloPod] },
        { info: info('deploy'), items: [] },
        { info: info('svc'), items: [svc] },
      ],
      { kind: 'table', wide: false },
      { single: false, allNamespaces: true, multiKind: true, now: NOW },
    );
    const lines = out.split('\n');
    assert.deepEqual(columns(lines[0]), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(columns(lines[1]).slice(0, 2), ['default', 'pod/helloworld-v1-7dc9c4ff-wpdhd']);
    assert.equal(lines[2], '');
    assert.deepEqual(columns(lines[3]), ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(columns(lines[4]).slice(0, 2), ['default', 'service/helloworld']);
    assert.equal(lines.length, 6);
  });
});

test('formatTable pads as kubectl tabwriter: 3 spaces after the widest cell, columns at least 6 wide, last cell unpadded', () => {
  assert.equal(formatTable([['NAME', 'IP', 'X'], ['a', '1', 'last']]), 'NAME   IP    X\na      1     last\n');
  assert.equal(formatTable([['LONGER-NAME', 'AGE'], ['x', '5m']]), 'LONGER-NAME   AGE\nx             5m\n');
});
