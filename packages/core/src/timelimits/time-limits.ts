import { AppError } from '../shared/errors.js';
import { HOUR_MS } from './local-time.js';
import { addHours, addWorkingMs, msBetween, pointInLimit } from './working-calendar.js';
import type { TimeMode, WorkingCalendar } from './working-calendar.js';

/** Priorities a time limit can depend on (the same values as a case's priority). */
export type LimitPriority = 'low' | 'normal' | 'high' | 'urgent';
/** All priorities, least urgent first. */
export const LIMIT_PRIORITIES: readonly LimitPriority[] = ['low', 'normal', 'high', 'urgent'];

/** The three limits of a case, in hours counted in `mode`. */
export interface TimeLimit {
  /** From dispatch to acceptance (签收) by the handler. */
  acceptHours: number;
  /** From dispatch to the handler's result (办结). */
  handleHours: number;
  /** From the handler's result to verification and feedback (核查反馈). */
  feedbackHours: number;
  mode: TimeMode;
}

/** One row of the time-limit policy; an absent field matches anything. */
export interface TimeLimitRule {
  /** First-level category name (e.g. '城乡建设'); undefined = any category. */
  level1?: string;
  priority?: LimitPriority;
  limit: TimeLimit;
}

/** Due instants of one case's limits. */
export interface Deadlines {
  acceptBy: Date;
  handleBy: Date;
  feedbackBy: Date;
}

/** Supervision markers of one limit: warnings at 50 % and 75 %, the breach (yellow card) and red card at 200 %. */
export interface LimitMarkers {
  warn50: Date;
  warn75: Date;
  breach: Date;
  red: Date;
}

/** The fraction of a limit at which each marker falls. */
export const LIMIT_MARKER_FRACTIONS: Readonly<Record<keyof LimitMarkers, number>> = {
  warn50: 0.5,
  warn75: 0.75,
  breach: 1,
  red: 2,
};

/** First-level classes treated as public safety (安全生产 and 市政 hazards, 治安, 公共卫生/食品药品, 环境污染): stricter defaults. */
export const PUBLIC_SAFETY_LEVEL1: readonly string[] = ['城乡建设', '政法', '卫生计生', '环境保护'];

const working = (acceptHours: number, handleHours: number, feedbackHours: number): TimeLimit => ({
  acceptHours,
  handleHours,
  feedbackHours,
  mode: 'working',
});
const calendar = (acceptHours: number, handleHours: number, feedbackHours: number): TimeLimit => ({
  acceptHours,
  handleHours,
  feedbackHours,
  mode: 'calendar',
});

/** Working hours of one day of the default calendar (08:30–12:00 and 13:30–17:30). */
export const WORKING_DAY_HOURS = 7.5;
const days = (n: number): number => n * WORKING_DAY_HOURS;

/**
 * Default policy in the spirit of 12345 hotline and grid practice; "N working days" are N days of
 * the default calendar (7.5 h each). Admins edit the stored copy. Category rules are given per
 * priority so that an urgent case of a category is never slower than an urgent case in general
 * (a category-only rule outranks a priority-only one).
 */
export const DEFAULT_TIME_LIMIT_RULES: readonly TimeLimitRule[] = [
  { limit: working(2, days(5), days(1)) }, // default = normal: accept 2 h, handle 5 working days
  { priority: 'low', limit: working(4, days(10), days(2)) }, // handle 10 working days
  { priority: 'high', limit: working(1, days(3), 4) }, // handle 3 working days
  { priority: 'urgent', limit: calendar(0.5, 24, 4) }, // round the clock: handle within 24 h
  ...PUBLIC_SAFETY_LEVEL1.flatMap((level1): TimeLimitRule[] => [
    { level1, limit: working(1, days(3), days(1)) }, // normal: handle 3 working days
    { level1, priority: 'low', limit: working(2, days(5), days(1)) }, // handle 5 working days
    { level1, priority: 'high', limit: working(0.5, days(2), 4) }, // handle 2 working days
    { level1, priority: 'urgent', limit: calendar(0.25, 12, 4) }, // accept in 15 min, handle in 12 h
  ]),
];

/** How specific a rule is for (level1, priority): 3 both, 2 category, 1 priority, 0 default; -1 no match. */
function specificity(r: TimeLimitRule, level1: string | undefined, priority: LimitPriority): number {
  if (r.level1 !== undefined && r.level1.trim() !== level1) return -1;
  if (r.priority !== undefined && r.priority !== priority) return -1;
  return (r.level1 !== undefined ? 2 : 0) + (r.priority !== undefined ? 1 : 0);
}

/** The limit for a case: the most specific matching rule (category+priority > category > priority > default; the first listed among equals); with no match, the built-in defaults decide. */
export function resolveTimeLimit(
  rules: readonly TimeLimitRule[],
  level1: string | null | undefined,
  priority: LimitPriority,
): TimeLimit {
  const name = level1?.trim() || undefined;
  let best: TimeLimitRule | undefined;
  let bestScore = -1;
  for (const r of rules) {
    const s = specificity(r, name, priority);
    if (s > bestScore) [best, bestScore] = [r, s];
  }
  if (best) return best.limit;
  if (rules === DEFAULT_TIME_LIMIT_RULES)
    throw new AppError('INTERNAL', 'the default time-limit rules have no default');
  return resolveTimeLimit(DEFAULT_TIME_LIMIT_RULES, name, priority);
}

/** Due instants of a limit counted from dispatch at `start`; feedback is counted from `handledAt`, or from the handling deadline when not yet handled. */
export function deadlines(start: Date, limit: TimeLimit, cal: WorkingCalendar, handledAt?: Date): Deadlines {
  const handleBy = addHours(start, limit.handleHours, limit.mode, cal);
  return {
    acceptBy: addHours(start, limit.acceptHours, limit.mode, cal),
    handleBy,
    feedbackBy: addHours(handledAt ?? handleBy, limit.feedbackHours, limit.mode, cal),
  };
}

/** The supervision markers of a limit of `hours` from `start`: 50 %, 75 %, 100 % (breach) and 200 % (red card). */
export function markers(start: Date, hours: number, mode: TimeMode, cal: WorkingCalendar): LimitMarkers {
  const at = (f: number) => pointInLimit(start, hours, f, mode, cal);
  return {
    warn50: at(LIMIT_MARKER_FRACTIONS.warn50),
    warn75: at(LIMIT_MARKER_FRACTIONS.warn75),
    breach: at(LIMIT_MARKER_FRACTIONS.breach),
    red: at(LIMIT_MARKER_FRACTIONS.red),
  };
}

/** A due date moved later by the paused span [pausedFrom, pausedTo), the span counted in the same mode (working mode: only its working time). */
export function shiftForPause(
  due: Date,
  pausedFrom: Date,
  pausedTo: Date,
  mode: TimeMode,
  cal: WorkingCalendar,
): Date {
  const span = msBetween(pausedFrom, pausedTo, mode, cal);
  return mode === 'calendar' ? addHours(due, span / HOUR_MS, 'calendar', cal) : addWorkingMs(due, span, cal);
}
