import type { CaseAction, CaseActor, CaseContext, CaseState, CaseStatus } from './case-types.js';
import { DIRECTED_VISIT_LINES, OPEN_STATUSES } from './case-types.js';
import {
  controllerOf,
  handlerCenter,
  handlerLevel,
  isAssistingDepartment,
  isChainOperator,
  isChainOperatorAbove,
  isCurrentHandler,
  isLeaderInScope,
  isOperatorOf,
  isSystemActor,
} from './case-relations.js';

/** Where an action leads: a fixed status, the same status, or the verdict of a verification. */
export type RuleTarget = CaseStatus | 'same' | 'verdict';

/** One action's rule: the statuses it starts from, an extra state condition, and who may take it. */
export interface CaseRule {
  from: readonly CaseStatus[];
  to: RuleTarget;
  /** A further condition on the state (beyond its status); false = not possible now. */
  when?: (s: CaseState, ctx: CaseContext) => boolean;
  /** The condition in words (error messages and docs). */
  whenDoc?: string;
  who: (s: CaseState, a: CaseActor, ctx: CaseContext) => boolean;
  whoMay: string;
  payloadDoc: string;
}

const ACTIVE: readonly CaseStatus[] = ['dispatched', 'handling'];
const JOINT_FROM: readonly CaseStatus[] = ['registered', ...ACTIVE];
const JOINT_WHO =
  "the case's grid leader (网格长), the current handler, or an operator of the handling center or of a center of the case's chain";

/** A grid staff member of the case's own grid with one of the roles. */
function isGridStaff(a: CaseActor, ctx: CaseContext, roles: readonly string[]): boolean {
  return roles.includes(a.role) && a.unitId === ctx.gridUnitId;
}

/** Who may convene a joint handling (联合处置) and record its outcome. */
function mayConvene(s: CaseState, a: CaseActor, ctx: CaseContext): boolean {
  return (
    isGridStaff(a, ctx, ['gridLeader']) ||
    isCurrentHandler(a, s) ||
    isOperatorOf(a, handlerCenter(s)) ||
    isChainOperatorAbove(a, ctx, 'grid')
  );
}
const REASON = '{ reason: string (1..500) }';

