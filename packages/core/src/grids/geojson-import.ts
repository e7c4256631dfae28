import type { AreaGeometry, DedicatedGridKind, UnitLevel } from '../governance/unit.js';
import { codeProblem, DEDICATED_GRID_KINDS, PARENT_LEVEL, UNIT_LEVELS } from '../governance/unit.js';
import { AppError, isAppError } from '../shared/errors.js';
import { checkGeometry } from './geometry-validity.js';

/** One problem of an import file; `feature` is the index in `features` (−1 for the file itself). */
export interface ImportIssue {
  feature: number;
  code?: string;
  path: string;
  reason: string;
}

/** A unit read from an import file. */
export interface ImportedUnit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  kind: DedicatedGridKind | null;
  geometry: AreaGeometry;
}

/** The district has ~3,000 units; anything far beyond is a wrong file or an attack. */
export const MAX_IMPORT_FEATURES = 20_000;
const MAX_NAME_LENGTH = 100;
/** Enough to fix a file in one round; beyond that the count in the message says the rest. */
const MAX_REPORTED_ISSUES = 1_000;

const LEVEL_RANK = new Map<unknown, number>(UNIT_LEVELS.map((l, i) => [l, i]));
const KINDS = new Set<unknown>(DEDICATED_GRID_KINDS);

type Raw = Record<string, unknown>;

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Codes may come as numbers from GIS tools with numeric columns; leading zeros cannot occur (37…). */
function asCode(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
}

function fail(issues: ImportIssue[], message?: string): AppError {
  const features = new Set(issues.map((i) => i.feature)).size;
  return new AppError(
    'IMPORT_INVALID',
    message ?? `${features} feature(s) invalid, ${issues.length} issue(s)`,
    {
      issues: issues.slice(0, MAX_REPORTED_ISSUES),
    },
  );
}

interface Parsed {
  index: number;
  code: string | null;
  name: string | null;
  level: UnitLevel | null;
  parentCode: string | null;
  parentOk: boolean;
  kind: DedicatedGridKind | null;
  geometry: AreaGeometry | null;
}

