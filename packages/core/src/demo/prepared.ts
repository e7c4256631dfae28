import type { AreaGeometry, Position } from '../governance/unit.js';
import type { BBox } from './geo.js';
import { bboxOf, polygonsOf, segmentsIntersect } from './geo.js';

/** A geometry with its edges flattened for fast repeated point and segment tests. */
export class PreparedGeometry {
  readonly bbox: BBox;
  private readonly ax: Float64Array;
  private readonly ay: Float64Array;
  private readonly bx: Float64Array;
  private readonly by: Float64Array;

  constructor(readonly geometry: AreaGeometry) {
    this.bbox = bboxOf(geometry);
    const edges: number[] = [];
    for (const polygon of polygonsOf(geometry)) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x1, y1] = ring[i] as Position;
          const [x2, y2] = ring[i + 1] as Position;
          edges.push(x1, y1, x2, y2);
        }
      }
    }
    const n = edges.length / 4;
    this.ax = new Float64Array(n);
    this.ay = new Float64Array(n);
    this.bx = new Float64Array(n);
    this.by = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.ax[i] = edges[4 * i] as number;
      this.ay[i] = edges[4 * i + 1] as number;
      this.bx[i] = edges[4 * i + 2] as number;
      this.by[i] = edges[4 * i + 3] as number;
    }
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.ax.length;
  }

  /** True when the point is inside (even-odd over all rings). */
  contains(x: number, y: number): boolean {
    const [x0, y0, x1, y1] = this.bbox;
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    let inside = false;
    const { ax, ay, bx, by } = this;
    for (let i = 0; i < ax.length; i++) {
      const yi = ay[i] as number;
      const yj = by[i] as number;
      if (yi > y !== yj > y) {
        const xi = ax[i] as number;
        const xj = bx[i] as number;
        if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  }

  /** True when any edge of the geometry touches or crosses segment pq. */
  crossesSegment(p: Position, q: Position): boolean {
    const minX = Math.min(p[0], q[0]);
    const maxX = Math.max(p[0], q[0]);
    const minY = Math.min(p[1], q[1]);
    const maxY = Math.max(p[1], q[1]);
    const { ax, ay, bx, by } = this;
    for (let i = 0; i < ax.length; i++) {
      const x1 = ax[i] as number;
      const y1 = ay[i] as number;
      const x2 = bx[i] as number;
      const y2 = by[i] as number;
      if (Math.max(x1, x2) < minX || Math.min(x1, x2) > maxX) continue;
      if (Math.max(y1, y2) < minY || Math.min(y1, y2) > maxY) continue;
      if (segmentsIntersect(p, q, [x1, y1], [x2, y2])) return true;
    }
    return false;
  }

  /** True when any vertex of the geometry lies inside the given closed ring (within its box first). */
  hasVertexInside(ring: Position[], ringBox: BBox): boolean {
    const { ax, ay } = this;
    for (let i = 0; i < ax.length; i++) {
      const x = ax[i] as number;
      const y = ay[i] as number;
      if (x < ringBox[0] || x > ringBox[2] || y < ringBox[1] || y > ringBox[3]) continue;
      if (ringContains(ring, x, y)) return true;
    }
    return false;
  }

  /**
   * True when the closed ring lies strictly inside the geometry: every vertex inside, no edge of the
   * geometry touching the ring's edges and no vertex of the geometry inside the ring.
   */
  containsRing(ring: Position[]): boolean {
    const box = ringBBox(ring);
    const [x0, y0, x1, y1] = this.bbox;
    if (box[0] < x0 || box[1] < y0 || box[2] > x1 || box[3] > y1) return false;
    for (const [x, y] of ring) if (!this.contains(x, y)) return false;
    for (let i = 0; i + 1 < ring.length; i++) {
      if (this.crossesSegment(ring[i] as Position, ring[i + 1] as Position)) return false;
    }
    return !this.hasVertexInside(ring, box);
  }
}

/** Bounding box of a ring. */
export function ringBBox(ring: Position[]): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  }
  return box;
}

function ringContains(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
