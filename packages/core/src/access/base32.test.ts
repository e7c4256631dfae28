import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('base32 (RFC 4648)', () => {
  const vectors: Array<[string, string]> = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];

  it.each(vectors)('encodes %j as %j (RFC 4648 §10)', (plain, encoded) => {
    expect(base32Encode(ascii(plain))).toBe(encoded);
    expect(base32Encode(ascii(plain), { padding: false })).toBe(encoded.replace(/=+$/, ''));
  });

  it.each(vectors)('decodes the encoding of %j, padded or not', (plain, encoded) => {
    expect(Buffer.from(base32Decode(encoded)).toString()).toBe(plain);
    expect(Buffer.from(base32Decode(encoded.replace(/=+$/, ''))).toString()).toBe(plain);
  });

  it('decodes case-insensitively and ignores spaces', () => {
    expect(Buffer.from(base32Decode('mzxw 6ytb oi')).toString()).toBe('foobar');
  });

  it('rejects invalid characters, lengths and non-canonical trailing bits', () => {
    expect(() => base32Decode('MZXW1===')).toThrow(/invalid character/);
    expect(() => base32Decode('M')).toThrow(/invalid length/);
    expect(() => base32Decode('MZX')).toThrow(/invalid length/);
    expect(() => base32Decode('MZXW=6YT')).toThrow(/invalid character/);
    expect(() => base32Decode('MZ')).toThrow(/trailing bits/); // 'MY' is the canonical form of 'f'
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, padding) => {
        const text = base32Encode(bytes, { padding });
        expect(text).toMatch(/^[A-Z2-7]*=*$/);
        if (padding) expect(text.length % 8).toBe(0);
        expect(base32Decode(text)).toEqual(bytes);
      }),
    );
  });

  it('re-encodes every decodable string to itself (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z2-7]{0,40}$/), (text) => {
        let bytes: Uint8Array;
        try {
          bytes = base32Decode(text);
        } catch {
          return;
        }
        expect(base32Encode(bytes, { padding: false })).toBe(text);
      }),
    );
  });
});
