import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import { WARNING_LEVELS } from './spike.js';
import type { EarlyWarning } from './warning.js';
import {
  confirmWarning,
  dismissWarning,
  ingestSpike,
  levelRank,
  MAX_EVIDENCE,
  warningKey,
} from './warning.js';
import { spikeFixture } from './warning-fixtures.js';

type Op =
  | { kind: 'spike'; topic: string; unit: string; level: (typeof WARNING_LEVELS)[number]; ids: string[] }
  | { kind: 'confirm'; target: number; caseId: unknown }
  | { kind: 'dismiss'; target: number; reason: unknown };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('spike' as const),
    topic: fc.constantFrom('noise', 'property'),
    unit: fc.constantFrom('370112', '370112009'),
    level: fc.constantFrom(...WARNING_LEVELS),
    ids: fc.uniqueArray(fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `p${i}`)), { maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('confirm' as const),
    target: fc.nat(6),
    caseId: fc.oneof(fc.constantFrom('c1', 'c2'), fc.constantFrom('', '  ', null, 7)),
  }),
  fc.record({
    kind: fc.constant('dismiss' as const),
    target: fc.nat(6),
    reason: fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('误报', ' 已处理 ', 'x', null, 'x'.repeat(501)),
    ),
  }),
);

/** Every state a warning can be in is legal, whatever was tried before. */
function expectLegal(w: EarlyWarning): void {
  if (w.status === 'open') {
    expect([w.caseId, w.dismissReason, w.decidedAt, w.decidedBy]).toEqual([null, null, null, null]);
  } else if (w.status === 'confirmed') {
    expect(typeof w.caseId === 'string' && w.caseId.trim() !== '').toBe(true);
    expect(w.dismissReason).toBeNull();
    expect(w.decidedAt).not.toBeNull();
  } else {
    expect([...(w.dismissReason ?? '')].length).toBeGreaterThanOrEqual(2);
    expect(w.dismissReason?.trim()).toBe(w.dismissReason);
    expect(w.caseId).toBeNull();
    expect(w.decidedAt).not.toBeNull();
  }
  expect(new Set(w.evidencePostIds).size).toBe(w.evidencePostIds.length);
  expect(w.evidencePostIds.length).toBeLessThanOrEqual(MAX_EVIDENCE);
  expect(w.windowStart < w.windowEnd).toBe(true);
}

describe('early warning state machine (property)', () => {
  it('never reaches an illegal state; decisions are final; levels only rise; one open per key', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let warnings: EarlyWarning[] = [];
        let clock = Date.parse('2026-11-01T00:00:00Z');
        let ids = 0;
        for (const o of ops) {
          clock += 3_600_000;
          const now = new Date(clock);
          const before = new Map(warnings.map((w) => [w.id, w]));
          if (o.kind === 'spike') {
            const spike = spikeFixture(
              {
                topic: o.topic,
                unitCode: o.unit,
                windowStart: new Date(clock - 3_600_000).toISOString(),
                windowEnd: now.toISOString(),
                evidencePostIds: o.ids,
              },
              o.level,
            );
            const r = ingestSpike(warnings, spike, { newId: () => `w${++ids}`, now });
            expect(warnings.every((w, i) => r.warnings[i]?.id === w.id)).toBe(true); // none lost, order kept
            warnings = r.warnings;
          } else {
            const index = o.target % Math.max(1, warnings.length);
            const w = warnings[index];
            if (!w) continue;
            try {
              warnings[index] =
                o.kind === 'confirm'
                  ? confirmWarning(w, { caseId: o.caseId, actorId: 'u' }, now)
                  : dismissWarning(w, { reason: o.reason, actorId: 'u' }, now);
              expect(w.status).toBe('open');
            } catch (e) {
              expect(isAppError(e)).toBe(true);
              expect(warnings[index]).toBe(w);
            }
          }
          for (const w of warnings) {
            expectLegal(w);
            const old = before.get(w.id);
            if (!old) continue;
            if (old.status !== 'open') expect(w).toEqual(old);
            expect(levelRank(w.level)).toBeGreaterThanOrEqual(levelRank(old.level));
            expect(w.version).toBeGreaterThanOrEqual(old.version);
            expect(w.evidencePostIds.slice(0, old.evidencePostIds.length)).toEqual(old.evidencePostIds);
          }
          const open = warnings.filter((w) => w.status === 'open').map(warningKey);
          expect(new Set(open).size).toBe(open.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
