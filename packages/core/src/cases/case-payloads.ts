import type { FieldIssue } from '../shared/errors.js';
import { LIMITS, PayloadReader } from './case-payload-reader.js';
import { centerHandler, handlerCenter, nextCenterUp } from './case-relations.js';
import type { Priority } from './case-ports.js';
import type { CaseAction, CaseContext, CaseState, CenterHandler, Handler } from './case-types.js';
import { LEVEL_RANK } from './case-types.js';

/** Normalised payloads, as recorded in events. */
export interface RegisterPayload {
  categoryCode?: string;
  priority?: Priority;
}
export interface ReasonPayload {
  reason: string;
}
export interface DispatchPayload {
  target: Handler;
}
export interface NotePayload {
  text: string;
}
export interface ExtensionRequestPayload {
  hours: number;
  reason: string;
}
/** `hours` is what was asked, `approvedHours` what the service moves the deadlines by (0 if refused). */
export interface ExtensionDecisionPayload {
  approved: boolean;
  reason?: string;
  hours: number;
  approvedHours: number;
}
/** `target` is the center called up, filled in by the machine from the case's chain. */
export interface EscalatePayload {
  reason: string;
  target: CenterHandler;
}
export interface FeedbackPayload {
  result: string;
  photos: string[];
}
export interface VerifyPayload {
  passed: boolean;
  comment?: string;
}
export interface ClosePayload {
  summary?: string;
}
export interface EvaluatePayload {
  score: number;
  comment?: string;
}
export interface MergePayload {
  intoCaseId: string;
}
export interface SupervisePayload {
  level: 'yellow' | 'red';
  reason: string;
}
export interface VisitPayload {
  at: string;
  place: string;
  party?: string;
  findings: string;
  resolved: boolean;
  photos: string[];
}
/** Who takes part in a joint handling (联合处置). */
export const JOINT_ROLES = [
  'communityWorker',
  'mediator',
  'police',
  'legalAdviser',
  'propertyManager',
  'volunteer',
  'gridWorker',
  'other',
] as const;
export interface JointParticipant {
  role: (typeof JOINT_ROLES)[number];
  name: string;
  organisation?: string;
  userId?: string;
}
/** `jointNo` is the new state version (filled in by the machine): the joint handling's number. */
export interface ConvenePayload {
  jointNo: number;
  at: string;
  place: string;
  purpose?: string;
  participants: JointParticipant[];
}
export interface JointOutcomePayload {
  jointNo: number;
  outcome: string;
  resolved: boolean;
  photos: string[];
}
export interface VisitOrderPayload {
  instructions: string;
  dueAt?: string;
}

export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** Result of validating one payload: the normalised payload and the issues found. */
export interface Validated {
  payload: Record<string, unknown>;
  issues: FieldIssue[];
}

type Validator = (r: PayloadReader, s: CaseState, ctx: CaseContext) => object;

