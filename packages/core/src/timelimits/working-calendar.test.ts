import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import type { WorkingCalendar } from './working-calendar.js';
import {
  DEFAULT_CALENDAR_2026,
  DEFAULT_WORKING_CALENDAR,
  addHours,
  addWorkingMs,
  elapsedFraction,
  endOfWorkingDay,
  isWorkingTime,
  localDateOf,
  msBetween,
  nextWorkingTime,
  pointInLimit,
  workingDayMs,
  workingMsBetween,
} from './working-calendar.js';

/** An instant given in China Standard Time. */
const cst = (s: string): Date => new Date(`${s}+08:00`);
const H = 3_600_000;
const cal = DEFAULT_CALENDAR_2026;
const add = (s: string, h: number) => addHours(cst(s), h, 'working', cal);

/** Expects VALIDATION_FAILED naming `path`. */
function expectInvalid(fn: () => unknown, path: string) {
  try {
    fn();
  } catch (e) {
    expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
    const issues = (e as { details: { issues: Array<{ path: string }> } }).details.issues;
    expect(issues.map((i) => i.path)).toContain(path);
    return;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('addHours in working mode (2026-03-02 is a Monday)', () => {
  it.each([
    ['2026-03-02T09:00', 2, '2026-03-02T11:00'],
    ['2026-03-02T11:00', 1, '2026-03-02T12:00'], // ends exactly at a period end, not after lunch
    ['2026-03-02T11:00', 2, '2026-03-02T14:30'], // skips lunch
    ['2026-03-02T12:30', 1, '2026-03-02T14:30'], // starts counting after lunch
    ['2026-03-02T07:00', 1, '2026-03-02T09:30'], // before work: counts from 08:30
    ['2026-03-02T17:00', 1, '2026-03-03T09:00'], // half an hour today, half tomorrow
    ['2026-03-02T23:00', 1, '2026-03-03T09:30'], // 23:00 CST is still 2 March in UTC+8 (15:00 UTC)
    ['2026-03-06T17:00', 1, '2026-03-09T09:00'], // Friday evening → Monday
    ['2026-03-07T10:00', 1, '2026-03-09T09:30'], // Saturday → Monday
    ['2026-03-02T09:00', 37.5, '2026-03-09T09:00'], // 5 working days
    ['2026-03-02T09:00', 0, '2026-03-02T09:00'],
    ['2026-03-07T10:00', 0, '2026-03-07T10:00'], // nothing to add: stays put
  ])('%s + %s h = %s', (start, h, expected) => {
    expect(add(start, h).getTime()).toBe(cst(expected).getTime());
  });

  it('observes holidays and makeup workdays (调休)', () => {
    // Friday 13 Feb, then Saturday 14 Feb is a makeup workday
    expect(add('2026-02-13T16:30', 2)).toEqual(cst('2026-02-14T09:30'));
    // Spring Festival 15–23 Feb off; back on Tuesday 24 Feb
    expect(add('2026-02-14T17:00', 1)).toEqual(cst('2026-02-24T09:00'));
    // National Day 1–7 Oct off; 8 Oct (Thursday) back
    expect(add('2026-09-30T17:00', 1)).toEqual(cst('2026-10-08T09:00'));
    // Saturday 10 Oct is a makeup workday, Sunday 11 Oct is not
    expect(add('2026-10-09T17:00', 1)).toEqual(cst('2026-10-10T09:00'));
    expect(add('2026-10-10T17:00', 1)).toEqual(cst('2026-10-12T09:00'));
    // New Year 1–3 Jan off, Sunday 4 Jan is a makeup workday
    expect(add('2025-12-31T17:00', 1)).toEqual(cst('2026-01-04T09:00'));
  });

  it('walks far beyond the listed dates (weekly repetition after the last special date)', () => {
    // 2027 has no listed holidays here: 260 working days from Thursday 31 Dec 2026 = 52 weeks
    expect(add('2026-12-31T09:00', 7.5 * 260)).toEqual(cst('2027-12-30T09:00'));
    const tenYears = 520 * 7 * 24 * H; // 2027-01-04 is a Monday; 520 weeks of 5 working days
    expect(add('2027-01-04T09:00', 7.5 * 5 * 520).getTime()).toBe(
      cst('2027-01-04T09:00').getTime() + tenYears,
    );
  });

  it('rejects bad arguments and calendars without working time', () => {
    expectInvalid(() => add('2026-03-02T09:00', -1), 'hours');
    expectInvalid(() => add('2026-03-02T09:00', NaN), 'hours');
    expectInvalid(() => addHours(new Date(NaN), 1, 'working', cal), 'start');
    const none: WorkingCalendar = { ...cal, workdays: [], holidays: [], makeupWorkdays: [] };
    expectInvalid(() => addHours(cst('2026-03-02T09:00'), 1, 'working', none), 'calendar');
    const once: WorkingCalendar = { ...none, makeupWorkdays: ['2026-03-07'] };
    expect(addHours(cst('2026-03-02T09:00'), 1, 'working', once)).toEqual(cst('2026-03-07T09:30'));
    expectInvalid(() => addHours(cst('2026-03-02T09:00'), 8, 'working', once), 'calendar');
  });
});

describe('addHours in calendar mode', () => {
  it('adds wall-clock hours, holidays or not', () => {
    expect(addHours(cst('2026-02-14T17:00'), 24, 'calendar', cal)).toEqual(cst('2026-02-15T17:00'));
    expect(addHours(cst('2026-03-02T09:00'), 0.5, 'calendar', cal)).toEqual(cst('2026-03-02T09:30'));
  });
});

describe('workingMsBetween', () => {
  it.each([
    ['2026-03-02T08:00', '2026-03-02T18:00', 7.5],
    ['2026-03-02T09:00', '2026-03-03T09:00', 7.5],
    ['2026-03-02T00:00', '2026-03-09T00:00', 37.5],
    ['2026-03-02T12:00', '2026-03-02T13:30', 0],
    ['2026-02-14T00:00', '2026-03-01T00:00', 45], // makeup Sat 14, off 15–23, Tue–Fri, makeup Sat 28
    ['2026-03-02T10:00', '2026-03-02T09:00', 0],
  ])('%s → %s = %s h', (a, b, h) => {
    expect(workingMsBetween(cst(a), cst(b), cal)).toBe(h * H);
  });

  it('counts 248 working days in 2026 and 52 × 5 in a year without listed holidays', () => {
    expect(workingMsBetween(cst('2026-01-01T00:00'), cst('2027-01-01T00:00'), cal)).toBe(248 * 7.5 * H);
    expect(workingMsBetween(cst('2027-01-04T00:00'), cst('2028-01-03T00:00'), cal)).toBe(260 * 7.5 * H);
  });

  it('msBetween counts wall-clock time in calendar mode', () => {
    expect(msBetween(cst('2026-03-02T09:00'), cst('2026-03-03T09:00'), 'calendar', cal)).toBe(24 * H);
    expect(msBetween(cst('2026-03-03T09:00'), cst('2026-03-02T09:00'), 'calendar', cal)).toBe(0);
  });
});

describe('isWorkingTime, nextWorkingTime, endOfWorkingDay', () => {
  it.each([
    ['2026-03-02T08:30', true],
    ['2026-03-02T08:29:59.999', false],
    ['2026-03-02T11:59:59.999', true],
    ['2026-03-02T12:00', false],
    ['2026-03-02T13:30', true],
    ['2026-03-02T17:30', false],
    ['2026-03-07T09:00', false], // Saturday
    ['2026-02-14T09:00', true], // makeup Saturday
    ['2026-02-16T09:00', false], // Spring Festival Monday
  ])('isWorkingTime(%s) = %s', (at, expected) => {
    expect(isWorkingTime(cst(at), cal)).toBe(expected);
  });

  it('nextWorkingTime is the instant itself inside working time, else the next period start', () => {
    expect(nextWorkingTime(cst('2026-03-02T09:00'), cal)).toEqual(cst('2026-03-02T09:00'));
    expect(nextWorkingTime(cst('2026-03-02T12:00'), cal)).toEqual(cst('2026-03-02T13:30'));
    expect(nextWorkingTime(cst('2026-09-30T17:30'), cal)).toEqual(cst('2026-10-08T08:30'));
  });

  it.each([
    ['2026-03-02T10:00', '2026-03-02T17:30'],
    ['2026-03-02T07:00', '2026-03-02T17:30'],
    ['2026-03-02T12:30', '2026-03-02T17:30'],
    ['2026-03-02T17:30', '2026-03-03T17:30'], // at the end: the next working day
    ['2026-03-02T20:00', '2026-03-03T17:30'],
    ['2026-03-07T10:00', '2026-03-09T17:30'], // Saturday → Monday
    ['2026-02-14T10:00', '2026-02-14T17:30'], // makeup Saturday
    ['2026-10-01T09:00', '2026-10-08T17:30'], // National Day
  ])('endOfWorkingDay(%s) = %s', (at, expected) => {
    expect(endOfWorkingDay(cst(at), cal)).toEqual(cst(expected));
  });

  it('endOfWorkingDay fails on a calendar without working days', () => {
    expectInvalid(
      () => endOfWorkingDay(cst('2026-03-02T10:00'), { ...cal, workdays: [], makeupWorkdays: [] }),
      'calendar',
    );
  });
});

describe('elapsedFraction and pointInLimit', () => {
  const start = cst('2026-03-02T09:00');

  it('measures used working time, minus pauses', () => {
    const due = addHours(start, 10, 'working', cal);
    expect(due).toEqual(cst('2026-03-03T11:30'));
    expect(elapsedFraction(start, due, cst('2026-03-02T15:30'), 'working', cal)).toBe(0.5);
    expect(elapsedFraction(start, due, cst('2026-03-02T15:30'), 'working', cal, 1 * H)).toBeCloseTo(0.4);
    expect(elapsedFraction(start, due, cst('2026-03-02T20:00'), 'working', cal)).toBeCloseTo(0.7);
    expect(elapsedFraction(start, due, cst('2026-03-03T09:00'), 'working', cal)).toBe(0.75);
    expect(elapsedFraction(start, due, cst('2026-03-04T09:00'), 'working', cal)).toBe(1.5);
    expect(elapsedFraction(start, due, cst('2026-03-01T09:00'), 'working', cal)).toBe(0);
  });

  it('measures wall-clock time in calendar mode', () => {
    const due = addHours(start, 24, 'calendar', cal);
    expect(elapsedFraction(start, due, cst('2026-03-02T15:00'), 'calendar', cal)).toBe(0.25);
    expect(elapsedFraction(start, due, cst('2026-03-04T09:00'), 'calendar', cal)).toBe(2);
  });

  it('treats a zero-length limit as used once due', () => {
    const off = cst('2026-03-07T10:00');
    const due = addHours(off, 0, 'working', cal);
    expect(elapsedFraction(off, due, cst('2026-03-07T09:00'), 'working', cal)).toBe(0);
    expect(elapsedFraction(off, due, cst('2026-03-07T11:00'), 'working', cal)).toBe(1);
  });

  it('pointInLimit marks fractions of a limit', () => {
    expect(pointInLimit(start, 10, 0.5, 'working', cal)).toEqual(cst('2026-03-02T15:30'));
    expect(pointInLimit(start, 10, 2, 'working', cal)).toEqual(addHours(start, 20, 'working', cal));
    expect(pointInLimit(start, 24, 0.75, 'calendar', cal)).toEqual(cst('2026-03-03T03:00'));
    expectInvalid(() => pointInLimit(start, 10, -0.5, 'working', cal), 'fraction');
  });
});

describe('small helpers', () => {
  it('localDateOf uses UTC+8 whatever the host zone', () => {
    expect(localDateOf(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(localDateOf(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
  });

  it('workingDayMs and addWorkingMs', () => {
    expect(workingDayMs(DEFAULT_WORKING_CALENDAR)).toBe(7.5 * H);
    expect(addWorkingMs(cst('2026-03-02T11:59'), 60_001, cal)).toEqual(cst('2026-03-02T13:30:00.001'));
  });

  it('tolerates an unvalidated calendar: overlapping periods are merged, bad entries ignored', () => {
    const messy: WorkingCalendar = {
      workdays: [1, 2, 3, 4, 5],
      periods: [
        { start: '10:00', end: '12:00' },
        { start: '08:00', end: '11:00' },
        { start: 'x', end: '09:00' },
      ],
      holidays: ['not a date'],
      makeupWorkdays: [],
    };
    expect(workingDayMs(messy)).toBe(4 * H);
    expect(workingMsBetween(cst('2026-03-02T00:00'), cst('2026-03-03T00:00'), messy)).toBe(4 * H);
  });
});
