import type { Kysely } from 'kysely';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookRepository, WebhookRow } from '@civicgrid/core';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from '../schema.js';

const hookOf = (r: WebhooksTable): WebhookRow => ({
  id: r.id,
  departmentId: r.department_id,
  name: r.name,
  url: r.url,
  secret: r.secret,
  events: JSON.parse(r.events) as string[],
  isActive: Number(r.is_active) === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const deliveryOf = (r: WebhookDeliveriesTable): WebhookDeliveryRow => ({
  id: r.id,
  webhookId: r.webhook_id,
  event: r.event,
  payload: r.payload,
  status: r.status as WebhookDeliveryRow['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

/** Outgoing webhooks, their delivery queue (an outbox written with each change) and the delivery log. */
export function webhookRepository(db: Kysely<Database>): WebhookRepository {
  return {
    async insert(w) {
      await db
        .insertInto('webhooks')
        .values({
          id: w.id,
          department_id: w.departmentId,
          name: w.name,
          url: w.url,
          secret: w.secret,
          events: JSON.stringify(w.events),
          is_active: w.isActive ? 1 : 0,
          created_by: w.createdBy,
          created_at: w.createdAt,
          updated_at: w.updatedAt,
        })
        .execute();
    },
    async update(id, p, at) {
      await db
        .updateTable('webhooks')
        .set({
          ...(p.name !== undefined && { name: p.name }),
          ...(p.url !== undefined && { url: p.url }),
          ...(p.events !== undefined && { events: JSON.stringify(p.events) }),
          ...(p.isActive !== undefined && { is_active: p.isActive ? 1 : 0 }),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
    async findById(id) {
      const r = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? hookOf(r) : undefined;
    },
    async list() {
      return (await db.selectFrom('webhooks').selectAll().orderBy('created_at').execute()).map(hookOf);
    },
    async listeners(event, departmentIds) {
      // a handful of webhooks per district: filter the events list here rather than in SQL JSON
      const rows = await db.selectFrom('webhooks').selectAll().where('is_active', '=', 1).execute();
      return rows
        .map(hookOf)
        .filter(
          (w) =>
            (w.departmentId === null || departmentIds.includes(w.departmentId)) &&
            (w.events.includes('*') || w.events.includes(event)),
        );
    },
    async insertDeliveries(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('webhook_deliveries')
        .values(
          rows.map((d) => ({
            id: d.id,
            webhook_id: d.webhookId,
            event: d.event,
            payload: d.payload,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.nextAttemptAt,
            claimed_until: null,
            last_status: d.lastStatus,
            last_error: d.lastError,
            created_at: d.createdAt,
            delivered_at: d.deliveredAt,
          })),
        )
        .execute();
    },
    async claimDue(now, leaseUntil, limit) {
      return db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
          .select([
            'd.id as id',
            'd.webhook_id as webhookId',
            'w.department_id as departmentId',
            'w.url as url',
            'w.secret as secret',
            'd.event as event',
            'd.payload as payload',
            'd.attempts as attempts',
            'd.next_attempt_at as nextAttemptAt',
          ])
          .where('d.status', '=', 'pending')
          .where('d.next_attempt_at', '<=', now)
          .where('w.is_active', '=', 1)
          .orderBy('d.next_attempt_at')
          .limit(limit)
          .execute();
        const claimed = [];
        for (const d of due) {
          // the lease: only the worker whose update still sees the old due time owns the delivery
          const r = await trx
            .updateTable('webhook_deliveries')
            .set({ next_attempt_at: leaseUntil, claimed_until: leaseUntil })
            .where('id', '=', d.id)
            .where('status', '=', 'pending')
            .where('next_attempt_at', '=', d.nextAttemptAt)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) === 1)
            claimed.push({
              id: d.id,
              webhookId: d.webhookId,
              departmentId: d.departmentId,
              url: d.url,
              secret: d.secret,
              event: d.event,
              payload: d.payload,
              attempts: Number(d.attempts),
            });
        }
        return claimed;
      });
    },
    async recordAttempt(a, next) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('webhook_attempts')
          .values({
            id: a.id,
            delivery_id: a.deliveryId,
            at: a.at,
            ok: a.ok ? 1 : 0,
            status: a.status,
            error: a.error?.slice(0, 500) ?? null,
            duration_ms: Math.round(a.durationMs),
            snippet: a.snippet?.slice(0, 4096) ?? null,
          })
          .execute();
        const d = await trx
          .selectFrom('webhook_deliveries')
          .select('attempts')
          .where('id', '=', a.deliveryId)
          .executeTakeFirst();
        await trx
          .updateTable('webhook_deliveries')
          .set({
            status: next.status,
            attempts: Number(d?.attempts ?? 0) + 1,
            next_attempt_at: next.nextAttemptAt,
            claimed_until: null,
            last_status: a.status,
            last_error: a.error?.slice(0, 500) ?? null,
            ...(next.status === 'delivered' && { delivered_at: a.at }),
          })
          .where('id', '=', a.deliveryId)
          .execute();
      });
    },
    async deliveriesOf(webhookId, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(deliveryOf);
    },
    async attemptsOf(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('delivery_id', 'in', [...ids])
        .orderBy('at')
        .execute();
      return rows.map((r): WebhookAttemptRow => ({
        id: r.id,
        deliveryId: r.delivery_id,
        at: r.at,
        ok: Number(r.ok) === 1,
        status: r.status === null ? null : Number(r.status),
        error: r.error,
        durationMs: Number(r.duration_ms),
        snippet: r.snippet,
      }));
    },
  };
}
