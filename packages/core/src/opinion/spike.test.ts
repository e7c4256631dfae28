import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lnFactorial, poissonTail } from './poisson.js';
import type { SpikeObservation } from './spike.js';
import { detectSpikes, spikeLevel } from './spike.js';

const DAY = 86_400_000;
/** Local (UTC+8) midnight of 2026-10-01, the first day of the synthetic series. */
const START = Date.parse('2026-10-01T00:00:00+08:00');

let seq = 0;
/** `n` posts by `n` different authors on day `day`, at noon local time. */
function day(
  d: number,
  n: number,
  over: Partial<SpikeObservation> = {},
  author = (i: number) => `u${d}-${i}`,
): SpikeObservation[] {
  return Array.from({ length: n }, (_, i) => ({
    postId: `p${++seq}`,
    topic: 'noise',
    unitCode: '370112009',
    at: START + d * DAY + 12 * 3_600_000 + i * 1000,
    authorHandle: author(i),
    negativity: 0.3,
    engagement: { likes: 0, comments: 0, shares: 0, views: 0, against: 0 },
    ...over,
  }));
}
const series = (counts: number[], over: Partial<SpikeObservation> = {}) =>
  counts.flatMap((n, d) => day(d, n, over));
const flat = (days: number, n: number) => Array.from({ length: days }, () => n);

describe('poissonTail', () => {
  it('matches closed forms and direct sums', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    const direct = (k: number, l: number) => {
      let cdf = 0;
      for (let j = 0; j < k; j++) cdf += (Math.exp(-l) * l ** j) / Math.exp(lnFactorial(j));
      return 1 - cdf;
    };
    for (const [k, l] of [
      [3, 0.1],
      [12, 1],
      [5, 5],
      [2, 7],
      [30, 10],
    ] as const)
      expect(poissonTail(k, l)).toBeCloseTo(direct(k, l), 10);
    expect(poissonTail(1200, 1000)).toBeGreaterThan(0);
    expect(poissonTail(1200, 1000)).toBeLessThan(1e-8);
    expect(poissonTail(1000, 1000)).toBeCloseTo(0.5, 1);
  });

  it('falls as k grows', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.double({ min: 0.01, max: 300, noNaN: true }), (k, l) => {
        expect(poissonTail(k + 1, l)).toBeLessThanOrEqual(poissonTail(k, l) + 1e-12);
      }),
    );
  });

  it('ln k! is exact enough past the switch to Stirling', () => {
    let exact = 0;
    for (let i = 2; i <= 25; i++) exact += Math.log(i);
    expect(lnFactorial(25)).toBeCloseTo(exact, 9);
  });
});

