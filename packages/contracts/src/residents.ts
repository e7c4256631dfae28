import { z } from 'zod';
import { User } from './auth.js';
import type { RouteContract } from './routes.js';

/**
 * The resident line (一群通办): grid QR codes and posters, login by a code sent to the phone,
 * reports with a tracking code (查询码), public progress, the reporter's rating, and the IM adapter
 * (group messages in, replies out; docs/im-adapter.md).
 */

const GridCode = z.string().regex(/^\d{15}$/, 'a 15-digit basic grid code');
const CommunityCode = z.string().regex(/^\d{12}$/, 'a 12-digit community code');
const Mobile = z
  .string()
  .trim()
  .regex(/^(\+?86[ -]?)?1[3-9]\d([ -]?\d{4}){2}$/, 'an 11-digit mainland mobile number')
  .describe('mainland mobile number; +86, spaces and dashes are accepted');
const Location = z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });
const Satisfaction = z.enum(['satisfied', 'basicallySatisfied', 'dissatisfied']);
const UnitRef = z.object({ code: z.string(), name: z.string() });

export const GridCodeParam = z.object({ code: GridCode });
export const TrackingCodeParam = z.object({
  code: z
    .string()
    .min(10)
    .max(24)
    .describe('the tracking code (查询码), 10 characters A–Z and 2–7; case, spaces and dashes are ignored'),
});

export const QrPngQuery = z.object({
  size: z.coerce.number().int().min(128).max(2048).default(512).describe('width and height in pixels'),
});

export const PosterQuery = z
  .object({
    community: CommunityCode.optional().describe('one poster per basic grid of the community'),
    grid: GridCode.optional().describe('the poster of one grid'),
  })
  .refine((q) => (q.community === undefined) !== (q.grid === undefined), {
    message: 'give either community or grid',
  });

export const PublicGrid = z
  .object({
    code: z.string(),
    name: z.string(),
    community: UnitRef.nullable(),
    street: UnitRef.nullable(),
  })
  .meta({ id: 'PublicGrid', description: 'What the resident page shows of its grid' });

export const ResidentCodeBody = z.object({ phone: Mobile });
export const ResidentCodeResult = z
  .object({
    sentTo: z.string().describe('the number, masked'),
    expiresInSeconds: z.number().int(),
    resendAfterSeconds: z.number().int(),
  })
  .meta({ id: 'ResidentCodeResult' });

export const ResidentLoginBody = z.object({
  phone: Mobile,
  code: z.string().regex(/^\d{6}$/, 'six digits'),
});
export const ResidentLoginResult = z
  .object({
    token: z.string(),
    expiresAt: z.string(),
    user: User,
    isNew: z.boolean().describe('the account was created by this login'),
  })
  .meta({
    id: 'ResidentLoginResult',
    description: 'The token works as a bearer token; the same session is set as the __Host-civicgrid cookie',
  });

export const ResidentReportBody = z.object({
  gridCode: GridCode.describe('the grid whose QR code was scanned (/r/{gridCode})'),
  text: z.string().trim().min(2, 'describe the problem').max(2000),
  location: Location.optional().describe('where the problem is; without it, the grid of the QR code'),
  address: z.string().trim().max(300).optional(),
  photos: z.array(z.string().max(64)).max(9).optional().describe('attachment ids from POST /api/attachments'),
});

export const ResidentReportCreated = z
  .object({
    trackingCode: z.string(),
    caseNumber: z.string(),
    gridCode: z.string(),
    status: z.string(),
    statusLabel: z.string(),
  })
  .meta({ id: 'ResidentReportCreated' });

export const Milestone = z.enum([
  'received',
  'registered',
  'dispatched',
  'handled',
  'closed',
  'reopened',
  'revisited',
  'rejected',
  'cancelled',
  'merged',
]);

