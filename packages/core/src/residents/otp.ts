/**
 * One-time codes for residents (短信验证码): six digits, kept only as a salted hash, valid five
 * minutes, five guesses each, one code a minute and a few a day per phone number. Pure: the random
 * source, the clock's instant and the hash function are given by the caller (core imports no
 * crypto module).
 */

/** Digits of a code. */
export const OTP_DIGITS = 6;
/** A code is valid this long after it is sent. */
export const OTP_TTL_MS = 5 * 60_000;
/** Wrong guesses a code survives; the next guess is refused even when right. */
export const OTP_MAX_ATTEMPTS = 5;
/** A new code for the same phone only after this long. */
export const OTP_RESEND_MS = 60_000;
/** At most this many codes per phone in any 24 hours (SMS costs money and is a pumping target). */
export const OTP_DAILY_CAP = 10;
export const OTP_DAY_MS = 24 * 3600_000;

/** A hash function of text to a hex digest (SHA-256 in the server). */
export type TextHasher = (text: string) => string;

const RANGE = 10 ** OTP_DIGITS;
/** The largest multiple of 10^6 below 2^32: values at or above it are redrawn (no modulo bias). */
const LIMIT = 2 ** 32 - (2 ** 32 % RANGE);

/** Six decimal digits from random bytes, uniformly (rejection sampling on 32-bit draws). */
export function otpCode(randomBytes: (n: number) => Uint8Array): string {
  for (let tries = 0; tries < 64; tries++) {
    const b = randomBytes(4);
    const x = (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
    if (x < LIMIT) return String(x % RANGE).padStart(OTP_DIGITS, '0');
  }
  // 64 draws all in the top 0.02 % of the range: the random source is broken
  throw new Error('random source keeps returning out-of-range values');
}

/** Hex of bytes (salts). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The stored form of a code: the hash of salt, phone and code. The salt is per code, so equal codes
 * never look equal; six digits remain easy to brute-force from a stolen row, which is why rows die
 * after five minutes and five guesses and are deleted after a day.
 */
export function otpDigest(hash: TextHasher, salt: string, phone: string, code: string): string {
  return hash(`civicgrid-otp:v1:${salt}:${phone}:${code}`);
}

/** Equality of two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** What verification needs of a stored code. */
export interface OtpState {
  phone: string;
  codeHash: string;
  salt: string;
  expiresAt: string;
  attempts: number;
  consumedAt: string | null;
}

export type OtpCheck =
  | { ok: true }
  | { ok: false; reason: 'consumed' | 'expired' | 'exhausted' | 'mismatch'; attemptsLeft: number };

/**
 * Checks a guess against a stored code. `attempts` counts guesses including this one (the caller
 * claims the attempt in the database first, so parallel guesses all count).
 */
export function checkOtp(state: OtpState, guess: string, now: Date, hash: TextHasher): OtpCheck {
  const attemptsLeft = Math.max(0, OTP_MAX_ATTEMPTS - state.attempts);
  if (state.consumedAt !== null) return { ok: false, reason: 'consumed', attemptsLeft };
  if (Date.parse(state.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired', attemptsLeft };
  if (state.attempts > OTP_MAX_ATTEMPTS) return { ok: false, reason: 'exhausted', attemptsLeft: 0 };
  const digest = otpDigest(hash, state.salt, state.phone, guess);
  return constantTimeEqual(digest, state.codeHash)
    ? { ok: true }
    : { ok: false, reason: 'mismatch', attemptsLeft };
}

/** Codes sent to one phone in the last 24 hours. */
export interface OtpHistory {
  count: number;
  /** The newest and the oldest send in the window (null when none). */
  lastAt: string | null;
  firstAt: string | null;
}

export type SendDecision =
  { ok: true } | { ok: false; reason: 'resend' | 'dailyCap'; retryAfterSeconds: number };

/** Whether a new code may be sent now: one a minute, OTP_DAILY_CAP in any 24 hours. */
export function sendDecision(history: OtpHistory, now: Date): SendDecision {
  const t = now.getTime();
  if (history.lastAt !== null) {
    const wait = Date.parse(history.lastAt) + OTP_RESEND_MS - t;
    if (wait > 0) return { ok: false, reason: 'resend', retryAfterSeconds: Math.ceil(wait / 1000) };
  }
  if (history.count >= OTP_DAILY_CAP) {
    const first = history.firstAt === null ? t : Date.parse(history.firstAt);
    return {
      ok: false,
      reason: 'dailyCap',
      retryAfterSeconds: Math.max(1, Math.ceil((first + OTP_DAY_MS - t) / 1000)),
    };
  }
  return { ok: true };
}

/**
 * The resend slot of an instant: a code per phone per slot is unique in the database, so two
 * parallel requests cannot both pass the one-a-minute check.
 */
export function sendSlot(now: Date): number {
  return Math.floor(now.getTime() / OTP_RESEND_MS);
}

const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;

/** A mainland mobile number as 11 digits (spaces, dashes and +86 removed); null when not one. */
export function normalizeMobile(input: string): string | null {
  const m = MOBILE.exec(input.replace(/[\s-]/g, ''));
  return m ? (m[1] ?? null) : null;
}

/** The text of the message carrying a code. */
export function otpMessage(code: string): string {
  return `您的验证码是 ${code}，${OTP_TTL_MS / 60_000}分钟内有效。如非本人操作，请忽略本短信。`;
}
