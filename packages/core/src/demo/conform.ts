import Flatbush from 'flatbush';
import type { AreaGeometry, Position } from '../governance/unit.js';
import { geometryFromPolygons, polygonsOf } from './geo.js';

/** Vertices closer than this (degrees, about 0.01 mm) to an edge are taken to lie on it. */
const ON_EDGE_DEG = 1e-10;

/**
 * Makes nested partitions conforming: every vertex of any geometry that lies on an edge of another
 * geometry is inserted into that edge. Clipping leaves such "T-junctions" (a child's corner on its
 * parent's edge, a neighbour's corner on a shared edge); with them gone, shared boundaries have the
 * same vertices on both sides and boolean operations see exact, sliver-free edges.
 */
export function conformGeometries(geometries: AreaGeometry[]): AreaGeometry[] {
  // 1. snap: vertices closer than the tolerance (separate clipping runs may differ in the last bit)
  //    become one vertex, the first met
  const first = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  for (const g of geometries) {
    for (const polygon of polygonsOf(g)) {
      for (const ring of polygon) {
        for (const [x, y] of ring) {
          const key = `${x},${y}`;
          if (first.has(key)) continue;
          first.set(key, xs.length);
          xs.push(x);
          ys.push(y);
        }
      }
    }
  }
  const index = pointIndex(xs, ys);
  const canonical = new Int32Array(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    if (canonical[i] !== -1) continue;
    const x = xs[i] as number;
    const y = ys[i] as number;
    for (const j of index.search(x - ON_EDGE_DEG, y - ON_EDGE_DEG, x + ON_EDGE_DEG, y + ON_EDGE_DEG)) {
      if (canonical[j] === -1) canonical[j] = i;
    }
  }
  const snap = (p: Position): Position => {
    const c = canonical[first.get(`${p[0]},${p[1]}`) as number] as number;
    return [xs[c] as number, ys[c] as number];
  };
  const kept: number[] = [];
  for (let i = 0; i < xs.length; i++) if (canonical[i] === i) kept.push(i);
  const keptIndex = pointIndex(
    kept.map((i) => xs[i] as number),
    kept.map((i) => ys[i] as number),
  );

  // 2. insert every vertex lying on an edge into that edge
  const conformRing = (source: Position[]): Position[] => {
    const ring = dedupe(source.map(snap));
    const out: Position[] = [];
    for (let e = 0; e + 1 < ring.length; e++) {
      const a = ring[e] as Position;
      const b = ring[e + 1] as Position;
      out.push(a);
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len2 = dx * dx + dy * dy;
      const hits = keptIndex.search(
        Math.min(a[0], b[0]) - ON_EDGE_DEG,
        Math.min(a[1], b[1]) - ON_EDGE_DEG,
        Math.max(a[0], b[0]) + ON_EDGE_DEG,
        Math.max(a[1], b[1]) + ON_EDGE_DEG,
      );
      const inserts: Array<{ t: number; p: Position }> = [];
      for (const h of hits) {
        const k = kept[h] as number;
        const x = xs[k] as number;
        const y = ys[k] as number;
        if ((x === a[0] && y === a[1]) || (x === b[0] && y === b[1])) continue;
        const t = ((x - a[0]) * dx + (y - a[1]) * dy) / len2;
        if (t <= 0 || t >= 1) continue;
        const dist = Math.abs((x - a[0]) * dy - (y - a[1]) * dx) / Math.sqrt(len2);
        if (dist <= ON_EDGE_DEG) inserts.push({ t, p: [x, y] });
      }
      inserts.sort((p, q) => p.t - q.t);
      for (const { p } of inserts) out.push(p);
    }
    out.push(out[0] as Position);
    return dedupe(out);
  };

  return geometries.map((g) =>
    geometryFromPolygons(polygonsOf(g).map((polygon) => polygon.map(conformRing))),
  );
}

function pointIndex(xs: number[], ys: number[]): Flatbush {
  const index = new Flatbush(Math.max(1, xs.length));
  for (let i = 0; i < xs.length; i++)
    index.add(xs[i] as number, ys[i] as number, xs[i] as number, ys[i] as number);
  if (xs.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

/** Drops repeated consecutive positions of a closed ring. */
function dedupe(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}
