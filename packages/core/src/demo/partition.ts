import { Delaunay } from 'd3-delaunay';
import polygonClipping from 'polygon-clipping';
import type { AreaGeometry, MultiPolygonCoords, PolygonCoords, Position } from '../governance/unit.js';
import type { Rng } from '../shared/random.js';
import type { BBox } from './geo.js';
import { geometryFromPolygons, orientRing, pointInPolygon, ringSignedArea } from './geo.js';
import type { PreparedGeometry } from './prepared.js';
import { ringBBox } from './prepared.js';
import type { DensityFn } from './sampling.js';
import { samplePointsInside } from './sampling.js';

export interface PartitionOptions {
  parent: PreparedGeometry;
  count: number;
  rng: Rng;
  /** Seed density: cells are smaller where it is higher. */
  density: DensityFn;
  /** Lloyd relaxation steps (weighted by density², so cells stay smaller where density is high). */
  lloydSteps: number;
  /** Fixed seeds used as given (no sampling, no relaxation). */
  seeds?: Position[];
}

export interface PartitionResult {
  seeds: Position[];
  geometries: AreaGeometry[];
}

/**
 * Splits the parent into `count` cells: a Voronoi diagram of seeds inside the parent, each cell
 * clipped to the parent. Siblings come from one diagram, so they share edges exactly; a clipped cell
 * that falls apart keeps the piece holding its seed and gives the other pieces to the neighbour
 * they share the longest edge with, so the cells still partition the parent.
 */
export function partitionArea(opts: PartitionOptions): PartitionResult {
  const { parent, count, rng, density } = opts;
  if (count < 1) throw new Error('partition needs at least one cell');
  const seeds = opts.seeds
    ? opts.seeds.map((s) => [s[0], s[1]] as Position)
    : samplePointsInside(parent, rng, count, density, 1);
  if (seeds.length !== count) throw new Error('seed count does not match');
  if (count === 1) return { seeds, geometries: [parent.geometry] };

  // work in a locally isotropic plane: x scaled by cos(latitude)
  const k = Math.cos((((parent.bbox[1] + parent.bbox[3]) / 2) * Math.PI) / 180);
  if (!opts.seeds && opts.lloydSteps > 0) relax(parent, rng, seeds, density, k, opts.lloydSteps);
  separateDuplicates(seeds);

  const flat = new Float64Array(count * 2);
  seeds.forEach(([x, y], i) => {
    flat[2 * i] = x * k;
    flat[2 * i + 1] = y;
  });
  const delaunay = new Delaunay(flat);
  const [bx0, by0, bx1, by1] = parent.bbox;
  const margin = Math.max(bx1 - bx0, by1 - by0) * 0.05 + 1e-6;
  const voronoi = delaunay.voronoi([bx0 * k - margin, by0 - margin, bx1 * k + margin, by1 + margin]);
  const parentCoords = parent.geometry.coordinates as PolygonCoords | MultiPolygonCoords;

  const pieces: MultiPolygonCoords[] = [];
  for (let i = 0; i < count; i++) {
    const cell = voronoi.cellPolygon(i) as unknown as Array<[number, number]> | null;
    if (!cell) throw new Error('empty Voronoi cell');
    const ring = orientRing(
      cell.map(([x, y]) => [x / k, y] as Position),
      true,
    );
    pieces.push(parent.containsRing(ring) ? [[ring]] : polygonClipping.intersection([ring], parentCoords));
  }

  const geometries = settleStrays(pieces, seeds);
  return { seeds, geometries };
}

/** Moves seeds to the density²-weighted centroid of their cells, estimated from sample points. */
function relax(
  parent: PreparedGeometry,
  rng: Rng,
  seeds: Position[],
  density: DensityFn,
  k: number,
  steps: number,
): void {
  const samples = samplePointsInside(parent, rng, Math.max(400, 30 * seeds.length), density, 2);
  for (let step = 0; step < steps; step++) {
    const delaunay = Delaunay.from(seeds.map(([x, y]) => [x * k, y] as [number, number]));
    const sx = new Float64Array(seeds.length);
    const sy = new Float64Array(seeds.length);
    const sn = new Uint32Array(seeds.length);
    let hint = 0;
    for (const [x, y] of samples) {
      hint = delaunay.find(x * k, y, hint);
      sx[hint] = (sx[hint] as number) + x;
      sy[hint] = (sy[hint] as number) + y;
      sn[hint] = (sn[hint] as number) + 1;
    }
    seeds.forEach((seed, i) => {
      const n = sn[i] as number;
      if (n === 0) return;
      const x = (sx[i] as number) / n;
      const y = (sy[i] as number) / n;
      if (parent.contains(x, y)) seeds[i] = [x, y];
    });
  }
}

