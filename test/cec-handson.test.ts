// Seed 002's colour split, as examples/handson has it: `handson:8080/color` sends 10% to
// handson-blue and 90% to handson-yellow once the CiliumEnvoyConfig is applied (issue 6).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MeshClient, tally } from './support/mesh-client.ts';
import { ROOT, removeDir, runWeft, startWeft, tempDir, waitFor } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const EXAMPLE = join(ROOT, 'examples', 'handson');
const COLOURS = { blue: /^blue$/m, yellow: /^yellow$/m };
let state: string;
let weft: RunningWeft;
let client: MeshClient;

before(async () => {
  state = tempDir('weft-handson-');
  weft = await startWeft({
    state,
    files: [join(EXAMPLE, 'app.yaml')],
    args: ['--no-access-log', '--proxy', '127.0.0.1:0', '--node-address', '127.0.0.62', '--service-cidr', '127.99.0.0/16', '--pod-cidr', '127.247.0.0/16'],
    timeoutMs: 30_000,
  });
  client = new MeshClient(state, { namespace: 'handson', name: 'curl-allow' });
});
after(async () => {
  client?.close();
  await weft?.stop();
  removeDir(state);
});

test('seed 002: handson:8080/color answers blue 10% and yellow 90% over 1,000 requests', async () => {
  await waitFor('both colours', async () => {
    const t = tally(await client.many('http://handson:8080/color', 20), COLOURS);
    return t.blue > 0 && t.yellow > 0 ? true : undefined;
  }, 15_000);
  const applied = await runWeft(['apply', '-f', join(EXAMPLE, 'cec.yaml')], { state });
  assert.equal(applied.code, 0, applied.stderr);
  const wait = await runWeft(['wait', '--for=condition=Programmed', 'cec/handson-color-split', '-n', 'handson', '--timeout', '15s'], { state });
  assert.equal(wait.code, 0, wait.stdout + wait.stderr);
  const split = tally(await client.many('http://handson:8080/color', 1000, 8), COLOURS);
  assert.equal(split.blue + split.yellow, 1000, JSON.stringify(split));
  assert.ok(split.blue >= 70 && split.blue <= 130, `blue got ${split.blue} of 1000 (want 10% ± 3)`);
});
