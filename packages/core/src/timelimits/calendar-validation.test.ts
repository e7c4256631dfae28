import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import { DEFAULT_CALENDAR_2026, DEFAULT_WORKING_CALENDAR, validateCalendar } from './working-calendar.js';

/** The issue paths of the VALIDATION_FAILED thrown for `input`. */
function issuePaths(input: unknown): string[] {
  try {
    validateCalendar(input);
  } catch (e) {
    expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
    return (e as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path);
  }
  throw new Error('expected VALIDATION_FAILED');
}

const weekOf = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay() || 7;

describe('DEFAULT_CALENDAR_2026 (seed data)', () => {
  it('is valid and already normalised', () => {
    expect(validateCalendar(DEFAULT_CALENDAR_2026)).toEqual(DEFAULT_CALENDAR_2026);
    expect(validateCalendar(DEFAULT_WORKING_CALENDAR)).toEqual(DEFAULT_WORKING_CALENDAR);
  });

  it('lists the seven festivals of 2026 (33 days off) and six weekend makeup days', () => {
    const { holidays, makeupWorkdays } = DEFAULT_CALENDAR_2026;
    expect(holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(holidays.every((d) => d.startsWith('2026-'))).toBe(true);
    for (const d of [
      '2026-01-01',
      '2026-02-17',
      '2026-04-05',
      '2026-05-01',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01',
    ])
      expect(holidays).toContain(d);
    expect(makeupWorkdays.map(weekOf).every((w) => w >= 6)).toBe(true);
  });
});

describe('validateCalendar', () => {
  it('fills defaults for missing fields and normalises order and repeats', () => {
    expect(validateCalendar({})).toEqual(DEFAULT_WORKING_CALENDAR);
    expect(
      validateCalendar({
        workdays: [5, 1, 3],
        periods: [
          { start: '14:00', end: '24:00' },
          { start: '00:00', end: '06:00' },
        ],
        holidays: ['2026-05-02', '2026-05-01', '2026-05-02'],
        makeupWorkdays: ['2026-05-09'],
      }),
    ).toEqual({
      workdays: [1, 3, 5],
      periods: [
        { start: '00:00', end: '06:00' },
        { start: '14:00', end: '24:00' },
      ],
      holidays: ['2026-05-01', '2026-05-02'],
      makeupWorkdays: ['2026-05-09'],
    });
  });

  it('accepts adjacent periods', () => {
    const periods = [
      { start: '08:00', end: '12:00' },
      { start: '12:00', end: '18:00' },
    ];
    expect(validateCalendar({ periods }).periods).toEqual(periods);
  });

  it.each([
    [null, ''],
    [[], ''],
    ['calendar', ''],
    [{ workdays: [] }, 'workdays'],
    [{ workdays: 'weekdays' }, 'workdays'],
    [{ workdays: [1, 8] }, 'workdays.1'],
    [{ workdays: [0] }, 'workdays.0'],
    [{ workdays: [1.5] }, 'workdays.0'],
    [{ workdays: ['1'] }, 'workdays.0'],
    [{ workdays: [1, 2, 1] }, 'workdays.2'],
    [{ periods: [] }, 'periods'],
    [{ periods: [{ start: '12:00', end: '08:30' }] }, 'periods.0.end'],
    [{ periods: [{ start: '09:00', end: '09:00' }] }, 'periods.0.end'],
    [{ periods: [{ start: '8:30', end: '12:00' }] }, 'periods.0.start'],
    [{ periods: [{ start: '08:30', end: '12:60' }] }, 'periods.0.end'],
    [{ periods: [{ start: '24:00', end: '24:00' }] }, 'periods.0.start'],
    [{ periods: [{ start: '08:30', end: '25:00' }] }, 'periods.0.end'],
    [{ periods: [{ start: '08:30' }] }, 'periods.0.end'],
    [{ periods: ['08:30-12:00'] }, 'periods.0'],
    [
      {
        periods: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      },
      'periods.1',
    ],
    [
      {
        periods: [
          { start: '13:00', end: '18:00' },
          { start: '08:00', end: '14:00' },
        ],
      },
      'periods.0',
    ],
    [{ holidays: ['2026-02-30'] }, 'holidays.0'],
    [{ holidays: ['2026-13-01'] }, 'holidays.0'],
    [{ holidays: ['2026/01/01'] }, 'holidays.0'],
    [{ holidays: ['2026-1-1'] }, 'holidays.0'],
    [{ holidays: [20260101] }, 'holidays.0'],
    [{ holidays: '2026-01-01' }, 'holidays'],
    [{ makeupWorkdays: ['2026-03-02'] }, 'makeupWorkdays.0'], // a Monday: already a working day
    [{ holidays: ['2026-03-07'], makeupWorkdays: ['2026-03-07'] }, 'makeupWorkdays.0'],
    [{ holiday: ['2026-01-01'] }, 'holiday'], // typo: unknown field
  ])('%j is rejected naming %s', (input, path) => {
    expect(issuePaths(input)).toContain(path);
  });

  it('reports every problem at once', () => {
    expect(
      issuePaths({
        workdays: [9],
        periods: [{ start: '18:00', end: '17:00' }],
        holidays: ['2026-02-29'],
        makeupWorkdays: ['x'],
      }),
    ).toEqual(['workdays.0', 'periods.0.end', 'holidays.0', 'makeupWorkdays.0']);
  });

  it('returns a copy the caller can change without touching the input', () => {
    const input = { holidays: ['2026-01-01'] };
    const out = validateCalendar(input);
    out.holidays.push('2026-01-02');
    expect(input.holidays).toEqual(['2026-01-01']);
  });
});
