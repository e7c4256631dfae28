/**
 * Row types of the opinion line's tables (migration 0004-opinion). Instants are ISO-8601 UTC
 * strings, booleans 0/1 integers, lists JSON text, as in schema.ts.
 */
export interface OpinionPostsTable {
  id: string;
  source: string;
  url: string;
  author_handle: string;
  title: string | null;
  text: string;
  posted_at: string;
  likes: number;
  comments: number;
  shares: number;
  views: number;
  against: number;
  unit_code: string;
  unit_path: string;
  negativity: number;
  heat: number;
  ingested_at: string;
  ingested_by: string | null;
}

export interface OpinionPostTopicsTable {
  post_id: string;
  topic: string;
  unit_code: string;
  unit_path: string;
  posted_at: string;
  author_handle: string;
}

export interface WatchlistsTable {
  id: string;
  topic: string | null;
  unit_code: string | null;
  /** JSON array of terms. */
  terms: string;
  /** JSON array of exclusion terms. */
  exclude_terms: string;
  is_active: number;
  updated_by: string | null;
  updated_at: string;
}

export interface EarlyWarningsTable {
  id: string;
  topic: string;
  unit_code: string;
  unit_path: string;
  status: string;
  level: string;
  window_start: string;
  window_end: string;
  peak_count: number;
  baseline: number;
  score: number;
  spike_count: number;
  /** JSON array of post ids. */
  evidence_post_ids: string;
  case_id: string | null;
  dismiss_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  opened_at: string;
  updated_at: string;
  version: number;
}

export interface OpinionStateTable {
  key: string;
  value: string;
  updated_at: string;
}

/** The opinion line's tables; merged into `Database` (schema.ts). */
export interface OpinionTables {
  opinion_posts: OpinionPostsTable;
  opinion_post_topics: OpinionPostTopicsTable;
  watchlists: WatchlistsTable;
  early_warnings: EarlyWarningsTable;
  opinion_state: OpinionStateTable;
}