describe('detectSpikes', () => {
  it('raises one spike for a burst over a flat baseline, orange by volume', () => {
    const spikes = detectSpikes(series([...flat(28, 1), 12, ...flat(10, 1)]), { bucket: 'day' });
    expect(spikes).toHaveLength(1);
    const s = spikes[0];
    expect(s).toMatchObject({
      topic: 'noise',
      unitCode: '370112009',
      level: 'orange',
      windowStart: '2026-10-28T16:00:00.000Z',
      windowEnd: '2026-10-29T16:00:00.000Z',
      count: 12,
      posts: 12,
      baseline: 1,
      ratio: 12,
    });
    expect(s?.pValue).toBeLessThan(1e-8);
    expect(s?.evidencePostIds).toHaveLength(5);
  });

  it('grades the level by ratio, negativity and heat', () => {
    const level = (burst: number, over: Partial<SpikeObservation> = {}, history = flat(28, 1)) =>
      detectSpikes([...series(history), ...day(28, burst, over)], { bucket: 'day' })[0]?.level;
    expect(level(4, {}, [1, ...flat(27, 0)])).toBe('blue'); // 4 against the floor 0.1: ratio 40 but few
    expect(level(6)).toBe('yellow');
    expect(level(6, { negativity: 0.8 })).toBe('orange');
    expect(level(12, { negativity: 0.8 })).toBe('red');
    expect(level(6, { engagement: { likes: 300, comments: 40, shares: 20, views: 0, against: 0 } })).toBe(
      'orange',
    );
    expect(spikeLevel({ count: 100, ratio: 100, negativity: 1, heat: 1 }, { minCount: 3, minRatio: 3 })).toBe(
      'red',
    );
  });

  it('stays quiet on a steady high rate', () => {
    const counts = Array.from({ length: 90 }, (_, d) => 20 + ((d * 7) % 11) - 5); // 15..25 a day
    expect(detectSpikes(series(counts), { bucket: 'day' })).toEqual([]);
  });

  it('alarms when a quiet topic jumps to a new level, then gets used to it', () => {
    const spikes = detectSpikes(series([...flat(28, 0), ...flat(40, 10)]), {
      bucket: 'day',
      historyStart: START,
    });
    expect(spikes.length).toBeGreaterThan(0);
    const last = spikes.at(-1) as (typeof spikes)[number];
    expect(Date.parse(last.windowStart)).toBeLessThan(START + 40 * DAY);
  });

  it('needs a real crowd on a cold start', () => {
    const cold = { bucket: 'day', historyStart: START } as const;
    expect(detectSpikes(series([20]), cold)).toEqual([]); // the first bucket has no baseline at all
    expect(detectSpikes(series([0, 3]), cold)).toEqual([]); // baseline 1 while history is short
    expect(detectSpikes(series([0, 7]), cold)).toHaveLength(1);
    expect(detectSpikes(series([1, 0, 0, 0, 0, 0, 0, 0, 0, 3]), cold)).toHaveLength(1); // warm: floor 0.1
    expect(detectSpikes(series([...flat(30, 0), 2]), { bucket: 'day' })).toEqual([]); // below minCount
  });

  it('treats time before historyStart as unknown, not as silence', () => {
    const obs = series([...flat(30, 0), 3]);
    expect(detectSpikes(obs, { bucket: 'day' })).toHaveLength(0); // first post starts the history
    expect(detectSpikes(obs, { bucket: 'day', historyStart: START })).toHaveLength(1);
  });

  it('counts authors, not posts, unless asked', () => {
    const oneAngryResident = [...series(flat(28, 1)), ...day(28, 10, {}, () => 'same')];
    expect(detectSpikes(oneAngryResident, { bucket: 'day' })).toEqual([]);
    expect(detectSpikes(oneAngryResident, { bucket: 'day', countBy: 'post' })).toHaveLength(1);
  });

  it('buckets by local day or by hour', () => {
    const late = series([...flat(28, 1), 8]).map((o, i, all) =>
      i >= all.length - 8 ? { ...o, at: Date.parse('2026-10-29T23:30:00+08:00') + i } : o,
    );
    const byDay = detectSpikes(late, { bucket: 'day' });
    expect(byDay.map((s) => s.windowStart)).toEqual(['2026-10-28T16:00:00.000Z']);
    const byHour = detectSpikes(late, { bucket: 'hour' });
    expect(byHour.map((s) => [s.windowStart, s.windowEnd])).toEqual([
      ['2026-10-29T15:00:00.000Z', '2026-10-29T16:00:00.000Z'],
    ]);
  });

  it('picks the hottest posts as evidence and only reports the asked range', () => {
    const burst = day(28, 8);
    const hot = {
      ...(burst[5] as SpikeObservation),
      engagement: { likes: 500, comments: 0, shares: 9, views: 0, against: 0 },
    };
    burst[5] = hot;
    const obs = [...series(flat(28, 1)), ...burst];
    const [s] = detectSpikes(obs, { bucket: 'day', evidenceLimit: 3 });
    expect(s?.evidencePostIds).toHaveLength(3);
    expect(s?.evidencePostIds[0]).toBe(hot.postId);
    expect(detectSpikes(obs, { bucket: 'day', from: START, to: START + 28 * DAY })).toEqual([]);
    expect(detectSpikes(obs, { bucket: 'day', from: START + 28 * DAY })).toHaveLength(1);
  });

  it('prefers one evidence post per author', () => {
    const twice = day(28, 4).map((o, i) => ({ ...o, authorHandle: i < 2 ? 'same' : o.authorHandle }));
    const hot = { likes: 90, comments: 0, shares: 0, views: 0, against: 0 };
    twice[0] = { ...(twice[0] as SpikeObservation), engagement: hot };
    twice[1] = { ...(twice[1] as SpikeObservation), engagement: hot };
    const quiet = series([1, ...flat(27, 0)]);
    const [s] = detectSpikes([...quiet, ...twice, ...day(28, 2)], { bucket: 'day', evidenceLimit: 3 });
    expect(s?.count).toBe(5);
    expect(s?.evidencePostIds[0]).toBe(twice[0]?.postId);
    expect(s?.evidencePostIds).not.toContain(twice[1]?.postId);
  });

  it('keeps series apart and is deterministic whatever the input order', () => {
    const other = series([...flat(28, 1), 9], { unitCode: '370112004', topic: 'pollution' });
    const obs = [...series([...flat(28, 1), 9]), ...other];
    const a = detectSpikes(obs, { bucket: 'day' });
    const b = detectSpikes([...obs].reverse(), { bucket: 'day' });
    expect(a.map((s) => `${s.topic}/${s.unitCode}`)).toEqual(['noise/370112009', 'pollution/370112004']);
    expect(b).toEqual(a);
  });
});
