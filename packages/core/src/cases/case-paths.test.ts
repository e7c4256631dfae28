import { describe, expect, it } from 'vitest';
import { A, AT, CTX, reported, run } from './case-fixtures.js';
import type { Step } from './case-fixtures.js';
import { allowedActions, transition } from './case-machine.js';
import { applyEvent, replay } from './case-replay.js';
import { CASE_RULES } from './case-rules.js';
import { ACTION_TABLE } from './case-table.js';
import type { CaseEvent } from './case-types.js';
import { CASE_ACTIONS, CASE_STATUSES } from './case-types.js';

const GRID_LOOP: Step[] = [
  ['community', 'register', { categoryCode: '01.03', priority: 'normal' }],
  ['community', 'dispatch', { target: { kind: 'user', userId: 'u-worker', unitId: 'g1' } }],
  ['worker', 'accept'],
  ['worker', 'feedback', { result: 'swept', photos: ['a1'] }],
  ['community', 'verify', { passed: false, comment: 'the corner is still dirty' }],
  ['worker', 'feedback', { result: 'swept the corner too' }],
  ['community', 'verify', { passed: true }],
  ['community', 'close', { summary: 'clean' }],
  ['leader', 'evaluate', { score: 5 }],
  ['street', 'reopen', { reason: 'the resident is not satisfied' }],
];

const ONE_CALL: Step[] = [
  ['community', 'register', {}],
  ['community', 'dispatch', { target: { kind: 'user', userId: 'u-worker', unitId: 'g1' } }],
  ['worker', 'accept'],
  ['worker', 'recordVisit', { at: '2026-11-27T10:00:00Z', place: 'river bank', findings: 'illegal dumping' }],
  ['worker', 'escalate', { reason: 'beyond the grid' }],
  ['community', 'accept'],
  ['community', 'escalate', { reason: 'beyond the community' }],
  ['street', 'accept'],
  ['street', 'escalate', { reason: 'several departments needed' }],
  ['district', 'accept'],
  [
    'district',
    'dispatch',
    { target: { kind: 'departments', leadDepartmentId: 'dep1', assistingDepartmentIds: ['dep2', 'dep3'] } },
  ],
  ['dep1', 'return', { reason: 'not our competence alone' }],
  [
    'district',
    'dispatch',
    { target: { kind: 'departments', leadDepartmentId: 'dep2', assistingDepartmentIds: ['dep1'] } },
  ],
  ['dep2', 'accept'],
  ['dep1', 'note', { text: 'inspection done' }],
  ['dep2', 'feedback', { result: 'site cleared, fines issued' }],
  ['district', 'verify', { passed: true }],
  ['district', 'close', {}],
];

function expectReplayable(events: CaseEvent[], final: unknown) {
  expect(replay(reported(), events)).toEqual(final);
  // events survive storage as JSON
  expect(replay(reported(), JSON.parse(JSON.stringify(events)) as CaseEvent[])).toEqual(final);
}

describe('happy paths', () => {
  it('grid report → register → dispatch → verify fail → close → evaluate → reopen', () => {
    const { state, events } = run(reported(), GRID_LOOP);
    expect(events.map((e) => e.to)).toEqual([
      'registered',
      'dispatched',
      'handling',
      'verifying',
      'handling',
      'verifying',
      'verified',
      'closed',
      'evaluated',
      'registered',
    ]);
    expect(state).toMatchObject({ version: 11, reopenCount: 1, dispatcher: null, escalation: 'grid' });
    expect(state.handler).toEqual({ kind: 'center', unitId: 'c1', level: 'community' });
    expect(allowedActions(state, A.community, CTX)).toContain('dispatch');
    expectReplayable(events, state);
  });

  it('one call, all respond: grid → community → street → district → departments → closed', () => {
    const { state, events } = run(reported(), ONE_CALL);
    expect(state).toMatchObject({
      status: 'closed',
      escalation: 'district',
      dispatcher: { unitId: 'd1', level: 'district' },
      closedBy: { unitId: 'd1', level: 'district' },
    });
    expect(state.handler).toEqual({
      kind: 'departments',
      leadDepartmentId: 'dep2',
      assistingDepartmentIds: ['dep1'],
    });
    const returned = events.find((e) => e.action === 'return');
    expect(returned).toMatchObject({ from: 'dispatched', to: 'registered' });
    expect(events.filter((e) => e.action === 'escalate').map((e) => e.payload.target)).toEqual([
      { kind: 'center', unitId: 'c1', level: 'community' },
      { kind: 'center', unitId: 's1', level: 'street' },
      { kind: 'center', unitId: 'd1', level: 'district' },
    ]);
    expectReplayable(events, state);
  });
});

describe('applyEvent', () => {
  it('refuses an event that does not follow the state', () => {
    const { events } = run(reported(), GRID_LOOP.slice(0, 2));
    const second = events[1] as CaseEvent;
    expect(() => applyEvent(reported(), second)).toThrow(/does not follow/);
  });

  it('events of other services (e.g. a revisit) only advance the version', () => {
    const { state } = run(reported(), GRID_LOOP.slice(0, 8));
    const revisit = {
      ...({} as CaseEvent),
      action: 'revisit',
      from: 'closed',
      to: 'closed',
      version: state.version + 1,
    };
    expect(applyEvent(state, revisit as unknown as CaseEvent)).toEqual({
      ...state,
      version: state.version + 1,
    });
  });

  it('does not mutate the state it is given', () => {
    const s = reported();
    const copy = structuredClone(s);
    transition(s, 'register', {}, A.community, CTX, AT);
    expect(s).toEqual(copy);
  });
});

describe('ACTION_TABLE', () => {
  it('has a row for every (status, action) the rules start from, with a known target', () => {
    for (const action of CASE_ACTIONS) {
      const states = new Set(ACTION_TABLE.filter((r) => r.action === action).map((r) => r.state));
      expect([...states].sort()).toEqual([...CASE_RULES[action].from].sort());
    }
    for (const row of ACTION_TABLE) {
      expect(CASE_STATUSES).toContain(row.to);
      expect(row.whoMay.length).toBeGreaterThan(0);
    }
    expect(ACTION_TABLE.filter((r) => r.action === 'verify').map((r) => r.to)).toEqual([
      'verified',
      'handling',
    ]);
  });

  it('no row starts from a terminal status', () => {
    expect(ACTION_TABLE.some((r) => ['rejected', 'cancelled', 'merged'].includes(r.state))).toBe(false);
  });
});
