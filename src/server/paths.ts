/**
 * Parses the Kubernetes API server's REST layout:
 *   /api/v1/{plural}                              list (all namespaces for namespaced kinds)
 *   /api/v1/namespaces/{ns}/{plural}[/{name}[/status]]
 *   /api/v1/{plural}/{name}[/status]             cluster-scoped kinds (namespaces, ingressclasses...)
 *   /apis/{group}/{version}/...                   the same under a named group
 */
import { kindInfoByPlural } from '../api/kinds.ts';
import type { KindInfo } from '../api/kinds.ts';

export interface ResourcePath {
  readonly info: KindInfo;
  readonly version: string;
  /** Set for namespaced requests; undefined = all namespaces (list/watch) or a cluster-scoped kind. */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: 'status';
}

export type PathParse =
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'not-found'; message: string }
  | { kind: 'not-resource' };

function seg(s: string): string {
  return decodeURIComponent(s);
}

export function parseResourcePath(pathname: string): PathParse {
  const parts = pathname.split('/').filter((p) => p !== '');
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { kind: 'not-resource' };
  }
  let namespace: string | undefined;
  // /namespaces/{ns}/{plural}... addresses a namespaced collection; /namespaces[/{name}] the Namespace kind.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = seg(rest[1]);
    rest = rest.slice(2);
  }
  const [plural, name, sub, ...extra] = rest;
  const info = kindInfoByPlural(group, plural);
  if (!info || !info.versions.includes(version)) {
    const gv = group === '' ? version : `${group}/${version}`;
    return { kind: 'not-found', message: `the server could not find the requested resource: ${plural} in ${gv}` };
  }
  if (extra.length > 0 || (sub !== undefined && sub !== 'status')) {
    return { kind: 'not-found', message: `unknown subresource ${rest.slice(2).join('/')}` };
  }
  if (namespace !== undefined && !info.namespaced) {
    return { kind: 'not-found', message: `${info.plural} is not namespaced` };
  }
  return {
    kind: 'resource',
    path: {
      info,
      version,
      namespace,
      name: name === undefined ? undefined : seg(name),
      subresource: sub === 'status' ? 'status' : undefined,
    },
  };
}

/** The REST path of one object or collection, the inverse of parseResourcePath. */
export function resourceUrlPath(info: KindInfo, version: string, namespace?: string, name?: string): string {
  let p = info.group === '' ? `/api/${version}` : `/apis/${info.group}/${version}`;
  if (info.namespaced && namespace !== undefined) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${info.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  return p;
}
