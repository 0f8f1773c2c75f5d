/**
 * Virtual host selection, in Envoy's order (RouteMatcher::findVirtualHost in
 * source/common/router/config_impl.cc, and the VirtualHost.domains API docs):
 *   1. an exact domain (`www.foo.com`);
 *   2. the longest suffix wildcard (`*-bar.foo.com` before `*.foo.com`); the wildcard stands for
 *      at least one character, so `*.foo.com` does not match `.foo.com` (Envoy: "wildcard_length
 *      >= host.size()" is skipped);
 *   3. the longest prefix wildcard (`foo.*`, `foo-*`);
 *   4. `*`, the default virtual host;
 * comparing lower-cased (Envoy lower-cases both the domains and the host: hostnames are case
 * insensitive). When the route configuration has only `*`, it is returned without looking at the
 * host at all, as Envoy's fast path does.
 *
 * Ports: Envoy compares the whole Host value, port included, unless the RouteConfiguration sets
 * `ignore_port_in_host_matching` (or the HCM strips the port first). weft strips the port before
 * matching unless some domain of the configuration lists one (`foo.com:8080`, `foo.com:*`, as
 * Cilium and Istio write them): then the whole value is compared, exactly as Envoy does. This keeps
 * Envoy's behaviour for configurations that are port-aware and lets `Host: foo.com:8080` reach a
 * `foo.com` virtual host in those that are not.
 */
import type { VirtualHost } from '../../model/index.ts';
import { asciiLower } from './ascii.ts';

interface WildcardGroup<T> {
  /** Length of the domain without its `*`. */
  readonly length: number;
  readonly byText: ReadonlyMap<string, T>;
}

function portStart(host: string): number {
  // Envoy's HeaderUtility::getPortStart: the last `:`, unless it sits inside an IPv6 `[...]`.
  const colon = host.lastIndexOf(':');
  if (colon < 0) return -1;
  const v6End = host.lastIndexOf(']');
  return v6End < 0 || v6End < colon ? colon : -1;
}

function domainHasPort(domain: string): boolean {
  return portStart(domain) >= 0;
}

function groups<T>(byLength: Map<number, Map<string, T>>): WildcardGroup<T>[] {
  return [...byLength.entries()].sort((a, b) => b[0] - a[0]).map(([length, byText]) => ({ length, byText }));
}

export class VirtualHostTable<T> {
  readonly #exact: ReadonlyMap<string, T>;
  readonly #suffixes: readonly WildcardGroup<T>[];
  readonly #prefixes: readonly WildcardGroup<T>[];
  readonly #default: T | undefined;
  readonly #onlyDefault: boolean;
  readonly #stripPort: boolean;

  /** `entries` in configuration order; a domain already taken keeps its first virtual host. */
  constructor(entries: readonly { readonly virtualHost: VirtualHost; readonly value: T }[], ignorePortInHostMatching: boolean) {
    const exact = new Map<string, T>();
    const suffixes = new Map<number, Map<string, T>>();
    const prefixes = new Map<number, Map<string, T>>();
    let dflt: T | undefined;
    let anyPort = false;
    for (const { virtualHost, value } of entries) {
      for (const raw of virtualHost.domains) {
        const domain = asciiLower(raw);
        anyPort ||= domainHasPort(domain);
        if (domain === '*') {
          dflt ??= value;
        } else if (domain.startsWith('*')) {
          const text = domain.slice(1);
          const m = suffixes.get(text.length) ?? new Map<string, T>();
          if (!m.has(text)) m.set(text, value);
          suffixes.set(text.length, m);
        } else if (domain.endsWith('*')) {
          const text = domain.slice(0, -1);
          const m = prefixes.get(text.length) ?? new Map<string, T>();
          if (!m.has(text)) m.set(text, value);
          prefixes.set(text.length, m);
        } else if (!exact.has(domain)) {
          exact.set(domain, value);
        }
      }
    }
    this.#exact = exact;
    this.#suffixes = groups(suffixes);
    this.#prefixes = groups(prefixes);
    this.#default = dflt;
    this.#onlyDefault = exact.size === 0 && suffixes.size === 0 && prefixes.size === 0;
    this.#stripPort = ignorePortInHostMatching || !anyPort;
  }

  find(authority: string): T | undefined {
    if (this.#onlyDefault) return this.#default;
    let host = authority;
    if (this.#stripPort) {
      const p = portStart(host);
      if (p >= 0) host = host.slice(0, p);
    }
    host = asciiLower(host);
    const hit = this.#exact.get(host);
    if (hit !== undefined) return hit;
    for (const g of this.#suffixes) {
      if (g.length >= host.length) continue;
      const v = g.byText.get(host.slice(host.length - g.length));
      if (v !== undefined) return v;
    }
    for (const g of this.#prefixes) {
      if (g.length >= host.length) continue;
      const v = g.byText.get(host.slice(0, g.length));
      if (v !== undefined) return v;
    }
    return this.#default;
  }
}
