#!/usr/bin/env node
// Runs every unit test (src/**/*.test.ts), integration test (test/**/*.test.ts) and bench harness
// test (bench/**/*.test.ts) with Node's
// built-in runner. Files are passed explicitly: Node 20's runner expands no globs, and a run that
// finds no file would "pass" having tested nothing. Extra arguments narrow the run to files whose
// path contains one of them: `npm test -- store manifest`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = [...walk(join(root, 'src'), []), ...walk(join(root, 'test'), []), ...walk(join(root, 'bench'), [])]
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test file matched');
  process.exit(1);
}
const reporter = process.env.WEFT_TEST_REPORTER ?? 'spec';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
