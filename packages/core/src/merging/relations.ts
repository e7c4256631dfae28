/**
 * How two reports relate apart from their words: place, grid, category, time. Each relation is
 * a plain value here; scoring.ts turns them into evidence.
 */

/** A WGS84 point in degrees. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** A category in the 3-level taxonomy (names or codes; compared as given). */
export interface CategoryPath {
  level1?: string | null;
  level2?: string | null;
  level3?: string | null;
}

const EARTH_MEAN_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine, mean Earth radius): ample for a few kilometres. */
export function haversineM(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_MEAN_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** How close two categories are, most specific first. */
export type CategoryRelation = 'sameLeaf' | 'sameLevel2' | 'sameLevel1' | 'unrelated' | 'unknown';

const present = (s: string | null | undefined): s is string => typeof s === 'string' && s.length > 0;

/**
 * Compares two category paths. A level only counts when both sides have it; a path missing its
 * first level (or a missing path) is `unknown`, which scoring treats as no evidence either way.
 */
export function categoryRelation(
  a: CategoryPath | null | undefined,
  b: CategoryPath | null | undefined,
): CategoryRelation {
  if (!a || !b || !present(a.level1) || !present(b.level1)) return 'unknown';
  if (a.level1 !== b.level1) return 'unrelated';
  if (!present(a.level2) || !present(b.level2) || a.level2 !== b.level2) return 'sameLevel1';
  if (!present(a.level3) || !present(b.level3) || a.level3 !== b.level3) return 'sameLevel2';
  return 'sameLeaf';
}

/** Where two reports lie in the grid network. */
export type GridRelation = 'same' | 'neighbour' | 'other' | 'unknown';

/** Compares two grids; `isNeighbour` answers adjacency (from the grid topology). */
export function gridRelation(
  a: string | null | undefined,
  b: string | null | undefined,
  isNeighbour?: (a: string, b: string) => boolean,
): GridRelation {
  if (!present(a) || !present(b)) return 'unknown';
  if (a === b) return 'same';
  if (!isNeighbour) return 'unknown';
  return isNeighbour(a, b) || isNeighbour(b, a) ? 'neighbour' : 'other';
}

/** What the grid/time pre-filter needs to know about an existing case. */
export interface WindowCase {
  gridCode?: string | null;
  /** When the case was reported (epoch ms). */
  time: number;
  /** When it was closed (epoch ms); null or absent while open. */
  closedAt?: number | null;
}

/** Options of {@link isInCandidateWindow}. */
export interface CandidateWindowOptions {
  /** Cases reported more than this many days before the report are ignored. Default 30. */
  windowDays?: number;
  /** Closed cases stay candidates this many days after closing (reopen instead of new case). Default 7. */
  recentlyClosedDays?: number;
  /** Grid adjacency; without it only the same grid passes the grid test. */
  isNeighbour?: (a: string, b: string) => boolean;
}

const DAY_MS = 86_400_000;

/**
 * The cheap filter that complements the LSH index: same or neighbouring grid (when the report
 * has one), reported within the window, open or closed only recently. Mirrors the SQL in the
 * design note of lsh.ts so tests can check the query.
 */
export function isInCandidateWindow(
  report: { gridCode?: string | null; time: number },
  candidate: WindowCase,
  options: CandidateWindowOptions = {},
): boolean {
  const windowMs = (options.windowDays ?? 30) * DAY_MS;
  const closedMs = (options.recentlyClosedDays ?? 7) * DAY_MS;
  if (candidate.time < report.time - windowMs) return false;
  if (candidate.closedAt != null && candidate.closedAt < report.time - closedMs) return false;
  const g = gridRelation(report.gridCode, candidate.gridCode, options.isNeighbour);
  return g === 'same' || g === 'neighbour' || (g === 'unknown' && !present(report.gridCode));
}
