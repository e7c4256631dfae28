import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';

/** Departments are reference data every staff member may read; admins maintain them. */
export function createDepartmentService(deps: ServiceDeps) {
  const { store } = deps;
  return {
    /** All departments. */
    async list(actor: Actor) {
      requirePermission(actor, 'departments:read');
      return store.repos.departments.list();
    },
    /** One department by code. */
    async get(actor: Actor, code: string) {
      requirePermission(actor, 'departments:read');
      const d = await store.repos.departments.findByCode(code);
      if (!d) throw new AppError('DEPARTMENT_NOT_FOUND', `department ${code} not found`);
      return d;
    },
    /** Creates a department. */
    async create(
      actor: Actor,
      input: { code: string; name: string; nameEn: string; domains: string[] },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'departments:write');
      if (await store.repos.departments.findByCode(input.code))
        throw new AppError('DUPLICATE', `department ${input.code} exists`, {
          issues: [{ path: 'code', reason: 'is taken' }],
        });
      const d = { id: deps.ids.next(), ...input, isActive: true };
      await store.transaction(async (tx) => {
        await tx.departments.insert(d, deps.clock.now().toISOString());
        await audit(tx, deps, actor, ctx, 'department.create', 'department', d.id, { code: d.code });
      });
      return d;
    },
    /** Updates name, domains or the active flag. */
    async update(
      actor: Actor,
      code: string,
      patch: {
        name?: string | undefined;
        nameEn?: string | undefined;
        domains?: string[] | undefined;
        isActive?: boolean | undefined;
      },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'departments:write');
      const d = await store.repos.departments.findByCode(code);
      if (!d) throw new AppError('DEPARTMENT_NOT_FOUND', `department ${code} not found`);
      await store.transaction(async (tx) => {
        await tx.departments.update(d.id, patch, deps.clock.now().toISOString());
        await audit(tx, deps, actor, ctx, 'department.update', 'department', d.id, patch);
      });
      return { ...d, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    },
  };
}

export type DepartmentService = ReturnType<typeof createDepartmentService>;
