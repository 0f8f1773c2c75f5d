/**
 * Objects in the store are plain JSON values: what a manifest or an API body decodes to. These
 * helpers copy a caller's value into that form, compare two values structurally, and freeze them.
 */
import { StoreError } from './store-error.ts';

/**
 * A deep copy holding only what JSON can carry (undefined-valued keys dropped, as a JSON body
 * would drop them). Rejects what JSON cannot represent (cycles, BigInt) as Invalid.
 */
export function toPlainJson<T>(value: T, what: string): T {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new StoreError('Invalid', `${what}: not representable as JSON (${(e as Error).message})`);
  }
  if (text === undefined) throw new StoreError('Invalid', `${what}: not representable as JSON`);
  return JSON.parse(text) as T;
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

/** Structural equality of JSON values; object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = definedKeys(ra);
  if (ka.length !== definedKeys(rb).length) return false;
  return ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

/** Freezes a JSON value and everything inside it; returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