/** Drops undefined fields so that events and their JSON copies compare equal. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function reason(r: PayloadReader): ReasonPayload {
  return { reason: r.text('reason', LIMITS.reason) };
}

const HANDLER_KINDS = ['user', 'center', 'departments'] as const;

function dispatchTarget(r: PayloadReader, s: CaseState): DispatchPayload {
  const from = handlerCenter(s);
  const t = r.nested('target');
  const kind = t.oneOf('kind', HANDLER_KINDS);
  let target: Handler;
  if (!HANDLER_KINDS.includes(t.raw('kind') as never)) {
    // an unknown kind: its other fields cannot be judged
    target = { kind: 'center', unitId: '', level: 'community' };
  } else if (kind === 'user') {
    if (t.has('level') && t.raw('level') !== 'grid') t.fail('level', "must be 'grid' for a user");
    target = {
      kind,
      userId: t.text('userId', LIMITS.id),
      unitId: t.text('unitId', LIMITS.id),
      level: 'grid',
    };
  } else if (kind === 'center') {
    const unitId = t.text('unitId', LIMITS.id);
    const level = t.oneOf('level', ['community', 'street', 'district'] as const);
    if (from && t.raw('level') === level && LEVEL_RANK[level] >= LEVEL_RANK[from.level]) {
      t.fail('level', `must be below the dispatching center (${from.level})`);
    }
    target = { kind, unitId, level };
  } else {
    if (from?.level !== 'district') t.fail('kind', 'only the district center dispatches to departments');
    const lead = t.text('leadDepartmentId', LIMITS.id);
    const assisting = t.ids('assistingDepartmentIds', LIMITS.photos);
    if (assisting.includes(lead)) t.fail('assistingDepartmentIds', 'must not contain the lead department');
    target = { kind, leadDepartmentId: lead, assistingDepartmentIds: assisting };
  }
  r.absorb(t);
  return { target };
}

function decideExtension(r: PayloadReader, s: CaseState): ExtensionDecisionPayload {
  const approved = r.bool('approved');
  const why = r.optText('reason', LIMITS.reason);
  if (r.raw('approved') === false && !r.has('reason'))
    r.fail('reason', 'is required when the extension is refused');
  const hours = s.pendingExtension?.hours ?? 0;
  return compact({ approved, reason: why, hours, approvedHours: approved ? hours : 0 });
}

function escalate(r: PayloadReader, s: CaseState, ctx: CaseContext): EscalatePayload {
  const up = nextCenterUp(s, ctx);
  // the rule's state condition guarantees a center above; the fallback is never reached
  const target = up ?? s.receivingCenter;
  return { reason: r.text('reason', LIMITS.reason), target: centerHandler(target) };
}

function verify(r: PayloadReader): VerifyPayload {
  const passed = r.bool('passed');
  const comment = r.optText('comment', LIMITS.comment);
  if (r.raw('passed') === false && !r.has('comment'))
    r.fail('comment', 'is required when the verification fails');
  return compact({ passed, comment });
}

function merge(r: PayloadReader, _s: CaseState, ctx: CaseContext): MergePayload {
  const intoCaseId = r.text('intoCaseId', LIMITS.id);
  if (intoCaseId === ctx.caseId) r.fail('intoCaseId', 'must be another case');
  return { intoCaseId };
}

const MAX_PARTICIPANTS = 30;

function convene(r: PayloadReader, s: CaseState): ConvenePayload {
  const at = r.instant('at');
  const place = r.text('place', LIMITS.place);
  const purpose = r.optText('purpose', LIMITS.reason);
  const raw = r.raw('participants');
  const participants: JointParticipant[] = [];
  if (!Array.isArray(raw)) {
    r.fail('participants', raw === undefined ? 'is required' : 'must be a list');
  } else if (raw.length === 0 || raw.length > MAX_PARTICIPANTS) {
    r.fail('participants', `must hold 1..${MAX_PARTICIPANTS} people`);
  } else {
    raw.forEach((_item, i) => {
      const p = r.nestedAt('participants', i);
      participants.push(
        compact({
          role: p.oneOf('role', JOINT_ROLES),
          name: p.text('name', 50),
          organisation: p.optText('organisation', 100),
          userId: p.optText('userId', LIMITS.id),
        }),
      );
      r.absorb(p);
    });
  }
  return compact({ jointNo: s.version + 1, at, place, purpose, participants });
}

function recordJoint(r: PayloadReader, s: CaseState): JointOutcomePayload {
  const jointNo = r.int('jointNo', 1, Number.MAX_SAFE_INTEGER);
  if (Number.isInteger(r.raw('jointNo')) && !(s.joints ?? []).includes(jointNo))
    r.fail('jointNo', `is not an open joint handling (open: ${(s.joints ?? []).join(', ') || 'none'})`);
  return {
    jointNo,
    outcome: r.text('outcome', LIMITS.text),
    resolved: r.bool('resolved'),
    photos: r.ids('photos', LIMITS.photos),
  };
}

function recordVisit(r: PayloadReader): VisitPayload {
  const resolved = r.has('resolved') ? r.bool('resolved') : false;
  return compact({
    at: r.instant('at'),
    place: r.text('place', LIMITS.place),
    party: r.optText('party', 100),
    findings: r.text('findings', LIMITS.text),
    resolved,
    photos: r.ids('photos', LIMITS.photos),
  });
}

function instructVisit(r: PayloadReader): VisitOrderPayload {
  return compact({
    instructions: r.text('instructions', LIMITS.reason),
    dueAt: r.has('dueAt') ? r.instant('dueAt') : undefined,
  });
}

const VALIDATORS: Record<CaseAction, Validator> = {
  register: (r) =>
    compact({
      categoryCode: r.optText('categoryCode', LIMITS.code),
      priority: r.optOneOf('priority', PRIORITIES),
    }),
  reject: reason,
  dispatch: dispatchTarget,
  accept: () => ({}),
  return: reason,
  note: (r) => ({ text: r.text('text', LIMITS.text) }),
  pause: reason,
  resume: () => ({}),
  requestExtension: (r) => ({ hours: r.int('hours', 1, 720), reason: r.text('reason', LIMITS.reason) }),
  decideExtension,
  escalate,
  feedback: (r) => ({ result: r.text('result', LIMITS.text), photos: r.ids('photos', LIMITS.photos) }),
  verify,
  close: (r) => compact({ summary: r.optText('summary', LIMITS.text) }),
  evaluate: (r) => compact({ score: r.int('score', 1, 5), comment: r.optText('comment', LIMITS.comment) }),
  reopen: reason,
  merge,
  cancel: reason,
  supervise: (r) => ({
    level: r.oneOf('level', ['yellow', 'red'] as const),
    reason: r.text('reason', LIMITS.reason),
  }),
  recordVisit,
  convene,
  recordJoint,
  instructVisit,
};

/** Validates and normalises an action's payload against the state it applies to; unknown fields are dropped. */
export function validatePayload(action: CaseAction, raw: unknown, s: CaseState, ctx: CaseContext): Validated {
  const r = new PayloadReader(raw);
  const payload = VALIDATORS[action](r, s, ctx) as Record<string, unknown>;
  return { payload, issues: r.issues };
}
