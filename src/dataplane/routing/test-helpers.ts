/**
 * Small builders for the routing tests: a request from a few fields, a header accessor over a
 * plain record, and a Random that replays given values. Test-only (STYLE.md §9: `ForTest`).
 */
import type { HeaderAccessor, Random, RouteRequest } from './request.ts';

export interface RequestSpecForTest {
  readonly authority?: string;
  readonly path?: string;
  readonly query?: string;
  readonly method?: string;
  readonly scheme?: string;
  /** Lower-case names; an array is several values of one header. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly tls?: { readonly presented: boolean; readonly validated: boolean };
}

export function headersForTest(h: Readonly<Record<string, string | readonly string[]>>): HeaderAccessor {
  return {
    get(name: string): string | undefined {
      const v = h[name];
      return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
    },
  };
}

export function requestForTest(spec: RequestSpecForTest): RouteRequest {
  return {
    authority: spec.authority ?? 'example.com',
    path: spec.path ?? '/',
    query: spec.query ?? '',
    method: spec.method ?? 'GET',
    scheme: spec.scheme ?? 'http',
    headers: headersForTest(spec.headers ?? {}),
    ...(spec.tls ? { tls: spec.tls } : {}),
  };
}

/** Returns the given values in turn, then repeats the last. */
export function fixedRandomForTest(...values: number[]): Random {
  let i = 0;
  return { next: () => values[Math.min(i++, values.length - 1)] };
}
