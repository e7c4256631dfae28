import { z } from 'zod';
import * as A from './auth.js';
import { ErrorEnvelope, Page } from './common.js';
import * as G from './governance.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One HTTP route: the server registers and validates from it, the OpenAPI document is built from it. */
export interface RouteContract {
  operationId: string;
  method: HttpMethod;
  /** Fastify-style path (`/api/units/:code`). */
  path: string;
  summary: string;
  tags: string[];
  /** 'public' needs no login; otherwise a session is required and the service checks the permission named. */
  auth: 'public' | 'session';
  permission?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Successful status and body; `null` body for 204. */
  status: 200 | 201 | 204;
  response: z.ZodType | null;
  /** Extra error statuses worth documenting beyond 400/401/403/404. */
  errors?: number[];
  bodyLimit?: number;
  /** Not JSON (e.g. the docs page). */
  produces?: string;
}

const r = (c: RouteContract) => c;

/** Every route of the API (foundation). */
export const ROUTES = [
  r({ operationId: 'health', method: 'GET', path: '/api/health', summary: 'Liveness and the database in use', tags: ['system'], auth: 'public', status: 200, response: A.Health }),
  r({ operationId: 'login', method: 'POST', path: '/api/auth/login', summary: 'Log in with password (+ TOTP for staff when required)', tags: ['auth'], auth: 'public', body: A.LoginBody, status: 200, response: A.LoginResult, errors: [429] }),
  r({ operationId: 'logout', method: 'POST', path: '/api/auth/logout', summary: 'End the current session', tags: ['auth'], auth: 'session', status: 204, response: null }),
  r({ operationId: 'me', method: 'GET', path: '/api/me', summary: 'The caller, its unit chain and scope', tags: ['auth'], auth: 'session', status: 200, response: A.Me }),

  r({ operationId: 'listUnits', method: 'GET', path: '/api/units', summary: 'Units in the caller’s scope', tags: ['units'], auth: 'session', permission: 'units:read', query: G.UnitListQuery, status: 200, response: Page(G.Unit) }),
  r({ operationId: 'getUnit', method: 'GET', path: '/api/units/:code', summary: 'One unit with geometry and ancestors', tags: ['units'], auth: 'session', permission: 'units:read', params: G.CodeParam, status: 200, response: G.UnitDetail }),
  r({ operationId: 'gridsGeoJson', method: 'GET', path: '/api/grids.geojson', summary: 'Units in scope as a GeoJSON FeatureCollection', tags: ['units'], auth: 'session', permission: 'units:read', query: G.GridGeoJsonQuery, status: 200, response: G.FeatureCollection }),
  r({ operationId: 'locate', method: 'GET', path: '/api/locate', summary: 'Point → basic grid, dedicated grids, community, street', tags: ['units'], auth: 'session', permission: 'units:read', query: G.LocateQuery, status: 200, response: G.LocateResult }),
  r({ operationId: 'listCenters', method: 'GET', path: '/api/centers', summary: 'Governance centers in scope', tags: ['units'], auth: 'session', permission: 'units:read', status: 200, response: z.object({ items: z.array(G.Center) }) }),
  r({ operationId: 'stats', method: 'GET', path: '/api/stats', summary: 'Counts of the structure and people in scope', tags: ['units'], auth: 'session', permission: 'stats:read', status: 200, response: G.Stats }),
  r({ operationId: 'validateGrids', method: 'GET', path: '/api/grids/validation', summary: 'Topology report: gaps, overlaps, units outside their parent', tags: ['units'], auth: 'session', permission: 'units:validate', status: 200, response: G.TopologyReport }),
  r({ operationId: 'importUnits', method: 'POST', path: '/api/units/import', summary: 'Import units from a GeoJSON FeatureCollection (all or nothing)', tags: ['units'], auth: 'session', permission: 'units:import', body: z.unknown(), status: 200, response: G.ImportResult, errors: [413, 422], bodyLimit: 64 * 1024 * 1024 }),

  r({ operationId: 'listStaff', method: 'GET', path: '/api/staff', summary: 'Grid roster in scope (personal data masked)', tags: ['staff'], auth: 'session', permission: 'staff:read', query: G.StaffListQuery, status: 200, response: Page(G.Staff) }),
  r({ operationId: 'getStaff', method: 'GET', path: '/api/staff/:id', summary: 'One staff member (masked)', tags: ['staff'], auth: 'session', permission: 'staff:read', params: G.IdParam, status: 200, response: G.Staff }),
  r({ operationId: 'createStaff', method: 'POST', path: '/api/staff', summary: 'Add a member to a grid or community roster', tags: ['staff'], auth: 'session', permission: 'staff:write', body: G.StaffCreate, status: 201, response: G.Staff, errors: [409] }),
  r({ operationId: 'deactivateStaff', method: 'POST', path: '/api/staff/:id/deactivate', summary: 'End a member’s service', tags: ['staff'], auth: 'session', permission: 'staff:write', params: G.IdParam, status: 200, response: G.Staff }),
  r({ operationId: 'revealStaff', method: 'POST', path: '/api/staff/:id/reveal', summary: 'Reveal phone and ID number (audited)', tags: ['staff'], auth: 'session', permission: 'staff:reveal', params: G.IdParam, status: 200, response: G.StaffReveal }),
  r({ operationId: 'vacancies', method: 'GET', path: '/api/staff/vacancies', summary: 'Grids missing a leader, instructor or worker; teams outside 3–5', tags: ['staff'], auth: 'session', permission: 'vacancies:read', status: 200, response: G.Vacancies }),

  r({ operationId: 'listDepartments', method: 'GET', path: '/api/departments', summary: 'The departments at the district center', tags: ['departments'], auth: 'session', permission: 'departments:read', status: 200, response: z.object({ items: z.array(G.Department) }) }),
  r({ operationId: 'getDepartment', method: 'GET', path: '/api/departments/:code', summary: 'One department', tags: ['departments'], auth: 'session', permission: 'departments:read', params: G.DepartmentCodeParam, status: 200, response: G.Department }),
  r({ operationId: 'createDepartment', method: 'POST', path: '/api/departments', summary: 'Add a department', tags: ['departments'], auth: 'session', permission: 'departments:write', body: G.DepartmentCreate, status: 201, response: G.Department, errors: [409] }),
  r({ operationId: 'updateDepartment', method: 'PATCH', path: '/api/departments/:code', summary: 'Change a department', tags: ['departments'], auth: 'session', permission: 'departments:write', params: G.DepartmentCodeParam, body: G.DepartmentPatch, status: 200, response: G.Department }),

  r({ operationId: 'listUsers', method: 'GET', path: '/api/users', summary: 'Accounts bound to units in scope', tags: ['users'], auth: 'session', permission: 'users:read', query: A.UserListQuery, status: 200, response: Page(A.User) }),
  r({ operationId: 'createUser', method: 'POST', path: '/api/users', summary: 'Create an account (TOTP secret returned once)', tags: ['users'], auth: 'session', permission: 'users:write', body: A.UserCreate, status: 201, response: A.UserCreated }),
  r({ operationId: 'setUserDisabled', method: 'POST', path: '/api/users/:id/disabled', summary: 'Disable (ends all sessions) or re-enable an account', tags: ['users'], auth: 'session', permission: 'users:write', params: G.IdParam, body: A.UserDisable, status: 200, response: A.User }),

  r({ operationId: 'listAudit', method: 'GET', path: '/api/audit', summary: 'Audit log, newest first', tags: ['audit'], auth: 'session', permission: 'audit:read', query: A.AuditQuery, status: 200, response: z.object({ items: z.array(A.AuditEntry) }) }),
  r({ operationId: 'verifyAudit', method: 'GET', path: '/api/audit/verify', summary: 'Recompute the hash chain', tags: ['audit'], auth: 'session', permission: 'audit:read', status: 200, response: A.AuditVerify }),
] as const satisfies readonly RouteContract[];

export type OperationId = (typeof ROUTES)[number]['operationId'];
export { ErrorEnvelope };
