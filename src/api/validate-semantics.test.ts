import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateSemantics } from './validate-semantics.ts';

function service(spec: unknown) {
  return validateSemantics('', 'Service', { spec }).map((i) => [i.code, i.path.join('.'), i.message]);
}

test('a well-formed Service has no issues', () => {
  assert.deepEqual(service({ ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 'https' }] }), []);
  assert.deepEqual(service({ ports: [{ port: 5000 }] }), []);
  assert.deepEqual(service({ clusterIP: 'None' }), []);
  assert.deepEqual(service({ type: 'ExternalName', externalName: 'example.com' }), []);
});

test('ports out of range, named target ports that are not IANA names', () => {
  const got = service({ ports: [{ port: 0 }] });
  assert.deepEqual(got, [['WEFT_INVALID_VALUE', 'spec.ports.0.port', 'must be between 1 and 65535, inclusive; got 0']]);
  const tp = validateSemantics('', 'Service', { spec: { ports: [{ port: 80, targetPort: '8080' }] } });
  assert.equal(tp.length, 1);
  assert.deepEqual(tp[0].path, ['spec', 'ports', 0, 'targetPort']);
  assert.match(tp[0].message, /invalid named port "8080": must contain at least one letter/);
  assert.equal(tp[0].hint, 'write the port number without quotes: targetPort: 8080');
  assert.equal(service({ ports: [{ port: 80, targetPort: 70000 }] })[0][1], 'spec.ports.0.targetPort');
  assert.equal(service({ ports: [{ port: 80, nodePort: 99999 }] })[0][1], 'spec.ports.0.nodePort');
});

test('several ports need names, unique ones, and distinct port/protocol pairs', () => {
  assert.deepEqual(
    service({ ports: [{ port: 80 }, { name: 'b', port: 81 }] }).map((i) => [i[0], i[1]]),
    [['WEFT_REQUIRED_FIELD', 'spec.ports.0.name']],
  );
  assert.deepEqual(
    service({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }).map((i) => i[2]),
    ['duplicate port name "a" (also spec.ports[0])'],
  );
  assert.deepEqual(
    service({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }, { name: 'c', port: 80, protocol: 'UDP' }] }).map((i) => i[2]),
    ['duplicate port TCP/80 (also spec.ports[0])'],
  );
  assert.equal(service({ ports: [{ name: 'Not_A_Label', port: 80 }] })[0][1], 'spec.ports.0.name');
});

test('a Service with no ports (not headless, not ExternalName) is refused', () => {
  assert.deepEqual(service({ selector: { app: 'a' } }).map((i) => [i[0], i[1]]), [['WEFT_REQUIRED_FIELD', 'spec.ports']]);
  assert.deepEqual(validateSemantics('', 'Service', {}).map((i) => i.path.join('.')), ['spec.ports']);
});

test('values of the wrong type are left to the schema', () => {
  assert.deepEqual(service({ ports: [{ port: 'eighty', targetPort: true }] }), []);
  assert.deepEqual(service('not an object'), []);
});

test('Deployment: the selector must select the template labels; container ports in range', () => {
  const ok = {
    selector: { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }, { key: 'x', operator: 'DoesNotExist' }] },
    template: { metadata: { labels: { app: 'a', tier: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] } },
  };
  assert.deepEqual(validateSemantics('apps', 'Deployment', { spec: ok }), []);
  const mismatch = validateSemantics('apps', 'Deployment', { spec: { ...ok, selector: { matchLabels: { app: 'b' } } } });
  assert.deepEqual(mismatch.map((i) => [i.path.join('.'), i.message]), [['spec.template.metadata.labels', '`selector` does not match template `labels`']]);
  const empty = validateSemantics('apps', 'Deployment', { spec: { ...ok, selector: {} } });
  assert.deepEqual(empty.map((i) => i.message), ['empty selector is invalid for deployment']);
  const port = validateSemantics('apps', 'Deployment', {
    spec: { ...ok, template: { ...ok.template, spec: { containers: [{ name: 'c', ports: [{ containerPort: 70000 }] }] } } },
  });
  assert.deepEqual(port.map((i) => i.path.join('.')), ['spec.template.spec.containers.0.ports.0.containerPort']);
});

test('Pod container ports; other kinds have no semantic checks here', () => {
  const pod = validateSemantics('', 'Pod', { spec: { initContainers: [{ ports: [{ containerPort: 0 }] }], containers: [{ ports: [{ containerPort: 80, hostPort: 70000 }] }] } });
  assert.deepEqual(pod.map((i) => i.path.join('.')), ['spec.initContainers.0.ports.0.containerPort', 'spec.containers.0.ports.0.hostPort']);
  assert.deepEqual(validateSemantics('gateway.networking.k8s.io', 'HTTPRoute', { spec: { anything: 1 } }), []);
});
