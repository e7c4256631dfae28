/**
 * The public-opinion line (舆情) as use cases: posts come in by API or JSON-lines file, are placed
 * in a unit and scored, spikes raise early warnings (预警), and an operator confirms a warning into
 * a case (立案) or dismisses it with a reason. Composed of opinion-posts, opinion-watchlists,
 * opinion-warnings and opinion-detection.
 */
import type { Actor } from '../access/actor.js';
import { SYSTEM_ACTOR } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { NO_REQUEST } from '../shared/context.js';
import type { BoardPost } from './demo-feed.js';
import { buildDemoFeed, demoWatchlists } from './demo-feed.js';
import type { DetectionOptions } from './opinion-detection.js';
import { createOpinionDetector } from './opinion-detection.js';
import type { WatchlistRow } from './opinion-ports.js';
import type { IncomingPost } from './opinion-posts.js';
import { createPostService, firstOfEach } from './opinion-posts.js';
import { requireOpinionDetector } from './opinion.policy.js';
import { opinionRepo } from './opinion-store.js';
import type { OpinionIntake } from './opinion-warnings.js';
import { createWarningService } from './opinion-warnings.js';
import { createWatchlistService } from './opinion-watchlists.js';
import { checkPost } from './post.js';

export interface OpinionServiceOptions {
  /** The case service's intake: a confirmed warning becomes a case on the opinion line. */
  intake: OpinionIntake;
  detection?: Partial<DetectionOptions>;
}

/**
 * The demo detects over the last half year of its feed (older history is the baseline): the
 * board is quiet (~12 posts a day over all topics), and its last month (January 2020) quieter.
 */
export const DEMO_DETECTION_DAYS = 182;

/** The opinion line's use cases; `runDetection` is what the scheduler calls every few minutes. */
export function createOpinionService(deps: ServiceDeps, options: OpinionServiceOptions) {
  const { store, clock } = deps;
  const detector = createOpinionDetector(deps, options.detection);
  const posts = createPostService(deps);
  const warnings = createWarningService(deps, options.intake);
  const watchlists = createWatchlistService(deps);

  /** The demo's watchlists for units that exist (a partial district skips the others). */
  async function demoLists(now: Date): Promise<{ lists: WatchlistRow[]; known: Set<string> }> {
    const all = demoWatchlists();
    const codes = all.flatMap((w) => (w.unitCode === null ? [] : [w.unitCode]));
    const known = new Set((await store.repos.units.findManyByCodes(codes)).map((u) => u.code));
    const lists = all
      .filter((w) => w.unitCode === null || known.has(w.unitCode))
      .map((w) => ({
        ...w,
        excludeTerms: w.excludeTerms ?? [],
        isActive: true,
        updatedBy: null,
        updatedAt: now.toISOString(),
      }));
    return { lists, known };
  }

  return {
    runDetection: detector.runDetection,
    ingest: posts.ingest,
    importFile: posts.importFile,
    listPosts: posts.listPosts,
    listWarnings: warnings.list,
    getWarning: warnings.get,
    confirm: warnings.confirm,
    resumeConfirm: warnings.resumeConfirm,
    dismiss: warnings.dismiss,
    listWatchlists: watchlists.list,
    createWatchlist: watchlists.create,
    updateWatchlist: watchlists.update,

    /** Runs detection now (district staff and admins). */
    async detectNow(actor: Actor, ctx: RequestContext) {
      requireOpinionDetector(actor);
      return detector.runDetection(clock.now(), { actor, ctx });
    },

    /**
     * Loads the demo feed (rows of board-hot.jsonl, read by the caller) shifted to end in the week
     * before `now`, with the demo watchlists, then detects over its last half year. Safe to repeat:
     * stored posts and lists are skipped, detection resumes where it stopped.
     */
    async loadDemoFeed(rows: readonly BoardPost[], now: Date) {
      const { lists, known } = await demoLists(now);
      const watchlistsAdded = await store.transaction(async (tx) => {
        const n = await opinionRepo(tx).insertWatchlistsIfAbsent(lists);
        if (n)
          await audit(tx, deps, SYSTEM_ACTOR, NO_REQUEST, 'opinion.demo.watchlists', 'watchlist', null, {
            added: n,
          });
        return n;
      });
      const items: IncomingPost[] = [];
      for (const { id, ...post } of buildDemoFeed(rows, now)) {
        const unitCode = post.unitCode !== null && known.has(post.unitCode) ? post.unitCode : null;
        const checked = checkPost({ ...post, unitCode }, { now });
        if (checked.ok) items.push({ at: id, post: checked.post, id });
      }
      const prepared = await posts.prepare(SYSTEM_ACTOR, firstOfEach(items));
      const ready = prepared.flatMap((p) => (p.row ? [p.row] : []));
      const written = ready.length
        ? await posts.write(SYSTEM_ACTOR, NO_REQUEST, ready, 'opinion.demo.load', { via: 'demo' }, (r) => r)
        : { inserted: 0, duplicates: 0, topics: {} };
      const detection = await detector.runDetection(now, {
        firstRunFrom: new Date(now.getTime() - DEMO_DETECTION_DAYS * 86_400_000),
      });
      return { watchlists: watchlistsAdded, ...written, detection };
    },
  };
}

export type OpinionService = ReturnType<typeof createOpinionService>;
