import { AppError, validationError } from '../shared/errors.js';
import { validatePayload } from './case-payloads.js';
import { applyEvent } from './case-replay.js';
import { CASE_RULES, isPossible } from './case-rules.js';
import type { CaseRule } from './case-rules.js';
import type {
  CaseAction,
  CaseActor,
  CaseContext,
  CaseEvent,
  CaseState,
  CaseStatus,
  Center,
  Level,
} from './case-types.js';
import { CASE_ACTIONS, SYSTEM_USER_ID } from './case-types.js';

/** The result of a transition: the new state and the event that leads to it. */
export interface TransitionResult {
  state: CaseState;
  event: CaseEvent;
}

/** The system actor of timers and revisits, as the machine sees it. */
export const SYSTEM_CASE_ACTOR: CaseActor = {
  userId: SYSTEM_USER_ID,
  role: 'admin',
  unitId: null,
  unitLevel: null,
  departmentId: null,
  unitAncestry: [],
  caseInScope: true,
};

const EMPTY: Omit<CaseState, 'status' | 'receivingCenter' | 'escalation'> = {
  version: 1,
  handler: null,
  dispatcher: null,
  paused: null,
  pendingExtension: null,
  supervision: 'none',
  mergedInto: null,
  closedBy: null,
  reopenCount: 0,
  joints: [],
  visitOrder: null,
};

/** A newly reported case, waiting for its receiving center to register or reject it. */
export function initialCaseState(input: { receivingCenter: Center; escalation?: Level }): CaseState {
  return {
    ...EMPTY,
    status: 'reported',
    receivingCenter: { ...input.receivingCenter },
    escalation: input.escalation ?? 'grid',
  };
}

/** A case a grid worker resolved on the spot: waiting for the receiving center to verify it. */
export function onTheSpotState(input: {
  receivingCenter: Center;
  userId: string;
  gridUnitId: string;
}): CaseState {
  return {
    ...EMPTY,
    status: 'verifying',
    receivingCenter: { ...input.receivingCenter },
    escalation: 'grid',
    handler: { kind: 'user', userId: input.userId, unitId: input.gridUnitId, level: 'grid' },
  };
}

/** True when the name is one of the machine's actions. */
export function isCaseAction(name: string): name is CaseAction {
  return (CASE_ACTIONS as readonly string[]).includes(name);
}

/** The actions the actor may take on the case now (status, role and relation; not the payload). */
export function allowedActions(state: CaseState, actor: CaseActor, ctx: CaseContext): CaseAction[] {
  return CASE_ACTIONS.filter((a) => {
    const rule = CASE_RULES[a];
    return isPossible(rule, state, ctx) && rule.who(state, actor, ctx);
  });
}

function targetStatus(rule: CaseRule, from: CaseStatus, payload: Record<string, unknown>): CaseStatus {
  if (rule.to === 'same') return from;
  if (rule.to === 'verdict') return payload.passed === true ? 'verified' : 'handling';
  return rule.to;
}

/**
 * Checks and applies one action: TRANSITION_NOT_ALLOWED when impossible in the state, FORBIDDEN
 * when not for this actor, VALIDATION_FAILED naming each bad payload field.
 */
export function transition(
  state: CaseState,
  action: CaseAction,
  payload: unknown,
  actor: CaseActor,
  ctx: CaseContext,
  at: string,
): TransitionResult {
  if (!isCaseAction(action)) throw validationError([{ path: 'action', reason: 'unknown action' }]);
  const rule = CASE_RULES[action];
  if (!isPossible(rule, state, ctx)) {
    const why = rule.from.includes(state.status) ? ` (needs: ${rule.whenDoc ?? 'another state'})` : '';
    throw new AppError('TRANSITION_NOT_ALLOWED', `cannot ${action} a case that is ${state.status}${why}`, {
      status: state.status,
      allowed: allowedActions(state, actor, ctx),
    });
  }
  if (!rule.who(state, actor, ctx)) {
    throw new AppError('FORBIDDEN', `${action} is for ${rule.whoMay}`, {
      status: state.status,
      allowed: allowedActions(state, actor, ctx),
    });
  }
  const { payload: normalised, issues } = validatePayload(action, payload, state, ctx);
  if (issues.length > 0) throw validationError(issues, `invalid payload for ${action}`);
  const event: CaseEvent = {
    action,
    from: state.status,
    to: targetStatus(rule, state.status, normalised),
    actorId: actor.userId,
    actorRole: actor.role,
    at,
    payload: normalised,
    version: state.version + 1,
  };
  return { state: applyEvent(state, event), event };
}

/** The timers' supervision card (督办), given by the system actor. */
export function autoSupervise(
  state: CaseState,
  level: 'yellow' | 'red',
  reason: string,
  ctx: CaseContext,
  at: string,
): TransitionResult {
  return transition(state, 'supervise', { level, reason }, SYSTEM_CASE_ACTOR, ctx, at);
}
