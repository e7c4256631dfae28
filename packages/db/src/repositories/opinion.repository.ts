import type { Kysely } from 'kysely';
import type {
  OpinionObservationRow,
  OpinionPostRow,
  OpinionRepository,
  WarningRow,
  WatchlistRow,
} from '@civicgrid/core';
import type { Database } from '../schema.js';
import type {
  EarlyWarningsTable,
  OpinionPostsTable,
  OpinionTables,
  WatchlistsTable,
} from '../schema-opinion.js';
import { bool, chunked, int, prefixPattern } from './util.js';

const postOf = (r: OpinionPostsTable, topics: string[]): OpinionPostRow => ({
  id: r.id,
  source: r.source as OpinionPostRow['source'],
  url: r.url,
  authorHandle: r.author_handle,
  title: r.title,
  text: r.text,
  postedAt: r.posted_at,
  engagement: {
    likes: Number(r.likes),
    comments: Number(r.comments),
    shares: Number(r.shares),
    views: Number(r.views),
    against: Number(r.against),
  },
  unitCode: r.unit_code,
  unitPath: r.unit_path,
  negativity: Number(r.negativity),
  heat: Number(r.heat),
  topics,
  ingestedAt: r.ingested_at,
  ingestedBy: r.ingested_by,
});

const watchlistOf = (r: WatchlistsTable): WatchlistRow => ({
  id: r.id,
  topic: r.topic,
  unitCode: r.unit_code,
  terms: JSON.parse(r.terms) as string[],
  excludeTerms: JSON.parse(r.exclude_terms) as string[],
  isActive: bool(Number(r.is_active)),
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

const warningOf = (r: EarlyWarningsTable): WarningRow => ({
  id: r.id,
  topic: r.topic,
  unitCode: r.unit_code,
  unitPath: r.unit_path,
  status: r.status as WarningRow['status'],
  level: r.level as WarningRow['level'],
  windowStart: r.window_start,
  windowEnd: r.window_end,
  peakCount: Number(r.peak_count),
  baseline: Number(r.baseline),
  score: Number(r.score),
  spikeCount: Number(r.spike_count),
  evidencePostIds: JSON.parse(r.evidence_post_ids) as string[],
  caseId: r.case_id,
  dismissReason: r.dismiss_reason,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  openedAt: r.opened_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

/** The columns of a warning that change after it is opened. */
const warningChanges = (w: WarningRow) => ({
  status: w.status,
  level: w.level,
  window_start: w.windowStart,
  window_end: w.windowEnd,
  peak_count: w.peakCount,
  baseline: w.baseline,
  score: w.score,
  spike_count: w.spikeCount,
  evidence_post_ids: JSON.stringify(w.evidencePostIds),
  case_id: w.caseId,
  dismiss_reason: w.dismissReason,
  decided_by: w.decidedBy,
  decided_at: w.decidedAt,
  updated_at: w.updatedAt,
  version: w.version,
});

const POST_COLUMNS = 18;

/** Posts, topics, watchlists, early warnings and the detector's marks of the opinion line (舆情). */
export function opinionRepository(kysely: Kysely<Database>): OpinionRepository {
  // the opinion tables live in their own interface until they are merged into Database
  const db = kysely as unknown as Kysely<OpinionTables>;

  async function topicsOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom('opinion_post_topics')
      .select(['post_id', 'topic'])
      .where('post_id', 'in', [...ids])
      .orderBy('topic')
      .execute();
    for (const r of rows) out.set(r.post_id, [...(out.get(r.post_id) ?? []), r.topic]);
    return out;
  }

  async function withTopics(rows: OpinionPostsTable[]): Promise<OpinionPostRow[]> {
    const topics = await topicsOf(rows.map((r) => r.id));
    return rows.map((r) => postOf(r, topics.get(r.id) ?? []));
  }

  return {
    async insertPosts(posts) {
      const inserted: string[] = [];
      await chunked([...posts], POST_COLUMNS, async (chunk) => {
        const rows = await db
          .insertInto('opinion_posts')
          .values(
            chunk.map((p) => ({
              id: p.id,
              source: p.source,
              url: p.url,
              author_handle: p.authorHandle,
              title: p.title,
              text: p.text,
              posted_at: p.postedAt,
              likes: p.engagement.likes,
              comments: p.engagement.comments,
              shares: p.engagement.shares,
              views: p.engagement.views,
              against: p.engagement.against,
              unit_code: p.unitCode,
              unit_path: p.unitPath,
              negativity: p.negativity,
              heat: p.heat,
              ingested_at: p.ingestedAt,
              ingested_by: p.ingestedBy,
            })),
          )
          // a post stored before (same source and URL) is skipped, not an error
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .execute();
        for (const r of rows) inserted.push(r.id);
      });
      const fresh = new Set(inserted);
      const topics = posts
        .filter((p) => fresh.has(p.id))
        .flatMap((p) =>
          p.topics.map((topic) => ({
            post_id: p.id,
            topic,
            unit_code: p.unitCode,
            unit_path: p.unitPath,
            posted_at: p.postedAt,
            author_handle: p.authorHandle,
          })),
        );
      await chunked(topics, 6, (chunk) => db.insertInto('opinion_post_topics').values(chunk).execute());
      return inserted;
    },

    async findPostsByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('opinion_posts')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return withTopics(rows);
    },

    async listPosts(f) {
      let q = db
        .selectFrom('opinion_posts as p')
        .selectAll('p')
        .where('p.unit_path', 'like', prefixPattern(f.scopePrefix));
      if (f.topic !== undefined) {
        const topic = f.topic;
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('opinion_post_topics as t')
              .select('t.post_id')
              .whereRef('t.post_id', '=', 'p.id')
              .where('t.topic', '=', topic),
          ),
        );
      }
      if (f.from !== undefined) q = q.where('p.posted_at', '>=', f.from);
      if (f.to !== undefined) q = q.where('p.posted_at', '<', f.to);
      if (f.before) {
        const b = f.before;
        q = q.where((eb) =>
          eb.or([
            eb('p.posted_at', '<', b.postedAt),
            eb.and([eb('p.posted_at', '=', b.postedAt), eb('p.id', '<', b.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('p.posted_at', 'desc').orderBy('p.id', 'desc').limit(f.limit).execute();
      return withTopics(rows);
    },

    async earliestPostAt() {
      const r = await db
        .selectFrom('opinion_posts')
        .select((eb) => eb.fn.min('posted_at').as('first'))
        .executeTakeFirst();
      return (r?.first as string | null | undefined) ?? null;
    },

    async windowCounts(from, to) {
      const rows = await db
        .selectFrom('opinion_post_topics')
        .select((eb) => ['topic', 'unit_path', eb.fn.countAll<number>().as('posts')])
        .where('posted_at', '>=', from)
        .where('posted_at', '<', to)
        .groupBy(['topic', 'unit_path'])
        .execute();
      return rows.map((r) => ({ topic: r.topic, unitPath: r.unit_path, posts: Number(r.posts) }));
    },

    async observations(topics, from, to) {
      if (topics.length === 0) return [];
      const rows = await db
        .selectFrom('opinion_post_topics as t')
        .innerJoin('opinion_posts as p', 'p.id', 't.post_id')
        .select([
          't.post_id',
          't.topic',
          't.unit_code',
          't.unit_path',
          't.posted_at',
          't.author_handle',
          'p.negativity',
          'p.likes',
          'p.comments',
          'p.shares',
          'p.views',
          'p.against',
        ])
        .where('t.topic', 'in', [...topics])
        .where('t.posted_at', '>=', from)
        .where('t.posted_at', '<', to)
        .orderBy('t.posted_at')
        .orderBy('t.post_id')
        .orderBy('t.topic')
        .execute();
      return rows.map((r): OpinionObservationRow => ({
        postId: r.post_id,
        topic: r.topic,
        unitCode: r.unit_code,
        unitPath: r.unit_path,
        postedAt: r.posted_at,
        authorHandle: r.author_handle,
        negativity: Number(r.negativity),
        engagement: {
          likes: Number(r.likes),
          comments: Number(r.comments),
          shares: Number(r.shares),
          views: Number(r.views),
          against: Number(r.against),
        },
      }));
    },

    async listWatchlists() {
      const rows = await db.selectFrom('watchlists').selectAll().orderBy('id').execute();
      return rows.map(watchlistOf);
    },
    async findWatchlist(id) {
      const r = await db.selectFrom('watchlists').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? watchlistOf(r) : undefined;
    },
    async insertWatchlist(w) {
      await db.insertInto('watchlists').values(watchlistRow(w)).execute();
    },
    async insertWatchlistsIfAbsent(ws) {
      if (ws.length === 0) return 0;
      const rows = await db
        .insertInto('watchlists')
        .values(ws.map(watchlistRow))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      return rows.length;
    },
    async updateWatchlist(id, patch) {
      await db
        .updateTable('watchlists')
        .set({
          ...(patch.terms && { terms: JSON.stringify(patch.terms) }),
          ...(patch.excludeTerms && { exclude_terms: JSON.stringify(patch.excludeTerms) }),
          ...(patch.isActive !== undefined && { is_active: int(patch.isActive) }),
          updated_by: patch.updatedBy,
          updated_at: patch.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },

    async findWarning(id) {
      const r = await db.selectFrom('early_warnings').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? warningOf(r) : undefined;
    },
    async findOpenWarning(topic, unitCode) {
      const r = await db
        .selectFrom('early_warnings')
        .selectAll()
        .where('topic', '=', topic)
        .where('unit_code', '=', unitCode)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return r ? warningOf(r) : undefined;
    },
    async recentDismissed(topic, unitCode, since) {
      const rows = await db
        .selectFrom('early_warnings')
        .selectAll()
        .where('topic', '=', topic)
        .where('unit_code', '=', unitCode)
        .where('status', '=', 'dismissed')
        .where('decided_at', '>=', since)
        .orderBy('decided_at')
        .execute();
      return rows.map(warningOf);
    },
    async insertWarning(w) {
      await db
        .insertInto('early_warnings')
        .values({
          id: w.id,
          topic: w.topic,
          unit_code: w.unitCode,
          unit_path: w.unitPath,
          opened_at: w.openedAt,
          ...warningChanges(w),
        })
        .execute();
    },
    async updateWarning(w, expectedVersion) {
      const r = await db
        .updateTable('early_warnings')
        .set(warningChanges(w))
        .where('id', '=', w.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async listWarnings(f) {
      let q = db
        .selectFrom('early_warnings')
        .selectAll()
        .where('unit_path', 'like', prefixPattern(f.scopePrefix));
      if (f.status !== undefined) q = q.where('status', '=', f.status);
      if (f.topic !== undefined) q = q.where('topic', '=', f.topic);
      if (f.before) {
        const b = f.before;
        q = q.where((eb) =>
          eb.or([
            eb('opened_at', '<', b.openedAt),
            eb.and([eb('opened_at', '=', b.openedAt), eb('id', '<', b.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map(warningOf);
    },

    async getState(key) {
      const r = await db
        .selectFrom('opinion_state')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      return r?.value;
    },
    async claimState(key, expected, next, now) {
      if (expected === null) {
        const rows = await db
          .insertInto('opinion_state')
          .values({ key, value: next, updated_at: now })
          .onConflict((oc) => oc.column('key').doNothing())
          .returning('key')
          .execute();
        return rows.length === 1;
      }
      const r = await db
        .updateTable('opinion_state')
        .set({ value: next, updated_at: now })
        .where('key', '=', key)
        .where('value', '=', expected)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

function watchlistRow(w: WatchlistRow): WatchlistsTable {
  return {
    id: w.id,
    topic: w.topic,
    unit_code: w.unitCode,
    terms: JSON.stringify(w.terms),
    exclude_terms: JSON.stringify(w.excludeTerms),
    is_active: int(w.isActive),
    updated_by: w.updatedBy,
    updated_at: w.updatedAt,
  };
}
