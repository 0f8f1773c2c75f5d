/**
 * `npm run bench`: the proxy benchmark of the data plane issue ("Performance"). Starts a fixed
 * upstream (nginx, 1 worker, a 100-byte body from memory), then drives, one after the other and with
 * the same load: the upstream directly, nginx, HAProxy, a minimal Node proxy (undici), Caddy and
 * weft; prints req/s, p50/p99 at saturation and at a fixed rate, CPU µs per request, peak RSS and the
 * ratios to direct and to nginx; writes the raw figures to bench/results/latest.json.
 * Everything runs on 127.0.0.1 and every run is bounded in time. Knobs: bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseBenchConfig } from './config.ts';
import type { BenchConfig } from './config.ts';
import { BENCH_HOST, waitForBody } from './http-probe.ts';
import { describeMachine } from './machine.ts';
import { measureTarget } from './measure.ts';
import type { MeasureContext } from './measure.ts';
import { PortAllocator } from './ports.ts';
import { ProcessSupervisor } from './process-supervisor.ts';
import type { Supervised } from './process-supervisor.ts';
import { readMachineCpu, stealPercent, waitForQuiet } from './proc-stats.ts';
import { formatTable, rateLabel, reportRows, tableNotes } from './report.ts';
import type { TargetResult } from './report.ts';
import { isNginxSafeBody, renderUpstreamNginxConf } from './targets/nginx-conf.ts';
import { DEFAULT_WEFT_BIN, REPO_ROOT, startTarget } from './targets/start-target.ts';
import type { TargetContext } from './targets/start-target.ts';
import { detectTools, installCommand } from './tools.ts';
import type { Toolbox, ToolName } from './tools.ts';

/** The upstream's body: exactly 100 printable bytes. */
const UPSTREAM_BODY = 'weft-bench upstream body: fixed 100 bytes, served from memory by nginx (1 worker) '.padEnd(100, '.');

