/**
 * Spike detection (舆情突增) per (topic, unit): posts are counted in time buckets (hour or local
 * day); a bucket is a spike when its count reaches `minCount`, is at least `minRatio` times its
 * own baseline, and is improbable under Poisson(baseline) (p ≤ `pThreshold`). Both tests are
 * needed: the p-value keeps small numbers honest, the ratio keeps a busy topic from alarming on
 * a statistically significant but trivial rise (real feeds are over-dispersed).
 *
 * Baseline = mean count of the previous `baselineBuckets` buckets (never before `historyStart`),
 * floored at `minBaseline`; with fewer than `coldStartBuckets` of history (cold start) it is
 * floored at `coldStartBaseline` instead, so a new feed needs a real crowd to alarm. The very
 * first bucket (no history at all) is never a spike: there is nothing to be far above.
 *
 * Counting distinct authors (default) rather than posts keeps one angry resident posting ten
 * times from looking like ten residents.
 */
import type { Engagement } from './post.js';
import { poissonTail } from './poisson.js';
import { postHeat, topicHeat } from './sentiment.js';

/** Early-warning levels, mildest first: 蓝 blue, 黄 yellow, 橙 orange, 红 red. */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export const WARNING_LEVEL_NAMES: Record<WarningLevel, string> = {
  blue: '蓝色预警',
  yellow: '黄色预警',
  orange: '橙色预警',
  red: '红色预警',
};

/** One post counted for one topic in one unit. */
export interface SpikeObservation {
  postId: string;
  topic: string;
  unitCode: string;
  /** Epoch milliseconds. */
  at: number;
  authorHandle: string;
  /** Negative sentiment 0..1 (scoreNegativity). */
  negativity: number;
  engagement: Engagement;
}

export interface SpikeOptions {
  bucket: 'hour' | 'day';
  /** Offset of local time from UTC; day buckets start at local midnight. Default 480 (UTC+8). */
  utcOffsetMinutes: number;
  /** How many previous buckets make the baseline. Default 28 days or 168 hours. */
  baselineBuckets: number;
  /** Fewest (distinct authors or posts) that can be a spike. Default 3. */
  minCount: number;
  minRatio: number;
  pThreshold: number;
  /** Floor of the baseline, per bucket. Default 0.1 per day, 0.02 per hour. */
  minBaseline: number;
  coldStartBuckets: number;
  /** Floor of the baseline while history is short. Default 1 per day, 0.5 per hour. */
  coldStartBaseline: number;
  countBy: 'author' | 'post';
  evidenceLimit: number;
  /** When monitoring began (epoch ms): earlier buckets are unknown, not zero. Default: first post. */
  historyStart?: number;
  /** Only buckets overlapping [from, to) are reported (history before `from` is still used). */
  from?: number;
  to?: number;
}

/** A bucket far above its baseline for one (topic, unit). */
export interface Spike {
  topic: string;
  unitCode: string;
  level: WarningLevel;
  windowStart: string;
  windowEnd: string;
  /** Distinct authors (or posts, with countBy 'post') in the window. */
  count: number;
  posts: number;
  baseline: number;
  ratio: number;
  pValue: number;
  /** Mean negative sentiment of the window's posts, 0..1. */
  negativity: number;
  /** Engagement heat of the window's posts, 0..1. */
  heat: number;
  /** Severity 0..1 for ordering spikes. */
  score: number;
  /** The hottest posts of the window (heat, then negativity, then id). */
  evidencePostIds: string[];
}

const HOUR_MS = 3_600_000;

/** Defaults for the chosen bucket size; anything given overrides. */
export function spikeOptions(given: Partial<SpikeOptions> & Pick<SpikeOptions, 'bucket'>): SpikeOptions {
  const daily = given.bucket === 'day';
  return {
    utcOffsetMinutes: 480,
    baselineBuckets: daily ? 28 : 168,
    minCount: 3,
    minRatio: 3,
    pThreshold: 0.001,
    minBaseline: daily ? 0.1 : 0.02,
    coldStartBuckets: daily ? 7 : 24,
    coldStartBaseline: daily ? 1 : 0.5,
    countBy: 'author',
    evidenceLimit: 5,
    ...given,
  };
}

/** Negativity from which a spike is raised one level, and heat likewise. */
export const NEGATIVITY_BUMP = 0.6;
export const HEAT_BUMP = 0.5;

/**
 * The level of a spike: blue, one level up for twice the minimum count and ratio, one more for
 * four times, one for mean negativity ≥ 0.6, one for heat ≥ 0.5; red at most.
 */
export function spikeLevel(
  s: Pick<Spike, 'count' | 'ratio' | 'negativity' | 'heat'>,
  o: Pick<SpikeOptions, 'minCount' | 'minRatio'>,
): WarningLevel {
  let tier = 0;
  if (s.count >= 2 * o.minCount && s.ratio >= 2 * o.minRatio) tier++;
  if (s.count >= 4 * o.minCount && s.ratio >= 4 * o.minRatio) tier++;
  if (s.negativity >= NEGATIVITY_BUMP) tier++;
  if (s.heat >= HEAT_BUMP) tier++;
  return WARNING_LEVELS[Math.min(tier, WARNING_LEVELS.length - 1)] as WarningLevel;
}

