/**
 * `request_headers_to_add/remove` and `response_headers_to_add/remove` (routes, virtual hosts,
 * route configurations, weighted clusters), compiled once per snapshot. A value may hold Envoy's
 * substitution operators (`%DOWNSTREAM_REMOTE_ADDRESS%`, `%REQ(x-foo)%`, `%START_TIME%`...): those
 * are compiled with the access log formatter and evaluated against the stream, which is the
 * access log entry; a plain value is used as is. As in Envoy's HeaderParser, removals run before
 * additions, and pseudo-headers and `host` cannot be set this way.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { HeaderAppendAction, HeaderValueOption } from '../../model/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { compileAccessLogFormat, type AccessLogEntry, type AccessLogFormatter } from '../../observe/access-log/index.ts';
import { headerListGet, headerListHas, headerListRemove, headerListSet, type HeaderList, type RequestHeaders } from './header-list.ts';

interface CompiledHeaderValue {
  readonly name: string;
  readonly literal: string | undefined;
  readonly formatter: AccessLogFormatter | undefined;
  readonly action: HeaderAppendAction;
  readonly keepEmpty: boolean;
}

export interface HeaderMutationLayer {
  readonly add: readonly CompiledHeaderValue[];
  readonly remove: readonly string[];
}

function compileValue(o: HeaderValueOption): Result<CompiledHeaderValue | undefined, string> {
  const name = o.header.key.toLowerCase();
  if (name.startsWith(':') || name === 'host') return ok(undefined);
  const raw = o.header.value;
  let formatter: AccessLogFormatter | undefined;
  if (raw.includes('%')) {
    const f = compileAccessLogFormat({ format: { kind: 'textFormat', textFormat: raw }, omitEmptyValues: true });
    if (!f.ok) return err(`header ${o.header.key}: ${f.error.message}`);
    formatter = f.value;
  }
  return ok({
    name,
    literal: formatter === undefined ? raw : undefined,
    formatter,
    action: o.appendAction ?? 'APPEND_IF_EXISTS_OR_ADD',
    keepEmpty: o.keepEmptyValue === true,
  });
}

export function compileMutationLayer(add: readonly HeaderValueOption[], remove: readonly string[]): Result<HeaderMutationLayer, string> {
  const out: CompiledHeaderValue[] = [];
  for (const o of add) {
    const c = compileValue(o);
    if (!c.ok) return c;
    if (c.value) out.push(c.value);
  }
  return ok({ add: out, remove: remove.map((r) => r.toLowerCase()).filter((r) => !r.startsWith(':') && r !== 'host') });
}

function valueOf(v: CompiledHeaderValue, entry: AccessLogEntry): string {
  if (v.literal !== undefined) return v.literal;
  const s = (v.formatter as AccessLogFormatter).format(entry);
  return s === '-' ? '' : s;
}

export function applyRequestMutations(layer: HeaderMutationLayer, headers: RequestHeaders, entry: AccessLogEntry): void {
  for (const name of layer.remove) if (headers[name] !== undefined) headers[name] = undefined;
  for (const v of layer.add) {
    const value = valueOf(v, entry);
    if (value === '' && !v.keepEmpty) continue;
    const cur = headers[v.name];
    switch (v.action) {
      case 'APPEND_IF_EXISTS_OR_ADD':
        headers[v.name] = cur === undefined ? value : typeof cur === 'string' ? [cur, value] : [...cur, value];
        break;
      case 'ADD_IF_ABSENT':
        if (cur === undefined) headers[v.name] = value;
        break;
      case 'OVERWRITE_IF_EXISTS_OR_ADD':
        headers[v.name] = value;
        break;
      case 'OVERWRITE_IF_EXISTS':
        if (cur !== undefined) headers[v.name] = value;
        break;
      default:
        assertNever(v.action, 'append action');
    }
  }
}

export function applyResponseMutations(layer: HeaderMutationLayer, list: HeaderList, entry: AccessLogEntry): void {
  for (const name of layer.remove) headerListRemove(list, name);
  for (const v of layer.add) {
    const value = valueOf(v, entry);
    if (value === '' && !v.keepEmpty) continue;
    switch (v.action) {
      case 'APPEND_IF_EXISTS_OR_ADD':
        list.push(v.name, value);
        break;
      case 'ADD_IF_ABSENT':
        if (!headerListHas(list, v.name)) list.push(v.name, value);
        break;
      case 'OVERWRITE_IF_EXISTS_OR_ADD':
        headerListSet(list, v.name, value);
        break;
      case 'OVERWRITE_IF_EXISTS':
        if (headerListGet(list, v.name) !== undefined) headerListSet(list, v.name, value);
        break;
      default:
        assertNever(v.action, 'append action');
    }
  }
}
