// Prints, as a sorted JSON array, the full name of every top-level message Envoy's API defines
// (`envoy.extensions.filters.http.ext_authz.v3.ExtAuthz`, ...), read from the .proto sources under
// the directory given. weft uses the list only to word a Diagnostic: an `@type` on it is valid
// Envoy that weft does not run; one that is not is a misspelling.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node list-type-names.mjs ENVOY_API_DIR');
  process.exit(2);
}

function* protoFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* protoFiles(p);
    else if (name.endsWith('.proto')) yield p;
  }
}

const names = new Set();
for (const file of protoFiles(join(root, 'envoy'))) {
  // Drop comments and string literals so braces inside them do not count.
  const src = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(src)?.[1];
  if (!pkg || !/\.v3$/.test(pkg)) continue;
  let depth = 0;
  for (const m of src.matchAll(/\bmessage\s+(\w+)\s*\{|[{}]/g)) {
    if (m[1] !== undefined) {
      if (depth === 0) names.add(`${pkg}.${m[1]}`);
      depth++;
    } else if (m[0] === '{') depth++;
    else depth--;
  }
}
process.stdout.write(JSON.stringify([...names].sort(), null, 0).replace(/","/g, '",\n"') + '\n');
