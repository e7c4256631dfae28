import { describe, expect, it } from 'vitest';
import { checkGeometry, geometryProblems, selfIntersection } from './geometry-validity.js';

const square = [
  [117, 36],
  [117.01, 36],
  [117.01, 36.01],
  [117, 36.01],
  [117, 36],
];

describe('checkGeometry', () => {
  it('accepts a valid Polygon and drops altitudes', () => {
    const r = checkGeometry({ type: 'Polygon', coordinates: [square.map(([x, y]) => [x, y, 50])] });
    expect(r.issues).toEqual([]);
    expect(r.geometry?.coordinates[0]?.[0]).toEqual([117, 36]);
  });

  it.each([
    ['not an object', 'x', 'geometry'],
    ['wrong type', { type: 'Point', coordinates: [1, 2] }, 'geometry.type'],
    ['no coordinates', { type: 'Polygon', coordinates: [] }, 'geometry.coordinates'],
    ['short ring', { type: 'Polygon', coordinates: [square.slice(0, 3)] }, 'geometry.coordinates[0]'],
    [
      'unclosed ring',
      { type: 'Polygon', coordinates: [[...square.slice(0, 4), [117, 36.005]]] },
      'geometry.coordinates[0]',
    ],
    [
      'NaN',
      { type: 'Polygon', coordinates: [[[NaN, 36], ...square.slice(1)]] },
      'geometry.coordinates[0][0]',
    ],
    [
      'string number',
      { type: 'Polygon', coordinates: [[['117', 36], ...square.slice(1)]] },
      'geometry.coordinates[0][0]',
    ],
    [
      'lng range',
      { type: 'Polygon', coordinates: [[...square.slice(0, 2), [181, 36.01], ...square.slice(3)]] },
      'geometry.coordinates[0][2]',
    ],
    [
      'lat range',
      { type: 'Polygon', coordinates: [[...square.slice(0, 2), [117, 91], ...square.slice(3)]] },
      'geometry.coordinates[0][2]',
    ],
    [
      'zero area',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [117.01, 36],
            [117.02, 36],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates[0]',
    ],
    [
      'bow tie',
      {
        type: 'Polygon',
        coordinates: [
          [
            [117, 36],
            [117.01, 36.01],
            [117.01, 36],
            [117, 36.01],
            [117, 36],
          ],
        ],
      },
      'geometry.coordinates[0]',
    ],
    [
      'bad MultiPolygon part',
      { type: 'MultiPolygon', coordinates: [[square], 'x'] },
      'geometry.coordinates[1]',
    ],
  ])('rejects %s', (_name, value, path) => {
    const issues = geometryProblems(value);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path).toBe(path);
  });

  it('treats the holes of a sparse array as bad rings', () => {
    const rings: unknown[] = [square];
    rings.length = 2;
    expect(geometryProblems({ type: 'Polygon', coordinates: rings })).toEqual([
      { path: 'geometry.coordinates[1]', reason: 'a ring must be an array of positions' },
    ]);
  });

  it('caps the number of issues of a hostile geometry', () => {
    const rings = Array.from({ length: 500 }, () => [[1, 2]]);
    expect(geometryProblems({ type: 'Polygon', coordinates: rings }).length).toBeLessThanOrEqual(20);
  });
});

describe('selfIntersection', () => {
  it('finds touching rings and spikes but accepts duplicates and simple rings', () => {
    expect(selfIntersection(square as [number, number][])).toBeNull();
    const dup = [square[0], ...square] as [number, number][];
    expect(selfIntersection(dup)).toBeNull();
    const spike: [number, number][] = [
      [0, 0],
      [2, 0],
      [3, 0],
      [2, 0],
      [2, 2],
      [0, 0],
    ];
    expect(selfIntersection(spike)).not.toBeNull();
    const touching: [number, number][] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 0],
      [0, 4],
      [0, 0],
    ];
    expect(selfIntersection(touching)).not.toBeNull();
  });
});
