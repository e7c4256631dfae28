import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import type { ActorName } from './case-fixtures.js';
import { A, ACTOR_NAMES, COMMUNITY_CENTER, CTX, reported } from './case-fixtures.js';
import { allowedActions, onTheSpotState, transition } from './case-machine.js';
import { replay } from './case-replay.js';
import { CASE_RULES, isPossible } from './case-rules.js';
import type { CaseAction, CaseEvent, CaseState } from './case-types.js';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  HANDLED_STATUSES,
  LEVEL_RANK,
  OPEN_STATUSES,
  TERMINAL_STATUSES,
} from './case-types.js';

/** A good value most of the time, sometimes one of the bad ones. */
const sometimes = <T>(good: fc.Arbitrary<T>, ...bad: unknown[]) =>
  fc.oneof(
    { weight: 8, arbitrary: good as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  );

const text = sometimes(fc.string({ minLength: 1, maxLength: 12 }), '', '  ', 7, 'x'.repeat(2001));
const reason = fc.record({ reason: text });
const photos = fc.option(
  sometimes(fc.array(fc.constantFrom('p1', 'p2', 'p3'), { maxLength: 2 }), 'p1', ['']),
  {
    nil: undefined,
  },
);

const TARGETS: unknown[] = [
  { kind: 'user', userId: 'u-worker', unitId: 'g1' },
  { kind: 'user', userId: 'u-worker2', unitId: 'g1' },
  { kind: 'center', unitId: 'c1', level: 'community' },
  { kind: 'center', unitId: 'c2', level: 'community' },
  { kind: 'center', unitId: 's1', level: 'street' },
  { kind: 'center', unitId: 'd1', level: 'district' },
  { kind: 'departments', leadDepartmentId: 'dep1', assistingDepartmentIds: ['dep2'] },
  { kind: 'departments', leadDepartmentId: 'dep2', assistingDepartmentIds: [] },
  { kind: 'departments', leadDepartmentId: 'dep3', assistingDepartmentIds: ['dep1', 'dep2'] },
  { kind: 'departments', leadDepartmentId: 'dep1', assistingDepartmentIds: ['dep1'] },
  { kind: 'user', userId: 'u-worker' },
  { kind: 'nobody' },
];

/** Payload arbitraries per action: mostly valid, sometimes not. */
const PAYLOADS: Record<CaseAction, fc.Arbitrary<unknown>> = {
  register: fc.record(
    {
      categoryCode: sometimes(fc.constantFrom('01', '02.03'), ''),
      priority: sometimes(fc.constant('high'), 'asap'),
    },
    { requiredKeys: [] },
  ),
  reject: reason,
  dispatch: fc.record({ target: fc.constantFrom(...TARGETS) }),
  accept: sometimes(fc.constant({}), 'x'),
  return: reason,
  note: fc.record({ text }),
  pause: reason,
  resume: fc.constant({}),
  requestExtension: fc.record({ hours: fc.integer({ min: -2, max: 800 }), reason: text }),
  decideExtension: fc.record({ approved: fc.boolean(), reason: text }, { requiredKeys: ['approved'] }),
  escalate: reason,
  feedback: fc.record({ result: text, photos }),
  verify: fc.record({ passed: fc.boolean(), comment: text }, { requiredKeys: ['passed'] }),
  close: fc.record({ summary: text }, { requiredKeys: [] }),
  evaluate: fc.record({ score: fc.integer({ min: 0, max: 6 }), comment: text }, { requiredKeys: ['score'] }),
  reopen: reason,
  merge: fc.record({ intoCaseId: fc.constantFrom('case-2', 'case-1', '') }),
  cancel: reason,
  supervise: fc.record({ level: sometimes(fc.constantFrom('yellow', 'red'), 'green'), reason: text }),
  recordVisit: fc.record(
    {
      at: sometimes(fc.constant('2026-11-27T09:00:00+08:00'), 'soon'),
      place: text,
      findings: text,
      resolved: sometimes(fc.boolean(), 'yes'),
      photos,
    },
    { requiredKeys: ['at', 'place', 'findings'] },
  ),
  convene: fc.record({
    at: sometimes(fc.constant('2026-11-28T14:00:00+08:00'), '明天'),
    place: text,
    participants: sometimes(
      fc.array(
        fc.record({
          role: sometimes(fc.constantFrom('mediator', 'police', 'propertyManager'), 'mayor'),
          name: text,
        }),
        { minLength: 1, maxLength: 3 },
      ),
      [],
      'everyone',
    ),
  }),
  // jointNo: the convene events' versions are small; guesses hit open ones and miss closed ones
  recordJoint: fc.record({
    jointNo: fc.integer({ min: 0, max: 12 }),
    outcome: text,
    resolved: sometimes(fc.boolean(), 1),
  }),
  instructVisit: fc.record(
    { instructions: text, dueAt: sometimes(fc.constant('2026-11-30T17:00:00+08:00'), 'friday') },
    { requiredKeys: ['instructions'] },
  ),
};

/** One step: take an allowed (actor, action) pair by index, or a blind one; a payload for every action. */
const stepArb = fc.record({
  blind: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  /** allow actions that end the case (reject, cancel, merge) in this step */
  end: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
  pick: fc.nat(),
  pickActor: fc.nat(),
  actor: fc.constantFrom(...ACTOR_NAMES),
  action: fc.constantFrom(...CASE_ACTIONS),
  payloads: fc.record(PAYLOADS),
});

const FOREIGN: ActorName[] = ['foreignStreet', 'foreignCommunity', 'foreignWorker', 'foreignLeader'];
const NOT_ADMIN = ACTOR_NAMES.filter((n) => n !== 'admin' && n !== 'system');
const CARD = { none: 0, yellow: 1, red: 2 } as const;

const ENDING: readonly CaseAction[] = ['reject', 'cancel', 'merge'];

/** An allowed (actor, action): the action first (uniformly, ending ones only when asked), then the actor. */
function choose(
  allowed: [ActorName, CaseAction][],
  step: { end: boolean; pick: number; pickActor: number },
): [ActorName, CaseAction] | undefined {
  const all = [...new Set(allowed.map(([, a]) => a))];
  const going = all.filter((a) => !ENDING.includes(a));
  const actions = step.end || going.length === 0 ? all : going;
  const action = actions[step.pick % Math.max(actions.length, 1)];
  const actors = allowed.filter(([, a]) => a === action);
  return actors[step.pickActor % Math.max(actors.length, 1)];
}

function pairs(state: CaseState, names: readonly ActorName[]): [ActorName, CaseAction][] {
  return names.flatMap((n) => allowedActions(state, A[n], CTX).map((a): [ActorName, CaseAction] => [n, a]));
}

function checkInvariants(s: CaseState, prev: CaseState): void {
  expect(CASE_STATUSES).toContain(s.status);
  if (HANDLED_STATUSES.includes(s.status)) expect(s.handler).not.toBeNull();
  if (s.status === 'reported') expect(s.handler).toBeNull();
  // a registered case lies on a center's desk
  if (s.status === 'registered') expect(s.handler?.kind).toBe('center');
  if (s.paused) expect(s.status).toBe('handling');
  if (s.pendingExtension) expect(['dispatched', 'handling']).toContain(s.status);
  expect(s.closedBy !== null).toBe(s.status === 'closed' || s.status === 'evaluated');
  expect(s.mergedInto !== null).toBe(s.status === 'merged');
  // a case that left the loop has no open joint handling and no visit order
  if (!OPEN_STATUSES.includes(s.status) && s.status !== 'evaluated') {
    expect(s.joints ?? []).toEqual([]);
    expect(s.visitOrder ?? null).toBeNull();
  }
  expect(new Set(s.joints ?? []).size).toBe((s.joints ?? []).length);
  expect(CARD[s.supervision]).toBeGreaterThanOrEqual(CARD[prev.supervision]);
  expect(LEVEL_RANK[s.escalation]).toBeGreaterThanOrEqual(LEVEL_RANK[prev.escalation]);
  for (const n of FOREIGN) expect(allowedActions(s, A[n], CTX)).toEqual([]);
  if (TERMINAL_STATUSES.includes(s.status)) {
    expect(pairs(s, ACTOR_NAMES)).toEqual([]);
  } else {
    // no case is lost: someone other than the admin can move it
    expect(pairs(s, NOT_ADMIN).length).toBeGreaterThan(0);
  }
}

describe('case machine: model-based property', () => {
  it('keeps its invariants over random sequences of actions', () => {
    const applied = new Map<string, number>();
    const refused = new Map<string, number>();
    const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' }),
        (onSpot, steps) => {
          const initial = onSpot
            ? onTheSpotState({ receivingCenter: COMMUNITY_CENTER, userId: 'u-worker', gridUnitId: 'g1' })
            : reported();
          let state = initial;
          const events: CaseEvent[] = [];
          checkInvariants(state, state);
          steps.forEach((step, i) => {
            const allowed = pairs(state, ACTOR_NAMES);
            const chosen = step.blind ? undefined : choose(allowed, step);
            const [name, action] = chosen ?? [step.actor, step.action];
            const actor = A[name];
            const original = state;
            const before = structuredClone(state);
            const at = new Date(Date.UTC(2026, 10, 27, 0, i)).toISOString();
            const rule = CASE_RULES[action];
            try {
              const r = transition(state, action, step.payloads[action], actor, CTX, at);
              expect(allowedActions(before, actor, CTX)).toContain(action);
              expect(r.state.version).toBe(before.version + 1);
              expect(r.event).toMatchObject({
                action,
                from: before.status,
                to: r.state.status,
                version: r.state.version,
              });
              events.push(r.event);
              count(applied, action);
              count(applied, `status:${r.state.status}`);
              state = r.state;
            } catch (e) {
              if (!isAppError(e)) throw e;
              const expected = !isPossible(rule, before, CTX)
                ? 'TRANSITION_NOT_ALLOWED'
                : !rule.who(before, actor, CTX)
                  ? 'FORBIDDEN'
                  : 'VALIDATION_FAILED';
              expect(e.code).toBe(expected);
              count(refused, e.code);
              expect(state).toBe(original);
            }
            // the machine never mutates what it is given, so a refused action leaves the state untouched
            expect(original).toEqual(before);
            checkInvariants(state, before);
          });
          expect(state.version).toBe(initial.version + events.length);
          expect(replay(initial, events)).toEqual(state);
        },
      ),
      { numRuns: 500 },
    );
    // the sequences really explore the machine: every action applied, every status reached, every refusal seen
    for (const a of CASE_ACTIONS) expect(applied.get(a) ?? 0).toBeGreaterThan(0);
    for (const st of CASE_STATUSES.filter((x) => x !== 'reported'))
      expect(applied.get(`status:${st}`) ?? 0).toBeGreaterThan(0);
    expect([...refused.keys()].sort()).toEqual(['FORBIDDEN', 'TRANSITION_NOT_ALLOWED', 'VALIDATION_FAILED']);
  });
});
