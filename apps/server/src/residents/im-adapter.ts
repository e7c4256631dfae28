import { createHmac, timingSafeEqual } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@civicgrid/core';
import type { ImReply, ImReplyProvider } from '@civicgrid/core';
import type { ResidentConfig } from './resident-config.js';

/**
 * The HTTP side of the IM adapter (docs/im-adapter.md): a bridge run next to the IM platform
 * (WeCom, DingTalk, Feishu, a WeChat group robot…) posts group messages to POST /api/im/messages,
 * each signed with the shared secret over the raw body; replies go back to the bridge the same way.
 */

export const IM_MESSAGES_PATH = '/api/im/messages';
export const IM_SIGNATURE_HEADER = 'x-civicgrid-im-signature';
/** Largest message body accepted (the contract's bodyLimit). */
export const IM_MAX_BYTES = 64 * 1024;

/** The signature header value of a body: `sha256=` and the hex HMAC-SHA256 of the raw bytes. */
export function signImBody(secret: string, raw: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** True when the header is the body's signature under the secret (compared in constant time). */
export function verifyImSignature(secret: string, header: string | undefined, raw: Uint8Array): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(m[1]!.toLowerCase(), 'hex'));
}

/**
 * Checks the signature of every IM message before its body is parsed: reads the raw body (bounded),
 * refuses it unsigned or wrongly signed (401), or everything when no secret is configured (503),
 * and hands the same bytes on to the JSON parser. `hit` rate-limits by address before any work.
 */
export function registerImIngress(
  app: FastifyInstance,
  opts: { secret: string | null; hit?: (ip: string) => void },
): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.method !== 'POST' || req.routeOptions.url !== IM_MESSAGES_PATH) return payload;
    opts.hit?.(req.ip);
    if (!opts.secret)
      throw new AppError('UNAVAILABLE', 'the IM adapter is not configured (CIVICGRID_IM_SECRET is not set)');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > IM_MAX_BYTES)
      throw new AppError('PAYLOAD_TOO_LARGE', `a message is at most ${IM_MAX_BYTES} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += b.length;
      if (size > IM_MAX_BYTES)
        throw new AppError('PAYLOAD_TOO_LARGE', `a message is at most ${IM_MAX_BYTES} bytes`);
      chunks.push(b);
    }
    const raw = Buffer.concat(chunks);
    const header = req.headers[IM_SIGNATURE_HEADER];
    if (!verifyImSignature(opts.secret, Array.isArray(header) ? header[0] : header, raw))
      throw new AppError('UNAUTHENTICATED', `missing or wrong ${IM_SIGNATURE_HEADER}`);
    const out = new PassThrough();
    out.end(raw);
    // Fastify compares this with Content-Length
    return Object.assign(out, { receivedEncodedLength: raw.length });
  });
}

/** What the providers need of the logger. */
export interface ImLog {
  info(msg: string): void;
}

/** DEMO: replies are written to the log instead of going back to the group. */
export function logImReplyProvider(log: ImLog): ImReplyProvider {
  return {
    async reply(r) {
      log.info(`IM reply to ${r.platform}/${r.groupId} (re ${r.inReplyTo}): ${r.text}`);
    },
  };
}

/**
 * Replies POSTed to the bridge (CIVICGRID_IM_REPLY_URL) as JSON (the ImReply shape), signed like
 * the messages it sends us: `X-Civicgrid-IM-Signature: sha256=<hex HMAC-SHA256 of the body>`.
 */
export function httpImReplyProvider(
  cfg: { url: string; secret: string; timeoutMs?: number },
  fetchImpl: typeof fetch = fetch,
): ImReplyProvider {
  return {
    async reply(r: ImReply) {
      const body = JSON.stringify(r);
      const res = await fetchImpl(cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IM_SIGNATURE_HEADER]: signImBody(cfg.secret, body) },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`IM bridge answered ${res.status}`);
    },
  };
}

/** The configured reply channel (http needs the shared secret to sign with). */
export function imReplyProviderFor(cfg: ResidentConfig['im'], log: ImLog): ImReplyProvider {
  if (cfg.reply.provider === 'http' && cfg.secret)
    return httpImReplyProvider({ url: cfg.reply.url, secret: cfg.secret });
  return logImReplyProvider(log);
}
