import type { WorkingCalendar, TimeLimit } from '../timelimits/index.js';
import { addHours, endOfWorkingDay, markers } from '../timelimits/index.js';
import type { TimerRow } from './case-ports.js';

/** Timer kinds: phase markers (warn50, warn75, breach = yellow card, red = red card at 2×), the
 * same-day escalation rule and the revisit task. */
export type Phase = 'accept' | 'handle' | 'verify';
export const MARKERS = ['warn50', 'warn75', 'breach', 'red'] as const;
export type Marker = (typeof MARKERS)[number];

/** The markers of one phase as timer rows (ids and case filled in by the caller). */
export function phaseTimers(
  phase: Phase,
  start: Date,
  hours: number,
  mode: TimeLimit['mode'],
  cal: WorkingCalendar,
) {
  const m = markers(start, hours, mode, cal);
  return MARKERS.map((marker) => ({
    kind: `${phase}.${marker}`,
    dueAt: m[marker].toISOString(),
    payload: { phase, marker },
  }));
}

/** The due instant of a phase. */
export function phaseDue(start: Date, hours: number, mode: TimeLimit['mode'], cal: WorkingCalendar): string {
  return addHours(start, hours, mode, cal).toISOString();
}

/** The same-day rule: a case a grid has not resolved by the end of its working day is called up. */
export function sameDayTimer(at: Date, cal: WorkingCalendar) {
  return { kind: 'sameDay', dueAt: endOfWorkingDay(at, cal).toISOString(), payload: {} };
}

/** Revisit (回访) falls due a while after closure. */
export function revisitTimer(closedAt: Date, afterHours: number) {
  return {
    kind: 'revisit',
    dueAt: new Date(closedAt.getTime() + afterHours * 3600_000).toISOString(),
    payload: {},
  };
}

export type PlannedTimer = Omit<TimerRow, 'id' | 'caseId'>;
