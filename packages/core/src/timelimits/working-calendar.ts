import { validationError } from '../shared/errors.js';
import {
  HOUR_MS,
  WEEK_MS,
  dayIndexOf,
  dayStartMs,
  isoWeekdayOf,
  parseClock,
  parseLocalDate,
} from './local-time.js';

export { localDateOf } from './local-time.js';
export { validateCalendar } from './calendar-validation.js';
export { DEFAULT_CALENDAR_2026, DEFAULT_WORKING_CALENDAR } from './calendar-2026.js';

/** One working period of a day, local time 'HH:MM' (end may be '24:00'). */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** A working calendar in China Standard Time (UTC+8, no daylight saving). */
export interface WorkingCalendar {
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday (default 1–5). */
  workdays: number[];
  /** Working periods of a working day, local time (default 08:30–12:00 and 13:30–17:30). */
  periods: WorkingPeriod[];
  /** Local dates 'YYYY-MM-DD' that are days off. */
  holidays: string[];
  /** Days off made working days (调休), 'YYYY-MM-DD'. */
  makeupWorkdays: string[];
}

/** How a limit counts time: only working time of the calendar, or wall-clock time. */
export type TimeMode = 'working' | 'calendar';

/** The largest addition accepted, in hours (about 114 years). */
export const MAX_LIMIT_HOURS = 1_000_000;

/** A calendar prepared for arithmetic: day indexes, periods as ms offsets from local midnight. */
interface Compiled {
  weekdays: boolean[];
  periods: Array<[number, number]>;
  holidays: Set<number>;
  makeup: Set<number>;
  /** The last day index named as a holiday or makeup day; after it the calendar repeats weekly. */
  lastSpecial: number;
  /** Working ms of one regular week. */
  weekMs: number;
}

