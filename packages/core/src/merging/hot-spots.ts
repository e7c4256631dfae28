import { LshIndex } from './lsh.js';
import type { MinHashOptions } from './minhash.js';
import { minhashSignature } from './minhash.js';
import type { TextProfile } from './text.js';
import { cosineSimilarity, textProfile } from './text.js';

/**
 * Hot spots (苗头): several similar reports from one unit (community) in a short window, e.g.
 * five complaints about the same mixing plant in a week. Candidate pairs come from an LSH index
 * per unit, are confirmed by exact cosine similarity and a time gap within the window, and are
 * joined by union-find; a component is a hot spot when some window of `windowDays` holds at
 * least `minCount` of its members.
 */

/** One report as hot-spot detection needs it. */
export interface HotSpotItem {
  id: string;
  /** The unit the report belongs to (community code): clusters never cross units. */
  unitCode: string;
  /** Reported at (epoch ms). */
  time: number;
  text: string;
  /** Who reported it (any stable id); lets `minReporters` tell a community issue from one persistent poster. */
  reporterId?: string | null;
  /** Precomputed {@link minhashSignature} of `text` (same options), e.g. stored at intake. */
  signature?: Uint32Array;
  /** Precomputed {@link textProfile} of `text` (same options). */
  profile?: TextProfile;
}

/** Options of {@link detectHotSpots}. */
export interface HotSpotOptions extends MinHashOptions {
  /** Members needed inside one window. Default 5. */
  minCount?: number;
  /** Distinct reporters needed in a hot spot (items without a reporter count as distinct). Default 1. */
  minReporters?: number;
  /** Window length in days. Default 7. */
  windowDays?: number;
  /** Cosine similarity (character bigrams) that makes two reports "similar". Default 0.3. */
  similarity?: number;
  /** LSH bands; with `rows` they must fit the signature. Default 64 (reports of one unit are few). */
  bands?: number;
  /** LSH rows per band. Default 2: pairs of Jaccard 0.15 meet with probability ~0.77. */
  rows?: number;
}

/** A detected hot spot. */
export interface HotSpot {
  unitCode: string;
  /** Member ids, ordered by time then id. */
  memberIds: string[];
  firstTime: number;
  lastTime: number;
  /** The densest window: its start and how many members it holds. */
  peakStart: number;
  peakCount: number;
  /** Distinct reporters among the members (items without a reporter each count as one). */
  reporterCount: number;
  /** The member most similar to the others (medoid), as the cluster's label. */
  representativeId: string;
  representativeText: string;
}

const DAY_MS = 86_400_000;

interface Prepared {
  item: HotSpotItem;
  profile: TextProfile;
}

const byTimeThenId = (a: HotSpotItem, b: HotSpotItem): number =>
  a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Union-find over indices with path halving and union by size. */
function createUnionFind(n: number): { find(i: number): number; union(a: number, b: number): void } {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const size = new Int32Array(n).fill(1);
  const find = (i: number): number => {
    let x = i;
    while (parent[x] !== x) {
      const p = parent[x] as number;
      parent[x] = parent[p] as number;
      x = p;
    }
    return x;
  };
  return {
    find,
    union(a, b) {
      let ra = find(a);
      let rb = find(b);
      if (ra === rb) return;
      if ((size[ra] as number) < (size[rb] as number)) [ra, rb] = [rb, ra];
      parent[rb] = ra;
      size[ra] = (size[ra] as number) + (size[rb] as number);
    },
  };
}

function densestWindow(times: readonly number[], windowMs: number): { start: number; count: number } {
  let best = { start: times[0] as number, count: 0 };
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) > windowMs) lo++;
    if (hi - lo + 1 > best.count) best = { start: times[lo] as number, count: hi - lo + 1 };
  }
  return best;
}

