/**
 * Posts in: checked (checkPost), placed in a unit (the collector's, else the best-matching unit
 * watchlist, else the district), scored (negativity, heat), tagged with topics and written with
 * their topics in one transaction. The same (source, url) is one post: re-sending is harmless.
 */
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { UnitRecord } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import type { FieldIssue } from '../shared/errors.js';
import { AppError, validationError } from '../shared/errors.js';
import type { OpinionPostRow } from './opinion-ports.js';
import { opinionUnitVisible, requireOpinionManager, requireOpinionReader } from './opinion.policy.js';
import { opinionRepo, pageCursor, pageLimit, readCursor, utcInstant } from './opinion-store.js';
import { postView } from './opinion-view.js';
import { classifyPost } from './pipeline.js';
import type { FieldError, OpinionPostInput } from './post.js';
import { checkPost, parsePostLines, postDedupeKey } from './post.js';
import { compileWatchlists } from './watchlist.js';

/** Posts per API call, and per JSON-lines file. */
export const OPINION_BATCH_MAX = 1000;
export const OPINION_IMPORT_MAX = 20_000;
/** How many issues an error lists (the count of bad lines is always given). */
const ISSUES_SHOWN = 200;

/** A checked post on its way in. */
export interface IncomingPost {
  /** Where errors point: `posts.3`, `lines.7`. */
  at: string;
  post: OpinionPostInput;
  /** A fixed id (the demo's); generated when absent. */
  id?: string;
}

export interface WriteCounts {
  inserted: number;
  duplicates: number;
  /** New posts per topic. */
  topics: Record<string, number>;
}

const issuesOf = (at: string, errors: readonly FieldError[]): FieldIssue[] =>
  errors.map((e) => ({ path: e.field === '$' ? at : `${at}.${e.field}`, reason: e.reason }));

