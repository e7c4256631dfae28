import { z } from 'zod';
import { UnitCode } from './common.js';
import type { RouteContract } from './routes.js';

/** One problem, one case (一事一案): merge proposals, their decision, undo, hot spots. */

const ProposalStatus = z.enum(['pending', 'accepted', 'rejected', 'obsolete']);

export const ScoreParts = z
  .object({
    text: z.number(),
    distance: z.number(),
    time: z.number(),
    category: z.number(),
    grid: z.number(),
  })
  .describe('evidence in [0, 1]; 0.5 = no evidence either way')
  .meta({ id: 'MergeScoreParts' });

const CaseBrief = z.object({
  id: z.string(),
  inScope: z.boolean().describe('false: the case lies outside your scope and only its id is shown'),
  number: z.string().nullable(),
  status: z.string().nullable(),
  summary: z.string().nullable().describe('personal data masked'),
  channel: z.string().nullable(),
  reportCount: z.number().int().nullable(),
  createdAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const MergeProposal = z
  .object({
    id: z.string(),
    status: ProposalStatus,
    score: z.number(),
    rank: z.number().int().describe('1 = the best candidate of its report'),
    parts: ScoreParts,
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    note: z.string().nullable(),
    case: CaseBrief.describe('the new case, which would be merged'),
    candidate: CaseBrief.describe('the existing case it would be merged into'),
  })
  .meta({ id: 'MergeProposal' });

export const MergeProposalQuery = z.object({
  scope: UnitCode.optional().describe('a unit of your scope: only proposals about its cases'),
  status: ProposalStatus.default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional().describe('nextCursor of the previous page'),
});

export const MergeProposalList = z.object({
  items: z.array(MergeProposal),
  nextCursor: z.string().nullable(),
});

export const MergeProposalIdParam = z.object({ id: z.string().min(1).max(64) });
export const ReportIdParam = z.object({ id: z.string().min(1).max(64) });

export const MergeRejectBody = z.object({ note: z.string().trim().max(500).optional() }).strict();

export const MergeDecisionResult = z
  .object({
    proposalId: z.string(),
    status: ProposalStatus,
    caseId: z.string().describe('the new case'),
    intoCaseId: z.string().nullable().describe('accepted: the case it was merged into'),
  })
  .meta({ id: 'MergeDecisionResult' });

export const UnmergeResult = z
  .object({
    reportId: z.string(),
    fromCaseId: z.string(),
    fromCaseNumber: z.string(),
    caseId: z.string().describe('the case the report belongs to now'),
    caseNumber: z.string(),
    createdCase: z.boolean().describe('true: a new case; false: back to the case it came from'),
  })
  .meta({ id: 'UnmergeResult' });

/** What intake adds to its result when merging decided something (IntakeResult.merge). */
export const IntakeMerge = z
  .object({
    outcome: z.enum(['joined', 'proposed']),
    score: z.number().describe('joined: the score of the case joined; proposed: the best score'),
    proposals: z.number().int().describe('proposed: how many candidates the operator will see'),
  })
  .meta({ id: 'IntakeMerge' });

export const HotSpotQuery = z.object({
  community: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit community code')
    .describe('the community whose hot spots to show'),
});

export const HotSpot = z
  .object({
    representativeReportId: z.string(),
    representativeText: z.string().describe('the most typical report of the cluster (masked)'),
    reportCount: z.number().int(),
    peakCount: z.number().int().describe('most reports inside one window'),
    peakStart: z.string(),
    reporterCount: z.number().int(),
    firstAt: z.string(),
    lastAt: z.string(),
    reportIds: z.array(z.string()),
    caseIds: z.array(z.string()),
    channels: z.array(z.string()),
  })
  .meta({ id: 'HotSpot' });

export const HotSpotList = z.object({
  community: z.object({ code: z.string(), name: z.string() }),
  since: z.string(),
  until: z.string(),
  windowDays: z.number().int(),
  minCount: z.number().int(),
  items: z.array(HotSpot),
});

export const MERGING_ROUTES = [
  {
    operationId: 'listMergeProposals',
    method: 'GET',
    path: '/api/merge-proposals',
    summary: 'Merge proposals (一事一案) about cases in your scope, newest first; pending by default',
    tags: ['cases'],
    auth: 'session',
    permission: 'cases:read',
    query: MergeProposalQuery,
    status: 200,
    response: MergeProposalList,
  },
  {
    operationId: 'acceptMergeProposal',
    method: 'POST',
    path: '/api/merge-proposals/:id/accept',
    summary:
      'Accept: the new case is merged into the candidate (its reports move there); a center operator of the case’s chain, with both cases in scope',
    tags: ['cases'],
    auth: 'session',
    permission: 'cases:act',
    params: MergeProposalIdParam,
    idempotent: true,
    status: 200,
    response: MergeDecisionResult,
    errors: [409],
  },
  {
    operationId: 'rejectMergeProposal',
    method: 'POST',
    path: '/api/merge-proposals/:id/reject',
    summary: 'Reject: the cases stay apart (a decided proposal answers 409)',
    tags: ['cases'],
    auth: 'session',
    permission: 'cases:act',
    params: MergeProposalIdParam,
    body: MergeRejectBody,
    idempotent: true,
    status: 200,
    response: MergeDecisionResult,
    errors: [409],
  },
  {
    operationId: 'unmergeReport',
    method: 'POST',
    path: '/api/reports/:id/unmerge',
    summary:
      'Undo a merge for one report: it leaves the case it joined for the case it came from, or a new case of its own',
    tags: ['cases'],
    auth: 'session',
    permission: 'cases:act',
    params: ReportIdParam,
    idempotent: true,
    status: 200,
    response: UnmergeResult,
    errors: [409],
  },
  {
    operationId: 'listHotSpots',
    method: 'GET',
    path: '/api/hot-spots',
    summary: 'Hot spots (苗头): clusters of similar reports in a community over the last 7 days (≥ 5)',
    tags: ['cases'],
    auth: 'session',
    permission: 'cases:read',
    query: HotSpotQuery,
    status: 200,
    response: HotSpotList,
  },
] as const satisfies readonly RouteContract[];
