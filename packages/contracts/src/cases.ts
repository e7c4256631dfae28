import { z } from 'zod';
import { Limit, UnitCode } from './common.js';

const Phone = z.string().regex(/^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, 'a mobile or landline number');
const Location = z
  .object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) })
  .meta({ id: 'Location' });
const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
const CategoryCode = z.string().regex(/^\d{2}(\.\d{2}(\.\d{3})?)?$/, 'a category code like 01.02.003');
const Common = {
  text: z.string().trim().min(2, 'describe the problem').max(5000),
  location: Location.optional(),
  address: z.string().trim().max(300).optional(),
  category: CategoryCode.optional(),
  priority: Priority.optional(),
  unitCode: UnitCode.optional().describe('without a location: the grid or center that receives the report'),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
};

/** One incoming record; each line (channel) has its own fields. */
export const ReportIntake = z
  .discriminatedUnion('channel', [
    z.object({
      channel: z.literal('grid'),
      ...Common,
      location: Location.describe('GPS of the grid worker’s phone'),
      photos: z.array(z.string().max(64)).max(9).optional(),
      resolvedOnSpot: z
        .object({
          result: z.string().trim().min(2).max(2000),
          photos: z.array(z.string().max(64)).max(9).optional(),
        })
        .optional(),
    }),
    z.object({
      channel: z.literal('hotline'),
      ...Common,
      externalId: z.string().trim().min(1).max(64).describe('the 12345 work-order number'),
      caller: z.object({ name: z.string().trim().max(50).optional(), phone: Phone.optional() }).optional(),
      hotlineDueAt: z.iso.datetime({ offset: true }).optional().describe('the time limit set by the hotline'),
    }),
    z.object({
      channel: z.literal('opinion'),
      ...Common,
      source: z.string().trim().min(1).max(100),
      url: z.url().max(1000).optional(),
      author: z.string().trim().max(100).optional(),
      externalId: z.string().trim().max(64).optional(),
    }),
    z.object({
      channel: z.literal('petition'),
      ...Common,
      petitioner: z.object({ name: z.string().trim().min(1).max(50), phone: Phone.optional() }),
      form: z.enum(['visit', 'letter', 'online']),
      people: z.number().int().min(1).max(10000).default(1),
      demands: z.string().trim().max(2000).optional(),
      externalId: z.string().trim().max(64).optional(),
    }),
    z.object({
      channel: z.literal('resident'),
      ...Common,
      contact: z.object({ name: z.string().trim().max(50).optional(), phone: Phone.optional() }).optional(),
      photos: z.array(z.string().max(64)).max(9).optional(),
    }),
    z.object({
      channel: z.literal('department'),
      ...Common,
      departmentCode: z
        .string()
        .regex(/^D\d{2,3}$/)
        .optional(),
    }),
  ])
  .meta({ id: 'ReportIntake' });

export const IntakeResult = z
  .object({
    reportId: z.string(),
    caseId: z.string(),
    caseNumber: z.string(),
    gridCode: z.string().nullable(),
  })
  .meta({ id: 'IntakeResult' });

const Deadlines = z.object({
  acceptBy: z.string().nullable(),
  handleBy: z.string().nullable(),
  feedbackBy: z.string().nullable(),
});
export const CaseSummary = z
  .object({
    id: z.string(),
    number: z.string().describe('370112-YYYYMMDD-NNNNNN'),
    status: z.string(),
    version: z.number().int(),
    priority: Priority,
    category: z.string().nullable(),
    summary: z.string(),
    channel: z.string(),
    gridCode: z.string().nullable(),
    location: Location.nullable(),
    address: z.string().nullable(),
    handler: z
      .object({
        kind: z.string(),
        userId: z.string().nullable(),
        unitId: z.string().nullable(),
        departmentId: z.string().nullable(),
      })
      .nullable(),
    escalation: z.string(),
    supervision: z.enum(['none', 'yellow', 'red']),
    paused: z.boolean(),
    deadlines: Deadlines,
    repeatOf: z.string().nullable(),
    mergedInto: z.string().nullable(),
    reportCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'CaseSummary' });

