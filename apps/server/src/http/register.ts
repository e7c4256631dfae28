import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, IdempotencyRepository, RequestContext } from '@civicgrid/core';
import { requirePermission, validationError } from '@civicgrid/core';
import type { Permission } from '@civicgrid/core';
import type { OperationId, RouteContract } from '@civicgrid/contracts';
import { ROUTES } from '@civicgrid/contracts';
import type { z } from 'zod';
import { requireActor } from './auth.js';
import { withIdempotency } from './idempotency.js';
import { zodIssues } from './errors.js';

export interface HandlerInput {
  actor: Actor;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  ctx: RequestContext;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** A handler receives parsed input and returns the response body. Public routes get a null actor. */
export type Handler = ((input: Omit<HandlerInput, 'actor'> & { actor: Actor | null }) => Promise<unknown>) & {
  /** Idempotent routes: the response to a retry whose first run committed but never answered. */
  replayCommitted?: (
    input: Omit<HandlerInput, 'actor'> & { actor: Actor | null },
    stored: unknown,
  ) => Promise<unknown>;
};
export type Handlers = Record<OperationId, Handler>;

function parse(schema: z.ZodType | undefined, value: unknown, where: string): Record<string, unknown> {
  if (!schema) return {};
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw validationError(zodIssues(r.error, where));
  return r.data as Record<string, unknown>;
}

/** Registers every contract route with its handler; input is validated by the contract's schemas. */
export function registerRoutes(
  app: FastifyInstance,
  handlers: Handlers,
  idempotency?: { repo: IdempotencyRepository; now: () => Date },
): void {
  for (const rt of ROUTES as readonly RouteContract[]) {
    const handler = handlers[rt.operationId as OperationId];
    if (!handler) throw new Error(`no handler for ${rt.operationId}`);
    app.route({
      method: rt.method,
      url: rt.path,
      ...(rt.bodyLimit && { bodyLimit: rt.bodyLimit }),
      // login and permission are checked before the body is read: an anonymous or unauthorised
      // caller cannot make the server parse a large body
      onRequest: async (req) => {
        if (rt.auth !== 'session') return;
        const actor = requireActor(req);
        if (rt.permission) requirePermission(actor, rt.permission as Permission);
      },
      handler: async (req, reply) => {
        const actor = rt.auth === 'session' ? requireActor(req) : req.actor;
        const params = parse(rt.params, req.params, 'params');
        const query = parse(rt.query, req.query, 'query');
        const body = rt.body ? parse(rt.body, req.body, 'body') : undefined;
        const ctx: RequestContext = {
          requestId: String(req.id),
          ip: req.ip,
          userAgent: req.headers['user-agent'] ?? null,
        };
        reply.status(rt.status);
        const call = () => handler({ actor, params, query, body, ctx, req, reply });
        const result =
          idempotency && rt.idempotent
            ? await withIdempotency(
                idempotency.repo,
                req,
                reply,
                rt.status,
                idempotency.now,
                call,
                handler.replayCommitted &&
                  ((stored) =>
                    handler.replayCommitted!({ actor, params, query, body, ctx, req, reply }, stored)),
              )
            : await call();
        // streaming handlers (files) send the reply themselves, with their own headers
        if (reply.sent) return reply;
        if (rt.produces) return reply.type(rt.produces).send(result);
        if (rt.response === null) return reply.send();
        return result;
      },
    });
  }
}
