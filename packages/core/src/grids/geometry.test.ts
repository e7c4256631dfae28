import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '../governance/unit.js';
import {
  EARTH_RADIUS_M,
  fromClipping,
  geodesicArea,
  geometryBbox,
  geometryCentroid,
  geometryContainsPoint,
  polygonContainsPoint,
  representativePoint,
  ringContainsPoint,
  toClipping,
} from './geometry.js';
import { jitteredGridPartition } from './synthetic-partition.js';

const rect = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: Position[][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

describe('geometryBbox', () => {
  it('spans all parts of a MultiPolygon', () => {
    const g: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 1, 1)], [[...rect(5, -2, 6, 3)]]],
    };
    expect(geometryBbox(g)).toEqual([0, -2, 6, 3]);
  });
});

describe('geodesicArea', () => {
  it('matches the closed form of a 1°×1° cell at the equator', () => {
    const exact = EARTH_RADIUS_M ** 2 * (Math.PI / 180) * Math.sin(Math.PI / 180);
    expect(geodesicArea(poly(rect(0, 0, 1, 1)))).toBeCloseTo(exact, -1);
  });

  it('subtracts holes and adds MultiPolygon parts, whatever the ring orientation', () => {
    const outer = geodesicArea(poly(rect(117, 36, 117.01, 36.01)));
    const hole = geodesicArea(poly(rect(117.002, 36.002, 117.004, 36.004)));
    expect(
      geodesicArea(poly(rect(117, 36, 117.01, 36.01), [...rect(117.002, 36.002, 117.004, 36.004)].reverse())),
    ).toBeCloseTo(outer - hole, 3);
    const multi: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(117, 36, 117.01, 36.01)], [rect(118, 36, 118.01, 36.01)]],
    };
    expect(geodesicArea(multi)).toBeGreaterThan(2 * outer * 0.999);
    // about 1.1 km × 0.9 km at Jinan's latitude
    expect(outer).toBeGreaterThan(0.99e6);
    expect(outer).toBeLessThan(1.01e6);
  });
});

describe('point in polygon', () => {
  const withHole = poly(rect(0, 0, 10, 10), rect(3, 3, 6, 6));

  it('respects holes and MultiPolygon parts', () => {
    expect(polygonContainsPoint(withHole.coordinates as Position[][], 1, 1)).toBe(true);
    expect(polygonContainsPoint(withHole.coordinates as Position[][], 4, 4)).toBe(false);
    expect(geometryContainsPoint(withHole, 11, 1)).toBe(false);
    const multi: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 1, 1)], [rect(2, 0, 3, 1)]],
    };
    expect(geometryContainsPoint(multi, 2.5, 0.5)).toBe(true);
    expect(geometryContainsPoint(multi, 1.5, 0.5)).toBe(false);
  });

  it('gives every point of a partition, shared edges and vertices included, to exactly one cell', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, t) => {
        const cells = jitteredGridPartition({
          bbox: [117, 36, 117.1, 36.1],
          nx: 4,
          ny: 3,
          jitter: 0.4,
          seed,
        });
        const ring = (cells[5] as { coordinates: Position[][] }).coordinates[0] as Position[];
        for (let k = 0; k + 1 < ring.length; k++) {
          const [a, b] = [ring[k] as Position, ring[k + 1] as Position];
          for (const [x, y] of [a, [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]] as Position[]) {
            expect(cells.filter((c) => geometryContainsPoint(c, x, y))).toHaveLength(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('treats an unclosed ring like its closed form', () => {
    const open = rect(0, 0, 1, 1).slice(0, 4);
    expect(ringContainsPoint(open, 0.5, 0.5)).toBe(true);
  });
});

describe('representativePoint', () => {
  it('is inside a U shape whose centroid is not', () => {
    const u = poly([
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ]);
    const c = geometryCentroid(u);
    expect(geometryContainsPoint(u, c[0], c[1])).toBe(false);
    const p = representativePoint(u);
    expect(geometryContainsPoint(u, p[0], p[1])).toBe(true);
  });

  it('is inside random star-shaped polygons, with or without a hole around the centroid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 40 }),
        fc.boolean(),
        (radii, hole) => {
          const ring: Position[] = radii.map((r, i) => {
            const a = (2 * Math.PI * i) / radii.length;
            return [117 + 0.01 * r * Math.cos(a), 36 + 0.01 * r * Math.sin(a)];
          });
          ring.push(ring[0] as Position);
          const rings = hole ? [ring, rect(116.9998, 35.9998, 117.0002, 36.0002)] : [ring];
          const p = representativePoint(poly(...rings));
          expect(geometryContainsPoint(poly(...rings), p[0], p[1])).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('polygon-clipping conversion', () => {
  it('round-trips Polygon and MultiPolygon and maps empty to null', () => {
    const p = poly(rect(0, 0, 1, 1));
    expect(fromClipping(toClipping(p))).toEqual(p);
    const m: AreaGeometry = { type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(2, 0, 3, 1)]] };
    expect(fromClipping(toClipping(m))).toEqual(m);
    expect(fromClipping([])).toBeNull();
  });
});
