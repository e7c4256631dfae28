import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '../governance/unit.js';
import { conformGeometries } from './conform.js';

const poly = (ring: Position[]): AreaGeometry => ({ type: 'Polygon', coordinates: [ring] });

describe('conformGeometries', () => {
  it('inserts a neighbour corner lying on an edge and snaps near-identical vertices', () => {
    const parent = poly([
      [0, 0],
      [2, 0],
      [2, 1],
      [0, 1],
      [0, 0],
    ]);
    const left = poly([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    // the right child's corner differs from the left child's in the last bits
    const right = poly([
      [1 + 1e-15, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1 + 1e-15, 0],
    ]);
    const [p, l, r] = conformGeometries([parent, left, right]);
    expect(p?.coordinates).toEqual([
      [
        [0, 0],
        [1, 0],
        [2, 0],
        [2, 1],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ]);
    expect(l).toEqual(left);
    expect(r?.coordinates).toEqual([
      [
        [1, 0],
        [2, 0],
        [2, 1],
        [1, 1],
        [1, 0],
      ],
    ]);
  });
});
