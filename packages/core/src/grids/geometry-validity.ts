import type { AreaGeometry, PolygonCoords, Position } from '../governance/unit.js';
import { ringAreaM2 } from './geometry.js';

/** One problem found in a geometry: where (`geometry.coordinates[0][3]`) and why. */
export interface GeometryIssue {
  path: string;
  reason: string;
}

/** Rings smaller than this are slivers that no real grid boundary produces. */
const MIN_RING_AREA_M2 = 1e-6;
/** A hostile file could make every position bad; a few reasons per geometry are enough to act on. */
const MAX_ISSUES = 20;

/**
 * Checks an untrusted value as a WGS84 Polygon/MultiPolygon: shape, finite in-range positions,
 * closed rings of at least 4 positions, no zero-area ring, no self-intersecting ring. Returns a
 * clean copy (positions reduced to `[lng, lat]`) when there is no issue.
 */
export function checkGeometry(
  value: unknown,
  path = 'geometry',
): { geometry: AreaGeometry | null; issues: GeometryIssue[] } {
  const issues: GeometryIssue[] = [];
  if (!isRecord(value)) return { geometry: null, issues: [{ path, reason: 'geometry must be an object' }] };
  const { type, coordinates } = value;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return {
      geometry: null,
      issues: [{ path: `${path}.type`, reason: 'geometry must be a Polygon or MultiPolygon' }],
    };
  }
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    return {
      geometry: null,
      issues: [{ path: `${path}.coordinates`, reason: 'coordinates must be a non-empty array' }],
    };
  }
  const polygons: PolygonCoords[] = [];
  const rawPolygons: unknown[] = type === 'Polygon' ? [coordinates] : coordinates;
  // index loops, not forEach: forEach skips the holes of sparse arrays, which must count as bad parts
  for (let p = 0; p < rawPolygons.length && issues.length < MAX_ISSUES; p++) {
    const polyPath = type === 'Polygon' ? `${path}.coordinates` : `${path}.coordinates[${p}]`;
    const polygon = checkPolygon(rawPolygons[p], polyPath, issues);
    if (polygon) polygons.push(polygon);
  }
  if (issues.length || polygons.length !== rawPolygons.length) {
    return {
      geometry: null,
      issues: issues.length ? issues.slice(0, MAX_ISSUES) : [{ path, reason: 'invalid geometry' }],
    };
  }
  const geometry: AreaGeometry =
    type === 'Polygon'
      ? { type, coordinates: polygons[0] as PolygonCoords }
      : { type: 'MultiPolygon', coordinates: polygons };
  return { geometry, issues };
}

/** The reasons a geometry is invalid (empty when it is valid). */
export function geometryProblems(value: unknown): GeometryIssue[] {
  return checkGeometry(value).issues;
}

function checkPolygon(raw: unknown, path: string, issues: GeometryIssue[]): PolygonCoords | null {
  if (!Array.isArray(raw) || raw.length === 0) {
    issues.push({ path, reason: 'a polygon must be a non-empty array of rings' });
    return null;
  }
  const rings: Position[][] = [];
  for (let r = 0; r < raw.length && issues.length < MAX_ISSUES; r++) {
    const checked = checkRing(raw[r], `${path}[${r}]`, issues);
    if (checked) rings.push(checked);
  }
  return rings.length === raw.length ? rings : null;
}

