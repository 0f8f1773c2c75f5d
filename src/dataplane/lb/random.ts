/**
 * Randomness for load balancers and the router, injected (STYLE.md §10: no Math.random in the
 * data plane). `SeededRandom` is a small, fast, well-distributed generator (sfc32, from
 * PractRand's test suite); seeded from a number it repeats exactly, which tests rely on; seeded
 * from the OS (`createRandom()`) it is what the runtime uses.
 */
import { randomBytes } from 'node:crypto';

/** Uniform numbers in [0, 1). Structurally the same as dataplane/routing's Random. */
export interface Random {
  next(): number;
}

export class SeededRandom implements Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }
}

/** A generator seeded from the operating system's entropy. */
export function createRandom(): SeededRandom {
  return new SeededRandom(randomBytes(4).readUInt32LE(0));
}
