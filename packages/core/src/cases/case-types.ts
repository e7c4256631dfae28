import type { Role } from '../access/roles.js';

/** Statuses of a case in the closed loop (事件处理闭环). */
export const CASE_STATUSES = [
  'reported',
  'registered',
  'dispatched',
  'handling',
  'verifying',
  'verified',
  'closed',
  'evaluated',
  'rejected',
  'cancelled',
  'merged',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses that end a case for good: nothing is allowed afterwards. */
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['rejected', 'cancelled', 'merged'];

/** Statuses of a case still being worked on (supervision, cancel, decisions apply). */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'reported',
  'registered',
  'dispatched',
  'handling',
  'verifying',
  'verified',
];

/** Statuses in which someone must be the handler. */
export const HANDLED_STATUSES: readonly CaseStatus[] = ['dispatched', 'handling', 'verifying', 'verified'];

/** Every action of the machine. */
export const CASE_ACTIONS = [
  'register',
  'reject',
  'dispatch',
  'accept',
  'return',
  'note',
  'pause',
  'resume',
  'requestExtension',
  'decideExtension',
  'escalate',
  'feedback',
  'verify',
  'close',
  'evaluate',
  'reopen',
  'merge',
  'cancel',
  'supervise',
  'recordVisit',
  'convene',
  'recordJoint',
  'instructVisit',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export type Level = 'grid' | 'community' | 'street' | 'district';
export type CenterLevel = 'community' | 'street' | 'district';
export type SupervisionLevel = 'none' | 'yellow' | 'red';

/** Rank of each level, lowest first: "above" and "lower" compare these. */
export const LEVEL_RANK: Record<Level, number> = { grid: 0, community: 1, street: 2, district: 3 };

/** The operator role of each center level (admin acts as a district operator everywhere). */
export const OPERATOR_ROLE: Record<CenterLevel, Role> = {
  community: 'communityOperator',
  street: 'streetOperator',
  district: 'districtOperator',
};

/** A social governance center (社会治理中心) of one level. */
export interface Center {
  unitId: string;
  level: CenterLevel;
}

/** Who must act on the case now. */
export type Handler =
  | { kind: 'user'; userId: string; /** the user's basic grid */ unitId: string; level: 'grid' }
  | { kind: 'center'; unitId: string; level: CenterLevel }
  | { kind: 'departments'; leadDepartmentId: string; assistingDepartmentIds: string[] };

/** A center acting as handler. */
export type CenterHandler = Extract<Handler, { kind: 'center' }>;

/** The state machine's state of one case (stored as JSON next to the case row). */
export interface CaseState {
  status: CaseStatus;
  version: number;
  /** Who must act now. */
  handler: Handler | null;
  /** The center that dispatched: verifies, closes, decides extensions, receives returns. */
  dispatcher: Center | null;
  /** The center that registers the case (set at creation). */
  receivingCenter: Center;
  /** Highest level the case has been called up to. */
  escalation: Level;
  paused: { reason: string; since: string } | null;
  pendingExtension: { hours: number; reason: string; requestedBy: string } | null;
  supervision: SupervisionLevel;
  mergedInto: string | null;
  closedBy: Center | null;
  reopenCount: number;
  /** Open joint handlings (联合处置) by number: the version of the event that convened each. */
  joints?: number[];
  /** The center's standing order to visit the party (定向走访), until a visit resolves the matter. */
  visitOrder?: VisitOrder | null;
}

/** A directed-visit order (定向走访) from a center to the case's grid. */
export interface VisitOrder {
  by: string;
  at: string;
  instructions: string;
  dueAt: string | null;
}

/** The lines whose cases a center may order the grid to visit (定向走访). */
export const DIRECTED_VISIT_LINES: readonly string[] = ['hotline', 'opinion', 'petition'];

/** What the machine knows of the caller. */
export interface CaseActor {
  userId: string;
  role: Role;
  unitId: string | null;
  unitLevel: 'basicGrid' | 'community' | 'street' | 'district' | null;
  departmentId: string | null;
  /** ids of the actor's unit and every ancestor unit (computed by the service from the unit path). */
  unitAncestry: string[];
  /** the case's grid lies inside the actor's data scope. */
  caseInScope: boolean;
}

/** The case's id and its chain of units, grid up to district (escalation targets). */
export interface CaseContext {
  caseId: string;
  gridUnitId: string;
  communityUnitId: string;
  streetUnitId: string;
  districtUnitId: string;
  /** The lines the case's reports came by (absent = unknown: only the grid line is assumed). */
  channels?: readonly string[];
}

/** One applied action: enough to rebuild the state with `applyEvent`. */
export interface CaseEvent {
  action: CaseAction;
  from: CaseStatus;
  to: CaseStatus;
  actorId: string;
  actorRole: Role;
  at: string;
  /** The validated, normalised payload. */
  payload: Record<string, unknown>;
  /** The state's version after the event. */
  version: number;
}

/** The user id of the system actor (timers, revisits); its role is 'admin'. */
export const SYSTEM_USER_ID = 'system';
