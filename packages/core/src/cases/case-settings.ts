import type { Store } from '../ports.js';
import type { TimeLimitRule, WorkingCalendar } from '../timelimits/index.js';
import { DEFAULT_CALENDAR_2026, DEFAULT_TIME_LIMIT_RULES } from '../timelimits/index.js';

/** Settings of the closed loop, editable by admins; defaults apply until set. */
export interface LoopSettings {
  calendar: WorkingCalendar;
  timeLimitRules: readonly TimeLimitRule[];
  /** A new case of the same category this close to a recently closed one is a repeat. */
  recurrence: { radiusM: number; days: number };
  /** Escalate a grid's unresolved case at the end of its working day. */
  sameDayEscalation: boolean;
  /** Hours after closure when the revisit falls due. */
  revisitAfterHours: number;
}

export const SETTING_KEYS = {
  calendar: 'loop.calendar',
  timeLimitRules: 'loop.timeLimitRules',
  recurrence: 'loop.recurrence',
  sameDayEscalation: 'loop.sameDayEscalation',
  revisitAfterHours: 'loop.revisitAfterHours',
} as const;

/** Reads the loop settings (one query each; small). */
export async function loopSettings(store: Store): Promise<LoopSettings> {
  const v = await store.repos.settings.getMany(Object.values(SETTING_KEYS));
  const get = <T>(k: string) => v.get(k) as T | undefined;
  return {
    calendar: get<WorkingCalendar>(SETTING_KEYS.calendar) ?? DEFAULT_CALENDAR_2026,
    timeLimitRules: get<TimeLimitRule[]>(SETTING_KEYS.timeLimitRules) ?? DEFAULT_TIME_LIMIT_RULES,
    recurrence: get<{ radiusM: number; days: number }>(SETTING_KEYS.recurrence) ?? { radiusM: 200, days: 30 },
    sameDayEscalation: get<boolean>(SETTING_KEYS.sameDayEscalation) ?? true,
    revisitAfterHours: get<number>(SETTING_KEYS.revisitAfterHours) ?? 24,
  };
}
