import { OPEN_STATUSES, TERMINAL_STATUSES } from '../cases/case-types.js';
import type { Repositories } from '../ports.js';
import { lshBandKeys } from './lsh.js';
import { encodeSignature, minhashSignature } from './minhash.js';
import type { MergeCaseHead, MergeCaseRow, MergeRepository } from './merge-ports.js';
import type { CategoryPath } from './relations.js';
import type {
  EvidenceWeight,
  MergeDecision,
  MergeItem,
  MergeThresholds,
  ScoreOptions,
  ScoreParts,
  ScoredCandidate,
} from './scoring.js';
import { DEFAULT_MERGE_THRESHOLDS, DEFAULT_SCORE_WEIGHTS, decideMerge, scoreCandidate } from './scoring.js';
import type { TextProfile } from './text.js';
import { textProfile } from './text.js';

/**
 * Finding the case a new report belongs to, inside the intake transaction. Two searches are
 * united: the LSH band index (near-duplicates anywhere in the district, whatever their age) and
 * the window of the report's neighbourhood (reworded reports of the last weeks nearby). Then the
 * candidates are scored (scoring.ts) and the best decides (decideMerge).
 *
 * Neighbouring grids are approximated by "the grids of the same community": the grid topology
 * has no adjacency table yet, and a community's 3–4 grids are about the walking range of one
 * problem. Grids on either side of a community border are therefore "other" to each other.
 *
 * Scoring a case costs tens of microseconds (its text profile) and reading its text a random page,
 * so not every candidate is scored: the LSH hits sharing the most bands (`lshScoreLimit`), and the
 * window cases whose context — place, time, category, grid, known without their text — gives the
 * most (`windowScoreLimit`). A reworded report needs good context to reach the proposal threshold,
 * and a near-copy shares many bands, so the cut only bites where a community has more cases in
 * the window than the limit (scripts/bench-merge.mjs compares it with scoring every candidate).
 */

const DAY_MS = 86_400_000;

/** Merged, cancelled or rejected: never a merge target, never indexed. */
export const isTerminalStatus = (status: string): boolean =>
  (TERMINAL_STATUSES as readonly string[]).includes(status);
/** Still being worked on: a report may join it automatically (a closed case is only proposed). */
export const isOpenStatus = (status: string): boolean =>
  (OPEN_STATUSES as readonly string[]).includes(status);

/** Settings key of the merge options (an admin may tune or switch off automatic merging). */
export const MERGE_SETTINGS_KEY = 'merging';

/** Options of the candidate search; every field has a default. */
export interface MergeSearchOptions {
  thresholds?: Partial<MergeThresholds>;
  /** Merge without asking at or above the auto threshold. Default true. */
  autoMerge?: boolean;
  /** Cases reported more than this many days before the report are outside the window. Default 30. */
  windowDays?: number;
  /** Closed cases stay candidates this many days after closing. Default 7. */
  recentlyClosedDays?: number;
  /** Most LSH hits the band query returns (most shared bands first). Default 200. */
  bandLimit?: number;
  /** Most window cases read (newest first). Default 100. */
  windowLimit?: number;
  /** LSH hits scored (most shared bands first). Default 30. */
  lshScoreLimit?: number;
  /** Window cases scored (best context first). Default 20. */
  windowScoreLimit?: number;
  /** Score every candidate found (no limits after the searches). Default false. */
  exhaustive?: boolean;
  score?: ScoreOptions;
}

/** A new report as the search sees it. */
export interface MergeReport {
  text: string;
  lng?: number | null | undefined;
  lat?: number | null | undefined;
  categoryCode?: string | null | undefined;
  /** The report's basic grid, when it has one. */
  gridId?: string | null | undefined;
  /** The report's unit path (its grid, or the center it was addressed to). */
  unitPath: string;
  /** When it came in (ISO instant). */
  at: string;
  /** Cases never to propose (e.g. the case the report is leaving). */
  excludeCaseIds?: readonly string[];
}

/** A scored candidate with what the operator is shown and how it was found. */
export interface MergeCandidate extends ScoredCandidate {
  number: string;
  status: string;
  via: 'lsh' | 'window' | 'both';
  bandHits: number;
}

