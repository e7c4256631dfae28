import type { Generated } from 'kysely';
import type { MergingTables } from './schema-merging.js';
import type { OpinionTables } from './schema-opinion.js';
import type { ResidentTables } from './schema-residents.js';

/**
 * Row types of every table. Instants are ISO-8601 UTC strings (`2026-11-27T08:00:00.000Z`) on both
 * databases so that ordering and comparison are the same on SQLite and PostgreSQL; booleans are
 * 0/1 integers; JSON is text.
 */
export interface UnitsTable {
  id: string;
  code: string;
  name: string;
  level: string;
  kind: string | null;
  parent_id: string | null;
  path: string;
  geometry: string | null;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  area_m2: number | null;
  created_at: string;
  updated_at: string;
}

export interface CentersTable {
  id: string;
  unit_id: string;
  name: string;
  level: string;
  created_at: string;
}

export interface DepartmentsTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  domains: string;
  is_active: number;
  created_at: string;
  updated_at: string;
}

export interface StaffTable {
  id: string;
  unit_id: string;
  role: string;
  name: string;
  phone: string | null;
  id_number: string | null;
  team: string | null;
  user_id: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  unit_id: string | null;
  department_id: string | null;
  phone: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_counter: number | null;
  is_disabled: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  kind: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface CategoriesTable {
  code: string;
  level: number;
  name: string;
  parent_code: string | null;
  path: string;
  is_active: number;
  updated_at: string;
}

export interface CasesTable {
  id: string;
  number: string;
  status: string;
  version: number;
  state: string;
  priority: string;
  category_code: string | null;
  summary: string;
  channel: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  grid_id: string | null;
  unit_id: string;
  unit_path: string;
  handler_kind: string | null;
  handler_user_id: string | null;
  handler_unit_id: string | null;
  handler_department_id: string | null;
  dispatcher_unit_id: string | null;
  escalation: string;
  supervision: string;
  is_paused: number;
  accept_due_at: string | null;
  handle_due_at: string | null;
  feedback_due_at: string | null;
  repeat_of: string | null;
  merged_into: string | null;
  report_count: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface ReportsTable {
  id: string;
  case_id: string;
  channel: string;
  external_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  text: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  fields: string;
  received_at: string;
  created_by: string | null;
  created_at: string;
}

export interface CaseEventsTable {
  id: string;
  case_id: string;
  version: number;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  payload: string;
}

export interface TimersTable {
  id: string;
  case_id: string;
  kind: string;
  due_at: string;
  fired_at: string | null;
  cancelled_at: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  payload: string;
  created_at: string;
}

export interface InboxTable {
  id: string;
  user_id: string | null;
  unit_id: string | null;
  department_id: string | null;
  case_id: string | null;
  kind: string;
  title: string;
  created_at: string;
  read_at: string | null;
}

export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  route: string;
  body_hash: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface JointHandlingsTable {
  id: string;
  case_id: string;
  joint_no: number;
  unit_path: string;
  convened_by: string | null;
  convened_at: string;
  meets_at: string;
  place: string;
  purpose: string | null;
  participants: string;
  status: string;
  outcome: string | null;
  resolved: number | null;
  recorded_by: string | null;
  recorded_at: string | null;
}

export interface LedgerCheckoffsTable {
  id: string;
  item_kind: string;
  case_id: string;
  joint_no: number | null;
  unit_path: string;
  title: string;
  checked_at: string;
  checked_by: string | null;
  note: string | null;
}

export interface AttachmentsTable {
  id: string;
  case_id: string | null;
  uploaded_by: string;
  uploaded_at: string;
  kind: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  storage_name: string;
  thumb_name: string | null;
  original_name: string | null;
}

export interface WebhooksTable {
  id: string;
  department_id: string | null;
  name: string;
  url: string;
  secret: string;
  events: string;
  is_active: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  claimed_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  at: string;
  ok: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  snippet: string | null;
}

export interface Database extends OpinionTables, ResidentTables, MergingTables {
  joint_handlings: JointHandlingsTable;
  ledger_checkoffs: LedgerCheckoffsTable;
  attachments: AttachmentsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  categories: CategoriesTable;
  case_number_seq: { day: string; last: number };
  cases: CasesTable;
  case_departments: { case_id: string; department_id: string; role: string };
  reports: ReportsTable;
  case_events: CaseEventsTable;
  timers: TimersTable;
  inbox: InboxTable;
  idempotency_keys: IdempotencyKeysTable;
  units: UnitsTable;
  centers: CentersTable;
  departments: DepartmentsTable;
  staff: StaffTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}

/** Used by Generated<> users later; kept so the import stays meaningful. */
export type Auto<T> = Generated<T>;
