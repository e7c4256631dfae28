import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

/**
 * Around the loop: joint handlings (联合处置), the ledger's check-off history (销号), attachments
 * (photos and files) and outgoing webhooks with their delivery log.
 */
export async function up(db: Kysely<unknown>, d: DialectHelpers): Promise<void> {
  // repeat petitions (重复访) are found by the petitioner's phone
  await db.schema
    .createIndex('reports_petitioner_idx')
    .on('reports')
    .columns(['channel', 'reporter_phone', 'received_at'])
    .where(sql.ref('reporter_phone'), 'is not', null)
    .execute();
  await db.schema
    .createTable('joint_handlings')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('joint_no', 'integer', (c) => c.notNull())
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('convened_by', 'varchar(36)')
    .addColumn('convened_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('meets_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('place', 'varchar(200)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(500)')
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('resolved', 'integer')
    .addColumn('recorded_by', 'varchar(36)')
    .addColumn('recorded_at', 'varchar(30)')
    .addUniqueConstraint('joint_handlings_no_uq', ['case_id', 'joint_no'])
    .execute();
  await d.prefixIndex(db, 'joint_handlings_path_idx', 'joint_handlings', 'unit_path');

  await db.schema
    .createTable('ledger_checkoffs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('item_kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('joint_no', 'integer')
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('checked_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('checked_by', 'varchar(36)')
    .addColumn('note', 'varchar(2000)')
    .execute();
  await d.prefixIndex(db, 'ledger_checkoffs_path_idx', 'ledger_checkoffs', 'unit_path');
  await db.schema
    .createIndex('ledger_checkoffs_at_idx')
    .on('ledger_checkoffs')
    .column('checked_at')
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.references('cases.id'))
    .addColumn('uploaded_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('uploaded_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('mime', 'varchar(40)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('storage_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('thumb_name', 'varchar(100)')
    .addColumn('original_name', 'varchar(200)')
    .execute();
  await db.schema.createIndex('attachments_case_idx').on('attachments').column('case_id').execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('department_id', 'varchar(36)', (c) => c.references('departments.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('url', 'varchar(2000)', (c) => c.notNull())
    .addColumn('secret', 'varchar(200)', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('webhook_id', 'varchar(36)', (c) => c.notNull().references('webhooks.id'))
    .addColumn('event', 'varchar(40)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'varchar(30)')
    .addColumn('claimed_until', 'varchar(30)')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('delivered_at', 'varchar(30)')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .column('next_attempt_at')
    .where(sql<boolean>`status = 'pending'`)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_hook_idx')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('delivery_id', 'varchar(36)', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'varchar(500)')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('snippet', 'varchar(4096)')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery_idx')
    .on('webhook_attempts')
    .column('delivery_id')
    .execute();
}
