import { AppError } from '../shared/errors.js';

/** Levels of the governance structure (一网统筹). */
export const UNIT_LEVELS = ['district', 'street', 'community', 'basicGrid', 'dedicatedGrid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Kinds of dedicated grid (专属网格) that lie inside basic grids. */
export const DEDICATED_GRID_KINDS = [
  'school',
  'hospital',
  'market',
  'enterprise',
  'industrialPark',
  'constructionSite',
  'residentialComplex',
  'other',
] as const;
export type DedicatedGridKind = (typeof DEDICATED_GRID_KINDS)[number];

/** The level each level's parent must have. */
export const PARENT_LEVEL: Record<UnitLevel, UnitLevel | null> = {
  district: null,
  street: 'district',
  community: 'street',
  basicGrid: 'community',
  dedicatedGrid: 'basicGrid',
};

export type Position = [number, number];
export type PolygonCoords = Position[][];
export type MultiPolygonCoords = Position[][][];
export type AreaGeometry =
  { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: MultiPolygonCoords };

/** A unit of the structure: district, street, community, basic or dedicated grid. */
export interface Unit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: DedicatedGridKind | null;
  parentId: string | null;
  /** Materialised path of codes, `/370112/370112001/…/`: the data-scope filter is a prefix range on it. */
  path: string;
  geometry: AreaGeometry | null;
  areaM2: number | null;
}

/**
 * Unit codes (documented in docs/unit-codes.md):
 * district 6 digits (GB/T 2260 division code, 370112), street +3 (001–999), community +3, grid +3.
 * Basic grids are numbered 001–499 and dedicated grids 501–999 within their community, each in
 * reading order of their centroids: rows north→south, west→east within a row.
 */
const CODE_LENGTH: Record<UnitLevel, number> = {
  district: 6,
  street: 9,
  community: 12,
  basicGrid: 15,
  dedicatedGrid: 15,
};

/** Code length a level must have. */
export function codeLengthOf(level: UnitLevel): number {
  return CODE_LENGTH[level];
}

/** Checks that a code fits its level and its parent's code; returns a reason or null. */
export function codeProblem(level: UnitLevel, code: string, parentCode: string | null): string | null {
  if (!/^\d+$/.test(code)) return 'code must be digits only';
  if (code.length !== CODE_LENGTH[level]) return `a ${level} code has ${CODE_LENGTH[level]} digits`;
  if (level === 'district') return parentCode === null ? null : 'a district has no parent';
  if (parentCode === null) return `a ${level} needs a parent`;
  if (level === 'dedicatedGrid') {
    // dedicated grids share the community prefix of their basic grid and use sequences 501–999
    if (code.slice(0, 12) !== parentCode.slice(0, 12))
      return 'a dedicated grid code starts with its community code';
    const seq = Number(code.slice(12));
    return seq >= 501 ? null : 'dedicated grid sequence must be 501–999';
  }
  if (!code.startsWith(parentCode)) return `code must start with the parent code ${parentCode}`;
  const seq = Number(code.slice(parentCode.length));
  if (seq === 0) return 'sequence 000 is not allowed';
  if (level === 'basicGrid' && seq > 499) return 'basic grid sequence must be 001–499';
  return null;
}

/** Builds a child code from its parent code and a 1-based sequence number. */
export function childCode(parentCode: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 999)
    throw new AppError('VALIDATION_FAILED', `bad sequence ${seq}`);
  return parentCode + String(seq).padStart(3, '0');
}

/** The path of a unit given its parent's path. */
export function unitPath(parentPath: string | null, code: string): string {
  return `${parentPath ?? '/'}${code}/`;
}

/** True when `path` is the unit at `scopePath` or below it. */
export function isWithinPath(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}

/** Sorts items in reading order (rows north→south, west→east in a row) by a representative point. */
export function readingOrder<T>(items: T[], pointOf: (t: T) => Position, rowHeight: number): T[] {
  return [...items].sort((a, b) => {
    const [ax, ay] = pointOf(a);
    const [bx, by] = pointOf(b);
    const ra = Math.floor(-ay / rowHeight);
    const rb = Math.floor(-by / rowHeight);
    return ra !== rb ? ra - rb : ax - bx;
  });
}
