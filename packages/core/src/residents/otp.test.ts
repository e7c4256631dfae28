import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OTP_DAILY_CAP,
  OTP_MAX_ATTEMPTS,
  checkOtp,
  constantTimeEqual,
  normalizeMobile,
  otpCode,
  otpDigest,
  sendDecision,
  sendSlot,
} from './otp.js';
import { newTrackingCode, normalizeTrackingCode } from './tracking.js';
import { addressedText } from './im.service.js';
import { publicMilestones } from './resident-view.js';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
/** A random source that replays the given bytes, then zeros. */
const bytesOf = (...chunks: number[][]) => {
  const queue = chunks.map((c) => Uint8Array.from(c));
  return (n: number) => queue.shift() ?? new Uint8Array(n);
};

describe('one-time codes', () => {
  it('are six digits, zero-padded, from 32-bit draws', () => {
    expect(otpCode(bytesOf([0, 0, 0, 7]))).toBe('000007');
    expect(otpCode(bytesOf([0, 0x0f, 0x42, 0x40]))).toBe('000000'); // 1 000 000 ≡ 0
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        const x = Buffer.from(b).readUInt32BE(0);
        // a draw from the biased top of the range is redrawn (here: zeros, so 000000)
        const expected = x < 4_294_000_000 ? String(x % 1_000_000).padStart(6, '0') : '000000';
        expect(otpCode(bytesOf([...b]))).toBe(expected);
      }),
    );
    expect(() => otpCode(() => Uint8Array.from([255, 255, 255, 255]))).toThrow(/random source/);
  });

  it('redraws values from the biased top of the range instead of folding them', () => {
    // 0xFFFFFFFF is above the last multiple of 10^6: the second draw decides
    expect(otpCode(bytesOf([255, 255, 255, 255], [0, 0, 0, 42]))).toBe('000042');
  });

  it('are stored as a salted hash: equal codes look different, the clear code appears nowhere', () => {
    const a = otpDigest(sha256, 'salt-a', '13912341234', '123456');
    const b = otpDigest(sha256, 'salt-b', '13912341234', '123456');
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  const now = new Date('2026-11-27T08:00:00Z');
  const stored = (over: Partial<Parameters<typeof checkOtp>[0]> = {}) => ({
    phone: '13912341234',
    salt: 's',
    codeHash: otpDigest(sha256, 's', '13912341234', '246810'),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    attempts: 1,
    consumedAt: null,
    ...over,
  });

  it('accept the right code and count down wrong ones', () => {
    expect(checkOtp(stored(), '246810', now, sha256)).toEqual({ ok: true });
    expect(checkOtp(stored({ attempts: 2 }), '246811', now, sha256)).toEqual({
      ok: false,
      reason: 'mismatch',
      attemptsLeft: OTP_MAX_ATTEMPTS - 2,
    });
  });

  it('refuse even the right code when expired, used, or out of attempts', () => {
    expect(checkOtp(stored({ expiresAt: now.toISOString() }), '246810', now, sha256)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(checkOtp(stored({ consumedAt: now.toISOString() }), '246810', now, sha256)).toMatchObject({
      reason: 'consumed',
    });
    expect(checkOtp(stored({ attempts: OTP_MAX_ATTEMPTS + 1 }), '246810', now, sha256)).toMatchObject({
      reason: 'exhausted',
    });
  });

  it('compare in constant time without being fooled by prefixes', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abd', 'abc')).toBe(false);
  });

  it('are sent at most once a minute and OTP_DAILY_CAP times a day', () => {
    expect(sendDecision({ count: 0, lastAt: null, firstAt: null }, now)).toEqual({ ok: true });
    const justNow = new Date(now.getTime() - 20_000).toISOString();
    expect(sendDecision({ count: 1, lastAt: justNow, firstAt: justNow }, now)).toEqual({
      ok: false,
      reason: 'resend',
      retryAfterSeconds: 40,
    });
    const early = new Date(now.getTime() - 23 * 3600_000).toISOString();
    const late = new Date(now.getTime() - 120_000).toISOString();
    expect(sendDecision({ count: OTP_DAILY_CAP, lastAt: late, firstAt: early }, now)).toEqual({
      ok: false,
      reason: 'dailyCap',
      retryAfterSeconds: 3600,
    });
    expect(sendSlot(now)).toBe(sendSlot(new Date(now.getTime() + 59_999)));
    expect(sendSlot(now)).not.toBe(sendSlot(new Date(now.getTime() + 60_000)));
  });

  it('go to mainland mobile numbers written in any usual way', () => {
    for (const s of ['13912341234', '+86 139 1234 1234', '139-1234-1234', '8613912341234'])
      expect(normalizeMobile(s)).toBe('13912341234');
    for (const s of ['1391234123', '12912341234', '053188888888', 'abc', ''])
      expect(normalizeMobile(s)).toBeNull();
  });
});

