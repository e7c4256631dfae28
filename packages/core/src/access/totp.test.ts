import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.js';
import { generateTotpSecret, hotpCode, otpauthUri, totpCode, totpCounter, verifyTotp } from './totp.js';

/** The RFC 6238 / RFC 4226 SHA-1 test secret: ASCII "12345678901234567890". */
const RFC_SECRET = base32Encode(new TextEncoder().encode('12345678901234567890'), { padding: false });
const secret = generateTotpSecret(new Uint8Array(20).map((_, i) => i * 13 + 7));
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a multiple of 30 s

describe('hotpCode (RFC 4226 appendix D)', () => {
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  it.each(expected.map((code, counter) => [counter, code] as const))('counter %i → %s', (counter, code) => {
    expect(hotpCode(base32Decode(RFC_SECRET), counter)).toBe(code);
  });

  it('handles counters beyond 32 bits', () => {
    expect(hotpCode(base32Decode(RFC_SECRET), 2 ** 32 + 1)).toMatch(/^\d{6}$/);
    expect(hotpCode(base32Decode(RFC_SECRET), 2 ** 32 + 1)).not.toBe(hotpCode(base32Decode(RFC_SECRET), 1));
  });

  it('rejects bad counters and digit counts', () => {
    expect(() => hotpCode(base32Decode(RFC_SECRET), -1)).toThrow(RangeError);
    expect(() => hotpCode(base32Decode(RFC_SECRET), 1.5)).toThrow(RangeError);
    expect(() => hotpCode(base32Decode(RFC_SECRET), 1, 5)).toThrow(RangeError);
    expect(() => hotpCode(base32Decode(RFC_SECRET), 1, 9)).toThrow(RangeError);
  });
});

describe('totpCode (RFC 6238 appendix B, SHA-1)', () => {
  const vectors: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  it.each(vectors)('T=%i s → %s (8 digits)', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000, 30, 8)).toBe(code);
  });

  it.each(vectors)('T=%i s → last 6 digits with the default of 6', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code.slice(2));
  });

  it('stays constant within a step and changes at the boundary', () => {
    expect(totpCode(secret, T0)).toBe(totpCode(secret, T0 + 29_999));
    expect(totpCode(secret, T0 + 30_000)).not.toBe(totpCode(secret, T0 + 29_999));
    expect(totpCounter(T0 + 29_999)).toBe(totpCounter(T0));
    expect(totpCounter(T0 + 30_000)).toBe(totpCounter(T0) + 1);
  });

  it('rejects negative or non-finite times and bad steps', () => {
    expect(() => totpCode(secret, -1)).toThrow(RangeError);
    expect(() => totpCode(secret, Number.NaN)).toThrow(RangeError);
    expect(() => totpCode(secret, T0, 0)).toThrow(RangeError);
  });

  it('rejects empty or invalid secrets', () => {
    expect(() => totpCode('', T0)).toThrow(/empty/);
    expect(() => totpCode('not base32!', T0)).toThrow(RangeError);
  });
});

describe('generateTotpSecret', () => {
  it('encodes exactly 20 bytes as 32 base32 characters', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toEqual(new Uint8Array(20).map((_, i) => i * 13 + 7));
  });

  it('refuses any other amount of randomness', () => {
    expect(() => generateTotpSecret(new Uint8Array(19))).toThrow(RangeError);
    expect(() => generateTotpSecret(new Uint8Array(32))).toThrow(RangeError);
  });
});

