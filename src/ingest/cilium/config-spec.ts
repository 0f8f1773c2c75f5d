/**
 * Reads a config's `spec` besides its Envoy resources: `services` (redirected Service ports),
 * `backendServices` (Services only published over EDS) and `nodeSelector`, with Cilium's
 * namespace rules (cilium-semantics.md §1.1.1): in a CiliumEnvoyConfig `services[].namespace` is
 * forced to the config's namespace and `backendServices[].namespace` defaults to it; in a
 * CiliumClusterwideEnvoyConfig both default to `default`. The manifest schema has already checked
 * the shapes; this reader still refuses what it cannot use, with a Diagnostic.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { labelSelectorFromObject, matchesLabels, type LabelSelector, type LabelSelectorObject } from '../../lib/label-selector.ts';
import type { ConfigDiagnostics } from './config-diagnostics.ts';

/** One `spec.services[]` entry. */
export interface RedirectSpec {
  readonly index: number;
  readonly namespace: string;
  readonly name: string;
  /** The listener as written; '' = the config's first Listener. */
  readonly listener: string;
  /** Frontend ports; empty = every TCP port of the Service. */
  readonly ports: readonly number[];
}

/** One `spec.backendServices[]` entry. */
export interface BackendServiceSpec {
  readonly namespace: string;
  readonly name: string;
  /** Port numbers or names, as strings; empty = all ports. */
  readonly numbers: readonly string[];
}

export interface ConfigSpec {
  readonly services: readonly RedirectSpec[];
  readonly backendServices: readonly BackendServiceSpec[];
  /** Absent = every node. */
  readonly nodeSelector?: LabelSelector;
  readonly resources: readonly unknown[];
}

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown, path: readonly (string | number)[], out: ConfigDiagnostics): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  out.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, 'expected a list');
  return [];
}

function str(v: unknown, path: readonly (string | number)[], out: ConfigDiagnostics, required: boolean): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) {
    if (required) out.error(path, DIAGNOSTIC_CODES.REQUIRED, `${String(path[path.length - 1])} is required`);
    return '';
  }
  out.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected a string, got ${JSON.stringify(v)}`);
  return '';
}

function readRedirect(entry: unknown, i: number, ownNamespace: string | undefined, out: ConfigDiagnostics): RedirectSpec | undefined {
  const path = ['spec', 'services', i];
  if (!isRecord(entry)) {
    out.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, 'expected an object with name (and namespace, listener, ports)');
    return undefined;
  }
  const name = str(entry.name, [...path, 'name'], out, true);
  const written = str(entry.namespace, [...path, 'namespace'], out, false);
  if (ownNamespace !== undefined && written !== '' && written !== ownNamespace) {
    out.warning(
      [...path, 'namespace'],
      DIAGNOSTIC_CODES.INVALID_VALUE,
      `namespace "${written}" is ignored: a CiliumEnvoyConfig redirects only Services of its own namespace ("${ownNamespace}")`,
      'use a CiliumClusterwideEnvoyConfig to redirect Services of other namespaces',
    );
  }
  const ports: number[] = [];
  list(entry.ports, [...path, 'ports'], out).forEach((p, j) => {
    if (typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535) ports.push(p);
    else out.error([...path, 'ports', j], DIAGNOSTIC_CODES.INVALID_VALUE, `a port must be an integer from 1 to 65535, got ${JSON.stringify(p)}`);
  });
  const listener = str(entry.listener, [...path, 'listener'], out, false);
  if (name === '') return undefined;
  return { index: i, namespace: ownNamespace ?? (written || 'default'), name, listener, ports };
}

function readBackendService(entry: unknown, i: number, ownNamespace: string | undefined, out: ConfigDiagnostics): BackendServiceSpec | undefined {
  const path = ['spec', 'backendServices', i];
  if (!isRecord(entry)) {
    out.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, 'expected an object with name (and namespace, number)');
    return undefined;
  }
  const name = str(entry.name, [...path, 'name'], out, true);
  const namespace = str(entry.namespace, [...path, 'namespace'], out, false) || ownNamespace || 'default';
  const numbers: string[] = [];
  list(entry.number, [...path, 'number'], out).forEach((n, j) => {
    if (typeof n === 'string' && n !== '') numbers.push(n);
    else out.error([...path, 'number', j], DIAGNOSTIC_CODES.WRONG_TYPE, `expected a port number or name as a string (e.g. "8080"), got ${JSON.stringify(n)}`);
  });
  return name === '' ? undefined : { namespace, name, numbers };
}

function readNodeSelector(v: unknown, out: ConfigDiagnostics): LabelSelector | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) {
    out.error(['spec', 'nodeSelector'], DIAGNOSTIC_CODES.WRONG_TYPE, 'expected a label selector (matchLabels, matchExpressions)');
    return undefined;
  }
  const sel = labelSelectorFromObject(v as LabelSelectorObject);
  if (!sel.ok) {
    out.error(['spec', 'nodeSelector'], DIAGNOSTIC_CODES.INVALID_VALUE, sel.error);
    return undefined;
  }
  return sel.value;
}

/** `ownNamespace`: the CiliumEnvoyConfig's namespace; undefined for a CiliumClusterwideEnvoyConfig. */
export function readConfigSpec(spec: unknown, ownNamespace: string | undefined, out: ConfigDiagnostics): ConfigSpec {
  if (spec !== undefined && !isRecord(spec)) {
    out.error(['spec'], DIAGNOSTIC_CODES.WRONG_TYPE, 'expected an object');
    return { services: [], backendServices: [], resources: [] };
  }
  const s = spec ?? {};
  const services = list(s.services, ['spec', 'services'], out)
    .map((e, i) => readRedirect(e, i, ownNamespace, out))
    .filter((r): r is RedirectSpec => r !== undefined);
  const backendServices = list(s.backendServices, ['spec', 'backendServices'], out)
    .map((e, i) => readBackendService(e, i, ownNamespace, out))
    .filter((b): b is BackendServiceSpec => b !== undefined);
  const nodeSelector = readNodeSelector(s.nodeSelector, out);
  return { services, backendServices, ...(nodeSelector ? { nodeSelector } : {}), resources: list(s.resources, ['spec', 'resources'], out) };
}

export function selectsNode(spec: ConfigSpec, nodeLabels: Readonly<Record<string, string>>): boolean {
  return spec.nodeSelector === undefined || matchesLabels(spec.nodeSelector, nodeLabels);
}
