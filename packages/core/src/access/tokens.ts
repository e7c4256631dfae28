import { createHash, timingSafeEqual } from 'node:crypto';

/** Bytes of entropy in a session token (256 bits). */
export const SESSION_TOKEN_BYTES = 32;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** A new opaque session token: exactly 32 caller-supplied random bytes as base64url (43 chars). */
export function newSessionToken(randomBytes: Uint8Array): string {
  if (randomBytes.length !== SESSION_TOKEN_BYTES) {
    throw new RangeError(`a session token needs exactly ${SESSION_TOKEN_BYTES} random bytes`);
  }
  return Buffer.from(randomBytes).toString('base64url');
}

/** True when a string has the shape of a session token (cheap pre-check before any lookup). */
export function looksLikeSessionToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** Hex SHA-256 of a token: only this is stored, so a leaked table yields no usable tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time string equality (both sides hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
