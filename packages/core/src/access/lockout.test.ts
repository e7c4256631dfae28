import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LockoutState } from './lockout.js';
import {
  DEFAULT_LOCKOUT_POLICY,
  checkLock,
  lockSecondsAfter,
  onFailure,
  onSuccess,
  resolveLockoutPolicy,
} from './lockout.js';

const t0 = new Date('2026-03-01T08:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

/** Fails `n` times, each at the moment the previous lock (if any) ran out. */
function failTimes(n: number, policy = {}): { state: LockoutState; now: Date } {
  let state = onSuccess();
  let now = t0;
  for (let i = 0; i < n; i++) {
    if (state.lockedUntil && state.lockedUntil > now) now = state.lockedUntil;
    state = onFailure(state, now, policy);
  }
  return { state, now };
}

describe('lockSecondsAfter', () => {
  it('follows the default policy: 4 free failures, then 60 s doubling to 3600 s', () => {
    expect([0, 1, 2, 3, 4].map((n) => lockSecondsAfter(n))).toEqual([0, 0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 12, 100].map((n) => lockSecondsAfter(n))).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600, 3600,
    ]);
  });

  it('does not overflow for huge failure counts', () => {
    expect(lockSecondsAfter(1e9)).toBe(3600);
    expect(lockSecondsAfter(Number.MAX_SAFE_INTEGER)).toBe(3600);
  });

  it('honours a custom policy', () => {
    const policy = { freeAttempts: 3, baseLockSeconds: 10, maxLockSeconds: 25 };
    expect([2, 3, 4, 5, 6].map((n) => lockSecondsAfter(n, policy))).toEqual([0, 10, 20, 25, 25]);
  });

  it('is monotone non-decreasing in failures and capped (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 200 }),
        (freeAttempts, baseLockSeconds, extra, n) => {
          const policy = { freeAttempts, baseLockSeconds, maxLockSeconds: baseLockSeconds + extra };
          const a = lockSecondsAfter(n, policy);
          const b = lockSecondsAfter(n + 1, policy);
          expect(b).toBeGreaterThanOrEqual(a);
          expect(b).toBeLessThanOrEqual(policy.maxLockSeconds);
          expect(a === 0).toBe(n < freeAttempts);
        },
      ),
    );
  });
});

describe('resolveLockoutPolicy', () => {
  it('fills in defaults', () => {
    expect(resolveLockoutPolicy()).toEqual(DEFAULT_LOCKOUT_POLICY);
    expect(resolveLockoutPolicy({ freeAttempts: 3 })).toEqual({ ...DEFAULT_LOCKOUT_POLICY, freeAttempts: 3 });
  });

  it('rejects nonsense', () => {
    expect(() => resolveLockoutPolicy({ freeAttempts: 0 })).toThrow(RangeError);
    expect(() => resolveLockoutPolicy({ baseLockSeconds: 0 })).toThrow(RangeError);
    expect(() => resolveLockoutPolicy({ baseLockSeconds: 100, maxLockSeconds: 50 })).toThrow(RangeError);
    expect(() => resolveLockoutPolicy({ freeAttempts: 2.5 })).toThrow(RangeError);
  });
});

describe('checkLock', () => {
  it('is unlocked without a lock time', () => {
    expect(checkLock(onSuccess(), t0)).toEqual({ locked: false, retryAfterSeconds: 0 });
  });

  it('reports remaining whole seconds, rounded up, until the lock ends', () => {
    const state = { failedCount: 5, lockedUntil: at(60) };
    expect(checkLock(state, t0)).toEqual({ locked: true, retryAfterSeconds: 60 });
    expect(checkLock(state, new Date(t0.getTime() + 59_001))).toEqual({ locked: true, retryAfterSeconds: 1 });
    expect(checkLock(state, at(60))).toEqual({ locked: false, retryAfterSeconds: 0 });
    expect(checkLock(state, at(61))).toEqual({ locked: false, retryAfterSeconds: 0 });
  });
});

describe('onFailure / onSuccess', () => {
  it('counts failures without locking before the fifth', () => {
    const { state } = failTimes(4);
    expect(state).toEqual({ failedCount: 4, lockedUntil: null });
    expect(checkLock(state, t0).locked).toBe(false);
  });

  it('locks for 60 s on the fifth failure', () => {
    const { state, now } = failTimes(5);
    expect(state.failedCount).toBe(5);
    expect(state.lockedUntil).toEqual(new Date(now.getTime() + 60_000));
    expect(checkLock(state, now)).toEqual({ locked: true, retryAfterSeconds: 60 });
  });

  it('doubles each further failure up to an hour', () => {
    const durations: number[] = [];
    for (let n = 5; n <= 13; n++) {
      const { state, now } = failTimes(n);
      durations.push(((state.lockedUntil?.getTime() ?? 0) - now.getTime()) / 1000);
    }
    expect(durations).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('never shortens an existing lock', () => {
    const locked = { failedCount: 5, lockedUntil: at(3000) };
    expect(onFailure(locked, t0).lockedUntil).toEqual(at(3000));
  });

  it('keeps an old (expired) lock time while below the threshold', () => {
    const state = { failedCount: 0, lockedUntil: at(-10) };
    expect(onFailure(state, t0)).toEqual({ failedCount: 1, lockedUntil: at(-10) });
    expect(checkLock(onFailure(state, t0), t0).locked).toBe(false);
  });

  it('does not mutate its input', () => {
    const state = Object.freeze({ failedCount: 4, lockedUntil: null });
    const next = onFailure(state, t0);
    expect(state).toEqual({ failedCount: 4, lockedUntil: null });
    expect(next.failedCount).toBe(5);
  });

  it('rejects an invalid date', () => {
    expect(() => onFailure(onSuccess(), new Date('nonsense'))).toThrow(RangeError);
  });

  it('resets everything on success', () => {
    expect(onSuccess()).toEqual({ failedCount: 0, lockedUntil: null });
    const { state } = failTimes(7);
    expect(state.failedCount).toBe(7);
    expect(checkLock(onSuccess(), t0).locked).toBe(false);
  });

  it('lock durations over a failure sequence are non-decreasing and capped (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 30 }),
        fc.record({
          freeAttempts: fc.integer({ min: 1, max: 10 }),
          baseLockSeconds: fc.integer({ min: 1, max: 600 }),
          maxLockSeconds: fc.integer({ min: 600, max: 86_400 }),
        }),
        (gaps, policy) => {
          let state = onSuccess();
          let now = t0.getTime();
          let last = 0;
          for (const gap of gaps) {
            now = Math.max(now + gap * 1000, state.lockedUntil?.getTime() ?? 0); // retry after the lock
            state = onFailure(state, new Date(now), policy);
            const duration = Math.max(0, ((state.lockedUntil?.getTime() ?? 0) - now) / 1000);
            expect(duration).toBeGreaterThanOrEqual(last);
            expect(duration).toBeLessThanOrEqual(policy.maxLockSeconds);
            expect(checkLock(state, new Date(now)).retryAfterSeconds).toBe(duration);
            last = duration;
          }
        },
      ),
    );
  });
});
