import polygonClipping from 'polygon-clipping';
import type { AreaGeometry, DedicatedGridKind, Position, UnitLevel } from '../governance/unit.js';
import { DEDICATED_GRID_KINDS } from '../governance/unit.js';
import { createRng } from '../shared/random.js';
import type { GeometryBbox } from './geometry.js';
import {
  fromClipping,
  geometryBbox,
  geometryCentroid,
  geometryContainsPoint,
  toClipping,
} from './geometry.js';
import { syntheticPartition } from './synthetic-partition.js';

/** A generated unit, shaped for both the locator and the topology validator. */
export interface SyntheticUnit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  kind: DedicatedGridKind | null;
  geometry: AreaGeometry;
}

/** Sizes of a generated district; the defaults mirror the real one (14 / 347 / 1,209 / ~1,500). */
export interface SyntheticDistrictOptions {
  bbox?: GeometryBbox;
  districtCode?: string;
  streets?: number;
  communities?: number;
  grids?: number;
  /** Mean number of dedicated grids per basic grid. */
  dedicatedPerGrid?: number;
  seed?: number;
  wiggle?: boolean;
}

const pad = (n: number): string => String(n).padStart(3, '0');

/** Groups items to the nearest of `k` seed items (by point), returning the groups' members. */
function cluster(points: Position[], k: number, rng: ReturnType<typeof createRng>): number[][] {
  const order = points.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const seeds = order.slice(0, Math.max(1, Math.min(k, points.length))).map((i) => points[i] as Position);
  const groups: number[][] = seeds.map(() => []);
  points.forEach(([x, y], i) => {
    let best = 0;
    let bestD = Infinity;
    seeds.forEach(([sx, sy], s) => {
      const d = (sx - x) ** 2 + (sy - y) ** 2;
      if (d < bestD) [best, bestD] = [s, d];
    });
    groups[best]?.push(i);
  });
  return groups.filter((g) => g.length > 0);
}

function unionGeometry(geometries: AreaGeometry[]): AreaGeometry {
  const [first, ...rest] = geometries.map(toClipping);
  const merged = rest.length ? polygonClipping.union(first ?? [], ...rest) : (first ?? []);
  const g = fromClipping(merged);
  if (!g) throw new Error('empty union');
  return g;
}

function square(c: Position, half: number): AreaGeometry {
  const [x, y] = c;
  const ring: Position[] = [
    [x - half, y - half],
    [x + half, y - half],
    [x + half, y + half],
    [x - half, y + half],
    [x - half, y - half],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

/** A small square around `c` strictly inside `host` (corners inside, no host vertex inside), or null. */
function squareInside(host: AreaGeometry, c: Position, half: number): AreaGeometry | null {
  for (let h = half, tries = 0; tries < 5; tries++, h /= 2) {
    const sq = square(c, h);
    const ring = sq.type === 'Polygon' ? (sq.coordinates[0] ?? []) : [];
    const cornersIn = ring.every(([x, y]) => geometryContainsPoint(host, x, y));
    const hostVertexIn =
      host.type === 'Polygon' &&
      host.coordinates.some((r) => r.some(([x, y]) => Math.abs(x - c[0]) <= h && Math.abs(y - c[1]) <= h));
    if (cornersIn && !hostVertexIn) return sq;
  }
  return null;
}

/**
 * A complete synthetic district: basic grids from a Voronoi partition, communities and streets as
 * unions of nearby grids, dedicated grids as small squares inside basic grids. Exact by construction,
 * so the topology validator must find it clean; used by tests and benchmarks.
 */
export function syntheticDistrict(options: SyntheticDistrictOptions = {}): SyntheticUnit[] {
  const bbox = options.bbox ?? [116.8, 36.4, 117.25, 36.94];
  const district = options.districtCode ?? '370112';
  const rng = createRng((options.seed ?? 1) ^ 0x5eed);
  const cells = syntheticPartition({
    bbox,
    count: options.grids ?? 1209,
    seed: options.seed ?? 1,
    wiggle: options.wiggle ?? true,
  });
  const centroids = cells.map(geometryCentroid);
  const communities = cluster(centroids, options.communities ?? 347, rng);
  const communityCentres = communities.map((members) => {
    const xs = members.map((i) => (centroids[i] as Position)[0]);
    const ys = members.map((i) => (centroids[i] as Position)[1]);
    return [xs.reduce((a, b) => a + b, 0) / xs.length, ys.reduce((a, b) => a + b, 0) / ys.length] as Position;
  });
  const streets = cluster(communityCentres, options.streets ?? 14, rng);
  const rect: AreaGeometry = {
    type: 'Polygon',
    coordinates: [
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[1]],
        [bbox[2], bbox[3]],
        [bbox[0], bbox[3]],
        [bbox[0], bbox[1]],
      ],
    ],
  };
  const units: SyntheticUnit[] = [
    { code: district, name: '历城区', level: 'district', parentCode: null, kind: null, geometry: rect },
  ];
  const perGrid = options.dedicatedPerGrid ?? 1.24;
  streets.forEach((streetMembers, s) => {
    const streetCode = district + pad(s + 1);
    const streetCells = streetMembers.flatMap((c) => communities[c] ?? []);
    units.push({
      code: streetCode,
      name: `街道${s + 1}`,
      level: 'street',
      parentCode: district,
      kind: null,
      geometry: unionGeometry(streetCells.map((i) => cells[i] as AreaGeometry)),
    });
    streetMembers.forEach((c, ci) => {
      const communityCode = streetCode + pad(ci + 1);
      const members = communities[c] ?? [];
      units.push({
        code: communityCode,
        name: `社区${s + 1}-${ci + 1}`,
        level: 'community',
        parentCode: streetCode,
        kind: null,
        geometry: unionGeometry(members.map((i) => cells[i] as AreaGeometry)),
      });
      let dedicatedSeq = 501;
      members.forEach((cellIndex, gi) => {
        const gridCode = communityCode + pad(gi + 1);
        const cell = cells[cellIndex] as AreaGeometry;
        units.push({
          code: gridCode,
          name: `第${gi + 1}网格`,
          level: 'basicGrid',
          parentCode: communityCode,
          kind: null,
          geometry: cell,
        });
        const count = Math.floor(perGrid) + (rng.chance(perGrid - Math.floor(perGrid)) ? 1 : 0);
        const [x0, y0, x1, y1] = geometryBbox(cell);
        for (let k = 0; k < count && dedicatedSeq <= 999; k++) {
          const c: Position = [
            x0 + (0.3 + 0.4 * rng.next()) * (x1 - x0),
            y0 + (0.3 + 0.4 * rng.next()) * (y1 - y0),
          ];
          const sq = squareInside(cell, c, Math.min(x1 - x0, y1 - y0) * 0.08);
          if (!sq) continue;
          units.push({
            code: communityCode + String(dedicatedSeq++),
            name: `专属网格${dedicatedSeq - 501}`,
            level: 'dedicatedGrid',
            parentCode: gridCode,
            kind: rng.pick(DEDICATED_GRID_KINDS),
            geometry: sq,
          });
        }
      });
    });
  });
  return units;
}
