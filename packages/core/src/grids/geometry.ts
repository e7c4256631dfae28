import type { MultiPolygon as ClipMultiPolygon, Polygon as ClipPolygon } from 'polygon-clipping';
import type { AreaGeometry, PolygonCoords, Position } from '../governance/unit.js';

/** Bounding box `[minLng, minLat, maxLng, maxLat]`. */
export type GeometryBbox = [number, number, number, number];
export type { ClipMultiPolygon, ClipPolygon };

/** Same constant as turf/area (WGS84 semi-major axis), so areas match what GIS users see. */
export const EARTH_RADIUS_M = 6_378_137;
const RAD = Math.PI / 180;

/** The polygons of a geometry as a list (a Polygon becomes a list of one). */
export function polygonsOfGeometry(geometry: AreaGeometry): PolygonCoords[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Bounding box of a geometry (outer rings suffice: holes lie inside them). */
export function geometryBbox(geometry: AreaGeometry): GeometryBbox {
  const box: GeometryBbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOfGeometry(geometry)) {
    for (const [x, y] of polygon[0] ?? []) {
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
  }
  return box;
}

/** True when two bounding boxes intersect or touch. */
export function bboxesIntersect(a: GeometryBbox, b: GeometryBbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Geodesic area in m² of a lng/lat ring, unsigned (spherical excess, as turf/area). */
export function ringAreaM2(ring: readonly Position[]): number {
  const n = ring.length - 1;
  if (n <= 2) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i] as Position;
    const middle = ring[i + 1 === n ? 0 : i + 1] as Position;
    const upper = ring[i + 2 >= n ? (i + 2) % n : i + 2] as Position;
    total += (upper[0] - lower[0]) * RAD * Math.sin(middle[1] * RAD);
  }
  return Math.abs((total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

/** Geodesic area in m² of one polygon: outer ring minus holes. */
export function polygonAreaM2(polygon: readonly (readonly Position[])[]): number {
  let area = 0;
  polygon.forEach((ring, i) => {
    area += i === 0 ? ringAreaM2(ring) : -ringAreaM2(ring);
  });
  return area;
}

/** Geodesic area in m² of a Polygon or MultiPolygon. */
export function geodesicArea(geometry: AreaGeometry): number {
  let area = 0;
  for (const polygon of polygonsOfGeometry(geometry)) area += polygonAreaM2(polygon);
  return area;
}

/** Geodesic area in m² of a polygon-clipping MultiPolygon. */
export function clippingAreaM2(mp: ClipMultiPolygon): number {
  let area = 0;
  for (const polygon of mp) area += polygonAreaM2(polygon);
  return area;
}

/**
 * Even-odd crossing test of one ring. The crossing abscissa is always computed from the lower
 * endpoint of the edge, so two polygons sharing an edge evaluate it bit-identically and a point on
 * the shared edge belongs to exactly one of them: partitions stay gap-free under rounding.
 */
export function ringContainsPoint(ring: readonly Position[], x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i] as Position;
    const b = ring[j] as Position;
    if (a[1] > y !== b[1] > y) {
      const lo = a[1] < b[1] ? a : b;
      const hi = lo === a ? b : a;
      if (x < lo[0] + ((y - lo[1]) * (hi[0] - lo[0])) / (hi[1] - lo[1])) inside = !inside;
    }
  }
  return inside;
}

/** Exact point-in-polygon (even-odd over all rings, so holes are respected). */
export function polygonContainsPoint(
  polygon: readonly (readonly Position[])[],
  x: number,
  y: number,
): boolean {
  let inside = false;
  for (const ring of polygon) if (ringContainsPoint(ring, x, y)) inside = !inside;
  return inside;
}

/** Exact point-in-geometry for Polygon and MultiPolygon. */
export function geometryContainsPoint(geometry: AreaGeometry, x: number, y: number): boolean {
  if (geometry.type === 'Polygon') return polygonContainsPoint(geometry.coordinates, x, y);
  for (const polygon of geometry.coordinates) if (polygonContainsPoint(polygon, x, y)) return true;
  return false;
}

/** Area-weighted planar centroid (may lie outside a non-convex shape; see representativePoint). */
export function geometryCentroid(geometry: AreaGeometry): Position {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const [ox, oy] =
    geometry.type === 'Polygon'
      ? firstPosition(geometry.coordinates)
      : firstPosition(geometry.coordinates[0] ?? []);
  for (const polygon of polygonsOfGeometry(geometry)) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        // relative to an origin on the shape, which keeps the cross products well-conditioned at lng≈117
        const [x1, y1] = ring[i] as Position;
        const [x2, y2] = ring[i + 1] as Position;
        const f = (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy);
        a += f;
        cx += (x1 - ox + (x2 - ox)) * f;
        cy += (y1 - oy + (y2 - oy)) * f;
      }
    }
  }
  if (a === 0) {
    const [x0, y0, x1, y1] = geometryBbox(geometry);
    return [(x0 + x1) / 2, (y0 + y1) / 2];
  }
  return [ox + cx / (3 * a), oy + cy / (3 * a)];
}

