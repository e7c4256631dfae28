import type { Spike, WarningLevel } from './spike.js';

/** A spike for tests: noise in 洪家楼街道 on 2026-11-26 unless told otherwise. */
export function spikeFixture(over: Partial<Spike> = {}, level: WarningLevel = 'yellow'): Spike {
  return {
    topic: 'noise',
    unitCode: '370112009',
    level,
    windowStart: '2026-11-25T16:00:00.000Z',
    windowEnd: '2026-11-26T16:00:00.000Z',
    count: 6,
    posts: 7,
    baseline: 1,
    ratio: 6,
    pValue: 0.0006,
    negativity: 0.5,
    heat: 0.1,
    score: 0.45,
    evidencePostIds: ['p1', 'p2'],
    ...over,
  };
}
