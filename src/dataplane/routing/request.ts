/**
 * What the route table needs to know about a request. The HTTP connection manager fills it once
 * per request; every string is as received (the path already normalised by the HCM), and header
 * values are read through an accessor so the table never copies the header map.
 */

/** Request headers by lower-case name; several values of one header joined with `,` (as Envoy). */
export interface HeaderAccessor {
  get(lowerCaseName: string): string | undefined;
}

export interface RouteRequest {
  /** `:authority` / Host, as received (may carry a port). */
  readonly authority: string;
  /** The path without its query string. */
  readonly path: string;
  /** The query string without the `?`; empty when there is none. */
  readonly query: string;
  readonly method: string;
  /** `http` or `https`: the scheme the HCM decided (x-forwarded-proto). */
  readonly scheme: string;
  readonly headers: HeaderAccessor;
  /** Downstream TLS facts, for RouteMatch.tls_context. Absent = cleartext. */
  readonly tls?: { readonly presented: boolean; readonly validated: boolean };
}

/**
 * A source of uniform numbers in [0, 1), injected so tests are deterministic and the data plane
 * never calls Math.random (STYLE.md §10). Structurally the same as dataplane/lb's Random.
 */
export interface Random {
  next(): number;
}
