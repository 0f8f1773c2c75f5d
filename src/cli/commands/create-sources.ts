/**
 * The data sources of `weft create configmap` and `weft create secret generic|tls`, with kubectl's
 * rules and error words (kubectl pkg/cmd/create, pkg/util): `--from-literal=key=value`,
 * `--from-file=[key=]path` (a directory adds each regular file), `--from-env-file` lines, key
 * names as validation.IsConfigMapKey allows them, UTF-8 file content in `data` and the rest in
 * `binaryData`, and a TLS pair that must match. Builders are pure; only readFileSources reads.
 */
import { isUtf8 } from 'node:buffer';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { KubeObject } from '../../api/object.ts';
import { CliExit, EXIT_INVALID } from '../exit-codes.ts';

export interface FileEntry {
  readonly key: string;
  readonly data: Buffer;
}

export interface Sources {
  readonly literals: readonly string[];
  readonly files: readonly FileEntry[];
  readonly envFiles: readonly { readonly path: string; readonly text: string }[];
}

function fail(message: string): never {
  throw new CliExit(EXIT_INVALID, `error: ${message}`);
}

/** kubectl's ParseLiteralSource: `key=value` (the value may hold more `=`). */
export function parseLiteralSource(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq < 0) fail(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

/** kubectl's ParseFileSource: `path` (key = the file's name) or `key=path`. */
export function parseFileSource(source: string): { key: string; path: string } {
  const count = source.split('=').length - 1;
  if (count === 0) return { key: basename(source), path: source };
  if (count > 1) fail("key names or file paths cannot contain '='");
  const [key, path] = source.split('=');
  if (key === '') fail(`key name for file path ${path} missing`);
  if (path === '') fail(`file path for key name ${key} missing`);
  return { key, path };
}

/** validation.IsConfigMapKey's complaints (none = valid). */
export function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function readError(path: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  fail(`error reading ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
}

/** Reads `--from-file` sources: a file under its key, or each regular file of a directory. */
export async function readFileSources(sources: readonly string[]): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const source of sources) {
    const { key, path } = parseFileSource(source);
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (e) {
      readError(path, e);
    }
    if (!isDir) {
      out.push({ key, data: await readFile(path).catch((e: unknown) => readError(path, e)) });
      continue;
    }
    if (source.includes('=')) fail('cannot give a key name for a directory path');
    const entries = await readdir(path, { withFileTypes: true }).catch((e: unknown) => fail(`error listing files in ${path}: ${(e as Error).message}`));
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!entry.isFile()) continue;
      const file = join(path, entry.name);
      out.push({ key: entry.name, data: await readFile(file).catch((e: unknown) => readError(file, e)) });
    }
  }
  return out;
}

/** kubectl's AddFromEnvFile: `KEY=VALUE` lines; blank lines and `#` comments skipped; a bare KEY takes the environment's value. */
export function parseEnvFile(text: string, path: string, env: NodeJS.ProcessEnv = process.env): [string, string][] {
  const out: [string, string][] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trimStart();
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
        fail(`"${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (line ${i + 1} of ${path})`);
      }
      out.push([key, eq < 0 ? (env[key] ?? '') : line.slice(eq + 1)]);
    });
  return out;
}

/** A ConfigMap as `kubectl create configmap` builds it: files first, then literals, then env files. */
export function buildConfigMap(name: string, namespace: string | undefined, sources: Sources): KubeObject {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const add = (key: string, value: Buffer | string) => {
    const errs = configMapKeyErrors(key);
    if (errs.length > 0) fail(`"${key}" is not a valid key name for a ConfigMap: ${errs.join(',')}`);
    if (key in data) fail(`cannot add key "${key}", another key by that name already exists in Data for ConfigMap "${name}"`);
    if (key in binaryData) fail(`cannot add key "${key}", another key by that name already exists in BinaryData for ConfigMap "${name}"`);
    if (typeof value === 'string') data[key] = value;
    else if (isUtf8(value)) data[key] = value.toString('utf8');
    else binaryData[key] = value.toString('base64');
  };
  for (const f of sources.files) add(f.key, f.data);
  for (const l of sources.literals) add(...parseLiteralSource(l));
  for (const e of sources.envFiles) for (const [k, v] of parseEnvFile(e.text, e.path)) add(k, v);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: namespace === undefined ? { name } : { name, namespace },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

function secret(name: string, namespace: string | undefined, type: string | undefined, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: namespace === undefined ? { name } : { name, namespace },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(type ? { type } : {}),
  };
}

/** A Secret as `kubectl create secret generic` builds it: literals, then files, then env files. */
export function buildSecretFromSources(name: string, namespace: string | undefined, type: string | undefined, sources: Sources): KubeObject {
  const data: Record<string, string> = {};
  const add = (key: string, value: Buffer) => {
    const errs = configMapKeyErrors(key);
    if (errs.length > 0) fail(`"${key}" is not valid key name for a Secret ${errs.join(';')}`);
    if (key in data) fail(`cannot add key ${key}, another key by that name already exists`);
    data[key] = value.toString('base64');
  };
  for (const l of sources.literals) {
    const [k, v] = parseLiteralSource(l);
    add(k, Buffer.from(v, 'utf8'));
  }
  for (const f of sources.files) add(f.key, f.data);
  for (const e of sources.envFiles) for (const [k, v] of parseEnvFile(e.text, e.path)) add(k, Buffer.from(v, 'utf8'));
  return secret(name, namespace, type, data);
}

/** A `kubernetes.io/tls` Secret; the key must belong to the certificate (Go's tls.X509KeyPair). */
export function buildTlsSecret(name: string, namespace: string | undefined, cert: Buffer, key: Buffer): KubeObject {
  const certText = cert.toString('utf8');
  const keyText = key.toString('utf8');
  if (!/-----BEGIN [A-Z0-9 ]*CERTIFICATE-----/.test(certText)) fail('tls: failed to find any PEM data in certificate input');
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(keyText)) fail('tls: failed to find any PEM data in key input');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    fail(`tls: failed to parse certificate: ${(e as Error).message}`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (e) {
    fail(`tls: failed to parse private key: ${(e as Error).message}`);
  }
  if (!x509.checkPrivateKey(privateKey)) fail('tls: private key does not match public key');
  return secret(name, namespace, 'kubernetes.io/tls', { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') });
}
