import type { Kysely } from 'kysely';
import type {
  CategoryRepository,
  IdempotencyRecord,
  IdempotencyRepository,
  InboxRepository,
  TimerRepository,
  TimerRow,
} from '@civicgrid/core';
import type { DialectHelpers } from '../dialect.js';
import type { Database } from '../schema.js';
import { bool, chunked, int } from './util.js';

type TimerSelect = { id: string; case_id: string; kind: string; due_at: string; payload: string };
const timerOf = (r: TimerSelect): TimerRow => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  dueAt: r.due_at,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
});

/** Stored timers: they survive restarts and are claimed so that each fires once. */
export function timerRepository(db: Kysely<Database>, dialect: DialectHelpers): TimerRepository {
  const pending = () =>
    db.selectFrom('timers').where('fired_at', 'is', null).where('cancelled_at', 'is', null);
  return {
    async insertMany(rows) {
      await chunked(rows, 10, (chunk) =>
        db
          .insertInto('timers')
          .values(
            chunk.map((t) => ({
              id: t.id,
              case_id: t.caseId,
              kind: t.kind,
              due_at: t.dueAt,
              fired_at: null,
              cancelled_at: null,
              claimed_by: null,
              claimed_until: null,
              payload: JSON.stringify(t.payload),
              created_at: t.createdAt,
            })),
          )
          .execute(),
      );
    },
    async cancelForCase(caseId, at, kinds) {
      let q = db
        .updateTable('timers')
        .set({ cancelled_at: at })
        .where('case_id', '=', caseId)
        .where('fired_at', 'is', null)
        .where('cancelled_at', 'is', null);
      if (kinds?.length) q = q.where('kind', 'in', kinds);
      return Number((await q.executeTakeFirst()).numUpdatedRows);
    },
    async claimDue(now, worker, claimUntil, limit) {
      // select candidates, then claim with a conditional update: on PostgreSQL the SELECT skips
      // rows another scheduler holds (FOR UPDATE SKIP LOCKED), and the update re-checks the claim
      return db.transaction().execute(async (trx) => {
        let q = trx
          .selectFrom('timers')
          .select(['id', 'case_id', 'kind', 'due_at', 'payload'])
          .where('fired_at', 'is', null)
          .where('cancelled_at', 'is', null)
          .where('due_at', '<=', now)
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
          .orderBy('due_at')
          .limit(limit);
        if (dialect.rowLocks) q = q.forUpdate().skipLocked();
        const rows = await q.execute();
        if (rows.length === 0) return [];
        await trx
          .updateTable('timers')
          .set({ claimed_by: worker, claimed_until: claimUntil })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        return rows.map(timerOf);
      });
    },
    async markFired(id, at) {
      const r = await db
        .updateTable('timers')
        .set({ fired_at: at })
        .where('id', '=', id)
        .where('fired_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async pendingOf(caseId) {
      const rows = await pending()
        .select(['id', 'case_id', 'kind', 'due_at', 'payload'])
        .where('case_id', '=', caseId)
        .orderBy('due_at')
        .execute();
      return rows.map(timerOf);
    },
  };
}

/** Per-user, per-center and per-department inbox. */
export function inboxRepository(db: Kysely<Database>): InboxRepository {
  return {
    async insertMany(rows) {
      await chunked(rows, 9, (chunk) =>
        db
          .insertInto('inbox')
          .values(
            chunk.map((r) => ({
              id: r.id,
              user_id: r.userId,
              unit_id: r.unitId,
              department_id: r.departmentId,
              case_id: r.caseId,
              kind: r.kind,
              title: r.title,
              created_at: r.createdAt,
              read_at: r.readAt,
            })),
          )
          .execute(),
      );
    },
    async listFor(t, limit, unreadOnly) {
      let q = db
        .selectFrom('inbox')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('user_id', '=', t.userId),
            ...(t.unitId ? [eb.and([eb('unit_id', '=', t.unitId), eb('user_id', 'is', null)])] : []),
            ...(t.departmentId
              ? [eb.and([eb('department_id', '=', t.departmentId), eb('user_id', 'is', null)])]
              : []),
          ]),
        );
      if (unreadOnly) q = q.where('read_at', 'is', null);
      const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        unitId: r.unit_id,
        departmentId: r.department_id,
        caseId: r.case_id,
        kind: r.kind,
        title: r.title,
        createdAt: r.created_at,
        readAt: r.read_at,
      }));
    },
    async markRead(id, t, at) {
      const r = await db
        .updateTable('inbox')
        .set({ read_at: at })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('user_id', '=', t.userId),
            ...(t.unitId ? [eb('unit_id', '=', t.unitId)] : []),
            ...(t.departmentId ? [eb('department_id', '=', t.departmentId)] : []),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

/** Idempotency keys: one row per (actor, key), first response stored for replay. */
export function idempotencyRepository(db: Kysely<Database>): IdempotencyRepository {
  const rec = (r: Database['idempotency_keys']): IdempotencyRecord => ({
    actor: r.actor,
    key: r.key,
    route: r.route,
    bodyHash: r.body_hash,
    status: r.status as IdempotencyRecord['status'],
    responseStatus: r.response_status,
    responseBody: r.response_body,
    createdAt: r.created_at,
  });
  return {
    async begin(r) {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          actor: r.actor,
          key: r.key,
          route: r.route,
          body_hash: r.bodyHash,
          status: 'in_flight',
          response_status: null,
          response_body: null,
          created_at: r.createdAt,
        })
        .onConflict((oc) => oc.columns(['actor', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return null;
      const existing = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('actor', '=', r.actor)
        .where('key', '=', r.key)
        .executeTakeFirst();
      return existing ? rec(existing) : null;
    },
    async complete(actor, key, status, body) {
      await db
        .updateTable('idempotency_keys')
        .set({ status: 'done', response_status: status, response_body: body })
        .where('actor', '=', actor)
        .where('key', '=', key)
        .execute();
    },
    async markCommitted(actor, key, result) {
      await db
        .updateTable('idempotency_keys')
        .set({ status: 'committed', response_body: result })
        .where('actor', '=', actor)
        .where('key', '=', key)
        .where('status', '=', 'in_flight')
        .execute();
    },
    async purgeBefore(at) {
      const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', at).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async abandon(actor, key) {
      await db
        .deleteFrom('idempotency_keys')
        .where('actor', '=', actor)
        .where('key', '=', key)
        .where('status', '=', 'in_flight')
        .execute();
    },
  };
}

/** The category catalogue. */
export function categoryRepository(db: Kysely<Database>): CategoryRepository {
  return {
    async list() {
      const rows = await db.selectFrom('categories').selectAll().orderBy('code').execute();
      return rows.map((r) => ({
        code: r.code,
        level: r.level,
        name: r.name,
        parentCode: r.parent_code,
        path: r.path,
        isActive: bool(r.is_active),
      }));
    },
    async findByCode(code) {
      const r = await db.selectFrom('categories').selectAll().where('code', '=', code).executeTakeFirst();
      return (
        r && {
          code: r.code,
          level: r.level,
          name: r.name,
          parentCode: r.parent_code,
          path: r.path,
          isActive: bool(r.is_active),
        }
      );
    },
    async upsertMany(rows, now) {
      await chunked(rows, 7, (chunk) =>
        db
          .insertInto('categories')
          .values(
            chunk.map((c) => ({
              code: c.code,
              level: c.level,
              name: c.name,
              parent_code: c.parentCode,
              path: c.path,
              is_active: int(c.isActive),
              updated_at: now,
            })),
          )
          .onConflict((oc) =>
            oc.column('code').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              path: eb.ref('excluded.path'),
              is_active: eb.ref('excluded.is_active'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute(),
      );
    },
    async count() {
      const r = await db
        .selectFrom('categories')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
