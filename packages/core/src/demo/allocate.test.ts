import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion } from './allocate.js';

describe('apportion', () => {
  it('hits the total exactly and respects the bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, min, span, t) => {
          const max = min + span;
          const total = Math.round(weights.length * (min + t * span));
          const out = apportion(weights, total, min, max);
          expect(out.reduce((a, b) => a + b, 0)).toBe(total);
          for (const v of out) {
            expect(Number.isInteger(v)).toBe(true);
            expect(v).toBeGreaterThanOrEqual(min);
            expect(v).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('follows the weights', () => {
    expect(apportion([1, 1, 2], 8, 0, 10)).toEqual([2, 2, 4]);
    expect(apportion([1, 100], 8, 2, 6)).toEqual([2, 6]);
    expect(() => apportion([1, 1], 20, 0, 6)).toThrow();
  });
});
