import { Delaunay } from 'd3-delaunay';
import type { AreaGeometry, Position } from '../governance/unit.js';
import { createRng } from '../shared/random.js';
import type { Rng } from '../shared/random.js';
import type { GeometryBbox } from './geometry.js';

/** Options of a random Voronoi partition of a rectangle. */
export interface PartitionOptions {
  bbox: GeometryBbox;
  count: number;
  seed: number;
  /** Lloyd relaxation rounds: more rounds give rounder, more even cells. */
  relax?: number;
  /** Add 0–5 shared intermediate vertices per inner edge, so cells get ~8–40 vertices. */
  wiggle?: boolean;
}

function planarArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

function ccw(ring: Position[]): Position[] {
  return planarArea(ring) < 0 ? ring.reverse() : ring;
}

/**
 * Snaps nearly equal vertices to one shared position. Voronoi clipping computes a boundary vertex
 * once per adjacent cell and the copies can differ in the last bit, which would leave slivers.
 */
function createWelder(bbox: GeometryBbox): { weld(p: Position): number; at(id: number): Position } {
  const q = Math.max(bbox[2] - bbox[0], bbox[3] - bbox[1]) * 1e-9;
  const cells = new Map<string, number>();
  const pts: Position[] = [];
  const snap = (v: number, lo: number, hi: number): number =>
    Math.abs(v - lo) < q ? lo : Math.abs(v - hi) < q ? hi : v;
  return {
    weld([x0, y0]) {
      const x = snap(x0, bbox[0], bbox[2]);
      const y = snap(y0, bbox[1], bbox[3]);
      const kx = Math.round(x / q);
      const ky = Math.round(y / q);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const id = cells.get(`${kx + dx},${ky + dy}`);
          const p = id === undefined ? undefined : pts[id];
          if (p && id !== undefined && Math.abs(p[0] - x) <= q && Math.abs(p[1] - y) <= q) return id;
        }
      }
      pts.push([x, y]);
      cells.set(`${kx},${ky}`, pts.length - 1);
      return pts.length - 1;
    },
    at: (id) => pts[id] as Position,
  };
}

function onSameSide(a: Position, b: Position, bbox: GeometryBbox): boolean {
  return (
    (a[0] === b[0] && (a[0] === bbox[0] || a[0] === bbox[2])) ||
    (a[1] === b[1] && (a[1] === bbox[1] || a[1] === bbox[3]))
  );
}

/** Intermediate points of an inner edge, generated once per edge so both cells share them. */
function wiggleOf(a: Position, b: Position, rng: Rng): Position[] {
  const k = rng.int(0, 5);
  const ts = Array.from({ length: k }, () => 0.25 + 0.5 * rng.next()).sort((p, q) => p - q);
  const nx = -(b[1] - a[1]);
  const ny = b[0] - a[0];
  return ts.map((t) => {
    const off = (rng.next() - 0.5) * 0.08;
    return [a[0] + t * (b[0] - a[0]) + off * nx, a[1] + t * (b[1] - a[1]) + off * ny];
  });
}

/** A random partition of a rectangle into `count` Voronoi cells sharing exact vertices. */
export function syntheticPartition(options: PartitionOptions): AreaGeometry[] {
  const { bbox, count, seed } = options;
  const rng = createRng(seed);
  let points: Position[] = Array.from({ length: count }, () => [
    bbox[0] + rng.next() * (bbox[2] - bbox[0]),
    bbox[1] + rng.next() * (bbox[3] - bbox[1]),
  ]);
  let voronoi = Delaunay.from(points).voronoi(bbox);
  for (let round = 0; round < (options.relax ?? 2); round++) {
    points = points.map((p, i) => {
      const cell = voronoi.cellPolygon(i) as Position[] | null;
      if (!cell) return p;
      const n = cell.length - 1;
      return [
        cell.slice(0, n).reduce((s, c) => s + c[0], 0) / n,
        cell.slice(0, n).reduce((s, c) => s + c[1], 0) / n,
      ];
    });
    voronoi = Delaunay.from(points).voronoi(bbox);
  }
  const welder = createWelder(bbox);
  const edges = new Map<string, Position[]>();
  const out: AreaGeometry[] = [];
  for (let i = 0; i < count; i++) {
    const cell = voronoi.cellPolygon(i) as Position[] | null;
    if (!cell) continue;
    const ids: number[] = [];
    for (const p of cell.slice(0, -1)) {
      const id = welder.weld(p);
      if (ids[ids.length - 1] !== id) ids.push(id);
    }
    if (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids.pop();
    if (ids.length < 3) continue;
    const ring: Position[] = [];
    ids.forEach((id, k) => {
      const next = ids[(k + 1) % ids.length] as number;
      const a = welder.at(id);
      const b = welder.at(next);
      ring.push(a);
      if (!options.wiggle || onSameSide(a, b, bbox)) return;
      const key = id < next ? `${id}-${next}` : `${next}-${id}`;
      // stored from the lower vertex id to the higher, whichever cell meets the edge first
      let canonical = edges.get(key);
      if (!canonical) {
        canonical = id < next ? wiggleOf(a, b, rng) : wiggleOf(b, a, rng);
        edges.set(key, canonical);
      }
      ring.push(...(id < next ? canonical : [...canonical].reverse()));
    });
    ring.push(ring[0] as Position);
    out.push({ type: 'Polygon', coordinates: [ccw(ring.map((p) => [p[0], p[1]]))] });
  }
  return out;
}

/** A partition of a rectangle into nx × ny quads whose inner vertices are jittered (0 ≤ jitter < 0.5). */
export function jitteredGridPartition(options: {
  bbox: GeometryBbox;
  nx: number;
  ny: number;
  jitter: number;
  seed: number;
}): AreaGeometry[] {
  const { bbox, nx, ny, jitter } = options;
  const rng = createRng(options.seed);
  const cw = (bbox[2] - bbox[0]) / nx;
  const ch = (bbox[3] - bbox[1]) / ny;
  const v: Position[][] = [];
  for (let j = 0; j <= ny; j++) {
    const row: Position[] = [];
    for (let i = 0; i <= nx; i++) {
      // boundary vertices slide only along their side, so the union stays the rectangle
      const jx = i === 0 || i === nx ? 0 : (rng.next() - 0.5) * 2 * jitter * cw;
      const jy = j === 0 || j === ny ? 0 : (rng.next() - 0.5) * 2 * jitter * ch;
      row.push([i === nx ? bbox[2] : bbox[0] + i * cw + jx, j === ny ? bbox[3] : bbox[1] + j * ch + jy]);
    }
    v.push(row);
  }
  const at = (i: number, j: number): Position => (v[j] as Position[])[i] as Position;
  const out: AreaGeometry[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const ring = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1), at(i, j)];
      out.push({ type: 'Polygon', coordinates: [ring.map((p) => [p[0], p[1]] as Position)] });
    }
  }
  return out;
}
