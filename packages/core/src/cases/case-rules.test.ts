import { describe, expect, it } from 'vitest';
import type { Step } from './case-fixtures.js';
import {
  A,
  AT,
  CLOSED,
  COMMUNITY_CENTER,
  CTX,
  DISPATCHED,
  HANDLING,
  REGISTERED,
  VERIFYING,
  after,
  appErrorOf,
  run,
} from './case-fixtures.js';
import { allowedActions, autoSupervise, onTheSpotState, transition } from './case-machine.js';
import type { CaseState } from './case-types.js';

const issuesOf = (fn: () => unknown) =>
  (appErrorOf(fn).details as { issues: { path: string }[] }).issues.map((i) => i.path);

/** Worker escalates to c1; community accepts and escalates to s1; street accepts. */
const AT_STREET: Step[] = [
  ...HANDLING,
  ['worker', 'escalate', { reason: 'too big' }],
  ['community', 'accept'],
  ['community', 'escalate', { reason: 'street please' }],
  ['street', 'accept'],
];
const AT_DISTRICT: Step[] = [
  ...AT_STREET,
  ['street', 'escalate', { reason: 'district' }],
  ['district', 'accept'],
];
const TO_DEPARTMENTS: Step = [
  'district',
  'dispatch',
  { target: { kind: 'departments', leadDepartmentId: 'dep1', assistingDepartmentIds: ['dep2'] } },
];

describe('register and dispatch', () => {
  it('register hands the case to the receiving center and normalises the payload', () => {
    const { state, events } = run(after(), [['community', 'register', { categoryCode: ' 01 ', extra: 1 }]]);
    expect(state.handler).toEqual({ kind: 'center', unitId: 'c1', level: 'community' });
    expect(events[0]?.payload).toEqual({ categoryCode: '01' });
  });

  it('a center dispatches only to a lower level, departments only from the district', () => {
    const s = after(...REGISTERED);
    const center = (level: string) => ({ target: { kind: 'center', unitId: 'x', level } });
    expect(issuesOf(() => transition(s, 'dispatch', center('community'), A.community, CTX, AT))).toContain(
      'payload.target.level',
    );
    const deps = { target: { kind: 'departments', leadDepartmentId: 'dep1' } };
    expect(issuesOf(() => transition(s, 'dispatch', deps, A.community, CTX, AT))).toEqual([
      'payload.target.kind',
    ]);
    const asUser = { target: { kind: 'user', userId: 'u', unitId: 'g1', level: 'community' } };
    expect(issuesOf(() => transition(s, 'dispatch', asUser, A.community, CTX, AT))).toEqual([
      'payload.target.level',
    ]);
    expect(
      issuesOf(() => transition(s, 'dispatch', { target: { kind: 'robot' } }, A.community, CTX, AT)),
    ).toEqual(['payload.target.kind']);
  });

  it('departments: the lead is not among the assisting, which are distinct', () => {
    const s = after(...AT_DISTRICT);
    const bad = {
      target: {
        kind: 'departments',
        leadDepartmentId: 'dep1',
        assistingDepartmentIds: ['dep2', 'dep2', 'dep1'],
      },
    };
    expect(issuesOf(() => transition(s, 'dispatch', bad, A.district, CTX, AT))).toEqual([
      'payload.target.assistingDepartmentIds.1',
      'payload.target.assistingDepartmentIds',
    ]);
  });

  it('a handling center re-dispatches downwards and becomes the dispatcher', () => {
    const s = after(...AT_STREET);
    const target = { target: { kind: 'center', unitId: 'c2', level: 'community' } };
    const { state } = transition(s, 'dispatch', target, A.street, CTX, AT);
    expect(state.dispatcher).toEqual({ unitId: 's1', level: 'street' });
    expect(state.handler).toEqual({ kind: 'center', unitId: 'c2', level: 'community' });
    expect(allowedActions(state, A.community2, CTX)).toContain('accept');
  });
});

