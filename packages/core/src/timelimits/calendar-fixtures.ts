/** Test data for the time-limit tests (excluded from the build like other *-fixtures files). */
import fc from 'fast-check';
import type { TimeMode, WorkingCalendar } from './working-calendar.js';
import { DEFAULT_CALENDAR_2026, validateCalendar } from './working-calendar.js';

/** An hour and a day in ms. */
export const H = 3_600_000;
export const DAY = 24 * H;
const FROM = Date.parse('2025-12-01T00:00:00+08:00');
const TO = Date.parse('2027-02-01T00:00:00+08:00');
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Instants around 2026: any millisecond, or a period boundary of some day, give or take 1 ms. */
export const instantArb = fc.oneof(
  fc.integer({ min: FROM, max: TO }).map((t) => new Date(t)),
  fc
    .tuple(
      fc.integer({ min: 0, max: Math.floor((TO - FROM) / DAY) }),
      fc.constantFrom(0, 510, 720, 810, 1050, 1439),
      fc.constantFrom(-1, 0, 1),
    )
    .map(([d, m, e]) => new Date(FROM + d * DAY + m * 60_000 + e)),
);

/** Random valid calendars: some weekdays, 1–3 disjoint periods, a few holidays and makeup days. */
export const calendarArb: fc.Arbitrary<WorkingCalendar> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(DEFAULT_CALENDAR_2026) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        workdays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
        points: fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 2, maxLength: 6 }),
        special: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
      })
      .map(({ workdays, points, special }) => {
        const sorted = [...points].sort((a, b) => a - b);
        const periods = [];
        for (let i = 0; i + 1 < sorted.length; i += 2)
          periods.push({ start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) });
        const date = (d: number) => new Date(FROM + 8 * H + d * DAY).toISOString().slice(0, 10);
        const isWork = (d: number) =>
          workdays.includes(((new Date(FROM + 8 * H + d * DAY).getUTCDay() + 6) % 7) + 1);
        return validateCalendar({
          workdays,
          periods,
          holidays: special.filter((_, i) => i % 2 === 0).map(date),
          makeupWorkdays: special.filter((d, i) => i % 2 === 1 && !isWork(d)).map(date),
        });
      }),
  },
);

/** Both time modes. */
export const modeArb = fc.constantFrom<TimeMode>('working', 'calendar');

/** Hours as whole minutes, from 0 to `max` hours. */
export const hoursArb = (max: number) => fc.integer({ min: 0, max: max * 60 }).map((m) => m / 60);
