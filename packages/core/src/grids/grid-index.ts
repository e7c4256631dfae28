import type { AreaGeometry, Position } from '../governance/unit.js';
import { polygonsOfGeometry } from './geometry.js';

/** Options of the bucket index; the defaults suit a district of ~1,200 grids. */
export interface GridIndexOptions {
  /** Target number of buckets per polygon (more buckets → fewer point-in-polygon tests). */
  cellsPerPolygon?: number;
  /** Upper bound on the number of buckets (each costs 4 bytes). */
  maxCells?: number;
}

/** Shape of the built index, for tuning and benchmarks. */
export interface GridIndexStats {
  nx: number;
  ny: number;
  fullCells: number;
  emptyCells: number;
  mixedCells: number;
  meanCandidates: number;
}

/** Point → polygon index (first polygon in input order that contains the point, or −1). */
export interface PolygonIndex {
  /** Index of the polygon containing the point, −1 if none; allocation-free. */
  locate(lng: number, lat: number): number;
  /** Number of indexed polygons. */
  readonly size: number;
  /** How the buckets came out. */
  stats(): GridIndexStats;
}

/** Flattened rings of all polygons: typed arrays keep the hot loop monomorphic and cache-friendly. */
interface FlatPolygons {
  xs: Float64Array;
  ys: Float64Array;
  /** Start of ring r in xs/ys; ringStart[r + 1] is its end. */
  ringStart: Int32Array;
  /** Rings of polygon i are ringOf[i] … ringOf[i + 1] − 1. */
  ringOf: Int32Array;
  bbox: Float64Array;
}

function flatten(geometries: readonly AreaGeometry[]): FlatPolygons {
  const rings: (readonly Position[])[] = [];
  const ringOf = new Int32Array(geometries.length + 1);
  geometries.forEach((g, i) => {
    for (const polygon of polygonsOfGeometry(g)) rings.push(...polygon);
    ringOf[i + 1] = rings.length;
  });
  const total = rings.reduce((s, r) => s + r.length, 0);
  const xs = new Float64Array(total);
  const ys = new Float64Array(total);
  const ringStart = new Int32Array(rings.length + 1);
  let k = 0;
  rings.forEach((ring, r) => {
    for (const [x, y] of ring) {
      xs[k] = x;
      ys[k++] = y;
    }
    ringStart[r + 1] = k;
  });
  const bbox = new Float64Array(geometries.length * 4);
  for (let i = 0; i < geometries.length; i++) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (
      let p = ringStart[ringOf[i] as number] as number;
      p < (ringStart[ringOf[i + 1] as number] as number);
      p++
    ) {
      const x = xs[p] as number;
      const y = ys[p] as number;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    bbox.set([x0, y0, x1, y1], i * 4);
  }
  return { xs, ys, ringStart, ringOf, bbox };
}

