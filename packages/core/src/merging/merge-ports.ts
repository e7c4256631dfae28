import type { ReportRow } from '../cases/case-ports.js';
import type { Repositories } from '../ports.js';
import type { ScoreParts } from './scoring.js';

/** Storage shapes of "one problem, one case" (一事一案), implemented in packages/db. */

/** What the merge search knows of a window case before reading its text (an index-only read). */
export interface MergeCaseHead {
  caseId: string;
  status: string;
  lng: number | null;
  lat: number | null;
  categoryCode: string | null;
  gridId: string | null;
  unitPath: string;
  createdAt: string;
  closedAt: string | null;
}

/** A case as scoring and the proposal list see it. */
export interface MergeCaseRow extends MergeCaseHead {
  number: string;
  /** The case summary: the text of its first report (up to 300 characters). */
  text: string;
  channel: string;
  reportCount: number;
}

/** `obsolete`: the case it was about was merged elsewhere, so nobody needs to decide it any more. */
export type ProposalStatus = 'pending' | 'accepted' | 'rejected' | 'obsolete';

/** "This new case may be that existing one": shown to the operators of the new case's chain. */
export interface MergeProposalRow {
  id: string;
  /** The new case the proposal is about (the one that would be merged). */
  caseId: string;
  /** The existing case it would be merged into. */
  candidateCaseId: string;
  /** The new case's unit path: proposals are listed in the scope of the case they are about. */
  unitPath: string;
  score: number;
  parts: ScoreParts;
  /** 1 = the best candidate of its report. */
  rank: number;
  status: ProposalStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
}

/** How a report came into another case: it joined at intake, or its case was merged. */
export type ReportMoveKind = 'join' | 'merge';

/** One report changing case; kept so that the move can be undone. */
export interface ReportMoveRow {
  id: string;
  reportId: string;
  /** The case the report left; null when it joined at intake (it never had a case of its own). */
  fromCaseId: string | null;
  toCaseId: string;
  kind: ReportMoveKind;
  score: number | null;
  proposalId: string | null;
  /** Where the report itself belongs (its own unit, grid and category): a split-out case starts there. */
  originUnitPath: string;
  originGridId: string | null;
  originCategoryCode: string | null;
  movedAt: string;
  movedBy: string | null;
  undoneAt: string | null;
  undoneBy: string | null;
  /** The case the report went to when the move was undone. */
  undoCaseId: string | null;
}

/** A report of the hot-spot window, with the unit path of its case. */
export interface HotSpotReportRow {
  reportId: string;
  caseId: string;
  unitPath: string;
  channel: string;
  text: string;
  reporterPhone: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface ProposalListFilter {
  /** Unit scope of the caller (path prefix of the new cases); always set by the service. */
  scopePrefix: string;
  status: readonly ProposalStatus[];
  limit: number;
  /** Keyset: proposals created before this (createdAt, id). */
  before?: { createdAt: string; id: string };
}

export interface MergeRepository {
  /** Writes (or replaces) a case's MinHash signature and its LSH band keys. */
  upsertIndex(caseId: string, signature: string, bandKeys: readonly string[], at: string): Promise<void>;
  /** Takes cases out of the index (merged, cancelled …). */
  removeIndex(caseIds: readonly string[]): Promise<void>;
  /**
   * Takes out up to `limit` cases that left the candidate window: merged, cancelled, rejected, or
   * closed before `closedBefore`. Returns how many it took out (call again while it returns `limit`).
   */
  pruneIndex(opts: { closedBefore: string; limit: number }): Promise<number>;
  /** Indexed cases sharing at least one band key, most shared bands first. */
  findByBands(keys: readonly string[], limit: number): Promise<Array<{ caseId: string; hits: number }>>;
  /**
   * Cases under a unit path reported since `since`, not merged, cancelled or rejected, and open or
   * closed since `closedSince`; newest first.
   */
  findInWindow(q: {
    unitPrefix: string;
    since: string;
    closedSince: string;
    limit: number;
  }): Promise<MergeCaseHead[]>;
  loadCases(caseIds: readonly string[]): Promise<MergeCaseRow[]>;

  insertProposals(rows: readonly MergeProposalRow[]): Promise<void>;
  findProposal(id: string): Promise<MergeProposalRow | undefined>;
  /** Proposals in scope, newest first. */
  listProposals(f: ProposalListFilter): Promise<MergeProposalRow[]>;
  /** Proposals about a case (`caseId`) or pointing at it (`candidateCaseId`) with a status. */
  proposalsOf(q: {
    caseId?: string;
    candidateCaseId?: string;
    status: ProposalStatus;
  }): Promise<MergeProposalRow[]>;
  /** Decides a proposal that is still pending; false when it is not (someone decided first). */
  decideProposal(
    id: string,
    d: { status: Exclude<ProposalStatus, 'pending'>; by: string | null; at: string; note: string | null },
  ): Promise<boolean>;
  /** Points a pending proposal at another case (its candidate was merged into that one). */
  retargetProposal(id: string, candidateCaseId: string): Promise<void>;

  insertMoves(rows: readonly ReportMoveRow[]): Promise<void>;
  /** The report's latest move that is not undone. */
  findOpenMove(reportId: string): Promise<ReportMoveRow | undefined>;
  /** Every move of a report, oldest first. */
  movesOf(reportId: string): Promise<ReportMoveRow[]>;
  /** Marks a move undone; false when it was undone already. */
  markMoveUndone(id: string, u: { at: string; by: string | null; undoCaseId: string }): Promise<boolean>;

  /** Open or recently closed cases without a signature (indexed before the index existed), by id. */
  unindexedCases(q: {
    closedSince: string;
    afterId: string | null;
    limit: number;
  }): Promise<Array<{ caseId: string; text: string }>>;

  findReport(reportId: string): Promise<ReportRow | undefined>;
  setReportsCase(reportIds: readonly string[], caseId: string): Promise<void>;
  /** Sets a case's report count without a new version (a merged case that gave its reports away). */
  setReportCount(caseId: string, n: number): Promise<void>;
  /** Reports taken in within [since, until] whose case lies under the prefix (not cancelled or rejected). */
  recentReports(q: {
    scopePrefix: string;
    since: string;
    until: string;
    limit: number;
  }): Promise<HotSpotReportRow[]>;
}

/** Repositories with the merge repository (what `Repositories` is once `merging` is wired in). */
export type MergeTx = Repositories & { merging: MergeRepository };

/** A store whose repositories include the merge repository. */
export interface MergeStore {
  repos: MergeTx;
  transaction<T>(fn: (tx: MergeTx) => Promise<T>): Promise<T>;
  dialect: 'sqlite' | 'postgres';
}
