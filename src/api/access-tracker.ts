/**
 * Finds unknown fields with validators that do not reject them.
 *
 * The precompiled validators carry no `additionalProperties: false`, but kubectl and the API server
 * refuse unknown fields (strict field validation). A validator reads, for every object node it
 * checks against a closed schema, each declared property (`data.x !== undefined`), present or not;
 * for an open map (labels, selectors) it enumerates the keys instead; for a node the schema leaves
 * open (`x-kubernetes-preserve-unknown-fields`, such as a CiliumEnvoyConfig's `resources[]`) it
 * reads nothing. So the data goes through the validator behind a recording Proxy, and afterwards
 * every own key of a node that was read but never enumerated, and that the validator never asked
 * for, is unknown. Branches of anyOf/oneOf only add names to a node's known set, which can hide an
 * unknown field but never invent one.
 */

export type FieldPath = readonly (string | number)[];

interface NodeAccess {
  readonly path: FieldPath;
  readonly target: Record<string, unknown>;
  readonly names: Set<string>;
  enumerated: boolean;
}

export interface UnknownField {
  /** Path of the unknown key itself (the parent's path plus the key). */
  readonly path: FieldPath;
  readonly key: string;
  /** Property names the schema declares at that node, sorted. */
  readonly known: readonly string[];
}

export interface AccessRecording {
  /** Pass this to the validator instead of the data. */
  readonly proxy: unknown;
  /** Call after the validator returned. */
  unknownFields(): UnknownField[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function recordAccess(data: unknown): AccessRecording {
  const nodes: NodeAccess[] = [];
  const proxies = new Map<string, unknown>();

  const wrap = (value: unknown, path: FieldPath): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const id = JSON.stringify(path);
    const existing = proxies.get(id);
    if (existing !== undefined) return existing;
    let rec: NodeAccess | undefined;
    if (isPlainObject(value)) {
      rec = { path, target: value, names: new Set(), enumerated: false };
      nodes.push(rec);
    }
    const isArray = Array.isArray(value);
    const proxy = new Proxy(value as object, {
      get(t, p, receiver) {
        const v = Reflect.get(t, p, receiver);
        if (typeof p !== 'string') return v;
        rec?.names.add(p);
        if (!Object.hasOwn(t, p)) return v;
        if (isArray) return /^\d+$/.test(p) ? wrap(v, [...path, Number(p)]) : v;
        return wrap(v, [...path, p]);
      },
      has(t, p) {
        if (typeof p === 'string') rec?.names.add(p);
        return Reflect.has(t, p);
      },
      getOwnPropertyDescriptor(t, p) {
        if (typeof p === 'string') rec?.names.add(p);
        return Reflect.getOwnPropertyDescriptor(t, p);
      },
      ownKeys(t) {
        if (rec) rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(id, proxy);
    return proxy;
  };

  return {
    proxy: wrap(data, []),
    unknownFields() {
      const out: UnknownField[] = [];
      for (const n of nodes) {
        if (n.enumerated || n.names.size === 0) continue;
        let known: string[] | undefined;
        for (const key of Object.keys(n.target)) {
          if (n.names.has(key)) continue;
          known ??= [...n.names].filter((k) => !(k in Object.prototype)).sort();
          out.push({ path: [...n.path, key], key, known });
        }
      }
      return out;
    },
  };
}
