import type { Role, Permission } from './roles.js';
import { roleHas } from './roles.js';
import { AppError } from '../shared/errors.js';
import { isWithinPath } from '../governance/unit.js';

/**
 * What a service knows of the caller. The data scope is either the subtree of a unit (a path
 * prefix), a department's own items, or nothing.
 */
export type DataScope =
  | { kind: 'all' }
  | { kind: 'unit'; unitId: string; path: string }
  | { kind: 'department'; departmentId: string }
  | { kind: 'none' };

export interface Actor {
  userId: string;
  username: string;
  role: Role;
  unitId: string | null;
  departmentId: string | null;
  scope: DataScope;
  sessionId: string | null;
}

/** The scope a role gets from its binding: admins and district staff see all, others their subtree. */
export function scopeFor(
  role: Role,
  unit: { id: string; path: string; level: string } | null,
  departmentId: string | null,
): DataScope {
  if (role === 'resident') return { kind: 'none' };
  if (role === 'departmentHandler')
    return departmentId ? { kind: 'department', departmentId } : { kind: 'none' };
  if (!unit) return { kind: 'none' };
  if (unit.level === 'district') return { kind: 'all' };
  return { kind: 'unit', unitId: unit.id, path: unit.path };
}

/** Throws FORBIDDEN unless the actor's role grants the permission. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!roleHas(actor.role, permission)) {
    throw new AppError('FORBIDDEN', `role ${actor.role} may not ${permission}`, { permission });
  }
}

/** True when a unit (by its path) lies in the actor's data scope. */
export function unitInScope(actor: Actor, unitPath: string): boolean {
  const s = actor.scope;
  if (s.kind === 'all') return true;
  if (s.kind === 'unit') return isWithinPath(unitPath, s.path);
  return false;
}

/** The path prefix every unit query of this actor is filtered by; null = no units at all. */
export function unitScopePrefix(actor: Actor): string | null {
  const s = actor.scope;
  if (s.kind === 'all') return '/';
  if (s.kind === 'unit') return s.path;
  return null;
}

/** The actor of command-line operations run by an operator on the server itself. */
export const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  username: 'system',
  role: 'admin',
  unitId: null,
  departmentId: null,
  scope: { kind: 'all' },
  sessionId: null,
};
