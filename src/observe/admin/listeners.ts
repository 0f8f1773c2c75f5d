/**
 * `/listeners`: `name::address:port` lines, or `?format=json` (admin.v3.Listeners).
 */
import { type AdminResponse, jsonResponse, textResponse } from './admin-response.ts';

export interface ListenerStatusView {
  readonly name: string;
  /** Absent for an internal listener. */
  readonly address?: string;
  readonly port?: number;
  readonly additionalAddresses?: readonly { readonly address: string; readonly port: number }[];
}

function addr(a: string, p: number): string {
  return a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}

function socketJson(a: string, p: number): object {
  return { socket_address: { address: a, port_value: p } };
}

export function renderListeners(listeners: readonly ListenerStatusView[], query: URLSearchParams): AdminResponse {
  const sorted = [...listeners].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (query.get('format') === 'json') {
    return jsonResponse(
      sorted.length === 0
        ? {}
        : {
            listener_statuses: sorted.map((l) => ({
              name: l.name,
              ...(l.address !== undefined && l.port !== undefined ? { local_address: socketJson(l.address, l.port) } : {}),
              ...(l.additionalAddresses && l.additionalAddresses.length > 0
                ? { additional_local_addresses: l.additionalAddresses.map((x) => socketJson(x.address, x.port)) }
                : {}),
            })),
          },
    );
  }
  return textResponse(
    sorted
      .map((l) => {
        const all = [
          ...(l.address !== undefined && l.port !== undefined ? [addr(l.address, l.port)] : []),
          ...(l.additionalAddresses ?? []).map((x) => addr(x.address, x.port)),
        ];
        return `${l.name}::${all.length === 0 ? `envoy://${l.name}/` : all.join(',')}\n`;
      })
      .join(''),
  );
}
