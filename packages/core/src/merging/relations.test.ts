import { describe, expect, it } from 'vitest';
import { categoryRelation, gridRelation, haversineM, isInCandidateWindow } from './relations.js';

const DAY = 86_400_000;

describe('haversineM', () => {
  it('measures known distances', () => {
    expect(haversineM({ lat: 36.68, lon: 117.1 }, { lat: 36.68, lon: 117.1 })).toBe(0);
    // one degree of latitude ≈ 111.2 km on the mean sphere
    expect(haversineM({ lat: 36, lon: 117 }, { lat: 37, lon: 117 })).toBeCloseTo(111_195, -1);
    // 0.001° of longitude at 36.7° N ≈ 89 m
    expect(haversineM({ lat: 36.7, lon: 117.0 }, { lat: 36.7, lon: 117.001 })).toBeCloseTo(89.2, 0);
  });
});

describe('categoryRelation', () => {
  const leaf = { level1: '城乡建设', level2: '城市建设和市政管理', level3: '园林绿化环卫' };
  it('ranks same leaf > same level 2 > same level 1 > unrelated', () => {
    expect(categoryRelation(leaf, { ...leaf })).toBe('sameLeaf');
    expect(categoryRelation(leaf, { ...leaf, level3: '市政设施' })).toBe('sameLevel2');
    expect(categoryRelation(leaf, { ...leaf, level2: '住房保障', level3: '园林绿化环卫' })).toBe(
      'sameLevel1',
    );
    expect(categoryRelation(leaf, { level1: '环境保护' })).toBe('unrelated');
  });

  it('only counts levels both sides have', () => {
    expect(categoryRelation(leaf, { level1: '城乡建设' })).toBe('sameLevel1');
    expect(categoryRelation(leaf, null)).toBe('unknown');
    expect(categoryRelation({ level2: 'x' }, leaf)).toBe('unknown');
  });
});

describe('gridRelation', () => {
  const isNeighbour = (a: string, b: string): boolean => a === 'G1' && b === 'G2';
  it('tells same, neighbour (either direction), other and unknown apart', () => {
    expect(gridRelation('G1', 'G1')).toBe('same');
    expect(gridRelation('G2', 'G1', isNeighbour)).toBe('neighbour');
    expect(gridRelation('G1', 'G3', isNeighbour)).toBe('other');
    expect(gridRelation('G1', 'G3')).toBe('unknown');
    expect(gridRelation('G1', null, isNeighbour)).toBe('unknown');
  });
});

describe('isInCandidateWindow', () => {
  const now = Date.UTC(2026, 10, 27);
  const report = { gridCode: 'G1', time: now };
  const isNeighbour = (a: string, b: string): boolean => a === 'G1' && b === 'G2';

  it('keeps open cases of the same or a neighbouring grid within the window', () => {
    expect(isInCandidateWindow(report, { gridCode: 'G1', time: now - 29 * DAY })).toBe(true);
    expect(isInCandidateWindow(report, { gridCode: 'G2', time: now - DAY }, { isNeighbour })).toBe(true);
    expect(isInCandidateWindow(report, { gridCode: 'G3', time: now - DAY }, { isNeighbour })).toBe(false);
    expect(isInCandidateWindow(report, { gridCode: 'G1', time: now - 31 * DAY })).toBe(false);
    expect(isInCandidateWindow(report, { gridCode: 'G1', time: now - 31 * DAY }, { windowDays: 60 })).toBe(
      true,
    );
  });

  it('keeps closed cases only for a few days after closing', () => {
    const closed = (days: number) => ({ gridCode: 'G1', time: now - 20 * DAY, closedAt: now - days * DAY });
    expect(isInCandidateWindow(report, closed(3))).toBe(true);
    expect(isInCandidateWindow(report, closed(8))).toBe(false);
    expect(isInCandidateWindow(report, closed(8), { recentlyClosedDays: 10 })).toBe(true);
  });

  it('filters by time only when the report has no grid', () => {
    expect(isInCandidateWindow({ time: now }, { gridCode: 'G9', time: now - DAY })).toBe(true);
    expect(isInCandidateWindow({ time: now }, { time: now - 40 * DAY })).toBe(false);
  });
});
