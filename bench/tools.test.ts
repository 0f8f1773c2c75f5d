import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findExecutable, installCommand } from './tools.ts';

test('one command installs every missing tool, each by its Debian package', () => {
  assert.equal(installCommand(['haproxy', 'caddy', 'taskset']), 'apt-get update && apt-get install -y haproxy caddy util-linux');
  assert.equal(installCommand(['nginx', 'nginx', 'wrk']), 'apt-get update && apt-get install -y nginx wrk');
});

test('findExecutable searches PATH and needs the executable bit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-tools-'));
  try {
    writeFileSync(join(dir, 'weft-bench-fake-tool'), '#!/bin/sh\n');
    assert.equal(findExecutable('weft-bench-fake-tool', dir), undefined);
    chmodSync(join(dir, 'weft-bench-fake-tool'), 0o755);
    assert.equal(findExecutable('weft-bench-fake-tool', dir), join(dir, 'weft-bench-fake-tool'));
    assert.equal(findExecutable('weft-bench-no-such-tool', dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
