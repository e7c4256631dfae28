import type { AreaGeometry, DedicatedGridKind, Position } from '../governance/unit.js';
import type { Rng } from '../shared/random.js';
import { industryIntensity } from './density.js';
import { interiorPoint, localDistanceM, metresPerDegree } from './geo.js';
import type { Setting } from './names-places.js';
import type { PreparedGeometry } from './prepared.js';
import { uniformPointInside } from './sampling.js';

/** Typical long side in metres of each kind of dedicated grid. */
const SIZE_M: Record<DedicatedGridKind, [number, number]> = {
  school: [120, 260],
  hospital: [90, 220],
  market: [80, 160],
  enterprise: [100, 300],
  industrialPark: [350, 800],
  constructionSite: [100, 280],
  residentialComplex: [150, 400],
  other: [80, 200],
};

type KindWeights = Record<DedicatedGridKind, number>;

const KIND_WEIGHTS: Record<Setting, KindWeights> = {
  urban: {
    school: 16,
    hospital: 8,
    market: 10,
    enterprise: 12,
    industrialPark: 1,
    constructionSite: 8,
    residentialComplex: 34,
    other: 10,
  },
  plain: {
    school: 13,
    hospital: 7,
    market: 11,
    enterprise: 22,
    industrialPark: 4,
    constructionSite: 10,
    residentialComplex: 16,
    other: 13,
  },
  mountain: {
    school: 16,
    hospital: 9,
    market: 15,
    enterprise: 16,
    industrialPark: 2,
    constructionSite: 6,
    residentialComplex: 8,
    other: 26,
  },
};

/** Picks a plausible kind for a dedicated grid at a point (more industry where intensity is high). */
export function pickKind(setting: Setting, at: Position, rng: Rng): DedicatedGridKind {
  const base = KIND_WEIGHTS[setting];
  const industry = industryIntensity(at[0], at[1]);
  const weights = Object.entries(base).map(([kind, w]) => {
    const boost =
      kind === 'enterprise' ? 1 + 2.5 * industry : kind === 'industrialPark' ? 1 + 3 * industry : 1;
    return [kind as DedicatedGridKind, w * boost] as const;
  });
  const total = weights.reduce((a, [, w]) => a + w, 0);
  let r = rng.next() * total;
  for (const [kind, w] of weights) {
    r -= w;
    if (r < 0) return kind;
  }
  return 'other';
}

interface Placed {
  centre: Position;
  radiusM: number;
}

/** A closed counter-clockwise rectangle around `centre`, `long`×`short` metres, turned by `angle`. */
function rectangle(centre: Position, long: number, short: number, angle: number): Position[] {
  const m = metresPerDegree(centre[1]);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const corners: Array<[number, number]> = [
    [-long / 2, -short / 2],
    [long / 2, -short / 2],
    [long / 2, short / 2],
    [-long / 2, short / 2],
  ];
  const ring = corners.map(([dx, dy]) => {
    const ex = dx * cos - dy * sin;
    const ey = dx * sin + dy * cos;
    return [centre[0] + ex / m.lng, centre[1] + ey / m.lat] as Position;
  });
  return [...ring, ring[0] as Position];
}

/**
 * Places small rectangles of the given kinds strictly inside the grid and apart from each other
 * (random position and turn, retried; shrunk when the grid is too tight).
 */
export function placeDedicated(
  grid: PreparedGeometry,
  gridAreaM2: number,
  kinds: DedicatedGridKind[],
  rng: Rng,
): AreaGeometry[] {
  const placed: Placed[] = [];
  const fit = Math.sqrt(gridAreaM2) * 0.4;
  return kinds.map((kind) => {
    const [lo, hi] = SIZE_M[kind];
    let long = Math.min(lo + rng.next() * (hi - lo), fit);
    let short = long * (0.55 + 0.45 * rng.next());
    for (let attempt = 0; attempt < 400; attempt++) {
      if (attempt > 0 && attempt % 25 === 0) {
        long *= 0.8;
        short *= 0.8;
      }
      const centre = attempt < 380 ? uniformPointInside(grid, rng) : interiorPoint(grid.geometry);
      const radiusM = Math.hypot(long, short) / 2;
      if (placed.some((p) => localDistanceM(p.centre, centre) < p.radiusM + radiusM + 5)) continue;
      const ring = rectangle(centre, long, short, rng.next() * Math.PI);
      if (!grid.containsRing(ring)) continue;
      placed.push({ centre, radiusM });
      return { type: 'Polygon', coordinates: [ring] } satisfies AreaGeometry;
    }
    throw new Error(`could not place a ${kind} inside a grid of ${Math.round(gridAreaM2)} m²`);
  });
}
