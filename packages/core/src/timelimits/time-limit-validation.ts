import type { FieldIssue } from '../shared/errors.js';
import { validationError } from '../shared/errors.js';
import { LIMIT_PRIORITIES } from './time-limits.js';
import type { LimitPriority, TimeLimit, TimeLimitRule } from './time-limits.js';

const MAX_RULES = 500;
/** The longest single limit accepted: one year of wall-clock hours. */
const MAX_HOURS = 8760;
const HOUR_FIELDS = ['acceptHours', 'handleHours', 'feedbackHours'] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Names fields of `o` outside `allowed`. */
function unknownKeys(
  o: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  issues: FieldIssue[],
) {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) issues.push({ path: `${at}.${k}`, reason: 'unknown field' });
}

/** Checks one limit; returns it or null. */
function checkLimit(v: unknown, at: string, issues: FieldIssue[]): TimeLimit | null {
  if (!isObject(v)) {
    issues.push({ path: at, reason: 'an object { acceptHours, handleHours, feedbackHours, mode }' });
    return null;
  }
  const before = issues.length;
  unknownKeys(v, [...HOUR_FIELDS, 'mode'], at, issues);
  for (const k of HOUR_FIELDS) {
    const h = v[k];
    if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0 || h > MAX_HOURS)
      issues.push({ path: `${at}.${k}`, reason: `hours, more than 0 and at most ${MAX_HOURS}` });
  }
  if (v.mode !== 'working' && v.mode !== 'calendar')
    issues.push({ path: `${at}.mode`, reason: "'working' or 'calendar'" });
  if (issues.length > before) return null;
  const limit = v as unknown as TimeLimit;
  if (limit.acceptHours > limit.handleHours)
    issues.push({
      path: `${at}.acceptHours`,
      reason: 'must not exceed handleHours (both count from dispatch)',
    });
  return { ...limit };
}

/** Validates an edited time-limit policy (VALIDATION_FAILED naming each bad field): a default rule is required, no two rules for the same category and priority; `knownLevel1` (first-level category names), when given, must contain each rule's category. */
export function validateTimeLimitRules(input: unknown, knownLevel1?: readonly string[]): TimeLimitRule[] {
  const issues: FieldIssue[] = [];
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_RULES)
    throw validationError(
      [{ path: '', reason: `a list of 1 to ${MAX_RULES} rules` }],
      'invalid time-limit rules',
    );
  const out: TimeLimitRule[] = [];
  const seen = new Map<string, number>();
  input.forEach((r: unknown, i) => {
    if (!isObject(r)) return issues.push({ path: `${i}`, reason: 'an object { level1?, priority?, limit }' });
    unknownKeys(r, ['level1', 'priority', 'limit'], `${i}`, issues);
    let level1: string | undefined;
    const before = issues.length;
    if (r.level1 !== undefined) {
      if (typeof r.level1 !== 'string' || r.level1.trim() === '' || r.level1.length > 100)
        issues.push({ path: `${i}.level1`, reason: 'a first-level category name, or absent for any' });
      else if (knownLevel1 && !knownLevel1.includes(r.level1.trim()))
        issues.push({ path: `${i}.level1`, reason: `unknown first-level category '${r.level1.trim()}'` });
      else level1 = r.level1.trim();
    }
    const priority = r.priority as LimitPriority | undefined;
    if (priority !== undefined && !LIMIT_PRIORITIES.includes(priority))
      issues.push({
        path: `${i}.priority`,
        reason: `one of ${LIMIT_PRIORITIES.join(', ')}, or absent for any`,
      });
    const keyOk = issues.length === before;
    const limit = checkLimit(r.limit, `${i}.limit`, issues);
    if (!keyOk) return;
    const key = `${level1 ?? '*'}|${priority ?? '*'}`;
    const twin = seen.get(key);
    if (twin !== undefined)
      issues.push({ path: `${i}`, reason: `same category and priority as rule ${twin}` });
    else seen.set(key, i);
    if (limit)
      out.push({
        ...(level1 !== undefined && { level1 }),
        ...(priority !== undefined && { priority }),
        limit,
      });
  });
  if (!seen.has('*|*'))
    issues.push({ path: '', reason: 'a default rule (no level1, no priority) is required' });
  if (issues.length > 0) throw validationError(issues, 'invalid time-limit rules');
  return out;
}
