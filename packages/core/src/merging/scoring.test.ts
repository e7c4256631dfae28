import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MergeItem, ScoredCandidate } from './scoring.js';
import {
  DEFAULT_MERGE_THRESHOLDS,
  MIN_AUTO_TEXT,
  MIN_PROPOSE_TEXT,
  decideMerge,
  distancePart,
  scoreCandidate,
  timePart,
} from './scoring.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 27, 2);
const ORIGIN = { lat: 36.68, lon: 117.05 };
/** A point `m` metres north of ORIGIN. */
const north = (m: number) => ({ lat: ORIGIN.lat + m / 111_195, lon: ORIGIN.lon });

const report: MergeItem = {
  id: 'r',
  text: '洪楼社区3号楼门口路灯不亮，晚上很黑，老人出行不安全',
  time: T0,
  location: ORIGIN,
  gridCode: 'G1',
  category: { level1: '城乡建设', level2: '城市建设和市政管理', level3: '市政设施' },
};
const candidate = (over: Partial<MergeItem>): MergeItem => ({
  ...report,
  id: 'c',
  text: '3号楼门口的路灯坏了，晚上出行不安全',
  ...over,
});

describe('scoreCandidate', () => {
  it('scores the same problem at the same place high and explains the parts', () => {
    const s = scoreCandidate(report, candidate({ time: T0 - DAY, location: north(20) }));
    expect(s.caseId).toBe('c');
    expect(s.score).toBeGreaterThan(s.parts.text);
    expect(s.parts.distance).toBeGreaterThan(0.9);
    expect(s.parts.grid).toBe(1);
    expect(s.parts.category).toBe(1);
  });

  it('treats missing location, grid and category as neutral', () => {
    const bare = candidate({ location: null, gridCode: null, category: null });
    const s = scoreCandidate(report, bare);
    expect(s.parts.distance).toBe(0.5);
    expect(s.parts.grid).toBe(0.5);
    expect(s.parts.category).toBe(0.5);
    // a location exactly at the neutral distance changes nothing either
    const atNeutral = scoreCandidate(report, { ...bare, location: north(200) });
    expect(atNeutral.score).toBeCloseTo(s.score, 6);
  });

  it('lets a far location and another grid pull a copied text below auto-merge', () => {
    const copy = candidate({ text: report.text, gridCode: 'G9', location: north(3000) });
    const s = scoreCandidate(report, copy, { isNeighbour: () => false });
    expect(s.parts.text).toBeCloseTo(1, 12);
    expect(s.score).toBeLessThan(DEFAULT_MERGE_THRESHOLDS.autoThreshold);
  });

  it('ranks category relations: same leaf > same level 2 > same level 1 > unknown > unrelated', () => {
    const c = report.category!;
    const score = (category: MergeItem['category']) =>
      scoreCandidate(report, candidate({ text: '门口有问题', category })).score;
    const ranked = [
      score(c),
      score({ ...c, level3: '其他' }),
      score({ ...c, level2: '其他' }),
      score(null),
      score({ level1: '环境保护' }),
    ];
    expect([...ranked].sort((a, b) => b - a)).toEqual(ranked);
    expect(new Set(ranked).size).toBe(5);
  });

  it('never rises with distance or with the time gap, and stays in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.constantFrom('路灯不亮', report.text, '噪音扰民，夜里施工', ''),
        (d1, d2, g1, g2, text) => {
          const [dNear, dFar] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const [gShort, gLong] = g1 <= g2 ? [g1, g2] : [g2, g1];
          const at = (m: number, days: number) =>
            scoreCandidate(report, candidate({ text, location: north(m), time: T0 - days * DAY })).score;
          expect(at(dNear, gShort)).toBeGreaterThanOrEqual(at(dFar, gShort) - 1e-12);
          expect(at(dNear, gShort)).toBeGreaterThanOrEqual(at(dNear, gLong) - 1e-12);
          for (const s of [at(dNear, gShort), at(dFar, gLong)]) {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('is symmetric in report and candidate', () => {
    const a = candidate({ id: 'a', location: north(120), time: T0 - 3 * DAY });
    const b = candidate({ id: 'b', text: report.text, location: north(10), gridCode: 'G2' });
    expect(scoreCandidate(a, b).score).toBeCloseTo(scoreCandidate(b, a).score, 12);
  });

  it('has parts that decay the documented way', () => {
    expect(distancePart(0)).toBe(1);
    expect(distancePart(200)).toBeCloseTo(0.5, 12);
    expect(distancePart(null)).toBe(0.5);
    expect(timePart(0)).toBe(1);
    expect(timePart(-30 * DAY)).toBeCloseTo(0.5, 12);
    expect(timePart(Number.NaN)).toBe(0.5);
  });
});

const scoredArb = fc.array(
  fc.record({
    caseId: fc.string({ minLength: 1, maxLength: 4 }),
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    parts: fc.constant({ text: 0, distance: 0.5, time: 0.5, category: 0.5, grid: 0.5 }),
  }),
  { maxLength: 12 },
);
const thresholdsArb = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([x, y]) => ({ proposeThreshold: Math.min(x, y), autoThreshold: Math.max(x, y) }));

describe('decideMerge', () => {
  it('respects the thresholds', () => {
    fc.assert(
      fc.property(scoredArb, thresholdsArb, fc.integer({ min: 1, max: 6 }), (scored, t, maxProposals) => {
        const d = decideMerge(scored, { ...t, maxProposals });
        // only candidates sharing some wording count; an automatic merge needs much of it
        const eligible = scored.filter((s) => s.parts.text >= MIN_PROPOSE_TEXT);
        const best = Math.max(-1, ...eligible.map((s) => s.score));
        const bestOne = eligible.find((s) => s.score === best);
        if (d.kind === 'auto') {
          expect(d.score).toBe(best);
          expect(d.score).toBeGreaterThanOrEqual(t.autoThreshold);
          expect(bestOne!.parts.text).toBeGreaterThanOrEqual(MIN_AUTO_TEXT);
        } else if (d.kind === 'propose') {
          expect(best < t.autoThreshold || (bestOne?.parts.text ?? 0) < MIN_AUTO_TEXT).toBe(true);
          expect(d.candidates.length).toBeGreaterThan(0);
          expect(d.candidates.length).toBeLessThanOrEqual(maxProposals);
          expect(d.candidates[0]!.score).toBe(best);
          for (const c of d.candidates) expect(c.score).toBeGreaterThanOrEqual(t.proposeThreshold);
          const scores = d.candidates.map((c) => c.score);
          expect([...scores].sort((a, b) => b - a)).toEqual(scores);
        } else {
          expect(best).toBeLessThan(t.proposeThreshold);
        }
      }),
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(scoredArb, thresholdsArb, (scored, t) => {
        expect(decideMerge([...scored].reverse(), t)).toEqual(decideMerge(scored, t));
      }),
    );
  });

  it('uses the defaults and refuses crossed thresholds', () => {
    const c = (caseId: string, score: number): ScoredCandidate => ({
      caseId,
      score,
      parts: { text: score, distance: 0.5, time: 0.5, category: 0.5, grid: 0.5 },
    });
    expect(decideMerge([c('a', 0.2), c('b', 0.95)])).toEqual({ kind: 'auto', caseId: 'b', score: 0.95 });
    expect(decideMerge([c('a', 0.5), c('b', 0.1)])).toMatchObject({
      kind: 'propose',
      candidates: [{ caseId: 'a' }],
    });
    expect(decideMerge([])).toEqual({ kind: 'none' });
    expect(decideMerge([c('a', 0.5)], { maxProposals: undefined, autoThreshold: undefined })).toMatchObject({
      kind: 'propose',
      candidates: [{ caseId: 'a' }],
    });
    expect(() => decideMerge([], { autoThreshold: 0.2, proposeThreshold: 0.5 })).toThrow(RangeError);
  });
});