describe('return and escalate', () => {
  it('return hands the case back to the dispatcher and clears the request', () => {
    const s = after(...HANDLING, ['worker', 'requestExtension', { hours: 8, reason: 'r' }]);
    const { state } = transition(s, 'return', { reason: 'wrong grid' }, A.worker, CTX, AT);
    expect(state).toMatchObject({ status: 'registered', dispatcher: null, pendingExtension: null });
    expect(state.handler).toEqual({ kind: 'center', unitId: 'c1', level: 'community' });
  });

  it('a worker without a dispatcher (resolved on the spot, verification failed) cannot return', () => {
    const spot = onTheSpotState({ receivingCenter: COMMUNITY_CENTER, userId: 'u-worker', gridUnitId: 'g1' });
    const failed = transition(
      spot,
      'verify',
      { passed: false, comment: 'still dirty' },
      A.community,
      CTX,
      AT,
    ).state;
    expect(failed.handler).toMatchObject({ kind: 'user', userId: 'u-worker' });
    const e = appErrorOf(() => transition(failed, 'return', { reason: 'r' }, A.worker, CTX, AT));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect((e.details as { allowed: string[] }).allowed).toContain('feedback');
  });

  it('grid → community keeps the dispatcher; community → street → district makes the caller dispatcher', () => {
    const grid = after(...HANDLING, ['worker', 'escalate', { reason: 'r' }]);
    expect(grid).toMatchObject({ status: 'dispatched', escalation: 'community' });
    expect(grid.handler).toEqual({ kind: 'center', unitId: 'c1', level: 'community' });
    expect(grid.dispatcher).toEqual({ unitId: 'c1', level: 'community' });
    const street = after(...AT_STREET);
    expect(street).toMatchObject({ escalation: 'street', dispatcher: { unitId: 'c1', level: 'community' } });
    const district = after(...AT_DISTRICT);
    expect(district).toMatchObject({ escalation: 'district', dispatcher: { unitId: 's1', level: 'street' } });
    expect(district.handler).toEqual({ kind: 'center', unitId: 'd1', level: 'district' });
    expect(
      appErrorOf(() => transition(district, 'escalate', { reason: 'r' }, A.district, CTX, AT)).code,
    ).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('escalation keeps the highest level reached; a registered center may call up too', () => {
    const down = after(...AT_DISTRICT, [
      'district',
      'dispatch',
      { target: { kind: 'user', userId: 'u-worker', unitId: 'g1' } },
    ]);
    const again = transition(down, 'escalate', { reason: 'r' }, A.worker, CTX, AT).state;
    expect(again.escalation).toBe('district');
    const reg = transition(after(...REGISTERED), 'escalate', { reason: 'r' }, A.community, CTX, AT).state;
    expect(reg).toMatchObject({ status: 'dispatched', escalation: 'street', dispatcher: COMMUNITY_CENTER });
  });

  it('departments cannot escalate; the lead accepts and returns, assisting departments only note', () => {
    const s = after(...AT_DISTRICT, TO_DEPARTMENTS);
    expect(allowedActions(s, A.dep1, CTX)).toEqual([
      'accept',
      'return',
      'requestExtension',
      'recordVisit',
      'convene',
    ]);
    expect(allowedActions(s, A.dep2, CTX)).toEqual([]);
    const handling = transition(s, 'accept', {}, A.dep1, CTX, AT).state;
    expect(allowedActions(handling, A.dep2, CTX)).toEqual(['note']);
    expect(allowedActions(handling, A.dep3, CTX)).toEqual([]);
    expect(appErrorOf(() => transition(handling, 'escalate', { reason: 'r' }, A.dep1, CTX, AT)).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });
});

describe('pause, extension, verification', () => {
  it('pause records since; feedback waits for resume', () => {
    const paused = after(...HANDLING, ['worker', 'pause', { reason: 'away' }]);
    expect(paused.paused).toEqual({ reason: 'away', since: AT });
    expect(appErrorOf(() => transition(paused, 'feedback', { result: 'x' }, A.worker, CTX, AT)).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    expect(transition(paused, 'resume', {}, A.worker, CTX, AT).state.paused).toBeNull();
  });

  it('the dispatcher decides extensions; the event records the approved hours', () => {
    const s = after(...HANDLING, ['worker', 'requestExtension', { hours: 48, reason: 'parts' }]);
    expect(s.pendingExtension).toEqual({ hours: 48, reason: 'parts', requestedBy: 'u-worker' });
    const yes = transition(s, 'decideExtension', { approved: true }, A.community, CTX, AT);
    expect(yes.event.payload).toEqual({ approved: true, hours: 48, approvedHours: 48 });
    expect(yes.state.pendingExtension).toBeNull();
    const no = transition(s, 'decideExtension', { approved: false, reason: 'no' }, A.community, CTX, AT);
    expect(no.event.payload).toEqual({ approved: false, reason: 'no', hours: 48, approvedHours: 0 });
  });

  it('failed verification sends the case back to the same handler', () => {
    const s = after(...VERIFYING);
    const { state } = transition(s, 'verify', { passed: false, comment: 'not yet' }, A.community, CTX, AT);
    expect(state.status).toBe('handling');
    expect(state.handler).toEqual(s.handler);
  });

  it('a case resolved on the spot is verified and closed by the receiving center', () => {
    const spot = onTheSpotState({ receivingCenter: COMMUNITY_CENTER, userId: 'u-worker', gridUnitId: 'g1' });
    expect(spot).toMatchObject({ status: 'verifying', version: 1, dispatcher: null });
    const { state } = run(spot, [
      ['community', 'verify', { passed: true }],
      ['community', 'close', {}],
    ]);
    expect(state.closedBy).toEqual(COMMUNITY_CENTER);
  });
});

describe('after closure', () => {
  it('evaluate by the closing center or a leader in scope', () => {
    const s = after(...CLOSED);
    expect(allowedActions(s, A.community, CTX)).toContain('evaluate');
    expect(allowedActions(s, A.leader, CTX)).toEqual(['evaluate']);
    expect(allowedActions(s, A.foreignLeader, CTX)).toEqual([]);
  });

  it('reopen by a center above the closing one, or the system; back to the closing center', () => {
    const s = after(...CLOSED);
    for (const who of [A.street, A.district, A.admin, A.system]) {
      expect(allowedActions(s, who, CTX)).toContain('reopen');
    }
    for (const who of [A.community2, A.foreignStreet, A.worker, A.leader]) {
      expect(allowedActions(s, who, CTX)).not.toContain('reopen');
    }
    const { state } = transition(s, 'reopen', { reason: 'dissatisfied' }, A.street, CTX, AT);
    expect(state).toMatchObject({ status: 'registered', dispatcher: null, closedBy: null, reopenCount: 1 });
    expect(state.handler).toEqual({ kind: 'center', unitId: 'c1', level: 'community' });
  });
});

describe('merge, cancel, supervise, visits', () => {
  it('merge by the district operator or the handling center', () => {
    expect(allowedActions(after(...HANDLING), A.district, CTX)).toContain('merge');
    expect(allowedActions(after(...AT_STREET), A.street, CTX)).toContain('merge');
    expect(allowedActions(after(...HANDLING), A.street, CTX)).not.toContain('merge');
    const { state } = transition(after(), 'merge', { intoCaseId: 'case-0' }, A.community, CTX, AT);
    expect(state.mergedInto).toBe('case-0');
  });

  it('terminal states allow nothing to anyone', () => {
    const ends: CaseState[] = [
      after(['community', 'reject', { reason: 'r' }]),
      after(...DISPATCHED, ['admin', 'cancel', { reason: 'r' }]),
      after(['community', 'merge', { intoCaseId: 'case-0' }]),
    ];
    for (const s of ends) {
      for (const who of Object.values(A)) expect(allowedActions(s, who, CTX)).toEqual([]);
    }
  });

  it('supervision only rises; who may give a card depends on the handler level', () => {
    const s = after(...HANDLING);
    const red = transition(s, 'supervise', { level: 'red', reason: 'r' }, A.community, CTX, AT).state;
    expect(
      transition(red, 'supervise', { level: 'yellow', reason: 'r' }, A.leader, CTX, AT).state.supervision,
    ).toBe('red');
    expect(allowedActions(after(...AT_STREET), A.community, CTX)).not.toContain('supervise');
    const deps = after(...AT_DISTRICT, TO_DEPARTMENTS);
    expect(allowedActions(deps, A.district, CTX)).toContain('supervise');
    expect(allowedActions(deps, A.street, CTX)).not.toContain('supervise');
    const auto = autoSupervise(s, 'yellow', 'accept time limit passed', CTX, AT);
    expect(auto.state.supervision).toBe('yellow');
    expect(auto.event).toMatchObject({ actorId: 'system', actorRole: 'admin', action: 'supervise' });
  });

  it('a grid worker of the case grid records a directed visit; the instant is normalised', () => {
    const s = after(...DISPATCHED);
    const visit = { at: '2026-11-27T09:30:00+08:00', place: 'Gate', findings: 'ok', photos: ['p1'] };
    const { event } = transition(s, 'recordVisit', visit, A.worker2, CTX, AT);
    expect(event.payload).toEqual({ ...visit, at: '2026-11-27T01:30:00.000Z', resolved: false });
    expect(allowedActions(s, A.gridLeader, CTX)).toContain('recordVisit');
    expect(allowedActions(s, A.instructor, CTX)).not.toContain('recordVisit');
    expect(allowedActions(s, A.foreignWorker, CTX)).not.toContain('recordVisit');
  });

  it('a directed visit (定向走访): a center orders it, visits repeat until one resolves the matter', () => {
    const s = after(...REGISTERED);
    // before the order, a registered case cannot be visited
    expect(allowedActions(s, A.worker, CTX)).not.toContain('recordVisit');
    expect(allowedActions(s, A.community, CTX)).toContain('instructVisit');
    const ordered = transition(s, 'instructVisit', { instructions: '入户核实' }, A.district, CTX, AT).state;
    expect(ordered.visitOrder).toEqual({ by: 'u-district', at: AT, instructions: '入户核实', dueAt: null });
    expect(allowedActions(ordered, A.street, CTX)).not.toContain('instructVisit');
    const visit = { at: AT, place: '3号楼', findings: '未见到当事人' };
    const first = transition(ordered, 'recordVisit', visit, A.worker, CTX, AT).state;
    expect(first.visitOrder).not.toBeNull();
    const second = transition(first, 'recordVisit', { ...visit, resolved: true }, A.worker, CTX, AT).state;
    expect(second.visitOrder).toBeNull();
    expect(allowedActions(second, A.worker, CTX)).not.toContain('recordVisit');
  });

  it('directed visits are for the hotline, opinion and petition lines only', () => {
    const s = after(...REGISTERED);
    const gridOnly = { ...CTX, channels: ['grid'] };
    expect(allowedActions(s, A.community, gridOnly)).not.toContain('instructVisit');
    const e = appErrorOf(() =>
      transition(s, 'instructVisit', { instructions: 'x' }, A.community, gridOnly, AT),
    );
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('a joint handling (联合处置) stays open until its outcome is recorded; closing clears the rest', () => {
    const s = after(...HANDLING);
    const meet = {
      at: '2026-11-28T14:00:00+08:00',
      place: '社区议事厅',
      participants: [
        { role: 'mediator', name: '王调解' },
        { role: 'propertyManager', name: '赵经理', organisation: '绿城物业' },
      ],
    };
    const one = transition(s, 'convene', meet, A.gridLeader, CTX, AT);
    expect(one.event.payload).toMatchObject({ jointNo: s.version + 1, at: '2026-11-28T06:00:00.000Z' });
    const two = transition(one.state, 'convene', meet, A.community, CTX, AT);
    expect(two.state.joints).toEqual([s.version + 1, s.version + 2]);
    const done = transition(
      two.state,
      'recordJoint',
      { jointNo: s.version + 1, outcome: '达成调解协议', resolved: true },
      A.gridLeader,
      CTX,
      AT,
    ).state;
    expect(done.joints).toEqual([s.version + 2]);
    const twice = appErrorOf(() =>
      transition(
        done,
        'recordJoint',
        { jointNo: s.version + 1, outcome: 'x', resolved: false },
        A.gridLeader,
        CTX,
        AT,
      ),
    );
    expect(twice.code).toBe('VALIDATION_FAILED');
    expect(allowedActions(done, A.volunteer, CTX)).not.toContain('convene');
    expect(allowedActions(done, A.foreignCommunity, CTX)).not.toContain('recordJoint');
  });
});