/** Severity for ordering: excess volume, surprise, negativity and heat, weighted to 0..1. */
function severity(s: Pick<Spike, 'count' | 'baseline' | 'pValue' | 'negativity' | 'heat'>, minCount: number) {
  const volume = Math.min(1, Math.log2(1 + Math.max(0, s.count - s.baseline)) / Math.log2(1 + 8 * minCount));
  const surprise = Math.min(1, -Math.log10(Math.max(s.pValue, 1e-300)) / 10);
  return 0.35 * volume + 0.15 * surprise + 0.3 * s.negativity + 0.2 * s.heat;
}

interface Series {
  topic: string;
  unitCode: string;
  /** bucket → observations */
  buckets: Map<number, SpikeObservation[]>;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

function countOf(obs: readonly SpikeObservation[], by: SpikeOptions['countBy']): number {
  return by === 'post' ? obs.length : new Set(obs.map((o) => o.authorHandle)).size;
}

/**
 * The hottest posts of a window (heat, then negativity, then id), one per author first so a
 * resident who posted the same complaint twice does not fill the evidence alone.
 */
export function pickEvidence(obs: readonly SpikeObservation[], limit: number): string[] {
  const ranked = obs
    .map((x) => ({ id: x.postId, author: x.authorHandle, heat: postHeat(x.engagement), neg: x.negativity }))
    .sort((a, c) => c.heat - a.heat || c.neg - a.neg || (a.id < c.id ? -1 : a.id > c.id ? 1 : 0));
  const authors = new Set<string>();
  const first: string[] = [];
  const rest: string[] = [];
  for (const r of ranked) {
    (authors.has(r.author) ? rest : first).push(r.id);
    authors.add(r.author);
  }
  return [...new Set([...first, ...rest])].slice(0, limit);
}

function buildSpike(s: Series, b: number, count: number, baseline: number, o: SpikeOptions): Spike {
  const obs = s.buckets.get(b) ?? [];
  const size = o.bucket === 'day' ? 24 * HOUR_MS : HOUR_MS;
  const startOf = (k: number) => new Date(k * size - o.utcOffsetMinutes * 60_000).toISOString();
  const core = {
    count,
    baseline: round(baseline),
    ratio: round(count / baseline, 2),
    pValue: poissonTail(count, baseline),
    negativity: round(obs.reduce((a, x) => a + x.negativity, 0) / Math.max(1, obs.length)),
    heat: topicHeat(obs.map((x) => x.engagement)),
  };
  return {
    topic: s.topic,
    unitCode: s.unitCode,
    level: spikeLevel(core, o),
    windowStart: startOf(b),
    windowEnd: startOf(b + 1),
    posts: obs.length,
    ...core,
    score: round(severity(core, o.minCount)),
    evidencePostIds: pickEvidence(obs, o.evidenceLimit),
  };
}

/** Index of the first key ≥ b in ascending keys. */
function lowerIndex(keys: readonly number[], b: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] as number) < b) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Groups observations by (topic, unit) and bucket. */
function groupSeries(observations: readonly SpikeObservation[], bucketOf: (ms: number) => number) {
  const series = new Map<string, Series>();
  for (const ob of observations) {
    const key = `${ob.topic}\u0000${ob.unitCode}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { topic: ob.topic, unitCode: ob.unitCode, buckets: new Map() }));
    const b = bucketOf(ob.at);
    const list = s.buckets.get(b);
    if (list) list.push(ob);
    else s.buckets.set(b, [ob]);
  }
  return [...series.values()];
}

/** Finds every spike in the observations; deterministic (sorted by window, topic, unit). */
export function detectSpikes(
  observations: readonly SpikeObservation[],
  given: Partial<SpikeOptions> & Pick<SpikeOptions, 'bucket'>,
): Spike[] {
  const o = spikeOptions(given);
  if (observations.length === 0) return [];
  const size = o.bucket === 'day' ? 24 * HOUR_MS : HOUR_MS;
  const offset = o.utcOffsetMinutes * 60_000;
  const bucketOf = (ms: number) => Math.floor((ms + offset) / size);
  const historyStart = bucketOf(o.historyStart ?? observations.reduce((m, x) => Math.min(m, x.at), Infinity));
  const fromBucket = Math.max(historyStart, o.from === undefined ? -Infinity : bucketOf(o.from));
  const toBucket = o.to === undefined ? Infinity : bucketOf(o.to - 1);

  const spikes: Spike[] = [];
  for (const s of groupSeries(observations, bucketOf)) {
    const keys = [...s.buckets.keys()].sort((a, b) => a - b);
    const counts = keys.map((b) => countOf(s.buckets.get(b) ?? [], o.countBy));
    const prefix = [0];
    counts.forEach((c, i) => prefix.push((prefix[i] as number) + c));
    keys.forEach((b, i) => {
      const count = counts[i] as number;
      if (count < o.minCount || b < fromBucket || b > toBucket) return;
      const since = Math.max(historyStart, b - o.baselineBuckets);
      const known = b - since;
      if (known === 0) return;
      const mean = ((prefix[i] as number) - (prefix[lowerIndex(keys, since)] as number)) / known;
      const baseline = Math.max(mean, known < o.coldStartBuckets ? o.coldStartBaseline : o.minBaseline);
      if (count / baseline < o.minRatio || poissonTail(count, baseline) > o.pThreshold) return;
      spikes.push(buildSpike(s, b, count, baseline, o));
    });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return spikes.sort(
    (a, b) => cmp(a.windowStart, b.windowStart) || cmp(a.topic, b.topic) || cmp(a.unitCode, b.unitCode),
  );
}
