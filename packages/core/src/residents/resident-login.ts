import { SESSION_IDLE_MS, userView } from '../access/auth.service.js';
import { base32Encode } from '../access/base32.js';
import { maskPhone } from '../access/masking.js';
import { hashToken, newSessionToken } from '../access/tokens.js';
import { audit } from '../audit/audit.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import type { TextHasher } from './otp.js';
import {
  OTP_DAY_MS,
  OTP_MAX_ATTEMPTS,
  OTP_RESEND_MS,
  OTP_TTL_MS,
  checkOtp,
  normalizeMobile,
  otpCode,
  otpDigest,
  otpMessage,
  sendDecision,
  sendSlot,
  toHex,
} from './otp.js';
import type { SmsProvider } from './resident-ports.js';
import { residentRepo } from './resident-store.js';

const wrongCode = (details?: unknown) =>
  new AppError('INVALID_CREDENTIALS', 'the code is wrong or has expired; request a new one', details);

/**
 * Residents log in without a password: a six-digit code sent to their phone (otp.ts has the
 * rules). The account is created on first login; the session is a staff login's session.
 */
export function createResidentLogin(deps: ServiceDeps, opts: { sms: SmsProvider; hash: TextHasher }) {
  const { store, clock } = deps;
  return {
    /** Sends a one-time code to a mobile number (one a minute, OTP_DAILY_CAP a day). */
    async requestCode(phoneInput: string, _ctx: RequestContext) {
      const phone = normalizeMobile(phoneInput);
      if (!phone)
        throw validationError([{ path: 'phone', reason: 'must be an 11-digit mainland mobile number' }]);
      const now = clock.now();
      const dayAgo = new Date(now.getTime() - OTP_DAY_MS).toISOString();
      const decision = sendDecision(await residentRepo(store.repos).otpHistory(phone, dayAgo), now);
      if (!decision.ok)
        throw new AppError(
          'RATE_LIMITED',
          decision.reason === 'resend'
            ? 'a code was sent a moment ago; wait before asking again'
            : 'too many codes for this number today',
          { reason: decision.reason, retryAfterSeconds: decision.retryAfterSeconds },
        );
      const code = otpCode(deps.randomBytes);
      const salt = toHex(deps.randomBytes(16));
      const inserted = await store.transaction(async (tx) => {
        const repo = residentRepo(tx);
        await repo.purgeOtps(dayAgo, phone);
        return repo.insertOtp(
          {
            id: deps.ids.next(),
            phone,
            codeHash: otpDigest(opts.hash, salt, phone, code),
            salt,
            createdAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + OTP_TTL_MS).toISOString(),
            attempts: 0,
            consumedAt: null,
          },
          sendSlot(now),
        );
      });
      // a parallel request for the same number won the slot
      if (!inserted)
        throw new AppError('RATE_LIMITED', 'a code was sent a moment ago; wait before asking again', {
          reason: 'resend',
          retryAfterSeconds: OTP_RESEND_MS / 1000,
        });
      try {
        await opts.sms.send(phone, otpMessage(code), {
          purpose: 'otp',
          code,
          ttlMinutes: OTP_TTL_MS / 60_000,
        });
      } catch {
        throw new AppError('UNAVAILABLE', 'the text message could not be sent; try again in a minute');
      }
      return {
        sentTo: maskPhone(phone),
        expiresInSeconds: OTP_TTL_MS / 1000,
        resendAfterSeconds: OTP_RESEND_MS / 1000,
      };
    },

    /**
     * Logs a resident in with the code sent to the phone: the account is created on first use,
     * and a session starts exactly as a staff login's does (opaque token, only its hash stored).
     */
    async verifyCode(phoneInput: string, code: string, ctx: RequestContext) {
      const phone = normalizeMobile(phoneInput);
      if (!phone) throw wrongCode();
      const now = clock.now();
      const repo = residentRepo(store.repos);
      const row = await repo.latestOtp(phone);
      if (!row || row.consumedAt !== null || Date.parse(row.expiresAt) <= now.getTime()) throw wrongCode();
      // counted before it is checked: parallel guesses all count
      const attempts = await repo.claimOtpAttempt(row.id, OTP_MAX_ATTEMPTS);
      if (attempts === null)
        throw new AppError('ACCOUNT_LOCKED', 'too many wrong codes; request a new code', {
          retryAfterSeconds: Math.max(
            1,
            Math.ceil((Date.parse(row.createdAt) + OTP_RESEND_MS - now.getTime()) / 1000),
          ),
        });
      const check = checkOtp({ ...row, attempts }, code, now, opts.hash);
      if (!check.ok) throw wrongCode({ attemptsLeft: check.attemptsLeft });
      const iso = now.toISOString();
      const token = newSessionToken(deps.randomBytes(32));
      const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
      const { user, isNew } = await store.transaction(async (tx) => {
        if (!(await residentRepo(tx).consumeOtp(row.id, iso))) throw wrongCode();
        let userId = await residentRepo(tx).findResidentIdByPhone(phone);
        const isNew = userId === undefined;
        if (userId === undefined) {
          userId = deps.ids.next();
          await tx.users.insert(
            {
              id: userId,
              username: `r.${base32Encode(deps.randomBytes(8), { padding: false }).toLowerCase()}`,
              displayName: `居民${phone.slice(-4)}`,
              role: 'resident',
              unitId: null,
              departmentId: null,
              phone,
              passwordHash: null,
              totpSecret: null,
              totpEnabled: false,
              isDisabled: false,
            },
            iso,
          );
          await audit(tx, deps, { userId, role: 'resident' }, ctx, 'user.create', 'user', userId, {
            role: 'resident',
            via: 'sms',
          });
        }
        const u = await tx.users.findById(userId);
        if (!u || u.isDisabled) throw new AppError('FORBIDDEN', 'this account is disabled');
        await tx.users.update(u.id, { lastLoginAt: iso }, iso);
        await tx.sessions.insert({
          id: hashToken(token),
          userId: u.id,
          kind: 'cookie',
          createdAt: iso,
          expiresAt,
          lastSeenAt: iso,
          revokedAt: null,
          ip: ctx.ip ?? null,
          userAgent: ctx.userAgent ?? null,
        });
        await audit(tx, deps, { userId: u.id, role: u.role }, ctx, 'auth.login', 'user', u.id, {
          method: 'sms',
        });
        return { user: { ...u, lastLoginAt: iso }, isNew };
      });
      return { token, expiresAt, user: userView(user, null), isNew };
    },
  };
}
