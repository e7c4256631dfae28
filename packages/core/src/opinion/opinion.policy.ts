/**
 * Who may do what on the opinion line (舆情). Reading follows the cases: `cases:read` within the
 * unit scope. Taking posts in, editing watchlists and deciding warnings is work of the
 * comprehensive governance centers (综治中心: community, street, district) and of admins.
 */
import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope, unitScopePrefix } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import { AppError } from '../shared/errors.js';

/** Roles that run the opinion line; each also needs `cases:act` from the role table. */
export const OPINION_MANAGER_ROLES: readonly Role[] = [
  'communityOperator',
  'streetOperator',
  'districtOperator',
  'admin',
];
/** Roles that may run detection on demand (it writes warnings for the whole district). */
export const OPINION_DETECT_ROLES: readonly Role[] = ['districtOperator', 'admin'];

/** The scope prefix an actor reads opinion data within; FORBIDDEN without a unit scope. */
export function requireOpinionReader(actor: Actor): string {
  requirePermission(actor, 'cases:read');
  const prefix = unitScopePrefix(actor);
  // residents and department handlers have no unit scope: the line is the centers' business
  if (prefix === null)
    throw new AppError('FORBIDDEN', `role ${actor.role} may not read the opinion line`, {
      permission: 'cases:read',
    });
  return prefix;
}

/** Throws FORBIDDEN unless the actor may ingest posts, edit watchlists and decide warnings. */
export function requireOpinionManager(actor: Actor): void {
  requirePermission(actor, 'cases:act');
  if (!OPINION_MANAGER_ROLES.includes(actor.role) || unitScopePrefix(actor) === null)
    throw new AppError('FORBIDDEN', `role ${actor.role} may not manage the opinion line`, {
      permission: 'cases:act',
    });
}

/** Throws FORBIDDEN unless the actor may run detection on demand. */
export function requireOpinionDetector(actor: Actor): void {
  requireOpinionManager(actor);
  if (!OPINION_DETECT_ROLES.includes(actor.role))
    throw new AppError('FORBIDDEN', `role ${actor.role} may not run detection`, { permission: 'cases:act' });
}

/** True when a unit (by path) is the actor's to see; the district-wide (null) is only for 'all'. */
export function opinionUnitVisible(actor: Actor, unitPath: string | null): boolean {
  if (unitPath === null) return actor.scope.kind === 'all';
  return unitInScope(actor, unitPath);
}
