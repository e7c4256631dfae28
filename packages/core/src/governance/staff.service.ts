import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope, unitScopePrefix } from '../access/actor.js';
import { maskIdNumber, maskPhone } from '../access/masking.js';
import type { StaffRole } from '../access/roles.js';
import { STAFF_ROLES } from '../access/roles.js';
import { audit } from '../audit/audit.service.js';
import type { StaffRecord } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';

/** The three roles every basic grid must have exactly one of (1+1+1). */
export const REQUIRED_GRID_ROLES: readonly StaffRole[] = ['gridLeader', 'gridInstructor', 'gridWorker'];
export const MEDIATION_TEAM_MIN = 3;
export const MEDIATION_TEAM_MAX = 5;

/** A staff member as shown to callers: personal data masked. */
export function staffView(s: StaffRecord) {
  return {
    id: s.id,
    unitCode: s.unitCode,
    unitName: s.unitName,
    role: s.role,
    name: s.name,
    phone: s.phone ? maskPhone(s.phone) : null,
    idNumber: s.idNumber ? maskIdNumber(s.idNumber) : null,
    team: s.team,
    userId: s.userId,
    isActive: s.isActive,
  };
}

/** Computes the vacancy report from per-grid role counts (pure, for tests). */
export function vacanciesFrom(
  counts: Array<{ unitId: string; code: string; name: string; role: string; n: number }>,
  teams: Array<{ code: string; name: string; n: number }>,
) {
  const byGrid = new Map<string, { code: string; name: string; roles: Map<string, number> }>();
  for (const c of counts) {
    const g = byGrid.get(c.code) ?? { code: c.code, name: c.name, roles: new Map() };
    if (c.role) g.roles.set(c.role, c.n);
    byGrid.set(c.code, g);
  }
  const grids = [];
  for (const g of byGrid.values()) {
    const missing = REQUIRED_GRID_ROLES.filter((r) => (g.roles.get(r) ?? 0) === 0);
    const surplus = REQUIRED_GRID_ROLES.filter((r) => (g.roles.get(r) ?? 0) > 1);
    if (missing.length || surplus.length) grids.push({ code: g.code, name: g.name, missing, surplus });
  }
  const mediationTeams = teams
    .filter((t) => t.n < MEDIATION_TEAM_MIN || t.n > MEDIATION_TEAM_MAX)
    .map((t) => ({ code: t.code, name: t.name, size: t.n }));
  return { grids, mediationTeams, gridsChecked: byGrid.size, communitiesChecked: teams.length };
}

/** The staff roster "1+1+1+N" and its vacancies. */
export function createStaffService(deps: ServiceDeps) {
  const { store } = deps;
  const prefixOf = (actor: Actor) => unitScopePrefix(actor) ?? '/~/';

  async function getInScope(actor: Actor, id: string): Promise<StaffRecord> {
    const s = await store.repos.staff.findById(id);
    if (!s || !unitInScope(actor, s.unitPath)) throw new AppError('STAFF_NOT_FOUND', `staff ${id} not found`);
    return s;
  }

  return {
    /** Lists the roster in scope (masked). */
    async list(actor: Actor, f: { unitCode?: string; role?: StaffRole; limit?: number; after?: string }) {
      requirePermission(actor, 'staff:read');
      let unitId: string | undefined;
      if (f.unitCode) {
        const u = await store.repos.units.findByCode(f.unitCode);
        if (!u || !unitInScope(actor, u.path))
          throw new AppError('UNIT_NOT_FOUND', `unit ${f.unitCode} not found`);
        unitId = u.id;
      }
      const limit = Math.min(f.limit ?? 100, 500);
      const rows = await store.repos.staff.list({
        scopePrefix: prefixOf(actor),
        unitId,
        role: f.role,
        limit,
        afterId: f.after,
      });
      return {
        items: rows.map(staffView),
        nextCursor: rows.length === limit ? (rows[rows.length - 1]?.id ?? null) : null,
      };
    },

    /** One staff member (masked). */
    async get(actor: Actor, id: string) {
      requirePermission(actor, 'staff:read');
      return staffView(await getInScope(actor, id));
    },

    /** Reveals the unmasked phone and ID number; every reveal is audited. */
    async reveal(actor: Actor, id: string, ctx: RequestContext) {
      requirePermission(actor, 'staff:reveal');
      const s = await getInScope(actor, id);
      await store.transaction((tx) =>
        audit(tx, deps, actor, ctx, 'staff.reveal', 'staff', id, { fields: ['phone', 'idNumber'] }),
      );
      return { id: s.id, phone: s.phone, idNumber: s.idNumber };
    },

    /** Adds a member to a grid or community roster. */
    async create(
      actor: Actor,
      input: {
        unitCode: string;
        role: StaffRole;
        name: string;
        phone?: string | null;
        idNumber?: string | null;
        team?: string | null;
      },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'staff:write');
      const u = await store.repos.units.findByCode(input.unitCode);
      if (!u || !unitInScope(actor, u.path))
        throw new AppError('UNIT_NOT_FOUND', `unit ${input.unitCode} not found`);
      if (!STAFF_ROLES.includes(input.role))
        throw validationError([{ path: 'role', reason: 'unknown staff role' }]);
      const gridOnly = REQUIRED_GRID_ROLES.includes(input.role);
      if (gridOnly && u.level !== 'basicGrid')
        throw validationError([{ path: 'unitCode', reason: `${input.role} belongs to a basic grid` }]);
      if (!gridOnly && u.level !== 'basicGrid' && u.level !== 'community')
        throw validationError([
          { path: 'unitCode', reason: 'mediators and volunteers belong to a basic grid or a community' },
        ]);
      const id = deps.ids.next();
      const now = deps.clock.now().toISOString();
      await store.transaction(async (tx) => {
        if (gridOnly) {
          // exactly one holder of each of the three grid roles
          const holders = await tx.staff.list({
            scopePrefix: u.path,
            unitId: u.id,
            role: input.role,
            limit: 1,
          });
          if (holders.some((h) => h.isActive))
            throw new AppError('CONFLICT', `grid ${u.code} already has a ${input.role}`, {
              unitCode: u.code,
              role: input.role,
            });
        }
        await tx.staff.insertMany(
          [
            {
              id,
              unitId: u.id,
              role: input.role,
              name: input.name,
              phone: input.phone ?? null,
              idNumber: input.idNumber ?? null,
              team: input.team ?? null,
              userId: null,
            },
          ],
          now,
        );
        await audit(tx, deps, actor, ctx, 'staff.create', 'staff', id, {
          unitCode: u.code,
          role: input.role,
        });
      });
      return staffView(await getInScope(actor, id));
    },

    /** Ends a member's service (the row stays for history). */
    async deactivate(actor: Actor, id: string, ctx: RequestContext) {
      requirePermission(actor, 'staff:write');
      const s = await getInScope(actor, id);
      await store.transaction(async (tx) => {
        await tx.staff.update(id, { isActive: false }, deps.clock.now().toISOString());
        await audit(tx, deps, actor, ctx, 'staff.deactivate', 'staff', id, {
          unitCode: s.unitCode,
          role: s.role,
        });
      });
      return staffView({ ...s, isActive: false });
    },

    /** Grids missing any of the three roles, and mediation teams outside 3–5. */
    async vacancies(actor: Actor) {
      requirePermission(actor, 'vacancies:read');
      const prefix = prefixOf(actor);
      const [counts, teams] = await Promise.all([
        store.repos.staff.gridRoleCounts(prefix),
        store.repos.staff.mediationTeamSizes(prefix),
      ]);
      return vacanciesFrom(counts, teams);
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
