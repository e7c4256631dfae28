/**
 * The opinion line end to end, pure: posts → topics and unit (watchlists) → negativity and heat
 * → spikes per (topic, unit) → early warnings. The scheduler runs the same steps on the posts of
 * the last baseline period; the demo and the tests replay a whole feed.
 */
import type { OpinionPost } from './post.js';
import { postHeat, scoreNegativity } from './sentiment.js';
import type { Spike, SpikeObservation, SpikeOptions } from './spike.js';
import { detectSpikes } from './spike.js';
import type { EarlyWarning, WarningEvent } from './warning.js';
import { ingestSpike } from './warning.js';
import type { CompiledWatchlists, WatchMatch } from './watchlist.js';
import { matchWatchlists } from './watchlist.js';

/** A post with what the watchlists and the lexicon made of it. */
export interface ClassifiedPost {
  post: OpinionPost;
  /** Topic codes, sorted, without duplicates. */
  topics: string[];
  unitCode: string;
  matches: WatchMatch[];
  negativity: number;
  heat: number;
}

/** The text the watchlists and the lexicon read: title and body. */
export function postText(post: Pick<OpinionPost, 'title' | 'text'>): string {
  return post.title ? `${post.title}\n${post.text}` : post.text;
}

/**
 * Topics and unit of a post. The unit is the collector's if it gave one, else the unit whose list
 * matched most terms (the finer unit on a tie), else `fallbackUnitCode` (usually the district).
 */
export function classifyPost(
  post: OpinionPost,
  compiled: CompiledWatchlists,
  fallbackUnitCode: string,
): ClassifiedPost {
  const text = postText(post);
  const matches = matchWatchlists(compiled, text);
  const topics = [...new Set(matches.flatMap((m) => (m.topic === null ? [] : [m.topic])))].sort();
  const byUnit = matches
    .filter((m) => m.unitCode !== null)
    .sort(
      (a, b) =>
        b.terms.length - a.terms.length ||
        (b.unitCode as string).length - (a.unitCode as string).length ||
        (a.unitCode as string).localeCompare(b.unitCode as string),
    );
  return {
    post,
    topics,
    unitCode: post.unitCode ?? byUnit[0]?.unitCode ?? fallbackUnitCode,
    matches,
    negativity: scoreNegativity(text).score,
    heat: postHeat(post.engagement),
  };
}

/**
 * The unit and its ancestors down to a code length (6 = district, 9 = street): a burst spread
 * thin over many streets still stands out in the district's series.
 */
export function unitAndAncestors(unitCode: string, rollUpTo?: number): string[] {
  const units = [unitCode];
  if (rollUpTo === undefined) return units;
  for (let len = unitCode.length - 3; len >= Math.max(6, rollUpTo); len -= 3)
    units.push(unitCode.slice(0, len));
  return units;
}

/** One spike observation per (post, topic, unit), the units rolled up to `rollUpTo` digits. */
export function observationsOf(posts: readonly ClassifiedPost[], rollUpTo?: number): SpikeObservation[] {
  return posts.flatMap((c) =>
    c.topics.flatMap((topic) =>
      unitAndAncestors(c.unitCode, rollUpTo).map((unitCode) => ({
        postId: c.post.id,
        topic,
        unitCode,
        at: Date.parse(c.post.postedAt),
        authorHandle: c.post.authorHandle,
        negativity: c.negativity,
        engagement: c.post.engagement,
      })),
    ),
  );
}

export interface PipelineResult {
  classified: ClassifiedPost[];
  spikes: Spike[];
  warnings: EarlyWarning[];
  events: WarningEvent[];
}

/**
 * Replays posts through the whole line. Each spike is applied at the end of its window, in
 * window order, so dedupe behaves as it would have live.
 */
export function runOpinionPipeline(
  posts: readonly OpinionPost[],
  deps: {
    watchlists: CompiledWatchlists;
    spike: Partial<SpikeOptions> & Pick<SpikeOptions, 'bucket'>;
    fallbackUnitCode: string;
    /** Also count each post for its ancestors down to this code length (6 = the district). */
    rollUpTo?: number;
    newId: () => string;
    existingWarnings?: readonly EarlyWarning[];
  },
): PipelineResult {
  const classified = posts.map((p) => classifyPost(p, deps.watchlists, deps.fallbackUnitCode));
  const spikes = detectSpikes(observationsOf(classified, deps.rollUpTo), deps.spike);
  let warnings: EarlyWarning[] = [...(deps.existingWarnings ?? [])];
  const events: WarningEvent[] = [];
  for (const spike of spikes) {
    const result = ingestSpike(warnings, spike, { newId: deps.newId, now: new Date(spike.windowEnd) });
    warnings = result.warnings;
    events.push(result.event);
  }
  return { classified, spikes, warnings, events };
}
