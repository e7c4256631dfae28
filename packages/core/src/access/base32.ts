/** RFC 4648 base32 (the alphabet authenticator apps use for TOTP secrets). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES = new Map<string, number>(Array.from(ALPHABET, (c, i) => [c, i]));
/** Unpadded lengths (mod 8) that a whole number of bytes can produce. */
const VALID_REMAINDERS = new Set([0, 2, 4, 5, 7]);

/** Encodes bytes as RFC 4648 base32, with '=' padding unless `padding: false`. */
export function base32Encode(bytes: Uint8Array, options: { padding?: boolean } = {}): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  if (options.padding !== false) out += '='.repeat((8 - (out.length % 8)) % 8);
  return out;
}

/**
 * Decodes RFC 4648 base32: case-insensitive, spaces and trailing '=' ignored. Throws on other
 * characters, impossible lengths and non-zero trailing bits (non-canonical input).
 */
export function base32Decode(text: string): Uint8Array {
  const body = text.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  if (!VALID_REMAINDERS.has(body.length % 8)) throw new RangeError('base32: invalid length');
  const out = new Uint8Array(Math.floor((body.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let i = 0;
  for (const ch of body) {
    const v = VALUES.get(ch);
    if (v === undefined) throw new RangeError(`base32: invalid character ${JSON.stringify(ch)}`);
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[i++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new RangeError('base32: non-zero trailing bits');
  return out;
}
