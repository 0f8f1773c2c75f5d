/** Exhaustiveness check for `switch` over a discriminated union (STYLE.md §9). */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
