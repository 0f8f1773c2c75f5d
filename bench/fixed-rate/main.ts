/**
 * Entry point of the fixed-rate load generator as its own process (so it can be pinned to a CPU):
 *   node --import tsx bench/fixed-rate/main.ts --port P --rate R --seconds S [--warmup W]
 *        [--connections C] [--drain-ms D] [--timing precise|timer]
 * Prints one JSON object (a FixedRateResult, or `{"error": "..."}` with exit code 1) on stdout.
 * It only ever talks to 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import { runFixedRate } from './fixed-rate-run.ts';

const INTEGER = /^[1-9]\d*$/;
const NUMBER = /^\d+(?:\.\d+)?$/;

function fail(message: string): never {
  process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '16' },
    'drain-ms': { type: 'string', default: '2000' },
    timing: { type: 'string', default: 'precise' },
  },
  strict: true,
});

function int(name: keyof typeof values): number {
  const v = values[name] ?? '';
  if (!INTEGER.test(v)) fail(`--${name} must be a positive integer (got "${v}")`);
  return Number(v);
}

const port = int('port');
if (port > 65535) fail(`--port ${port} is out of range`);
const warmup = values.warmup ?? '';
if (!NUMBER.test(warmup)) fail(`--warmup must be a number of seconds (got "${warmup}")`);

const timing = values.timing;
if (timing !== 'precise' && timing !== 'timer') fail(`--timing must be precise or timer (got "${timing}")`);

try {
  const result = await runFixedRate({
    host: '127.0.0.1',
    port,
    path: '/',
    rate: int('rate'),
    seconds: int('seconds'),
    warmupSeconds: Number(warmup),
    connections: int('connections'),
    drainMs: int('drain-ms'),
    timing,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (e) {
  fail((e as Error).message);
}
