/**
 * The ObjectMeta rules the API server applies before anything kind-specific
 * (k8s.io/apimachinery/pkg/api/validation.ValidateObjectMeta): name required and well-formed,
 * namespace a DNS label, label and annotation keys qualified names, label values short, annotations
 * at most 256 KiB in all.
 */
import { Buffer } from 'node:buffer';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import { fieldError } from './field-issue.ts';
import type { FieldIssue } from './field-issue.ts';
import type { KindInfo } from './kinds.ts';
import { checkDns1123Label, checkLabelValue, checkName, checkQualifiedName } from './names.ts';
import type { NameRule } from './names.ts';

/** Kubernetes' TotalAnnotationSizeLimitB. */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/** The name rule of each kind's validation function; every other kind uses DNS-1123 subdomains. */
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  Namespace: 'dns1123-label', // ValidateNamespaceName
  Service: 'dns1035-label', // ValidateServiceName
};

export function nameRuleOf(info: KindInfo): NameRule {
  return info.group === '' ? (NAME_RULES[info.kind] ?? 'dns1123-subdomain') : 'dns1123-subdomain';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function problems(path: (string | number)[], what: string, messages: string[]): FieldIssue[] {
  return messages.length === 0 ? [] : [fieldError(DIAGNOSTIC_CODES.INVALID_NAME, path, `invalid ${what}: ${messages.join('; ')}`)];
}

/** Metadata issues of an object of a served kind. Type errors are left to the schema. */
export function validateMetadata(object: Readonly<Record<string, unknown>>, info: KindInfo): FieldIssue[] {
  const meta = object.metadata;
  if (!isRecord(meta)) {
    if (meta === undefined) return [fieldError(DIAGNOSTIC_CODES.REQUIRED, ['metadata', 'name'], 'missing required field "name"')];
    return []; // wrong type: the schema says so
  }
  const issues: FieldIssue[] = [];
  const { name, generateName, namespace } = meta;
  if (name === undefined || name === '') {
    if (typeof generateName === 'string' && generateName !== '') {
      issues.push(
        fieldError(
          DIAGNOSTIC_CODES.UNSUPPORTED,
          ['metadata', 'generateName'],
          'generateName is not supported by apply (as with kubectl apply): every object needs a fixed metadata.name',
          'use metadata.name, or create such objects through the API instead',
        ),
      );
    } else {
      issues.push(fieldError(DIAGNOSTIC_CODES.REQUIRED, ['metadata', 'name'], 'missing required field "name"'));
    }
  } else if (typeof name === 'string') {
    issues.push(...problems(['metadata', 'name'], 'name', checkName(name, nameRuleOf(info))));
  }
  if (info.namespaced && typeof namespace === 'string' && namespace !== '') {
    issues.push(...problems(['metadata', 'namespace'], 'namespace', checkDns1123Label(namespace)));
  }
  if (isRecord(meta.labels)) {
    for (const [k, v] of Object.entries(meta.labels)) {
      issues.push(...problems(['metadata', 'labels', k], `label key ${JSON.stringify(k)}`, checkQualifiedName(k)));
      if (typeof v === 'string') issues.push(...problems(['metadata', 'labels', k], `label value ${JSON.stringify(v)}`, checkLabelValue(v)));
    }
  }
  if (isRecord(meta.annotations)) {
    let size = 0;
    for (const [k, v] of Object.entries(meta.annotations)) {
      issues.push(...problems(['metadata', 'annotations', k], `annotation key ${JSON.stringify(k)}`, checkQualifiedName(k)));
      size += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (size > ANNOTATIONS_SIZE_LIMIT) {
      issues.push(
        fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, ['metadata', 'annotations'], `annotations are ${size} bytes in all; the limit is ${ANNOTATIONS_SIZE_LIMIT} (256 KiB)`),
      );
    }
  }
  return issues;
}
