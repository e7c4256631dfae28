/**
 * The early-warning (预警) lifecycle as a pure state machine:
 *
 *   open ──confirm(caseId)──▶ confirmed   (the warning became a case)
 *   open ──dismiss(reason)──▶ dismissed   (false alarm or known issue, reason ≥ 2 characters)
 *
 * Dedupe: while a warning for a (topic, unit) is open, a new spike updates it (level only goes up,
 * evidence is added) instead of opening another. After a dismissal, spikes for the same key that
 * are no worse than the dismissed level stay quiet for `quietAfterDismissMs` (alarm fatigue).
 */
import { AppError } from '../shared/errors.js';
import type { Spike, WarningLevel } from './spike.js';
import { WARNING_LEVELS } from './spike.js';

export const WARNING_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export type WarningAction = 'confirm' | 'dismiss';

export interface EarlyWarning {
  id: string;
  topic: string;
  unitCode: string;
  status: WarningStatus;
  level: WarningLevel;
  /** Start of the first spike window and end of the latest one. */
  windowStart: string;
  windowEnd: string;
  /** Largest count seen and the baseline it was compared with. */
  peakCount: number;
  baseline: number;
  score: number;
  spikeCount: number;
  evidencePostIds: string[];
  caseId: string | null;
  dismissReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  openedAt: string;
  updatedAt: string;
  version: number;
}

export type WarningEventType =
  | 'warning.opened'
  | 'warning.updated'
  | 'warning.escalated'
  | 'warning.suppressed'
  | 'warning.confirmed'
  | 'warning.dismissed';

export interface WarningEvent {
  type: WarningEventType;
  warningId: string | null;
  topic: string;
  unitCode: string;
  level: WarningLevel;
  at: string;
}

/** Evidence kept on one warning; the hottest ids of each spike come first. */
export const MAX_EVIDENCE = 20;
export const DISMISS_REASON_MIN = 2;
export const DISMISS_REASON_MAX = 500;
export const DEFAULT_QUIET_AFTER_DISMISS_MS = 24 * 3_600_000;

/** Numeric rank of a level (blue 0 … red 3). */
export function levelRank(level: WarningLevel): number {
  return WARNING_LEVELS.indexOf(level);
}

/** What an operator may do with the warning now. */
export function allowedWarningActions(w: Pick<EarlyWarning, 'status'>): WarningAction[] {
  return w.status === 'open' ? ['confirm', 'dismiss'] : [];
}

/** The dedupe key: at most one open warning per topic and unit. */
export function warningKey(w: Pick<EarlyWarning, 'topic' | 'unitCode'>): string {
  return `${w.topic}\u0000${w.unitCode}`;
}

const mergeIds = (a: readonly string[], b: readonly string[]): string[] =>
  [...new Set([...a, ...b])].slice(0, MAX_EVIDENCE);
const minIso = (a: string, b: string) => (a < b ? a : b);
const maxIso = (a: string, b: string) => (a > b ? a : b);

