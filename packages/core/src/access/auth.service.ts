import type { Actor } from './actor.js';
import { requirePermission, scopeFor, unitInScope, unitScopePrefix } from './actor.js';
import { checkLock, lockSecondsAfter, onSuccess } from './lockout.js';
import { maskPhone } from './masking.js';
import { passwordProblems } from './password-policy.js';
import type { Role } from './roles.js';
import { ROLE_UNIT_LEVELS, isStaffRole } from './roles.js';
import { hashToken, newSessionToken } from './tokens.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from './totp.js';
import { audit } from '../audit/audit.service.js';
import type { UserRecord } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';

/** Setting key: staff must give a TOTP code (on in production, off in the demo). */
export const SETTING_REQUIRE_TOTP = 'auth.requireTotp';
/** A session ends after this much idleness… */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** …and in any case this long after login. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;
/** Sliding expiry is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** When an account with this many failed logins is locked until (null: not locked). */
function lockUntilAfter(failedCount: number, now: Date): Date | null {
  const seconds = lockSecondsAfter(failedCount);
  return seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null;
}

/** A user as shown to callers (no secrets, phone masked). */
export function userView(u: UserRecord, unitCode: string | null = null) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    unitCode,
    departmentId: u.departmentId,
    phone: u.phone ? maskPhone(u.phone) : null,
    totpEnabled: u.totpEnabled,
    isDisabled: u.isDisabled,
    lastLoginAt: u.lastLoginAt,
  };
}

