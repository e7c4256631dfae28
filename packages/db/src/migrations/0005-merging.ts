import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

/**
 * One problem, one case (一事一案): the LSH index of open and recently closed cases (signatures
 * and band keys), merge proposals for operators, and the record of reports moved between cases
 * (so that a merge can be undone). Also the indexes of the window search and the hot-spot scan.
 */
export async function up(db: Kysely<unknown>, d: DialectHelpers): Promise<void> {
  await db.schema
    .createTable('case_signatures')
    .addColumn('case_id', 'varchar(36)', (c) => c.primaryKey().references('cases.id'))
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  // 32 rows per indexed case: no foreign key (the rows are derived, and removed with the case's
  // signature); on SQLite the table is its primary key (WITHOUT ROWID), one B-tree instead of two
  let bands = db.schema
    .createTable('case_bands')
    .addColumn('band_key', 'varchar(20)', (c) => c.notNull())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_bands_pk', ['band_key', 'case_id']);
  if (d.name === 'sqlite') bands = bands.modifyEnd(sql`without rowid`);
  await bands.execute();
  await db.schema.createIndex('case_bands_case_idx').on('case_bands').column('case_id').execute();

  await db.schema
    .createTable('merge_proposals')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('candidate_case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('score', d.real, (c) => c.notNull())
    .addColumn('parts', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('decided_at', 'varchar(30)')
    .addColumn('decided_by', 'varchar(36)')
    .addColumn('note', 'varchar(500)')
    .execute();
  await db.schema
    .createIndex('merge_proposals_case_idx')
    .on('merge_proposals')
    .columns(['case_id', 'status'])
    .execute();
  await db.schema
    .createIndex('merge_proposals_candidate_idx')
    .on('merge_proposals')
    .columns(['candidate_case_id', 'status'])
    .execute();
  await db.schema
    .createIndex('merge_proposals_list_idx')
    .on('merge_proposals')
    .columns(['status', 'created_at'])
    .execute();
  await d.prefixIndex(db, 'merge_proposals_path_idx', 'merge_proposals', 'unit_path');

  await db.schema
    .createTable('report_moves')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('report_id', 'varchar(36)', (c) => c.notNull().references('reports.id'))
    .addColumn('from_case_id', 'varchar(36)', (c) => c.references('cases.id'))
    .addColumn('to_case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('score', d.real)
    .addColumn('proposal_id', 'varchar(36)', (c) => c.references('merge_proposals.id'))
    .addColumn('origin_unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('origin_grid_id', 'varchar(36)')
    .addColumn('origin_category_code', 'varchar(12)')
    .addColumn('moved_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('moved_by', 'varchar(36)')
    .addColumn('undone_at', 'varchar(30)')
    .addColumn('undone_by', 'varchar(36)')
    .addColumn('undo_case_id', 'varchar(36)', (c) => c.references('cases.id'))
    .execute();
  await db.schema
    .createIndex('report_moves_report_idx')
    .on('report_moves')
    .columns(['report_id', 'moved_at'])
    .execute();
  await db.schema.createIndex('report_moves_to_idx').on('report_moves').column('to_case_id').execute();

  // the window search reads (unit_path = ?, created_at >= ?) ranges of this index and nothing else:
  // it covers every column the search needs before it reads a case's text
  const covered = ['status', 'closed_at', 'lng', 'lat', 'category_code', 'grid_id', 'id'];
  if (d.name === 'postgres') {
    await sql
      .raw(`CREATE INDEX cases_window_idx ON cases (unit_path, created_at) INCLUDE (${covered.join(', ')})`)
      .execute(db);
  } else {
    await db.schema
      .createIndex('cases_window_idx')
      .on('cases')
      .columns(['unit_path', 'created_at', ...covered])
      .execute();
  }
  // the hot-spot scan: the reports of the last days
  await db.schema.createIndex('reports_created_idx').on('reports').column('created_at').execute();
}
