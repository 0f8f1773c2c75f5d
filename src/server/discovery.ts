/**
 * Kubernetes API discovery documents (/api, /api/v1, /apis, /apis/{group}/{version}), built from the
 * served kinds table, so discovery-driven clients can find weft's resources.
 */
import { SERVED_KINDS } from '../api/kinds.ts';
import type { KindInfo } from '../api/kinds.ts';

const VERBS = ['create', 'delete', 'get', 'list', 'update', 'watch'];

function resourceList(groupVersion: string, kinds: readonly KindInfo[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: kinds.flatMap((i) => [
      {
        name: i.plural,
        singularName: i.singular,
        namespaced: i.namespaced,
        kind: i.kind,
        verbs: VERBS,
        ...(i.shortNames.length > 0 ? { shortNames: i.shortNames } : {}),
      },
      { name: `${i.plural}/status`, singularName: '', namespaced: i.namespaced, kind: i.kind, verbs: ['get', 'update'] },
    ]),
  };
}

export function discoveryResponse(pathname: string): unknown | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (parts.length === 2 && parts[1] === 'v1') return resourceList('v1', SERVED_KINDS.filter((i) => i.group === ''));
    return undefined;
  }
  if (parts[0] !== 'apis') return undefined;
  const groups = [...new Set(SERVED_KINDS.filter((i) => i.group !== '').map((i) => i.group))];
  const versionsOf = (g: string) => [...new Set(SERVED_KINDS.filter((i) => i.group === g).flatMap((i) => i.versions))];
  if (parts.length === 1) {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((name) => {
        const versions = versionsOf(name).map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions, preferredVersion: versions[0] };
      }),
    };
  }
  if (parts.length === 3 && groups.includes(parts[1])) {
    const kinds = SERVED_KINDS.filter((i) => i.group === parts[1] && i.versions.includes(parts[2]));
    if (kinds.length > 0) return resourceList(`${parts[1]}/${parts[2]}`, kinds);
  }
  return undefined;
}
