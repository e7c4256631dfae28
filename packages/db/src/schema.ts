import type { Generated } from 'kysely';

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

export interface Database {
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
