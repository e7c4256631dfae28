import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_CODES, isAppError } from '@civicgrid/core';
import type { ZodError } from 'zod';

/** Turns zod issues into `{ path, reason }` pairs naming each bad field. */
export function zodIssues(err: ZodError, where: string) {
  return err.issues.map((i) => ({
    path: [where, ...i.path.map(String)].filter(Boolean).join('.'),
    reason: i.message,
  }));
}

/** The one error envelope `{ error: { code, message, details?, requestId } }` for every failure. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    const requestId = String(req.id);
    if (isAppError(err)) {
      const status = ERROR_CODES[err.code];
      const details = err.details as { retryAfterSeconds?: number } | undefined;
      if (status === 429 && details?.retryAfterSeconds)
        reply.header('retry-after', String(Math.ceil(details.retryAfterSeconds)));
      if (status >= 500) req.log.error({ err }, 'service error');
      return reply
        .status(status)
        .send({ error: { code: err.code, message: err.message, details: err.details, requestId } });
    }
    // a unique constraint lost to a concurrent writer (SQLite or PostgreSQL 23505) is a conflict
    const dbCode = (err as { code?: unknown }).code;
    if (
      dbCode === 'SQLITE_CONSTRAINT_UNIQUE' ||
      dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
      dbCode === '23505'
    ) {
      return reply.status(409).send({
        error: {
          code: 'DUPLICATE',
          message: 'this already exists (another request created it)',
          requestId,
        },
      });
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return reply
        .status(413)
        .send({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large', requestId } });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
      return reply
        .status(415)
        .send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json', requestId } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // body parser errors (bad JSON, empty body) and the like
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: fe.message,
          details: { issues: [{ path: 'body', reason: fe.message }] },
          requestId,
        },
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error', requestId } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
        requestId: String(req.id),
      },
    }),
  );
}