/** Nudges exactly repeated seeds apart (a repeated seed would get an empty cell). */
function separateDuplicates(seeds: Position[]): void {
  const seen = new Set<string>();
  seeds.forEach((s, i) => {
    let [x, y] = s;
    while (seen.has(`${x},${y}`)) {
      x += 1e-9;
      y += 1e-9;
    }
    seen.add(`${x},${y}`);
    seeds[i] = [x, y];
  });
}

function largestIndex(polygons: MultiPolygonCoords): number {
  let best = 0;
  let bestArea = -1;
  polygons.forEach((p, i) => {
    const a = Math.abs(ringSignedArea(p[0] ?? []));
    if (a > bestArea) {
      bestArea = a;
      best = i;
    }
  });
  return best;
}

interface Piece {
  owner: number;
  polygon: PolygonCoords;
  box: BBox;
  anchored: boolean;
}

/**
 * Gives every piece not holding its cell's seed to the cell it shares the longest boundary with
 * (found by probing just outside each edge), repeating until all pieces hang on to an anchored one.
 */
function settleStrays(cells: MultiPolygonCoords[], seeds: Position[]): AreaGeometry[] {
  const pieces: Piece[] = [];
  cells.forEach((own, i) => {
    const seed = seeds[i] as Position;
    let keep = own.findIndex((p) => pointInPolygon(p, seed[0], seed[1]));
    if (keep < 0) keep = largestIndex(own);
    own.forEach((polygon, pi) =>
      pieces.push({ owner: i, polygon, box: ringBBox(polygon[0] ?? []), anchored: pi === keep }),
    );
  });
  let loose = pieces.filter((p) => !p.anchored);
  while (loose.length > 0) {
    let moved = false;
    for (const piece of loose) {
      const owner = bestAnchoredNeighbour(piece, pieces);
      if (owner === null) continue;
      piece.owner = owner;
      piece.anchored = true;
      moved = true;
    }
    loose = loose.filter((p) => !p.anchored);
    // pieces with no anchored neighbour at all (an island of the parent) stay with their own cell
    if (!moved) for (const p of loose) p.anchored = true;
  }
  return cells.map((_, i) => {
    const own = pieces.filter((p) => p.owner === i).map((p) => p.polygon);
    const [first, ...rest] = own;
    if (!first) throw new Error('a cell lost all its pieces');
    return geometryFromPolygons(rest.length === 0 ? [first] : polygonClipping.union(first, ...rest));
  });
}

function bestAnchoredNeighbour(piece: Piece, pieces: Piece[]): number | null {
  const score = new Map<number, number>();
  piece.polygon.forEach((ring, ri) => {
    // the piece lies left of a counter-clockwise outer ring and of a clockwise hole
    const sign = ringSignedArea(ring) > 0 === (ri === 0) ? 1 : -1;
    for (let e = 0; e + 1 < ring.length; e++) {
      const [x1, y1] = ring[e] as Position;
      const [x2, y2] = ring[e + 1] as Position;
      const len = Math.hypot(x2 - x1, y2 - y1);
      if (len === 0) continue;
      // outward normal: to the right of a counter-clockwise ring's direction
      const step = Math.min(1e-7, len * 0.01) / len;
      const px = (x1 + x2) / 2 + sign * (y2 - y1) * step;
      const py = (y1 + y2) / 2 - sign * (x2 - x1) * step;
      for (const other of pieces) {
        if (other === piece || !other.anchored) continue;
        const [bx0, by0, bx1, by1] = other.box;
        if (px < bx0 || px > bx1 || py < by0 || py > by1) continue;
        if (pointInPolygon(other.polygon, px, py)) {
          score.set(other.owner, (score.get(other.owner) ?? 0) + len);
          break;
        }
      }
    }
  });
  let winner: number | null = null;
  let top = 0;
  for (const [j, s] of score) {
    if (s > top || (s === top && winner !== null && j < winner)) {
      top = s;
      winner = j;
    }
  }
  return winner;
}