export const ReportProgress = z
  .object({
    trackingCode: z.string(),
    caseNumber: z.string(),
    status: z.string(),
    statusLabel: z.string().describe('the status in Chinese'),
    summary: z.string().describe('the reporter’s words, phone and ID numbers masked'),
    grid: UnitRef.nullable(),
    reportedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    milestones: z.array(z.object({ milestone: Milestone, label: z.string(), at: z.string() })),
    canRate: z.boolean(),
    rating: z.object({ satisfaction: z.string().nullable(), at: z.string() }).nullable(),
  })
  .meta({
    id: 'ReportProgress',
    description: 'Public progress of a report: no staff, handlers, notes or other reporters',
  });

export const ResidentReportsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  after: z.string().max(80).optional().describe('nextCursor of the previous page'),
});

export const ResidentReportList = z.object({
  items: z.array(ReportProgress),
  nextCursor: z.string().nullable(),
});

export const RatingBody = z.object({
  satisfaction: Satisfaction,
  comment: z.string().trim().min(1).max(500).optional(),
});

const Platform = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,15}$/, 'a platform name such as wecom, dingtalk, feishu, wechat')
  .describe('the IM platform, e.g. wecom, dingtalk, feishu, wechat');
const ImId = z.string().trim().min(1).max(128);

export const ImMessageBody = z
  .object({
    platform: Platform,
    groupId: ImId,
    messageId: ImId.describe('unique per platform: a redelivery with the same id is taken in once'),
    sender: z.object({
      id: ImId,
      name: z.string().trim().max(50).optional(),
      phone: z.string().trim().max(20).optional().describe('if the platform knows it'),
    }),
    text: z.string().max(4000),
    mentions: z.array(z.string().max(100)).max(50).optional().describe('display names @-mentioned'),
    images: z.array(z.url().max(2048)).max(9).optional().describe('links, kept and never fetched'),
    sentAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ImMessage', description: 'One group message, signed by the bridge (docs/im-adapter.md)' });

export const ImMessageResult = z
  .object({
    status: z.enum(['reported', 'duplicate', 'ignored']),
    trackingCode: z.string().optional(),
    caseNumber: z.string().optional(),
    replied: z.boolean().optional().describe('the reply with the tracking code went out'),
    ignored: z.string().optional().describe('why the message is not a report'),
  })
  .meta({ id: 'ImMessageResult' });

export const ImGroupBody = z.object({
  platform: Platform,
  groupId: ImId,
  gridCode: GridCode,
  botName: z.string().trim().min(1).max(50).nullable().optional().describe('the name members @-mention'),
  isActive: z.boolean().optional(),
});

export const ImGroup = z
  .object({
    id: z.string(),
    platform: z.string(),
    groupId: z.string(),
    gridCode: z.string(),
    botName: z.string().nullable(),
    isActive: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ImGroup' });

const r = (c: RouteContract) => c;

/** The resident line's routes (spread into ROUTES). */
export const RESIDENT_ROUTES = [
  r({
    operationId: 'gridQrSvg',
    method: 'GET',
    path: '/api/grids/:code/qr.svg',
    summary: 'The QR code of a grid’s resident page (/r/{code}) as SVG',
    tags: ['residents'],
    auth: 'public',
    params: GridCodeParam,
    status: 200,
    response: null,
    produces: 'image/svg+xml',
    errors: [429],
  }),
  r({
    operationId: 'gridQrPng',
    method: 'GET',
    path: '/api/grids/:code/qr.png',
    summary: 'The QR code of a grid’s resident page as PNG',
    tags: ['residents'],
    auth: 'public',
    params: GridCodeParam,
    query: QrPngQuery,
    status: 200,
    response: null,
    produces: 'image/png',
    errors: [429],
  }),
  r({
    operationId: 'residentGrid',
    method: 'GET',
    path: '/api/resident/grids/:code',
    summary: 'A grid’s name, community and street, for its resident page',
    tags: ['residents'],
    auth: 'public',
    params: GridCodeParam,
    status: 200,
    response: PublicGrid,
    errors: [429],
  }),
  r({
    operationId: 'gridPostersPdf',
    method: 'GET',
    path: '/api/posters.pdf',
    summary: 'Printable A4 posters with the QR code: one grid, or every grid of a community (one page each)',
    tags: ['residents'],
    auth: 'session',
    permission: 'units:read',
    query: PosterQuery,
    status: 200,
    response: null,
    produces: 'application/pdf',
  }),
  r({
    operationId: 'requestResidentCode',
    method: 'POST',
    path: '/api/resident/code',
    summary: 'Send a one-time login code by SMS (one a minute and 10 a day per number; limited per address)',
    tags: ['residents'],
    auth: 'public',
    body: ResidentCodeBody,
    status: 200,
    response: ResidentCodeResult,
    errors: [429, 503],
  }),
  r({
    operationId: 'residentLogin',
    method: 'POST',
    path: '/api/resident/login',
    summary: 'Log in with the code sent by SMS (the account is created on first login)',
    tags: ['residents'],
    auth: 'public',
    body: ResidentLoginBody,
    status: 200,
    response: ResidentLoginResult,
    errors: [429],
  }),
  r({
    operationId: 'createResidentReport',
    idempotent: true,
    method: 'POST',
    path: '/api/resident/reports',
    summary: 'Report a problem through a grid’s page; answers the tracking code (residents only)',
    tags: ['residents'],
    auth: 'session',
    permission: 'reports:create',
    body: ResidentReportBody,
    status: 201,
    response: ResidentReportCreated,
    errors: [422, 429],
  }),
  r({
    operationId: 'listResidentReports',
    method: 'GET',
    path: '/api/resident/reports',
    summary: 'The caller’s own reports with their progress (residents only)',
    tags: ['residents'],
    auth: 'session',
    permission: 'cases:read',
    query: ResidentReportsQuery,
    status: 200,
    response: ResidentReportList,
  }),
  r({
    operationId: 'trackReport',
    method: 'GET',
    path: '/api/track/:code',
    summary: 'Public progress of a report by its tracking code (status and milestones only)',
    tags: ['residents'],
    auth: 'public',
    params: TrackingCodeParam,
    status: 200,
    response: ReportProgress,
    errors: [429],
  }),
  r({
    operationId: 'rateReport',
    method: 'POST',
    path: '/api/track/:code/rating',
    summary: 'The reporter rates the result once the case is closed; dissatisfied reopens it',
    tags: ['residents'],
    auth: 'session',
    permission: 'reports:create',
    params: TrackingCodeParam,
    body: RatingBody,
    status: 200,
    response: ReportProgress,
    errors: [409, 429],
  }),
  r({
    operationId: 'receiveImMessage',
    method: 'POST',
    path: '/api/im/messages',
    summary: 'A group message from the IM bridge, signed with X-Civicgrid-IM-Signature (docs/im-adapter.md)',
    tags: ['residents'],
    auth: 'public',
    body: ImMessageBody,
    bodyLimit: 64 * 1024,
    status: 200,
    response: ImMessageResult,
    errors: [413, 429, 503],
  }),
  r({
    operationId: 'listImGroups',
    method: 'GET',
    path: '/api/im/groups',
    summary: 'IM groups mapped to grids in the caller’s scope',
    tags: ['residents'],
    auth: 'session',
    permission: 'settings:read',
    status: 200,
    response: z.object({ items: z.array(ImGroup) }),
  }),
  r({
    operationId: 'saveImGroup',
    method: 'POST',
    path: '/api/im/groups',
    summary: 'Map an IM group to a grid, or change its mapping (admins)',
    tags: ['residents'],
    auth: 'session',
    permission: 'settings:write',
    body: ImGroupBody,
    status: 200,
    response: ImGroup,
  }),
] as const satisfies readonly RouteContract[];
