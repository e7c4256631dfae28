import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

/**
 * The public-opinion line (舆情): posts with their place and scores, the topics each post counts
 * for, keyword watchlists, early warnings (预警) and the detector's marks.
 */
export async function up(db: Kysely<unknown>, d: DialectHelpers): Promise<void> {
  await db.schema
    .createTable('opinion_posts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('author_handle', 'varchar(100)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('likes', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('comments', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('shares', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('views', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('against', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('unit_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('negativity', d.real, (c) => c.notNull())
    .addColumn('heat', d.real, (c) => c.notNull())
    .addColumn('ingested_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('ingested_by', 'varchar(36)')
    // the same URL from the same source is one post, however often collectors deliver it
    .addUniqueConstraint('opinion_posts_source_url_uq', ['source', 'url'])
    .execute();
  await db.schema
    .createIndex('opinion_posts_posted_idx')
    .on('opinion_posts')
    .columns(['posted_at', 'id'])
    .execute();
  await db.schema
    .createIndex('opinion_posts_scope_idx')
    .on('opinion_posts')
    .columns(['unit_path', 'posted_at'])
    .execute();
  await d.prefixIndex(db, 'opinion_posts_path_prefix_idx', 'opinion_posts', 'unit_path');

  await db.schema
    .createTable('opinion_post_topics')
    .addColumn('post_id', 'varchar(36)', (c) => c.notNull().references('opinion_posts.id'))
    .addColumn('topic', 'varchar(40)', (c) => c.notNull())
    .addColumn('unit_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('posted_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('author_handle', 'varchar(100)', (c) => c.notNull())
    .addPrimaryKeyConstraint('opinion_post_topics_pk', ['post_id', 'topic'])
    .execute();
  await db.schema
    .createIndex('opinion_post_topics_series_idx')
    .on('opinion_post_topics')
    .columns(['topic', 'unit_code', 'posted_at'])
    .execute();
  await db.schema
    .createIndex('opinion_post_topics_posted_idx')
    .on('opinion_post_topics')
    .columns(['posted_at', 'topic'])
    .execute();

  await db.schema
    .createTable('watchlists')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('topic', 'varchar(40)')
    .addColumn('unit_code', 'varchar(15)')
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('exclude_terms', 'text', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('early_warnings')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('topic', 'varchar(40)', (c) => c.notNull())
    .addColumn('unit_code', 'varchar(15)', (c) => c.notNull())
    .addColumn('unit_path', 'varchar(100)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('level', 'varchar(8)', (c) => c.notNull())
    .addColumn('window_start', 'varchar(30)', (c) => c.notNull())
    .addColumn('window_end', 'varchar(30)', (c) => c.notNull())
    .addColumn('peak_count', 'integer', (c) => c.notNull())
    .addColumn('baseline', d.real, (c) => c.notNull())
    .addColumn('score', d.real, (c) => c.notNull())
    .addColumn('spike_count', 'integer', (c) => c.notNull())
    .addColumn('evidence_post_ids', 'text', (c) => c.notNull())
    .addColumn('case_id', 'varchar(36)')
    .addColumn('dismiss_reason', 'varchar(2000)')
    .addColumn('decided_by', 'varchar(36)')
    .addColumn('decided_at', 'varchar(30)')
    .addColumn('opened_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // at most one open warning per (topic, unit), whatever detection runs race
  await db.schema
    .createIndex('early_warnings_open_uq')
    .on('early_warnings')
    .columns(['topic', 'unit_code'])
    .unique()
    .where(sql<boolean>`status = 'open'`)
    .execute();
  await db.schema
    .createIndex('early_warnings_key_idx')
    .on('early_warnings')
    .columns(['topic', 'unit_code', 'decided_at'])
    .execute();
  await db.schema
    .createIndex('early_warnings_scope_idx')
    .on('early_warnings')
    .columns(['unit_path', 'opened_at'])
    .execute();
  await d.prefixIndex(db, 'early_warnings_path_prefix_idx', 'early_warnings', 'unit_path');
  await db.schema
    .createIndex('early_warnings_opened_idx')
    .on('early_warnings')
    .columns(['opened_at', 'id'])
    .execute();

  await db.schema
    .createTable('opinion_state')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(200)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
}
