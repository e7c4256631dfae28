/** Storage shapes of the closed loop (implemented in packages/db). */
export type Channel = 'grid' | 'hotline' | 'opinion' | 'petition' | 'resident' | 'department';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface CaseRow {
  id: string;
  number: string;
  status: string;
  version: number;
  /** The state machine's state as JSON (handler, dispatcher, escalation, …). */
  state: unknown;
  priority: Priority;
  categoryCode: string | null;
  summary: string;
  channel: Channel;
  lng: number | null;
  lat: number | null;
  address: string | null;
  gridId: string | null;
  /** The unit the case belongs to (its grid, else the center chosen) and that unit's path. */
  unitId: string;
  unitPath: string;
  handlerKind: string | null;
  handlerUserId: string | null;
  handlerUnitId: string | null;
  handlerDepartmentId: string | null;
  dispatcherUnitId: string | null;
  escalation: string;
  supervision: string;
  isPaused: boolean;
  acceptDueAt: string | null;
  handleDueAt: string | null;
  feedbackDueAt: string | null;
  repeatOf: string | null;
  mergedInto: string | null;
  reportCount: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ReportRow {
  id: string;
  caseId: string;
  channel: Channel;
  externalId: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  text: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  fields: Record<string, unknown>;
  receivedAt: string;
  createdBy: string | null;
  createdAt: string;
}

export interface CaseEventRow {
  id: string;
  caseId: string;
  version: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  payload: unknown;
}

export interface TimerRow {
  id: string;
  caseId: string;
  kind: string;
  dueAt: string;
  payload: Record<string, unknown>;
}

export interface InboxRow {
  id: string;
  userId: string | null;
  unitId: string | null;
  departmentId: string | null;
  caseId: string | null;
  kind: string;
  title: string;
  createdAt: string;
  readAt: string | null;
}

export interface CaseListFilter {
  /** Unit scope (path prefix) or department scope; exactly one is set by the service. */
  scopePrefix?: string;
  departmentId?: string;
  /** Residents: only cases with a report they filed. */
  reportedBy?: string;
  status?: string[];
  channel?: Channel;
  handlerUserId?: string;
  handlerUnitId?: string;
  overdue?: { now: string };
  limit: number;
  /** Keyset: cases created before this (createdAt, id). */
  before?: { createdAt: string; id: string };
}

export interface CaseRepository {
  nextNumber(day: string): Promise<number>;
  insertCase(c: CaseRow): Promise<void>;
  /** Reads a case for update inside a transaction (row lock on PostgreSQL). */
  findById(id: string, forUpdate?: boolean): Promise<CaseRow | undefined>;
  findByNumber(number: string): Promise<CaseRow | undefined>;
  /** Writes the case if its version is still `expectedVersion`; false when someone else won. */
  updateCase(c: CaseRow, expectedVersion: number): Promise<boolean>;
  /** Sets the lead and assisting departments; watching departments stay. */
  setDepartments(caseId: string, lead: string | null, assisting: string[]): Promise<void>;
  /** A department that follows the case without handling it (e.g. the petitions bureau). */
  addWatcher(caseId: string, departmentId: string): Promise<void>;
  /** Earlier petitions since an instant: by the petitioner's phone, or in a unit subtree. */
  findPetitions(opts: {
    since: string;
    phone?: string;
    scopePrefix?: string;
    limit: number;
  }): Promise<Array<{ caseId: string; number: string; text: string; phone: string | null }>>;
  departmentsOf(caseId: string): Promise<Array<{ departmentId: string; role: string }>>;
  insertReport(r: ReportRow): Promise<void>;
  findReportByExternalId(channel: string, externalId: string): Promise<ReportRow | undefined>;
  reportsOf(caseId: string): Promise<ReportRow[]>;
  /** Changes after a timeline event (stream resumption), oldest first; empty when the id is unknown. */
  changesAfter(eventId: string, limit: number): Promise<CaseChange[]>;
  /** The distinct lines the case's reports came by. */
  channelsOf(caseId: string): Promise<string[]>;
  insertEvent(e: CaseEventRow): Promise<void>;
  eventsOf(caseId: string): Promise<CaseEventRow[]>;
  list(f: CaseListFilter): Promise<CaseRow[]>;
  count(f: Omit<CaseListFilter, 'limit' | 'before'>): Promise<number>;
  findRecentClosedNear(opts: {
    categoryCode: string;
    since: string;
    bbox: [number, number, number, number];
    excludeId: string;
  }): Promise<CaseRow[]>;
}

/** A joint handling (联合处置) convened on a case; `unitPath` is the case's (ledger scope). */
export interface JointHandlingRow {
  id: string;
  caseId: string;
  jointNo: number;
  unitPath: string;
  convenedBy: string | null;
  convenedAt: string;
  meetsAt: string;
  place: string;
  purpose: string | null;
  participants: Array<{ role: string; name: string; organisation?: string; userId?: string }>;
  status: 'open' | 'recorded' | 'closedWithCase';
  outcome: string | null;
  resolved: boolean | null;
  recordedBy: string | null;
  recordedAt: string | null;
}

export interface JointRepository {
  insert(r: JointHandlingRow): Promise<void>;
  /** Records the outcome of an open joint handling; false if it is not open. */
  recordOutcome(
    caseId: string,
    jointNo: number,
    o: { outcome: string; resolved: boolean; recordedBy: string | null; recordedAt: string },
  ): Promise<boolean>;
  /** Ends the case's open joint handlings with it; returns those it ended. */
  closeOpenOf(caseId: string, at: string): Promise<JointHandlingRow[]>;
  listOf(caseId: string): Promise<JointHandlingRow[]>;
  listOpen(scopePrefix: string, limit: number): Promise<JointHandlingRow[]>;
}

/** One check-off (销号) of the ledger: a closed case or a joint handling whose outcome is in. */
export interface LedgerCheckoffRow {
  id: string;
  itemKind: 'case' | 'joint';
  caseId: string;
  jointNo: number | null;
  unitPath: string;
  title: string;
  checkedAt: string;
  checkedBy: string | null;
  note: string | null;
}

export interface LedgerRepository {
  insertCheckoffs(rows: LedgerCheckoffRow[]): Promise<void>;
  /** Check-offs under a path prefix, newest first, within [from, to). */
  listCheckoffs(
    scopePrefix: string,
    opts: { from?: string; to?: string; limit: number },
  ): Promise<LedgerCheckoffRow[]>;
}

/** One change of a case, pushed to live streams and webhooks after its transaction commits. */
export interface CaseChange {
  /** The timeline event's id (the stream's event id). */
  eventId: string;
  caseId: string;
  number: string;
  /** `case.<action>` (`case.report` for a new case). */
  event: string;
  status: string;
  version: number;
  unitPath: string;
  departmentIds: string[];
  channel: string;
  at: string;
}

/** Publishes changes: delivered to listeners only when (and if) the transaction commits. */
export interface ChangeRepository {
  publish(change: CaseChange): Promise<void>;
}

export interface TimerRepository {
  insertMany(rows: Array<TimerRow & { createdAt: string }>): Promise<void>;
  /** Cancels the case's pending timers of the given kinds (all kinds when omitted). */
  cancelForCase(caseId: string, at: string, kinds?: string[]): Promise<number>;
  /** Claims up to `limit` due timers for `worker` until `claimUntil` (SKIP LOCKED on PostgreSQL). */
  claimDue(now: string, worker: string, claimUntil: string, limit: number): Promise<TimerRow[]>;
  /** Marks a claimed timer fired; false if it was fired or cancelled meanwhile. */
  markFired(id: string, at: string): Promise<boolean>;
  pendingOf(caseId: string): Promise<TimerRow[]>;
}

export interface InboxRepository {
  insertMany(rows: InboxRow[]): Promise<void>;
  listFor(
    target: { userId: string; unitId: string | null; departmentId: string | null },
    limit: number,
    unreadOnly: boolean,
  ): Promise<InboxRow[]>;
  markRead(
    id: string,
    target: { userId: string; unitId: string | null; departmentId: string | null },
    at: string,
  ): Promise<boolean>;
}

export interface IdempotencyRecord {
  actor: string;
  key: string;
  route: string;
  bodyHash: string;
  /** in_flight → committed (the write is in, inside its own transaction) → done (response stored). */
  status: 'in_flight' | 'committed' | 'done';
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: string;
}

export interface IdempotencyRepository {
  /** Inserts an in-flight record; returns the existing record instead when the key is taken. */
  begin(r: IdempotencyRecord): Promise<IdempotencyRecord | null>;
  complete(actor: string, key: string, status: number, body: string): Promise<void>;
  /** Inside the request's write transaction: the write is in; `result` is what the transaction returned. */
  markCommitted(actor: string, key: string, result: string): Promise<void>;
  abandon(actor: string, key: string): Promise<void>;
  /** Deletes keys older than the retention window; returns how many. */
  purgeBefore(at: string): Promise<number>;
}

export interface CategoryRow {
  code: string;
  level: number;
  name: string;
  parentCode: string | null;
  path: string;
  isActive: boolean;
}

export interface CategoryRepository {
  list(): Promise<CategoryRow[]>;
  findByCode(code: string): Promise<CategoryRow | undefined>;
  upsertMany(rows: CategoryRow[], now: string): Promise<void>;
  count(): Promise<number>;
}
