import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HotSpotItem } from './hot-spots.js';
import { detectHotSpots } from './hot-spots.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

// real-style variants of one complaint (丽发新城 mixing plant) and unrelated reports
const MIXING_PLANT = [
  '丽发新城小区旁边建了搅拌站，噪音和粉尘严重扰民，请尽快处理',
  '投诉丽发新城小区附近的搅拌站，每天噪音很大，粉尘严重，影响居民休息',
  '丽发新城附近违建搅拌站，噪音扰民，扬尘污染严重，请关停',
  '丽发新城小区附近搅拌站粉尘大，噪音大，晚上无法休息',
  '再次投诉丽发新城小区旁搅拌站噪音和粉尘扰民问题',
  '丽发新城小区旁的搅拌站严重扰民，噪音粉尘污染，请相关部门处理',
];
const OTHERS = [
  '3号楼门口路灯不亮一个多月了',
  '幼儿园门口早晚接送时段乱停车严重',
  '菜市场门口占道经营，垃圾没人清理',
  '楼上住户高空抛物，砸坏了车窗',
  '小区电梯经常故障，困人多次',
  '河道有人倾倒建筑垃圾',
];

const item = (id: string, unitCode: string, day: number, text: string, reporterId?: string): HotSpotItem => ({
  id,
  unitCode,
  time: T0 + day * DAY,
  text,
  ...(reporterId ? { reporterId } : {}),
});

const burst = (unit: string, days: readonly number[], prefix = unit): HotSpotItem[] =>
  days.map((d, i) => item(`${prefix}-${i}`, unit, d, MIXING_PLANT[i % MIXING_PLANT.length]!));

describe('detectHotSpots', () => {
  it('finds five similar reports of one community within seven days, and labels the cluster', () => {
    const noise = OTHERS.map((t, i) => item(`o-${i}`, 'C1', i, t));
    const spots = detectHotSpots([...burst('C1', [0, 1, 2.5, 4, 6]), ...noise]);
    expect(spots).toHaveLength(1);
    const [s] = spots;
    expect(s!.unitCode).toBe('C1');
    expect(s!.memberIds).toEqual(['C1-0', 'C1-1', 'C1-2', 'C1-3', 'C1-4']);
    expect(s!.firstTime).toBe(T0);
    expect(s!.lastTime).toBe(T0 + 6 * DAY);
    expect(s!.peakCount).toBe(5);
    expect(s!.peakStart).toBe(T0);
    expect(s!.memberIds).toContain(s!.representativeId);
    expect(s!.representativeText).toContain('搅拌站');
  });

  it('needs minCount within one window', () => {
    expect(detectHotSpots(burst('C1', [0, 1, 2, 3]))).toEqual([]);
    // five reports, but never five within seven days
    expect(detectHotSpots(burst('C1', [0, 5, 10, 15, 20]))).toEqual([]);
    expect(detectHotSpots(burst('C1', [0, 1, 2, 3]), { minCount: 4 })).toHaveLength(1);
    expect(detectHotSpots(burst('C1', [0, 5, 10, 15, 20]), { windowDays: 30 })).toHaveLength(1);
  });

  it('does not count dissimilar reports', () => {
    const items = [
      ...burst('C1', [0, 1, 2]),
      ...OTHERS.slice(0, 3).map((t, i) => item(`o-${i}`, 'C1', i, t)),
    ];
    expect(detectHotSpots(items, { minCount: 4 })).toEqual([]);
  });

  it('can ask for several reporters, so one persistent poster is not a hot spot', () => {
    const one = burst('C1', [0, 1, 2, 3, 4]).map((i) => ({ ...i, reporterId: 'u1' }));
    expect(detectHotSpots(one)).toHaveLength(1);
    expect(detectHotSpots(one, { minReporters: 2 })).toEqual([]);
    expect(detectHotSpots(one)[0]!.reporterCount).toBe(1);
  });

  it('orders hot spots by first time, then unit', () => {
    const spots = detectHotSpots([
      ...burst('C2', [3, 4, 5, 6, 7]),
      ...burst('C1', [3, 4, 5, 6, 7]),
      ...burst('C3', [0, 1, 2, 3, 4]),
    ]);
    expect(spots.map((s) => s.unitCode)).toEqual(['C3', 'C1', 'C2']);
  });

  const unitsArb = fc.array(
    fc.record({
      unit: fc.constantFrom('C1', 'C2', 'C3'),
      day: fc.integer({ min: 0, max: 20 }),
      text: fc.constantFrom(...MIXING_PLANT, ...OTHERS),
    }),
    { maxLength: 40 },
  );
  const toItems = (rows: { unit: string; day: number; text: string }[]): HotSpotItem[] =>
    rows.map((r, i) => item(`i${i}`, r.unit, r.day, r.text));

  it('never mixes units in one hot spot', () => {
    fc.assert(
      fc.property(unitsArb, (rows) => {
        const items = toItems(rows);
        const unitOf = new Map(items.map((i) => [i.id, i.unitCode]));
        for (const s of detectHotSpots(items, { minCount: 3 })) {
          for (const id of s.memberIds) expect(unitOf.get(id)).toBe(s.unitCode);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on the order of the items', () => {
    fc.assert(
      fc.property(
        unitsArb.chain((rows) =>
          fc.tuple(
            fc.constant(toItems(rows)),
            fc.shuffledSubarray(toItems(rows), { minLength: rows.length }),
          ),
        ),
        ([items, shuffled]) => {
          expect(detectHotSpots(shuffled, { minCount: 3 })).toEqual(detectHotSpots(items, { minCount: 3 }));
        },
      ),
      { numRuns: 60 },
    );
  });
});
