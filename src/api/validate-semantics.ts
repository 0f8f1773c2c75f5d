/**
 * Checks the API server makes where the published schema is looser (ranges, named-port syntax,
 * uniqueness, selector/template agreement). Deliberately few: they cover what `kubectl apply`
 * would refuse for the core workload kinds. What a route or a CiliumEnvoyConfig means is ingest's
 * business, not this file's. Values of the wrong type are skipped: the schema reports them.
 */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import { fieldError } from './field-issue.ts';
import type { FieldIssue, FieldPath } from './field-issue.ts';
import { checkDns1123Label, checkPortName } from './names.ts';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): [number, Json][] {
  return Array.isArray(v) ? v.flatMap((x, i): [number, Json][] => (isRecord(x) ? [[i, x]] : [])) : [];
}

function checkPortNumber(v: unknown, path: FieldPath, min = 1): FieldIssue[] {
  if (typeof v !== 'number' || !Number.isInteger(v)) return [];
  if (v >= min && v <= 65535) return [];
  return [fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must be between ${min} and 65535, inclusive; got ${v}`)];
}

/** One Service port on its own: numbers in range, a named target port that is an IANA name. */
function checkServicePort(p: Json, at: FieldPath): FieldIssue[] {
  const issues = [...checkPortNumber(p.port, [...at, 'port'])];
  if (p.nodePort !== undefined) issues.push(...checkPortNumber(p.nodePort, [...at, 'nodePort'], 0));
  const tp = p.targetPort;
  if (typeof tp === 'number') issues.push(...checkPortNumber(tp, [...at, 'targetPort']));
  else if (typeof tp === 'string') {
    const why = checkPortName(tp);
    if (why.length > 0) {
      const hint = /^\d+$/.test(tp) ? `write the port number without quotes: targetPort: ${tp}` : undefined;
      issues.push(fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, [...at, 'targetPort'], `invalid named port ${JSON.stringify(tp)}: ${why.join('; ')}`, hint));
    }
  }
  if (typeof p.name === 'string' && p.name !== '') {
    const why = checkDns1123Label(p.name);
    if (why.length > 0) issues.push(fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, [...at, 'name'], `invalid port name: ${why.join('; ')}`));
  }
  return issues;
}

/** Across a Service's ports: names present when there are several, names and port/protocol pairs unique. */
function checkServicePortSet(ports: readonly [number, Json][]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const [i, p] of ports) {
    const at = ['spec', 'ports', i];
    if (typeof p.name === 'string' && p.name !== '') {
      const first = names.get(p.name);
      if (first !== undefined) issues.push(fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, [...at, 'name'], `duplicate port name ${JSON.stringify(p.name)} (also spec.ports[${first}])`));
      else names.set(p.name, i);
    } else if (ports.length > 1 && p.name === undefined) {
      issues.push(fieldError(DIAGNOSTIC_CODES.REQUIRED, [...at, 'name'], 'every port of a Service with several ports needs a name'));
    }
    if (typeof p.port === 'number') {
      const key = `${String(p.protocol ?? 'TCP')}/${p.port}`;
      const first = seen.get(key);
      if (first !== undefined) issues.push(fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, at, `duplicate port ${key} (also spec.ports[${first}])`));
      else seen.set(key, i);
    }
  }
  return issues;
}

/** Service spec: ports in range, named target ports well-formed, names present and unique when several. */
export function validateServiceSpec(specValue: unknown): FieldIssue[] {
  if (specValue !== undefined && !isRecord(specValue)) return [];
  const spec = specValue ?? {};
  const ports = records(spec.ports);
  const noPorts = spec.ports === undefined || (Array.isArray(spec.ports) && spec.ports.length === 0);
  const issues: FieldIssue[] = [];
  if (noPorts && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
    issues.push(fieldError(DIAGNOSTIC_CODES.REQUIRED, ['spec', 'ports'], 'a Service needs at least one port (unless it is headless or ExternalName)'));
  }
  for (const [i, p] of ports) issues.push(...checkServicePort(p, ['spec', 'ports', i]));
  return [...issues, ...checkServicePortSet(ports)];
}

/** Pod spec (a Pod's or a template's): container ports in range. */
export function validatePodSpec(spec: unknown, at: FieldPath): FieldIssue[] {
  if (!isRecord(spec)) return [];
  const issues: FieldIssue[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    for (const [i, c] of records(spec[field])) {
      for (const [j, p] of records(c.ports)) {
        const pp = [...at, field, i, 'ports', j];
        issues.push(...checkPortNumber(p.containerPort, [...pp, 'containerPort']));
        if (p.hostPort !== undefined) issues.push(...checkPortNumber(p.hostPort, [...pp, 'hostPort'], 0));
      }
    }
  }
  return issues;
}

function selectorMatches(selector: Json, labels: Json): boolean {
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const [, e] of records(selector.matchExpressions)) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values : [];
    const has = Object.hasOwn(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        break; // unknown operators: the schema does not constrain them, the server would say so
    }
  }
  return true;
}

/** Deployment spec: a non-empty selector that selects the template's labels; the template's pod spec. */
export function validateDeploymentSpec(spec: unknown): FieldIssue[] {
  if (!isRecord(spec)) return [];
  const issues: FieldIssue[] = [];
  const template = isRecord(spec.template) ? spec.template : undefined;
  if (isRecord(spec.selector) && template) {
    const sel = spec.selector;
    const empty = (!isRecord(sel.matchLabels) || Object.keys(sel.matchLabels).length === 0) && records(sel.matchExpressions).length === 0;
    const labels = isRecord(template.metadata) && isRecord(template.metadata.labels) ? template.metadata.labels : {};
    if (empty) issues.push(fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, ['spec', 'selector'], 'empty selector is invalid for deployment'));
    else if (!selectorMatches(sel, labels)) {
      issues.push(
        fieldError(
          DIAGNOSTIC_CODES.INVALID_VALUE,
          ['spec', 'template', 'metadata', 'labels'],
          '`selector` does not match template `labels`',
          'every label in spec.selector.matchLabels must also be set in spec.template.metadata.labels',
        ),
      );
    }
  }
  if (template) issues.push(...validatePodSpec(template.spec, ['spec', 'template', 'spec']));
  return issues;
}

/** The semantic checks of a served kind (core group only; the rest have none here). */
export function validateSemantics(group: string, kind: string, object: Readonly<Json>): FieldIssue[] {
  if (group === '' && kind === 'Service') return validateServiceSpec(object.spec);
  if (group === '' && kind === 'Pod') return validatePodSpec(object.spec, ['spec']);
  if (group === 'apps' && kind === 'Deployment') return validateDeploymentSpec(object.spec);
  return [];
}
