import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestPki } from '../../../test/support/certs.ts';
import type { TestPki } from '../../../test/support/certs.ts';
import { CliExit } from '../exit-codes.ts';
import { buildConfigMap, buildSecretFromSources, buildTlsSecret, configMapKeyErrors, parseEnvFile, parseFileSource, parseLiteralSource, readFileSources } from './create-sources.ts';

const refused = (message: RegExp) => (e: unknown) => e instanceof CliExit && e.code === 1 && message.test(e.message);
const NONE = { literals: [], files: [], envFiles: [] };

test("kubectl's literal and file source syntax", () => {
  assert.deepEqual(parseLiteralSource('k=v=w'), ['k', 'v=w']);
  assert.throws(() => parseLiteralSource('kv'), refused(/^error: invalid literal source kv, expected key=value$/));
  assert.deepEqual(parseFileSource('conf/nginx.conf'), { key: 'nginx.conf', path: 'conf/nginx.conf' });
  assert.deepEqual(parseFileSource('main=conf/nginx.conf'), { key: 'main', path: 'conf/nginx.conf' });
  assert.throws(() => parseFileSource('a=b=c'), refused(/key names or file paths cannot contain '='/));
  assert.throws(() => parseFileSource('=x'), refused(/key name for file path x missing/));
  assert.throws(() => parseFileSource('k='), refused(/file path for key name k missing/));
  assert.deepEqual(configMapKeyErrors('tls.crt'), []);
  assert.equal(configMapKeyErrors('a/b').length, 1);
  assert.equal(configMapKeyErrors('..x').length, 1);
});

test('a configmap: files, then literals, then env files; UTF-8 in data, the rest in binaryData; keys checked', () => {
  const cm = buildConfigMap('web', undefined, {
    literals: ['mode=prod'],
    files: [
      { key: 'nginx.conf', data: Buffer.from('server {}\n') },
      { key: 'logo.bin', data: Buffer.from([0xff, 0xfe, 0x00]) },
    ],
    envFiles: [{ path: 'app.env', text: '# comment\n\nLEVEL=debug\n' }],
  });
  assert.deepEqual(cm, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web' },
    data: { 'nginx.conf': 'server {}\n', mode: 'prod', LEVEL: 'debug' },
    binaryData: { 'logo.bin': Buffer.from([0xff, 0xfe, 0x00]).toString('base64') },
  });
  assert.deepEqual(buildConfigMap('e', 'ns1', NONE), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e', namespace: 'ns1' } });
  assert.throws(() => buildConfigMap('web', undefined, { ...NONE, literals: ['a=1', 'a=2'] }), refused(/cannot add key "a", another key by that name already exists in Data for ConfigMap "web"/));
  assert.throws(() => buildConfigMap('web', undefined, { ...NONE, literals: ['a b=1'] }), refused(/"a b" is not a valid key name for a ConfigMap/));
});

test('a generic secret is base64 data, with --type when given', () => {
  const s = buildSecretFromSources('db', undefined, undefined, { ...NONE, literals: ['user=admin'], files: [{ key: 'pw', data: Buffer.from('s3cr3t') }] });
  assert.deepEqual(s, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { user: 'YWRtaW4=', pw: 'czNjcjN0' } });
  assert.equal(buildSecretFromSources('db', undefined, 'example.com/x', NONE).type, 'example.com/x');
  assert.throws(() => buildSecretFromSources('db', undefined, undefined, { ...NONE, literals: ['u=1', 'u=2'] }), refused(/cannot add key u, another key by that name already exists/));
});

test('env files: comments and blank lines skipped, a bare key takes the environment value, bad keys refused', () => {
  assert.deepEqual(parseEnvFile('\uFEFFA=1\n  # c\n\nB\nC=x=y\r\n', 'f', { B: 'from-env' }), [
    ['A', '1'],
    ['B', 'from-env'],
    ['C', 'x=y'],
  ]);
  assert.throws(() => parseEnvFile('1A=x\n', 'f'), refused(/"1A" is not a valid key name/));
});

describe('files on disk', () => {
  let dir: string;
  let pki: TestPki;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-create-'));
    pki = createTestPki();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    pki.cleanup();
  });

  test('--from-file reads a file under its name or key, and each regular file of a directory', async () => {
    writeFileSync(join(dir, 'a.txt'), 'A');
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'y.conf'), 'Y');
    writeFileSync(join(dir, 'conf', 'x.conf'), 'X');
    mkdirSync(join(dir, 'conf', 'sub'));
    const got = await readFileSources([join(dir, 'a.txt'), `k=${join(dir, 'a.txt')}`, join(dir, 'conf')]);
    assert.deepEqual(
      got.map((f) => [f.key, f.data.toString()]),
      [
        ['a.txt', 'A'],
        ['k', 'A'],
        ['x.conf', 'X'],
        ['y.conf', 'Y'],
      ],
    );
    await assert.rejects(readFileSources([join(dir, 'missing')]), refused(/error reading .*missing: no such file or directory/));
    await assert.rejects(readFileSources([`k=${join(dir, 'conf')}`]), refused(/cannot give a key name for a directory path/));
  });

  test('a TLS secret needs a certificate and its own key', () => {
    const leaf = pki.issue('demo.example.com');
    const other = pki.issue('other.example.com');
    const s = buildTlsSecret('demo-cert', 'ns1', Buffer.from(leaf.certPem), Buffer.from(leaf.keyPem));
    assert.equal(s.type, 'kubernetes.io/tls');
    assert.deepEqual(s.metadata, { name: 'demo-cert', namespace: 'ns1' });
    assert.equal(Buffer.from((s.data as Record<string, string>)['tls.crt'], 'base64').toString(), leaf.certPem);
    assert.equal(Buffer.from((s.data as Record<string, string>)['tls.key'], 'base64').toString(), leaf.keyPem);
    assert.throws(() => buildTlsSecret('x', undefined, Buffer.from(leaf.certPem), Buffer.from(other.keyPem)), refused(/^error: tls: private key does not match public key$/));
    assert.throws(() => buildTlsSecret('x', undefined, Buffer.from('nope'), Buffer.from(leaf.keyPem)), refused(/failed to find any PEM data in certificate input/));
    assert.throws(() => buildTlsSecret('x', undefined, Buffer.from(leaf.certPem), Buffer.from('nope')), refused(/failed to find any PEM data in key input/));
  });
});