/** What findMatches found: the decision, the ranked candidates, and the report's index entry. */
export interface MergeMatches {
  decision: MergeDecision;
  /** Candidates at or above the proposal threshold, best first (at most 20). */
  candidates: MergeCandidate[];
  /** How many candidate cases the two searches found (still open or recently closed). */
  found: number;
  /** How many of them were scored. */
  scored: number;
  /** The report's encoded signature and band keys (indexCase reuses them). */
  signature: string;
  bandKeys: string[];
}

/** The path of the community a unit lies in (the unit's own path above community level). */
export function communityPathOf(unitPath: string): string {
  const codes = unitPath.split('/').filter(Boolean);
  const i = codes.findIndex((c) => c.length === 12);
  return i < 0 ? unitPath : `/${codes.slice(0, i + 1).join('/')}/`;
}

/** A category code (`01.02.003`) as the levels scoring compares. */
export function categoryPathOf(code: string | null | undefined): CategoryPath | null {
  if (!code) return null;
  const [a, b, c] = code.split('.');
  return {
    level1: a ?? null,
    level2: a && b ? `${a}.${b}` : null,
    level3: a && b && c ? `${a}.${b}.${c}` : null,
  };
}

// grids are compared by path, so that "neighbour" can be read off the path (same community)
const sameCommunity = (a: string, b: string): boolean => communityPathOf(a) === communityPathOf(b);

interface Placed {
  lng?: number | null | undefined;
  lat?: number | null | undefined;
  gridId?: string | null | undefined;
  unitPath: string;
  categoryCode?: string | null | undefined;
}

function asItem(id: string, r: Placed, text: string, time: number): MergeItem {
  return {
    id,
    text,
    time,
    location: r.lng != null && r.lat != null ? { lat: r.lat, lon: r.lng } : null,
    gridCode: r.gridId ? r.unitPath : null,
    category: categoryPathOf(r.categoryCode),
  };
}

const NO_TEXT: TextProfile = { counts: new Map(), norm: 0 };

/** The score without its text part: the evidence of scoring.ts's context parts, summed. */
function contextOf(parts: ScoreParts, options: ScoreOptions): number {
  const w = { ...DEFAULT_SCORE_WEIGHTS, ...options.weights };
  const ev = (p: number, x: EvidenceWeight) => (2 * p - 1) * (p >= 0.5 ? x.pro : x.con);
  return (
    ev(parts.distance, w.distance) +
    ev(parts.time, w.time) +
    ev(parts.category, w.category) +
    ev(parts.grid, w.grid)
  );
}

/** The merge options stored in settings (key `merging`), over the defaults. */
export async function loadMergeOptions(tx: Pick<Repositories, 'settings'>): Promise<MergeSearchOptions> {
  const s = (await tx.settings.get<Record<string, unknown>>(MERGE_SETTINGS_KEY)) ?? {};
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  return {
    autoMerge: s.autoMerge !== false,
    thresholds: {
      autoThreshold: num('autoThreshold') ?? DEFAULT_MERGE_THRESHOLDS.autoThreshold,
      proposeThreshold: num('proposeThreshold') ?? DEFAULT_MERGE_THRESHOLDS.proposeThreshold,
    },
    windowDays: num('windowDays') ?? 30,
    recentlyClosedDays: num('recentlyClosedDays') ?? 7,
  };
}

