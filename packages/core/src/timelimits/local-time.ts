/**
 * China Standard Time helpers: a fixed UTC+8 offset, no daylight saving. A "day index" counts local
 * calendar days since 1970-01-01 (local), so day arithmetic never touches the host's time zone.
 */

/** Milliseconds in an hour, a day and a week. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** China Standard Time is UTC+8 all year. */
export const CST_OFFSET_MS = 8 * HOUR_MS;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_RE = /^(\d{2}):(\d{2})$/;

/** The local (UTC+8) day index of an instant in ms. */
export function dayIndexOf(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

/** The instant (UTC ms) of local midnight starting a day index. */
export function dayStartMs(day: number): number {
  return day * DAY_MS - CST_OFFSET_MS;
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a day index; day 0 (1970-01-01) was a Thursday. */
export function isoWeekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The local date 'YYYY-MM-DD' of a day index. */
export function formatDayIndex(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day index of a real calendar date 'YYYY-MM-DD' (years 1900–2199), or null. */
export function parseLocalDate(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** Minutes after local midnight of 'HH:MM' (00:00–24:00), or null. */
export function parseClock(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = CLOCK_RE.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** The local date (UTC+8) of an instant as 'YYYY-MM-DD'. */
export function localDateOf(at: Date): string {
  return formatDayIndex(dayIndexOf(at.getTime()));
}
