/**
 * Test fixtures of the case machine (used by the co-located tests only): one district d1 with
 * street s1 → community c1 → grid g1 (the case's chain), a sibling community c2, and a foreign
 * street s2 → community c3 → grid g3.
 */
import type { Role } from '../access/roles.js';
import { isAppError } from '../shared/errors.js';
import type { AppError } from '../shared/errors.js';
import { initialCaseState, SYSTEM_CASE_ACTOR, transition } from './case-machine.js';
import type { CaseAction, CaseActor, CaseContext, CaseEvent, CaseState } from './case-types.js';

export const CTX: CaseContext = {
  caseId: 'case-1',
  gridUnitId: 'g1',
  communityUnitId: 'c1',
  streetUnitId: 's1',
  districtUnitId: 'd1',
  channels: ['grid', 'hotline'],
};

export const AT = '2026-11-27T08:00:00.000Z';

const ANCESTRY: Record<string, string[]> = {
  g1: ['g1', 'c1', 's1', 'd1'],
  c1: ['c1', 's1', 'd1'],
  c2: ['c2', 's1', 'd1'],
  s1: ['s1', 'd1'],
  d1: ['d1'],
  g3: ['g3', 'c3', 's2', 'd1'],
  c3: ['c3', 's2', 'd1'],
  s2: ['s2', 'd1'],
};
const LEVEL: Record<string, CaseActor['unitLevel']> = {
  g1: 'basicGrid',
  g3: 'basicGrid',
  c1: 'community',
  c2: 'community',
  c3: 'community',
  s1: 'street',
  s2: 'street',
  d1: 'district',
};
const IN_SCOPE = new Set(['g1', 'c1', 's1', 'd1']);

/** A staff member bound to a unit. */
function staff(userId: string, role: Role, unitId: string): CaseActor {
  return {
    userId,
    role,
    unitId,
    unitLevel: LEVEL[unitId] ?? null,
    departmentId: null,
    unitAncestry: ANCESTRY[unitId] ?? [unitId],
    caseInScope: IN_SCOPE.has(unitId),
  };
}

/** A department handler. */
function dept(userId: string, departmentId: string): CaseActor {
  return {
    userId,
    role: 'departmentHandler',
    unitId: null,
    unitLevel: null,
    departmentId,
    unitAncestry: [],
    caseInScope: false,
  };
}

/** The pool of actors: every role at every level, a foreign street, admin and the system. */
export const A = {
  worker: staff('u-worker', 'gridWorker', 'g1'),
  worker2: staff('u-worker2', 'gridWorker', 'g1'),
  gridLeader: staff('u-gridleader', 'gridLeader', 'g1'),
  instructor: staff('u-instructor', 'gridInstructor', 'g1'),
  mediator: staff('u-mediator', 'mediator', 'g1'),
  volunteer: staff('u-volunteer', 'volunteer', 'g1'),
  community: staff('u-community', 'communityOperator', 'c1'),
  community2: staff('u-community2', 'communityOperator', 'c2'),
  street: staff('u-street', 'streetOperator', 's1'),
  district: staff('u-district', 'districtOperator', 'd1'),
  leader: staff('u-leader', 'leader', 'd1'),
  dep1: dept('u-dep1', 'dep1'),
  dep2: dept('u-dep2', 'dep2'),
  dep3: dept('u-dep3', 'dep3'),
  foreignWorker: staff('u-fworker', 'gridWorker', 'g3'),
  foreignCommunity: staff('u-fcommunity', 'communityOperator', 'c3'),
  foreignStreet: staff('u-fstreet', 'streetOperator', 's2'),
  foreignLeader: staff('u-fleader', 'leader', 's2'),
  resident: { ...staff('u-resident', 'resident', 'g1'), unitId: null, unitLevel: null, unitAncestry: [] },
  admin: { ...staff('u-admin', 'admin', 'd1') },
  system: SYSTEM_CASE_ACTOR,
} satisfies Record<string, CaseActor>;

export type ActorName = keyof typeof A;
export const ACTOR_NAMES = Object.keys(A) as ActorName[];

export const COMMUNITY_CENTER = { unitId: 'c1', level: 'community' } as const;

/** A reported case received by community c1. */
export function reported(): CaseState {
  return initialCaseState({ receivingCenter: COMMUNITY_CENTER });
}

/** One step of a scenario: who does what with which payload. */
export type Step = [ActorName, CaseAction, unknown?];

/** Runs steps from a state, failing loudly on the first refused one; returns the state and events. */
export function run(from: CaseState, steps: readonly Step[]): { state: CaseState; events: CaseEvent[] } {
  let state = from;
  const events: CaseEvent[] = [];
  for (const [who, action, payload] of steps) {
    const r = transition(state, action, payload ?? {}, A[who], CTX, AT);
    state = r.state;
    events.push(r.event);
  }
  return { state, events };
}

/** The state after some steps from a reported case. */
export function after(...steps: Step[]): CaseState {
  return run(reported(), steps).state;
}

export const TO_WORKER: Step = [
  'community',
  'dispatch',
  { target: { kind: 'user', userId: 'u-worker', unitId: 'g1' } },
];
export const REGISTERED: Step[] = [['community', 'register', {}]];
export const DISPATCHED: Step[] = [...REGISTERED, TO_WORKER];
export const HANDLING: Step[] = [...DISPATCHED, ['worker', 'accept']];
export const VERIFYING: Step[] = [...HANDLING, ['worker', 'feedback', { result: 'fixed' }]];
export const VERIFIED: Step[] = [...VERIFYING, ['community', 'verify', { passed: true }]];
export const CLOSED: Step[] = [...VERIFIED, ['community', 'close', {}]];
export const EVALUATED: Step[] = [...CLOSED, ['leader', 'evaluate', { score: 5 }]];

/** Calls fn, expecting an AppError with the code; returns it. */
export function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
