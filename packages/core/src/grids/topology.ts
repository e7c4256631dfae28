import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import type { AreaGeometry, PolygonCoords, Position, UnitLevel } from '../governance/unit.js';
import { PARENT_LEVEL, UNIT_LEVELS } from '../governance/unit.js';
import { AppError } from '../shared/errors.js';
import type { ClipMultiPolygon, GeometryBbox } from './geometry.js';
import {
  clippingAreaM2,
  geodesicArea,
  geometryBbox,
  polygonAreaM2,
  representativePoint,
  toClipping,
} from './geometry.js';

/** A unit as the topology validator needs it. */
export interface TopologyUnit {
  code: string;
  level: UnitLevel;
  parentCode: string | null;
  geometry: AreaGeometry;
}

/** Options of the validator. */
export interface TopologyOptions {
  /** Overlaps, gaps and outside parts up to this area (m²) are rounding noise. Default 1. */
  toleranceM2?: number;
  /** Called after each step; `total` is fixed at the start. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Two units of the same level that overlap. */
export interface TopologyOverlap {
  a: string;
  b: string;
  level: UnitLevel;
  areaM2: number;
}

/** A part of a parent that none of its children (of `level`) covers. */
export interface TopologyGap {
  parent: string;
  level: UnitLevel;
  areaM2: number;
  polygon: { type: 'Polygon'; coordinates: PolygonCoords };
  point: Position;
}

/** A unit that sticks out of its parent. */
export interface TopologyOutside {
  code: string;
  parent: string;
  areaM2: number;
}

/** The topology report (网网相连, 无缝衔接). */
export interface TopologyResult {
  ok: boolean;
  overlaps: TopologyOverlap[];
  gaps: TopologyGap[];
  outside: TopologyOutside[];
}

interface Item {
  code: string;
  level: UnitLevel;
  parentCode: string | null;
  clip: ClipMultiPolygon;
  area: number;
  bbox: GeometryBbox;
}

const CHILD_LEVELS = UNIT_LEVELS.filter((l) => l !== 'district');
const RANK = new Map<string, number>(UNIT_LEVELS.map((l, i) => [l, i]));
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Runs a polygon-clipping operation, turning its rare internal failures into an AppError. */
function clip(what: string, codes: string[], op: () => ClipMultiPolygon): ClipMultiPolygon {
  try {
    return op();
  } catch (e) {
    const reason = e instanceof Error ? e.message : 'unknown failure';
    throw new AppError('UNPROCESSABLE', `geometry ${what} failed: ${reason}`, { codes: codes.slice(0, 20) });
  }
}

function unionOf(items: Item[]): ClipMultiPolygon {
  const [first, ...rest] = items;
  if (!first) return [];
  if (rest.length === 0) return first.clip;
  return clip(
    'union',
    items.map((i) => i.code),
    () => polygonClipping.union(first.clip, ...rest.map((r) => r.clip)),
  );
}

function groupBy(items: Item[]): Map<string | null, Item[]> {
  const groups = new Map<string | null, Item[]>();
  for (const it of items) {
    const g = groups.get(it.parentCode);
    if (g) g.push(it);
    else groups.set(it.parentCode, [it]);
  }
  return groups;
}

function treeOf(items: Item[]): Flatbush | null {
  if (items.length === 0) return null;
  const tree = new Flatbush(items.length);
  for (const it of items) tree.add(...it.bbox);
  tree.finish();
  return tree;
}

/**
 * The validator as a generator that yields after each step, so the async wrapper can give the
 * event loop a turn during a district-wide run. Sibling overlaps are searched pairwise only when
 * the children's areas add up to more than their union; units that may overlap outside their
 * sibling group (outside their parent, or under an overlapping parent) are paired via an R-tree.
 */
export function* topologySteps(
  units: readonly TopologyUnit[],
  options: TopologyOptions = {},
): Generator<void, TopologyResult> {
  const tol = Math.max(0, Number.isFinite(options.toleranceM2) ? (options.toleranceM2 as number) : 1);
  const items: Item[] = units.map((u) => ({
    code: u.code,
    level: u.level,
    parentCode: u.parentCode,
    clip: toClipping(u.geometry),
    area: geodesicArea(u.geometry),
    bbox: geometryBbox(u.geometry),
  }));
  const byCode = new Map(items.map((it) => [it.code, it]));
  const byLevel = new Map(UNIT_LEVELS.map((l) => [l, items.filter((it) => it.level === l)]));
  const groupsByLevel = new Map(CHILD_LEVELS.map((l) => [l, groupBy(byLevel.get(l) ?? [])]));
  const total = CHILD_LEVELS.reduce((s, l) => s + (groupsByLevel.get(l)?.size ?? 0) + 1, 0);
  let done = 0;
  const step = (): void => options.onProgress?.(++done, total);

  const overlaps: TopologyOverlap[] = [];
  const gaps: TopologyGap[] = [];
  const outside: TopologyOutside[] = [];
  const inOverlap = new Set<string>();
  const checked = new Set<string>();
  const overlap = (a: Item, b: Item): void => {
    const key = a.code < b.code ? `${a.code}|${b.code}` : `${b.code}|${a.code}`;
    if (checked.has(key)) return;
    checked.add(key);
    const shared = clip('intersection', [a.code, b.code], () => polygonClipping.intersection(a.clip, b.clip));
    const areaM2 = clippingAreaM2(shared);
    if (areaM2 <= tol) return;
    const [x, y] = a.code < b.code ? [a, b] : [b, a];
    overlaps.push({ a: x.code, b: y.code, level: a.level, areaM2: round2(areaM2) });
    inOverlap.add(a.code).add(b.code);
  };
  const addGaps = (parent: Item, level: UnitLevel, uncovered: ClipMultiPolygon): void => {
    for (const polygon of uncovered) {
      const areaM2 = polygonAreaM2(polygon);
      if (areaM2 <= tol) continue;
      const hole: AreaGeometry = { type: 'Polygon', coordinates: polygon };
      gaps.push({
        parent: parent.code,
        level,
        areaM2: round2(areaM2),
        polygon: hole,
        point: representativePoint(hole),
      });
    }
  };
  const parentOf = (it: Item, level: UnitLevel): Item | undefined => {
    const p = it.parentCode === null ? undefined : byCode.get(it.parentCode);
    return p && p.level === PARENT_LEVEL[level] ? p : undefined;
  };

  for (const level of CHILD_LEVELS) {
    const groups = groupsByLevel.get(level) ?? new Map<string | null, Item[]>();
    const levelItems = byLevel.get(level) ?? [];
    const tree = treeOf(levelItems);
    const coverage = level !== 'dedicatedGrid';
    const outsideOf = new Map<string, number>();
    for (const kids of groups.values()) {
      const parent = kids[0] ? parentOf(kids[0], level) : undefined;
      const perChildOutside = (): void => {
        for (const kid of kids) {
          if (!parent) continue;
          const areaM2 = clippingAreaM2(
            clip('difference', [kid.code, parent.code], () =>
              polygonClipping.difference(kid.clip, parent.clip),
            ),
          );
          outsideOf.set(kid.code, areaM2);
          if (areaM2 > tol) outside.push({ code: kid.code, parent: parent.code, areaM2: round2(areaM2) });
        }
      };
      if (!coverage) {
        perChildOutside();
      } else {
        const union = unionOf(kids);
        const sum = kids.reduce((s, k) => s + k.area, 0);
        if (tree && sum - clippingAreaM2(union) > tol) {
          for (const kid of kids) {
            for (const j of tree.search(...kid.bbox)) {
              const other = levelItems[j] as Item;
              if (other !== kid && other.parentCode === kid.parentCode) overlap(kid, other);
            }
          }
        }
        if (parent) {
          const codes = [parent.code];
          addGaps(
            parent,
            level,
            clip('difference', codes, () => polygonClipping.difference(parent.clip, union)),
          );
          // the children's outside parts all lie in union \ parent: one test clears the whole group
          const stray = clippingAreaM2(
            clip('difference', codes, () => polygonClipping.difference(union, parent.clip)),
          );
          if (stray > tol) perChildOutside();
        }
      }
      step();
      yield;
    }
    if (coverage && levelItems.length > 0) {
      for (const p of byLevel.get(PARENT_LEVEL[level] as UnitLevel) ?? []) {
        if (!groups.has(p.code)) addGaps(p, level, p.clip);
      }
    }
    if (coverage && tree && groups.size > 1) {
      // a unit inside a parent that overlaps nothing cannot overlap a unit of another group
      const isolated = (it: Item): boolean => {
        const p = parentOf(it, level);
        return p !== undefined && (outsideOf.get(it.code) ?? 0) <= tol && !inOverlap.has(p.code);
      };
      for (const it of levelItems) {
        if (isolated(it)) continue;
        for (const j of tree.search(...it.bbox)) {
          const other = levelItems[j] as Item;
          if (other !== it && other.parentCode !== it.parentCode) overlap(it, other);
        }
      }
    }
    step();
    yield;
  }

  const rank = (l: UnitLevel): number => RANK.get(l) ?? 0;
  overlaps.sort((p, q) => rank(p.level) - rank(q.level) || cmp(p.a, q.a) || cmp(p.b, q.b));
  gaps.sort((p, q) => rank(p.level) - rank(q.level) || cmp(p.parent, q.parent) || q.areaM2 - p.areaM2);
  outside.sort((p, q) => cmp(p.code, q.code));
  return { ok: overlaps.length === 0 && gaps.length === 0 && outside.length === 0, overlaps, gaps, outside };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Validates coverage, overlaps and containment of the whole structure in one call. */
export function validateTopologySync(
  units: readonly TopologyUnit[],
  options: TopologyOptions = {},
): TopologyResult {
  const it = topologySteps(units, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/** Same as validateTopologySync, yielding to the event loop every few steps. */
export async function validateTopology(
  units: readonly TopologyUnit[],
  options: TopologyOptions = {},
): Promise<TopologyResult> {
  const it = topologySteps(units, options);
  for (let k = 1; ; k++) {
    const r = it.next();
    if (r.done) return r.value;
    if (k % 8 === 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}
