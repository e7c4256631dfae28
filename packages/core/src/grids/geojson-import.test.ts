import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnitLevel } from '../governance/unit.js';
import { AppError } from '../shared/errors.js';
import type { ImportIssue } from './geojson-import.js';
import { parseUnitImport } from './geojson-import.js';
import { syntheticDistrict } from './synthetic-district.js';

const square = (x: number, y: number, d = 0.001): number[][][] => [
  [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ],
];

const feature = (
  props: Record<string, unknown>,
  coordinates: unknown = square(117, 36),
): Record<string, unknown> => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'Polygon', coordinates },
});
const fcOf = (...features: unknown[]): unknown => ({ type: 'FeatureCollection', features });

function issuesOf(run: () => unknown): ImportIssue[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('IMPORT_INVALID');
    return ((e as AppError).details as { issues: ImportIssue[] }).issues;
  }
  throw new Error('expected IMPORT_INVALID');
}

const existing = new Map<string, UnitLevel>([
  ['370112', 'district'],
  ['370112001', 'street'],
  ['370112001001', 'community'],
]);

describe('parseUnitImport', () => {
  it('parses a generated district and returns parents before children', () => {
    const units = syntheticDistrict({
      bbox: [117, 36.6, 117.05, 36.66],
      grids: 20,
      communities: 4,
      streets: 2,
      seed: 9,
    });
    const features = units
      .map((u) =>
        feature(
          { code: u.code, name: u.name, level: u.level, parent: u.parentCode, kind: u.kind },
          u.geometry.coordinates,
        ),
      )
      .reverse();
    const parsed = parseUnitImport(JSON.stringify(fcOf(...features)));
    expect(parsed).toHaveLength(units.length);
    const seen = new Set<string>();
    for (const p of parsed) {
      if (p.parentCode) expect(seen.has(p.parentCode)).toBe(true);
      seen.add(p.code);
    }
    expect(parsed.filter((p) => p.level === 'dedicatedGrid').every((p) => p.kind !== null)).toBe(true);
  });

  it('accepts parents that already exist and numeric codes', () => {
    const parsed = parseUnitImport(
      fcOf(feature({ code: 370112001001001, name: '第1网格', level: 'basicGrid', parent: '370112001001' })),
      existing,
    );
    expect(parsed).toEqual([
      {
        code: '370112001001001',
        name: '第1网格',
        level: 'basicGrid',
        parentCode: '370112001001',
        kind: null,
        geometry: expect.any(Object),
      },
    ]);
  });

  it('names every bad feature and the reason', () => {
    const issues = issuesOf(() =>
      parseUnitImport(
        fcOf(
          feature({ code: '370112001001001', name: 'ok', level: 'basicGrid', parent: '370112001001' }),
          feature({ code: '37011200100100', name: 'short', level: 'basicGrid', parent: '370112001001' }),
          feature({ code: '370112001001002', name: '', level: 'basicGrid', parent: '370112001001' }),
          feature({ code: '370112001001003', name: 'x', level: 'grid', parent: '370112001001' }),
          feature({ code: '370112001001001', name: 'dup', level: 'basicGrid', parent: '370112001001' }),
          feature({ code: '370112009001001', name: 'orphan', level: 'basicGrid', parent: '370112009001' }),
          feature({ code: '370112001001', name: 'c', level: 'basicGrid', parent: '370112001' }),
          feature({ code: '370112001001004', name: 'g', level: 'basicGrid', parent: '370112001001' }, [
            [[117, 36]],
          ]),
          feature({
            code: '370112001001501',
            name: 'd',
            level: 'dedicatedGrid',
            parent: '370112001001001',
            kind: 'zoo',
          }),
          feature({
            code: '370112001001005',
            name: 'k',
            level: 'basicGrid',
            parent: '370112001001',
            kind: 'school',
          }),
          feature({ code: '370112001002', name: 'wrong parent level', level: 'community', parent: '370112' }),
          'not a feature',
          { type: 'Feature', properties: null, geometry: null },
        ),
        existing,
      ),
    );
    const at = (i: number): string[] => issues.filter((x) => x.feature === i).map((x) => x.path);
    expect(at(0)).toEqual([]);
    expect(at(1)).toEqual(['properties.code']);
    expect(at(2)).toEqual(['properties.name']);
    expect(at(3)).toEqual(['properties.level']);
    expect(issues.find((x) => x.feature === 4)?.reason).toMatch(/duplicate code, first in feature 0/);
    expect(issues.find((x) => x.feature === 5)?.reason).toMatch(/neither in the file nor in the structure/);
    expect(at(6)).toContain('properties.level');
    expect(at(7)).toEqual(['geometry.coordinates[0]']);
    expect(at(8)).toEqual(['properties.kind']);
    expect(at(9)).toEqual(['properties.kind']);
    expect(issues.find((x) => x.feature === 10)?.reason).toMatch(/a community needs a street/);
    expect(at(11)).toEqual(['']);
    expect(at(12)).toEqual(['properties', 'geometry']);
    expect(issues.find((x) => x.feature === 1)?.code).toBe('37011200100100');
  });

  it.each([
    ['not JSON', '{"type":'],
    ['not a collection', { type: 'Feature' }],
    ['no features', fcOf()],
    ['null', null],
  ])('rejects %s as a whole', (_name, input) => {
    expect(issuesOf(() => parseUnitImport(input))[0]?.feature).toBe(-1);
  });
});

describe('parseUnitImport fuzzing', () => {
  const expectOnlyAppError = (input: unknown): void => {
    try {
      parseUnitImport(input, existing);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('IMPORT_INVALID');
    }
  };

  it('throws nothing but IMPORT_INVALID on arbitrary values and JSON text', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
        expectOnlyAppError,
      ),
      {
        numRuns: 500,
      },
    );
    fc.assert(fc.property(fc.json(), expectOnlyAppError), { numRuns: 300 });
  });

  it('throws nothing but IMPORT_INVALID on near-valid collections', () => {
    const value = fc.oneof(
      fc.anything({ withNullPrototype: true }),
      fc.constantFrom(
        '370112001001001',
        '370112001001',
        '370112',
        'basicGrid',
        'community',
        'dedicatedGrid',
        'school',
        null,
      ),
      fc.integer(),
    );
    const coordinate = fc.oneof(fc.double(), fc.constantFrom(117, 36, 117.001, 36.001));
    const geometry = fc.oneof(
      value,
      fc.record({
        type: fc.constantFrom('Polygon', 'MultiPolygon', 'Point'),
        coordinates: fc.oneof(
          value,
          fc.array(fc.array(fc.array(coordinate, { maxLength: 3 }), { maxLength: 6 }), { maxLength: 3 }),
        ),
      }),
      fc.constant({ type: 'Polygon', coordinates: square(117, 36) }),
    );
    const feat = fc.record(
      {
        type: fc.oneof(fc.constant('Feature'), value),
        properties: fc.oneof(
          value,
          fc.record(
            { code: value, name: value, level: value, parent: value, kind: value },
            { requiredKeys: [] },
          ),
        ),
        geometry,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(feat, { maxLength: 8 }), (features) =>
        expectOnlyAppError({ type: 'FeatureCollection', features }),
      ),
      { numRuns: 500 },
    );
  });
});