/** A new open warning from a spike. */
export function openWarning(spike: Spike, id: string, now: Date): EarlyWarning {
  const at = now.toISOString();
  return {
    id,
    topic: spike.topic,
    unitCode: spike.unitCode,
    status: 'open',
    level: spike.level,
    windowStart: spike.windowStart,
    windowEnd: spike.windowEnd,
    peakCount: spike.count,
    baseline: spike.baseline,
    score: spike.score,
    spikeCount: 1,
    evidencePostIds: spike.evidencePostIds.slice(0, MAX_EVIDENCE),
    caseId: null,
    dismissReason: null,
    decidedBy: null,
    decidedAt: null,
    openedAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** Folds a further spike of the same (topic, unit) into an open warning. */
export function updateWarning(w: EarlyWarning, spike: Spike, now: Date): EarlyWarning {
  if (w.status !== 'open')
    throw new AppError('TRANSITION_NOT_ALLOWED', `warning is ${w.status}`, {
      allowed: allowedWarningActions(w),
    });
  if (warningKey(w) !== warningKey(spike))
    throw new AppError('VALIDATION_FAILED', 'spike is for another topic or unit');
  const peak = spike.count > w.peakCount;
  return {
    ...w,
    level: levelRank(spike.level) > levelRank(w.level) ? spike.level : w.level,
    windowStart: minIso(w.windowStart, spike.windowStart),
    windowEnd: maxIso(w.windowEnd, spike.windowEnd),
    peakCount: peak ? spike.count : w.peakCount,
    baseline: peak ? spike.baseline : w.baseline,
    score: Math.max(w.score, spike.score),
    spikeCount: w.spikeCount + 1,
    evidencePostIds: mergeIds(w.evidencePostIds, spike.evidencePostIds),
    updatedAt: now.toISOString(),
    version: w.version + 1,
  };
}

export interface IngestResult {
  /** All warnings after the spike (the input list is not changed). */
  warnings: EarlyWarning[];
  /** The warning opened or updated; null when the spike was suppressed. */
  warning: EarlyWarning | null;
  event: WarningEvent;
}

/** Applies a spike to the known warnings: update the open one of its key, or open a new one. */
export function ingestSpike(
  warnings: readonly EarlyWarning[],
  spike: Spike,
  deps: { newId: () => string; now: Date; quietAfterDismissMs?: number },
): IngestResult {
  const key = warningKey(spike);
  const at = deps.now.toISOString();
  const event = (type: WarningEventType, w: EarlyWarning | null): WarningEvent => ({
    type,
    warningId: w?.id ?? null,
    topic: spike.topic,
    unitCode: spike.unitCode,
    level: w?.level ?? spike.level,
    at,
  });
  const index = warnings.findIndex((w) => w.status === 'open' && warningKey(w) === key);
  const current = warnings[index];
  if (current) {
    const updated = updateWarning(current, spike, deps.now);
    const next = [...warnings];
    next[index] = updated;
    const escalated = levelRank(updated.level) > levelRank(current.level);
    return {
      warnings: next,
      warning: updated,
      event: event(escalated ? 'warning.escalated' : 'warning.updated', updated),
    };
  }
  const quiet = deps.quietAfterDismissMs ?? DEFAULT_QUIET_AFTER_DISMISS_MS;
  const recentDismissal = warnings.some(
    (w) =>
      w.status === 'dismissed' &&
      warningKey(w) === key &&
      w.decidedAt !== null &&
      deps.now.getTime() - Date.parse(w.decidedAt) < quiet &&
      levelRank(spike.level) <= levelRank(w.level),
  );
  if (recentDismissal)
    return { warnings: [...warnings], warning: null, event: event('warning.suppressed', null) };
  const opened = openWarning(spike, deps.newId(), deps.now);
  return { warnings: [...warnings, opened], warning: opened, event: event('warning.opened', opened) };
}

function requireOpen(w: EarlyWarning, action: WarningAction): void {
  if (w.status !== 'open')
    throw new AppError('TRANSITION_NOT_ALLOWED', `cannot ${action} a ${w.status} warning`, {
      status: w.status,
      allowed: allowedWarningActions(w),
    });
}

/** Confirms an open warning into a case (立案); the case must already exist. */
export function confirmWarning(
  w: EarlyWarning,
  input: { caseId: unknown; actorId: string },
  now: Date,
): EarlyWarning {
  requireOpen(w, 'confirm');
  const caseId = typeof input.caseId === 'string' ? input.caseId.trim() : '';
  if (caseId === '')
    throw new AppError('VALIDATION_FAILED', 'a case id is required', {
      issues: [{ path: 'caseId', reason: 'required' }],
    });
  return {
    ...w,
    status: 'confirmed',
    caseId,
    decidedBy: input.actorId,
    decidedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: w.version + 1,
  };
}

/** Dismisses an open warning with a reason of 2 to 500 characters. */
export function dismissWarning(
  w: EarlyWarning,
  input: { reason: unknown; actorId: string },
  now: Date,
): EarlyWarning {
  requireOpen(w, 'dismiss');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  const length = [...reason].length;
  if (length < DISMISS_REASON_MIN || length > DISMISS_REASON_MAX)
    throw new AppError('VALIDATION_FAILED', 'a reason of 2 to 500 characters is required', {
      issues: [{ path: 'reason', reason: `${DISMISS_REASON_MIN}–${DISMISS_REASON_MAX} characters` }],
    });
  return {
    ...w,
    status: 'dismissed',
    dismissReason: reason,
    decidedBy: input.actorId,
    decidedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: w.version + 1,
  };
}
