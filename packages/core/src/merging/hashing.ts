/**
 * Fast non-cryptographic 32-bit hashing for signatures and LSH keys. Nothing here protects
 * against an adversary; it only needs to spread shingles evenly and be the same everywhere.
 */

/** FNV-1a over the UTF-16 code units of a string, with an optional seed as offset basis. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The MurmurHash3 finaliser: a bijection on 32 bits with good avalanche. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a string to 32 bits: FNV-1a mixed by the Murmur finaliser (FNV alone avalanches poorly). */
export function hashString32(text: string, seed = 0): number {
  return fmix32(fnv1a32(text) ^ seed);
}

/** `count` deterministic 32-bit seeds from one seed (SplitMix32-style stream). */
export function deriveSeeds(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    out[i] = fmix32(s);
  }
  return out;
}
