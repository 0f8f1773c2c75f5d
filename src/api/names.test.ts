import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, checkLabelValue, checkName, checkPortName, checkQualifiedName } from './names.ts';

const ok = (ms: string[]) => assert.deepEqual(ms, []);
const bad = (ms: string[]) => assert.ok(ms.length > 0, 'expected a problem');

test('DNS-1123 subdomain: dots allowed, 253 characters at most', () => {
  ok(checkDns1123Subdomain('helloworld-v1'));
  ok(checkDns1123Subdomain('cilium-lb-ippool'));
  ok(checkDns1123Subdomain('a.b.c'));
  ok(checkDns1123Subdomain('1abc'));
  bad(checkDns1123Subdomain('Hello'));
  bad(checkDns1123Subdomain('-a'));
  bad(checkDns1123Subdomain('a..b'));
  bad(checkDns1123Subdomain('a_b'));
  bad(checkDns1123Subdomain(''));
  bad(checkDns1123Subdomain('a'.repeat(254)));
});

test('DNS-1123 label: no dots, 63 characters at most', () => {
  ok(checkDns1123Label('kube-system'));
  ok(checkDns1123Label('123-abc'));
  bad(checkDns1123Label('a.b'));
  bad(checkDns1123Label('a'.repeat(64)));
});

test('DNS-1035 label (Service names): must start with a letter', () => {
  ok(checkDns1035Label('my-name'));
  bad(checkDns1035Label('1abc'));
  bad(checkDns1035Label('a.b'));
  assert.deepEqual(checkName('1abc', 'dns1123-subdomain'), []);
  bad(checkName('1abc', 'dns1035-label'));
});

test('qualified names: optional DNS prefix, name part of 63 characters', () => {
  ok(checkQualifiedName('app'));
  ok(checkQualifiedName('app.kubernetes.io/name'));
  ok(checkQualifiedName('io.cilium.gateway/owning-gateway'));
  ok(checkQualifiedName('My_Key.1'));
  bad(checkQualifiedName('/name'));
  bad(checkQualifiedName('prefix/'));
  bad(checkQualifiedName('a/b/c'));
  bad(checkQualifiedName('Bad_Prefix/name'));
  bad(checkQualifiedName('bad key'));
  bad(checkQualifiedName('x'.repeat(64)));
});

test('label values: empty allowed, 63 characters, alphanumeric ends', () => {
  ok(checkLabelValue(''));
  ok(checkLabelValue('v1'));
  ok(checkLabelValue('Some_Value.2'));
  bad(checkLabelValue('-x'));
  bad(checkLabelValue('a b'));
  bad(checkLabelValue('v'.repeat(64)));
});

test('named ports: IANA service names', () => {
  ok(checkPortName('http'));
  ok(checkPortName('http-fortio'));
  bad(checkPortName('8080'));
  bad(checkPortName('HTTP'));
  bad(checkPortName('a--b'));
  bad(checkPortName('-http'));
  bad(checkPortName('a-very-long-port-name'));
});
