import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeWebhookBody } from './payload.js';
import { signPayload, verifySignature } from './sign.js';

describe('signPayload / verifySignature', () => {
  const secret = 'whsec_test';
  const body = encodeWebhookBody({
    id: 'evt_1',
    event: 'case.assigned',
    occurredAt: new Date('2026-01-02T03:04:05Z'),
    data: { caseNumber: '370112-20261127-000123' },
  });
  const t = 1_767_323_045;
  const now = new Date(t * 1000);

  it('signs "<t>.<body>" with HMAC-SHA256, as documented for receivers', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signPayload(secret, t, body)).toBe(`t=${t},v1=${expected}`);
    expect(JSON.parse(body)).toEqual({
      id: 'evt_1',
      event: 'case.assigned',
      occurredAt: '2026-01-02T03:04:05.000Z',
      data: { caseNumber: '370112-20261127-000123' },
    });
  });

  it('verifies its own signatures and refuses changed bodies, other secrets and old timestamps', () => {
    const header = signPayload(secret, t, body);
    expect(verifySignature(secret, header, body, now)).toEqual({ ok: true, timestamp: t });
    expect(verifySignature(secret, header, Buffer.from(body), new Date((t + 299) * 1000)).ok).toBe(true);
    expect(verifySignature(secret, header, body.replace('000123', '000124'), now)).toMatchObject({
      ok: false,
      reason: /does not match/,
    });
    expect(verifySignature('other', header, body, now).ok).toBe(false);
    expect(verifySignature(secret, header, body, new Date((t + 301) * 1000))).toMatchObject({
      reason: /tolerance/,
    });
    expect(verifySignature(secret, header, body, new Date((t - 301) * 1000)).ok).toBe(false);
    // the timestamp is signed: moving it breaks the signature
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, now).ok).toBe(false);
  });

  it('accepts any matching v1 (secret rotation) and refuses malformed headers', () => {
    const good = signPayload(secret, t, body).split(',')[1];
    const old = signPayload('old-secret', t, body).split(',')[1];
    expect(verifySignature(secret, `t=${t},${old},${good}`, body, now).ok).toBe(true);
    for (const bad of [undefined, '', 'garbage', `t=${t}`, `v1=${'0'.repeat(64)}`, `t=abc,${good}`]) {
      expect(verifySignature(secret, bad, body, now).ok).toBe(false);
    }
  });

  it('never accepts a random header', () => {
    fc.assert(fc.property(fc.string(), (header) => !verifySignature(secret, header, body, now).ok));
  });
});
