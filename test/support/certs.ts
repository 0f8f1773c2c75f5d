/**
 * Test certificates made with the `openssl` CLI at test time, in a temp directory: one CA and any
 * number of leaf certificates with DNS subject-alt-names, signed by it. EC P-256 keys, so making
 * them takes milliseconds. Nothing is checked in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TestPki {
  readonly dir: string;
  readonly caPem: string;
  readonly caFile: string;
  /** A leaf certificate for `commonName` with these DNS names (default: the common name). */
  issue(commonName: string, dnsNames?: readonly string[]): TestCert;
  cleanup(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'weft-pki-'));
  openssl(['req', '-x509', ...KEY_ARGS, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=weft test CA', '-days', '2'], dir);
  const caFile = join(dir, 'ca.crt');
  let serial = 1;
  return {
    dir,
    caPem: readFileSync(caFile, 'utf8'),
    caFile,
    issue(commonName: string, dnsNames: readonly string[] = [commonName]): TestCert {
      const base = `leaf-${serial}`;
      const ext = join(dir, `${base}.ext`);
      writeFileSync(ext, `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth,clientAuth\n`);
      openssl(['req', ...KEY_ARGS, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`], dir);
      openssl(
        ['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(serial), '-out', `${base}.crt`, '-days', '2', '-extfile', ext],
        dir,
      );
      serial++;
      const certFile = join(dir, `${base}.crt`);
      const keyFile = join(dir, `${base}.key`);
      return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8'), certFile, keyFile };
    },
    cleanup(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
