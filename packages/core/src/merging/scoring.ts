import type { CategoryPath, CategoryRelation, GeoPoint, GridRelation } from './relations.js';
import { categoryRelation, gridRelation, haversineM } from './relations.js';
import type { TextOptions, TextProfile } from './text.js';
import { cosineSimilarity, textProfile } from './text.js';

/**
 * Scoring a candidate case against a new report (一事一案). The text similarity is the base;
 * every other part is evidence in [0, 1] where 0.5 means "no evidence" (missing location,
 * unknown category …). A part moves the score by (2·part − 1) times its `pro` weight when it
 * speaks for the match and its `con` weight when it speaks against, so a missing part changes
 * nothing:
 *
 *   score = clamp01(text + Σ_i (2·part_i − 1) · (part_i ≥ 0.5 ? pro_i : con_i))
 *
 * Evidence against weighs more than evidence for: two reports 2 km apart are different problems
 * whatever their words (template complaints are common), while two reports at one spot may still
 * be two problems. The context weights and decays are judgement, not fitted: the evaluation set
 * (data/merge-eval) has no coordinates, grids or categories. Only text and time were measured.
 */

/** A report or an existing case as the scorer sees it. */
export interface MergeItem {
  id: string;
  /** Title and description together. */
  text: string;
  /** Precomputed {@link textProfile} of `text` (same options), to score many pairs cheaply. */
  profile?: TextProfile;
  /** Reported at (epoch ms). */
  time: number;
  location?: GeoPoint | null;
  gridCode?: string | null;
  category?: CategoryPath | null;
}

/** The parts of a score, each in [0, 1]; 0.5 is neutral (no evidence). */
export interface ScoreParts {
  text: number;
  distance: number;
  time: number;
  category: number;
  grid: number;
}

/** A scored candidate. */
export interface ScoredCandidate {
  caseId: string;
  score: number;
  parts: ScoreParts;
}

/** How far one context part may move the score: up to `pro` for a match, `con` against. */
export interface EvidenceWeight {
  pro: number;
  con: number;
}

/** Weights of the context parts (the text part has weight 1 by construction). */
export interface ScoreWeights {
  distance: EvidenceWeight;
  time: EvidenceWeight;
  category: EvidenceWeight;
  grid: EvidenceWeight;
}

/** Options of {@link scoreCandidate}; every field has a default. */
export interface ScoreOptions extends TextOptions {
  weights?: Partial<ScoreWeights>;
  /** Distance at which location says nothing (part 0.5); closer is for, farther against. Default 200 m. */
  neutralDistanceM?: number;
  /** Time gap at which time says nothing (part 0.5). Default 30 days (follow-ups come weeks later). */
  neutralGapDays?: number;
  /** Grid adjacency, for the grid part. */
  isNeighbour?: (a: string, b: string) => boolean;
}

/**
 * Default weights. Distance decides against a match (far apart = another problem), time is
 * symmetric (its weight was checked on the evaluation set), grid and category nudge.
 */
export const DEFAULT_SCORE_WEIGHTS: Readonly<ScoreWeights> = {
  distance: { pro: 0.15, con: 0.5 },
  time: { pro: 0.1, con: 0.1 },
  category: { pro: 0.05, con: 0.1 },
  grid: { pro: 0.05, con: 0.15 },
};

const CATEGORY_PART: Record<CategoryRelation, number> = {
  sameLeaf: 1,
  sameLevel2: 0.8,
  sameLevel1: 0.65,
  unknown: 0.5,
  // channels classify the same problem differently (hotline operator vs grid worker): weak evidence
  unrelated: 0.25,
};

const GRID_PART: Record<GridRelation, number> = {
  same: 1,
  neighbour: 0.7,
  unknown: 0.5,
  other: 0.15,
};

const DAY_MS = 86_400_000;

/** Location evidence: 1 at the same spot, 0.5 at `neutralM`, halving the distance to 0 beyond. */
export function distancePart(metres: number | null, neutralM = 200): number {
  if (metres === null || !Number.isFinite(metres)) return 0.5;
  return Math.pow(2, -Math.max(0, metres) / neutralM);
}

