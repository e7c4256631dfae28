import type { UnitLevel } from '../governance/unit.js';

/** Every role an account can hold. Staff roles are bound to a unit; residents to none. */
export const ROLES = [
  'gridWorker',
  'gridLeader',
  'gridInstructor',
  'mediator',
  'volunteer',
  'communityOperator',
  'streetOperator',
  'districtOperator',
  'departmentHandler',
  'leader',
  'admin',
  'resident',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles of the grid roster (1+1+1+N) that the staff table holds. */
export const STAFF_ROLES = ['gridLeader', 'gridInstructor', 'gridWorker', 'mediator', 'volunteer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The unit level each role is bound to ('department' for department handlers, null for residents). */
export const ROLE_UNIT_LEVELS: Record<Role, readonly (UnitLevel | 'department')[] | null> = {
  gridWorker: ['basicGrid'],
  gridLeader: ['basicGrid'],
  gridInstructor: ['basicGrid'],
  mediator: ['basicGrid', 'community'],
  volunteer: ['basicGrid', 'community'],
  communityOperator: ['community'],
  streetOperator: ['street'],
  districtOperator: ['district'],
  departmentHandler: ['department'],
  leader: ['district', 'street'],
  admin: ['district'],
  resident: null,
};

export const PERMISSIONS = [
  'units:read',
  'units:import',
  'units:validate',
  'staff:read',
  'staff:write',
  'staff:reveal',
  'vacancies:read',
  'departments:read',
  'departments:write',
  'users:read',
  'users:write',
  'audit:read',
  'stats:read',
  'reports:create',
  'cases:read',
  'cases:act',
  'settings:read',
  'settings:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Everyone reports and reads cases; what they see and may do is decided by scope and the case machine. */
const CASES: Permission[] = ['reports:create', 'cases:read', 'cases:act'];
const GRID_READ: Permission[] = ['units:read', 'staff:read', 'departments:read', 'stats:read', ...CASES];
const CENTER: Permission[] = [
  ...GRID_READ,
  'settings:read',
  'staff:write',
  'staff:reveal',
  'vacancies:read',
  'units:validate',
];

/** The role → permission table: the only place that says what a role may do. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  gridWorker: GRID_READ,
  gridLeader: GRID_READ,
  gridInstructor: GRID_READ,
  mediator: GRID_READ,
  volunteer: ['units:read', 'departments:read', ...CASES],
  communityOperator: CENTER,
  streetOperator: [...CENTER, 'users:read'],
  districtOperator: [...CENTER, 'users:read'],
  departmentHandler: ['departments:read', ...CASES],
  leader: [...GRID_READ, 'vacancies:read', 'units:validate', 'settings:read'],
  admin: [...PERMISSIONS],
  resident: ['reports:create', 'cases:read'],
};

/** True when the role grants the permission. */
export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Staff roles must use a second factor when the setting requires it; residents log in by one-time code. */
export function isStaffRole(role: Role): boolean {
  return role !== 'resident';
}