function parseFeature(
  f: unknown,
  index: number,
  existing: ReadonlyMap<string, UnitLevel>,
  issues: ImportIssue[],
): Parsed {
  const out: Parsed = {
    index,
    code: null,
    name: null,
    level: null,
    parentCode: null,
    parentOk: false,
    kind: null,
    geometry: null,
  };
  const issue = (path: string, reason: string): void => {
    issues.push(
      out.code === null ? { feature: index, path, reason } : { feature: index, code: out.code, path, reason },
    );
  };
  if (!isRecord(f)) {
    issue('', 'a feature must be an object');
    return out;
  }
  if (f.type !== 'Feature') issue('type', 'type must be "Feature"');
  const p = f.properties;
  if (!isRecord(p)) {
    issue('properties', 'properties must be an object with code, name, level and parent');
  } else {
    out.code = asCode(p.code);
    if (out.code === null) issue('properties.code', 'code must be a string of digits');
    if (typeof p.name === 'string' && p.name.trim() !== '' && p.name.length <= MAX_NAME_LENGTH)
      out.name = p.name.trim();
    else issue('properties.name', `name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    if (LEVEL_RANK.has(p.level)) out.level = p.level as UnitLevel;
    else issue('properties.level', `level must be one of ${UNIT_LEVELS.join(', ')}`);
    const parent = p.parent === undefined || p.parent === null ? null : asCode(p.parent);
    if (parent === null && p.parent !== undefined && p.parent !== null) {
      issue('properties.parent', 'parent must be a code or null');
    } else {
      out.parentCode = parent;
      out.parentOk = true;
    }
    const kind = p.kind;
    if (out.level === 'dedicatedGrid') {
      if (kind === undefined || kind === null) out.kind = null;
      else if (KINDS.has(kind)) out.kind = kind as DedicatedGridKind;
      else issue('properties.kind', `kind must be one of ${DEDICATED_GRID_KINDS.join(', ')}`);
    } else if (kind !== undefined && kind !== null && out.level !== null) {
      issue('properties.kind', 'only dedicated grids have a kind');
    }
    if (out.code !== null && out.level !== null && out.parentOk) {
      const problem = codeProblem(out.level, out.code, out.parentCode);
      if (problem)
        issue(
          /parent/.test(problem) && !/start/.test(problem) ? 'properties.parent' : 'properties.code',
          problem,
        );
      const known = existing.get(out.code);
      if (known !== undefined && known !== out.level)
        issue('properties.level', `unit ${out.code} already exists as a ${known}`);
    }
  }
  const g = checkGeometry(f.geometry);
  for (const gi of g.issues) issue(gi.path, gi.reason);
  out.geometry = g.geometry;
  return out;
}

/**
 * Parses and validates a unit import file (GeoJSON FeatureCollection), all or nothing: returns the
 * units parents-first, or throws IMPORT_INVALID naming every bad feature. `existing` maps the codes
 * already in the structure to their level, so a file may add grids under existing communities.
 */
export function parseUnitImport(
  input: unknown,
  existing: ReadonlyMap<string, UnitLevel> = new Map(),
): ImportedUnit[] {
  try {
    return parse(input, existing);
  } catch (e) {
    if (isAppError(e)) throw e;
    // a safety net: no input may surface as a 500, whatever it contains
    throw fail(
      [{ feature: -1, path: '', reason: 'the file could not be read' }],
      'import file could not be read',
    );
  }
}

function parse(input: unknown, existing: ReadonlyMap<string, UnitLevel>): ImportedUnit[] {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input) as unknown;
    } catch {
      throw fail(
        [{ feature: -1, path: '', reason: 'the file is not valid JSON' }],
        'import file is not valid JSON',
      );
    }
  }
  if (!isRecord(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw fail(
      [{ feature: -1, path: 'type', reason: 'the file must be a GeoJSON FeatureCollection' }],
      'not a FeatureCollection',
    );
  }
  const features: unknown[] = doc.features;
  if (features.length === 0)
    throw fail([{ feature: -1, path: 'features', reason: 'the collection has no features' }]);
  if (features.length > MAX_IMPORT_FEATURES) {
    throw fail([
      { feature: -1, path: 'features', reason: `at most ${MAX_IMPORT_FEATURES} features per file` },
    ]);
  }
  const issues: ImportIssue[] = [];
  // Array.from turns the holes of a sparse array into undefined, which map() would skip
  const parsed = Array.from(features, (f, i) => parseFeature(f, i, existing, issues));

  const firstAt = new Map<string, number>();
  const inFile = new Map<string, UnitLevel>();
  for (const p of parsed) {
    if (p.code === null) continue;
    const first = firstAt.get(p.code);
    if (first !== undefined) {
      issues.push({
        feature: p.index,
        code: p.code,
        path: 'properties.code',
        reason: `duplicate code, first in feature ${first}`,
      });
      continue;
    }
    firstAt.set(p.code, p.index);
    if (p.level) inFile.set(p.code, p.level);
  }
  for (const p of parsed) {
    if (p.level === null || p.parentCode === null || p.code === null) continue;
    const want = PARENT_LEVEL[p.level];
    if (want === null) continue;
    // a file that redeclares an existing code with another level is reported there; trust the structure here
    const found = existing.get(p.parentCode) ?? inFile.get(p.parentCode);
    const reason =
      found === undefined
        ? `parent ${p.parentCode} is neither in the file nor in the structure`
        : found !== want
          ? `parent ${p.parentCode} is a ${found}; a ${p.level} needs a ${want}`
          : null;
    if (reason) issues.push({ feature: p.index, code: p.code, path: 'properties.parent', reason });
  }
  if (issues.length) {
    issues.sort((a, b) => a.feature - b.feature);
    throw fail(issues);
  }
  return parsed
    .map((p) => ({
      code: p.code as string,
      name: p.name as string,
      level: p.level as UnitLevel,
      parentCode: p.parentCode,
      kind: p.kind,
      geometry: p.geometry as AreaGeometry,
      rank: LEVEL_RANK.get(p.level) ?? 0,
      index: p.index,
    }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ rank: _rank, index: _index, ...unit }) => unit);
}