function firstPosition(polygon: PolygonCoords): Position {
  return polygon[0]?.[0] ?? [0, 0];
}

/** Midpoint and width of the widest inside interval on the horizontal line at `y`, or null. */
function widestIntervalAt(polygons: PolygonCoords[], y: number): { x: number; width: number } | null {
  const xs: number[] = [];
  for (const polygon of polygons) {
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
    const lo = xs[i] as number;
    const hi = xs[i + 1] as number;
    if (!best || hi - lo > best.width) best = { x: (lo + hi) / 2, width: hi - lo };
  }
  return best;
}

/**
 * A point inside the geometry: the centroid when it is inside, otherwise the middle of the widest
 * inside interval on scanlines halfway between vertex latitudes (such lines miss every vertex, so
 * the interval ends are exact crossings and some line must cut the interior of a non-empty shape).
 * Falls back to the bbox centre only for zero-area input.
 */
export function representativePoint(geometry: AreaGeometry): Position {
  const c = geometryCentroid(geometry);
  if (geometryContainsPoint(geometry, c[0], c[1])) return c;
  const polygons = polygonsOfGeometry(geometry);
  const ys = [...new Set(polygons.flatMap((p) => (p[0] ?? []).map((q) => q[1])))].sort((p, q) => p - q);
  const lines: Array<{ y: number; gap: number }> = [];
  for (let i = 0; i + 1 < ys.length; i++) {
    const lo = ys[i] as number;
    const hi = ys[i + 1] as number;
    lines.push({ y: (lo + hi) / 2, gap: hi - lo });
  }
  lines.sort((p, q) => q.gap - p.gap);
  let best: { x: number; y: number; score: number } | null = null;
  for (const [k, line] of lines.entries()) {
    const w = widestIntervalAt(polygons, line.y);
    // a fat interval far from vertex rows makes a good label point; keep going only while none works
    if (w && (!best || w.width * line.gap > best.score) && geometryContainsPoint(geometry, w.x, line.y)) {
      best = { x: w.x, y: line.y, score: w.width * line.gap };
    }
    // past a few good candidates, or on zero-area input, further lines are not worth their cost
    if ((best && k >= 16) || k >= 512) break;
  }
  if (best) return [best.x, best.y];
  const [x0, y0, x1, y1] = geometryBbox(geometry);
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

/** Our geometry in polygon-clipping's MultiPolygon format (shares the position arrays). */
export function toClipping(geometry: AreaGeometry): ClipMultiPolygon {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** A polygon-clipping result as a Polygon/MultiPolygon, or null when it is empty. */
export function fromClipping(mp: ClipMultiPolygon): AreaGeometry | null {
  const [first] = mp;
  if (!first) return null;
  if (mp.length === 1) return { type: 'Polygon', coordinates: first };
  return { type: 'MultiPolygon', coordinates: mp };
}
