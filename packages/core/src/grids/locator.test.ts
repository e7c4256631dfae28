import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '../governance/unit.js';
import type { GeometryBbox } from './geometry.js';
import { createPolygonIndex } from './grid-index.js';
import type { LocatorUnit } from './locator.js';
import { benchLocator, createLocator, naiveLocateBasicGrid, randomPoints } from './locator.js';
import { jitteredGridPartition, syntheticPartition } from './synthetic-partition.js';

const BBOX: GeometryBbox = [117, 36.6, 117.04, 36.66];

const rect = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: Position[][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

/** Random points, plus points exactly on vertices and (as exactly as floats allow) on edges. */
function probePoints(polygons: AreaGeometry[], seed: number, n: number): Position[] {
  const pts: Position[] = [];
  const r = randomPoints(BBOX, n, seed);
  for (let i = 0; i < n; i++) pts.push([r[2 * i] as number, r[2 * i + 1] as number]);
  polygons.forEach((g, i) => {
    if (i % 3 !== seed % 3 || g.type !== 'Polygon') return;
    const ring = g.coordinates[0] as Position[];
    for (let k = 0; k + 1 < ring.length; k++) {
      const a = ring[k] as Position;
      const b = ring[k + 1] as Position;
      const t = ((seed * 7919 + k * 104729) % 1000) / 1000;
      pts.push(
        a,
        [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])],
        [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2],
      );
    }
  });
  return pts;
}

function checkAgainstOracle(polygons: AreaGeometry[], seed: number): void {
  const index = createPolygonIndex(polygons);
  for (const [x, y] of probePoints(polygons, seed, 400)) {
    const got = index.locate(x, y);
    // same crossing rule, same order: the index must equal the brute-force scan bit for bit
    expect(got).toBe(naiveLocateBasicGrid(polygons, x, y));
    const strictlyInside = x > BBOX[0] && x < BBOX[2] && y > BBOX[1] && y < BBOX[3];
    if (strictlyInside) expect(got).toBeGreaterThanOrEqual(0);
  }
}

describe('createPolygonIndex', () => {
  it('agrees with the oracle on random Voronoi partitions, edges and vertices included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.integer({ min: 2, max: 120 }),
        fc.boolean(),
        (seed, count, wiggle) => {
          checkAgainstOracle(syntheticPartition({ bbox: BBOX, count, seed, wiggle, relax: seed % 3 }), seed);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('agrees with the oracle on jittered grids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.45, noNaN: true }),
        (seed, nx, ny, jitter) =>
          checkAgainstOracle(jitteredGridPartition({ bbox: BBOX, nx, ny, jitter, seed }), seed),
      ),
      { numRuns: 40 },
    );
  });

  it('returns the first polygon in input order where polygons overlap, like the scan', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.integer({ min: 0, max: 1000 }),
        (corners, seed) => {
          const w = BBOX[2] - BBOX[0];
          const h = BBOX[3] - BBOX[1];
          const polygons = corners.map(([u, v]) =>
            poly(
              rect(
                BBOX[0] + u * w * 0.7,
                BBOX[1] + v * h * 0.7,
                BBOX[0] + (u * 0.7 + 0.3) * w,
                BBOX[1] + (v * 0.7 + 0.3) * h,
              ),
            ),
          );
          const index = createPolygonIndex(polygons, { cellsPerPolygon: 64 });
          for (const [x, y] of probePoints(polygons, seed, 300))
            expect(index.locate(x, y)).toBe(naiveLocateBasicGrid(polygons, x, y));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles holes, MultiPolygons, empty input and junk coordinates', () => {
    const ring = poly(rect(0, 0, 10, 10), rect(3, 3, 6, 6));
    const multi: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(3, 3, 6, 6)], [rect(20, 0, 21, 1)]],
    };
    const index = createPolygonIndex([ring, multi]);
    expect(index.locate(1, 1)).toBe(0);
    expect(index.locate(4, 4)).toBe(1);
    expect(index.locate(20.5, 0.5)).toBe(1);
    expect(index.locate(15, 5)).toBe(-1);
    expect(index.locate(NaN, 5)).toBe(-1);
    expect(index.locate(Infinity, Infinity)).toBe(-1);
    expect(createPolygonIndex([]).locate(0, 0)).toBe(-1);
  });
});

describe('createLocator', () => {
  const units: LocatorUnit[] = [
    {
      code: '370112001',
      name: 'S1',
      level: 'street',
      parentCode: '370112',
      geometry: poly(rect(0, 0, 4, 2)),
    },
    {
      code: '370112001001',
      name: 'C1',
      level: 'community',
      parentCode: '370112001',
      geometry: poly(rect(0, 0, 2, 2)),
    },
    {
      code: '370112001002',
      name: 'C2',
      level: 'community',
      parentCode: '370112001',
      geometry: poly(rect(2, 0, 4, 2)),
    },
    {
      code: '370112001001001',
      name: 'G1',
      level: 'basicGrid',
      parentCode: '370112001001',
      geometry: poly(rect(0, 0, 1, 2)),
    },
    {
      code: '370112001001002',
      name: 'G2',
      level: 'basicGrid',
      parentCode: '370112001001',
      geometry: poly(rect(1, 0, 2, 2)),
    },
    {
      code: '370112001002001',
      name: 'G3',
      level: 'basicGrid',
      parentCode: '370112001002',
      geometry: poly(rect(2, 0, 3, 2)),
    },
    {
      code: '370112001001501',
      name: 'School',
      level: 'dedicatedGrid',
      parentCode: '370112001001002',
      kind: 'school',
      geometry: poly(rect(1.2, 0.2, 1.5, 0.5)),
    },
    {
      code: '370112001001502',
      name: 'Market',
      level: 'dedicatedGrid',
      parentCode: '370112001001002',
      geometry: poly(rect(1.3, 0.3, 1.8, 0.8)),
    },
  ];
  const locator = createLocator(units);

  it('returns the grid, its dedicated grids and the parent chain', () => {
    expect(locator.locate(1.4, 0.4)).toEqual({
      basicGrid: { code: '370112001001002', name: 'G2' },
      dedicatedGrids: [
        { code: '370112001001501', name: 'School', kind: 'school' },
        { code: '370112001001502', name: 'Market', kind: null },
      ],
      community: { code: '370112001001', name: 'C1' },
      street: { code: '370112001', name: 'S1' },
    });
    expect(locator.basicGrids[locator.locateBasicGridIndex(0.5, 1)]?.code).toBe('370112001001001');
  });

  it('falls back to community and street polygons outside every basic grid', () => {
    expect(locator.locate(3.5, 1)).toEqual({
      basicGrid: null,
      dedicatedGrids: [],
      community: { code: '370112001002', name: 'C2' },
      street: { code: '370112001', name: 'S1' },
    });
    expect(locator.locate(9, 9)).toEqual({
      basicGrid: null,
      dedicatedGrids: [],
      community: null,
      street: null,
    });
  });

  // speed is measured by `npm run bench`, never asserted here: a slow machine must not fail tests
  it('agrees with the naive scan on a district-sized partition', () => {
    const bbox: GeometryBbox = [116.8, 36.4, 117.25, 36.94];
    const polygons = syntheticPartition({ bbox, count: 1200, seed: 11, wiggle: true });
    const r = benchLocator({
      polygons,
      points: randomPoints(bbox, 500_000, 5),
      now: () => performance.now(),
      naivePoints: 3_000,
    });
    expect(r.mismatches).toBe(0);
  });
});
