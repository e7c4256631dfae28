import type { AreaGeometry, MultiPolygonCoords, PolygonCoords, Position } from '../governance/unit.js';
import { geometryBbox, geometryContainsPoint } from '../grids/geometry.js';

/** Planar geometry helpers on lng/lat coordinates, local to the demo generator. */

const EARTH_RADIUS_M = 6_378_137;
const RAD = Math.PI / 180;

export type BBox = [minX: number, minY: number, maxX: number, maxY: number];

/** The polygons of a geometry as a list (a Polygon becomes a list of one). */
export function polygonsOf(geometry: AreaGeometry): PolygonCoords[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** A Polygon when there is one polygon, otherwise a MultiPolygon. */
export function geometryFromPolygons(polygons: MultiPolygonCoords): AreaGeometry {
  const [first] = polygons;
  if (polygons.length === 1 && first) return { type: 'Polygon', coordinates: first };
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** Signed planar area of a closed ring (positive when counter-clockwise). */
export function ringSignedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as Position;
    const [x2, y2] = ring[i + 1] as Position;
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/**
 * Area in m² on the sphere of a closed ring whose edges are straight in lng/lat (as GeoJSON tools
 * draw them): the exact integral of R²·cos(lat) over the ring. Unlike the usual trapezoid formula it
 * is additive, so the areas of a partition add up to the area of the whole.
 */
export function ringGeodesicArea(ring: Position[]): number {
  let total = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as Position;
    const [x2, y2] = ring[i + 1] as Position;
    const half = ((y2 - y1) * RAD) / 2;
    const sinc = half === 0 ? 1 : Math.sin(half) / half;
    // ∫ sin(lat) dlng along the straight edge
    total += (x2 - x1) * RAD * Math.sin(((y1 + y2) / 2) * RAD) * sinc;
  }
  return Math.abs(total * EARTH_RADIUS_M * EARTH_RADIUS_M);
}

/** Geodesic area in m² of a polygon or multipolygon (holes subtracted). */
export function geodesicArea(geometry: AreaGeometry): number {
  let area = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, i) => {
      area += i === 0 ? ringGeodesicArea(ring) : -ringGeodesicArea(ring);
    });
  }
  return area;
}

/** True when the point is inside the closed ring (even-odd rule). */
export function pointInRing(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when the point lies inside a polygon (outer ring minus holes). */
export function pointInPolygon(polygon: PolygonCoords, x: number, y: number): boolean {
  let inside = false;
  for (const ring of polygon) if (pointInRing(ring, x, y)) inside = !inside;
  return inside;
}

/** True when the point lies inside the geometry (the grids module's exact test). */
export const pointInGeometry = geometryContainsPoint;

/** Bounding box of a geometry (the grids module's). */
export const bboxOf: (geometry: AreaGeometry) => BBox = geometryBbox;

/** Area-weighted planar centroid of a geometry (may lie outside a non-convex shape). */
export function centroidOf(geometry: AreaGeometry): Position {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i] as Position;
        const [x2, y2] = ring[i + 1] as Position;
        const f = x1 * y2 - x2 * y1;
        a += f;
        cx += (x1 + x2) * f;
        cy += (y1 + y2) * f;
      }
    }
  }
  if (a === 0) {
    const [x0, y0, x1, y1] = bboxOf(geometry);
    return [(x0 + x1) / 2, (y0 + y1) / 2];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/** Midpoint of the widest inside interval of the horizontal line at `y`, or null. */
function widestIntervalAt(geometry: AreaGeometry, y: number): { x: number; width: number } | null {
  const xs: number[] = [];
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i] as Position;
        const [x2, y2] = ring[i + 1] as Position;
        if (y1 > y !== y2 > y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
      }
    }
  }
  xs.sort((p, q) => p - q);
  let best: { x: number; width: number } | null = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const width = (xs[i + 1] as number) - (xs[i] as number);
    if (!best || width > best.width) best = { x: ((xs[i] as number) + (xs[i + 1] as number)) / 2, width };
  }
  return best;
}

/** A point guaranteed (by a final check) to lie inside the geometry; near its centroid when possible. */
export function interiorPoint(geometry: AreaGeometry): Position {
  const c = centroidOf(geometry);
  if (pointInGeometry(geometry, c[0], c[1])) return c;
  const [, y0, , y1] = bboxOf(geometry);
  const ys = [c[1], ...[0.5, 0.3, 0.7, 0.4, 0.6, 0.2, 0.8, 0.1, 0.9].map((f) => y0 + f * (y1 - y0))];
  let best: { x: number; y: number; width: number } | null = null;
  for (const y of ys) {
    const w = widestIntervalAt(geometry, y);
    if (w && (!best || w.width > best.width)) best = { x: w.x, y, width: w.width };
  }
  if (best && pointInGeometry(geometry, best.x, best.y)) return [best.x, best.y];
  throw new Error('no interior point found');
}

/** True when segments ab and cd properly cross or touch. */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && onSegment(c, d, a)) ||
    (d2 === 0 && onSegment(c, d, b)) ||
    (d3 === 0 && onSegment(a, b, c)) ||
    (d4 === 0 && onSegment(a, b, d))
  );
}

function cross(o: Position, p: Position, q: Position): number {
  return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]);
}

function onSegment(p: Position, q: Position, r: Position): boolean {
  return (
    Math.min(p[0], q[0]) <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) &&
    Math.min(p[1], q[1]) <= r[1] &&
    r[1] <= Math.max(p[1], q[1])
  );
}

/** Metres per degree of longitude and latitude at a latitude. */
export function metresPerDegree(lat: number): { lng: number; lat: number } {
  const perLat = (Math.PI / 180) * EARTH_RADIUS_M;
  return { lng: perLat * Math.cos(lat * RAD), lat: perLat };
}

/** Distance in metres between two nearby lng/lat points (local flat approximation). */
export function localDistanceM(a: Position, b: Position): number {
  const m = metresPerDegree((a[1] + b[1]) / 2);
  return Math.hypot((a[0] - b[0]) * m.lng, (a[1] - b[1]) * m.lat);
}

/** A copy of the ring turned counter-clockwise (outer) or clockwise (hole). */
export function orientRing(ring: Position[], counterClockwise: boolean): Position[] {
  const ccw = ringSignedArea(ring) > 0;
  return ccw === counterClockwise ? ring : [...ring].reverse();
}
