import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import { calendarArb, hoursArb, instantArb, modeArb } from './calendar-fixtures.js';
import type { LimitPriority, TimeLimit, TimeLimitRule } from './time-limits.js';
import {
  DEFAULT_TIME_LIMIT_RULES,
  LIMIT_PRIORITIES,
  PUBLIC_SAFETY_LEVEL1,
  deadlines,
  markers,
  resolveTimeLimit,
  shiftForPause,
} from './time-limits.js';
import { validateTimeLimitRules } from './time-limit-validation.js';
import {
  DEFAULT_CALENDAR_2026,
  addHours,
  elapsedFraction,
  isWorkingTime,
  workingMsBetween,
} from './working-calendar.js';

const cst = (s: string): Date => new Date(`${s}+08:00`);
const cal = DEFAULT_CALENDAR_2026;
const w = (a: number, h: number, f: number): TimeLimit => ({
  acceptHours: a,
  handleHours: h,
  feedbackHours: f,
  mode: 'working',
});
/** The 15 first-level classes of apps/server/assets/categories-3level.csv. */
const LEVEL1 = [
  '城乡建设',
  '党务政务',
  '国土资源',
  '环境保护',
  '纪检监察',
  '交通运输',
  '经济管理',
  '科技与信息产业',
  '民政',
  '农村农业',
  '商贸旅游',
  '卫生计生',
  '政法',
  '教育文体',
  '劳动和社会保障',
];

describe('resolveTimeLimit', () => {
  const rules: TimeLimitRule[] = [
    { limit: w(1, 10, 1) },
    { priority: 'high', limit: w(2, 20, 2) },
    { level1: '政法', limit: w(3, 30, 3) },
    { level1: '政法', priority: 'high', limit: w(4, 40, 4) },
    { level1: '政法', priority: 'high', limit: w(5, 50, 5) }, // shadowed: the first of equals wins
  ];

  it.each<[string | undefined, LimitPriority, number]>([
    ['政法', 'high', 4], // category + priority
    ['政法', 'low', 3], // category beats priority-free default
    [' 政法 ', 'normal', 3], // names are trimmed
    ['民政', 'high', 2], // priority
    ['民政', 'low', 1], // default
    [undefined, 'high', 2],
    [undefined, 'urgent', 1],
  ])('(%s, %s) → rule with acceptHours %s', (level1, priority, accept) => {
    expect(resolveTimeLimit(rules, level1, priority).acceptHours).toBe(accept);
  });

  it('falls back to the built-in defaults when no rule matches', () => {
    const onlyHigh: TimeLimitRule[] = [{ priority: 'high', limit: w(9, 90, 9) }];
    expect(resolveTimeLimit(onlyHigh, '民政', 'urgent')).toEqual(
      resolveTimeLimit(DEFAULT_TIME_LIMIT_RULES, '民政', 'urgent'),
    );
    expect(resolveTimeLimit([], null, 'normal')).toEqual(w(2, 37.5, 7.5));
  });

  it('gives the documented defaults', () => {
    const r = (l: string | undefined, p: LimitPriority) => resolveTimeLimit(DEFAULT_TIME_LIMIT_RULES, l, p);
    expect(r(undefined, 'normal')).toEqual(w(2, 37.5, 7.5));
    expect(r('民政', 'low')).toEqual(w(4, 75, 15));
    expect(r('民政', 'high')).toEqual(w(1, 22.5, 4));
    expect(r('民政', 'urgent')).toEqual({
      acceptHours: 0.5,
      handleHours: 24,
      feedbackHours: 4,
      mode: 'calendar',
    });
    expect(r('政法', 'normal')).toEqual(w(1, 22.5, 7.5));
    expect(r('城乡建设', 'urgent')).toEqual({
      acceptHours: 0.25,
      handleHours: 12,
      feedbackHours: 4,
      mode: 'calendar',
    });
    expect(PUBLIC_SAFETY_LEVEL1.every((l) => LEVEL1.includes(l))).toBe(true);
  });

  it('defaults are valid, and never looser for a category or a higher priority (property)', () => {
    expect(validateTimeLimitRules(DEFAULT_TIME_LIMIT_RULES, LEVEL1)).toEqual(DEFAULT_TIME_LIMIT_RULES);
    const due = (start: Date, l: TimeLimit) => {
      const d = deadlines(start, l, cal);
      return [d.acceptBy, d.handleBy, d.feedbackBy].map((x) => x.getTime());
    };
    fc.assert(
      fc.property(instantArb, fc.constantFrom(undefined, ...LEVEL1), (start, level1) => {
        let looser: number[] | null = null;
        for (const p of LIMIT_PRIORITIES) {
          const mine = due(start, resolveTimeLimit(DEFAULT_TIME_LIMIT_RULES, level1, p));
          const general = due(start, resolveTimeLimit(DEFAULT_TIME_LIMIT_RULES, undefined, p));
          mine.forEach((t, i) => expect(t).toBeLessThanOrEqual(general[i]!));
          if (looser) mine.forEach((t, i) => expect(t).toBeLessThanOrEqual(looser![i]!));
          looser = mine;
        }
      }),
    );
  });
});

