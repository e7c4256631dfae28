import { createHmac, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.js';

/** RFC 6238 defaults: 30-second steps, 6 digits, HMAC-SHA1 (what every authenticator app supports). */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Secret size recommended by RFC 4226 (160 bits); 32 base32 characters. */
export const TOTP_SECRET_BYTES = 20;
const MAX_WINDOW = 10;

export interface VerifyTotpOptions {
  /** Steps accepted on either side of the current one (clock drift); default 1. */
  window?: number;
  step?: number;
  digits?: number;
  /** The counter of the last accepted code; codes at or before it are refused as replays. */
  lastUsedCounter?: number | null;
}

/** Outcome of a TOTP check; on success `counter` is to be stored as the new `lastUsedCounter`. */
export type TotpVerification =
  | { ok: true; counter: number }
  | { ok: false; counter?: undefined; reason: 'malformed' | 'mismatch' | 'replay' };

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new RangeError('TOTP digits must be 6..8');
}

/** A new TOTP secret (base32, no padding) from exactly 20 random bytes supplied by the caller. */
export function generateTotpSecret(randomBytes: Uint8Array): string {
  if (randomBytes.length !== TOTP_SECRET_BYTES) {
    throw new RangeError(`TOTP secret needs exactly ${TOTP_SECRET_BYTES} random bytes`);
  }
  return base32Encode(randomBytes, { padding: false });
}

/** The RFC 4226 HOTP code of a key at a counter (dynamic truncation, zero-padded). */
export function hotpCode(key: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  checkDigits(digits);
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new RangeError('HOTP counter must be a safe integer ≥ 0');
  const message = Buffer.alloc(8);
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac.readUInt8(mac.length - 1) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time-step counter (RFC 6238 "T") at a Unix time in milliseconds. */
export function totpCounter(atMs: number, step = TOTP_STEP_SECONDS): number {
  if (!Number.isFinite(atMs) || atMs < 0) throw new RangeError('TOTP time must be a finite ms value ≥ 0');
  if (!Number.isInteger(step) || step <= 0) throw new RangeError('TOTP step must be a positive integer');
  return Math.floor(atMs / (step * 1000));
}

/** The TOTP code of a base32 secret at a Unix time in milliseconds. */
export function totpCode(
  secretBase32: string,
  atMs: number,
  step = TOTP_STEP_SECONDS,
  digits = TOTP_DIGITS,
): string {
  return hotpCode(decodeSecret(secretBase32), totpCounter(atMs, step), digits);
}

/**
 * Checks a code against the steps around `atMs` (±window) in constant time per candidate and
 * without early exit; refuses counters ≤ `lastUsedCounter` so a code cannot be used twice.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  atMs: number,
  options: VerifyTotpOptions = {},
): TotpVerification {
  const { window = 1, step = TOTP_STEP_SECONDS, digits = TOTP_DIGITS, lastUsedCounter = null } = options;
  checkDigits(digits);
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`TOTP window must be an integer 0..${MAX_WINDOW}`);
  }
  const key = decodeSecret(secretBase32);
  const current = totpCounter(atMs, step);
  const given = code.replace(/\s+/g, '');
  if (given.length !== digits || !/^\d+$/.test(given)) return { ok: false, reason: 'malformed' };
  const givenBytes = Buffer.from(given, 'ascii');

  let accepted: number | null = null;
  let replayed = false;
  for (let c = current - window; c <= current + window; c++) {
    if (c < 0) continue;
    const matches = timingSafeEqual(Buffer.from(hotpCode(key, c, digits), 'ascii'), givenBytes);
    const fresh = lastUsedCounter === null || c > lastUsedCounter;
    if (matches && fresh && accepted === null) accepted = c;
    if (matches && !fresh) replayed = true;
  }
  if (accepted !== null) return { ok: true, counter: accepted };
  return { ok: false, reason: replayed ? 'replay' : 'mismatch' };
}

/** The otpauth:// URI (Google Authenticator key-URI format) that enrolment QR codes carry. */
export function otpauthUri(options: {
  issuer?: string;
  account: string;
  secret: string;
  digits?: number;
  period?: number;
}): string {
  const { issuer = 'civicgrid', account, digits = TOTP_DIGITS, period = TOTP_STEP_SECONDS } = options;
  if (issuer.includes(':') || account.includes(':'))
    throw new RangeError('otpauth issuer and account may not contain ":"');
  if (account.length === 0) throw new RangeError('otpauth account is required');
  checkDigits(digits);
  const secret = options.secret.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  decodeSecret(secret);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = `secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${digits}&period=${period}`;
  return `otpauth://totp/${label}?${query}`;
}

function decodeSecret(secretBase32: string): Uint8Array {
  const key = base32Decode(secretBase32);
  if (key.length === 0) throw new RangeError('TOTP secret is empty');
  return key;
}