// O(n²) in the cluster size: hot spots are tens of reports, not thousands
function medoid(members: readonly Prepared[]): Prepared {
  let best = members[0] as Prepared;
  let bestSum = -1;
  for (const m of members) {
    let sum = 0;
    for (const o of members) if (o !== m) sum += cosineSimilarity(m.profile, o.profile);
    if (sum > bestSum + 1e-12) {
      best = m;
      bestSum = sum;
    }
  }
  return best;
}

interface Resolved {
  minCount: number;
  minReporters: number;
  windowDays: number;
  similarity: number;
  bands: number;
  rows: number;
  text: MinHashOptions;
}

function clustersOfUnit(items: readonly HotSpotItem[], o: Resolved): HotSpot[] {
  const sorted = [...items].sort(byTimeThenId);
  const prepared: Prepared[] = sorted.map((item) => ({
    item,
    profile: item.profile ?? textProfile(item.text, o.text),
  }));
  const index = new LshIndex<number>(o.bands, o.rows);
  sorted.forEach((item, i) => index.add(i, item.signature ?? minhashSignature(item.text, o.text)));
  const windowMs = o.windowDays * DAY_MS;
  const uf = createUnionFind(sorted.length);
  const checked = new Set<number>();
  for (const bucket of index.collidingBuckets()) {
    // items were added in time order, so a bucket is ascending in index and in time
    for (let x = 0; x < bucket.length; x++) {
      const i = bucket[x] as number;
      const a = prepared[i] as Prepared;
      for (let y = x + 1; y < bucket.length; y++) {
        const j = bucket[y] as number;
        const b = prepared[j] as Prepared;
        if (b.item.time - a.item.time > windowMs) break;
        const key = i * sorted.length + j;
        if (checked.has(key)) continue;
        checked.add(key);
        if (cosineSimilarity(a.profile, b.profile) >= o.similarity) uf.union(i, j);
      }
    }
  }
  const groups = new Map<number, Prepared[]>();
  prepared.forEach((p, i) => {
    const root = uf.find(i);
    const g = groups.get(root);
    if (g) g.push(p);
    else groups.set(root, [p]);
  });
  const out: HotSpot[] = [];
  for (const members of groups.values()) {
    if (members.length < o.minCount) continue;
    const peak = densestWindow(
      members.map((m) => m.item.time),
      windowMs,
    );
    if (peak.count < o.minCount) continue;
    const reporters = new Set(members.map((m) => m.item.reporterId ?? `item:${m.item.id}`));
    if (reporters.size < o.minReporters) continue;
    const rep = medoid(members);
    out.push({
      unitCode: rep.item.unitCode,
      memberIds: members.map((m) => m.item.id),
      firstTime: (members[0] as Prepared).item.time,
      lastTime: (members[members.length - 1] as Prepared).item.time,
      peakStart: peak.start,
      peakCount: peak.count,
      reporterCount: reporters.size,
      representativeId: rep.item.id,
      representativeText: rep.item.text,
    });
  }
  return out;
}

/**
 * Finds hot spots. The result does not depend on the order of `items` (ids must be unique);
 * hot spots are ordered by first time, then unit, then first member id.
 */
export function detectHotSpots(items: readonly HotSpotItem[], options: HotSpotOptions = {}): HotSpot[] {
  const {
    minCount = 5,
    minReporters = 1,
    windowDays = 7,
    similarity = 0.3,
    bands = 64,
    rows = 2,
    ...text
  } = options;
  const o: Resolved = { minCount, minReporters, windowDays, similarity, bands, rows, text };
  const byUnit = new Map<string, HotSpotItem[]>();
  for (const item of items) {
    const list = byUnit.get(item.unitCode);
    if (list) list.push(item);
    else byUnit.set(item.unitCode, [item]);
  }
  const all: HotSpot[] = [];
  for (const list of byUnit.values()) all.push(...clustersOfUnit(list, o));
  return all.sort(
    (a, b) =>
      a.firstTime - b.firstTime ||
      (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0) ||
      ((a.memberIds[0] as string) < (b.memberIds[0] as string) ? -1 : 1),
  );
}
