/**
 * Kubernetes' name rules (k8s.io/apimachinery/pkg/util/validation), with its error wording, so a
 * name weft accepts is one the API server accepts and the other way round.
 */

import { assertNever } from '../lib/assert-never.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;

/** Which rule a kind's `metadata.name` follows. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

/** Problems with `value` under `rule`; empty when valid. */
export function checkName(value: string, rule: NameRule): string[] {
  switch (rule) {
    case 'dns1123-subdomain':
      return checkDns1123Subdomain(value);
    case 'dns1123-label':
      return checkDns1123Label(value);
    case 'dns1035-label':
      return checkDns1035Label(value);
    default:
      return assertNever(rule, 'name rule');
  }
}

export function checkDns1123Label(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    out.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
    );
  }
  return out;
}

export function checkDns1123Subdomain(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) {
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return out;
}

export function checkDns1035Label(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) {
    out.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')",
    );
  }
  return out;
}

/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of ≤63 characters. */
export function checkQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    name = rest;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else out.push(...checkDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) {
    out.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
    );
  }
  return out;
}

export function checkLabelValue(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    out.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    );
  }
  return out;
}

/** A named port (`targetPort: http`): an IANA service name. */
export function checkPortName(value: string): string[] {
  const out: string[] = [];
  if (value.length > 15) out.push('must be no more than 15 characters');
  if (!IANA_SVC_NAME.test(value)) out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (value.includes('--')) out.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(value)) out.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}
