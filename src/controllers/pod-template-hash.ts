/**
 * The `pod-template-hash` label of a Deployment's Pods, computed the way Kubernetes computes it
 * (controller.ComputeHash): FNV-1a 32 over a deterministic dump of the Pod template, then the
 * decimal digits of the hash mapped onto the name alphabet (rand.SafeEncodeString), so the label
 * looks like Kubernetes' (`7d4b9c8f6`). The dump is weft's stable JSON, not Go's spew, so the
 * values differ from a cluster's for the same template; they are stable across runs and machines.
 */
import { stableStringify } from '../lib/stable-hash.ts';
import { NAME_ALPHABET } from './random.ts';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h;
}

/** rand.SafeEncodeString: each character becomes NAME_ALPHABET[code % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += NAME_ALPHABET[(ch.codePointAt(0) as number) % NAME_ALPHABET.length];
  return out;
}

export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv1a32(new TextEncoder().encode(stableStringify(template ?? {})));
  if (collisionCount !== undefined) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(extra, h);
  }
  return safeEncodeString(String(h));
}
