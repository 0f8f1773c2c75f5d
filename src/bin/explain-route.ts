/** The local API's explain endpoint (EXPLAIN_PATH): what a stored object turned into. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveKind } from '../api/kinds.ts';
import type { EnvoyConfigStatusWriter } from '../controlplane/index.ts';
import { ENVOY_CONFIG_KINDS } from '../controlplane/index.ts';
import { sendJson, sendStatus } from '../server/http-util.ts';
import { failure } from '../server/status.ts';
import type { Store } from '../store/index.ts';

export { EXPLAIN_PATH } from '../server/endpoints.ts';

export function explainRoute(deps: { store: Store; statusWriter: EnvoyConfigStatusWriter }) {
  return (_req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const kindName = url.searchParams.get('kind') ?? '';
    const name = url.searchParams.get('name') ?? '';
    const info = resolveKind(kindName);
    if (info === undefined || !ENVOY_CONFIG_KINDS.has(info.kind)) {
      return sendStatus(res, failure('BadRequest', `weft explain knows ciliumenvoyconfigs (cec) and ciliumclusterwideenvoyconfigs (ccec), not "${kindName}"`));
    }
    const namespace = info.namespaced ? url.searchParams.get('namespace') || 'default' : undefined;
    const object = deps.store.get(info.group, info.kind, namespace, name);
    if (object === undefined) {
      return sendStatus(res, failure('NotFound', `${info.plural}.${info.group} "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''}`));
    }
    sendJson(res, 200, deps.statusWriter.explain(object));
  };
}
