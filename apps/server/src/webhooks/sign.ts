import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, in the scheme Stripe made familiar (see docs/webhooks.md):
 * `X-Civicgrid-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed with the body so a captured request cannot be replayed later than the
 * receiver's tolerance. Several `v1=` values may appear (during a secret rotation); one must match.
 */

export const SIGNATURE_HEADER = 'X-Civicgrid-Signature';
export const EVENT_HEADER = 'X-Civicgrid-Event';
export const DELIVERY_HEADER = 'X-Civicgrid-Delivery';

function hmacHex(secret: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return mac.digest('hex');
}

/** The signature header value for one delivery attempt (`timestamp` in whole unix seconds). */
export function signPayload(secret: string, timestamp: number, body: string | Uint8Array): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new RangeError('timestamp must be unix seconds');
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Checks a signature header against the raw body, refusing timestamps further than the tolerance from now. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string | Uint8Array,
  now: Date,
  toleranceSeconds = 300,
): VerifyResult {
  if (!header) return { ok: false, reason: 'no signature header' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,15}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined) return { ok: false, reason: 'no timestamp in signature header' };
  if (candidates.length === 0) return { ok: false, reason: 'no v1 signature in header' };
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp outside the tolerance' };
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  // every candidate is compared (no early exit), each in constant time
  let matched = false;
  for (const c of candidates) matched = timingSafeEqual(expected, Buffer.from(c, 'hex')) || matched;
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'signature does not match' };
}