export const AttachmentQuery = z.object({ caseId: z.string().min(1).max(64).optional() });
export const Attachment = z
  .object({
    id: z.string(),
    caseId: z.string().nullable(),
    kind: z.enum(['image', 'document']),
    mime: z.string(),
    size: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    sha256: z.string(),
    uploadedBy: z.string(),
    uploadedAt: z.string(),
    url: z.string(),
    thumbnailUrl: z.string().nullable(),
  })
  .meta({ id: 'Attachment' });

export const CaseView = CaseSummary.extend({
  departments: z.array(z.object({ departmentId: z.string(), role: z.string() })),
  reports: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      externalId: z.string().nullable(),
      reporterName: z.string().nullable().describe('masked'),
      reporterPhone: z.string().nullable().describe('masked'),
      text: z.string(),
      location: Location.nullable(),
      address: z.string().nullable(),
      fields: z.record(z.string(), z.unknown()),
      receivedAt: z.string(),
    }),
  ),
  timeline: z.array(
    z.object({
      version: z.number().int(),
      at: z.string(),
      action: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      actorId: z.string().nullable(),
      actorRole: z.string().nullable(),
      payload: z.unknown(),
    }),
  ),
  jointHandlings: z.array(
    z.object({
      jointNo: z.number().int(),
      convenedBy: z.string().nullable(),
      convenedAt: z.string(),
      meetsAt: z.string(),
      place: z.string(),
      purpose: z.string().nullable(),
      participants: z.array(
        z.object({
          role: z.string(),
          name: z.string(),
          organisation: z.string().optional(),
          userId: z.string().optional(),
        }),
      ),
      status: z.enum(['open', 'recorded', 'closedWithCase']),
      outcome: z.string().nullable(),
      resolved: z.boolean().nullable(),
      recordedAt: z.string().nullable(),
    }),
  ),
  visitOrder: z
    .object({ by: z.string(), at: z.string(), instructions: z.string(), dueAt: z.string().nullable() })
    .nullable()
    .describe('the standing directed-visit order (定向走访), until a visit resolves it'),
  visits: z.number().int().describe('visits recorded (recordVisit events in the timeline)'),
  attachments: z.array(Attachment),
  allowedActions: z.array(z.string()).describe('what the caller may do now'),
}).meta({ id: 'Case' });

export const CaseIdParam = z.object({ id: z.string().min(1).max(64) });
export const CaseActionParams = z.object({
  id: z.string().min(1).max(64),
  action: z.enum([
    'register',
    'reject',
    'dispatch',
    'accept',
    'return',
    'note',
    'pause',
    'resume',
    'requestExtension',
    'decideExtension',
    'escalate',
    'feedback',
    'verify',
    'close',
    'evaluate',
    'reopen',
    'merge',
    'cancel',
    'supervise',
    'recordVisit',
    'convene',
    'recordJoint',
    'instructVisit',
    'revisit',
  ]),
});
export const CaseActionBody = z
  .record(z.string(), z.unknown())
  .default({})
  .describe(
    'The action’s fields. register {categoryCode?, priority?}; reject/return/escalate/cancel/reopen {reason}; dispatch {target: {kind:"user",userId} | {kind:"center",unitId} | {kind:"departments",leadDepartmentId,assistingDepartmentIds}}; note {text}; pause {reason}; requestExtension {hours, reason}; decideExtension {approved, reason?}; feedback {result, photos?}; verify {passed, comment?}; close {summary?}; evaluate {score 1–5, comment?}; merge {intoCaseId}; supervise {level: yellow|red, reason}; recordVisit {at, place, party?, findings, resolved?, photos?}; convene (联合处置) {at, place, purpose?, participants: [{role: communityWorker|mediator|police|legalAdviser|propertyManager|volunteer|gridWorker|other, name, organisation?, userId?}]}; recordJoint {jointNo, outcome, resolved, photos?}; instructVisit (定向走访) {instructions, dueAt?}; revisit {method: phone|visit, satisfaction: satisfied|basicallySatisfied|dissatisfied, comment?}',
  );

