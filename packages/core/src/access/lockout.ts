/** Failed-login bookkeeping of one account, as stored with the user. */
export interface LockoutState {
  failedCount: number;
  lockedUntil: Date | null;
}

export interface LockoutPolicy {
  /** Failures allowed before the first lock; the failure that reaches this number locks. */
  freeAttempts: number;
  /** Length of the first lock; doubles with each further failure. */
  baseLockSeconds: number;
  /** Upper bound of any single lock. */
  maxLockSeconds: number;
}

export const DEFAULT_LOCKOUT_POLICY: Readonly<LockoutPolicy> = Object.freeze({
  freeAttempts: 5,
  baseLockSeconds: 60,
  maxLockSeconds: 3600,
});

/** The state of an account with no failures and no lock. */
export function onSuccess(): LockoutState {
  return { failedCount: 0, lockedUntil: null };
}

/** Merges a partial policy over the defaults and rejects nonsensical values. */
export function resolveLockoutPolicy(policy: Partial<LockoutPolicy> = {}): LockoutPolicy {
  const p = { ...DEFAULT_LOCKOUT_POLICY, ...policy };
  if (!Number.isInteger(p.freeAttempts) || p.freeAttempts < 1)
    throw new RangeError('freeAttempts must be ≥ 1');
  if (!Number.isInteger(p.baseLockSeconds) || p.baseLockSeconds < 1)
    throw new RangeError('baseLockSeconds must be ≥ 1');
  if (!Number.isInteger(p.maxLockSeconds) || p.maxLockSeconds < p.baseLockSeconds) {
    throw new RangeError('maxLockSeconds must be an integer ≥ baseLockSeconds');
  }
  return p;
}

/** Seconds an account is locked after its `failedCount`-th consecutive failure (0 = no lock). */
export function lockSecondsAfter(failedCount: number, policy: Partial<LockoutPolicy> = {}): number {
  const p = resolveLockoutPolicy(policy);
  if (failedCount < p.freeAttempts) return 0;
  const doublings = Math.min(failedCount - p.freeAttempts, 40);
  return Math.min(p.maxLockSeconds, p.baseLockSeconds * 2 ** doublings);
}

/** Whether the account is locked at `now`, and for how many more whole seconds (rounded up). */
export function checkLock(state: LockoutState, now: Date): { locked: boolean; retryAfterSeconds: number } {
  if (state.lockedUntil === null) return { locked: false, retryAfterSeconds: 0 };
  const remainingMs = state.lockedUntil.getTime() - now.getTime();
  if (!(remainingMs > 0)) return { locked: false, retryAfterSeconds: 0 };
  return { locked: true, retryAfterSeconds: Math.ceil(remainingMs / 1000) };
}

/**
 * The state after one more failed login at `now`. A lock never gets shorter: a failure during an
 * existing lock keeps the later of the old and the new end.
 */
export function onFailure(state: LockoutState, now: Date, policy: Partial<LockoutPolicy> = {}): LockoutState {
  if (!Number.isFinite(now.getTime())) throw new RangeError('onFailure: invalid date');
  const failedCount = Math.max(0, state.failedCount) + 1;
  const seconds = lockSecondsAfter(failedCount, policy);
  if (seconds === 0) return { failedCount, lockedUntil: state.lockedUntil };
  const until = now.getTime() + seconds * 1000;
  const previous = state.lockedUntil?.getTime() ?? -Infinity;
  return { failedCount, lockedUntil: new Date(Math.max(until, previous)) };
}
