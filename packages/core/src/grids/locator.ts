import Flatbush from 'flatbush';
import type { AreaGeometry, DedicatedGridKind, UnitLevel } from '../governance/unit.js';
import { createRng } from '../shared/random.js';
import { geometryBbox, geometryContainsPoint } from './geometry.js';
import type { GeometryBbox } from './geometry.js';
import type { GridIndexOptions, GridIndexStats } from './grid-index.js';
import { createPolygonIndex } from './grid-index.js';

/** A unit as the locator needs it (districts are ignored). */
export interface LocatorUnit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  kind?: DedicatedGridKind | null;
  geometry: AreaGeometry;
}

/** Code and name of a located unit. */
export interface UnitRef {
  code: string;
  name: string;
}

/** A dedicated grid containing the point. */
export interface DedicatedGridRef extends UnitRef {
  kind: DedicatedGridKind | null;
}

/** Everything a point falls in. */
export interface PointLocation {
  basicGrid: UnitRef | null;
  dedicatedGrids: DedicatedGridRef[];
  community: UnitRef | null;
  street: UnitRef | null;
}

/** Point → units index of one district. */
export interface UnitLocator {
  /** Basic grid, dedicated grids, community and street of a point. */
  locate(lng: number, lat: number): PointLocation;
  /** Index into `basicGrids` of the grid containing the point, −1 if none; allocation-free. */
  locateBasicGridIndex(lng: number, lat: number): number;
  /** The basic grids in the order `locateBasicGridIndex` refers to (input order). */
  readonly basicGrids: readonly UnitRef[];
  /** Bucket statistics of the basic-grid index. */
  stats(): GridIndexStats;
}

/** Units of one level with an R-tree over their bboxes: for the levels off the hot path. */
function createScanIndex<T extends { geometry: AreaGeometry }>(
  units: readonly T[],
): (x: number, y: number) => T[] {
  if (units.length === 0) return () => [];
  const tree = new Flatbush(units.length);
  for (const u of units) {
    const [x0, y0, x1, y1] = geometryBbox(u.geometry);
    tree.add(x0, y0, x1, y1);
  }
  tree.finish();
  return (x, y) =>
    tree
      .search(x, y, x, y)
      .sort((a, b) => a - b)
      .flatMap((i) => {
        const u = units[i] as T;
        return geometryContainsPoint(u.geometry, x, y) ? [u] : [];
      });
}

const ref = (u: LocatorUnit): UnitRef => ({ code: u.code, name: u.name });

/**
 * Builds the district's point locator. The basic-grid level, which every geocoded event hits, uses
 * the bucket index; community and street follow the grid's parent chain and fall back to their own
 * polygons only for points outside every basic grid.
 */
export function createLocator(units: readonly LocatorUnit[], options: GridIndexOptions = {}): UnitLocator {
  const of = (level: UnitLevel): LocatorUnit[] => units.filter((u) => u.level === level);
  const grids = of('basicGrid');
  const byCode = new Map(units.map((u) => [u.code, u]));
  const index = createPolygonIndex(
    grids.map((g) => g.geometry),
    options,
  );
  const dedicated = createScanIndex(of('dedicatedGrid'));
  const communities = createScanIndex(of('community'));
  const streets = createScanIndex(of('street'));
  const basicGrids = grids.map(ref);

  const parentOf = (u: LocatorUnit | undefined, level: UnitLevel): LocatorUnit | undefined => {
    const p = u?.parentCode ? byCode.get(u.parentCode) : undefined;
    return p?.level === level ? p : undefined;
  };

  return {
    basicGrids,
    locateBasicGridIndex: (lng, lat) => index.locate(lng, lat),
    stats: () => index.stats(),
    locate(lng, lat) {
      const grid = grids[index.locate(lng, lat)];
      const community = parentOf(grid, 'community') ?? communities(lng, lat)[0];
      const street = parentOf(community, 'street') ?? streets(lng, lat)[0];
      return {
        basicGrid: grid ? ref(grid) : null,
        dedicatedGrids: dedicated(lng, lat)
          .map((d) => ({ code: d.code, name: d.name, kind: d.kind ?? null }))
          .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
        community: community ? ref(community) : null,
        street: street ? ref(street) : null,
      };
    },
  };
}

/** The baseline: point-in-polygon against every polygon in order, no prefilter. */
export function naiveLocateBasicGrid(polygons: readonly AreaGeometry[], lng: number, lat: number): number {
  for (let i = 0; i < polygons.length; i++) {
    if (geometryContainsPoint(polygons[i] as AreaGeometry, lng, lat)) return i;
  }
  return -1;
}

/** `n` seeded random points in a bbox as `[lng0, lat0, lng1, lat1, …]`. */
export function randomPoints(bbox: GeometryBbox, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = bbox[0] + rng.next() * (bbox[2] - bbox[0]);
    out[2 * i + 1] = bbox[1] + rng.next() * (bbox[3] - bbox[1]);
  }
  return out;
}

/** Runs `locate` over packed points into `out`; returns how many points were found. */
export function locateBatch(
  locate: (lng: number, lat: number) => number,
  points: Float64Array,
  out: Int32Array = new Int32Array(points.length >> 1),
): number {
  let found = 0;
  for (let i = 0, n = points.length >> 1; i < n; i++) {
    const r = locate(points[2 * i] as number, points[2 * i + 1] as number);
    out[i] = r;
    if (r >= 0) found++;
  }
  return found;
}

/** Throughput of the bucket index vs the naive scan on the same points. */
export interface LocatorBench {
  buildMs: number;
  lookups: number;
  indexPerSecond: number;
  naiveLookups: number;
  naivePerSecond: number;
  speedup: number;
  /** Points (of the naive sample) where both disagree: should be 0 for random points. */
  mismatches: number;
  stats: GridIndexStats;
}

/**
 * Times the bucket index against the naive scan. The clock is injected (`performance.now` in a bench
 * script) because core never reads the time itself; the naive scan only gets a prefix of the points.
 */
export function benchLocator(input: {
  polygons: readonly AreaGeometry[];
  points: Float64Array;
  now: () => number;
  naivePoints?: number;
  options?: GridIndexOptions;
}): LocatorBench {
  const { polygons, points, now } = input;
  const t0 = now();
  const index = createPolygonIndex(polygons, input.options);
  const buildMs = now() - t0;
  const lookups = points.length >> 1;
  const out = new Int32Array(lookups);
  locateBatch(index.locate, points.subarray(0, Math.min(points.length, 20_000)), out); // warm-up for the JIT
  const t1 = now();
  locateBatch(index.locate, points, out);
  const indexMs = now() - t1;
  const naiveLookups = Math.min(lookups, input.naivePoints ?? 20_000);
  const naiveOut = new Int32Array(naiveLookups);
  const naive = (x: number, y: number): number => naiveLocateBasicGrid(polygons, x, y);
  const t2 = now();
  locateBatch(naive, points.subarray(0, naiveLookups * 2), naiveOut);
  const naiveMs = now() - t2;
  let mismatches = 0;
  for (let i = 0; i < naiveLookups; i++) if (naiveOut[i] !== out[i]) mismatches++;
  const indexPerSecond = (lookups * 1000) / Math.max(indexMs, 1e-9);
  const naivePerSecond = (naiveLookups * 1000) / Math.max(naiveMs, 1e-9);
  return {
    buildMs,
    lookups,
    indexPerSecond,
    naiveLookups,
    naivePerSecond,
    speedup: indexPerSecond / naivePerSecond,
    mismatches,
    stats: index.stats(),
  };
}
