import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, H, calendarArb, hoursArb, instantArb, modeArb } from './calendar-fixtures.js';
import {
  addHours,
  elapsedFraction,
  endOfWorkingDay,
  isWorkingTime,
  nextWorkingTime,
  pointInLimit,
  workingMsBetween,
} from './working-calendar.js';

describe('working calendar properties', () => {
  it('addHours is monotone in hours, in both modes', () => {
    fc.assert(
      fc.property(instantArb, hoursArb(300), hoursArb(300), calendarArb, modeArb, (s, a, b, cal, mode) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addHours(s, lo, mode, cal).getTime()).toBeLessThanOrEqual(
          addHours(s, hi, mode, cal).getTime(),
        );
      }),
    );
  });

  it('addHours(addHours(s, a), b) = addHours(s, a + b) in working mode (starts inside working time, and any start)', () => {
    fc.assert(
      fc.property(
        instantArb,
        hoursArb(200),
        hoursArb(200),
        calendarArb,
        fc.boolean(),
        (s0, a, b, cal, inside) => {
          const s = inside ? nextWorkingTime(s0, cal) : s0;
          if (inside) expect(isWorkingTime(s, cal)).toBe(true);
          const twoSteps = addHours(addHours(s, a, 'working', cal), b, 'working', cal);
          expect(twoSteps.getTime()).toBe(addHours(s, a + b, 'working', cal).getTime());
        },
      ),
    );
  });

  it('workingMsBetween(s, addHours(s, h)) = h hours, and addHours is the earliest such instant', () => {
    fc.assert(
      fc.property(instantArb, hoursArb(2000), calendarArb, (s, h, cal) => {
        const end = addHours(s, h, 'working', cal);
        expect(workingMsBetween(s, end, cal)).toBe(Math.round(h * H));
        if (h > 0) expect(workingMsBetween(s, new Date(end.getTime() - 1), cal)).toBe(Math.round(h * H) - 1);
      }),
    );
  });

  it('a working-mode result with h > 0 lies inside working time or at a period end', () => {
    fc.assert(
      fc.property(instantArb, hoursArb(100), calendarArb, (s, h, cal) => {
        fc.pre(h > 0);
        const end = addHours(s, h, 'working', cal);
        // the last millisecond counted is working time, so end is in (period start, period end]
        expect(isWorkingTime(new Date(end.getTime() - 1), cal)).toBe(true);
      }),
    );
  });

  it('calendar mode is plain millisecond addition', () => {
    fc.assert(
      fc.property(instantArb, fc.double({ min: 0, max: 10_000, noNaN: true }), calendarArb, (s, h, cal) => {
        expect(addHours(s, h, 'calendar', cal).getTime()).toBe(s.getTime() + Math.round(h * H));
      }),
    );
  });

  it('workingMsBetween is additive, bounded by wall-clock time, and agrees with isWorkingTime', () => {
    fc.assert(
      fc.property(instantArb, instantArb, instantArb, calendarArb, (x, y, z, cal) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const ab = workingMsBetween(a, b, cal);
        expect(ab + workingMsBetween(b, c, cal)).toBe(workingMsBetween(a, c, cal));
        expect(ab).toBeLessThanOrEqual(b.getTime() - a.getTime());
        expect(workingMsBetween(b, a, cal)).toBe(0);
        expect(workingMsBetween(a, new Date(a.getTime() + 1), cal)).toBe(isWorkingTime(a, cal) ? 1 : 0);
      }),
    );
  });

  it('endOfWorkingDay ends working time after the instant, with no more work that local day', () => {
    fc.assert(
      fc.property(instantArb, calendarArb, (at, cal) => {
        const end = endOfWorkingDay(at, cal);
        expect(end.getTime()).toBeGreaterThan(at.getTime());
        expect(isWorkingTime(new Date(end.getTime() - 1), cal)).toBe(true);
        const local = end.getTime() - 1 + 8 * H; // the local day holding the last working ms
        const nextMidnight = new Date(local - (((local % DAY) + DAY) % DAY) + DAY - 8 * H);
        if (nextMidnight.getTime() > end.getTime()) expect(workingMsBetween(end, nextMidnight, cal)).toBe(0);
        // a working day of the instant ends the same local day
        if (isWorkingTime(at, cal)) expect(end.getTime() - at.getTime()).toBeLessThanOrEqual(DAY);
      }),
    );
  });

  it('elapsedFraction at pointInLimit(start, L, f) is f', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.integer({ min: 1, max: 200 * 60 }).map((m) => m / 60),
        fc.constantFrom(0, 0.25, 0.5, 0.75, 1, 1.5, 2),
        calendarArb,
        modeArb,
        (s, limit, f, cal, mode) => {
          const due = pointInLimit(s, limit, 1, mode, cal);
          const at = pointInLimit(s, limit, f, mode, cal);
          expect(elapsedFraction(s, due, at, mode, cal)).toBeCloseTo(f, 6);
        },
      ),
    );
  });
});
