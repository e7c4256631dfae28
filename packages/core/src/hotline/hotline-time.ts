import { CST_OFFSET_MS, DAY_MS } from '../timelimits/local-time.js';
import { WORKING_DAY_HOURS } from '../timelimits/time-limits.js';
import type { TimeMode } from '../timelimits/working-calendar.js';

/** A parsed value, or the reason (in English) why the text was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The unit of a bare number in a time-limit column. */
export type TimeLimitUnit = 'hours' | 'days' | 'working_days';

/** A relative time limit: hours counted in `mode` (working days become working hours). */
export interface HotlineTimeLimit {
  hours: number;
  mode: TimeMode;
}

const MIN_YEAR = 1990;
const MAX_YEAR = 2100;
// Excel serials for 1990-01-01 and 2100-01-01 (1900 date system)
const MIN_SERIAL = 32_874;
const MAX_SERIAL = 73_051;
const UNIX_EPOCH_SERIAL = 25_569;
const MAX_LIMIT_HOURS = 366 * 24;

const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL =
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,3})\d*)?)?)?$/;
const CHINESE =
  /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[时點点:](\d{1,2})(?:[分:](?:(\d{1,2})秒?)?)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;
const LIMIT = /^(\d+(?:\.\d+)?)\s*(个?小时|hours?|hrs?|h|天|日|days?|d|个?工作日|working\s*days?|wd)?$/i;

/** Full-width digits and separators (common in hand-typed exports) as ASCII. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

const shorten = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const num = (digits: string | undefined): number => (digits === undefined ? 0 : +digits);

/** The instant of a wall-clock time in China Standard Time, after checking that the date exists. */
function fromCstParts(m: RegExpExecArray, at: readonly number[], original: string): Parsed<string> {
  // `at` says which groups hold year, month, day, hour, minute, second and milliseconds
  const year = num(m[at[0] ?? 0]);
  const month = num(m[at[1] ?? 0]);
  const day = num(m[at[2] ?? 0]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return {
      ok: false,
      reason: `year ${year} out of range ${MIN_YEAR}–${MAX_YEAR} in "${shorten(original)}"`,
    };
  }
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > monthDays) return { ok: false, reason: `no such date "${shorten(original)}"` };
  const hour = at[3] === undefined ? 0 : num(m[at[3]]);
  const minute = at[4] === undefined ? 0 : num(m[at[4]]);
  const second = at[5] === undefined ? 0 : num(m[at[5]]);
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: `no such time of day "${shorten(original)}"` };
  }
  const msText = at[6] === undefined ? undefined : m[at[6]];
  const ms = msText === undefined ? 0 : +msText.padEnd(3, '0');
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - CST_OFFSET_MS;
  return { ok: true, value: new Date(utc).toISOString() };
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const digit = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

/**
 * 'YYYY-MM-DD HH:MM:SS', the form nearly every hotline export uses, read without a regular expression
 * (a million rows of receipt times); undefined for anything else or any doubt, which the general
 * parser then handles and explains.
 */
function fastCst(text: string): string | undefined {
  if (text.length !== 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  if (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
    return undefined;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  // NaN fails every comparison, so a non-digit falls through to the general parser
  if (!(year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1)) return undefined;
  if (!(day <= (month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)))) return undefined;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  // UTC is 8 hours earlier: before 08:00 local that is the previous day (Date and toISOString cost
  // more than the whole parse)
  let y = year;
  let mo = month;
  let d = day;
  let h = hour - 8;
  if (h < 0) {
    h += 24;
    if (--d === 0) {
      if (--mo === 0) {
        y--;
        mo = 12;
      }
      d = mo === 2 && isLeapYear(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0);
    }
  }
  return `${y}-${PAD2[mo]}-${PAD2[d]}T${PAD2[h]}:${text.slice(14, 16)}:${text.slice(17, 19)}.000Z`;
}

// capture groups of year, month, day, hour, minute, second, ms in each pattern
const LOCAL_GROUPS = [1, 3, 4, 5, 6, 7, 8];
const CHINESE_GROUPS = [1, 2, 3, 4, 5, 6];
const COMPACT_GROUPS = [1, 2, 3, 4, 5, 6];

/**
 * Parses a hotline time to ISO-8601 UTC. Times without a zone ('2026-11-27 09:30:00',
 * '2026/11/27 9:30', '2026年11月27日 9时30分', '20261127093000') are China Standard Time (UTC+8);
 * ISO times with Z or an offset keep theirs; with `allowSerial`, a bare Excel serial date is accepted.
 */
export function parseHotlineTime(text: string, allowSerial = true): Parsed<string> {
  const fast = fastCst(text);
  if (fast !== undefined) return { ok: true, value: fast };
  // the other local forms before the half-width pass
  const quick = LOCAL.exec(text);
  if (quick) return fromCstParts(quick, LOCAL_GROUPS, text);
  const s = toHalfWidth(text);
  if (s === '') return { ok: false, reason: 'missing' };
  if (ISO_ZONED.test(s)) {
    const ms = Date.parse(s);
    const year = Number.isNaN(ms) ? 0 : new Date(ms).getUTCFullYear();
    if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `bad date "${shorten(text)}"` };
    return { ok: true, value: new Date(ms).toISOString() };
  }
  const local = LOCAL.exec(s);
  if (local) return fromCstParts(local, LOCAL_GROUPS, text);
  const chinese = CHINESE.exec(s);
  if (chinese) return fromCstParts(chinese, CHINESE_GROUPS, text);
  const compact = COMPACT.exec(s);
  if (compact) return fromCstParts(compact, COMPACT_GROUPS, text);
  if (allowSerial && SERIAL.test(s)) {
    const serial = Number(s);
    if (serial >= MIN_SERIAL && serial < MAX_SERIAL) {
      // an Excel serial is wall-clock time; rounding to the second drops binary fraction noise
      const wallMs = Math.round(((serial - UNIX_EPOCH_SERIAL) * DAY_MS) / 1000) * 1000;
      return { ok: true, value: new Date(wallMs - CST_OFFSET_MS).toISOString() };
    }
  }
  return {
    ok: false,
    reason: `bad date "${shorten(text)}" (expected e.g. 2026-11-27 09:30:00 or 2026/11/27 9:30)`,
  };
}

