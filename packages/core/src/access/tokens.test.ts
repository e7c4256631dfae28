import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashToken, looksLikeSessionToken, newSessionToken, safeEqual } from './tokens.js';

describe('newSessionToken', () => {
  it('is 32 bytes as unpadded base64url (43 characters)', () => {
    const bytes = new Uint8Array(32).map((_, i) => 255 - i * 3);
    const token = newSessionToken(bytes);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Uint8Array(Buffer.from(token, 'base64url'))).toEqual(bytes);
    expect(looksLikeSessionToken(token)).toBe(true);
  });

  it('refuses any other amount of randomness', () => {
    expect(() => newSessionToken(new Uint8Array(16))).toThrow(RangeError);
    expect(() => newSessionToken(new Uint8Array(33))).toThrow(RangeError);
  });

  it('is distinct for distinct bytes and always well-formed (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (a, b) => {
          const ta = newSessionToken(a);
          expect(looksLikeSessionToken(ta)).toBe(true);
          expect(ta === newSessionToken(b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        },
      ),
    );
  });
});

describe('looksLikeSessionToken', () => {
  it('rejects other shapes', () => {
    for (const s of [
      '',
      'short',
      'a'.repeat(42),
      'a'.repeat(44),
      `${'a'.repeat(42)}=`,
      `${'a'.repeat(42)}+`,
    ]) {
      expect(looksLikeSessionToken(s)).toBe(false);
    }
  });
});

describe('hashToken', () => {
  it('is the hex SHA-256 of the token', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('')).toBe(createHash('sha256').update('').digest('hex'));
  });

  it('never returns the token itself and is 64 hex chars (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const token = newSessionToken(bytes);
        const h = hashToken(token);
        expect(h).toMatch(/^[0-9a-f]{64}$/);
        expect(h).not.toContain(token);
        expect(hashToken(token)).toBe(h);
      }),
    );
  });
});

describe('safeEqual', () => {
  it('compares strings, including different lengths and unicode', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'a')).toBe(false);
    expect(safeEqual('网格', '网格')).toBe(true);
    expect(safeEqual('网格', '网络')).toBe(false);
  });

  it('agrees with === (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(safeEqual(a, b)).toBe(a === b);
        expect(safeEqual(a, a)).toBe(true);
      }),
    );
  });
});