/** Candidate cases of a new report, scored, and the decision: auto-merge, propose, or nothing. */
export async function findMatches(
  tx: { merging: MergeRepository },
  report: MergeReport,
  options: MergeSearchOptions = {},
): Promise<MergeMatches> {
  const at = Date.parse(report.at);
  const closedSince = new Date(at - (options.recentlyClosedDays ?? 7) * DAY_MS).toISOString();
  const sig = minhashSignature(report.text);
  const bandKeys = lshBandKeys(sig);
  const all = options.exhaustive === true;
  const [hits, window] = await Promise.all([
    tx.merging.findByBands(bandKeys, options.bandLimit ?? 200),
    tx.merging.findInWindow({
      unitPrefix: communityPathOf(report.unitPath),
      since: new Date(at - (options.windowDays ?? 30) * DAY_MS).toISOString(),
      closedSince,
      limit: options.windowLimit ?? 100,
    }),
  ]);
  const excluded = new Set(report.excludeCaseIds ?? []);
  const alive = (c: { caseId: string; status: string; closedAt: string | null }) =>
    !excluded.has(c.caseId) &&
    !isTerminalStatus(c.status) &&
    (c.closedAt === null || c.closedAt >= closedSince);
  const scoreOptions: ScoreOptions = { isNeighbour: sameCommunity, ...options.score };
  const me = asItem('report', report, report.text, at);

  // LSH hits: most shared bands first; window cases: best context first (no text read yet)
  const bandHits = new Map(hits.map((h) => [h.caseId, h.hits]));
  const lshIds = hits.slice(0, all ? undefined : (options.lshScoreLimit ?? 30)).map((h) => h.caseId);
  const inWindow = new Set(window.map((w) => w.caseId));
  const nearby = window.filter((w) => alive(w) && !bandHits.has(w.caseId));
  const windowIds = byContext(me, nearby, scoreOptions).slice(
    0,
    all ? undefined : (options.windowScoreLimit ?? 20),
  );
  const ids = [...lshIds, ...windowIds];
  const rows = ids.length ? (await tx.merging.loadCases(ids)).filter(alive) : [];

  const withText = { ...me, profile: textProfile(report.text) };
  const scored = rows.map((row: MergeCaseRow): MergeCandidate => {
    const n = bandHits.get(row.caseId) ?? 0;
    return {
      ...scoreCandidate(withText, asItem(row.caseId, row, row.text, Date.parse(row.createdAt)), scoreOptions),
      number: row.number,
      status: row.status,
      via: n === 0 ? 'window' : inWindow.has(row.caseId) ? 'both' : 'lsh',
      bandHits: n,
    };
  });
  const propose = options.thresholds?.proposeThreshold ?? DEFAULT_MERGE_THRESHOLDS.proposeThreshold;
  const ranked = scored
    .filter((c) => c.score >= propose)
    .sort((a, b) => b.score - a.score || (a.caseId < b.caseId ? -1 : 1))
    .slice(0, 20);
  return {
    decision: decide(scored, options),
    candidates: ranked,
    found: hits.length + nearby.length,
    scored: scored.length,
    signature: encodeSignature(sig),
    bandKeys,
  };
}

/** Ids of window cases, the best context (place, time, category, grid) first. */
function byContext(me: MergeItem, heads: readonly MergeCaseHead[], options: ScoreOptions): string[] {
  const blank = { ...me, profile: NO_TEXT };
  return heads
    .map((h) => {
      const item = { ...asItem(h.caseId, h, '', Date.parse(h.createdAt)), profile: NO_TEXT };
      return { id: h.caseId, context: contextOf(scoreCandidate(blank, item, options).parts, options) };
    })
    .sort((a, b) => b.context - a.context || (a.id < b.id ? -1 : 1))
    .map((c) => c.id);
}

/** decideMerge, except that only an open case is joined without asking. */
function decide(scored: readonly MergeCandidate[], options: MergeSearchOptions): MergeDecision {
  const decision = decideMerge(scored, options.thresholds);
  if (decision.kind !== 'auto') return decision;
  const best = scored.find((c) => c.caseId === decision.caseId);
  // a closed case is not joined silently: the problem is back, and someone has to look
  if (options.autoMerge !== false && best && isOpenStatus(best.status)) return decision;
  return decideMerge(scored, { ...options.thresholds, autoThreshold: Number.POSITIVE_INFINITY });
}

/**
 * The candidates to record as proposals for a new case: the proposal list, or — when the report
 * did not join the best candidate after all (it ended meanwhile) — the best few candidates.
 */
export function proposalCandidates(m: MergeMatches): MergeCandidate[] {
  if (m.decision.kind === 'none') return [];
  if (m.decision.kind === 'propose') return m.decision.candidates as MergeCandidate[];
  return m.candidates.slice(0, DEFAULT_MERGE_THRESHOLDS.maxProposals);
}

/** Puts a case into the index (signature and band keys), reusing what findMatches computed. */
export async function indexCase(
  tx: { merging: MergeRepository },
  caseId: string,
  text: string,
  at: string,
  computed?: Pick<MergeMatches, 'signature' | 'bandKeys'>,
): Promise<void> {
  if (computed) {
    await tx.merging.upsertIndex(caseId, computed.signature, computed.bandKeys, at);
    return;
  }
  const sig = minhashSignature(text);
  await tx.merging.upsertIndex(caseId, encodeSignature(sig), lshBandKeys(sig), at);
}
