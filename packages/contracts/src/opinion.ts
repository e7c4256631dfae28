import { z } from 'zod';
import { Limit, UnitCode } from './common.js';
import type { RouteContract } from './routes.js';

/**
 * The public-opinion line (舆情): posts in (API batch or JSON-lines file), keyword watchlists,
 * early warnings (预警) and their decisions. Shapes are checked here; the domain rules (URL form,
 * time zone, future dates, term syntax, reasons) are the core's, named by field.
 */

const Topic = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a topic code such as noise (a-z, 0-9, -)')
  .describe('topic code, e.g. noise, property, unpaid-wages');
const Count = z.number().int().min(0);
const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
const CategoryCode = z.string().regex(/^\d{2}(\.\d{2}(\.\d{3})?)?$/, 'a category code like 01.02.003');
const Cursor = z.string().min(1).max(120).describe('nextCursor of the previous page');
const Instant = z.iso.datetime({ offset: true });

export const OpinionSource = z.enum(['weibo', 'douyin', 'board', 'news', 'wechat']);
export const WarningLevel = z
  .enum(['blue', 'yellow', 'orange', 'red'])
  .describe('蓝 blue < 黄 yellow < 橙 orange < 红 red');
export const WarningStatus = z.enum(['open', 'confirmed', 'dismissed']);

export const Engagement = z
  .object({
    likes: Count.optional(),
    comments: Count.optional(),
    shares: Count.optional(),
    views: Count.optional(),
    against: Count.optional().describe('dislikes / 反对'),
  })
  .strict()
  .meta({ id: 'Engagement', description: 'engagement counts; missing ones count as 0' });

export const OpinionPostIn = z
  .object({
    source: OpinionSource,
    url: z.string().max(2048).describe('http(s) URL of the post; with source it identifies the post'),
    authorHandle: z.string().max(200),
    title: z.string().max(1000).nullable().optional(),
    text: z.string().max(20_000),
    postedAt: z.string().max(40).describe('ISO 8601 with a zone, e.g. 2019-02-28T11:25:05+08:00'),
    engagement: Engagement.optional(),
    unitCode: UnitCode.nullable().optional().describe('the unit a collector already placed the post in'),
  })
  .meta({ id: 'OpinionPostIn' });

export const OpinionIngestBody = z
  .object({ posts: z.array(OpinionPostIn).min(1).max(1000) })
  .strict()
  .meta({ id: 'OpinionIngest' });

export const OpinionIngestResult = z
  .object({
    received: z.number().int(),
    inserted: z.number().int(),
    duplicates: z
      .number()
      .int()
      .describe('posts stored before (same source and URL) or repeated in the batch'),
    topics: z.record(z.string(), z.number().int()).describe('new posts per topic'),
  })
  .meta({ id: 'OpinionIngestResult' });

export const OpinionImportBody = z
  .object({
    content: z
      .string()
      .min(1)
      .max(16_000_000)
      .describe('JSON lines: one OpinionPostIn per line; blank lines are skipped'),
    skipBad: z
      .boolean()
      .optional()
      .describe('import the good lines and report the bad ones (default: all or nothing)'),
  })
  .strict();

const FieldError = z.object({ field: z.string(), reason: z.string() });
export const OpinionImportResult = OpinionIngestResult.omit({ received: true })
  .extend({
    lines: z.number().int().describe('non-blank lines read'),
    rejected: z.array(z.object({ line: z.number().int(), errors: z.array(FieldError) })),
    rejectedLines: z.number().int(),
  })
  .meta({ id: 'OpinionImportResult' });

export const OpinionPost = z
  .object({
    id: z.string(),
    source: OpinionSource,
    url: z.string(),
    authorHandle: z.string(),
    title: z.string().nullable().describe('phone and ID numbers masked'),
    text: z.string().describe('phone and ID numbers masked'),
    postedAt: z.string(),
    engagement: z.object({ likes: Count, comments: Count, shares: Count, views: Count, against: Count }),
    unitCode: UnitCode,
    topics: z.array(z.string()),
    negativity: z.number().describe('negative sentiment 0..1'),
    heat: z.number().describe('engagement heat 0..1'),
    ingestedAt: z.string(),
  })
  .meta({ id: 'OpinionPost' });

export const OpinionPostQuery = z.object({
  topic: Topic.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: Limit,
  after: Cursor.optional(),
});

export const OpinionPostPage = z.object({ items: z.array(OpinionPost), nextCursor: z.string().nullable() });

const Terms = z.array(z.string().max(100)).max(1000);
export const WatchlistCreate = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
      .optional()
      .describe('a slug such as topic-noise; generated when absent'),
    topic: Topic.nullable().optional(),
    unitCode: UnitCode.nullable().optional().describe('null: district-wide'),
    terms: Terms.describe('phrases; 学校+收费 = all parts; =臭 = whole word'),
    excludeTerms: Terms.optional(),
  })
  .strict();
export const WatchlistPatch = z
  .object({ terms: Terms.optional(), excludeTerms: Terms.optional(), isActive: z.boolean().optional() })
  .strict();
