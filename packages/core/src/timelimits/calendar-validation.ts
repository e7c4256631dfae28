import type { FieldIssue } from '../shared/errors.js';
import { validationError } from '../shared/errors.js';
import { formatDayIndex, isoWeekdayOf, parseClock, parseLocalDate } from './local-time.js';
import type { WorkingCalendar, WorkingPeriod } from './working-calendar.js';

const FIELDS = ['workdays', 'periods', 'holidays', 'makeupWorkdays'] as const;
const MAX_DATES = 2000;
const MAX_PERIODS = 12;

/** Default working days: Monday to Friday. */
export const DEFAULT_WORKDAYS: readonly number[] = [1, 2, 3, 4, 5];
/** Default working periods of Chinese government offices: 08:30–12:00 and 13:30–17:30. */
export const DEFAULT_PERIODS: readonly WorkingPeriod[] = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the weekdays: integers 1–7, at least one, no repeats; returns them sorted. */
function checkWorkdays(v: unknown, issues: FieldIssue[]): number[] {
  if (v === undefined) return [...DEFAULT_WORKDAYS];
  if (!Array.isArray(v) || v.length === 0) {
    issues.push({ path: 'workdays', reason: 'a non-empty list of ISO weekdays 1 (Monday) to 7 (Sunday)' });
    return [];
  }
  const seen = new Set<number>();
  v.forEach((d: unknown, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 7)
      issues.push({ path: `workdays.${i}`, reason: 'an ISO weekday 1 (Monday) to 7 (Sunday)' });
    else if (seen.has(d)) issues.push({ path: `workdays.${i}`, reason: `weekday ${d} is listed twice` });
    else seen.add(d);
  });
  return [...seen].sort((a, b) => a - b);
}

/** Checks the periods: HH:MM, end after start, no overlaps; returns them sorted by start. */
function checkPeriods(v: unknown, issues: FieldIssue[]): WorkingPeriod[] {
  if (v === undefined) return DEFAULT_PERIODS.map((p) => ({ ...p }));
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_PERIODS) {
    issues.push({ path: 'periods', reason: `a list of 1 to ${MAX_PERIODS} working periods` });
    return [];
  }
  const ok: Array<{ i: number; s: number; e: number; p: WorkingPeriod }> = [];
  v.forEach((p: unknown, i) => {
    if (!isObject(p)) return issues.push({ path: `periods.${i}`, reason: 'an object { start, end }' });
    const s = parseClock(p.start);
    const e = parseClock(p.end);
    if (s === null || s >= 24 * 60)
      issues.push({ path: `periods.${i}.start`, reason: 'a local time HH:MM from 00:00 to 23:59' });
    if (e === null || e === 0)
      issues.push({ path: `periods.${i}.end`, reason: 'a local time HH:MM from 00:01 to 24:00' });
    if (s === null || e === null || s >= 24 * 60 || e === 0) return;
    if (e <= s) return issues.push({ path: `periods.${i}.end`, reason: 'must be after start' });
    ok.push({ i, s, e, p: { start: p.start as string, end: p.end as string } });
  });
  ok.sort((a, b) => a.s - b.s);
  for (let k = 1; k < ok.length; k++) {
    const prev = ok[k - 1]!;
    const cur = ok[k]!;
    if (cur.s < prev.e)
      issues.push({
        path: `periods.${cur.i}`,
        reason: `overlaps periods.${prev.i} (${prev.p.start}–${prev.p.end})`,
      });
  }
  return ok.map((o) => o.p);
}

/** Checks a list of real dates 'YYYY-MM-DD'; returns the day indexes, deduplicated and sorted. */
function checkDates(key: 'holidays' | 'makeupWorkdays', v: unknown, issues: FieldIssue[]) {
  const out = new Map<number, number>();
  if (v === undefined) return out;
  if (!Array.isArray(v) || v.length > MAX_DATES) {
    issues.push({ path: key, reason: `a list of at most ${MAX_DATES} dates YYYY-MM-DD` });
    return out;
  }
  v.forEach((d: unknown, i) => {
    const day = parseLocalDate(d);
    if (day === null) issues.push({ path: `${key}.${i}`, reason: 'a real date YYYY-MM-DD (1900–2199)' });
    else if (!out.has(day)) out.set(day, i);
  });
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** Validates an edited working calendar, naming each bad field (VALIDATION_FAILED); fills defaults for missing fields and returns a normalised copy. */
export function validateCalendar(input: unknown): WorkingCalendar {
  const issues: FieldIssue[] = [];
  if (!isObject(input))
    throw validationError([{ path: '', reason: 'a calendar object' }], 'invalid working calendar');
  for (const k of Object.keys(input))
    if (!(FIELDS as readonly string[]).includes(k))
      issues.push({ path: k, reason: `unknown field; expected ${FIELDS.join(', ')}` });
  const workdays = checkWorkdays(input.workdays, issues);
  const periods = checkPeriods(input.periods, issues);
  const holidays = checkDates('holidays', input.holidays, issues);
  const makeup = checkDates('makeupWorkdays', input.makeupWorkdays, issues);
  for (const [day, i] of makeup) {
    const date = formatDayIndex(day);
    if (holidays.has(day))
      issues.push({ path: `makeupWorkdays.${i}`, reason: `${date} is also listed as a holiday` });
    else if (workdays.includes(isoWeekdayOf(day)))
      issues.push({
        path: `makeupWorkdays.${i}`,
        reason: `${date} is already a working day; makeup workdays (调休) are days off made working`,
      });
  }
  if (issues.length > 0) throw validationError(issues, 'invalid working calendar');
  return {
    workdays,
    periods,
    holidays: [...holidays.keys()].map(formatDayIndex),
    makeupWorkdays: [...makeup.keys()].map(formatDayIndex),
  };
}
