import type {
  OpinionService,
  Priority,
  WarningStatus,
  WatchlistInput,
  WatchlistPatch,
} from '@civicgrid/core';
import type { Handler } from '../http/register.js';

/** The opinion line (舆情): posts in, watchlists, early warnings and their decisions. */
export function opinionRoutes(s: { opinion: OpinionService }) {
  const ingestOpinionPosts: Handler = async ({ actor, body, ctx }) =>
    s.opinion.ingest(actor!, (body as { posts: unknown[] }).posts, ctx);
  const importOpinionPosts: Handler = async ({ actor, body, ctx }) => {
    const b = body as { content: string; skipBad?: boolean };
    return s.opinion.importFile(actor!, b.content, ctx, { skipBad: b.skipBad ?? false });
  };
  const listOpinionPosts: Handler = async ({ actor, query: q }) =>
    s.opinion.listPosts(actor!, {
      ...(q.topic !== undefined && { topic: q.topic as string }),
      ...(q.from !== undefined && { from: q.from as string }),
      ...(q.to !== undefined && { to: q.to as string }),
      limit: q.limit as number,
      ...(q.after !== undefined && { after: q.after as string }),
    });
  const listOpinionWatchlists: Handler = async ({ actor }) => ({
    items: await s.opinion.listWatchlists(actor!),
  });
  const createOpinionWatchlist: Handler = async ({ actor, body, ctx }) =>
    s.opinion.createWatchlist(actor!, body as WatchlistInput, ctx);
  const updateOpinionWatchlist: Handler = async ({ actor, params, body, ctx }) =>
    s.opinion.updateWatchlist(actor!, params.id as string, body as WatchlistPatch, ctx);
  const listOpinionWarnings: Handler = async ({ actor, query: q }) =>
    s.opinion.listWarnings(actor!, {
      ...(q.status !== undefined && { status: q.status as WarningStatus }),
      ...(q.topic !== undefined && { topic: q.topic as string }),
      limit: q.limit as number,
      ...(q.after !== undefined && { after: q.after as string }),
    });
  const getOpinionWarning: Handler = async ({ actor, params }) =>
    s.opinion.getWarning(actor!, params.id as string);
  const confirmOpinionWarning: Handler = async ({ actor, params, body, ctx }) =>
    s.opinion.confirm(actor!, params.id as string, body as { category?: string; priority?: Priority }, ctx);
  const dismissOpinionWarning: Handler = async ({ actor, params, body, ctx }) =>
    s.opinion.dismiss(actor!, params.id as string, (body as { reason: string }).reason, ctx);
  const detectOpinionSpikes: Handler = async ({ actor, ctx }) => s.opinion.detectNow(actor!, ctx);
  // a retry after a crash between commit and response: ingest, import and create committed their
  // response in their transaction; a confirmation finishes linking (the case may be all that was
  // committed); a dismissal answers the warning as it now stands
  ingestOpinionPosts.replayCommitted = async (_input, stored) => stored;
  importOpinionPosts.replayCommitted = async (_input, stored) => stored;
  createOpinionWatchlist.replayCommitted = async (_input, stored) => stored;
  confirmOpinionWarning.replayCommitted = async ({ actor, params, body, ctx }) =>
    s.opinion.resumeConfirm(
      actor!,
      params.id as string,
      body as { category?: string; priority?: Priority },
      ctx,
    );
  dismissOpinionWarning.replayCommitted = async ({ actor, params }) =>
    s.opinion.getWarning(actor!, params.id as string);
  return {
    ingestOpinionPosts,
    importOpinionPosts,
    listOpinionPosts,
    listOpinionWatchlists,
    createOpinionWatchlist,
    updateOpinionWatchlist,
    listOpinionWarnings,
    getOpinionWarning,
    confirmOpinionWarning,
    dismissOpinionWarning,
    detectOpinionSpikes,
  } satisfies Record<string, Handler>;
}