/** Prepares a calendar; tolerant of unvalidated input (bad entries are ignored, periods merged). */
function compile(cal: WorkingCalendar): Compiled {
  const weekdays = Array.from({ length: 8 }, (_, d) => d >= 1 && cal.workdays.includes(d));
  const raw: Array<[number, number]> = [];
  for (const p of cal.periods) {
    const s = parseClock(p.start);
    const e = parseClock(p.end);
    if (s !== null && e !== null && e > s) raw.push([s * 60_000, e * 60_000]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  const periods: Array<[number, number]> = [];
  for (const [s, e] of raw) {
    const last = periods[periods.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else periods.push([s, e]);
  }
  const days = (list: string[]) => new Set(list.map(parseLocalDate).filter((d): d is number => d !== null));
  const holidays = days(cal.holidays);
  const makeup = days(cal.makeupWorkdays);
  const lastSpecial = Math.max(-Infinity, ...holidays, ...makeup);
  const dayMs = periods.reduce((sum, [s, e]) => sum + (e - s), 0);
  const weekMs = dayMs * weekdays.filter(Boolean).length;
  return { weekdays, periods, holidays, makeup, lastSpecial, weekMs };
}

/** True when the local day is a working day: holidays first, then makeup days, then weekdays. */
function isWorkday(c: Compiled, day: number): boolean {
  if (c.holidays.has(day)) return false;
  if (c.makeup.has(day)) return true;
  return c.weekdays[isoWeekdayOf(day)] === true;
}

/** The error for a calendar that never has working time again. */
function noWorkingTime() {
  return validationError(
    [{ path: 'calendar', reason: 'the calendar has no working time after this instant' }],
    'the working calendar has no working time',
  );
}

/** Checks an instant argument. */
function instant(name: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw validationError([{ path: name, reason: 'a valid date' }]);
  return t;
}

/** Checks a non-negative finite number argument. */
function amount(name: string, n: number, max = Infinity): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > max)
    throw validationError([{ path: name, reason: `a number from 0 to ${max}` }]);
  return n;
}

/** Adds `ms` of working time to an instant in ms: the earliest t with that much working time since. */
function addWorkingMsRaw(startMs: number, ms: number, c: Compiled): number {
  let left = ms;
  let t = startMs;
  if (left <= 0) return t;
  let day = dayIndexOf(t);
  for (;;) {
    const base = dayStartMs(day);
    if (day > c.lastSpecial && t <= base) {
      // past every special date each week holds weekMs: skip whole weeks, leaving some to walk
      if (c.weekMs === 0) throw noWorkingTime();
      const weeks = Math.floor((left - 1) / c.weekMs);
      if (weeks > 0) {
        left -= weeks * c.weekMs;
        day += 7 * weeks;
        t = dayStartMs(day);
        continue;
      }
    }
    if (isWorkday(c, day)) {
      for (const [s, e] of c.periods) {
        const from = Math.max(t, base + s);
        const to = base + e;
        if (to <= from) continue;
        if (to - from >= left) return from + left;
        left -= to - from;
      }
    }
    day += 1;
    t = dayStartMs(day);
  }
}

/** Working ms between two instants in ms (0 when b ≤ a). */
function workingMsRaw(a: number, b: number, c: Compiled): number {
  let sum = 0;
  let day = dayIndexOf(a);
  for (;;) {
    const base = dayStartMs(day);
    if (base >= b) return sum;
    if (day > c.lastSpecial && base >= a && b - base >= WEEK_MS) {
      const weeks = Math.floor((b - base) / WEEK_MS);
      sum += weeks * c.weekMs;
      day += 7 * weeks;
      continue;
    }
    if (isWorkday(c, day))
      for (const [s, e] of c.periods) sum += Math.max(0, Math.min(b, base + e) - Math.max(a, base + s));
    day += 1;
  }
}

/** Adds hours of wall-clock time ('calendar') or of working time ('working', starting at the next working period when outside one). */
export function addHours(start: Date, hours: number, mode: TimeMode, cal: WorkingCalendar): Date {
  const t = instant('start', start);
  const ms = Math.round(amount('hours', hours, MAX_LIMIT_HOURS) * HOUR_MS);
  if (mode === 'calendar') return new Date(t + ms);
  return new Date(addWorkingMsRaw(t, ms, compile(cal)));
}

/** Adds `ms` milliseconds of working time to an instant (exact, no hour rounding). */
export function addWorkingMs(start: Date, ms: number, cal: WorkingCalendar): Date {
  const t = instant('start', start);
  return new Date(addWorkingMsRaw(t, Math.round(amount('ms', ms, MAX_LIMIT_HOURS * HOUR_MS)), compile(cal)));
}

/** Milliseconds of working time between two instants (0 when b ≤ a). */
export function workingMsBetween(a: Date, b: Date, cal: WorkingCalendar): number {
  const from = instant('a', a);
  const to = instant('b', b);
  return to <= from ? 0 : workingMsRaw(from, to, compile(cal));
}

/** Milliseconds between two instants counted in a mode (0 when b ≤ a). */
export function msBetween(a: Date, b: Date, mode: TimeMode, cal: WorkingCalendar): number {
  if (mode === 'working') return workingMsBetween(a, b, cal);
  return Math.max(0, instant('b', b) - instant('a', a));
}

/** The fraction of a limit used at `now`: time since start over time from start to due, both counted in the mode, minus `pausedMs` (in the same mode); a zero-length limit is 1 once due. */
export function elapsedFraction(
  start: Date,
  due: Date,
  now: Date,
  mode: TimeMode,
  cal: WorkingCalendar,
  pausedMs = 0,
): number {
  amount('pausedMs', pausedMs);
  const total = msBetween(start, due, mode, cal);
  const used = Math.max(0, msBetween(start, now, mode, cal) - pausedMs);
  if (total === 0) return instant('now', now) >= instant('due', due) ? 1 : 0;
  return used / total;
}

/** The instant when `fraction` of a limit of `limitHours` is used (0.5, 0.75, 1 and 2 for the markers). */
export function pointInLimit(
  start: Date,
  limitHours: number,
  fraction: number,
  mode: TimeMode,
  cal: WorkingCalendar,
): Date {
  amount('limitHours', limitHours, MAX_LIMIT_HOURS);
  amount('fraction', fraction, 1000);
  return addHours(start, limitHours * fraction, mode, cal);
}

/** True when the instant lies inside a working period [start, end) of a working day. */
export function isWorkingTime(at: Date, cal: WorkingCalendar): boolean {
  const t = instant('at', at);
  const c = compile(cal);
  const day = dayIndexOf(t);
  if (!isWorkday(c, day)) return false;
  const base = dayStartMs(day);
  return c.periods.some(([s, e]) => t >= base + s && t < base + e);
}

/** The end of the last working period of the local day, or of the next working day when `at` is at/after it or the day is off (the same-day rule). */
export function endOfWorkingDay(at: Date, cal: WorkingCalendar): Date {
  const t = instant('at', at);
  const c = compile(cal);
  const lastEnd = c.periods[c.periods.length - 1]?.[1];
  if (lastEnd === undefined) throw noWorkingTime();
  for (let day = dayIndexOf(t); ; day += 1) {
    if (day > c.lastSpecial + 7 && c.weekMs === 0) throw noWorkingTime();
    const end = dayStartMs(day) + lastEnd;
    if (isWorkday(c, day) && end > t) return new Date(end);
  }
}

/** The start of the next working time at or after `at` (itself when inside working time). */
export function nextWorkingTime(at: Date, cal: WorkingCalendar): Date {
  const t = instant('at', at);
  if (isWorkingTime(at, cal)) return new Date(t);
  // the earliest instant with 1 ms of working time after it, minus that 1 ms
  return new Date(addWorkingMsRaw(t, 1, compile(cal)) - 1);
}

/** Working ms of one ordinary working day of the calendar. */
export function workingDayMs(cal: WorkingCalendar): number {
  return compile(cal).periods.reduce((sum, [s, e]) => sum + (e - s), 0);
}
