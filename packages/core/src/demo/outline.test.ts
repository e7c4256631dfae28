// eslint-disable-next-line no-restricted-imports -- tests may read the real outline; core runtime code does not
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import { bboxOf, geodesicArea } from './geo.js';
import { readLichengOutline } from './outline.js';

const GEOJSON = new URL('../../../../apps/server/assets/licheng-370112.geojson', import.meta.url);
const json: unknown = JSON.parse(readFileSync(GEOJSON, 'utf8'));

describe('readLichengOutline', () => {
  it('returns the real Licheng outline as one Polygon of 488 vertices', () => {
    const outline = readLichengOutline(json);
    expect(outline.type).toBe('Polygon');
    if (outline.type !== 'Polygon') return;
    expect(outline.coordinates).toHaveLength(1);
    expect(outline.coordinates[0]).toHaveLength(488);
    const [x0, y0, x1, y1] = bboxOf(outline);
    expect(x0).toBeGreaterThan(116.9);
    expect(x1).toBeLessThan(117.4);
    expect(y0).toBeGreaterThan(36.3);
    expect(y1).toBeLessThan(36.9);
    // Licheng covers about 1,300 km² in this outline
    expect(geodesicArea(outline) / 1e6).toBeGreaterThan(1200);
    expect(geodesicArea(outline) / 1e6).toBeLessThan(1400);
  });

  it('rejects input that is not the expected feature collection', () => {
    const bad: unknown[] = [
      null,
      { type: 'Feature' },
      { type: 'FeatureCollection', features: [] },
      {
        type: 'FeatureCollection',
        features: [{ properties: { adcode: 370112 }, geometry: { type: 'Point', coordinates: [1, 2] } }],
      },
      {
        type: 'FeatureCollection',
        features: [
          {
            properties: { adcode: 370112 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [117, 36],
                  [117.1, 36],
                  [117.1, 36.1],
                  [117, 36.2],
                ],
              ],
            },
          },
        ],
      },
      {
        type: 'FeatureCollection',
        features: [
          {
            properties: { adcode: '370112' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [117, 36],
                  [117.1, 'x'],
                  [117.1, 36.1],
                  [117, 36],
                ],
              ],
            },
          },
        ],
      },
    ];
    for (const input of bad) expect(() => readLichengOutline(input)).toThrow(AppError);
  });
});
