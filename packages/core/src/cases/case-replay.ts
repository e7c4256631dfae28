import { AppError } from '../shared/errors.js';
import type {
  ConvenePayload,
  JointOutcomePayload,
  VisitOrderPayload,
  VisitPayload,
  DispatchPayload,
  EscalatePayload,
  ExtensionRequestPayload,
  MergePayload,
  ReasonPayload,
  SupervisePayload,
} from './case-payloads.js';
import { centerHandler, controllerOf, handlerCenter, maxLevel } from './case-relations.js';
import type { CaseEvent, CaseState, SupervisionLevel } from './case-types.js';
import { CASE_ACTIONS } from './case-types.js';

const CARD_RANK: Record<SupervisionLevel, number> = { none: 0, yellow: 1, red: 2 };

function cleared(s: CaseState): CaseState {
  return { ...s, paused: null, pendingExtension: null };
}

/** A case leaving the loop takes its open joint handlings and visit order with it. */
function ended(s: CaseState): CaseState {
  return { ...s, joints: [], visitOrder: null };
}

/** The effect of one event on the state, apart from status and version. */
function effect(s: CaseState, e: CaseEvent): CaseState {
  const p = e.payload;
  switch (e.action) {
    case 'register':
      return { ...s, handler: centerHandler(s.receivingCenter) };
    case 'dispatch':
      return {
        ...cleared(s),
        dispatcher: handlerCenter(s),
        handler: (p as unknown as DispatchPayload).target,
      };
    case 'return':
      return {
        ...cleared(s),
        handler: s.dispatcher ? centerHandler(s.dispatcher) : s.handler,
        dispatcher: null,
      };
    case 'pause':
      return { ...s, paused: { reason: (p as unknown as ReasonPayload).reason, since: e.at } };
    case 'resume':
      return { ...s, paused: null };
    case 'requestExtension': {
      const { hours, reason } = p as unknown as ExtensionRequestPayload;
      return { ...s, pendingExtension: { hours, reason, requestedBy: e.actorId } };
    }
    case 'decideExtension':
      return { ...s, pendingExtension: null };
    case 'escalate': {
      const target = (p as unknown as EscalatePayload).target;
      // a grid worker's call keeps its dispatcher; a center's call makes that center the dispatcher
      const dispatcher = s.handler?.kind === 'user' ? s.dispatcher : handlerCenter(s);
      return {
        ...cleared(s),
        handler: target,
        dispatcher,
        escalation: maxLevel(s.escalation, target.level),
      };
    }
    case 'feedback':
      return { ...s, pendingExtension: null };
    case 'close':
      // the ledger checks off the case and whatever joint handling was still open with it
      return { ...ended(s), closedBy: controllerOf(s) };
    case 'convene':
      return { ...s, joints: [...(s.joints ?? []), (p as unknown as ConvenePayload).jointNo] };
    case 'recordJoint': {
      const no = (p as unknown as JointOutcomePayload).jointNo;
      return { ...s, joints: (s.joints ?? []).filter((j) => j !== no) };
    }
    case 'instructVisit': {
      const o = p as unknown as VisitOrderPayload;
      return {
        ...s,
        visitOrder: { by: e.actorId, at: e.at, instructions: o.instructions, dueAt: o.dueAt ?? null },
      };
    }
    case 'recordVisit':
      return (p as unknown as VisitPayload).resolved ? { ...s, visitOrder: null } : s;
    case 'reopen':
      return {
        ...cleared(s),
        handler: s.closedBy ? centerHandler(s.closedBy) : s.handler,
        dispatcher: null,
        closedBy: null,
        reopenCount: s.reopenCount + 1,
      };
    case 'merge':
      return { ...ended(cleared(s)), mergedInto: (p as unknown as MergePayload).intoCaseId };
    case 'cancel':
    case 'reject':
      return ended(cleared(s));
    case 'supervise': {
      const level = (p as unknown as SupervisePayload).level;
      return { ...s, supervision: CARD_RANK[level] > CARD_RANK[s.supervision] ? level : s.supervision };
    }
    default:
      // accept, note, verify, evaluate change the status at most
      return s;
  }
}

/**
 * The state after an event (pure). Events of actions the machine does not know (e.g. a service's
 * revisit) only advance the version. Throws CONFLICT when the event does not follow the state.
 */
export function applyEvent(state: CaseState, event: CaseEvent): CaseState {
  if (event.version !== state.version + 1 || event.from !== state.status) {
    throw new AppError('CONFLICT', `event ${event.action} v${event.version} does not follow the state`, {
      status: state.status,
      version: state.version,
    });
  }
  if (!(CASE_ACTIONS as readonly string[]).includes(event.action)) {
    return { ...state, version: event.version };
  }
  return { ...effect(state, event), status: event.to, version: event.version };
}

/** Folds events over an initial state: the state they lead to. */
export function replay(initial: CaseState, events: readonly CaseEvent[]): CaseState {
  return events.reduce(applyEvent, initial);
}