/** Drops repeats of a (source, url) within one batch: the first one counts. */
export function firstOfEach<T extends { post: OpinionPostInput }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = postDedupeKey(i.post);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Taking posts in (API batch, JSON-lines file) and listing them. */
export function createPostService(deps: ServiceDeps) {
  const { store, clock } = deps;

  async function districtUnit(): Promise<UnitRecord> {
    const [district] = await store.repos.units.list({ scopePrefix: '/', level: 'district', limit: 1 });
    if (!district) throw new AppError('UNPROCESSABLE', 'no district is loaded: import the units first');
    return district;
  }

  /** Places and scores posts; an explicit unit must exist and lie in the caller's scope. */
  async function prepare(actor: Actor, items: readonly IncomingPost[]) {
    const lists = (await opinionRepo(store.repos).listWatchlists()).filter((w) => w.isActive);
    const compiled = compileWatchlists(lists);
    const codes = new Set<string>();
    for (const i of items) if (i.post.unitCode !== null) codes.add(i.post.unitCode);
    for (const l of lists) if (l.unitCode !== null) codes.add(l.unitCode);
    const units = new Map((await store.repos.units.findManyByCodes([...codes])).map((u) => [u.code, u]));
    const district = await districtUnit();
    const at = clock.now().toISOString();
    return items.map((item): { row: OpinionPostRow | null; issues: FieldIssue[] } => {
      const given = item.post.unitCode === null ? undefined : units.get(item.post.unitCode);
      // unknown and out-of-scope units read the same: the existence of a unit does not leak
      if (item.post.unitCode !== null && (!given || !opinionUnitVisible(actor, given.path)))
        return { row: null, issues: [{ path: `${item.at}.unitCode`, reason: 'unknown unit' }] };
      const id = item.id ?? deps.ids.next();
      const c = classifyPost({ ...item.post, id }, compiled, district.code);
      const unit = units.get(c.unitCode) ?? district;
      const row: OpinionPostRow = {
        ...item.post,
        id,
        unitCode: unit.code,
        unitPath: unit.path,
        negativity: c.negativity,
        heat: c.heat,
        topics: c.topics,
        ingestedAt: at,
        ingestedBy: actor.userId === 'system' ? null : actor.userId,
      };
      return { row, issues: [] };
    });
  }

  /**
   * Writes posts (skipping stored ones) with one audit row. The transaction returns the response
   * itself, so an Idempotency-Key replay after a crash answers exactly what was committed.
   */
  async function write<T>(
    actor: Actor,
    ctx: RequestContext,
    rows: readonly OpinionPostRow[],
    action: string,
    details: Record<string, unknown>,
    respond: (r: WriteCounts) => T,
  ): Promise<T> {
    return store.transaction(async (tx) => {
      const ids = await opinionRepo(tx).insertPosts(rows);
      await audit(tx, deps, actor, ctx, action, 'opinion_post', null, {
        ...details,
        received: rows.length,
        inserted: ids.length,
      });
      const fresh = new Set(ids);
      const topics: Record<string, number> = {};
      for (const r of rows) if (fresh.has(r.id)) for (const t of r.topics) topics[t] = (topics[t] ?? 0) + 1;
      return respond({ inserted: ids.length, duplicates: rows.length - ids.length, topics });
    });
  }

  return {
    prepare,
    write,

    /** Takes in a batch of posts (≤ 1000); all or nothing on errors, stored posts are skipped. */
    async ingest(actor: Actor, posts: readonly unknown[], ctx: RequestContext) {
      requireOpinionManager(actor);
      if (posts.length > OPINION_BATCH_MAX)
        throw validationError([{ path: 'posts', reason: `at most ${OPINION_BATCH_MAX} posts per call` }]);
      const now = clock.now();
      const issues: FieldIssue[] = [];
      const items: IncomingPost[] = [];
      posts.forEach((p, i) => {
        const checked = checkPost(p, { now });
        if (checked.ok) items.push({ at: `posts.${i}`, post: checked.post });
        else issues.push(...issuesOf(`posts.${i}`, checked.errors));
      });
      const prepared = issues.length ? [] : await prepare(actor, firstOfEach(items));
      for (const p of prepared) issues.push(...p.issues);
      if (issues.length) throw validationError(issues.slice(0, ISSUES_SHOWN), 'Some posts are invalid');
      const rows = prepared.flatMap((p) => (p.row ? [p.row] : []));
      return write(actor, ctx, rows, 'opinion.ingest', { via: 'api' }, (r) => ({
        received: posts.length,
        inserted: r.inserted,
        // repeats within the batch count as duplicates too
        duplicates: posts.length - r.inserted,
        topics: r.topics,
      }));
    },

    /**
     * Imports a JSON-lines file of posts. Atomic: one bad line and nothing is written, unless
     * `skipBad`, which imports the good lines and reports the bad ones.
     */
    async importFile(actor: Actor, content: string, ctx: RequestContext, opts: { skipBad?: boolean } = {}) {
      requireOpinionManager(actor);
      const parsed = parsePostLines(content, { now: clock.now() });
      const total = parsed.posts.length + parsed.rejected.length;
      if (total === 0) throw new AppError('IMPORT_INVALID', 'the file holds no posts');
      if (total > OPINION_IMPORT_MAX)
        throw new AppError('IMPORT_INVALID', `at most ${OPINION_IMPORT_MAX} posts per file`, {
          lines: total,
        });
      const rejected = parsed.rejected.map((r) => ({ line: r.line, errors: r.errors }));
      const items = parsed.posts.map((p) => ({ at: `lines.${p.line}`, post: p.post, line: p.line }));
      const prepared = await prepare(actor, items);
      prepared.forEach((p, i) => {
        if (p.issues.length)
          rejected.push({
            line: items[i]?.line ?? 0,
            errors: p.issues.map((x) => ({ field: x.path.split('.').slice(2).join('.'), reason: x.reason })),
          });
      });
      rejected.sort((a, b) => a.line - b.line);
      if (rejected.length && !opts.skipBad)
        throw new AppError('IMPORT_INVALID', `${rejected.length} line(s) are invalid: nothing was imported`, {
          rejectedLines: rejected.length,
          issues: rejected.flatMap((r) => issuesOf(`lines.${r.line}`, r.errors)).slice(0, ISSUES_SHOWN),
        });
      const rows = prepared.flatMap((p) => (p.row ? [p.row] : []));
      const respond = (r: WriteCounts) => ({
        lines: total,
        ...r,
        rejected: rejected.slice(0, ISSUES_SHOWN),
        rejectedLines: rejected.length,
      });
      if (rows.length === 0) return respond({ inserted: 0, duplicates: 0, topics: {} });
      return write(actor, ctx, rows, 'opinion.import', { via: 'file', rejected: rejected.length }, respond);
    },

    /** Posts placed in units in scope, newest first, optionally of one topic and time range. */
    async listPosts(
      actor: Actor,
      f: { topic?: string; from?: string; to?: string; limit?: number; after?: string } = {},
    ) {
      const scopePrefix = requireOpinionReader(actor);
      const limit = pageLimit(f.limit);
      const cursor = readCursor(f.after);
      const rows = await opinionRepo(store.repos).listPosts({
        scopePrefix,
        topic: f.topic,
        from: utcInstant(f.from, 'from'),
        to: utcInstant(f.to, 'to'),
        limit,
        before: cursor && { postedAt: cursor.at, id: cursor.id },
      });
      const last = rows.length === limit ? rows.at(-1) : undefined;
      return { items: rows.map(postView), nextCursor: last ? pageCursor(last.postedAt, last.id) : null };
    },
  };
}

export type PostService = ReturnType<typeof createPostService>;
