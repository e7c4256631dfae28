import type { AreaGeometry, DedicatedGridKind, UnitLevel } from './governance/unit.js';
import type { Role, StaffRole } from './access/roles.js';
import type { AuditEntry } from './audit/audit-chain.js';
import type { AttachmentRepository } from './cases/attachments.js';
import type { MergeRepository } from './merging/merge-ports.js';
import type { OpinionRepository } from './opinion/opinion-ports.js';
import type { WebhookRepository } from './cases/webhooks.js';
import type { VolumeRepository } from './cases/volumes.js';
import type { ResidentRepository } from './residents/resident-ports.js';
import type {
  CaseRepository,
  CategoryRepository,
  ChangeRepository,
  IdempotencyRepository,
  InboxRepository,
  JointRepository,
  LedgerRepository,
  TimerRepository,
} from './cases/case-ports.js';

/** A unit row as services see it (geometry loaded only where asked for). */
export interface UnitRecord {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: DedicatedGridKind | null;
  parentId: string | null;
  path: string;
  areaM2: number | null;
  bbox: [number, number, number, number] | null;
  geometry?: AreaGeometry | null;
}

export interface NewUnit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: DedicatedGridKind | null;
  parentId: string | null;
  path: string;
  geometry: AreaGeometry | null;
  bbox: [number, number, number, number] | null;
  areaM2: number | null;
}

export interface UnitListFilter {
  /** Path prefix of the caller's scope (always set by the service). */
  scopePrefix: string;
  level?: UnitLevel | undefined;
  parentId?: string | undefined;
  q?: string | undefined;
  withGeometry?: boolean;
  limit: number;
  /** Keyset pagination: codes after this one. */
  afterCode?: string | undefined;
}

export interface UnitRepository {
  findById(id: string): Promise<UnitRecord | undefined>;
  findByCode(code: string, withGeometry?: boolean): Promise<UnitRecord | undefined>;
  findManyByIds(ids: string[]): Promise<UnitRecord[]>;
  findManyByCodes(codes: string[]): Promise<UnitRecord[]>;
  list(filter: UnitListFilter): Promise<UnitRecord[]>;
  countByLevel(scopePrefix: string): Promise<Record<UnitLevel, number>>;
  /** Every unit with geometry, for the locator and the topology validator. */
  allWithGeometry(): Promise<
    Array<UnitRecord & { geometry: AreaGeometry | null; parentCode: string | null }>
  >;
  allCodes(): Promise<Map<string, { id: string; level: UnitLevel; path: string }>>;
  insertMany(units: NewUnit[], now: string): Promise<void>;
  upsertMany(units: NewUnit[], now: string): Promise<{ inserted: number; updated: number }>;
}

export interface CenterRecord {
  id: string;
  unitId: string;
  unitCode: string;
  name: string;
  level: UnitLevel;
}

export interface CenterRepository {
  list(scopePrefix: string): Promise<CenterRecord[]>;
  insertMany(
    rows: Array<{ id: string; unitId: string; name: string; level: UnitLevel }>,
    now: string,
  ): Promise<void>;
}

export interface DepartmentRecord {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  domains: string[];
  isActive: boolean;
}

export interface DepartmentRepository {
  list(): Promise<DepartmentRecord[]>;
  findById(id: string): Promise<DepartmentRecord | undefined>;
  findByCode(code: string): Promise<DepartmentRecord | undefined>;
  insert(d: DepartmentRecord, now: string): Promise<void>;
  update(id: string, patch: Partial<Omit<DepartmentRecord, 'id' | 'code'>>, now: string): Promise<void>;
  count(): Promise<number>;
}

export interface StaffRecord {
  id: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  unitPath: string;
  role: StaffRole;
  name: string;
  phone: string | null;
  idNumber: string | null;
  team: string | null;
  userId: string | null;
  isActive: boolean;
}

export interface NewStaff {
  id: string;
  unitId: string;
  role: StaffRole;
  name: string;
  phone: string | null;
  idNumber: string | null;
  team: string | null;
  userId: string | null;
}

export interface StaffListFilter {
  scopePrefix: string;
  unitId?: string | undefined;
  role?: StaffRole | undefined;
  limit: number;
  afterId?: string | undefined;
}

export interface VacancyRow {
  unitId: string;
  code: string;
  name: string;
  path: string;
  missing: StaffRole[];
}

