import { DEFAULT_PERIODS, DEFAULT_WORKDAYS } from './calendar-validation.js';
import type { WorkingCalendar } from './working-calendar.js';

/** Inclusive run of local dates in one month of 2026: days `from`..`to` of month `m`. */
const run = (m: number, from: number, to: number): string[] =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `2026-${String(m).padStart(2, '0')}-${String(from + i).padStart(2, '0')}`,
  );

/** Monday–Friday, 08:30–12:00 and 13:30–17:30, no holidays. */
export const DEFAULT_WORKING_CALENDAR: WorkingCalendar = {
  workdays: [...DEFAULT_WORKDAYS],
  periods: DEFAULT_PERIODS.map((p) => ({ ...p })),
  holidays: [],
  makeupWorkdays: [],
};

/**
 * SEED DATA — the default calendar with mainland China's 2026 public holidays and makeup workdays
 * (调休), transcribed from 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号,
 * 4 November 2025). Check it against the State Council's notice before relying on it; the app
 * stores an editable copy that admins correct and extend (local arrangements, next year's notice).
 * Only this copy's dates are known: outside 2026 the calendar is just Monday–Friday.
 */
export const DEFAULT_CALENDAR_2026: WorkingCalendar = {
  workdays: [...DEFAULT_WORKDAYS],
  periods: DEFAULT_PERIODS.map((p) => ({ ...p })),
  holidays: [
    ...run(1, 1, 3), // 元旦 New Year: Thu 1 – Sat 3 January
    ...run(2, 15, 23), // 春节 Spring Festival: Sun 15 – Mon 23 February (9 days)
    ...run(4, 4, 6), // 清明 Qingming: Sat 4 – Mon 6 April
    ...run(5, 1, 5), // 劳动节 Labour Day: Fri 1 – Tue 5 May
    ...run(6, 19, 21), // 端午 Dragon Boat: Fri 19 – Sun 21 June
    ...run(9, 25, 27), // 中秋 Mid-Autumn: Fri 25 – Sun 27 September
    ...run(10, 1, 7), // 国庆 National Day: Thu 1 – Wed 7 October
  ],
  makeupWorkdays: [
    '2026-01-04', // Sun, for 元旦
    '2026-02-14', // Sat, for 春节
    '2026-02-28', // Sat, for 春节
    '2026-05-09', // Sat, for 劳动节
    '2026-09-20', // Sun, for 国庆
    '2026-10-10', // Sat, for 国庆
  ],
};
