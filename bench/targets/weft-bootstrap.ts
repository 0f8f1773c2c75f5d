/**
 * Renders bench/weft-bootstrap.yaml for one run: the listener gets the port chosen for weft and the
 * `upstream` cluster's endpoint the upstream's port. The structure is edited as YAML (not by string
 * replacement), and anything unexpected in the template is reported instead of guessed at.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { err, ok } from '../../src/lib/result.ts';
import type { Result } from '../../src/lib/result.ts';

export const BOOTSTRAP_UPSTREAM_CLUSTER = 'upstream';

function mapAt(doc: Document, path: readonly (string | number)[]): YAMLMap | undefined {
  const node = doc.getIn(path, true);
  return isMap(node) ? node : undefined;
}

export function renderWeftBootstrap(
  template: string,
  o: { host: string; port: number; upstreamPort: number },
): Result<string, string> {
  const doc = parseDocument(template);
  if (doc.errors.length > 0) return err(`not valid YAML: ${doc.errors[0].message}`);
  const listeners = doc.getIn(['static_resources', 'listeners'], true);
  if (!isSeq(listeners) || listeners.items.length !== 1) {
    return err('static_resources.listeners must hold exactly one listener');
  }
  const listenerAddr = mapAt(doc, ['static_resources', 'listeners', 0, 'address', 'socket_address']);
  if (!listenerAddr) return err('static_resources.listeners[0].address.socket_address is missing');
  listenerAddr.set('address', o.host);
  listenerAddr.set('port_value', o.port);

  const clusters = doc.getIn(['static_resources', 'clusters'], true);
  if (!isSeq(clusters)) return err('static_resources.clusters is missing');
  const index = clusters.items.findIndex((c) => isMap(c) && c.get('name') === BOOTSTRAP_UPSTREAM_CLUSTER);
  if (index < 0) return err(`no cluster named "${BOOTSTRAP_UPSTREAM_CLUSTER}"`);
  const endpointPath = ['static_resources', 'clusters', index, 'load_assignment', 'endpoints', 0, 'lb_endpoints', 0, 'endpoint', 'address', 'socket_address'];
  const endpointAddr = mapAt(doc, endpointPath);
  if (!endpointAddr) {
    return err(`clusters[${index}].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address is missing`);
  }
  endpointAddr.set('address', o.host);
  endpointAddr.set('port_value', o.upstreamPort);
  return ok(doc.toString());
}