export const CaseListQuery = z.object({
  queue: z
    .enum(['mine', 'toRegister', 'toDispatch', 'toVerify', 'overdue', 'open', 'closed'])
    .default('open'),
  channel: z.enum(['grid', 'hotline', 'opinion', 'petition', 'resident', 'department']).optional(),
  limit: Limit,
  before: z.string().max(200).optional(),
});
export const CaseList = z
  .object({ items: z.array(CaseSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'CaseList' });

export const InboxQuery = z.object({ unread: z.enum(['true', 'false']).optional(), limit: Limit });
export const InboxItem = z
  .object({
    id: z.string(),
    caseId: z.string().nullable(),
    kind: z.string(),
    title: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'InboxItem' });

export const VolumesQuery = z.object({
  unit: UnitCode,
  granularity: z.enum(['month', 'week']).default('month'),
  periods: z.coerce.number().int().min(2).max(60).default(12),
});
const Trend = z.object({
  direction: z.enum(['rising', 'falling', 'flat']),
  fallingFor: z.number().int(),
  risingFor: z.number().int(),
});
export const Volumes = z
  .object({
    unit: z.object({ code: z.string(), name: z.string(), level: z.string() }),
    granularity: z.enum(['month', 'week']),
    periods: z.array(z.string()).describe('YYYY-MM, or the Monday YYYY-MM-DD of each week (China time)'),
    series: z.object({
      hotline: z.array(z.number()),
      opinion: z.array(z.number()),
      petition: z.array(z.number()),
    }),
    trends: z.object({ hotline: Trend, opinion: Trend, petition: Trend }),
    allFallingFor: z.number().int().describe('三量同降: complete periods in a row in which all three fell'),
    satisfaction: z.object({
      rated: z.array(z.number()),
      rate: z.array(z.number().nullable()),
      trend: Trend,
    }),
  })
  .meta({ id: 'Volumes' });

export const RoutingQuery = z.object({ text: z.string().trim().min(1).max(5000) }).strict();
export const RoutingSuggestion = z
  .object({
    label: z.string().describe('first-level category'),
    level2: z.string().nullable(),
    level3: z.string().nullable(),
    categoryCode: z.string().nullable(),
    department: z.string().nullable().describe('lead department code'),
    confidence: z.number(),
    needsReview: z.boolean().describe('below the confidence threshold: the operator decides'),
  })
  .meta({ id: 'RoutingSuggestion' });

export const LedgerQuery = z.object({ community: UnitCode });
export const Ledger = z
  .object({
    community: z.object({ code: z.string(), name: z.string() }),
    items: z.array(
      z.object({
        kind: z.enum(['case', 'joint']).describe('an open case, or an open joint handling (联合处置) of one'),
        caseId: z.string(),
        number: z.string(),
        jointNo: z.number().int().nullable(),
        summary: z.string(),
        status: z.string(),
        owner: z.string().nullable(),
        ownerId: z.string().nullable(),
        dueAt: z.string().nullable(),
        supervision: z.string(),
        checkedOff: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'Ledger' });

export const LedgerHistoryQuery = z.object({
  community: UnitCode,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});
export const LedgerHistory = z
  .object({
    community: z.object({ code: z.string(), name: z.string() }),
    items: z.array(
      z.object({
        kind: z.enum(['case', 'joint']),
        caseId: z.string(),
        jointNo: z.number().int().nullable(),
        title: z.string(),
        checkedAt: z.string(),
        checkedBy: z.string().nullable(),
        note: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'LedgerHistory' });

export const Category = z
  .object({
    code: z.string(),
    level: z.number().int(),
    name: z.string(),
    parentCode: z.string().nullable(),
    path: z.string(),
    isActive: z.boolean(),
  })
  .meta({ id: 'Category' });