/** Time evidence: 1 for the same moment, 0.5 at `neutralDays` apart, towards 0 beyond. */
export function timePart(gapMs: number, neutralDays = 30): number {
  if (!Number.isFinite(gapMs)) return 0.5;
  return Math.pow(2, -Math.abs(gapMs) / (neutralDays * DAY_MS));
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const evidence = (part: number, w: EvidenceWeight): number => (2 * part - 1) * (part >= 0.5 ? w.pro : w.con);

/** Scores one candidate case against a report. Pure; symmetric in report and candidate. */
export function scoreCandidate(
  report: MergeItem,
  candidate: MergeItem,
  options: ScoreOptions = {},
): ScoredCandidate {
  const d = DEFAULT_SCORE_WEIGHTS;
  const ow = options.weights ?? {};
  const w: ScoreWeights = {
    distance: ow.distance ?? d.distance,
    time: ow.time ?? d.time,
    category: ow.category ?? d.category,
    grid: ow.grid ?? d.grid,
  };
  const textOptions: TextOptions = { ngram: options.ngram, fillers: options.fillers };
  const pa = report.profile ?? textProfile(report.text, textOptions);
  const pb = candidate.profile ?? textProfile(candidate.text, textOptions);
  const metres =
    report.location && candidate.location ? haversineM(report.location, candidate.location) : null;
  const parts: ScoreParts = {
    text: cosineSimilarity(pa, pb),
    distance: distancePart(metres, options.neutralDistanceM),
    time: timePart(report.time - candidate.time, options.neutralGapDays),
    category: CATEGORY_PART[categoryRelation(report.category, candidate.category)],
    grid: GRID_PART[gridRelation(report.gridCode, candidate.gridCode, options.isNeighbour)],
  };
  const context =
    evidence(parts.distance, w.distance) +
    evidence(parts.time, w.time) +
    evidence(parts.category, w.category) +
    evidence(parts.grid, w.grid);
  return { caseId: candidate.id, score: clamp01(parts.text + context), parts };
}

/** What to do with a new report. */
export type MergeDecision =
  | { kind: 'auto'; caseId: string; score: number }
  | { kind: 'propose'; candidates: ScoredCandidate[] }
  | { kind: 'none' };

/** Thresholds of {@link decideMerge}. */
export interface MergeThresholds {
  /** At or above: merge into the best candidate without asking. */
  autoThreshold: number;
  /** At or above (and below auto): show to the operator. */
  proposeThreshold: number;
  /** Longest proposal list. Default 5. */
  maxProposals?: number;
}

/**
 * Default thresholds, chosen on data/merge-eval (text + time only; see its README). Auto-merge at
 * 0.85: precision 0.96, recall 0.36; its errors were template complaints about other places, which
 * distance and grid push down. Propose from 0.3: precision 0.90, recall 0.90 of "proposed or auto".
 */
export const DEFAULT_MERGE_THRESHOLDS: Readonly<Required<MergeThresholds>> = {
  autoThreshold: 0.85,
  proposeThreshold: 0.3,
  maxProposals: 5,
};

const byScore = (a: ScoredCandidate, b: ScoredCandidate): number =>
  b.score - a.score || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/** Least text similarity for an automatic merge, whatever place and time add. */
export const MIN_AUTO_TEXT = 0.6;
/** Least text similarity for a proposal (none: a reworded report at the same place is worth asking about). */
export const MIN_PROPOSE_TEXT = 0;

/** Decides between auto-merge, a proposal list (best first) and nothing. */
export function decideMerge(
  scored: readonly ScoredCandidate[],
  thresholds: Partial<MergeThresholds> = {},
): MergeDecision {
  const d = DEFAULT_MERGE_THRESHOLDS;
  const t = {
    autoThreshold: thresholds.autoThreshold ?? d.autoThreshold,
    proposeThreshold: thresholds.proposeThreshold ?? d.proposeThreshold,
    maxProposals: thresholds.maxProposals ?? d.maxProposals,
  };
  if (!(t.proposeThreshold <= t.autoThreshold)) {
    throw new RangeError('proposeThreshold must not exceed autoThreshold');
  }
  // place, time, grid and category alone must not make two different problems one case: a
  // proposal needs some shared wording, an automatic merge a lot of it
  const ranked = scored
    .filter(
      (c) => Number.isFinite(c.score) && c.score >= t.proposeThreshold && c.parts.text >= MIN_PROPOSE_TEXT,
    )
    .sort(byScore);
  const best = ranked[0];
  if (!best) return { kind: 'none' };
  if (best.score >= t.autoThreshold && best.parts.text >= MIN_AUTO_TEXT)
    return { kind: 'auto', caseId: best.caseId, score: best.score };
  return { kind: 'propose', candidates: ranked.slice(0, Math.max(1, t.maxProposals)) };
}
