import { base32Encode } from '../access/base32.js';

/** Characters of a tracking code: RFC 4648 base32 (A–Z, 2–7), 5 bits each. */
export const TRACKING_CODE_LENGTH = 10;
const TRACKING_RE = /^[A-Z2-7]{10}$/;

/**
 * A new tracking code (查询码) from 7 random bytes: 10 base32 characters carry their first 50 bits
 * (the last 6 bits are not needed). Public lookups
 * are rate limited per address, so guessing one of even millions of live codes stays hopeless.
 */
export function newTrackingCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < 7) throw new RangeError('a tracking code needs 7 random bytes');
  return base32Encode(randomBytes.subarray(0, 7), { padding: false }).slice(0, TRACKING_CODE_LENGTH);
}

/**
 * A tracking code as typed by a person: case, spaces and dashes ignored, and the digits 0, 1 and 8
 * read as the letters O, I and B they are mistaken for (base32 has no 0, 1 or 8). Null when it
 * cannot be a code.
 */
export function normalizeTrackingCode(input: string): string | null {
  const s = input
    .replace(/[\s-]/g, '')
    .toUpperCase()
    .replace(/0/g, 'O')
    .replace(/1/g, 'I')
    .replace(/8/g, 'B');
  return TRACKING_RE.test(s) ? s : null;
}