export interface StaffRepository {
  findById(id: string): Promise<StaffRecord | undefined>;
  list(filter: StaffListFilter): Promise<StaffRecord[]>;
  count(scopePrefix: string): Promise<number>;
  insertMany(rows: NewStaff[], now: string): Promise<void>;
  update(
    id: string,
    patch: Partial<Pick<NewStaff, 'name' | 'phone' | 'idNumber' | 'team' | 'role'>> & { isActive?: boolean },
    now: string,
  ): Promise<void>;
  /** Active holders of each grid role, per basic grid in scope. */
  gridRoleCounts(
    scopePrefix: string,
  ): Promise<Array<{ unitId: string; code: string; name: string; path: string; role: string; n: number }>>;
  /** Mediation team sizes per community in scope. */
  mediationTeamSizes(
    scopePrefix: string,
  ): Promise<Array<{ unitId: string; code: string; name: string; n: number }>>;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  departmentId: string | null;
  phone: string | null;
  passwordHash: string | null;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpLastCounter: number | null;
  isDisabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export type NewUser = Omit<
  UserRecord,
  'failedLogins' | 'lockedUntil' | 'lastLoginAt' | 'createdAt' | 'totpLastCounter'
>;

export interface UserListFilter {
  scopePrefix: string | null;
  role?: Role | undefined;
  limit: number;
  afterUsername?: string | undefined;
}

export interface UserRepository {
  /** Adds one failed login atomically and returns the new count (parallel guesses all count). */
  incrementFailedLogins(id: string, now: string): Promise<number>;
  /** Records a used TOTP counter only if it is newer than the last one; false means a replay. */
  claimTotpCounter(id: string, counter: number, now: string): Promise<boolean>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(
    filter: UserListFilter,
  ): Promise<Array<UserRecord & { unitPath: string | null; unitCode: string | null }>>;
  count(): Promise<number>;
  insert(u: NewUser, now: string): Promise<void>;
  update(
    id: string,
    patch: Partial<
      Pick<
        UserRecord,
        | 'displayName'
        | 'passwordHash'
        | 'totpSecret'
        | 'totpEnabled'
        | 'totpLastCounter'
        | 'isDisabled'
        | 'failedLogins'
        | 'lockedUntil'
        | 'lastLoginAt'
        | 'phone'
      >
    >,
    now: string,
  ): Promise<void>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  kind: 'cookie' | 'bearer';
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  revokedAt: string | null;
}

export interface SessionRepository {
  insert(s: SessionRecord & { ip: string | null; userAgent: string | null }): Promise<void>;
  findById(id: string): Promise<SessionRecord | undefined>;
  touch(id: string, at: string, expiresAt: string): Promise<void>;
  revoke(id: string, at: string): Promise<void>;
  revokeAllOfUser(userId: string, at: string): Promise<number>;
}

export interface AuditDraft {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: unknown;
  requestId: string | null;
}

export interface AuditRepository {
  /** Appends one entry, chained to the current head (must run inside the write's transaction). */
  append(draft: AuditDraft): Promise<{ seq: number; hash: string }>;
  /** Streams entries in seq order (bounded memory). */
  iterate(batchSize?: number): AsyncIterable<AuditEntry>;
  head(): Promise<{ seq: number; hash: string } | null>;
  list(filter: {
    entityType?: string;
    entityId?: string;
    limit: number;
    beforeSeq?: number;
  }): Promise<AuditEntry[]>;
}

export interface SettingsRepository {
  get<T>(key: string): Promise<T | undefined>;
  /** Several settings in one query. */
  getMany(keys: readonly string[]): Promise<Map<string, unknown>>;
  set(key: string, value: unknown, now: string): Promise<void>;
}

/** Every repository, bound either to the pool or to one transaction. */
export interface Repositories {
  units: UnitRepository;
  centers: CenterRepository;
  departments: DepartmentRepository;
  staff: StaffRepository;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  settings: SettingsRepository;
  cases: CaseRepository;
  timers: TimerRepository;
  inbox: InboxRepository;
  idempotency: IdempotencyRepository;
  categories: CategoryRepository;
  joints: JointRepository;
  ledger: LedgerRepository;
  attachments: AttachmentRepository;
  opinion: OpinionRepository;
  changes: ChangeRepository;
  merging: MergeRepository;
  webhooks: WebhookRepository;
  volumes: VolumeRepository;
  residents: ResidentRepository;
}

/** Storage as services see it: reads on `repos`, writes inside `transaction`. */
export interface Store {
  repos: Repositories;
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  dialect: 'sqlite' | 'postgres';
}
