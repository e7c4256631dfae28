/**
 * When to try a failed delivery again. Each retry waits a random time up to the step of the schedule
 * for its number ("full jitter"), so receivers that come back after an outage are not hit by every
 * queued delivery at the same instant; a small floor keeps a retry from following straight on.
 * Pure: the random source and the clock are passed in.
 */

export interface RetrySchedule {
  /** Upper bound of the wait before retry n (n = 1, 2, …); the last step repeats (the cap). */
  stepsSeconds: readonly number[];
  /** Attempts in all (the first one included); after the last failure the delivery is dead. */
  maxAttempts: number;
  /** Shortest wait, whatever the jitter draws. */
  minDelaySeconds: number;
}

/** 30 s, 2 min, 10 min, 1 h, 6 h, then 24 h; 8 attempts over about two days at most. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  stepsSeconds: [30, 120, 600, 3600, 6 * 3600, 24 * 3600],
  maxAttempts: 8,
  minDelaySeconds: 5,
};

export type NextState =
  { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'dead' };

/**
 * Wait in milliseconds before the next attempt, after `attemptsMade` failed attempts; null when no
 * attempt is left. `random` returns a number in [0, 1).
 */
export function retryDelayMs(
  attemptsMade: number,
  random: () => number,
  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE,
): number | null {
  if (attemptsMade < 1) throw new RangeError('retryDelayMs is for after a failed attempt');
  if (attemptsMade >= schedule.maxAttempts) return null;
  const steps = schedule.stepsSeconds;
  const step = steps[Math.min(attemptsMade, steps.length) - 1] ?? 0;
  const r = Math.min(Math.max(random(), 0), 1);
  const seconds = Math.max(schedule.minDelaySeconds, r * step);
  return Math.round(seconds * 1000);
}

/** The state after an attempt: delivered, pending with its next time, or dead. */
export function nextState(
  ok: boolean,
  attemptsMade: number,
  now: Date,
  random: () => number,
  options: { schedule?: RetrySchedule; permanentFailure?: boolean } = {},
): NextState {
  if (ok) return { status: 'delivered' };
  if (options.permanentFailure) return { status: 'dead' };
  const delay = retryDelayMs(attemptsMade, random, options.schedule);
  return delay === null
    ? { status: 'dead' }
    : { status: 'pending', nextAttemptAt: new Date(now.getTime() + delay) };
}
