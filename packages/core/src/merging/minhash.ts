import { deriveSeeds, fmix32, hashString32 } from './hashing.js';
import type { TextOptions } from './text.js';
import { normalizeForMerge, shingles } from './text.js';

/**
 * MinHash signatures: for each of k hash functions the smallest hash over a text's shingles.
 * The share of equal slots of two signatures estimates the Jaccard similarity of the shingle
 * sets (standard error √(J(1−J)/k): ±0.044 at J = 0.5 with k = 128), and bands of slots feed
 * the LSH index (see lsh.ts).
 */

/** Default number of hash functions: 128 slots = 512 bytes, 684 characters of base64. */
export const DEFAULT_NUM_HASHES = 128;
/** Default seed of the hash family. Changing it (or k, or n) invalidates every stored signature. */
export const DEFAULT_MINHASH_SEED = 0x6369_7669; // "civi"

const EMPTY_SLOT = 0xffffffff;

/** Options of {@link minhashSignature}. */
export interface MinHashOptions extends TextOptions {
  /** Number of hash functions (slots). Default {@link DEFAULT_NUM_HASHES}. */
  numHashes?: number;
  /** Seed of the hash family. Default {@link DEFAULT_MINHASH_SEED}. */
  seed?: number;
}

const seedCache = new Map<string, Uint32Array>();
function seedsFor(count: number, seed: number): Uint32Array {
  const key = `${count}:${seed >>> 0}`;
  let seeds = seedCache.get(key);
  if (!seeds) {
    seeds = deriveSeeds(count, seed);
    seedCache.set(key, seeds);
  }
  return seeds;
}

/** MinHash signature of a set of shingles. An empty set gives a signature of empty slots. */
export function minhashOfShingles(
  set: Iterable<string>,
  numHashes = DEFAULT_NUM_HASHES,
  seed = DEFAULT_MINHASH_SEED,
): Uint32Array {
  const seeds = seedsFor(numHashes, seed);
  const sig = new Uint32Array(numHashes).fill(EMPTY_SLOT);
  for (const g of set) {
    const base = hashString32(g);
    for (let i = 0; i < numHashes; i++) {
      // h_i(x) = fmix32(h(x) ⊕ s_i): each h_i is a bijection of the 32-bit space
      const h = fmix32(base ^ (seeds[i] as number));
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
  return sig;
}

/** MinHash signature of a raw text: normalised, shingled, hashed. */
export function minhashSignature(text: string, options: MinHashOptions = {}): Uint32Array {
  return minhashOfShingles(
    shingles(normalizeForMerge(text, options), options.ngram ?? 2),
    options.numHashes ?? DEFAULT_NUM_HASHES,
    options.seed ?? DEFAULT_MINHASH_SEED,
  );
}

/** True when the signature comes from an empty text (every slot empty). */
export function isEmptySignature(sig: Uint32Array): boolean {
  for (let i = 0; i < sig.length; i++) if (sig[i] !== EMPTY_SLOT) return false;
  return true;
}

/**
 * Estimated Jaccard similarity: the share of equal slots. Empty texts resemble nothing (0);
 * signatures of different lengths cannot be compared and throw.
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError('signatures of different lengths');
  if (a.length === 0 || isEmptySignature(a) || isEmptySignature(b)) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map<string, number>(Array.from(B64, (c, i) => [c, i]));

/** Serialises a signature as base64 of its slots in little-endian byte order (a text column). */
export function encodeSignature(sig: Uint32Array): string {
  const bytes = new Uint8Array(sig.length * 4);
  for (let i = 0; i < sig.length; i++) {
    const v = sig[i] as number;
    bytes[i * 4] = v & 0xff;
    bytes[i * 4 + 1] = (v >>> 8) & 0xff;
    bytes[i * 4 + 2] = (v >>> 16) & 0xff;
    bytes[i * 4 + 3] = (v >>> 24) & 0xff;
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += B64[(n >>> 18) & 63] as string;
    out += B64[(n >>> 12) & 63] as string;
    out += b1 === undefined ? '=' : (B64[(n >>> 6) & 63] as string);
    out += b2 === undefined ? '=' : (B64[n & 63] as string);
  }
  return out;
}

/** Parses {@link encodeSignature}'s output; throws on anything else. */
export function decodeSignature(encoded: string): Uint32Array {
  if (encoded.length % 4 !== 0) throw new RangeError('signature: base64 length is not a multiple of 4');
  const pad = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  const byteLength = (encoded.length / 4) * 3 - pad;
  if (byteLength % 4 !== 0) throw new RangeError('signature: not a whole number of 32-bit slots');
  const bytes = new Uint8Array(byteLength);
  let j = 0;
  for (let i = 0; i < encoded.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = encoded[i + k] as string;
      const isPad = c === '=' && i + 4 === encoded.length && k >= 4 - pad;
      const v = isPad ? 0 : B64_INDEX.get(c);
      if (v === undefined) throw new RangeError(`signature: invalid character ${JSON.stringify(c)}`);
      n = (n << 6) | v;
    }
    for (const shift of [16, 8, 0]) if (j < byteLength) bytes[j++] = (n >>> shift) & 0xff;
  }
  const sig = new Uint32Array(byteLength / 4);
  for (let i = 0; i < sig.length; i++) {
    sig[i] =
      ((bytes[i * 4] as number) |
        ((bytes[i * 4 + 1] as number) << 8) |
        ((bytes[i * 4 + 2] as number) << 16) |
        ((bytes[i * 4 + 3] as number) << 24)) >>>
      0;
  }
  return sig;
}
