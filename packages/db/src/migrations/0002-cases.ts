import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

/** The closed loop: cases, their reports and timelines, timers, inbox, idempotency keys. */
export async function up(db: Kysely<unknown>, d: DialectHelpers): Promise<void> {
  // exactly one active leader, instructor and worker per grid (1+1+1), whatever writes race
  await db.schema
    .createIndex('staff_one_holder_uq')
    .on('staff')
    .columns(['unit_id', 'role'])
    .unique()
    .where(sql<boolean>`is_active = 1 and role in ('gridLeader', 'gridInstructor', 'gridWorker')`)
    .execute();
  // scope filters are `path LIKE 'prefix%'`: PostgreSQL needs pattern ops outside the C locale
  await d.prefixIndex(db, 'units_path_prefix_idx', 'units', 'path');
  await db.schema
    .createTable('categories')
    .addColumn('code', 'varchar(12)', (c) => c.primaryKey())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('parent_code', 'varchar(12)')
    .addColumn('path', 'varchar(300)', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_number_seq')
    .addColumn('day', 'varchar(8)', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('number', 'varchar(24)', (c) => c.notNull().unique())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'varchar(10)', (c) => c.notNull())
    .addColumn('category_code', 'varchar(12)')
    .addColumn('summary', 'varchar(300)', (c) => c.notNull())
    .addColumn('channel', 'varchar(20)', (c) => c.notNull())
    .addColumn('lng', d.real)
    .addColumn('lat', d.real)
    .addColumn('address', 'varchar(300)')
    .addColumn('grid_id', 'varchar(36)', (c) => c.references('units.id'))
    .addColumn('unit_id', 'varchar(36)', (c) => c.notNull().references('units.id'))
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('handler_kind', 'varchar(12)')
    .addColumn('handler_user_id', 'varchar(36)')
    .addColumn('handler_unit_id', 'varchar(36)')
    .addColumn('handler_department_id', 'varchar(36)')
    .addColumn('dispatcher_unit_id', 'varchar(36)')
    .addColumn('escalation', 'varchar(12)', (c) => c.notNull())
    .addColumn('supervision', 'varchar(8)', (c) => c.notNull())
    .addColumn('is_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accept_due_at', 'varchar(30)')
    .addColumn('handle_due_at', 'varchar(30)')
    .addColumn('feedback_due_at', 'varchar(30)')
    .addColumn('repeat_of', 'varchar(36)')
    .addColumn('merged_into', 'varchar(36)')
    .addColumn('report_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(30)')
    .execute();
  await db.schema.createIndex('cases_scope_idx').on('cases').columns(['unit_path', 'status']).execute();
  await d.prefixIndex(db, 'cases_path_prefix_idx', 'cases', 'unit_path');
  await db.schema.createIndex('cases_status_idx').on('cases').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('cases_handler_user_idx').on('cases').column('handler_user_id').execute();
  await db.schema.createIndex('cases_handler_unit_idx').on('cases').column('handler_unit_id').execute();
  await db.schema.createIndex('cases_handler_dept_idx').on('cases').column('handler_department_id').execute();

  await db.schema
    .createTable('case_departments')
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('department_id', 'varchar(36)', (c) => c.notNull().references('departments.id'))
    .addColumn('role', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_departments_pk', ['case_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('case_departments_dept_idx')
    .on('case_departments')
    .column('department_id')
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('channel', 'varchar(20)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(64)')
    .addColumn('reporter_name', 'varchar(100)')
    .addColumn('reporter_phone', 'varchar(20)')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lng', d.real)
    .addColumn('lat', d.real)
    .addColumn('address', 'varchar(300)')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('received_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_case_idx').on('reports').column('case_id').execute();
  await db.schema
    .createIndex('reports_external_uq')
    .on('reports')
    .columns(['channel', 'external_id'])
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_role', 'varchar(30)')
    .addColumn('action', 'varchar(30)', (c) => c.notNull())
    .addColumn('from_status', 'varchar(20)')
    .addColumn('to_status', 'varchar(20)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_events_version_uq', ['case_id', 'version'])
    .execute();

  await db.schema
    .createTable('timers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('fired_at', 'varchar(30)')
    .addColumn('cancelled_at', 'varchar(30)')
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('claimed_until', 'varchar(30)')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  // the scheduler scans only pending timers, in due order
  await db.schema
    .createIndex('timers_pending_idx')
    .on('timers')
    .column('due_at')
    .where(sql<boolean>`fired_at is null and cancelled_at is null`)
    .execute();
  await db.schema.createIndex('timers_case_idx').on('timers').column('case_id').execute();

  await db.schema
    .createTable('inbox')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)')
    .addColumn('unit_id', 'varchar(36)')
    .addColumn('department_id', 'varchar(36)')
    .addColumn('case_id', 'varchar(36)', (c) => c.references('cases.id'))
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('read_at', 'varchar(30)')
    .execute();
  await db.schema.createIndex('inbox_user_idx').on('inbox').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('inbox_unit_idx').on('inbox').columns(['unit_id', 'created_at']).execute();
  await db.schema
    .createIndex('inbox_dept_idx')
    .on('inbox')
    .columns(['department_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('actor', 'varchar(64)', (c) => c.notNull())
    .addColumn('key', 'varchar(200)', (c) => c.notNull())
    .addColumn('route', 'varchar(200)', (c) => c.notNull())
    .addColumn('body_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_created_idx')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
}
