import type { Position } from '../governance/unit.js';
import type { Rng } from '../shared/random.js';
import type { PreparedGeometry } from './prepared.js';

/** A relative density at a lng/lat point (any positive scale). */
export type DensityFn = (lng: number, lat: number) => number;

/** One uniform random point inside the prepared geometry (rejection from its box). */
export function uniformPointInside(area: PreparedGeometry, rng: Rng): Position {
  const [x0, y0, x1, y1] = area.bbox;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    const x = x0 + rng.next() * (x1 - x0);
    const y = y0 + rng.next() * (y1 - y0);
    if (area.contains(x, y)) return [x, y];
  }
  throw new Error('could not sample a point inside the area');
}

/**
 * `n` random points inside the area with probability proportional to `density^power`
 * (rejection sampling against a bound estimated from a probe sample).
 */
export function samplePointsInside(
  area: PreparedGeometry,
  rng: Rng,
  n: number,
  density: DensityFn,
  power: number,
): Position[] {
  let bound = 0;
  for (let i = 0; i < 64; i++) {
    const [x, y] = uniformPointInside(area, rng);
    bound = Math.max(bound, density(x, y) ** power);
  }
  bound *= 1.5;
  const out: Position[] = [];
  let tries = 0;
  while (out.length < n) {
    const p = uniformPointInside(area, rng);
    const w = density(p[0], p[1]) ** power;
    tries++;
    // after very many rejections fall back to uniform points so generation always terminates
    if (rng.next() * bound < w || tries > 200 * n) out.push(p);
  }
  return out;
}
