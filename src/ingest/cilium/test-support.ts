/**
 * Test helpers: manifests (multi-document YAML) as objects with field positions, and Services with
 * ClusterIPs, for the ingest's tests. ingest/ may not import manifest/ (test/architecture.test.ts
 * checks test files too), so documents are parsed with the Envoy decoder's positioned YAML reader,
 * one at a time, with the lines of the other documents blanked so lines and columns stay those of
 * the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.ts';
import { parseYamlWithPositions, type PositionOf } from '../envoy/index.ts';
import { ingestCiliumEnvoyConfigs } from './ingest-cilium-envoy-configs.ts';
import type { CiliumEnvoyConfigIngest, CiliumEnvoyConfigInput, CiliumEnvoyConfigReport, ConfigCondition } from './types.ts';

export interface PositionedObjectForTest {
  readonly object: KubeObject;
  readonly positionOf: PositionOf;
}

export const FIXTURES_FOR_TEST = new URL('../../../test/fixtures/', import.meta.url).pathname;

/** Every document of a YAML text, each with positions in `file`. */
export function parseManifestsForTest(text: string, file: string): PositionedObjectForTest[] {
  const lines = text.split('\n');
  const starts = [0];
  lines.forEach((l, i) => {
    if (/^---\s*$/.test(l)) starts.push(i + 1);
  });
  const out: PositionedObjectForTest[] = [];
  starts.forEach((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] - 1 : lines.length;
    const doc = [...lines.slice(0, start).map(() => ''), ...lines.slice(start, end)].join('\n');
    const parsed = parseYamlWithPositions(doc, file);
    if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0].message}`);
    const value = parsed.value as KubeObject | null | undefined;
    if (value === null || value === undefined) return;
    out.push({ object: value, positionOf: parsed.positionOf });
  });
  return out;
}

export function readFixtureForTest(relative: string): PositionedObjectForTest[] {
  return parseManifestsForTest(readFileSync(join(FIXTURES_FOR_TEST, relative), 'utf8'), relative);
}

/** Fixture files under `dir` (relative to test/fixtures), sorted. */
export function fixtureFilesForTest(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(FIXTURES_FOR_TEST, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(rel, e.name));
      else if (e.name.endsWith('.yaml')) out.push(join(rel, e.name));
    }
  };
  walk(dir);
  return out;
}

export function isEnvoyConfigForTest(o: KubeObject): boolean {
  return o.kind === 'CiliumEnvoyConfig' || o.kind === 'CiliumClusterwideEnvoyConfig';
}

/** A Service of `ports` (numbers, or full port objects) with a ClusterIP. */
export function serviceForTest(
  namespace: string,
  name: string,
  clusterIP: string,
  ports: readonly (number | { port: number; name?: string; nodePort?: number; protocol?: string })[],
  type = 'ClusterIP',
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type, clusterIP, ports: ports.map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' } : { protocol: 'TCP', ...p })) },
  };
}

/** `text` with `from` (which must occur exactly once) replaced by `to`. */
export function replaceOnceForTest(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`fixture text not found exactly once: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line and column of the first character of `needle` in `text` (an oracle independent of the YAML reader). */
export function whereForTest(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in text: ${needle}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function fixtureTextForTest(relative: string): string {
  return readFileSync(join(FIXTURES_FOR_TEST, relative), 'utf8');
}

/**
 * Ingests the configs among `items` with their positions; Services among `items` join
 * `extra.services`. Node: no labels, address 127.0.0.1, unless `extra` says otherwise.
 */
export function ingestForTest(items: readonly PositionedObjectForTest[], extra: Partial<CiliumEnvoyConfigInput> = {}): CiliumEnvoyConfigIngest {
  const positions = new Map(items.map((i) => [i.object, i.positionOf]));
  return ingestCiliumEnvoyConfigs({
    nodeLabels: {},
    nodeAddress: '127.0.0.1',
    positionOf: (o) => positions.get(o),
    ...extra,
    configs: [...items.map((i) => i.object).filter(isEnvoyConfigForTest), ...(extra.configs ?? [])],
    services: [...items.map((i) => i.object).filter((o) => o.kind === 'Service'), ...(extra.services ?? [])],
  });
}

export function conditionForTest(report: CiliumEnvoyConfigReport | undefined, type: ConfigCondition['type']): ConfigCondition {
  const c = report?.conditions.find((x) => x.type === type);
  if (!c) throw new Error(`no ${type} condition`);
  return c;
}

/** A deep copy of a manifest object, to mutate in a test. */
export function cloneForTest<T>(o: T): T {
  return structuredClone(o);
}
