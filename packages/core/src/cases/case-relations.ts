import type {
  CaseActor,
  CaseContext,
  CaseState,
  Center,
  CenterHandler,
  CenterLevel,
  Level,
} from './case-types.js';
import { LEVEL_RANK, OPERATOR_ROLE, SYSTEM_USER_ID } from './case-types.js';

/** The id of the case's unit at a level of its chain (grid up to district). */
export function chainUnitId(ctx: CaseContext, level: Level): string {
  switch (level) {
    case 'grid':
      return ctx.gridUnitId;
    case 'community':
      return ctx.communityUnitId;
    case 'street':
      return ctx.streetUnitId;
    case 'district':
      return ctx.districtUnitId;
  }
}

/** The center of the case's chain at a level. */
export function chainCenter(ctx: CaseContext, level: CenterLevel): Center {
  return { unitId: chainUnitId(ctx, level), level };
}

/** A center as a handler. */
export function centerHandler(center: Center): CenterHandler {
  return { kind: 'center', unitId: center.unitId, level: center.level };
}

/** The higher of two levels. */
export function maxLevel(a: Level, b: Level): Level {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** The system actor (timers, revisits): role admin, user id 'system'. */
export function isSystemActor(actor: CaseActor): boolean {
  return actor.role === 'admin' && actor.userId === SYSTEM_USER_ID;
}

/** Operator of a center: the operator role of its level and that unit; admin operates every district. */
export function isOperatorOf(actor: CaseActor, center: Center | null): boolean {
  if (!center) return false;
  if (actor.role === 'admin') return center.level === 'district';
  return actor.role === OPERATOR_ROLE[center.level] && actor.unitId === center.unitId;
}

/** Operator of the case's own center at a level (e.g. the district operator of its district). */
export function isChainOperator(actor: CaseActor, ctx: CaseContext, level: CenterLevel): boolean {
  return isOperatorOf(actor, chainCenter(ctx, level));
}

/** Operator of one of the case's chain centers strictly above a level. */
export function isChainOperatorAbove(actor: CaseActor, ctx: CaseContext, level: Level): boolean {
  const centers: CenterLevel[] = ['community', 'street', 'district'];
  return centers.some((l) => LEVEL_RANK[l] > LEVEL_RANK[level] && isChainOperator(actor, ctx, l));
}

/** The handler as a center, when it is one. */
export function handlerCenter(state: CaseState): Center | null {
  const h = state.handler;
  return h?.kind === 'center' ? { unitId: h.unitId, level: h.level } : null;
}

/** The actor is whoever must act now: the user, an operator of the center, or the lead department. */
export function isCurrentHandler(actor: CaseActor, state: CaseState): boolean {
  const h = state.handler;
  if (!h) return false;
  switch (h.kind) {
    case 'user':
      return actor.userId === h.userId;
    case 'center':
      return isOperatorOf(actor, h);
    case 'departments':
      return actor.role === 'departmentHandler' && actor.departmentId === h.leadDepartmentId;
  }
}

/** The actor handles for an assisting department of a departments handler. */
export function isAssistingDepartment(actor: CaseActor, state: CaseState): boolean {
  const h = state.handler;
  return (
    h?.kind === 'departments' &&
    actor.role === 'departmentHandler' &&
    actor.departmentId !== null &&
    h.assistingDepartmentIds.includes(actor.departmentId)
  );
}

/** The center that verifies, closes and decides extensions: the dispatcher, else the receiving center. */
export function controllerOf(state: CaseState): Center {
  return state.dispatcher ?? state.receivingCenter;
}

/** The level of whoever must act now (departments count as district; none yet = the receiving center). */
export function handlerLevel(state: CaseState): Level {
  const h = state.handler;
  if (!h) return state.receivingCenter.level;
  if (h.kind === 'user') return 'grid';
  if (h.kind === 'center') return h.level;
  return 'district';
}

/** A leader whose scope holds the case. */
export function isLeaderInScope(actor: CaseActor): boolean {
  return actor.role === 'leader' && actor.caseInScope;
}

/** The center one level above the current handler (格呼街应, 街呼区应), or null at the top. */
export function nextCenterUp(state: CaseState, ctx: CaseContext): Center | null {
  const h = state.handler;
  if (h?.kind === 'user') return chainCenter(ctx, 'community');
  if (h?.kind === 'center' && h.level === 'community') return chainCenter(ctx, 'street');
  if (h?.kind === 'center' && h.level === 'street') return chainCenter(ctx, 'district');
  return null;
}
