import type { Handler } from '../http/register.js';
import { clearSessionCookie, setSessionCookie } from '../http/auth.js';
import { createRateLimiter } from '../http/rate-limit.js';
import type { Services } from './services.js';

/** Login, logout and the caller's account. */
export function authRoutes(s: Services, loginRatePerMinute: number) {
  // per IP, whatever the account (the per-account lockout with back-off is in core)
  const perIp = createRateLimiter({ limit: loginRatePerMinute, windowMs: 60_000 });
  const login: Handler = async ({ body, ctx, reply }) => {
    perIp.hit(ctx.ip ?? 'unknown');
    const r = await s.auth.login(body as { username: string; password: string; otp?: string }, ctx);
    setSessionCookie(reply, r.token, r.expiresAt);
    return r;
  };
  const logout: Handler = async ({ actor, ctx, reply }) => {
    if (actor) await s.auth.logout(actor, ctx);
    clearSessionCookie(reply);
    return null;
  };
  const me: Handler = async ({ actor }) => s.auth.me(actor!);
  return { login, logout, me };
}