export const Watchlist = z
  .object({
    id: z.string(),
    topic: z.string().nullable(),
    unitCode: z.string().nullable(),
    terms: z.array(z.string()),
    excludeTerms: z.array(z.string()),
    isActive: z.boolean(),
    updatedBy: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Watchlist' });

export const OpinionIdParam = z.object({ id: z.string().min(1).max(64) });

export const WarningListQuery = z.object({
  status: WarningStatus.optional(),
  topic: Topic.optional(),
  limit: Limit,
  after: Cursor.optional(),
});

export const EarlyWarning = z
  .object({
    id: z.string(),
    topic: z.string(),
    unitCode: z.string(),
    unitName: z.string().nullable(),
    unitLevel: z.string().nullable(),
    status: WarningStatus,
    level: WarningLevel,
    levelName: z.string().describe('e.g. 黄色预警'),
    windowStart: z.string(),
    windowEnd: z.string(),
    peakCount: z.number().int().describe('distinct authors in the busiest window'),
    baseline: z.number().describe('expected authors per window'),
    score: z.number(),
    spikeCount: z.number().int(),
    evidencePostIds: z.array(z.string()),
    caseId: z.string().nullable(),
    dismissReason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    openedAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    allowedActions: z.array(z.enum(['confirm', 'dismiss'])),
  })
  .meta({ id: 'EarlyWarning' });
export const EarlyWarningDetail = EarlyWarning.extend({ evidence: z.array(OpinionPost) }).meta({
  id: 'EarlyWarningDetail',
});
export const EarlyWarningPage = z.object({ items: z.array(EarlyWarning), nextCursor: z.string().nullable() });

export const WarningConfirmBody = z
  .object({
    category: CategoryCode.optional(),
    priority: Priority.optional().describe('default: red urgent, orange high, else normal'),
  })
  .strict();
export const WarningConfirmResult = EarlyWarningDetail.extend({ caseNumber: z.string() });
export const WarningDismissBody = z
  .object({ reason: z.string().max(2000).describe('2 to 500 characters: why this is no case') })
  .strict();

export const DetectionResult = z
  .object({
    skipped: z.boolean().describe('another run was evaluating the same buckets'),
    windows: z.array(z.object({ bucket: z.enum(['hour', 'day']), from: z.string(), to: z.string() })),
    spikes: z.number().int(),
    opened: z.array(z.string()),
    updated: z.array(z.string()),
    suppressed: z.number().int(),
  })
  .meta({ id: 'OpinionDetectionResult' });

const r = (c: RouteContract) => c;

/** The opinion line's routes (spread into ROUTES). */
export const OPINION_ROUTES = [
  r({
    operationId: 'ingestOpinionPosts',
    idempotent: true,
    method: 'POST',
    path: '/api/opinion/posts',
    summary: 'Take in up to 1000 posts; all or nothing on errors; posts stored before are skipped',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    body: OpinionIngestBody,
    bodyLimit: 16 * 1024 * 1024,
    status: 200,
    response: OpinionIngestResult,
    errors: [413],
  }),
  r({
    operationId: 'importOpinionPosts',
    idempotent: true,
    method: 'POST',
    path: '/api/opinion/posts/import',
    summary: 'Import a JSON-lines file of posts; nothing is written if a line is bad, unless skipBad',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    body: OpinionImportBody,
    bodyLimit: 40 * 1024 * 1024,
    status: 200,
    response: OpinionImportResult,
    errors: [413, 422],
  }),
  r({
    operationId: 'listOpinionPosts',
    method: 'GET',
    path: '/api/opinion/posts',
    summary: 'Posts placed in units in scope, newest first',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:read',
    query: OpinionPostQuery,
    status: 200,
    response: OpinionPostPage,
  }),
  r({
    operationId: 'listOpinionWatchlists',
    method: 'GET',
    path: '/api/opinion/watchlists',
    summary: 'Keyword watchlists: district-wide topics and those of units in scope',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:read',
    status: 200,
    response: z.object({ items: z.array(Watchlist) }),
  }),
  r({
    operationId: 'createOpinionWatchlist',
    idempotent: true,
    method: 'POST',
    path: '/api/opinion/watchlists',
    summary: 'Add a watchlist for a topic, a unit in scope, or a topic within a unit',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    body: WatchlistCreate,
    status: 201,
    response: Watchlist,
    errors: [409],
  }),
  r({
    operationId: 'updateOpinionWatchlist',
    method: 'PATCH',
    path: '/api/opinion/watchlists/:id',
    summary: 'Replace the terms or exclusions of a watchlist, or (de)activate it',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    params: OpinionIdParam,
    body: WatchlistPatch,
    status: 200,
    response: Watchlist,
  }),
  r({
    operationId: 'listOpinionWarnings',
    method: 'GET',
    path: '/api/opinion/warnings',
    summary: 'Early warnings (预警) of units in scope, newest first',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:read',
    query: WarningListQuery,
    status: 200,
    response: EarlyWarningPage,
  }),
  r({
    operationId: 'getOpinionWarning',
    method: 'GET',
    path: '/api/opinion/warnings/:id',
    summary: 'An early warning with its evidence posts',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:read',
    params: OpinionIdParam,
    status: 200,
    response: EarlyWarningDetail,
  }),
  r({
    operationId: 'confirmOpinionWarning',
    idempotent: true,
    method: 'POST',
    path: '/api/opinion/warnings/:id/confirm',
    summary: 'Confirm an open warning into a case on the opinion line (立案) and link it',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    params: OpinionIdParam,
    body: WarningConfirmBody,
    status: 200,
    response: WarningConfirmResult,
    errors: [409],
  }),
  r({
    operationId: 'dismissOpinionWarning',
    idempotent: true,
    method: 'POST',
    path: '/api/opinion/warnings/:id/dismiss',
    summary: 'Dismiss an open warning with a reason; like spikes stay quiet for a day',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    params: OpinionIdParam,
    body: WarningDismissBody,
    status: 200,
    response: EarlyWarningDetail,
    errors: [409],
  }),
  r({
    operationId: 'detectOpinionSpikes',
    method: 'POST',
    path: '/api/opinion/detect',
    summary: 'Run spike detection now over the buckets completed since the last run (district, admin)',
    tags: ['opinion'],
    auth: 'session',
    permission: 'cases:act',
    status: 200,
    response: DetectionResult,
  }),
] as const satisfies readonly RouteContract[];
