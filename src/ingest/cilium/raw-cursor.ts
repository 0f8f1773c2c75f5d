/**
 * Walks the user's own JSON of an Envoy resource next to its decoded model, to name a field the
 * way the user wrote it: protojson accepts `virtual_hosts` and `virtualHosts` alike, and a
 * Diagnostic's field path (and so its file position) must use the spelling in the file.
 */
import type { FieldPath } from '../envoy/index.ts';

function lowerCamel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class RawCursor {
  constructor(
    readonly value: unknown,
    readonly path: FieldPath,
  ) {}

  /** The field `snake` (or its lowerCamelCase spelling, whichever the user wrote). */
  get(snake: string): RawCursor {
    const camel = lowerCamel(snake);
    const obj = isRecord(this.value) ? this.value : {};
    const key = Object.hasOwn(obj, snake) ? snake : Object.hasOwn(obj, camel) ? camel : snake;
    return new RawCursor(obj[key], [...this.path, key]);
  }

  at(index: number): RawCursor {
    return new RawCursor(Array.isArray(this.value) ? this.value[index] : undefined, [...this.path, index]);
  }
}
