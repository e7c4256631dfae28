import type { Kysely, Selectable } from 'kysely';
import type { Role, SessionRecord, SessionRepository, UserRecord, UserRepository } from '@civicgrid/core';
import type { Database, UsersTable } from '../schema.js';
import { bool, int, prefixPattern } from './util.js';

const user = (r: Omit<Selectable<UsersTable>, 'updated_at'>): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  unitId: r.unit_id,
  departmentId: r.department_id,
  phone: r.phone,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpEnabled: bool(r.totp_enabled),
  totpLastCounter: r.totp_last_counter,
  isDisabled: bool(r.is_disabled),
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  lastLoginAt: r.last_login_at,
  createdAt: r.created_at,
});

const COLS = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.unit_id',
  'users.department_id',
  'users.phone',
  'users.password_hash',
  'users.totp_secret',
  'users.totp_enabled',
  'users.totp_last_counter',
  'users.is_disabled',
  'users.failed_logins',
  'users.locked_until',
  'users.last_login_at',
  'users.created_at',
] as const;

/** Accounts of staff and residents. */
export function userRepository(db: Kysely<Database>): UserRepository {
  return {
    async incrementFailedLogins(id, now) {
      const r = await db
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), updated_at: now }))
        .where('id', '=', id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      return Number(r.failed_logins);
    },
    async claimTotpCounter(id, counter, now) {
      const r = await db
        .updateTable('users')
        .set({ totp_last_counter: counter, updated_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', counter)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async findById(id) {
      const r = await db.selectFrom('users').select(COLS).where('id', '=', id).executeTakeFirst();
      return r && user(r);
    },
    async findByUsername(username) {
      const r = await db.selectFrom('users').select(COLS).where('username', '=', username).executeTakeFirst();
      return r && user(r);
    },
    async list(f) {
      let q = db
        .selectFrom('users')
        .leftJoin('units as u', 'u.id', 'users.unit_id')
        .select([...COLS, 'u.path as unit_path', 'u.code as unit_code']);
      // a scoped caller sees only accounts bound to units in its subtree
      if (f.scopePrefix !== null) q = q.where('u.path', 'like', prefixPattern(f.scopePrefix));
      if (f.role) q = q.where('users.role', '=', f.role);
      if (f.afterUsername) q = q.where('users.username', '>', f.afterUsername);
      const rows = await q.orderBy('users.username').limit(f.limit).execute();
      return rows.map((r) => ({ ...user(r), unitPath: r.unit_path, unitCode: r.unit_code }));
    },
    async count() {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async insert(u, now) {
      await db
        .insertInto('users')
        .values({
          id: u.id,
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          unit_id: u.unitId,
          department_id: u.departmentId,
          phone: u.phone,
          password_hash: u.passwordHash,
          totp_secret: u.totpSecret,
          totp_enabled: int(u.totpEnabled),
          is_disabled: int(u.isDisabled),
          failed_logins: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
    async update(id, p, now) {
      await db
        .updateTable('users')
        .set({
          ...(p.displayName !== undefined && { display_name: p.displayName }),
          ...(p.passwordHash !== undefined && { password_hash: p.passwordHash }),
          ...(p.totpSecret !== undefined && { totp_secret: p.totpSecret }),
          ...(p.totpEnabled !== undefined && { totp_enabled: int(p.totpEnabled) }),
          ...(p.totpLastCounter !== undefined && { totp_last_counter: p.totpLastCounter }),
          ...(p.isDisabled !== undefined && { is_disabled: int(p.isDisabled) }),
          ...(p.failedLogins !== undefined && { failed_logins: p.failedLogins }),
          ...(p.lockedUntil !== undefined && { locked_until: p.lockedUntil }),
          ...(p.lastLoginAt !== undefined && { last_login_at: p.lastLoginAt }),
          ...(p.phone !== undefined && { phone: p.phone }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}

/** Opaque server sessions; the id is the SHA-256 of the token, never the token. */
export function sessionRepository(db: Kysely<Database>): SessionRepository {
  const rec = (r: Selectable<Database['sessions']>): SessionRecord => ({
    id: r.id,
    userId: r.user_id,
    kind: r.kind as SessionRecord['kind'],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
  });
  return {
    async insert(s) {
      await db
        .insertInto('sessions')
        .values({
          id: s.id,
          user_id: s.userId,
          kind: s.kind,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
          last_seen_at: s.lastSeenAt,
          revoked_at: null,
          ip: s.ip,
          user_agent: s.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
    },
    async findById(id) {
      const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && rec(r);
    },
    async touch(id, at, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: at, expires_at: expiresAt })
        .where('id', '=', id)
        .execute();
    },
    async revoke(id, at) {
      await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async revokeAllOfUser(userId, at) {
      const r = await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
