import type { Kysely } from 'kysely';
import type {
  ImGroupRow,
  OtpCodeRow,
  ResidentReportRow,
  ResidentReportSource,
  ResidentRepository,
} from '@civicgrid/core';
import type { Database } from '../schema.js';
import type {
  ImGroupsTable,
  ResidentOtpCodesTable,
  ResidentReportsTable,
  ResidentTables,
} from '../schema-residents.js';
import { bool, int, prefixPattern } from './util.js';

const otpOf = (r: ResidentOtpCodesTable): OtpCodeRow => ({
  id: r.id,
  phone: r.phone,
  codeHash: r.code_hash,
  salt: r.salt,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  attempts: Number(r.attempts),
  consumedAt: r.consumed_at,
});

const reportOf = (r: ResidentReportsTable): ResidentReportRow => ({
  trackingCode: r.tracking_code,
  caseId: r.case_id,
  reportId: r.report_id,
  userId: r.user_id,
  gridCode: r.grid_code,
  source: r.source as ResidentReportSource,
  createdAt: r.created_at,
  ratedAt: r.rated_at,
  satisfaction: r.satisfaction,
});

const groupOf = (r: ImGroupsTable): ImGroupRow => ({
  id: r.id,
  platform: r.platform,
  groupId: r.group_id,
  gridCode: r.grid_code,
  unitPath: r.unit_path,
  botName: r.bot_name,
  isActive: bool(Number(r.is_active)),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** One-time codes, resident reports with tracking codes, IM group mappings. */
export function residentRepository(kysely: Kysely<Database>): ResidentRepository {
  // the resident tables live in their own interface until they are merged into Database
  const db = kysely as unknown as Kysely<Database & ResidentTables>;
  return {
    async insertOtp(row, slot) {
      const r = await db
        .insertInto('resident_otp_codes')
        .values({
          id: row.id,
          phone: row.phone,
          code_hash: row.codeHash,
          salt: row.salt,
          send_slot: slot,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
          attempts: row.attempts,
          consumed_at: row.consumedAt,
        })
        .onConflict((oc) => oc.columns(['phone', 'send_slot']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
    async otpHistory(phone, since) {
      const r = await db
        .selectFrom('resident_otp_codes')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.max('created_at').as('last_at'),
          eb.fn.min('created_at').as('first_at'),
        ])
        .where('phone', '=', phone)
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow();
      return { count: Number(r.n), lastAt: r.last_at ?? null, firstAt: r.first_at ?? null };
    },
    async latestOtp(phone) {
      const r = await db
        .selectFrom('resident_otp_codes')
        .selectAll()
        .where('phone', '=', phone)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && otpOf(r);
    },
    async claimOtpAttempt(id, max) {
      // one statement: parallel guesses each take their own attempt, none beyond the maximum
      const r = await db
        .updateTable('resident_otp_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('attempts', '<', max)
        .returning('attempts')
        .executeTakeFirst();
      return r ? Number(r.attempts) : null;
    },
    async consumeOtp(id, at) {
      const r = await db
        .updateTable('resident_otp_codes')
        .set({ consumed_at: at })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async purgeOtps(before, phone) {
      let q = db.deleteFrom('resident_otp_codes').where('created_at', '<', before);
      if (phone !== undefined) q = q.where('phone', '=', phone);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async findResidentIdByPhone(phone) {
      const r = await db
        .selectFrom('users')
        .select('id')
        .where('phone', '=', phone)
        .where('role', '=', 'resident')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return r?.id;
    },

    async insertReport(row) {
      const r = await db
        .insertInto('resident_reports')
        .values({
          tracking_code: row.trackingCode,
          case_id: row.caseId,
          report_id: row.reportId,
          user_id: row.userId,
          grid_code: row.gridCode,
          source: row.source,
          created_at: row.createdAt,
          rated_at: row.ratedAt,
          satisfaction: row.satisfaction,
        })
        .onConflict((oc) => oc.column('tracking_code').doNothing())
        .returning('tracking_code')
        .executeTakeFirst();
      return r !== undefined;
    },
    async findReport(trackingCode) {
      const r = await db
        .selectFrom('resident_reports')
        .selectAll()
        .where('tracking_code', '=', trackingCode)
        .executeTakeFirst();
      return r && reportOf(r);
    },
    async findReportByReportId(reportId) {
      const r = await db
        .selectFrom('resident_reports')
        .selectAll()
        .where('report_id', '=', reportId)
        .executeTakeFirst();
      return r && reportOf(r);
    },
    async listReportsOf(userId, limit, before) {
      let q = db.selectFrom('resident_reports').selectAll().where('user_id', '=', userId);
      if (before)
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', before.createdAt),
            eb.and([eb('created_at', '=', before.createdAt), eb('tracking_code', '<', before.trackingCode)]),
          ]),
        );
      const rows = await q
        .orderBy('created_at', 'desc')
        .orderBy('tracking_code', 'desc')
        .limit(limit)
        .execute();
      return rows.map(reportOf);
    },
    async claimRating(trackingCode, closedAt, at, satisfaction) {
      const r = await db
        .updateTable('resident_reports')
        .set({ rated_at: at, satisfaction })
        .where('tracking_code', '=', trackingCode)
        .where((eb) => eb.or([eb('rated_at', 'is', null), eb('rated_at', '<', closedAt)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async restoreRating(trackingCode, previous) {
      await db
        .updateTable('resident_reports')
        .set({ rated_at: previous.ratedAt, satisfaction: previous.satisfaction })
        .where('tracking_code', '=', trackingCode)
        .execute();
    },

    async saveImGroup(g) {
      const values = {
        id: g.id,
        platform: g.platform,
        group_id: g.groupId,
        grid_code: g.gridCode,
        unit_path: g.unitPath,
        bot_name: g.botName,
        is_active: int(g.isActive),
        created_by: g.createdBy,
        created_at: g.createdAt,
        updated_at: g.updatedAt,
      };
      const r = await db
        .insertInto('im_groups')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['platform', 'group_id']).doUpdateSet({
            grid_code: values.grid_code,
            unit_path: values.unit_path,
            bot_name: values.bot_name,
            is_active: values.is_active,
            updated_at: values.updated_at,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return groupOf(r);
    },
    async findImGroup(platform, groupId) {
      const r = await db
        .selectFrom('im_groups')
        .selectAll()
        .where('platform', '=', platform)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      return r && groupOf(r);
    },
    async listImGroups(scopePrefix, limit) {
      const rows = await db
        .selectFrom('im_groups')
        .selectAll()
        .where('unit_path', 'like', prefixPattern(scopePrefix))
        .orderBy('grid_code')
        .orderBy('platform')
        .orderBy('group_id')
        .limit(limit)
        .execute();
      return rows.map(groupOf);
    },
  };
}
