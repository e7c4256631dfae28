import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, AuthService } from '@civicgrid/core';
import { AppError } from '@civicgrid/core';

export const SESSION_COOKIE = '__Host-civicgrid';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The token from `Authorization: Bearer …` or the session cookie. */
export function tokenOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  const c = req.cookies?.[SESSION_COOKIE];
  return c ?? null;
}

/** Resolves the caller once per request; routes that need a session call requireActor. */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    const token = tokenOf(req);
    req.actor = token ? await auth.authenticate(token) : null;
  });
}

/** Throws 401 unless the request carries a live session. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', 'log in first (POST /api/auth/login)');
  return req.actor;
}

/** Sets the session cookie: __Host- prefix (Secure, Path=/, no Domain), HttpOnly, SameSite=Strict. */
export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'strict',
    expires: new Date(expiresAt),
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'strict' });
}