const started = performance.now();
const elapsed = (): number => (performance.now() - started) / 1000;
const log = (msg: string): void => {
  const s = Math.floor(elapsed());
  process.stderr.write(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg}\n`);
};

function neededTools(config: BenchConfig): ToolName[] {
  const tools: ToolName[] = ['nginx', 'wrk'];
  if (config.targets.includes('haproxy')) tools.push('haproxy');
  if (config.targets.includes('caddy')) tools.push('caddy');
  if (config.pin === 'auto') tools.push('taskset', 'chrt');
  return tools;
}

async function startUpstream(supervisor: ProcessSupervisor, tools: Toolbox, workDir: string, port: number, pin: readonly string[]): Promise<Supervised> {
  const dir = join(workDir, 'upstream');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), renderUpstreamNginxConf({ dir, host: BENCH_HOST, port, body: UPSTREAM_BODY }));
  const nginx = tools.paths.get('nginx') as string;
  const args = ['-e', join(dir, 'error.log'), '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')];
  const cmd = pin.length > 0 ? pin[0] : nginx;
  const full = pin.length > 0 ? [...pin.slice(1), nginx, ...args] : args;
  const proc = supervisor.start('upstream', cmd, full, { logFile: join(dir, 'output.log') });
  const ready = await waitForBody(port, UPSTREAM_BODY, { timeoutMs: 10_000, exited: () => proc.exited });
  if (ready.kind !== 'ready') {
    throw new Error(`the upstream nginx did not start on ${BENCH_HOST}:${port}: ${proc.stderrTail.trim() || ready.kind}`);
  }
  return proc;
}

async function runTargets(config: BenchConfig, tctx: TargetContext, mctx: MeasureContext, ports: PortAllocator, upstream: { port: number; pid: number }): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const target of config.targets) {
    if (elapsed() >= config.maxSeconds) {
      results.push({ kind: 'not-run', target, label: target, reason: `BENCH_MAX_SECONDS=${config.maxSeconds} reached` });
      continue;
    }
    if (config.waitQuietSeconds > 0) {
      const foreign = await waitForQuiet(process.pid, config.waitQuietSeconds);
      if (foreign >= 10) log(`other processes still use ${foreign.toFixed(0)}% of a core; measuring ${target} anyway`);
    }
    if (target === 'direct') {
      log(`measuring direct on :${upstream.port}`);
      const measurement = await measureTarget(mctx, 'direct', upstream.port, upstream.pid);
      results.push({ kind: 'measured', target, label: 'direct', measurement, notes: [] });
      continue;
    }
    const port = await ports.take();
    if (port === undefined) {
      results.push({ kind: 'not-run', target, label: target, reason: 'no free port found' });
      continue;
    }
    const outcome = await startTarget(target, port, tctx);
    if (outcome.kind === 'unavailable') {
      log(`${target}: not available (${outcome.reason})`);
      results.push({ kind: 'unavailable', target, label: target, reason: outcome.reason });
      continue;
    }
    log(`measuring ${outcome.label} on :${port}`);
    try {
      const measurement = await measureTarget(mctx, outcome.label, port, outcome.process.pid as number);
      const notes = outcome.note === undefined ? [] : [outcome.note];
      if (outcome.process.exited) notes.push('the process exited during the measurement');
      results.push({ kind: 'measured', target, label: outcome.label, measurement, notes });
    } finally {
      await tctx.supervisor.stop(outcome.process);
    }
  }
  return results;
}

async function main(): Promise<number> {
  const parsed = parseBenchConfig(process.env);
  if (!parsed.ok) {
    for (const e of parsed.error) process.stderr.write(`bench: ${e}\n`);
    return 2;
  }
  const config = parsed.value;
  if (process.platform !== 'linux') {
    process.stderr.write('bench: needs Linux (/proc for CPU and RSS, taskset for pinning)\n');
    return 2;
  }
  const tools = detectTools(neededTools(config));
  const missingRequired = tools.missing.filter((t) => t === 'nginx' || t === 'wrk');
  if (missingRequired.length > 0) {
    process.stderr.write(`bench: ${missingRequired.join(' and ')} not found; install with:\n  ${installCommand(tools.missing)}\n`);
    return 2;
  }
  if (!isNginxSafeBody(UPSTREAM_BODY) || UPSTREAM_BODY.length !== 100) throw new Error('internal: bad upstream body');

  const pin = config.pin === 'auto' && availableParallelism() >= 2 && tools.paths.has('taskset');
  const taskset = tools.paths.get('taskset') as string;
  const loadPin = pin ? [taskset, '-c', '0'] : [];
  const proxyPin = pin ? [taskset, '-c', '1'] : [];
  const chrt = tools.paths.get('chrt');
  const generatorPrefix = chrt === undefined ? loadPin : [...loadPin, chrt, '--idle', '0'];
  const pinning = pin ? 'CPU0: load generators + upstream; CPU1: target under test' : 'none (the scheduler places every process)';

  const workDir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
  const supervisor = new ProcessSupervisor();
  process.on('exit', () => supervisor.stopAllNow());
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping`);
    supervisor.stopAll().finally(() => {
      if (!config.keepWork) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const machineStart = describeMachine();
  const cpuStart = readMachineCpu();
  const ports = new PortAllocator(config.basePort);
  const upstreamPort = await ports.take();
  if (upstreamPort === undefined) throw new Error(`no free port from BENCH_BASE_PORT=${config.basePort}`);
  log(`upstream nginx on ${BENCH_HOST}:${upstreamPort}; pinning: ${pinning}; work dir ${workDir}`);
  const upstream = await startUpstream(supervisor, tools, workDir, upstreamPort, loadPin);
  const upstreamPid = upstream.pid as number;

  const tctx: TargetContext = {
    supervisor, workDir, host: BENCH_HOST, upstreamPort, body: UPSTREAM_BODY, tools, proxyPin,
    weftBin: config.weftBin ?? DEFAULT_WEFT_BIN, weftWorkers: config.weftWorkers, weftStartSeconds: config.weftStartSeconds,
  };
  const mctx: MeasureContext = { config, supervisor, wrk: tools.paths.get('wrk') as string, loadPin, generatorPrefix, workDir, upstreamPid };
  let results: TargetResult[];
  try {
    results = await runTargets(config, tctx, mctx, ports, { port: upstreamPort, pid: upstreamPid });
  } finally {
    await supervisor.stopAll();
  }
  const steal = stealPercent(cpuStart, readMachineCpu());
  const machine = describeMachine();

  const versions = [...tools.versions].map(([k, v]) => `${k} ${v}`).join(', ');
  const at = rateLabel(config.rate);
  const out = [
    '',
    `weft proxy bench — ${new Date().toISOString()}`,
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.os}, node ${machine.node}; ${versions}`,
    `pinning: ${pinning}; CPU steal during the run: ${steal === undefined ? '?' : `${steal.toFixed(1)}%`}; load average ${machineStart.loadAverage.join(' ')} → ${machine.loadAverage.join(' ')}`,
    `saturation: wrk -t${config.threads} -c${config.connections} -d${config.seconds}s after ${config.warmupSeconds}s warm-up; ` +
      `@${at}: open-loop ${config.rate} req/s over ${config.rateConnections} connections for ${config.rateSeconds}s (${config.rateTiming} timing${chrt === undefined ? '' : ', SCHED_IDLE'}), latency from each request's scheduled send time`,
    '',
    formatTable(results, config.seconds, config.rate),
    '',
    ...tableNotes(results, config.seconds, config.rate).map((n) => `- ${n}`),
  ];
  const optionalMissing = tools.missing.filter((t) => t !== 'taskset' && t !== 'chrt');
  if (optionalMissing.length > 0) out.push(`- to run the skipped targets: ${installCommand(optionalMissing)}`);
  if (tools.missing.includes('taskset')) out.push(`- no CPU pinning: taskset missing (${installCommand(['taskset'])})`);
  if (tools.missing.includes('chrt')) out.push(`- the fixed-rate generator ran at normal priority: chrt missing (${installCommand(['chrt'])})`);
  process.stdout.write(`${out.join('\n')}\n`);

  const resultsFile = config.resultsFile ?? join(REPO_ROOT, 'bench', 'results', 'latest.json');
  mkdirSync(dirname(resultsFile), { recursive: true });
  const json = {
    schema: 'weft-bench/1',
    date: new Date().toISOString(),
    durationSeconds: Math.round(elapsed()),
    machine: { ...machine, loadAverageAtStart: machineStart.loadAverage, cpuStealPercent: steal ?? null },
    tools: Object.fromEntries(tools.versions),
    settings: { ...config, pinning, upstream: { host: BENCH_HOST, port: upstreamPort, bodyBytes: UPSTREAM_BODY.length } },
    rows: reportRows(results, config.seconds),
    targets: results,
  };
  writeFileSync(resultsFile, `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  const shown = relative(process.cwd(), resultsFile);
  process.stdout.write(`\nraw figures: ${shown.startsWith('..') || shown === '' ? resultsFile : shown}\n`);
  if (config.keepWork) process.stdout.write(`configs, logs and raw tool output kept in ${workDir}\n`);
  else rmSync(workDir, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Expected failures (the upstream does not start, no free port) are Errors with a message;
    // anything else is a bug and keeps its stack.
    const text = e instanceof Error && e.constructor === Error ? e.message : ((e as Error).stack ?? String(e));
    process.stderr.write(`bench: ${text}\n`);
    process.exit(1);
  },
);