/** The wall-clock time in China Standard Time as 'YYYY-MM-DD HH:MM:SS' (the hotline's own format). */
export function formatCstTime(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`formatCstTime: not a time: ${String(at)}`);
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The unit a header names for bare numbers: 办理时限(小时) → hours, 时限(天) → days, (工作日) → working days. */
export function timeLimitUnitOfHeader(header: string): TimeLimitUnit | undefined {
  const h = toHalfWidth(header).toLowerCase();
  if (/工作日|working/.test(h)) return 'working_days';
  if (/[(（]\s*(小时|hours?|h)\s*[)）]|小时数/.test(h)) return 'hours';
  if (/[(（]\s*(天|日|days?|d)\s*[)）]|天数/.test(h)) return 'days';
  return undefined;
}

function unitOfSuffix(suffix: string): TimeLimitUnit {
  const u = suffix.toLowerCase();
  if (/工作日|working|wd/.test(u)) return 'working_days';
  if (/小时|^h/.test(u)) return 'hours';
  return 'days';
}

/**
 * Parses a time-limit cell: either a deadline ('2026-11-30 17:30' → `{ dueAt }`) or an amount
 * ('72小时', '3天', '5个工作日', or a bare number in `unit`) → `{ limit }`. A working day counts as
 * WORKING_DAY_HOURS working hours, a day as 24 calendar hours.
 */
export function parseTimeLimit(
  text: string,
  unit?: TimeLimitUnit,
): Parsed<{ dueAt: string } | { limit: HotlineTimeLimit }> {
  let s = text;
  let m = LIMIT.exec(s);
  if (!m) {
    s = toHalfWidth(text);
    m = LIMIT.exec(s);
  }
  if (!m) {
    const due = parseHotlineTime(s, false);
    if (due.ok) return { ok: true, value: { dueAt: due.value } };
    return {
      ok: false,
      reason: `bad time limit "${shorten(text)}" (expected e.g. 72小时, 3天, 5个工作日 or a deadline)`,
    };
  }
  // eight or more digits without a unit is a compact date (20261130), not an amount
  if (m[2] === undefined && /^\d{8,14}$/.test(s)) {
    const due = parseHotlineTime(s, false);
    if (due.ok) return { ok: true, value: { dueAt: due.value } };
  }
  const resolved = m[2] !== undefined ? unitOfSuffix(m[2]) : unit;
  if (resolved === undefined) {
    return {
      ok: false,
      reason: `time limit "${shorten(text)}" has no unit (write 72小时 or 3天, or name the unit in the header, e.g. 办理时限(小时))`,
    };
  }
  const amount = Number(m[1]);
  const limit: HotlineTimeLimit =
    resolved === 'working_days'
      ? { hours: amount * WORKING_DAY_HOURS, mode: 'working' }
      : { hours: resolved === 'days' ? amount * 24 : amount, mode: 'calendar' };
  if (!(limit.hours > 0) || limit.hours > MAX_LIMIT_HOURS) {
    return {
      ok: false,
      reason: `time limit "${shorten(text)}" out of range (more than 0, at most 366 days)`,
    };
  }
  return { ok: true, value: { limit } };
}