function checkRing(raw: unknown, path: string, issues: GeometryIssue[]): Position[] | null {
  if (!Array.isArray(raw)) {
    issues.push({ path, reason: 'a ring must be an array of positions' });
    return null;
  }
  if (raw.length < 4) {
    issues.push({ path, reason: 'a ring needs at least 4 positions' });
    return null;
  }
  const ring: Position[] = [];
  for (let i = 0; i < raw.length; i++) {
    const pos: unknown = raw[i];
    const reason = positionProblem(pos);
    if (reason) {
      issues.push({ path: `${path}[${i}]`, reason });
      return null;
    }
    const [x, y] = pos as [number, number];
    ring.push([x, y]);
  }
  const first = ring[0] as Position;
  const last = ring[ring.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    issues.push({ path, reason: 'ring is not closed (first and last positions differ)' });
    return null;
  }
  if (ringAreaM2(ring) < MIN_RING_AREA_M2) {
    issues.push({ path, reason: 'ring has zero area' });
    return null;
  }
  const crossing = selfIntersection(ring);
  if (crossing !== null) {
    issues.push({ path, reason: `ring intersects itself near position ${crossing}` });
    return null;
  }
  return ring;
}

function positionProblem(pos: unknown): string | null {
  if (!Array.isArray(pos) || pos.length < 2) return 'a position must be [lng, lat]';
  const x: unknown = pos[0];
  const y: unknown = pos[1];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
    return 'coordinates must be finite numbers';
  }
  if (x < -180 || x > 180) return 'longitude must be within [-180, 180]';
  if (y < -90 || y > 90) return 'latitude must be within [-90, 90]';
  return null;
}

function orient(a: Position, b: Position, c: Position): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function between(a: Position, b: Position, c: Position): boolean {
  return (
    Math.min(a[0], b[0]) <= c[0] &&
    c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] &&
    c[1] <= Math.max(a[1], b[1])
  );
}

function segmentsTouch(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && between(c, d, a)) ||
    (d2 === 0 && between(c, d, b)) ||
    (d3 === 0 && between(a, b, c)) ||
    (d4 === 0 && between(a, b, d))
  );
}

/** Past this many segment pairs a ring is left unchecked rather than let a crafted file stall the server. */
const MAX_PAIR_TESTS = 20_000_000;

/**
 * Index of a vertex where the closed ring touches or crosses itself, or null. A sweep over
 * segments sorted by min x keeps this near O(n log n) for real boundaries of thousands of points.
 */
export function selfIntersection(ring: readonly Position[]): number | null {
  // consecutive duplicates are harmless in GeoJSON but would look like touching segments
  const pts: Position[] = [];
  const at: number[] = [];
  ring.forEach((p, i) => {
    const prev = pts[pts.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) {
      pts.push(p);
      at.push(i);
    }
  });
  const first = pts[0];
  const lastP = pts[pts.length - 1];
  if (first && lastP && pts.length > 1 && first[0] === lastP[0] && first[1] === lastP[1]) pts.pop();
  const m = pts.length;
  if (m < 3) return null;
  const seg = (k: number): [Position, Position] => [pts[k] as Position, pts[(k + 1) % m] as Position];
  for (let k = 0; k < m; k++) {
    // a spike doubles back along its own edge: adjacent segments that are collinear and opposed
    const [a, b] = seg(k);
    const c = pts[(k + 2) % m] as Position;
    const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]);
    if (orient(a, b, c) === 0 && dot < 0) return at[(k + 1) % m] ?? 0;
  }
  const order = Array.from({ length: m }, (_, k) => k);
  const minX = order.map((k) => Math.min(seg(k)[0][0], seg(k)[1][0]));
  const maxX = order.map((k) => Math.max(seg(k)[0][0], seg(k)[1][0]));
  order.sort((p, q) => (minX[p] as number) - (minX[q] as number));
  let active: number[] = [];
  let work = 0;
  for (const k of order) {
    const x0 = minX[k] as number;
    work += active.length;
    if (work > MAX_PAIR_TESTS) return null;
    active = active.filter((j) => (maxX[j] as number) >= x0);
    const [a, b] = seg(k);
    for (const j of active) {
      const adjacent = Math.abs(j - k) === 1 || Math.abs(j - k) === m - 1;
      if (adjacent) continue;
      const [c, d] = seg(j);
      if (segmentsTouch(a, b, c, d)) return at[Math.min(j, k) + 1] ?? 0;
    }
    active.push(k);
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
