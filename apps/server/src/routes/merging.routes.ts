import type { MergeService, ProposalStatus } from '@civicgrid/core';
import type { Handler } from '../http/register.js';

/** One problem, one case (一事一案): merge proposals, their decision, undo, hot spots. */
export function mergingRoutes(s: { merging: MergeService }) {
  const listMergeProposals: Handler = async ({ actor, query: q }) =>
    s.merging.listProposals(actor!, {
      scope: q.scope as string | undefined,
      status: q.status as ProposalStatus,
      limit: q.limit as number,
      before: q.before as string | undefined,
    });
  const acceptMergeProposal: Handler = async ({ actor, params, ctx }) =>
    s.merging.decideProposal(actor!, params.id as string, 'accept', ctx);
  const rejectMergeProposal: Handler = async ({ actor, params, body, ctx }) =>
    s.merging.decideProposal(actor!, params.id as string, 'reject', ctx, (body as { note?: string }).note);
  const unmergeReport: Handler = async ({ actor, params, ctx }) =>
    s.merging.unmerge(actor!, params.id as string, ctx);
  const listHotSpots: Handler = async ({ actor, query }) =>
    s.merging.hotSpots(actor!, query.community as string);
  // a retry after a crash between commit and response: the decision as it stands, the undo's result
  acceptMergeProposal.replayCommitted = async ({ actor, params }) =>
    s.merging.proposalOutcome(actor!, params.id as string);
  rejectMergeProposal.replayCommitted = acceptMergeProposal.replayCommitted;
  unmergeReport.replayCommitted = async (_input, stored) => stored;
  return {
    listMergeProposals,
    acceptMergeProposal,
    rejectMergeProposal,
    unmergeReport,
    listHotSpots,
  } satisfies Record<string, Handler>;
}