/** Login, sessions and accounts. */
export function createAuthService(deps: ServiceDeps) {
  const { store, clock } = deps;
  // verifying against a fixed hash keeps the time of "no such user" like that of a wrong password
  let dummyHash: Promise<string> | null = null;

  async function requireTotp(): Promise<boolean> {
    return (await store.repos.settings.get<boolean>(SETTING_REQUIRE_TOTP)) ?? true;
  }

  async function unitCodeOf(u: UserRecord): Promise<string | null> {
    return u.unitId ? ((await store.repos.units.findById(u.unitId))?.code ?? null) : null;
  }

  async function fail(u: UserRecord, ctx: RequestContext, reason: string): Promise<never> {
    const now = clock.now();
    await store.transaction(async (tx) => {
      // counted in the database: parallel wrong guesses each count, none is lost
      const failedCount = await tx.users.incrementFailedLogins(u.id, now.toISOString());
      const lockedUntil = failedCount > 0 ? lockUntilAfter(failedCount, now) : null;
      if (lockedUntil)
        await tx.users.update(u.id, { lockedUntil: lockedUntil.toISOString() }, now.toISOString());
      await audit(tx, deps, { userId: u.id, role: u.role }, ctx, 'auth.login_failed', 'user', u.id, {
        reason,
        failedCount,
      });
    });
    throw new AppError('INVALID_CREDENTIALS', 'username, password or one-time code is wrong');
  }

  return {
    /** Password (+ TOTP) login; returns an opaque token valid as cookie and as bearer. */
    async login(
      input: { username: string; password: string; otp?: string | undefined },
      ctx: RequestContext,
    ) {
      const u = await store.repos.users.findByUsername(input.username);
      if (!u || !u.passwordHash) {
        dummyHash ??= deps.passwords.hash('civicgrid-timing-equaliser');
        await deps.passwords.verify(await dummyHash, input.password);
        throw new AppError('INVALID_CREDENTIALS', 'username, password or one-time code is wrong');
      }
      const now = clock.now();
      const lock = checkLock(
        { failedCount: u.failedLogins, lockedUntil: u.lockedUntil ? new Date(u.lockedUntil) : null },
        now,
      );
      if (lock.locked) {
        // spend the time of a password check, so a lock is not told apart by its speed
        dummyHash ??= deps.passwords.hash('civicgrid-timing-equaliser');
        await deps.passwords.verify(await dummyHash, input.password);
        throw new AppError('ACCOUNT_LOCKED', 'too many failed logins; try again later', {
          retryAfterSeconds: lock.retryAfterSeconds,
        });
      }
      if (!(await deps.passwords.verify(u.passwordHash, input.password))) return fail(u, ctx, 'password');
      if (u.isDisabled) throw new AppError('FORBIDDEN', 'this account is disabled');
      const needsOtp = u.totpEnabled || (isStaffRole(u.role) && (await requireTotp()));
      if (needsOtp) {
        if (!u.totpSecret)
          throw new AppError(
            'FORBIDDEN',
            'a second factor is required but not set up for this account; ask an administrator',
          );
        if (!input.otp) throw new AppError('OTP_REQUIRED', 'a one-time code is required', { field: 'otp' });
        const r = verifyTotp(u.totpSecret, input.otp, now.getTime(), {
          window: 1,
          lastUsedCounter: u.totpLastCounter ?? undefined,
        });
        if (!r.ok) return fail(u, ctx, 'otp');
        // claimed atomically: two logins racing with one code cannot both pass
        if (!(await store.repos.users.claimTotpCounter(u.id, r.counter, now.toISOString())))
          return fail(u, ctx, 'otp replay');
      }
      const token = newSessionToken(deps.randomBytes(32));
      const sessionId = hashToken(token);
      const iso = now.toISOString();
      const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
      await store.transaction(async (tx) => {
        const reset = onSuccess();
        await tx.users.update(
          u.id,
          {
            failedLogins: reset.failedCount,
            lockedUntil: null,
            lastLoginAt: iso,
          },
          iso,
        );
        await tx.sessions.insert({
          id: sessionId,
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
          secondFactor: needsOtp,
        });
      });
      return { token, expiresAt, user: userView(u, await unitCodeOf(u)) };
    },

    /** Resolves a token to an Actor; null when the session is unknown, expired, revoked or disabled. */
    async authenticate(token: string): Promise<Actor | null> {
      if (!token || token.length > 200) return null;
      const id = hashToken(token);
      const s = await store.repos.sessions.findById(id);
      const now = clock.now();
      if (!s || s.revokedAt || s.expiresAt <= now.toISOString()) return null;
      const u = await store.repos.users.findById(s.userId);
      if (!u || u.isDisabled) return null;
      const unit = u.unitId ? await store.repos.units.findById(u.unitId) : undefined;
      if (now.getTime() - Date.parse(s.lastSeenAt) > TOUCH_EVERY_MS) {
        const absolute = Date.parse(s.createdAt) + SESSION_ABSOLUTE_MS;
        const expires = new Date(Math.min(absolute, now.getTime() + SESSION_IDLE_MS)).toISOString();
        await store.repos.sessions.touch(id, now.toISOString(), expires);
      }
      return {
        userId: u.id,
        username: u.username,
        role: u.role,
        unitId: u.unitId,
        departmentId: u.departmentId,
        scope: scopeFor(u.role, unit ?? null, u.departmentId),
        sessionId: id,
      };
    },

    /** Ends the caller's session; the next request with the token is refused. */
    async logout(actor: Actor, ctx: RequestContext) {
      if (!actor.sessionId) return;
      const sid = actor.sessionId;
      await store.transaction(async (tx) => {
        await tx.sessions.revoke(sid, clock.now().toISOString());
        await audit(tx, deps, actor, ctx, 'auth.logout', 'user', actor.userId);
      });
    },

    /** The caller's own account with its unit chain. */
    async me(actor: Actor) {
      const u = await store.repos.users.findById(actor.userId);
      if (!u) throw new AppError('USER_NOT_FOUND', 'account not found');
      const unit = u.unitId ? await store.repos.units.findById(u.unitId) : undefined;
      const chainCodes = unit ? unit.path.split('/').filter(Boolean) : [];
      const chain = (await Promise.all(chainCodes.map((c) => store.repos.units.findByCode(c)))).flatMap(
        (x) => (x ? [{ code: x.code, name: x.name, level: x.level }] : []),
      );
      const department = u.departmentId ? await store.repos.departments.findById(u.departmentId) : undefined;
      return {
        ...userView(u, unit?.code ?? null),
        unitChain: chain,
        department: department ? { code: department.code, name: department.name } : null,
        scope: actor.scope.kind,
      };
    },

    /** Creates an account bound to a unit/department matching its role. */
    async createUser(
      actor: Actor,
      input: {
        username: string;
        displayName: string;
        role: Role;
        password: string;
        unitCode?: string | null | undefined;
        departmentCode?: string | null | undefined;
        phone?: string | null | undefined;
        withTotp?: boolean | undefined;
      },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'users:write');
      const issues = passwordProblems(input.password, { username: input.username }).map((reason) => ({
        path: 'password',
        reason,
      }));
      const levels = ROLE_UNIT_LEVELS[input.role];
      let unitId: string | null = null;
      let departmentId: string | null = null;
      if (levels?.includes('department')) {
        const d = input.departmentCode
          ? await store.repos.departments.findByCode(input.departmentCode)
          : undefined;
        if (!d)
          issues.push({ path: 'departmentCode', reason: `a ${input.role} needs an existing department` });
        else departmentId = d.id;
      } else if (levels) {
        const u = input.unitCode ? await store.repos.units.findByCode(input.unitCode) : undefined;
        if (!u || !unitInScope(actor, u.path))
          issues.push({ path: 'unitCode', reason: `a ${input.role} needs a unit in your scope` });
        else if (!levels.includes(u.level))
          issues.push({
            path: 'unitCode',
            reason: `a ${input.role} is bound to a ${levels.join(' or ')}, not a ${u.level}`,
          });
        else unitId = u.id;
      } else if (!input.phone) {
        issues.push({ path: 'phone', reason: 'a resident account needs a phone number' });
      }
      if (await store.repos.users.findByUsername(input.username))
        issues.push({ path: 'username', reason: 'is taken' });
      if (issues.length) throw validationError(issues);
      const withTotp = input.withTotp ?? (isStaffRole(input.role) && (await requireTotp()));
      const secret = withTotp ? generateTotpSecret(deps.randomBytes(20)) : null;
      const id = deps.ids.next();
      const now = clock.now().toISOString();
      const passwordHash = await deps.passwords.hash(input.password);
      await store.transaction(async (tx) => {
        await tx.users.insert(
          {
            id,
            username: input.username,
            displayName: input.displayName,
            role: input.role,
            unitId,
            departmentId,
            phone: input.phone ?? null,
            passwordHash,
            totpSecret: secret,
            totpEnabled: withTotp,
            isDisabled: false,
          },
          now,
        );
        await audit(tx, deps, actor, ctx, 'user.create', 'user', id, {
          username: input.username,
          role: input.role,
          unitCode: input.unitCode ?? null,
        });
      });
      const created = await store.repos.users.findById(id);
      if (!created) throw new AppError('INTERNAL', 'user vanished after insert');
      return {
        user: userView(created, input.unitCode ?? null),
        // shown once: the authenticator app is set up from it
        totp: secret
          ? { secret, uri: otpauthUri({ issuer: 'civicgrid', account: input.username, secret }) }
          : null,
      };
    },

    /** Sets up (or replaces) an account's TOTP second factor; the secret is shown once. */
    async enrollTotp(actor: Actor, username: string, ctx: RequestContext) {
      requirePermission(actor, 'users:write');
      const u = await store.repos.users.findByUsername(username);
      if (!u) throw new AppError('USER_NOT_FOUND', `no account ${username}`);
      const secret = generateTotpSecret(deps.randomBytes(20));
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        await tx.users.update(u.id, { totpSecret: secret, totpEnabled: true, totpLastCounter: null }, now);
        await tx.sessions.revokeAllOfUser(u.id, now);
        await audit(tx, deps, actor, ctx, 'user.totp_enroll', 'user', u.id);
      });
      return { secret, uri: otpauthUri({ issuer: 'civicgrid', account: username, secret }) };
    },

    /** Turns the second-factor requirement for staff on or off (audited). */
    async setRequireTotp(actor: Actor, required: boolean, ctx: RequestContext) {
      requirePermission(actor, 'users:write');
      await store.transaction(async (tx) => {
        await tx.settings.set(SETTING_REQUIRE_TOTP, required, clock.now().toISOString());
        await audit(tx, deps, actor, ctx, 'settings.require_totp', 'setting', SETTING_REQUIRE_TOTP, {
          required,
        });
      });
      return { required };
    },

    /** Disables an account and ends all its sessions at once. */
    async setDisabled(actor: Actor, userId: string, disabled: boolean, ctx: RequestContext) {
      requirePermission(actor, 'users:write');
      const u = await store.repos.users.findById(userId);
      const unit = u?.unitId ? await store.repos.units.findById(u.unitId) : undefined;
      if (!u || (actor.scope.kind !== 'all' && !(unit && unitInScope(actor, unit.path))))
        throw new AppError('USER_NOT_FOUND', 'user not found');
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        await tx.users.update(userId, { isDisabled: disabled }, now);
        if (disabled) await tx.sessions.revokeAllOfUser(userId, now);
        await audit(tx, deps, actor, ctx, disabled ? 'user.disable' : 'user.enable', 'user', userId);
      });
      return userView({ ...u, isDisabled: disabled }, unit?.code ?? null);
    },

    /** Lists accounts bound to units in the caller's scope. */
    async listUsers(actor: Actor, f: { role?: Role; limit?: number; after?: string }) {
      requirePermission(actor, 'users:read');
      const limit = Math.min(f.limit ?? 100, 500);
      const scopePrefix = actor.scope.kind === 'all' ? null : (unitScopePrefix(actor) ?? '/~/');
      const rows = await store.repos.users.list({ scopePrefix, role: f.role, limit, afterUsername: f.after });
      return {
        items: rows.map((r) => userView(r, r.unitCode)),
        nextCursor: rows.length === limit ? (rows[rows.length - 1]?.username ?? null) : null,
      };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
