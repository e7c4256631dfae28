/**
 * Row types of the resident line's tables (migration 0007-residents). Instants are ISO-8601 UTC
 * strings and booleans 0/1 integers, as in schema.ts.
 */
export interface ResidentOtpCodesTable {
  id: string;
  phone: string;
  /** Hex hash of salt, phone and code: the code itself is never stored. */
  code_hash: string;
  salt: string;
  send_slot: number;
  created_at: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
}

export interface ResidentReportsTable {
  tracking_code: string;
  case_id: string;
  report_id: string;
  user_id: string | null;
  grid_code: string;
  /** 'page' | 'im' */
  source: string;
  created_at: string;
  rated_at: string | null;
  satisfaction: string | null;
}

export interface ImGroupsTable {
  id: string;
  platform: string;
  group_id: string;
  grid_code: string;
  unit_path: string;
  bot_name: string | null;
  is_active: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** The resident line's tables; merged into `Database` (schema.ts). */
export interface ResidentTables {
  resident_otp_codes: ResidentOtpCodesTable;
  resident_reports: ResidentReportsTable;
  im_groups: ImGroupsTable;
}
