/**
 * Randomness for the controllers: generated names and address choices. Injected so that tests are
 * repeatable (test-support.ts has a seeded source).
 */
import { randomInt } from 'node:crypto';

export interface RandomSource {
  /** An integer in [0, n). */
  intBelow(n: number): number;
}

export const CRYPTO_RANDOM: RandomSource = Object.freeze({ intBelow: (n: number) => randomInt(n) });

/**
 * The alphabet of Kubernetes' generated names (k8s.io/apimachinery/pkg/util/rand): no vowels, so
 * no words, and no 0/1/3 that read as letters.
 */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `n` random characters of NAME_ALPHABET, as rand.String(n). */
export function randomNameSuffix(random: RandomSource, n = 5): string {
  let out = '';
  for (let i = 0; i < n; i++) out += NAME_ALPHABET[random.intBelow(NAME_ALPHABET.length)];
  return out;
}

/**
 * A name from `generateName`, as the API server makes one: the prefix cut to 58 characters, then
 * five random characters.
 */
export function generateName(prefix: string, random: RandomSource): string {
  return `${prefix.slice(0, 58)}${randomNameSuffix(random)}`;
}
