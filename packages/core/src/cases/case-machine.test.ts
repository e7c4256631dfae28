import { describe, expect, it } from 'vitest';
import type { ActorName, Step } from './case-fixtures.js';
import {
  A,
  AT,
  CLOSED,
  CTX,
  DISPATCHED,
  HANDLING,
  REGISTERED,
  VERIFIED,
  VERIFYING,
  after,
  appErrorOf,
} from './case-fixtures.js';
import { allowedActions, transition } from './case-machine.js';
import type { CaseAction, CaseStatus } from './case-types.js';
import { CASE_ACTIONS } from './case-types.js';

interface Row {
  action: CaseAction;
  setup: Step[];
  actor: ActorName;
  payload: unknown;
  to: CaseStatus;
  wrongState: Step[];
  wrongActor: ActorName;
  bad: [unknown, string];
}

const PAUSED: Step[] = [...HANDLING, ['worker', 'pause', { reason: 'resident away' }]];
const PENDING: Step[] = [...HANDLING, ['worker', 'requestExtension', { hours: 24, reason: 'parts' }]];
const why = { reason: 'because' };

/** A joint handling convened by the grid leader (its number is the event's version). */
const CONVENE: Step = [
  'gridLeader',
  'convene',
  { at: '2026-11-28T14:00:00+08:00', place: 'hall', participants: [{ role: 'mediator', name: '王调解' }] },
];

const ROWS: Row[] = [
  {
    action: 'register',
    setup: [],
    actor: 'community',
    payload: { categoryCode: '01.02', priority: 'high' },
    to: 'registered',
    wrongState: REGISTERED,
    wrongActor: 'street',
    bad: [{ priority: 'asap' }, 'payload.priority'],
  },
  {
    action: 'reject',
    setup: [],
    actor: 'community',
    payload: { reason: 'not a public matter' },
    to: 'rejected',
    wrongState: REGISTERED,
    wrongActor: 'community2',
    bad: [{ reason: '  ' }, 'payload.reason'],
  },
  {
    action: 'dispatch',
    setup: REGISTERED,
    actor: 'community',
    payload: { target: { kind: 'user', userId: 'u-worker', unitId: 'g1' } },
    to: 'dispatched',
    wrongState: [],
    wrongActor: 'street',
    bad: [{ target: { kind: 'center', unitId: 's1', level: 'street' } }, 'payload.target.level'],
  },
  {
    action: 'accept',
    setup: DISPATCHED,
    actor: 'worker',
    payload: {},
    to: 'handling',
    wrongState: HANDLING,
    wrongActor: 'worker2',
    bad: ['yes', 'payload'],
  },
  {
    action: 'return',
    setup: DISPATCHED,
    actor: 'worker',
    payload: { reason: 'not my grid' },
    to: 'registered',
    wrongState: VERIFYING,
    wrongActor: 'community',
    bad: [{ reason: 'x'.repeat(501) }, 'payload.reason'],
  },
  {
    action: 'note',
    setup: HANDLING,
    actor: 'worker',
    payload: { text: 'talked to the property manager' },
    to: 'handling',
    wrongState: DISPATCHED,
    wrongActor: 'worker2',
    bad: [{}, 'payload.text'],
  },
  {
    action: 'pause',
    setup: HANDLING,
    actor: 'worker',
    payload: { reason: 'resident away' },
    to: 'handling',
    wrongState: PAUSED,
    wrongActor: 'community',
    bad: [{ reason: 5 }, 'payload.reason'],
  },
  {
    action: 'resume',
    setup: PAUSED,
    actor: 'worker',
    payload: {},
    to: 'handling',
    wrongState: HANDLING,
    wrongActor: 'community',
    bad: [[1], 'payload'],
  },
  {
    action: 'requestExtension',
    setup: HANDLING,
    actor: 'worker',
    payload: { hours: 48, reason: 'waiting for parts' },
    to: 'handling',
    wrongState: PENDING,
    wrongActor: 'community',
    bad: [{ hours: 0, reason: 'x' }, 'payload.hours'],
  },
  {
    action: 'decideExtension',
    setup: PENDING,
    actor: 'community',
    payload: { approved: true },
    to: 'handling',
    wrongState: HANDLING,
    wrongActor: 'worker',
    bad: [{ approved: false }, 'payload.reason'],
  },
  {
    action: 'escalate',
    setup: HANDLING,
    actor: 'worker',
    payload: { reason: 'needs the street' },
    to: 'dispatched',
    wrongState: VERIFYING,
    wrongActor: 'worker2',
    bad: [{}, 'payload.reason'],
  },
  {
    action: 'feedback',
    setup: HANDLING,
    actor: 'worker',
    payload: { result: 'cleared the drain', photos: ['att-1'] },
    to: 'verifying',
    wrongState: PAUSED,
    wrongActor: 'community',
    bad: [{ result: 'ok', photos: 'att-1' }, 'payload.photos'],
  },
  {
    action: 'verify',
    setup: VERIFYING,
    actor: 'community',
    payload: { passed: true },
    to: 'verified',
    wrongState: HANDLING,
    wrongActor: 'street',
    bad: [{ passed: false }, 'payload.comment'],
  },
  {
    action: 'close',
    setup: VERIFIED,
    actor: 'community',
    payload: { summary: 'done' },
    to: 'closed',
    wrongState: VERIFYING,
    wrongActor: 'worker',
    bad: [{ summary: '' }, 'payload.summary'],
  },
  {
    action: 'evaluate',
    setup: CLOSED,
    actor: 'leader',
    payload: { score: 4 },
    to: 'evaluated',
    wrongState: VERIFIED,
    wrongActor: 'foreignLeader',
    bad: [{ score: 6 }, 'payload.score'],
  },
  {
    action: 'reopen',
    setup: CLOSED,
    actor: 'community',
    payload: { reason: 'came back' },
    to: 'registered',
    wrongState: VERIFIED,
    wrongActor: 'foreignStreet',
    bad: [{}, 'payload.reason'],
  },
  {
    action: 'merge',
    setup: HANDLING,
    actor: 'community',
    payload: { intoCaseId: 'case-2' },
    to: 'merged',
    wrongState: VERIFYING,
    wrongActor: 'worker',
    bad: [{ intoCaseId: 'case-1' }, 'payload.intoCaseId'],
  },
  {
    action: 'cancel',
    setup: REGISTERED,
    actor: 'admin',
    payload: why,
    to: 'cancelled',
    wrongState: CLOSED,
    wrongActor: 'district',
    bad: [{}, 'payload.reason'],
  },
  {
    action: 'supervise',
    setup: HANDLING,
    actor: 'street',
    payload: { level: 'yellow', reason: 'overdue' },
    to: 'handling',
    wrongState: CLOSED,
    wrongActor: 'foreignStreet',
    bad: [{ level: 'green', reason: 'x' }, 'payload.level'],
  },
  {
    action: 'recordVisit',
    setup: HANDLING,
    actor: 'worker2',
    payload: { at: '2026-11-27T09:30:00+08:00', place: 'Building 3', findings: 'water on the stairs' },
    to: 'handling',
    wrongState: VERIFYING,
    wrongActor: 'foreignWorker',
    bad: [{ at: 'yesterday', place: 'Building 3', findings: 'x' }, 'payload.at'],
  },
  {
    action: 'convene',
    setup: HANDLING,
    actor: 'gridLeader',
    payload: {
      at: '2026-11-28T14:00:00+08:00',
      place: '社区议事厅',
      participants: [
        { role: 'mediator', name: '王调解' },
        { role: 'police', name: '李警官', organisation: '王舍人派出所' },
      ],
    },
    to: 'handling',
    wrongState: CLOSED,
    wrongActor: 'volunteer',
    bad: [
      { at: '2026-11-28T14:00:00+08:00', place: 'hall', participants: [{ role: 'mayor', name: 'x' }] },
      'payload.participants.0.role',
    ],
  },
  {
    action: 'recordJoint',
    setup: [...HANDLING, CONVENE],
    actor: 'gridLeader',
    payload: { jointNo: 5, outcome: '双方达成协议', resolved: true },
    to: 'handling',
    wrongState: HANDLING,
    wrongActor: 'foreignCommunity',
    bad: [{ jointNo: 4, outcome: 'x', resolved: true }, 'payload.jointNo'],
  },
  {
    action: 'instructVisit',
    setup: REGISTERED,
    actor: 'street',
    payload: { instructions: '请入户走访来电人，核实诉求', dueAt: '2026-11-30T17:00:00+08:00' },
    to: 'registered',
    wrongState: CLOSED,
    wrongActor: 'worker',
    bad: [{ instructions: '' }, 'payload.instructions'],
  },
];