/** Same crossing rule as `ringContainsPoint`, on the flat arrays, so both always agree. */
function contains(f: FlatPolygons, i: number, x: number, y: number): boolean {
  const { xs, ys, ringStart, ringOf } = f;
  let inside = false;
  const rEnd = ringOf[i + 1] as number;
  for (let r = ringOf[i] as number; r < rEnd; r++) {
    const s = ringStart[r] as number;
    const e = ringStart[r + 1] as number;
    for (let a = s, b = e - 1; a < e; b = a++) {
      const ya = ys[a] as number;
      const yb = ys[b] as number;
      if (ya > y !== yb > y) {
        const xa = xs[a] as number;
        const xb = xs[b] as number;
        const t = ya < yb ? xa + ((y - ya) * (xb - xa)) / (yb - ya) : xb + ((y - yb) * (xa - xb)) / (ya - yb);
        if (x < t) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * Builds a uniform bucket grid over the polygons' extent. A bucket that no polygon edge touches and
 * whose centre lies in exactly one polygon is answered without any point-in-polygon test; other
 * buckets keep the short list of polygons that may contain their points, in input order.
 */
export function createPolygonIndex(
  geometries: readonly AreaGeometry[],
  options: GridIndexOptions = {},
): PolygonIndex {
  const f = flatten(geometries);
  const n = geometries.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    // one corrupt polygon must not blank out the extent of all the others
    if (!f.bbox.subarray(i * 4, i * 4 + 4).every(Number.isFinite)) continue;
    minX = Math.min(minX, f.bbox[i * 4] as number);
    minY = Math.min(minY, f.bbox[i * 4 + 1] as number);
    maxX = Math.max(maxX, f.bbox[i * 4 + 2] as number);
    maxY = Math.max(maxY, f.bbox[i * 4 + 3] as number);
  }
  const empty = !(minX <= maxX && minY <= maxY);
  const target = Math.min(options.maxCells ?? 1 << 22, Math.max(256, n * (options.cellsPerPolygon ?? 400)));
  // square buckets on the ground: a degree of longitude shrinks with cos(latitude)
  const kx = empty ? 1 : Math.max(Math.cos((((minY + maxY) / 2) * Math.PI) / 180), 0.01);
  const w = empty ? 1 : Math.max((maxX - minX) * kx, 1e-12);
  const h = empty ? 1 : Math.max(maxY - minY, 1e-12);
  const side = Math.sqrt((w * h) / target);
  const nx = Math.max(1, Math.min(8192, Math.ceil(w / side)));
  const ny = Math.max(1, Math.min(8192, Math.ceil(h / side)));
  const cw = empty ? 1 : (maxX - minX) / nx || 1e-12;
  const ch = empty ? 1 : (maxY - minY) / ny || 1e-12;
  const invW = 1 / cw;
  const invH = 1 / ch;
  // edges within eps of a bucket count as touching it, which absorbs rounding in the bucket lookup
  const ex = cw * 1e-6;
  const ey = ch * 1e-6;

  const cells = new Int32Array(nx * ny).fill(-1);
  const multi = new Map<number, number[]>();
  const mark = new Int32Array(nx * ny).fill(-1);
  const addCandidate = (c: number, i: number, full: boolean): void => {
    const list = multi.get(c);
    if (list) list.push(i);
    else if (full && cells[c] === -1) cells[c] = i;
    else {
      const prev = cells[c] as number;
      multi.set(c, prev >= 0 ? [prev, i] : [i]);
      cells[c] = -2;
    }
  };
  const colOf = (x: number): number => Math.min(nx - 1, Math.max(0, Math.floor((x - minX) * invW)));
  const rowOf = (y: number): number => Math.min(ny - 1, Math.max(0, Math.floor((y - minY) * invH)));

  for (let i = 0; i < n; i++) {
    for (let r = f.ringOf[i] as number; r < (f.ringOf[i + 1] as number); r++) {
      const s = f.ringStart[r] as number;
      const e = f.ringStart[r + 1] as number;
      for (let a = s, b = e - 1; a < e; b = a++) {
        const ax = f.xs[a] as number;
        const ay = f.ys[a] as number;
        const bx = f.xs[b] as number;
        const by = f.ys[b] as number;
        const c0 = colOf(Math.min(ax, bx) - ex);
        const c1 = colOf(Math.max(ax, bx) + ex);
        const r0 = rowOf(Math.min(ay, by) - ey);
        const r1 = rowOf(Math.max(ay, by) + ey);
        for (let row = r0; row <= r1; row++) {
          for (let col = c0; col <= c1; col++) {
            const c = row * nx + col;
            if (mark[c] === i) continue;
            if (c0 !== c1 && r0 !== r1) {
              // separating-axis test against the eps-grown bucket: all corners on one side → no touch
              const x0 = minX + col * cw - ex;
              const y0 = minY + row * ch - ey;
              const x1 = x0 + cw + 2 * ex;
              const y1 = y0 + ch + 2 * ey;
              const dx = bx - ax;
              const dy = by - ay;
              const s1 = dx * (y0 - ay) - dy * (x0 - ax);
              const s2 = dx * (y0 - ay) - dy * (x1 - ax);
              const s3 = dx * (y1 - ay) - dy * (x0 - ax);
              const s4 = dx * (y1 - ay) - dy * (x1 - ax);
              if ((s1 > 0 && s2 > 0 && s3 > 0 && s4 > 0) || (s1 < 0 && s2 < 0 && s3 < 0 && s4 < 0)) continue;
            }
            mark[c] = i;
            addCandidate(c, i, false);
          }
        }
      }
    }
    // untouched buckets in a row run share one status, so one centre test per run is enough
    const c0 = colOf(f.bbox[i * 4] as number);
    const c1 = colOf(f.bbox[i * 4 + 2] as number);
    const r0 = rowOf(f.bbox[i * 4 + 1] as number);
    const r1 = rowOf(f.bbox[i * 4 + 3] as number);
    for (let row = r0; row <= r1; row++) {
      let inside = false;
      let inRun = false;
      const cy = minY + (row + 0.5) * ch;
      for (let col = c0; col <= c1; col++) {
        const c = row * nx + col;
        if (mark[c] === i) {
          inRun = false;
          continue;
        }
        if (!inRun) {
          inside = contains(f, i, minX + (col + 0.5) * cw, cy);
          inRun = true;
        }
        if (inside) addCandidate(c, i, true);
      }
    }
  }

  let poolSize = 0;
  for (const list of multi.values()) poolSize += list.length + 1;
  const pool = new Int32Array(poolSize);
  let at = 0;
  for (const [c, list] of multi) {
    cells[c] = -2 - at;
    pool[at++] = list.length;
    for (const i of list) pool[at++] = i;
  }

  const bbox = f.bbox;
  return {
    size: n,
    locate(lng: number, lat: number): number {
      // written so that NaN fails the range test too
      if (!(lng >= minX && lng <= maxX && lat >= minY && lat <= maxY)) return -1;
      let col = ((lng - minX) * invW) | 0;
      let row = ((lat - minY) * invH) | 0;
      if (col >= nx) col = nx - 1;
      if (row >= ny) row = ny - 1;
      const v = cells[row * nx + col] as number;
      if (v >= -1) return v;
      const start = -2 - v;
      const end = start + 1 + (pool[start] as number);
      for (let k = start + 1; k < end; k++) {
        const i = pool[k] as number;
        const b = i * 4;
        if (
          lng >= (bbox[b] as number) &&
          lng <= (bbox[b + 2] as number) &&
          lat >= (bbox[b + 1] as number) &&
          lat <= (bbox[b + 3] as number) &&
          contains(f, i, lng, lat)
        ) {
          return i;
        }
      }
      return -1;
    },
    stats(): GridIndexStats {
      let full = 0;
      let none = 0;
      for (const v of cells) {
        if (v >= 0) full++;
        else if (v === -1) none++;
      }
      return {
        nx,
        ny,
        fullCells: full,
        emptyCells: none,
        mixedCells: multi.size,
        meanCandidates: multi.size ? (poolSize - multi.size) / multi.size : 0,
      };
    },
  };
}
