/**
 * Row types of the "one problem, one case" tables (migration 0005-merging). Instants are ISO-8601
 * UTC strings and JSON is text, as everywhere (schema.ts).
 */

/** The MinHash signature of an indexed case (open or recently closed). */
export interface CaseSignaturesTable {
  case_id: string;
  /** base64 of 128 little-endian uint32 slots (encodeSignature). */
  signature: string;
  updated_at: string;
}

/** One LSH band key of an indexed case (32 per case). */
export interface CaseBandsTable {
  band_key: string;
  case_id: string;
}

export interface MergeProposalsTable {
  id: string;
  case_id: string;
  candidate_case_id: string;
  unit_path: string;
  score: number;
  /** ScoreParts as JSON. */
  parts: string;
  rank: number;
  status: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
}

export interface ReportMovesTable {
  id: string;
  report_id: string;
  from_case_id: string | null;
  to_case_id: string;
  kind: string;
  score: number | null;
  proposal_id: string | null;
  origin_unit_path: string;
  origin_grid_id: string | null;
  origin_category_code: string | null;
  moved_at: string;
  moved_by: string | null;
  undone_at: string | null;
  undone_by: string | null;
  undo_case_id: string | null;
}

export interface MergingTables {
  case_signatures: CaseSignaturesTable;
  case_bands: CaseBandsTable;
  merge_proposals: MergeProposalsTable;
  report_moves: ReportMovesTable;
}
