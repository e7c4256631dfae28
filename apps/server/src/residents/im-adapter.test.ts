import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../http/errors.js';
import {
  IM_MAX_BYTES,
  IM_MESSAGES_PATH,
  IM_SIGNATURE_HEADER,
  httpImReplyProvider,
  registerImIngress,
  signImBody,
  verifyImSignature,
} from './im-adapter.js';

const SECRET = 'a-shared-secret-of-32-characters';

describe('IM signatures', () => {
  it('are sha256= and the HMAC-SHA256 of the raw body, checked in constant time', () => {
    const body = Buffer.from('{"text":"#报事 路灯坏了"}');
    const sig = signImBody(SECRET, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyImSignature(SECRET, sig, body)).toBe(true);
    expect(verifyImSignature(SECRET, sig.toUpperCase().replace('SHA256=', 'sha256='), body)).toBe(true);
    expect(verifyImSignature('another-secret-of-32-characters!', sig, body)).toBe(false);
    expect(verifyImSignature(SECRET, sig, Buffer.from('{"text":"#报事 路灯坏了 "}'))).toBe(false);
    expect(verifyImSignature(SECRET, undefined, body)).toBe(false);
    expect(verifyImSignature(SECRET, sig.slice(7), body)).toBe(false);
  });
});

describe('IM ingress', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  /** An app with the ingress hook and an echo of what the JSON parser got. */
  async function appWith(secret: string | null, hit?: (ip: string) => void) {
    app = Fastify();
    registerErrorHandling(app);
    registerImIngress(app, { secret, ...(hit && { hit }) });
    app.post(IM_MESSAGES_PATH, async (req) => ({ got: req.body }));
    app.post('/api/other', async (req) => ({ got: req.body }));
    await app.ready();
    return app;
  }
  const post = (a: FastifyInstance, body: string, headers: Record<string, string> = {}) =>
    a.inject({
      method: 'POST',
      url: IM_MESSAGES_PATH,
      payload: body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('hands a correctly signed body on to the JSON parser unchanged', async () => {
    const a = await appWith(SECRET);
    const body = JSON.stringify({ text: '#报事 井盖丢了', n: 1 });
    const r = await post(a, body, { [IM_SIGNATURE_HEADER]: signImBody(SECRET, body) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ got: { text: '#报事 井盖丢了', n: 1 } });
  });

  it('answers 401 to a missing or wrong signature, before parsing', async () => {
    const a = await appWith(SECRET);
    const body = '{"text":"x"}';
    expect((await post(a, body)).statusCode).toBe(401);
    const wrong = await post(a, body, {
      [IM_SIGNATURE_HEADER]: signImBody('wrong-secret-of-32-characters!!', body),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('UNAUTHENTICATED');
    // not JSON at all, unsigned: refused for the signature, never parsed
    expect((await post(a, 'not json')).statusCode).toBe(401);
  });

  it('answers 503 to everything while no secret is configured', async () => {
    const a = await appWith(null);
    const body = '{"text":"x"}';
    const r = await post(a, body, { [IM_SIGNATURE_HEADER]: signImBody(SECRET, body) });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe('UNAVAILABLE');
  });

  it('refuses bodies over the limit and leaves other routes alone', async () => {
    const a = await appWith(SECRET);
    const big = JSON.stringify({ text: 'x'.repeat(IM_MAX_BYTES) });
    expect((await post(a, big, { [IM_SIGNATURE_HEADER]: signImBody(SECRET, big) })).statusCode).toBe(413);
    const other = await a.inject({ method: 'POST', url: '/api/other', payload: { a: 1 } });
    expect(other.json()).toEqual({ got: { a: 1 } });
  });

  it('rate-limits by address before any work', async () => {
    let hits = 0;
    const a = await appWith(SECRET, () => {
      hits++;
      if (hits > 2) throw Object.assign(new Error('slow down'), { name: 'AppError', code: 'RATE_LIMITED' });
    });
    const body = '{}';
    const h = { [IM_SIGNATURE_HEADER]: signImBody(SECRET, body) };
    expect((await post(a, body, h)).statusCode).toBe(200);
    expect((await post(a, body, h)).statusCode).toBe(200);
    expect((await post(a, body, h)).statusCode).toBe(429);
  });
});

describe('IM replies over http', () => {
  it('are posted to the bridge as JSON signed with the shared secret', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fake = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    const reply = {
      platform: 'wecom',
      groupId: 'g',
      inReplyTo: 'm-1',
      mention: 'u-1',
      kind: 'reported' as const,
      trackingCode: 'ABCDEFGHIJ',
      caseNumber: '370112-20261127-000001',
      text: '已收到',
    };
    await httpImReplyProvider({ url: 'https://bridge.example/replies', secret: SECRET }, fake).reply(reply);
    const body = String(calls[0]!.init.body);
    expect(JSON.parse(body)).toEqual(reply);
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(verifyImSignature(SECRET, headers[IM_SIGNATURE_HEADER], Buffer.from(body))).toBe(true);
  });
});
