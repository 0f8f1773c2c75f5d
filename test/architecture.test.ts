// The import rules of DESIGN.md and STYLE.md §7, checked mechanically: each folder of src/ may
// import only the folders listed for it. A violation names the file, the line and the import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** folder → folders it may import (besides itself). `*` = anything. */
const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  api: ['lib'],
  manifest: ['api', 'lib'],
  store: ['api', 'lib'],
  model: ['lib'],
  ingest: ['api', 'model', 'lib'],
  translate: ['model', 'lib'],
  observe: ['model', 'lib'],
  dataplane: ['model', 'observe', 'lib'],
  controllers: ['api', 'store', 'model', 'lib'],
  apps: ['lib'],
  controlplane: ['api', 'manifest', 'store', 'ingest', 'translate', 'model', 'observe', 'controllers', 'lib'],
  server: ['api', 'manifest', 'store', 'model', 'observe', 'controlplane', 'lib'],
  cli: ['*'],
  ui: ['lib'],
  bin: ['*'],
};

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT_RE = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

test('every src folder imports only what the layering allows', () => {
  const violations: string[] = [];
  for (const file of walk(SRC, [])) {
    const from = relative(SRC, file).split('/')[0];
    const allowed = ALLOWED[from];
    assert.ok(allowed, `src/${from}/ is not in the architecture table; add it to test/architecture.test.ts`);
    if (allowed.includes('*')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec || !spec.startsWith('.')) continue;
      const target = relative(SRC, resolve(dirname(file), spec)).split('/')[0];
      if (target === from || allowed.includes(target)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      violations.push(`src/${relative(SRC, file)}:${line}: ${from}/ must not import ${target}/ (${spec})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the data plane never imports the control plane', () => {
  // Spelled out separately because it is the rule that keeps the three deployment modes one.
  for (const banned of ['api', 'store', 'ingest', 'translate', 'manifest', 'controllers', 'server']) {
    assert.ok(!ALLOWED.dataplane.includes(banned));
  }
});