describe('deadlines and markers', () => {
  const start = cst('2026-03-02T09:00'); // Monday

  it('counts accept and handle from dispatch, feedback from handling', () => {
    expect(deadlines(start, w(2, 37.5, 7.5), cal)).toEqual({
      acceptBy: cst('2026-03-02T11:00'),
      handleBy: cst('2026-03-09T09:00'),
      feedbackBy: cst('2026-03-10T09:00'),
    });
    const handled = cst('2026-03-04T16:00');
    expect(deadlines(start, w(2, 37.5, 7.5), cal, handled).feedbackBy).toEqual(cst('2026-03-05T16:00'));
    const urgent = deadlines(cst('2026-10-01T20:00'), { ...w(0.5, 24, 4), mode: 'calendar' }, cal);
    expect(urgent.acceptBy).toEqual(cst('2026-10-01T20:30'));
    expect(urgent.handleBy).toEqual(cst('2026-10-02T20:00'));
  });

  it('places the markers at 50 %, 75 %, 100 % and 200 %', () => {
    expect(markers(start, 10, 'working', cal)).toEqual({
      warn50: cst('2026-03-02T15:30'),
      warn75: cst('2026-03-03T09:00'),
      breach: cst('2026-03-03T11:30'),
      red: cst('2026-03-04T15:30'),
    });
  });

  it('markers are ordered and sit at their fraction of the limit (property)', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.integer({ min: 1, max: 300 * 60 }).map((m) => m / 60),
        modeArb,
        calendarArb,
        (s, hours, mode, c) => {
          const m = markers(s, hours, mode, c);
          const seq = [m.warn50, m.warn75, m.breach, m.red].map((d) => d.getTime());
          expect([...seq].sort((a, b) => a - b)).toEqual(seq);
          expect(m.breach).toEqual(addHours(s, hours, mode, c));
          expect(elapsedFraction(s, m.breach, m.warn50, mode, c)).toBeCloseTo(0.5, 6);
          expect(elapsedFraction(s, m.breach, m.warn75, mode, c)).toBeCloseTo(0.75, 6);
          expect(elapsedFraction(s, m.breach, m.red, mode, c)).toBeCloseTo(2, 6);
        },
      ),
    );
  });
});

describe('shiftForPause', () => {
  const due = cst('2026-03-04T10:00');

  it('moves a due date by the paused span counted in the mode', () => {
    // paused Monday 16:00 → Tuesday 10:00: 1.5 + 1.5 = 3 working hours
    const from = cst('2026-03-02T16:00');
    const to = cst('2026-03-03T10:00');
    expect(shiftForPause(due, from, to, 'working', cal)).toEqual(cst('2026-03-04T14:30'));
    expect(shiftForPause(due, from, to, 'calendar', cal)).toEqual(cst('2026-03-05T04:00'));
  });

  it('ignores pauses outside working time in working mode, and empty or inverted spans', () => {
    const weekend = [cst('2026-03-07T09:00'), cst('2026-03-08T18:00')] as const;
    expect(shiftForPause(due, ...weekend, 'working', cal)).toEqual(due);
    expect(shiftForPause(due, weekend[1], weekend[0], 'calendar', cal)).toEqual(due);
    expect(shiftForPause(due, weekend[0], weekend[0], 'calendar', cal)).toEqual(due);
  });

  it('the shift equals the paused time, in both modes (property)', () => {
    fc.assert(
      fc.property(instantArb, instantArb, hoursArb(100), modeArb, calendarArb, (d, from, h, mode, c) => {
        const to = addHours(from, h, mode, c);
        const moved = shiftForPause(d, from, to, mode, c);
        if (mode === 'calendar') expect(moved.getTime() - d.getTime()).toBe(to.getTime() - from.getTime());
        else {
          expect(workingMsBetween(d, moved, c)).toBe(workingMsBetween(from, to, c));
          if (moved > d) expect(isWorkingTime(new Date(moved.getTime() - 1), c)).toBe(true);
        }
      }),
    );
  });
});

describe('validateTimeLimitRules', () => {
  /** The issue paths of the VALIDATION_FAILED thrown for `input`. */
  const paths = (input: unknown, known?: string[]) => {
    try {
      validateTimeLimitRules(input, known);
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
      return (e as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path);
    }
    throw new Error('expected VALIDATION_FAILED');
  };
  const ok = { limit: w(2, 37.5, 7.5) };

  it('normalises names and drops absent fields', () => {
    expect(validateTimeLimitRules([ok, { level1: ' 政法 ', priority: 'high', limit: w(1, 8, 2) }])).toEqual([
      ok,
      { level1: '政法', priority: 'high', limit: w(1, 8, 2) },
    ]);
  });

  it.each<[unknown, string]>([
    [{}, ''],
    [[], ''],
    [[{ priority: 'high', limit: w(1, 8, 2) }], ''], // no default rule
    [[ok, 'x'], '1'],
    [[ok, { ...ok }], '1'], // two defaults
    [[ok, { priority: 'asap', limit: w(1, 8, 2) }], '1.priority'],
    [[ok, { level1: '', limit: w(1, 8, 2) }], '1.level1'],
    [[ok, { level1: '公安', limit: w(1, 8, 2) }], '1.level1'], // not a first-level class
    [[{ limit: { ...w(2, 37.5, 7.5), mode: 'hours' } }], '0.limit.mode'],
    [[{ limit: w(-1, 37.5, 7.5) }], '0.limit.acceptHours'],
    [[{ limit: w(2, 0, 7.5) }], '0.limit.handleHours'],
    [[{ limit: w(2, 37.5, Infinity) }], '0.limit.feedbackHours'],
    [[{ limit: w(40, 37.5, 7.5) }], '0.limit.acceptHours'], // accept after handle
    [[{ limit: null }], '0.limit'],
    [[{ limit: { ...w(2, 37.5, 7.5), days: 5 } }], '0.limit.days'],
    [[{ ...ok, category: '政法' }], '0.category'],
  ])('%j is rejected naming %j', (input, path) => {
    expect(paths(input, LEVEL1)).toContain(path);
  });
});
