import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import {
  allowedWarningActions,
  confirmWarning,
  dismissWarning,
  ingestSpike,
  MAX_EVIDENCE,
  openWarning,
  updateWarning,
} from './warning.js';
import { spikeFixture } from './warning-fixtures.js';

const T0 = new Date('2026-11-26T16:00:00Z');
const later = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isAppError(e) ? e.code : 'other';
  }
  return null;
};

describe('early warning lifecycle', () => {
  it('opens from a spike', () => {
    const w = openWarning(spikeFixture(), 'w1', T0);
    expect(w).toMatchObject({
      id: 'w1',
      status: 'open',
      level: 'yellow',
      peakCount: 6,
      spikeCount: 1,
      evidencePostIds: ['p1', 'p2'],
      caseId: null,
      dismissReason: null,
      version: 1,
    });
    expect(allowedWarningActions(w)).toEqual(['confirm', 'dismiss']);
  });

  it('confirms into a case, which needs a case id', () => {
    const w = openWarning(spikeFixture(), 'w1', T0);
    expect(codeOf(() => confirmWarning(w, { caseId: '  ', actorId: 'u1' }, later(1)))).toBe(
      'VALIDATION_FAILED',
    );
    const c = confirmWarning(w, { caseId: '370112-20261127-000123', actorId: 'u1' }, later(1));
    expect(c).toMatchObject({
      status: 'confirmed',
      caseId: '370112-20261127-000123',
      decidedBy: 'u1',
      version: 2,
    });
    expect(allowedWarningActions(c)).toEqual([]);
    expect(codeOf(() => dismissWarning(c, { reason: '误报', actorId: 'u1' }, later(2)))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    expect(codeOf(() => confirmWarning(c, { caseId: 'x', actorId: 'u1' }, later(2)))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('dismisses with a reason of at least two characters', () => {
    const w = openWarning(spikeFixture(), 'w1', T0);
    expect(codeOf(() => dismissWarning(w, { reason: '误', actorId: 'u1' }, later(1)))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => dismissWarning(w, { reason: 42, actorId: 'u1' }, later(1)))).toBe(
      'VALIDATION_FAILED',
    );
    const d = dismissWarning(w, { reason: ' 误报 ', actorId: 'u1' }, later(1));
    expect(d).toMatchObject({ status: 'dismissed', dismissReason: '误报', caseId: null });
  });

  it('folds a further spike into the open warning: level up, evidence added', () => {
    const w = openWarning(spikeFixture(), 'w1', T0);
    const u = updateWarning(
      w,
      spikeFixture(
        {
          windowStart: '2026-11-26T16:00:00.000Z',
          windowEnd: '2026-11-27T16:00:00.000Z',
          count: 9,
          evidencePostIds: ['p2', 'p3'],
        },
        'orange',
      ),
      later(24),
    );
    expect(u).toMatchObject({
      level: 'orange',
      windowStart: '2026-11-25T16:00:00.000Z',
      windowEnd: '2026-11-27T16:00:00.000Z',
      peakCount: 9,
      spikeCount: 2,
      evidencePostIds: ['p1', 'p2', 'p3'],
      version: 2,
    });
    const calmer = updateWarning(u, spikeFixture({}, 'blue'), later(48));
    expect(calmer.level).toBe('orange');
    const many = Array.from({ length: 30 }, (_, i) => `q${i}`);
    expect(updateWarning(u, spikeFixture({ evidencePostIds: many }), later(48)).evidencePostIds).toHaveLength(
      MAX_EVIDENCE,
    );
    expect(codeOf(() => updateWarning(u, spikeFixture({ topic: 'pollution' }), later(48)))).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('ingestSpike (dedupe)', () => {
  let n = 0;
  const deps = (now: Date) => ({ newId: () => `w${++n}`, now });

  it('updates the open warning of the same topic and unit instead of opening another', () => {
    const a = ingestSpike([], spikeFixture(), deps(T0));
    expect(a.event.type).toBe('warning.opened');
    const b = ingestSpike(a.warnings, spikeFixture({}, 'red'), deps(later(24)));
    expect(b.event.type).toBe('warning.escalated');
    expect(b.warnings).toHaveLength(1);
    const c = ingestSpike(b.warnings, spikeFixture({ unitCode: '370112004' }), deps(later(25)));
    expect(c.event.type).toBe('warning.opened');
    expect(c.warnings).toHaveLength(2);
  });

  it('opens a new warning after confirmation, and stays quiet a day after a dismissal', () => {
    const a = ingestSpike([], spikeFixture(), deps(T0));
    const confirmed = confirmWarning(a.warnings[0]!, { caseId: 'c1', actorId: 'u' }, later(1));
    expect(ingestSpike([confirmed], spikeFixture(), deps(later(2))).event.type).toBe('warning.opened');

    const dismissed = dismissWarning(a.warnings[0]!, { reason: '已知施工，已协调', actorId: 'u' }, later(1));
    expect(ingestSpike([dismissed], spikeFixture(), deps(later(2))).event.type).toBe('warning.suppressed');
    expect(ingestSpike([dismissed], spikeFixture({}, 'red'), deps(later(2))).event.type).toBe(
      'warning.opened',
    );
    expect(ingestSpike([dismissed], spikeFixture(), deps(later(26))).event.type).toBe('warning.opened');
  });
});
