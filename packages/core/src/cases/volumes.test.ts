import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastPeriods, periodOf, trendOf } from './volumes.js';

describe('three volumes (三量)', () => {
  it('buckets instants in China time', () => {
    // 2026-11-30T17:00Z is 1 December 01:00 in Beijing
    expect(periodOf(new Date('2026-11-30T17:00:00Z'), 'month')).toBe('2026-12');
    expect(periodOf(new Date('2026-11-30T15:00:00Z'), 'month')).toBe('2026-11');
    // Thursday 3 December 2026 → week of Monday 30 November
    expect(periodOf(new Date('2026-12-03T04:00:00Z'), 'week')).toBe('2026-11-30');
    // Sunday 6 December 23:30 Beijing is still that week
    expect(periodOf(new Date('2026-12-06T15:30:00Z'), 'week')).toBe('2026-11-30');
    expect(periodOf(new Date('2026-12-06T16:30:00Z'), 'week')).toBe('2026-12-07');
  });

  it('lists the last periods oldest first, across a year end', () => {
    expect(lastPeriods(new Date('2027-02-10T00:00:00Z'), 'month', 4)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(lastPeriods(new Date('2026-12-03T04:00:00Z'), 'week', 2)).toEqual(['2026-11-23', '2026-11-30']);
  });

  it('counts how many periods in a row a series has fallen', () => {
    expect(trendOf([10, 9, 8, 7])).toEqual({ direction: 'falling', fallingFor: 3, risingFor: 0 });
    expect(trendOf([10, 12, 8, 7])).toEqual({ direction: 'falling', fallingFor: 2, risingFor: 0 });
    expect(trendOf([3, 4])).toEqual({ direction: 'rising', fallingFor: 0, risingFor: 1 });
    expect(trendOf([5, 5])).toEqual({ direction: 'flat', fallingFor: 0, risingFor: 0 });
    expect(trendOf([])).toEqual({ direction: 'flat', fallingFor: 0, risingFor: 0 });
  });

  it('never counts more falls than changes, and a strictly falling series falls all the way', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 24 }), (xs) => {
        const t = trendOf(xs);
        expect(t.fallingFor + t.risingFor).toBeLessThanOrEqual(Math.max(xs.length - 1, 0));
        expect(t.fallingFor > 0 && t.risingFor > 0).toBe(false);
        const sorted = [...new Set(xs)].sort((a, b) => b - a);
        expect(trendOf(sorted).fallingFor).toBe(Math.max(sorted.length - 1, 0));
      }),
    );
  });
});