describe('tracking codes', () => {
  it('are 10 base32 characters that read back through common typos', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 7, maxLength: 7 }), (b) => {
        const code = newTrackingCode(b);
        expect(code).toMatch(/^[A-Z2-7]{10}$/);
        expect(normalizeTrackingCode(code.toLowerCase())).toBe(code);
        expect(normalizeTrackingCode(`${code.slice(0, 5)}-${code.slice(5)}`)).toBe(code);
      }),
    );
    expect(normalizeTrackingCode('0I8ABCDEFG')).toBe('OIBABCDEFG');
    expect(normalizeTrackingCode('ABC')).toBeNull();
    expect(normalizeTrackingCode('ABCDEFGHI9')).toBeNull();
  });

  it('carry 50 random bits: every bit of the first six bytes and the top two of the seventh', () => {
    const base = Uint8Array.from([1, 2, 3, 4, 5, 6, 0]);
    const codes = new Set([newTrackingCode(base)]);
    for (let bit = 0; bit < 50; bit++) {
      const b = Uint8Array.from(base);
      b[bit >> 3]! ^= 0x80 >> (bit & 7);
      codes.add(newTrackingCode(b));
    }
    expect(codes.size).toBe(51);
  });
});

describe('public milestones', () => {
  it('show the resident steps only, each step once in a row', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 27, 0, m)).toISOString();
    const events = [
      { action: 'report', at: at(0) },
      { action: 'register', at: at(1) },
      { action: 'supervise', at: at(2) },
      { action: 'dispatch', at: at(3) },
      { action: 'return', at: at(4) },
      { action: 'dispatch', at: at(5) },
      { action: 'accept', at: at(6) },
      { action: 'note', at: at(7) },
      { action: 'feedback', at: at(8) },
      { action: 'verify', at: at(9) },
      { action: 'close', at: at(10) },
    ];
    expect(publicMilestones(events).map((m) => m.milestone)).toEqual([
      'received',
      'registered',
      'dispatched',
      'handled',
      'closed',
    ]);
  });
});

describe('IM addressing', () => {
  it('takes messages starting with #报事 or @网格员, or mentioning the bot, without the address', () => {
    expect(addressedText({ text: '#报事 路灯坏了' }, null)).toBe('路灯坏了');
    expect(addressedText({ text: '@网格员：楼道堆物' }, null)).toBe('楼道堆物');
    expect(addressedText({ text: '@小李 井盖丢了', mentions: ['小李'] }, '小李')).toBe('井盖丢了');
    expect(addressedText({ text: '井盖丢了', mentions: ['小李'] }, '小李')).toBe('井盖丢了');
  });

  it('ignores chat that is not addressed to the grid', () => {
    expect(addressedText({ text: '今天天气不错' }, '小李')).toBeNull();
    expect(addressedText({ text: '@小王 吃了吗', mentions: ['小王'] }, '小李')).toBeNull();
    expect(addressedText({ text: '大家注意 #报事 的格式' }, null)).toBeNull();
    expect(addressedText({ text: '#报事' }, null)).toBe('');
    expect(addressedText({ text: '@网格员小王 吃了吗' }, '小李')).toBeNull();
    expect(addressedText({ text: '@网格员小李 路灯坏了', mentions: ['网格员小李'] }, '网格员小李')).toBe(
      '路灯坏了',
    );
  });
});
