import type { Clock } from './clock.js';

export interface IdGenerator {
  next(): string;
}

const hex = (b: number): string => b.toString(16).padStart(2, '0');

/** UUIDv7 (RFC 9562): time-ordered, so clients may generate ids offline and indexes stay compact. */
export function uuidv7(ms: number, random: Uint8Array): string {
  const b = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  for (let i = 6; i < 16; i++) b[i] = random[i - 6] ?? 0;
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const s = Array.from(b, hex).join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Random bytes from the platform's CSPRNG, drawn 4 KiB at a time (one call per id costs more than the id). */
function pooledRandom(): (n: number) => Uint8Array {
  let pool = new Uint8Array(0);
  let at = 0;
  return (n) => {
    if (at + n > pool.length) {
      pool = globalThis.crypto.getRandomValues(new Uint8Array(4096));
      at = 0;
    }
    const out = pool.slice(at, at + n);
    at += n;
    return out;
  };
}

/** An id generator on a clock and a random source (crypto by default). */
export function createIdGenerator(
  clock: Clock,
  random: (n: number) => Uint8Array = pooledRandom(),
): IdGenerator {
  return { next: () => uuidv7(clock.now().getTime(), random(10)) };
}

/** A deterministic id generator (seeded xorshift) for reproducible demo data and tests. */
export function seededIdGenerator(seed: number, startMs: number): IdGenerator {
  let x = seed >>> 0 || 1;
  let ms = startMs;
  const rnd = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
  return { next: () => uuidv7(ms++, rnd(10)) };
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
