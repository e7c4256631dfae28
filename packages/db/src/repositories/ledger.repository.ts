import type { Kysely } from 'kysely';
import type { JointHandlingRow, JointRepository, LedgerCheckoffRow, LedgerRepository } from '@civicgrid/core';
import type { Database, JointHandlingsTable, LedgerCheckoffsTable } from '../schema.js';
import { prefixPattern } from './util.js';

const jointOf = (r: JointHandlingsTable): JointHandlingRow => ({
  id: r.id,
  caseId: r.case_id,
  jointNo: Number(r.joint_no),
  unitPath: r.unit_path,
  convenedBy: r.convened_by,
  convenedAt: r.convened_at,
  meetsAt: r.meets_at,
  place: r.place,
  purpose: r.purpose,
  participants: JSON.parse(r.participants) as JointHandlingRow['participants'],
  status: r.status as JointHandlingRow['status'],
  outcome: r.outcome,
  resolved: r.resolved === null ? null : Number(r.resolved) === 1,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

const checkoffOf = (r: LedgerCheckoffsTable): LedgerCheckoffRow => ({
  id: r.id,
  itemKind: r.item_kind as LedgerCheckoffRow['itemKind'],
  caseId: r.case_id,
  jointNo: r.joint_no === null ? null : Number(r.joint_no),
  unitPath: r.unit_path,
  title: r.title,
  checkedAt: r.checked_at,
  checkedBy: r.checked_by,
  note: r.note,
});

/** Joint handlings (联合处置) of cases. */
export function jointRepository(db: Kysely<Database>): JointRepository {
  return {
    async insert(r) {
      await db
        .insertInto('joint_handlings')
        .values({
          id: r.id,
          case_id: r.caseId,
          joint_no: r.jointNo,
          unit_path: r.unitPath,
          convened_by: r.convenedBy,
          convened_at: r.convenedAt,
          meets_at: r.meetsAt,
          place: r.place,
          purpose: r.purpose,
          participants: JSON.stringify(r.participants),
          status: r.status,
          outcome: r.outcome,
          resolved: r.resolved === null ? null : r.resolved ? 1 : 0,
          recorded_by: r.recordedBy,
          recorded_at: r.recordedAt,
        })
        .execute();
    },
    async recordOutcome(caseId, jointNo, o) {
      const res = await db
        .updateTable('joint_handlings')
        .set({
          status: 'recorded',
          outcome: o.outcome,
          resolved: o.resolved ? 1 : 0,
          recorded_by: o.recordedBy,
          recorded_at: o.recordedAt,
        })
        .where('case_id', '=', caseId)
        .where('joint_no', '=', jointNo)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
    async closeOpenOf(caseId, at) {
      const open = await db
        .selectFrom('joint_handlings')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .execute();
      if (open.length === 0) return [];
      await db
        .updateTable('joint_handlings')
        .set({ status: 'closedWithCase', recorded_at: at })
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .execute();
      return open.map((r) => ({ ...jointOf(r), status: 'closedWithCase' as const, recordedAt: at }));
    },
    async listOf(caseId) {
      const rows = await db
        .selectFrom('joint_handlings')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('joint_no')
        .execute();
      return rows.map(jointOf);
    },
    async listOpen(scopePrefix, limit) {
      const rows = await db
        .selectFrom('joint_handlings')
        .selectAll()
        .where('unit_path', 'like', prefixPattern(scopePrefix))
        .where('status', '=', 'open')
        .orderBy('meets_at')
        .limit(limit)
        .execute();
      return rows.map(jointOf);
    },
  };
}

/** The ledger's check-off history (销号记录). */
export function ledgerRepository(db: Kysely<Database>): LedgerRepository {
  return {
    async insertCheckoffs(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('ledger_checkoffs')
        .values(
          rows.map((r) => ({
            id: r.id,
            item_kind: r.itemKind,
            case_id: r.caseId,
            joint_no: r.jointNo,
            unit_path: r.unitPath,
            title: r.title,
            checked_at: r.checkedAt,
            checked_by: r.checkedBy,
            note: r.note,
          })),
        )
        .execute();
    },
    async listCheckoffs(scopePrefix, opts) {
      let q = db
        .selectFrom('ledger_checkoffs')
        .selectAll()
        .where('unit_path', 'like', prefixPattern(scopePrefix));
      if (opts.from) q = q.where('checked_at', '>=', opts.from);
      if (opts.to) q = q.where('checked_at', '<', opts.to);
      const rows = await q.orderBy('checked_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
      return rows.map(checkoffOf);
    },
  };
}
