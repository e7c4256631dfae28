import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyRepository, Repositories } from '@civicgrid/core';
import { AppError, ERROR_CODES, canonicalJson, isAppError } from '@civicgrid/core';

/** An in-flight key older than this is taken to belong to a request that died (crash, timeout). */
const STALE_IN_FLIGHT_MS = 60_000;

/** The idempotency key of the request being run, for the write transaction to mark. */
const scope = new AsyncLocalStorage<{ actor: string; key: string; marked: boolean }>();

/**
 * The store's before-commit hook: the first write transaction of a request with an
 * Idempotency-Key marks the key `committed` in that same transaction, with the transaction's
 * result. A crash between the commit and the response then cannot make a retry run the write again.
 */
export async function markIdempotentCommit(tx: Repositories, result: unknown): Promise<void> {
  const s = scope.getStore();
  if (!s || s.marked) return;
  s.marked = true;
  await tx.idempotency.markCommitted(s.actor, s.key, JSON.stringify(result ?? null));
}

/** How a route answers a retry whose first run committed but never answered (crash, lost connection). */
export type ReplayCommitted = (stored: unknown) => Promise<unknown>;

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
  replayCommitted?: ReplayCommitted,
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
    if (existing.status === 'committed') {
      // the first run's write is in, its response was never stored: rebuild it, never write again
      if (!replayCommitted)
        throw new AppError(
          'IDEMPOTENCY_COMMITTED',
          'the request with this Idempotency-Key was applied, but its response was lost; read the resource',
          { key },
        );
      const body = await replayCommitted(JSON.parse(existing.responseBody ?? 'null'));
      await repo.complete(actor, key, successStatus, JSON.stringify(body ?? null));
      reply.header('idempotent-replayed', 'true');
      reply.status(successStatus);
      return body;
    }
    reply.header('idempotent-replayed', 'true');
    reply.status(existing.responseStatus ?? 200);
    return JSON.parse(existing.responseBody ?? 'null') as unknown;
  }
  try {
    const result = await scope.run({ actor, key, marked: false }, run);
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
