#!/usr/bin/env node
// The `weft` command. Runs the compiled CLI from dist/ (built by `npm install` through the
// `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('weft: dist/ is missing; run `npm run build` (npm install does it for you)\n');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
