/**
 * kubectl's EndpointSlice and v1 Endpoints describers (describeEndpointSliceV1 and
 * describeEndpoints in k8s.io/kubectl pkg/describe/describe.go).
 */
import type { KubeObject } from '../../api/object.ts';
import { describeNoEvents, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './describe-writer.ts';

interface SliceEndpoint {
  readonly addresses?: readonly string[];
  readonly conditions?: { readonly ready?: boolean };
  readonly hostname?: string;
  readonly targetRef?: { readonly kind?: string; readonly name?: string };
  readonly nodeName?: string;
  readonly zone?: string;
}

interface EndpointPort {
  readonly name?: string;
  readonly port?: number;
  readonly protocol?: string;
}

interface Subset {
  readonly addresses?: readonly { readonly ip: string }[];
  readonly notReadyAddresses?: readonly { readonly ip: string }[];
  readonly ports?: readonly EndpointPort[];
}

const listOf = <T>(v: unknown): readonly T[] => (Array.isArray(v) ? (v as T[]) : []);

function header(o: KubeObject, w: PrefixWriter): void {
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', o.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', o.metadata.annotations);
}

/** The text `kubectl describe endpointslice` prints. */
export function describeEndpointSlice(eps: KubeObject): string {
  const w = new PrefixWriter();
  header(eps, w);
  w.write(0, `AddressType:\t${String(eps.addressType ?? '')}\n`);
  const ports = listOf<EndpointPort>(eps.ports);
  if (ports.length === 0) {
    w.write(0, 'Ports: <unset>\n');
  } else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of ports) w.write(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? 'TCP'}\n`);
  }
  const endpoints = listOf<SliceEndpoint>(eps.endpoints);
  if (endpoints.length === 0) {
    w.write(0, 'Endpoints: <none>\n');
  } else {
    w.write(0, 'Endpoints:\n');
    for (const e of endpoints) {
      w.write(1, `- Addresses:\t${(e.addresses ?? []).join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
      w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  describeNoEvents(w);
  return w.render();
}

/** The text `kubectl describe endpoints` prints. */
export function describeEndpoints(ep: KubeObject): string {
  const w = new PrefixWriter();
  header(ep, w);
  w.write(0, 'Subsets:\n');
  for (const s of listOf<Subset>(ep.subsets)) {
    w.write(1, `Addresses:\t${(s.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${(s.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    const ports = s.ports ?? [];
    if (ports.length > 0) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of ports) w.write(2, `${p.name || '<unset>'}\t${p.port ?? 0}\t${p.protocol ?? 'TCP'}\n`);
    }
    w.write(0, '\n');
  }
  describeNoEvents(w);
  return w.render();
}
