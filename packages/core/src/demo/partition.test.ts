import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '../governance/unit.js';
import { createRng } from '../shared/random.js';
import { geodesicArea, pointInGeometry } from './geo.js';
import { partitionArea } from './partition.js';
import { PreparedGeometry } from './prepared.js';

/** A U-shaped (non-convex) parent: Voronoi cells across the gap fall apart when clipped. */
const U_SHAPE: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [117, 36.6],
      [117.1, 36.6],
      [117.1, 36.7],
      [117.07, 36.7],
      [117.07, 36.62],
      [117.03, 36.62],
      [117.03, 36.7],
      [117, 36.7],
      [117, 36.6],
    ] as Position[],
  ],
};

describe('partitionArea', () => {
  it('splits a non-convex parent into cells that cover it once', () => {
    const parent = new PreparedGeometry(U_SHAPE);
    const whole = geodesicArea(U_SHAPE);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 2, max: 25 }), (seed, count) => {
        const { geometries } = partitionArea({
          parent,
          count,
          rng: createRng(seed),
          density: (x) => 1 + 10 * (x - 117),
          lloydSteps: 2,
        });
        expect(geometries).toHaveLength(count);
        const sum = geometries.reduce((a, g) => a + geodesicArea(g), 0);
        expect(Math.abs(sum - whole)).toBeLessThan(1);
        const rng = createRng(seed ^ 0x5555);
        for (let i = 0; i < 200; i++) {
          const x = 117 + rng.next() * 0.1;
          const y = 36.6 + rng.next() * 0.1;
          const hits = geometries.filter((g) => pointInGeometry(g, x, y)).length;
          expect(hits).toBe(pointInGeometry(U_SHAPE, x, y) ? 1 : 0);
        }
      }),
      { numRuns: 40 },
    );
  });
});
