import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditRepository } from '@civicgrid/core';
import { sealAuditEntry } from '@civicgrid/core';
import type { DialectHelpers } from '../dialect.js';
import type { AuditLogTable, Database } from '../schema.js';

const entry = (r: Selectable<AuditLogTable>): AuditEntry => ({
  seq: Number(r.seq),
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorRole: r.actor_role,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  details: JSON.parse(r.details) as unknown,
  requestId: r.request_id,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The append-only, hash-chained audit log. */
export function auditRepository(db: Kysely<Database>, dialect: DialectHelpers): AuditRepository {
  const head = async () => {
    const r = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? { seq: Number(r.seq), hash: r.hash } : null;
  };
  return {
    head,
    async append(draft) {
      await dialect.lockAuditChain(db as Kysely<unknown>);
      const e = sealAuditEntry(await head(), draft);
      await db
        .insertInto('audit_log')
        .values({
          seq: e.seq,
          id: e.id,
          at: e.at,
          actor_id: e.actorId,
          actor_role: e.actorRole,
          action: e.action,
          entity_type: e.entityType,
          entity_id: e.entityId,
          details: JSON.stringify(e.details ?? null),
          request_id: e.requestId,
          prev_hash: e.prevHash,
          hash: e.hash,
        })
        .execute();
      return { seq: e.seq, hash: e.hash };
    },
    async *iterate(batchSize = 5000) {
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(batchSize)
          .execute();
        for (const r of rows) yield entry(r);
        if (rows.length < batchSize) return;
        after = Number(rows[rows.length - 1]?.seq);
      }
    },
    async list(f) {
      let q = db.selectFrom('audit_log').selectAll();
      if (f.entityType) q = q.where('entity_type', '=', f.entityType);
      if (f.entityId) q = q.where('entity_id', '=', f.entityId);
      if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
      return (await q.orderBy('seq', 'desc').limit(f.limit).execute()).map(entry);
    },
  };
}
