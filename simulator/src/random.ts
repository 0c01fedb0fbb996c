/**
 * Deterministic hashing and a small PRNG. Every generated value is a pure function of
 * (seed, collection tag, index...), so any record can be rebuilt on demand from its index
 * and the same flags always give byte-identical data.
 */

/** 32-bit avalanche mix (lowbias32 by Chris Wellons). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of up to five 32-bit integers (callers pass small non-negative ints). */
export function hash(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ b);
  h = mix32((h + c) | 0);
  h = mix32(h ^ Math.imul(d, 0x27d4eb2f));
  h = mix32((h + Math.imul(e, 0x165667b1)) | 0);
  return h;
}

/** Reduce an arbitrary non-negative safe integer seed to 32 bits, keeping both halves. */
export function seed32(seed: number): number {
  const lo = seed % 0x1_0000_0000;
  const hi = Math.floor(seed / 0x1_0000_0000);
  return mix32(lo ^ mix32(hi + 0x51ed270b));
}

/** splitmix32 stream: cheap to create per record, good enough for fixture data. */
export class Rng {
  private state: number;

  constructor(state: number) {
    this.state = state | 0;
  }

  /** Next unsigned 32-bit value. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max] (inclusive). */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  /** Index chosen with the given relative weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return (HEX[(n >>> 24) & 255] ?? '') + (HEX[(n >>> 16) & 255] ?? '') + (HEX[(n >>> 8) & 255] ?? '') + (HEX[n & 255] ?? '');
}

/** A version-4-shaped UUID derived from four hashes (stable for the same inputs). */
export function uuidFrom(h1: number, h2: number, h3: number, h4: number): string {
  const a = hex8(h1);
  const b = hex8(h2);
  // Version nibble 4 and RFC 4122 variant bits, as in a random v4 UUID.
  const c = hex8((h3 & 0x3fffffff) | 0x80000000);
  const d = hex8(h4);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${c.slice(0, 4)}-${c.slice(4, 8)}${d}`;
}
