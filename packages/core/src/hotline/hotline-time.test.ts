import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCstTime, parseHotlineTime, parseTimeLimit, timeLimitUnitOfHeader } from './hotline-time.js';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.value;
};
const reason = (r: { ok: true } | { ok: false; reason: string }): string => (r.ok ? 'ok' : r.reason);

describe('parseHotlineTime', () => {
  it('reads Chinese local times as UTC+8', () => {
    expect(value(parseHotlineTime('2026-11-27 09:30:00'))).toBe('2026-11-27T01:30:00.000Z');
    expect(value(parseHotlineTime('2026/11/27 9:30'))).toBe('2026-11-27T01:30:00.000Z');
    expect(value(parseHotlineTime('2026.1.5'))).toBe('2026-01-04T16:00:00.000Z');
    expect(value(parseHotlineTime('2026年11月27日 9时30分'))).toBe('2026-11-27T01:30:00.000Z');
    expect(value(parseHotlineTime('2026年11月27日'))).toBe('2026-11-26T16:00:00.000Z');
    expect(value(parseHotlineTime('20261127093015'))).toBe('2026-11-27T01:30:15.000Z');
    expect(value(parseHotlineTime('２０２６－１１－２７　０９：３０'))).toBe('2026-11-27T01:30:00.000Z');
    expect(value(parseHotlineTime('2026-11-27T09:30:00.5'))).toBe('2026-11-27T01:30:00.500Z');
  });

  it('rolls back over day, month, year and leap-day boundaries', () => {
    expect(value(parseHotlineTime('2026-01-01 07:59:59'))).toBe('2025-12-31T23:59:59.000Z');
    expect(value(parseHotlineTime('2028-03-01 00:00:00'))).toBe('2028-02-29T16:00:00.000Z');
    expect(value(parseHotlineTime('2026-03-01 05:00:00'))).toBe('2026-02-28T21:00:00.000Z');
    expect(value(parseHotlineTime('2026-05-01 08:00:00'))).toBe('2026-05-01T00:00:00.000Z');
  });

  it('keeps an explicit zone', () => {
    expect(value(parseHotlineTime('2026-11-27T01:30:00Z'))).toBe('2026-11-27T01:30:00.000Z');
    expect(value(parseHotlineTime('2026-11-27T09:30:00+08:00'))).toBe('2026-11-27T01:30:00.000Z');
  });

  it('reads Excel serials as CST wall-clock time, but only when allowed', () => {
    // 46353.375 = 2026-11-27 09:00 (the writer's excelSerialCst maps 2026-12-01T01:00Z to 46357.375)
    expect(value(parseHotlineTime('46353.375'))).toBe('2026-11-27T01:00:00.000Z');
    expect(parseHotlineTime('46353.375', false).ok).toBe(false);
  });

  it('refuses impossible dates and times with a reason', () => {
    expect(reason(parseHotlineTime('2026-02-29 10:00'))).toMatch(/no such date/);
    expect(reason(parseHotlineTime('2026-02-29 10:00:00'))).toMatch(/no such date/);
    expect(value(parseHotlineTime('2028-02-29 10:00:00'))).toBe('2028-02-29T02:00:00.000Z');
    expect(reason(parseHotlineTime('2026-11-27 09:60:00'))).toMatch(/no such time/);
    expect(reason(parseHotlineTime('2026-1a-27 09:30:00'))).toMatch(/bad date/);
    expect(reason(parseHotlineTime('2026-13-01'))).toMatch(/no such date/);
    expect(reason(parseHotlineTime('2026-11-27 24:00'))).toMatch(/no such time/);
    expect(reason(parseHotlineTime('1900-01-01'))).toMatch(/year 1900 out of range/);
    expect(reason(parseHotlineTime('27.11.2026'))).toMatch(/bad date/);
    expect(reason(parseHotlineTime('  '))).toBe('missing');
  });

  it('agrees with formatCstTime for any instant (property)', () => {
    const min = Date.UTC(1990, 0, 1, 0, 0, 0);
    const max = Date.UTC(2099, 11, 31, 0, 0, 0);
    fc.assert(
      fc.property(fc.integer({ min: min / 1000, max: max / 1000 }), (seconds) => {
        const iso = new Date(seconds * 1000).toISOString();
        const local = formatCstTime(iso);
        expect(value(parseHotlineTime(local))).toBe(iso);
        // the same wall-clock time written the way Chinese Excel displays it: 2026/1/5 9:07:03
        const m = /^(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)$/.exec(local);
        if (!m) throw new Error(local);
        const n = m.slice(1).map(Number);
        const slashed = `${n[0]}/${n[1]}/${n[2]} ${n[3]}:${m[5]}:${m[6]}`;
        expect(value(parseHotlineTime(slashed))).toBe(iso);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatCstTime', () => {
  it('prints CST wall-clock time', () => {
    expect(formatCstTime('2026-11-27T16:30:00Z')).toBe('2026-11-28 00:30:00');
    expect(formatCstTime(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01 08:00:00');
    expect(() => formatCstTime('not a time')).toThrow(RangeError);
  });
});

describe('parseTimeLimit', () => {
  it('reads amounts with units', () => {
    expect(value(parseTimeLimit('72小时'))).toEqual({ limit: { hours: 72, mode: 'calendar' } });
    expect(value(parseTimeLimit('3天'))).toEqual({ limit: { hours: 72, mode: 'calendar' } });
    expect(value(parseTimeLimit('5个工作日'))).toEqual({ limit: { hours: 37.5, mode: 'working' } });
    expect(value(parseTimeLimit('24h'))).toEqual({ limit: { hours: 24, mode: 'calendar' } });
  });

  it('uses the unit named by the header for bare numbers, and refuses them without one', () => {
    expect(value(parseTimeLimit('48', 'hours'))).toEqual({ limit: { hours: 48, mode: 'calendar' } });
    expect(value(parseTimeLimit('2', 'days'))).toEqual({ limit: { hours: 48, mode: 'calendar' } });
    expect(reason(parseTimeLimit('48'))).toMatch(/has no unit/);
  });

  it('reads a deadline as dueAt', () => {
    expect(value(parseTimeLimit('2026-11-30 17:30'))).toEqual({ dueAt: '2026-11-30T09:30:00.000Z' });
    expect(value(parseTimeLimit('20261130', 'hours'))).toEqual({ dueAt: '2026-11-29T16:00:00.000Z' });
  });

  it('refuses nonsense and out-of-range amounts', () => {
    expect(reason(parseTimeLimit('尽快'))).toMatch(/bad time limit/);
    expect(reason(parseTimeLimit('0天'))).toMatch(/out of range/);
    expect(reason(parseTimeLimit('400天'))).toMatch(/out of range/);
  });
});

describe('timeLimitUnitOfHeader', () => {
  it('finds the unit in brackets', () => {
    expect(timeLimitUnitOfHeader('办理时限(小时)')).toBe('hours');
    expect(timeLimitUnitOfHeader('办结时限（天）')).toBe('days');
    expect(timeLimitUnitOfHeader('时限(工作日)')).toBe('working_days');
    expect(timeLimitUnitOfHeader('办理时限')).toBeUndefined();
  });
});
