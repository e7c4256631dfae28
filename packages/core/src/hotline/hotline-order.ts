import type { LimitPriority } from '../timelimits/time-limits.js';
import type { TimeMode } from '../timelimits/working-calendar.js';

/** Markers the hotline sets on a work order besides its urgency. */
export type HotlineFlag = 'expedite' | 'repeat' | 'supervised';

/** A point in degrees, as the hotline sends it (coordinate system not converted). */
export interface HotlineLocation {
  lng: number;
  lat: number;
}

/**
 * One work order (工单) of the 12345 city hotline as imported. Personal fields hold the value as
 * received (the worker needs the number for the revisit); mask them with maskPhone/maskName on
 * every way out (responses, logs, error reports).
 */
export interface HotlineOrder {
  /** The hotline's own order number (工单编号): the key for feedback back to the city system. */
  externalOrderId: string;
  callerName?: string;
  /** Normalised: mobiles as 11 digits, several numbers joined by ', '; may arrive masked (138****5678). */
  callerPhone?: string;
  content: string;
  address?: string;
  location?: HotlineLocation;
  /** Free text from the hotline, e.g. '城乡建设/市政设施'; mapped to our categories later. */
  category?: string;
  /** When the hotline received the call (受理时间), ISO-8601 UTC. */
  receivedAt: string;
  /** Absolute deadline set by the hotline (办结时限 given as a date), ISO-8601 UTC. */
  dueAt?: string;
  /** Relative time limit set by the hotline, in hours counted in `timeLimitMode`. */
  timeLimitHours?: number;
  timeLimitMode?: TimeMode;
  priority?: LimitPriority;
  flags?: HotlineFlag[];
}

/** Every field a column can be mapped to. */
export const HOTLINE_FIELDS = [
  'externalOrderId',
  'callerName',
  'callerPhone',
  'content',
  'address',
  'lng',
  'lat',
  'category',
  'receivedAt',
  'timeLimit',
  'priority',
  'expedite',
  'repeat',
  'supervised',
] as const;

/** A field a column can be mapped to (lng and lat are separate columns; timeLimit gives dueAt or hours). */
export type HotlineField = (typeof HOTLINE_FIELDS)[number];

/** Fields without which an order cannot be imported. */
export const REQUIRED_HOTLINE_FIELDS: readonly HotlineField[] = ['externalOrderId', 'content', 'receivedAt'];

/** Longest accepted text per field, in characters (code points). */
export const HOTLINE_MAX_LENGTH = {
  externalOrderId: 64,
  callerName: 50,
  callerPhone: 100,
  content: 10_000,
  address: 500,
  category: 200,
} as const;
