/**
 * Stable JSON and content hashes: the same value always gives the same text and hash, whatever
 * the order its object keys were inserted in. Object keys are sorted by UTF-16 code units;
 * `undefined`, functions and symbols are left out of objects (and become `null` in arrays), as
 * JSON.stringify does; non-finite numbers become `null`; `toJSON` is honoured. A cycle or a bigint
 * throws a TypeError (a programming error, not a configuration one).
 */
import { createHash } from 'node:crypto';

export interface StableJsonOptions {
  /** Object keys to leave out at every depth (e.g. `sources`, to hash configuration only). */
  readonly omitKeys?: ReadonlySet<string>;
}

export function stableStringify(value: unknown, options: StableJsonOptions = {}): string {
  const out: string[] = [];
  write(value, out, options.omitKeys, new Set());
  return out.join('');
}

/** sha256 (lower-case hex) of `stableStringify(value, options)`. */
export function stableHash(value: unknown, options: StableJsonOptions = {}): string {
  return createHash('sha256').update(stableStringify(value, options)).digest('hex');
}

function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function write(value: unknown, out: string[], omit: ReadonlySet<string> | undefined, stack: Set<object>): void {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? JSON.stringify(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      throw new TypeError('stableStringify: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      out.push('null');
      return;
    case 'object':
      break;
  }
  const obj = value as object;
  if (stack.has(obj)) throw new TypeError('stableStringify: the value has a cycle');
  stack.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out.push(',');
      write(obj[i], out, omit, stack);
    }
    out.push(']');
  } else {
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const k of keys) {
      const v = record[k];
      if (isSkipped(v) || omit?.has(k)) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(v, out, omit, stack);
    }
    out.push('}');
  }
  stack.delete(obj);
}

/**
 * MurmurHash3 (x86, 32-bit) of a string's UTF-16 code units, two units per 32-bit block. Fast,
 * well spread and the same on every run and machine: for consistent hashing (ring hash, Maglev,
 * hash policies), never for security.
 */
export function murmur3Hash32(text: string, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const n = text.length;
  const pairs = n - (n % 2);
  for (let i = 0; i < pairs; i += 2) {
    let k = (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)) >>> 0;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (n % 2 === 1) {
    let k = text.charCodeAt(n - 1);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n * 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