describe('case machine: every action', () => {
  it('the table covers every action', () => {
    expect(ROWS.map((r) => r.action).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  describe.each(ROWS)('$action', (row) => {
    it(`is allowed and leads to ${row.to}`, () => {
      const s = after(...row.setup);
      expect(allowedActions(s, A[row.actor], CTX)).toContain(row.action);
      const { state, event } = transition(s, row.action, row.payload, A[row.actor], CTX, AT);
      expect(state.status).toBe(row.to);
      expect(state.version).toBe(s.version + 1);
      expect(event).toMatchObject({
        action: row.action,
        from: s.status,
        to: row.to,
        actorId: A[row.actor].userId,
        actorRole: A[row.actor].role,
        at: AT,
        version: s.version + 1,
      });
    });

    it('in a wrong state throws TRANSITION_NOT_ALLOWED with the allowed list', () => {
      const s = after(...row.wrongState);
      const e = appErrorOf(() => transition(s, row.action, row.payload, A[row.actor], CTX, AT));
      expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
      const details = e.details as { status: string; allowed: string[] };
      expect(details.status).toBe(s.status);
      expect(details.allowed).toEqual(allowedActions(s, A[row.actor], CTX));
      expect(details.allowed).not.toContain(row.action);
    });

    it('by a wrong actor throws FORBIDDEN', () => {
      const s = after(...row.setup);
      const e = appErrorOf(() => transition(s, row.action, row.payload, A[row.wrongActor], CTX, AT));
      expect(e.code).toBe('FORBIDDEN');
      const details = e.details as { allowed: string[] };
      expect(details.allowed).toEqual(allowedActions(s, A[row.wrongActor], CTX));
      expect(details.allowed).not.toContain(row.action);
    });

    it(`with a bad payload names ${row.bad[1]}`, () => {
      const s = after(...row.setup);
      const e = appErrorOf(() => transition(s, row.action, row.bad[0], A[row.actor], CTX, AT));
      expect(e.code).toBe('VALIDATION_FAILED');
      const issues = (e.details as { issues: { path: string; reason: string }[] }).issues;
      expect(issues.map((i) => i.path)).toContain(row.bad[1]);
      expect(issues.every((i) => i.reason.length > 0)).toBe(true);
    });
  });

  it('an unknown action is a validation error on the action', () => {
    const e = appErrorOf(() => transition(after(), 'fly' as CaseAction, {}, A.community, CTX, AT));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect((e.details as { issues: { path: string }[] }).issues[0]?.path).toBe('action');
  });
});
