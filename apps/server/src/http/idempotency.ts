import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyRepository } from '@civicgrid/core';
import { AppError, ERROR_CODES, canonicalJson, isAppError } from '@civicgrid/core';

/** An in-flight key older than this is taken to belong to a request that died (crash, timeout). */
const STALE_IN_FLIGHT_MS = 60_000;

/**
 * Runs a POST at most once per (caller, Idempotency-Key): the same key with the same body replays
 * the first response; with another body → 422; while the first is still running → 409.
 */
export async function withIdempotency(
  repo: IdempotencyRepository,
  req: FastifyRequest,
  reply: FastifyReply,
  successStatus: number,
  now: () => Date,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return run();
  const key = String(Array.isArray(header) ? header[0] : header);
  if (!/^[\w.:-]{8,200}$/.test(key)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Idempotency-Key must be 8–200 characters of letters, digits, . _ : -',
      {
        issues: [{ path: 'headers.idempotency-key', reason: 'bad format' }],
      },
    );
  }
  const actor = req.actor?.userId ?? `ip:${req.ip}`;
  const route = `${req.method} ${req.url.split('?')[0]}`;
  const bodyHash = createHash('sha256')
    .update(`${route}\n${canonicalJson(req.body ?? null)}`)
    .digest('hex');
  const createdAt = now().toISOString();
  const record = {
    actor,
    key,
    route,
    bodyHash,
    status: 'in_flight' as const,
    responseStatus: null,
    responseBody: null,
    createdAt,
  };
  let existing = await repo.begin(record);
  if (
    existing &&
    existing.status === 'in_flight' &&
    now().getTime() - Date.parse(existing.createdAt) > STALE_IN_FLIGHT_MS
  ) {
    await repo.abandon(actor, key);
    existing = await repo.begin(record);
  }
  if (existing) {
    if (existing.bodyHash !== bodyHash) {
      throw new AppError('IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with a different request', {
        key,
      });
    }
    if (existing.status === 'in_flight')
      throw new AppError(
        'IDEMPOTENCY_IN_FLIGHT',
        'a request with this Idempotency-Key is still being processed',
        { key },
      );
    reply.header('idempotent-replayed', 'true');
    reply.status(existing.responseStatus ?? 200);
    return JSON.parse(existing.responseBody ?? 'null') as unknown;
  }
  try {
    const result = await run();
    await repo.complete(actor, key, successStatus, JSON.stringify(result ?? null));
    return result;
  } catch (e) {
    const status = isAppError(e) ? ERROR_CODES[e.code] : 500;
    if (status < 500 && isAppError(e)) {
      // a refused request is refused again on retry, with the same envelope
      await repo.complete(
        actor,
        key,
        status,
        JSON.stringify({
          error: { code: e.code, message: e.message, details: e.details, requestId: String(req.id) },
        }),
      );
    } else {
      await repo.abandon(actor, key);
    }
    throw e;
  }
}