describe('verifyTotp', () => {
  const at = T0 + 45_000; // middle of a step
  const counter = totpCounter(at);

  it('accepts the current code and returns its counter', () => {
    expect(verifyTotp(secret, totpCode(secret, at), at)).toEqual({ ok: true, counter });
  });

  it('accepts one step of drift either way, by default', () => {
    expect(verifyTotp(secret, totpCode(secret, at - 30_000), at)).toEqual({ ok: true, counter: counter - 1 });
    expect(verifyTotp(secret, totpCode(secret, at + 30_000), at)).toEqual({ ok: true, counter: counter + 1 });
  });

  it('refuses codes two steps away (window 1) but takes them with window 2', () => {
    expect(verifyTotp(secret, totpCode(secret, at - 60_000), at)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyTotp(secret, totpCode(secret, at + 60_000), at)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyTotp(secret, totpCode(secret, at + 60_000), at, { window: 2 })).toEqual({
      ok: true,
      counter: counter + 2,
    });
  });

  it('window 0 accepts only the current step', () => {
    expect(verifyTotp(secret, totpCode(secret, at), at, { window: 0 }).ok).toBe(true);
    expect(verifyTotp(secret, totpCode(secret, at - 30_000), at, { window: 0 }).ok).toBe(false);
  });

  it('refuses a replay of the same counter and of older counters', () => {
    const code = totpCode(secret, at);
    expect(verifyTotp(secret, code, at, { lastUsedCounter: counter })).toEqual({
      ok: false,
      reason: 'replay',
    });
    expect(verifyTotp(secret, code, at + 10_000, { lastUsedCounter: counter + 1 })).toEqual({
      ok: false,
      reason: 'replay',
    });
    const previous = totpCode(secret, at - 30_000);
    expect(verifyTotp(secret, previous, at, { lastUsedCounter: counter - 1 })).toMatchObject({ ok: false });
  });

  it('accepts a newer code after a used one', () => {
    const next = totpCode(secret, at + 30_000);
    expect(verifyTotp(secret, next, at, { lastUsedCounter: counter })).toEqual({
      ok: true,
      counter: counter + 1,
    });
    expect(verifyTotp(secret, next, at, { lastUsedCounter: null })).toEqual({
      ok: true,
      counter: counter + 1,
    });
  });

  it('refuses wrong and malformed codes', () => {
    const good = totpCode(secret, at);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(secret, wrong, at).ok).toBe(false);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', ' ', '１２３４５６']) {
      expect(verifyTotp(secret, bad, at)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('ignores spaces inside the typed code', () => {
    const code = totpCode(secret, at);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)} `, at).ok).toBe(true);
  });

  it('does not look at negative counters near the epoch', () => {
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, 0), 1000)).toEqual({ ok: true, counter: 0 });
  });

  it('verifies 8-digit RFC vectors with matching options', () => {
    expect(verifyTotp(RFC_SECRET, '89005924', 1234567890_000, { digits: 8 }).ok).toBe(true);
  });

  it('rejects an unreasonable window', () => {
    expect(() => verifyTotp(secret, '123456', at, { window: -1 })).toThrow(RangeError);
    expect(() => verifyTotp(secret, '123456', at, { window: 11 })).toThrow(RangeError);
  });

  it('accepts exactly the codes of steps within the window (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 120_000, max: 4_000_000_000_000 }),
        fc.integer({ min: -3, max: 3 }),
        (bytes, now, offset) => {
          const s = generateTotpSecret(bytes);
          const code = totpCode(s, now + offset * 30_000);
          const r = verifyTotp(s, code, now);
          if (Math.abs(offset) <= 1) {
            expect(r.ok).toBe(true);
            // a code may collide with a neighbouring step (1 in 10^6); the counter then is that step
            if (r.ok && r.counter !== totpCounter(now) + offset)
              expect(totpCode(s, r.counter * 30_000)).toBe(code);
            if (r.ok) expect(verifyTotp(s, code, now, { lastUsedCounter: r.counter }).ok).toBe(false);
          } else if (r.ok) {
            expect(totpCode(s, r.counter * 30_000)).toBe(code);
          }
        },
      ),
    );
  });
});

describe('otpauthUri', () => {
  it('builds a key URI that authenticator apps read', () => {
    const uri = otpauthUri({ issuer: 'civicgrid', account: 'wang.li', secret });
    expect(uri).toBe(
      `otpauth://totp/civicgrid:wang.li?secret=${secret}&issuer=civicgrid&algorithm=SHA1&digits=6&period=30`,
    );
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('civicgrid');
  });

  it('defaults the issuer to civicgrid and percent-encodes the label', () => {
    const uri = otpauthUri({ account: '王 丽@grid', secret: secret.toLowerCase() });
    expect(uri.startsWith('otpauth://totp/civicgrid:%E7%8E%8B%20%E4%B8%BD%40grid?')).toBe(true);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
  });

  it('strips base32 padding from the secret', () => {
    const padded = base32Encode(new Uint8Array(11).fill(1));
    expect(padded).toMatch(/=$/);
    expect(new URL(otpauthUri({ account: 'a', secret: padded })).searchParams.get('secret')).toBe(
      padded.replace(/=+$/, ''),
    );
  });

  it('refuses colons in issuer or account, empty accounts and invalid secrets', () => {
    expect(() => otpauthUri({ account: 'a:b', secret })).toThrow(RangeError);
    expect(() => otpauthUri({ issuer: 'x:y', account: 'a', secret })).toThrow(RangeError);
    expect(() => otpauthUri({ account: '', secret })).toThrow(RangeError);
    expect(() => otpauthUri({ account: 'a', secret: '0189' })).toThrow(RangeError);
  });
});
