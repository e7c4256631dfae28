import type { Role, StaffRole } from '@civicgrid/core';
import { listAudit, verifyAudit } from '@civicgrid/core';
import { requirePermission } from '@civicgrid/core';
import type { Handler } from '../http/register.js';
import type { Services } from './services.js';

/** Staff roster, departments, users and the audit log. */
export function peopleRoutes(s: Services) {
  const listStaff: Handler = async ({ actor, query: q }) =>
    s.staff.list(actor!, {
      unitCode: q.unit as string | undefined,
      role: q.role as StaffRole | undefined,
      limit: q.limit as number,
      after: q.after as string | undefined,
    });
  const getStaff: Handler = async ({ actor, params }) => s.staff.get(actor!, params.id as string);
  const createStaff: Handler = async ({ actor, body, ctx }) =>
    s.staff.create(actor!, body as Parameters<Services['staff']['create']>[1], ctx);
  const deactivateStaff: Handler = async ({ actor, params, ctx }) =>
    s.staff.deactivate(actor!, params.id as string, ctx);
  const revealStaff: Handler = async ({ actor, params, ctx }) =>
    s.staff.reveal(actor!, params.id as string, ctx);
  const vacancies: Handler = async ({ actor }) => s.staff.vacancies(actor!);

  const listDepartments: Handler = async ({ actor }) => ({ items: await s.departments.list(actor!) });
  const getDepartment: Handler = async ({ actor, params }) =>
    s.departments.get(actor!, params.code as string);
  const createDepartment: Handler = async ({ actor, body, ctx }) =>
    s.departments.create(actor!, body as Parameters<Services['departments']['create']>[1], ctx);
  const updateDepartment: Handler = async ({ actor, params, body, ctx }) =>
    s.departments.update(
      actor!,
      params.code as string,
      body as Parameters<Services['departments']['update']>[2],
      ctx,
    );

  const listUsers: Handler = async ({ actor, query: q }) =>
    s.auth.listUsers(actor!, {
      role: q.role as Role | undefined,
      limit: q.limit as number,
      after: q.after as string | undefined,
    });
  const createUser: Handler = async ({ actor, body, ctx }) =>
    s.auth.createUser(actor!, body as Parameters<Services['auth']['createUser']>[1], ctx);
  const setUserDisabled: Handler = async ({ actor, params, body, ctx }) =>
    s.auth.setDisabled(actor!, params.id as string, (body as { disabled: boolean }).disabled, ctx);

  const listAuditH: Handler = async ({ actor, query: q }) => ({
    items: await listAudit(s.deps, actor!, {
      limit: q.limit as number,
      ...(q.entityType ? { entityType: q.entityType as string } : {}),
      ...(q.entityId ? { entityId: q.entityId as string } : {}),
      ...(q.before ? { beforeSeq: q.before as number } : {}),
    }),
  });
  const verifyAuditH: Handler = async ({ actor }) => {
    requirePermission(actor!, 'audit:read');
    return verifyAudit(s.deps);
  };
  return {
    listStaff,
    getStaff,
    createStaff,
    deactivateStaff,
    revealStaff,
    vacancies,
    listDepartments,
    getDepartment,
    createDepartment,
    updateDepartment,
    listUsers,
    createUser,
    setUserDisabled,
    listAudit: listAuditH,
    verifyAudit: verifyAuditH,
  } satisfies Record<string, Handler>;
}
