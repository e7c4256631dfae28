import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, nextState, retryDelayMs } from './retry.js';

describe('retry schedule', () => {
  const steps = DEFAULT_RETRY_SCHEDULE.stepsSeconds;

  it('waits up to 30 s, 2 min, 10 min, 1 h, 6 h, then 24 h, and gives up after 8 attempts', () => {
    const top = () => 0.999999;
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => Math.round((retryDelayMs(n, top) ?? 0) / 1000));
    expect(waits).toEqual([30, 120, 600, 3600, 21_600, 86_400, 86_400]);
    expect(retryDelayMs(8, top)).toBeNull();
    expect(retryDelayMs(1, () => 0)).toBe(5000); // the floor
  });

  it('jitters over the whole step (full jitter), within the floor and the step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const ms = retryDelayMs(n, () => r) ?? -1;
          const step = (steps[Math.min(n, steps.length) - 1] ?? 0) * 1000;
          return ms >= 5000 && ms <= step;
        },
      ),
    );
    expect(retryDelayMs(3, () => 0.5)).toBe(300_000);
  });

  it('gives the next state: delivered, pending at now + delay, dead at the end or on a permanent failure', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(nextState(true, 1, now, () => 0.5)).toEqual({ status: 'delivered' });
    expect(nextState(false, 1, now, () => 0.5)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-01-01T00:00:15Z'),
    });
    expect(nextState(false, 8, now, () => 0.5)).toEqual({ status: 'dead' });
    expect(nextState(false, 1, now, () => 0.5, { permanentFailure: true })).toEqual({ status: 'dead' });
  });
});