/** The rules of the closed loop, one per action. */
export const CASE_RULES: Record<CaseAction, CaseRule> = {
  register: {
    from: ['reported'],
    to: 'registered',
    who: (s, a) => isOperatorOf(a, s.receivingCenter),
    whoMay: 'an operator of the receiving center',
    payloadDoc: "{ categoryCode?: string; priority?: 'low'|'normal'|'high'|'urgent' }",
  },
  reject: {
    from: ['reported'],
    to: 'rejected',
    who: (s, a) => isOperatorOf(a, s.receivingCenter),
    whoMay: 'an operator of the receiving center',
    payloadDoc: REASON,
  },
  dispatch: {
    from: ['registered', 'handling'],
    to: 'dispatched',
    when: (s) => s.handler?.kind === 'center',
    whenDoc: 'the handler is a center',
    who: (s, a) => isOperatorOf(a, handlerCenter(s)),
    whoMay: 'an operator of the handling center',
    payloadDoc:
      '{ target: { kind: "user", userId, unitId } (a grid worker) | { kind: "center", unitId, level } (a lower level) | { kind: "departments", leadDepartmentId, assistingDepartmentIds? } (district only) }',
  },
  accept: {
    from: ['dispatched'],
    to: 'handling',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler (the user, an operator of the center, or the lead department)',
    payloadDoc: '{}',
  },
  return: {
    from: ACTIVE,
    to: 'registered',
    when: (s) => s.dispatcher !== null,
    whenDoc: 'someone dispatched the case',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler; the case goes back to the dispatcher',
    payloadDoc: REASON,
  },
  note: {
    from: ['handling'],
    to: 'same',
    who: (s, a) => isCurrentHandler(a, s) || isAssistingDepartment(a, s),
    whoMay: 'the current handler or an assisting department',
    payloadDoc: '{ text: string (1..2000) }',
  },
  pause: {
    from: ['handling'],
    to: 'same',
    when: (s) => s.paused === null,
    whenDoc: 'the case is not paused',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler (waiting for the resident)',
    payloadDoc: REASON,
  },
  resume: {
    from: ['handling'],
    to: 'same',
    when: (s) => s.paused !== null,
    whenDoc: 'the case is paused',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler',
    payloadDoc: '{}',
  },
  requestExtension: {
    from: ACTIVE,
    to: 'same',
    when: (s) => s.pendingExtension === null,
    whenDoc: 'no extension request is pending',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler',
    payloadDoc: '{ hours: integer (1..720); reason: string (1..500) }',
  },
  decideExtension: {
    from: OPEN_STATUSES,
    to: 'same',
    when: (s) => s.pendingExtension !== null,
    whenDoc: 'an extension request is pending',
    who: (s, a) => isOperatorOf(a, controllerOf(s)),
    whoMay: 'an operator of the dispatcher (else of the receiving center)',
    payloadDoc: '{ approved: boolean; reason?: string (required when refused) }',
  },
  escalate: {
    from: ['registered', 'dispatched', 'handling'],
    to: 'dispatched',
    when: (s) =>
      s.handler?.kind === 'user' || (s.handler?.kind === 'center' && s.handler.level !== 'district'),
    whenDoc: 'the handler is a grid worker or a community or street center',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler; the case goes to the center one level up (格呼街应, 街呼区应)',
    payloadDoc: REASON,
  },
  feedback: {
    from: ['handling'],
    to: 'verifying',
    when: (s) => s.paused === null,
    whenDoc: 'the case is not paused',
    who: (s, a) => isCurrentHandler(a, s),
    whoMay: 'the current handler',
    payloadDoc: '{ result: string (1..2000); photos?: string[] (attachment ids) }',
  },
  verify: {
    from: ['verifying'],
    to: 'verdict',
    who: (s, a) => isOperatorOf(a, controllerOf(s)),
    whoMay: 'an operator of the dispatcher (else of the receiving center)',
    payloadDoc: '{ passed: boolean; comment?: string (required when failed) }',
  },
  close: {
    from: ['verified'],
    to: 'closed',
    who: (s, a) => isOperatorOf(a, controllerOf(s)),
    whoMay: 'an operator of the dispatcher (else of the receiving center)',
    payloadDoc: '{ summary?: string (1..2000) }',
  },
  evaluate: {
    from: ['closed'],
    to: 'evaluated',
    who: (s, a) => isOperatorOf(a, s.closedBy) || isLeaderInScope(a),
    whoMay: 'an operator of the closing center, or a leader whose scope holds the case',
    payloadDoc: '{ score: integer (1..5); comment?: string (1..500) }',
  },
  reopen: {
    from: ['closed', 'evaluated'],
    to: 'registered',
    who: (s, a, ctx) =>
      isOperatorOf(a, s.closedBy) ||
      (s.closedBy !== null && isChainOperatorAbove(a, ctx, s.closedBy.level)) ||
      isSystemActor(a),
    whoMay: "an operator of the closing center or of a center above it in the case's chain, or the system",
    payloadDoc: REASON,
  },
  merge: {
    from: ['reported', 'registered', 'dispatched', 'handling'],
    to: 'merged',
    who: (s, a, ctx) =>
      isOperatorOf(a, s.receivingCenter) ||
      isOperatorOf(a, handlerCenter(s)) ||
      isChainOperator(a, ctx, 'district'),
    whoMay: "an operator of the receiving center, of the handling center, or of the case's district",
    payloadDoc: '{ intoCaseId: string (another case) }',
  },
  cancel: {
    from: OPEN_STATUSES,
    to: 'cancelled',
    who: (_s, a) => a.role === 'admin',
    whoMay: 'an admin',
    payloadDoc: REASON,
  },
  supervise: {
    from: OPEN_STATUSES,
    to: 'same',
    who: (s, a, ctx) =>
      isLeaderInScope(a) ||
      isChainOperator(a, ctx, 'district') ||
      isChainOperatorAbove(a, ctx, handlerLevel(s)),
    whoMay:
      "a leader whose scope holds the case, an operator of a chain center above the handler's level, the district, an admin or the system",
    payloadDoc: "{ level: 'yellow'|'red'; reason: string (1..500) }",
  },
  recordVisit: {
    from: ['registered', ...ACTIVE],
    to: 'same',
    when: (s) => s.status !== 'registered' || !!s.visitOrder,
    whenDoc: 'the case is dispatched, or a center ordered a visit',
    who: (s, a, ctx) => isCurrentHandler(a, s) || isGridStaff(a, ctx, ['gridWorker', 'gridLeader']),
    whoMay: "the current handler, or a grid worker or the grid leader of the case's grid",
    payloadDoc:
      '{ at: ISO instant; place: string (1..200); party?: string (1..100); findings: string (1..2000); resolved?: boolean (true ends a visit order); photos?: string[] }',
  },
  convene: {
    from: JOINT_FROM,
    to: 'same',
    who: mayConvene,
    whoMay: JOINT_WHO,
    payloadDoc:
      '{ at: ISO instant; place: string (1..200); purpose?: string (1..500); participants: [{ role: communityWorker|mediator|police|legalAdviser|propertyManager|volunteer|gridWorker|other; name: string (1..50); organisation?: string (1..100); userId?: string }] (1..30) }',
  },
  recordJoint: {
    from: OPEN_STATUSES,
    to: 'same',
    when: (s) => (s.joints ?? []).length > 0,
    whenDoc: 'a joint handling is open',
    who: mayConvene,
    whoMay: JOINT_WHO,
    payloadDoc:
      '{ jointNo: integer (an open joint handling); outcome: string (1..2000); resolved: boolean; photos?: string[] }',
  },
  instructVisit: {
    from: ['registered', ...ACTIVE],
    to: 'same',
    when: (s, ctx) => !s.visitOrder && (ctx.channels ?? []).some((c) => DIRECTED_VISIT_LINES.includes(c)),
    whenDoc: 'the case came by the hotline, opinion or petition line and no visit order is open',
    who: (_s, a, ctx) => isChainOperatorAbove(a, ctx, 'grid'),
    whoMay: "an operator of a center of the case's chain (community, street or district)",
    payloadDoc: '{ instructions: string (1..500); dueAt?: ISO instant }',
  },
};

/** True when the action is possible in this state (status and state conditions; not the actor). */
export function isPossible(rule: CaseRule, s: CaseState, ctx: CaseContext): boolean {
  return rule.from.includes(s.status) && (rule.when ? rule.when(s, ctx) : true);
}
