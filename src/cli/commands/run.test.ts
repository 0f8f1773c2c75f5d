import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliExit } from '../exit-codes.ts';
import { buildRunPod, parseRunEnvs, parseRunLabels } from './run.ts';

const refused = (message: RegExp) => (e: unknown) => e instanceof CliExit && e.code === 1 && message.test(e.message);
type Any = any;

test("seed 002's `kubectl run curl-allow -n handson --image=curlimages/curl --labels=app=curl-allow --command -- sleep infinity`", () => {
  const pod = buildRunPod({ name: 'curl-allow', namespace: 'handson', image: 'curlimages/curl', labels: 'app=curl-allow', command: true, args: ['sleep', 'infinity'] });
  assert.deepEqual(pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'curl-allow', namespace: 'handson', labels: { app: 'curl-allow' } },
    spec: {
      containers: [{ name: 'curl-allow', image: 'curlimages/curl', command: ['sleep', 'infinity'], resources: {} }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
    },
    status: {},
  });
});

test('without --labels the Pod gets run=NAME; without --command the words are args; env, port, restart, annotations', () => {
  const pod = buildRunPod({ name: 'web', image: 'nginx:1.27', env: ['A=1', 'B=x=y'], port: '80', restart: 'Never', annotations: ['weft.dev/address=127.0.0.5'], args: ['-g', 'daemon off;'] }) as Any;
  assert.deepEqual(pod.metadata, { name: 'web', labels: { run: 'web' }, annotations: { 'weft.dev/address': '127.0.0.5' } });
  const c = pod.spec.containers[0];
  assert.deepEqual(c.args, ['-g', 'daemon off;']);
  assert.equal(c.command, undefined);
  assert.deepEqual(c.env, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'x=y' },
  ]);
  assert.deepEqual(c.ports, [{ containerPort: 80 }]);
  assert.equal(pod.spec.restartPolicy, 'Never');
  const bare = (buildRunPod({ name: 'n', image: 'nginx', args: [] }) as Any).spec.containers[0];
  assert.deepEqual(Object.keys(bare), ['name', 'image', 'resources'], 'no words after --: neither args nor command');
});

test("kubectl run's refusals, in its words", () => {
  assert.throws(() => buildRunPod({ name: 'x', image: 'Not An Image', args: [] }), refused(/^error: invalid image name "Not An Image": invalid reference format$/));
  assert.throws(() => buildRunPod({ name: 'x', image: 'nginx', port: 'http', args: [] }), refused(/--port must be a number/));
  assert.throws(() => buildRunPod({ name: 'x', image: 'nginx', restart: 'Sometimes', args: [] }), refused(/invalid restart policy: Sometimes, valid values are: Always, OnFailure, Never/));
  assert.throws(() => parseRunLabels('a=b,c'), refused(/unexpected label spec: c/));
  assert.throws(() => parseRunLabels('=b'), refused(/unexpected empty label key/));
  assert.throws(() => parseRunEnvs(['1X=2']), refused(/invalid env: 1X=2/));
  assert.throws(() => parseRunEnvs(['NOVALUE']), refused(/invalid env: NOVALUE/));
  for (const ok of ['curlimages/curl', 'docker.io/istio/examples-helloworld-v1:1.0', 'localhost:5000/a/b@sha256:' + 'a'.repeat(64), 'nicolaka/netshoot']) {
    assert.doesNotThrow(() => buildRunPod({ name: 'x', image: ok, args: [] }), ok);
  }
});
