import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '../governance/unit.js';
import { geodesicArea, geometryCentroid, geometryContainsPoint } from './geometry.js';
import type { SyntheticUnit } from './synthetic-district.js';
import { syntheticDistrict } from './synthetic-district.js';
import type { TopologyUnit } from './topology.js';
import { validateTopology, validateTopologySync } from './topology.js';

const small = (seed: number): SyntheticUnit[] =>
  syntheticDistrict({
    bbox: [117, 36.6, 117.05, 36.66],
    grids: 12 + (seed % 30),
    communities: 5,
    streets: 2,
    seed,
  });

const scaled = (g: AreaGeometry, f: number): AreaGeometry => {
  const [cx, cy] = geometryCentroid(g);
  const s = ([x, y]: Position): Position => [cx + (x - cx) * f, cy + (y - cy) * f];
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(s)) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(s))) };
};

const rect = (x0: number, y0: number, x1: number, y1: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

const seeds = fc.integer({ min: 1, max: 2 ** 30 });

describe('validateTopology on generated partitions', () => {
  it('reports an exact partition as ok', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        expect(validateTopologySync(small(seed))).toEqual({ ok: true, overlaps: [], gaps: [], outside: [] });
      }),
      { numRuns: 12 },
    );
  });

  it('reports a removed basic grid as a gap of its area inside its community', () => {
    fc.assert(
      fc.property(seeds, fc.nat(), (seed, pick) => {
        const units = small(seed);
        const grids = units.filter((u) => u.level === 'basicGrid');
        const gone = grids[pick % grids.length] as SyntheticUnit;
        const r = validateTopologySync(units.filter((u) => u !== gone && u.parentCode !== gone.code));
        expect(r.ok).toBe(false);
        expect(r.overlaps).toEqual([]);
        expect(r.outside).toEqual([]);
        expect(r.gaps).toHaveLength(1);
        const gap = r.gaps[0];
        expect(gap?.parent).toBe(gone.parentCode);
        expect(gap?.level).toBe('basicGrid');
        expect(gap?.areaM2).toBeCloseTo(geodesicArea(gone.geometry), -1);
        expect(geometryContainsPoint(gone.geometry, ...(gap?.point as Position))).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('reports a duplicated basic grid as an overlap of the pair', () => {
    fc.assert(
      fc.property(seeds, fc.nat(), (seed, pick) => {
        const units = small(seed);
        const grids = units.filter((u) => u.level === 'basicGrid');
        const g = grids[pick % grids.length] as SyntheticUnit;
        const dup = { ...g, code: `${g.code.slice(0, 12)}499` };
        const r = validateTopologySync([...units, dup]);
        expect(r.gaps).toEqual([]);
        expect(r.outside).toEqual([]);
        expect(r.overlaps).toEqual([
          { a: g.code, b: dup.code, level: 'basicGrid', areaM2: expect.any(Number) },
        ]);
        expect(r.overlaps[0]?.areaM2).toBeCloseTo(geodesicArea(g.geometry), -1);
      }),
      { numRuns: 12 },
    );
  });

  it('reports an enlarged basic grid as overlapping its neighbours', () => {
    fc.assert(
      fc.property(seeds, fc.nat(), (seed, pick) => {
        const units = small(seed);
        const grids = units.filter((u) => u.level === 'basicGrid');
        const g = grids[pick % grids.length] as SyntheticUnit;
        const big = scaled(g.geometry, 1.3);
        const r = validateTopologySync(units.map((u) => (u === g ? { ...u, geometry: big } : u)));
        expect(r.ok).toBe(false);
        const mine = r.overlaps.filter((o) => o.a === g.code || o.b === g.code);
        expect(mine.length).toBeGreaterThan(0);
        const grown = geodesicArea(big) - geodesicArea(g.geometry);
        const stray = r.outside.filter((o) => o.code === g.code).reduce((s, o) => s + o.areaM2, 0);
        // what grew either covers neighbours or leaves the community (or the district)
        expect(mine.reduce((s, o) => s + o.areaM2, 0) + stray).toBeGreaterThan(grown * 0.5);
        expect(r.overlaps.every((o) => o.level === 'basicGrid')).toBe(true);
      }),
      { numRuns: 12 },
    );
  });
});

describe('validateTopology cases', () => {
  const units: TopologyUnit[] = [
    { code: '370112', level: 'district', parentCode: null, geometry: rect(0, 0, 0.02, 0.01) },
    { code: '370112001', level: 'street', parentCode: '370112', geometry: rect(0, 0, 0.01, 0.01) },
    { code: '370112002', level: 'street', parentCode: '370112', geometry: rect(0.01, 0, 0.02, 0.01) },
    { code: '370112001001', level: 'community', parentCode: '370112001', geometry: rect(0, 0, 0.01, 0.01) },
    {
      code: '370112002001',
      level: 'community',
      parentCode: '370112002',
      geometry: rect(0.01, 0, 0.02, 0.01),
    },
    {
      code: '370112001001001',
      level: 'basicGrid',
      parentCode: '370112001001',
      geometry: rect(0, 0, 0.01, 0.01),
    },
    {
      code: '370112002001001',
      level: 'basicGrid',
      parentCode: '370112002001',
      geometry: rect(0.01, 0, 0.02, 0.01),
    },
    {
      code: '370112001001501',
      level: 'dedicatedGrid',
      parentCode: '370112001001001',
      geometry: rect(0.001, 0.001, 0.002, 0.002),
    },
  ];

  it('accepts the hand-made structure', () => {
    expect(validateTopologySync(units).ok).toBe(true);
  });

  it('finds a dedicated grid outside its basic grid', () => {
    const moved = units.map((u) =>
      u.level === 'dedicatedGrid' ? { ...u, geometry: rect(0.012, 0.001, 0.013, 0.002) } : u,
    );
    const r = validateTopologySync(moved);
    expect(r.outside).toEqual([
      { code: '370112001001501', parent: '370112001001001', areaM2: expect.any(Number) },
    ]);
    expect(r.outside[0]?.areaM2).toBeCloseTo(geodesicArea(rect(0.012, 0.001, 0.013, 0.002)), -1);
  });

  it('finds overlaps between units of different parents when the parents overlap', () => {
    const shifted = units.map((u) =>
      u.code.startsWith('370112002') && u.level !== 'dedicatedGrid'
        ? { ...u, geometry: rect(0.009, 0, 0.02, 0.01) }
        : u,
    );
    const r = validateTopologySync(shifted);
    expect(r.overlaps.map((o) => [o.level, o.a, o.b])).toEqual([
      ['street', '370112001', '370112002'],
      ['community', '370112001001', '370112002001'],
      ['basicGrid', '370112001001001', '370112002001001'],
    ]);
    expect(r.outside).toEqual([]);
    expect(r.gaps).toEqual([]);
  });

  it('ignores gaps up to the tolerance and reports a parent with no children as one gap', () => {
    const shrunk = units.map((u) =>
      u.code === '370112002001001' ? { ...u, geometry: rect(0.01, 0, 0.02, 0.009999999) } : u,
    );
    expect(validateTopologySync(shrunk).ok).toBe(true);
    const r = validateTopologySync(shrunk, { toleranceM2: 0.001 });
    expect(r.gaps.map((g) => g.parent)).toEqual(['370112002001']);
    const orphan = validateTopologySync(units.filter((u) => u.code !== '370112002001001'));
    expect(orphan.gaps.map((g) => [g.parent, g.level])).toEqual([['370112002001', 'basicGrid']]);
  });

  it('reports progress up to the total and gives the same result asynchronously', async () => {
    const seen: Array<[number, number]> = [];
    const sync = validateTopologySync(units, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.map(([d]) => d)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.at(-1)?.[0]).toBe(seen.at(-1)?.[1]);
    expect(await validateTopology(units)).toEqual(sync);
  });
});

describe('validateTopology at district scale', () => {
  it('checks 14 streets, ~347 communities, ~1,209 grids and ~1,500 dedicated grids', async () => {
    const units = syntheticDistrict({ seed: 2 });
    expect(units.filter((u) => u.level === 'basicGrid')).toHaveLength(1209);
    const r = await validateTopology(units);
    expect(r.ok).toBe(true);
  });
});
