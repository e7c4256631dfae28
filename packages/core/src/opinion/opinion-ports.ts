/**
 * Storage shapes of the public-opinion line (舆情), implemented in packages/db
 * (opinion.repository.ts). Instants are ISO-8601 UTC strings.
 */
import type { Engagement, OpinionSource } from './post.js';
import type { WarningStatus, EarlyWarning } from './warning.js';
import type { Watchlist } from './watchlist.js';

/** A stored post: placed in a unit, scored, with its topics. */
export interface OpinionPostRow {
  id: string;
  source: OpinionSource;
  url: string;
  authorHandle: string;
  title: string | null;
  text: string;
  postedAt: string;
  engagement: Engagement;
  unitCode: string;
  unitPath: string;
  /** Negative sentiment 0..1 (scoreNegativity) and engagement heat 0..1 (postHeat). */
  negativity: number;
  heat: number;
  /** Topic codes, sorted. */
  topics: string[];
  ingestedAt: string;
  ingestedBy: string | null;
}

/** One post counted for one topic, with what spike detection needs of the post. */
export interface OpinionObservationRow {
  postId: string;
  topic: string;
  unitCode: string;
  unitPath: string;
  postedAt: string;
  authorHandle: string;
  negativity: number;
  engagement: Engagement;
}

/** Posts per (topic, unit) in a time window: the cheap first pass of detection. */
export interface OpinionWindowCount {
  topic: string;
  unitPath: string;
  posts: number;
}

export interface WatchlistRow extends Watchlist {
  excludeTerms: readonly string[];
  isActive: boolean;
  updatedBy: string | null;
  updatedAt: string;
}

/** A stored early warning and the path of its unit (for the data scope). */
export interface WarningRow extends EarlyWarning {
  unitPath: string;
}

export interface PostListFilter {
  /** Path prefix of the caller's scope (always set by the service). */
  scopePrefix: string;
  topic?: string | undefined;
  /** posted_at ≥ from and < to. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** Keyset pagination, newest first: posts strictly before this (postedAt, id). */
  before?: { postedAt: string; id: string } | undefined;
}

export interface WarningListFilter {
  scopePrefix: string;
  status?: WarningStatus | undefined;
  topic?: string | undefined;
  limit: number;
  /** Keyset pagination, newest first: warnings strictly before this (openedAt, id). */
  before?: { openedAt: string; id: string } | undefined;
}

export interface OpinionRepository {
  /** Inserts posts, skipping any whose (source, url) is stored already; returns the ids inserted. */
  insertPosts(posts: readonly OpinionPostRow[]): Promise<string[]>;
  findPostsByIds(ids: readonly string[]): Promise<OpinionPostRow[]>;
  listPosts(filter: PostListFilter): Promise<OpinionPostRow[]>;
  /** The instant of the earliest stored post (when monitoring began), if any. */
  earliestPostAt(): Promise<string | null>;
  /** Posts per (topic, unit path) with posted_at in [from, to). */
  windowCounts(from: string, to: string): Promise<OpinionWindowCount[]>;
  /** Every (post, topic) of the given topics with posted_at in [from, to). */
  observations(topics: readonly string[], from: string, to: string): Promise<OpinionObservationRow[]>;

  listWatchlists(): Promise<WatchlistRow[]>;
  findWatchlist(id: string): Promise<WatchlistRow | undefined>;
  insertWatchlist(w: WatchlistRow): Promise<void>;
  /** Inserts the lists whose id is not taken yet; returns how many were new. */
  insertWatchlistsIfAbsent(ws: readonly WatchlistRow[]): Promise<number>;
  updateWatchlist(
    id: string,
    patch: Partial<Pick<WatchlistRow, 'terms' | 'excludeTerms' | 'isActive'>> &
      Pick<WatchlistRow, 'updatedBy' | 'updatedAt'>,
  ): Promise<void>;

  findWarning(id: string): Promise<WarningRow | undefined>;
  findOpenWarning(topic: string, unitCode: string): Promise<WarningRow | undefined>;
  /** Dismissed warnings of a (topic, unit) decided at or after `since` (the quiet period). */
  recentDismissed(topic: string, unitCode: string, since: string): Promise<WarningRow[]>;
  insertWarning(w: WarningRow): Promise<void>;
  /** Writes the warning only if the stored version is `expectedVersion`; false otherwise. */
  updateWarning(w: WarningRow, expectedVersion: number): Promise<boolean>;
  listWarnings(filter: WarningListFilter): Promise<WarningRow[]>;

  getState(key: string): Promise<string | undefined>;
  /**
   * Compare-and-set of a detector state value: writes `next` only if the stored value is
   * `expected` (null = no row yet). False when another run got there first.
   */
  claimState(key: string, expected: string | null, next: string, now: string): Promise<boolean>;
}

/** Repositories with the opinion line's; the same as `Repositories` once that includes it. */
export interface OpinionRepositories {
  opinion: OpinionRepository;
}
