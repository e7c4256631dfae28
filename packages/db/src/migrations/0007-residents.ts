import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

/**
 * The resident line (一群通办): one-time codes sent by SMS (only their salted hash), resident
 * reports with their tracking codes (查询码), and IM groups mapped to grids. Residents are found
 * by their phone number at login (users_phone_idx exists since 0001).
 */
export async function up(db: Kysely<unknown>, d: DialectHelpers): Promise<void> {
  await db.schema
    .createTable('resident_otp_codes')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('phone', 'varchar(20)', (c) => c.notNull())
    .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
    .addColumn('salt', 'varchar(64)', (c) => c.notNull())
    // minutes since the epoch: one code per phone per slot, so parallel requests cannot both send
    .addColumn('send_slot', d.bigint, (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consumed_at', 'varchar(30)')
    .addUniqueConstraint('resident_otp_codes_slot_uq', ['phone', 'send_slot'])
    .execute();
  await db.schema
    .createIndex('resident_otp_codes_phone_idx')
    .on('resident_otp_codes')
    .columns(['phone', 'created_at'])
    .execute();
  await db.schema
    .createIndex('resident_otp_codes_created_idx')
    .on('resident_otp_codes')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('resident_reports')
    .addColumn('tracking_code', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('report_id', 'varchar(36)', (c) => c.notNull().unique().references('reports.id'))
    .addColumn('user_id', 'varchar(36)', (c) => c.references('users.id'))
    .addColumn('grid_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('source', 'varchar(8)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('rated_at', 'varchar(30)')
    .addColumn('satisfaction', 'varchar(24)')
    .execute();
  await db.schema
    .createIndex('resident_reports_user_idx')
    .on('resident_reports')
    .columns(['user_id', 'created_at', 'tracking_code'])
    .where(sql.ref('user_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('resident_reports_case_idx').on('resident_reports').column('case_id').execute();

  await db.schema
    .createTable('im_groups')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('platform', 'varchar(32)', (c) => c.notNull())
    .addColumn('group_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('grid_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('bot_name', 'varchar(50)')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addUniqueConstraint('im_groups_platform_group_uq', ['platform', 'group_id'])
    .execute();
  await db.schema
    .createIndex('im_groups_scope_idx')
    .on('im_groups')
    .columns(['unit_path', 'platform', 'group_id'])
    .execute();
  await d.prefixIndex(db, 'im_groups_path_prefix_idx', 'im_groups', 'unit_path');
}
