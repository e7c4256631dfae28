/**
 * The access matrix: every route × every role × {own unit, sibling unit, parent unit, other
 * street} → the expected status, stated here independently of the code's role table, and zero
 * foreign rows in any list. A route added to the contracts without a row here fails the suite.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROUTES } from '@civicgrid/contracts';
import { findUnmaskedPersonalData } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

type RoleName =
  | 'gridWorker'
  | 'gridLeader'
  | 'gridInstructor'
  | 'mediator'
  | 'volunteer'
  | 'communityOperator'
  | 'streetOperator'
  | 'districtOperator'
  | 'departmentHandler'
  | 'leader'
  | 'admin'
  | 'resident';
const ACCOUNTS: Record<RoleName, string> = {
  gridWorker: 'worker',
  gridLeader: 'leader.grid',
  gridInstructor: 'instructor',
  mediator: 'mediator',
  volunteer: 'volunteer',
  communityOperator: 'community',
  streetOperator: 'street',
  districtOperator: 'district',
  departmentHandler: 'dept.urban',
  leader: 'leader',
  admin: 'admin',
  resident: 'resident',
};
const ROLES = Object.keys(ACCOUNTS) as RoleName[];
const GRID = ['gridWorker', 'gridLeader', 'gridInstructor', 'mediator'] as const;
const OPS = ['communityOperator', 'streetOperator', 'districtOperator'] as const;
const ALL_STAFF = ROLES.filter((r) => r !== 'resident');
/** Who may do what, as the product promises it (BRIEF.md roles). */
const MAY: Record<string, readonly RoleName[]> = {
  'units:read': ALL_STAFF.filter((r) => r !== 'departmentHandler'),
  'stats:read': [...GRID, ...OPS, 'leader', 'admin'],
  'staff:read': [...GRID, ...OPS, 'leader', 'admin'],
  'staff:write': [...OPS, 'admin'],
  'staff:reveal': [...OPS, 'admin'],
  'vacancies:read': [...OPS, 'leader', 'admin'],
  'units:validate': [...OPS, 'leader', 'admin'],
  'units:import': ['admin'],
  'departments:read': ALL_STAFF,
  'departments:write': ['admin'],
  'users:read': ['streetOperator', 'districtOperator', 'admin'],
  'users:write': ['admin'],
  'audit:read': ['admin'],
  'reports:create': ROLES,
  'cases:read': ROLES,
  'settings:read': [...OPS, 'leader', 'admin'],
  'settings:write': ['admin'],
  'cases:act': ALL_STAFF,
};
/** Roles whose scope is the whole district. */
const DISTRICT_WIDE: readonly RoleName[] = ['districtOperator', 'leader', 'admin'];
type Target = 'own' | 'sibling' | 'parent' | 'otherStreet';
const TARGETS: Target[] = ['own', 'sibling', 'parent', 'otherStreet'];

interface Ctx {
  role: RoleName;
  token: string;
  /** The unit code for each target (null when the role has no such unit). */
  units: Record<Target, string | null>;
  staffIn: Record<Target, string | null>;
  ownCode: string | null;
}

/** How each route is called for a target, and which permission it needs. */
interface RouteCase {
  permission: string | 'public' | 'session';
  /** Targets unit-bound data; otherwise one call regardless of target. */
  scoped: boolean;
  call(t: TestServer, c: Ctx, target: Target): Promise<{ status: number; body: any } | null>;
  /** For list routes: the unit codes of the returned rows. */
  codes?(body: any): string[];
  /** The expected status when it depends on more than the permission table. */
  expect?(role: RoleName): number;
}

/** Roles that run the opinion line (ingest, watchlists, decisions). */
const OPINION_MANAGERS: readonly RoleName[] = [...OPS, 'admin'];
/** A district-level open warning raised by the demo feed; an id no warning has. */
let demoWarningId = '';
const UNKNOWN_ID = `${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`;
/** A case in the demo grid (370112009001001), created before the matrix runs. */
let demoCaseId = '';
let demoAttachmentId = '';
/** A 1×1 PNG. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
let demoPoint: [number, number] = [0, 0];
const GRID_ROLES: readonly RoleName[] = [
  'gridWorker',
  'gridLeader',
  'gridInstructor',
  'mediator',
  'volunteer',
];

const u = (c: Ctx, tg: Target) => c.units[tg];
/** Who decides merges and undoes them (一事一案). */
const MERGE_DECIDERS: readonly RoleName[] = [
  'communityOperator',
  'streetOperator',
  'districtOperator',
  'admin',
];
/** An account role that may be bound to a unit of the code's level. */
const roleForLevel = (code: string): RoleName =>
  code.length === 6
    ? 'districtOperator'
    : code.length === 9
      ? 'streetOperator'
      : code.length === 12
        ? 'communityOperator'
        : 'gridWorker';
const CASES: Record<string, RouteCase> = {
  health: { permission: 'public', scoped: false, call: (t) => t.call('GET', '/api/health') },
  login: {
    permission: 'public',
    scoped: false,
    call: (t) => t.call('POST', '/api/auth/login', { body: { username: 'nobody', password: 'x' } }),
  },
  logout: {
    permission: 'session',
    scoped: false,
    call: async () => null /* would end the session under test; covered in api.test.ts */,
  },
  me: { permission: 'session', scoped: false, call: (t, c) => t.call('GET', '/api/me', { token: c.token }) },
  listUnits: {
    permission: 'units:read',
    scoped: true,
    call: async (t, c, tg) =>
      u(c, tg) ? t.call('GET', `/api/units?parent=${u(c, tg)}&limit=500`, { token: c.token }) : null,
    codes: (b) => b.items.map((x: { path: string }) => x.path),
  },
  getUnit: {
    permission: 'units:read',
    scoped: true,
    call: async (t, c, tg) => (u(c, tg) ? t.call('GET', `/api/units/${u(c, tg)}`, { token: c.token }) : null),
  },
  gridsGeoJson: {
    permission: 'units:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/grids.geojson?level=dedicatedGrid&limit=5000', { token: c.token }),
    // a dedicated grid belongs to the caller when its parent basic grid does
    codes: (b) => b.features.map((f: { properties: { parent: string } }) => f.properties.parent),
  },
  locate: {
    permission: 'units:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/locate?lng=117.05&lat=36.68', { token: c.token }),
  },
  listCenters: {
    permission: 'units:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/centers', { token: c.token }),
    codes: (b) => b.items.map((x: { unitCode: string }) => x.unitCode),
  },
  stats: {
    permission: 'stats:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/stats', { token: c.token }),
  },
  validateGrids: {
    permission: 'units:validate',
    scoped: false,
    call: async () => null /* slow; permission covered by validateGridsOnce */,
  },
  importUnits: {
    permission: 'units:import',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/units/import', {
        token: c.token,
        body: { type: 'FeatureCollection', features: [] },
      }),
  },
  listStaff: {
    permission: 'staff:read',
    scoped: true,
    call: async (t, c, tg) =>
      u(c, tg) ? t.call('GET', `/api/staff?unit=${u(c, tg)}&limit=500`, { token: c.token }) : null,
    codes: (b) => b.items.map((x: { unitCode: string }) => x.unitCode),
  },
  getStaff: {
    permission: 'staff:read',
    scoped: true,
    call: async (t, c, tg) =>
      c.staffIn[tg] ? t.call('GET', `/api/staff/${c.staffIn[tg]}`, { token: c.token }) : null,
  },
  createStaff: {
    permission: 'staff:write',
    scoped: true,
    call: async (t, c, tg) =>
      u(c, tg)
        ? t.call('POST', '/api/staff', {
            token: c.token,
            body: { unitCode: u(c, tg), role: 'volunteer', name: '矩阵测试' },
          })
        : null,
  },
  deactivateStaff: {
    permission: 'staff:write',
    scoped: true,
    call: async (t, c, tg) =>
      c.staffIn[tg]
        ? t.call('POST', `/api/staff/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/deactivate`, {
            token: c.token,
          })
        : null,
  },
  revealStaff: {
    permission: 'staff:reveal',
    scoped: true,
    call: async (t, c, tg) =>
      c.staffIn[tg] ? t.call('POST', `/api/staff/${c.staffIn[tg]}/reveal`, { token: c.token }) : null,
  },
  vacancies: {
    permission: 'vacancies:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/staff/vacancies', { token: c.token }),
  },
  listDepartments: {
    permission: 'departments:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/departments', { token: c.token }),
  },
  getDepartment: {
    permission: 'departments:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/departments/D05', { token: c.token }),
  },
  createDepartment: {
    permission: 'departments:write',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/departments', {
        token: c.token,
        body: { code: `D${50 + ROLES.indexOf(c.role)}`, name: '测试', nameEn: 'Test' },
      }),
  },
  updateDepartment: {
    permission: 'departments:write',
    scoped: false,
    call: (t, c) =>
      t.call('PATCH', '/api/departments/D17', { token: c.token, body: { domains: ['social stability'] } }),
  },
  listUsers: {
    permission: 'users:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/users?limit=500', { token: c.token }),
    codes: (b) => b.items.map((x: { unitCode: string | null }) => x.unitCode ?? ''),
  },
  createUser: {
    permission: 'users:write',
    scoped: true,
    call: async (t, c, tg) =>
      u(c, tg)
        ? t.call('POST', '/api/users', {
            token: c.token,
            body: {
              username: `m.${c.role.toLowerCase()}.${tg.toLowerCase()}`,
              displayName: '矩阵',
              role: roleForLevel(u(c, tg)!),
              password: 'Matrix-Test-42',
              unitCode: u(c, tg),
              withTotp: false,
            },
          })
        : null,
  },
  setUserDisabled: {
    permission: 'users:write',
    scoped: false,
    call: (t, c) =>
      t.call('POST', `/api/users/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/disabled`, {
        token: c.token,
        body: { disabled: true },
      }),
  },
  intakeReport: {
    permission: 'reports:create',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/reports', {
        token: c.token,
        body: { channel: 'grid', text: '矩阵测试上报', location: { lng: demoPoint[0], lat: demoPoint[1] } },
      }),
    // department handlers report on their own line, residents on theirs
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 400 : 201),
  },
  listCases: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/cases?queue=open', { token: c.token }),
  },
  getCase: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', `/api/cases/${demoCaseId}`, { token: c.token }),
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 404 : 200),
  },
  caseAction: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) => t.call('POST', `/api/cases/${demoCaseId}/actions/close`, { token: c.token, body: {} }),
    // close is impossible while the case is only reported: 409 for everyone who can see it
    expect: (role) => (role === 'resident' ? 403 : role === 'departmentHandler' ? 404 : 409),
  },
  inbox: {
    permission: 'session',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/inbox', { token: c.token }),
  },
  ledger: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/ledger?community=370112009001', { token: c.token }),
    expect: (role) =>
      GRID_ROLES.includes(role) || role === 'departmentHandler' || role === 'resident' ? 404 : 200,
  },
  ledgerXlsx: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/ledger.xlsx?community=370112009001', { token: c.token }),
    expect: (role) =>
      GRID_ROLES.includes(role) || role === 'departmentHandler' || role === 'resident' ? 404 : 200,
  },
  ledgerHistory: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/ledger/history?community=370112009001', { token: c.token }),
    expect: (role) =>
      GRID_ROLES.includes(role) || role === 'departmentHandler' || role === 'resident' ? 404 : 200,
  },
  uploadAttachment: {
    permission: 'reports:create',
    scoped: false,
    call: (t, c) =>
      t.upload('/api/attachments', c.token, { bytes: TINY_PNG, name: 'p.png', type: 'image/png' }),
    expect: () => 201,
  },
  getAttachment: {
    permission: 'session',
    scoped: false,
    call: (t, c) => t.call('GET', `/api/attachments/${demoAttachmentId}`, { token: c.token }),
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 404 : 200),
  },
  getAttachmentThumbnail: {
    permission: 'session',
    scoped: false,
    call: (t, c) => t.call('GET', `/api/attachments/${demoAttachmentId}/thumbnail`, { token: c.token }),
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 404 : 200),
  },
  streamChanges: {
    permission: 'cases:read',
    scoped: false,
    // an event stream never ends: read the status, then hang up
    call: async (t, c) => {
      const ac = new AbortController();
      const res = await fetch(`${t.url}/api/stream`, {
        headers: { authorization: `Bearer ${c.token}` },
        signal: ac.signal,
      });
      ac.abort();
      return { status: res.status, body: null };
    },
  },
  listWebhooks: {
    permission: 'departments:write',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/webhooks', { token: c.token }),
  },
  createWebhook: {
    permission: 'departments:write',
    scoped: false,
    // this server allows no webhook host: the admin's request is refused on its URL
    call: (t, c) =>
      t.call('POST', '/api/webhooks', {
        token: c.token,
        body: { name: 'x', url: 'https://example.org/hook', events: ['*'] },
      }),
    expect: () => 400,
  },
  updateWebhook: {
    permission: 'departments:write',
    scoped: false,
    call: (t, c) =>
      t.call('PATCH', '/api/webhooks/no-such-hook', { token: c.token, body: { isActive: false } }),
    expect: () => 404,
  },
  webhookDeliveries: {
    permission: 'departments:write',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/webhooks/no-such-hook/deliveries', { token: c.token }),
    expect: () => 404,
  },
  listCasesXlsx: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/cases.xlsx?queue=open', { token: c.token }),
  },
  volumes: {
    permission: 'stats:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/volumes?unit=370112009', { token: c.token }),
    expect: (role) => (['streetOperator', 'districtOperator', 'leader', 'admin'].includes(role) ? 200 : 404),
  },
  volumesCsv: {
    permission: 'stats:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/volumes.csv?unit=370112009', { token: c.token }),
    expect: (role) => (['streetOperator', 'districtOperator', 'leader', 'admin'].includes(role) ? 200 : 404),
  },
  suggestRouting: {
    permission: 'reports:create',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/routing/suggest', { token: c.token, body: { text: '小区垃圾没人清理' } }),
  },
  listCategories: {
    permission: 'session',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/categories', { token: c.token }),
  },
  getLoopSettings: {
    permission: 'settings:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/settings/loop', { token: c.token }),
  },
  putCalendar: {
    permission: 'settings:write',
    scoped: false,
    // the calendar as it is: writing it again changes nothing
    call: async (t, c) => {
      const cur = await t.call('GET', '/api/settings/loop', { token: await t.token('admin') });
      return t.call('PUT', '/api/settings/loop/calendar', { token: c.token, body: cur.body.calendar });
    },
  },
  putTimeLimits: {
    permission: 'settings:write',
    scoped: false,
    call: async (t, c) => {
      const cur = await t.call('GET', '/api/settings/loop', { token: await t.token('admin') });
      return t.call('PUT', '/api/settings/loop/time-limits', {
        token: c.token,
        body: cur.body.timeLimitRules,
      });
    },
  },
  patchLoopOptions: {
    permission: 'settings:write',
    scoped: false,
    call: (t, c) =>
      t.call('PATCH', '/api/settings/loop', { token: c.token, body: { revisitAfterHours: 24 } }),
  },
  createCategory: {
    permission: 'settings:write',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/categories', {
        token: c.token,
        body: { parentCode: '01', name: `矩阵测试${c.role}` },
      }),
    expect: () => 201,
  },
  updateCategory: {
    permission: 'settings:write',
    scoped: false,
    call: (t, c) => t.call('PATCH', '/api/categories/01', { token: c.token, body: { isActive: true } }),
  },
  ingestOpinionPosts: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/opinion/posts', {
        token: c.token,
        body: {
          posts: [
            {
              source: 'weibo',
              url: `https://weibo.example/matrix/${c.role}`,
              authorHandle: `matrix-${c.role}`,
              text: '矩阵测试：夜间施工噪音',
              postedAt: new Date(Date.now() - 3_600_000).toISOString(),
            },
          ],
        },
      }),
    // the centers and admins run the opinion line
    expect: (role) => (OPINION_MANAGERS.includes(role) ? 200 : 403),
  },
  importOpinionPosts: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/opinion/posts/import', {
        token: c.token,
        body: {
          content: JSON.stringify({
            source: 'news',
            url: `https://news.example/matrix/${c.role}`,
            authorHandle: 'matrix',
            text: '矩阵测试：导入',
            postedAt: new Date(Date.now() - 3_600_000).toISOString(),
          }),
        },
      }),
    expect: (role) => (OPINION_MANAGERS.includes(role) ? 200 : 403),
  },
  listOpinionPosts: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/opinion/posts?limit=500', { token: c.token }),
    codes: (b) => b.items.map((x: { unitCode: string }) => x.unitCode),
    // residents and department handlers have no unit scope
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 403 : 200),
  },
  listOpinionWatchlists: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/opinion/watchlists', { token: c.token }),
    // district-wide topic lists (no unit) are everyone's to read
    codes: (b) => b.items.flatMap((x: { unitCode: string | null }) => (x.unitCode ? [x.unitCode] : [])),
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 403 : 200),
  },
  createOpinionWatchlist: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/opinion/watchlists', {
        token: c.token,
        body: { topic: 'matrix', unitCode: c.ownCode, terms: [`矩阵${c.role}`] },
      }),
    expect: (role) => (OPINION_MANAGERS.includes(role) ? 201 : 403),
  },
  updateOpinionWatchlist: {
    permission: 'cases:act',
    scoped: false,
    // a district-wide list: district staff and admins only
    call: (t, c) =>
      t.call('PATCH', '/api/opinion/watchlists/topic-noise', { token: c.token, body: { isActive: true } }),
    expect: (role) => (role === 'districtOperator' || role === 'admin' ? 200 : 403),
  },
  listOpinionWarnings: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/opinion/warnings?limit=500', { token: c.token }),
    codes: (b) => b.items.map((x: { unitCode: string }) => x.unitCode),
    expect: (role) => (role === 'departmentHandler' || role === 'resident' ? 403 : 200),
  },
  getOpinionWarning: {
    permission: 'cases:read',
    scoped: false,
    // a district-level warning of the demo feed: district-wide roles only
    call: (t, c) => t.call('GET', `/api/opinion/warnings/${demoWarningId}`, { token: c.token }),
    expect: (role) =>
      role === 'departmentHandler' || role === 'resident' ? 403 : DISTRICT_WIDE.includes(role) ? 200 : 404,
  },
  confirmOpinionWarning: {
    permission: 'cases:act',
    scoped: false,
    // an unknown warning: deciding must not change the demo's state
    call: (t, c) =>
      t.call('POST', `/api/opinion/warnings/${UNKNOWN_ID}/confirm`, { token: c.token, body: {} }),
    expect: (role) => (OPINION_MANAGERS.includes(role) ? 404 : 403),
  },
  dismissOpinionWarning: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) =>
      t.call('POST', `/api/opinion/warnings/${UNKNOWN_ID}/dismiss`, {
        token: c.token,
        body: { reason: '矩阵测试' },
      }),
    expect: (role) => (OPINION_MANAGERS.includes(role) ? 404 : 403),
  },
  detectOpinionSpikes: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) => t.call('POST', '/api/opinion/detect', { token: c.token }),
    expect: (role) => (role === 'districtOperator' || role === 'admin' ? 200 : 403),
  },
  listMergeProposals: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/merge-proposals', { token: c.token }),
  },
  acceptMergeProposal: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) => t.call('POST', `/api/merge-proposals/${UNKNOWN_ID}/accept`, { token: c.token }),
    // merges are decided by center operators (and admins); for them the unknown proposal is 404
    expect: (role) => (MERGE_DECIDERS.includes(role) ? 404 : 403),
  },
  rejectMergeProposal: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) =>
      t.call('POST', `/api/merge-proposals/${UNKNOWN_ID}/reject`, { token: c.token, body: { note: '矩阵' } }),
    expect: (role) => (MERGE_DECIDERS.includes(role) ? 404 : 403),
  },
  unmergeReport: {
    permission: 'cases:act',
    scoped: false,
    call: (t, c) => t.call('POST', `/api/reports/${UNKNOWN_ID}/unmerge`, { token: c.token }),
    expect: (role) => (MERGE_DECIDERS.includes(role) ? 404 : 403),
  },
  listHotSpots: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/hot-spots?community=370112009001', { token: c.token }),
    expect: (role) =>
      GRID_ROLES.includes(role) || role === 'departmentHandler' || role === 'resident' ? 404 : 200,
  },
  listAudit: {
    permission: 'audit:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/audit?limit=5', { token: c.token }),
  },
  verifyAudit: {
    permission: 'audit:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/audit/verify', { token: c.token }),
  },
  gridQrSvg: {
    permission: 'public',
    scoped: false,
    call: (t) => t.call('GET', '/api/grids/370112009001001/qr.svg'),
  },
  gridQrPng: {
    permission: 'public',
    scoped: false,
    call: (t) => t.call('GET', '/api/grids/370112009001001/qr.png?size=128'),
  },
  residentGrid: {
    permission: 'public',
    scoped: false,
    call: (t) => t.call('GET', '/api/resident/grids/370112009001001'),
  },
  gridPostersPdf: {
    permission: 'units:read',
    scoped: true,
    call: async (t, c, tg) => {
      const code = u(c, tg);
      const which = code?.length === 15 ? 'grid' : code?.length === 12 ? 'community' : null;
      return which ? t.call('GET', `/api/posters.pdf?${which}=${code}`, { token: c.token }) : null;
    },
  },
  requestResidentCode: {
    permission: 'public',
    scoped: false,
    // one number per role: a number gets one code a minute
    call: (t, c) =>
      t.call('POST', '/api/resident/code', {
        body: { phone: `1390000${String(ROLES.indexOf(c.role)).padStart(4, '0')}` },
      }),
  },
  residentLogin: {
    permission: 'public',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/resident/login', {
        body: { phone: `1390001${String(ROLES.indexOf(c.role)).padStart(4, '0')}`, code: '000000' },
      }),
    expect: () => 401,
  },
  createResidentReport: {
    permission: 'reports:create',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/resident/reports', {
        token: c.token,
        body: { gridCode: '370112009001001', text: '矩阵测试居民报事' },
      }),
    // the resident line is for residents; staff report on their own lines
    expect: (role) => (role === 'resident' ? 201 : 403),
  },
  listResidentReports: {
    permission: 'cases:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/resident/reports', { token: c.token }),
    expect: (role) => (role === 'resident' ? 200 : 403),
  },
  trackReport: {
    permission: 'public',
    scoped: false,
    call: (t) => t.call('GET', '/api/track/AAAAAAAAAA'),
    expect: () => 404,
  },
  rateReport: {
    permission: 'reports:create',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/track/AAAAAAAAAA/rating', { token: c.token, body: { satisfaction: 'satisfied' } }),
    expect: (role) => (role === 'resident' ? 404 : 403),
  },
  receiveImMessage: {
    permission: 'public',
    scoped: false,
    // the matrix server has no CIVICGRID_IM_SECRET: the adapter is off (signed messages: residents.test.ts)
    call: (t) => t.call('POST', '/api/im/messages', { body: {} }),
    expect: () => 503,
  },
  listImGroups: {
    permission: 'settings:read',
    scoped: false,
    call: (t, c) => t.call('GET', '/api/im/groups', { token: c.token }),
  },
  saveImGroup: {
    permission: 'settings:write',
    scoped: false,
    call: (t, c) =>
      t.call('POST', '/api/im/groups', {
        token: c.token,
        body: { platform: 'wecom', groupId: 'matrix', gridCode: '370112009001001' },
      }),
  },
};

/** The status the product promises for role × route × target. */
function expected(role: RoleName, rc: RouteCase, op: string, target: Target, c: Ctx): number | number[] {
  if (rc.permission === 'public') return rc.expect ? rc.expect(role) : op === 'login' ? 401 : 200;
  if (rc.permission === 'session') return rc.expect ? rc.expect(role) : 200;
  if (!MAY[rc.permission]?.includes(role)) return 403;
  if (rc.expect) return rc.expect(role);
  if (op === 'setUserDisabled' || op === 'deactivateStaff') return 404; // unknown id
  if (op === 'createDepartment') return 201;
  if (op === 'importUnits') return 422; // an empty collection is refused as a mistake
  if (!rc.scoped) return 200;
  const inScope = DISTRICT_WIDE.includes(role) || target === 'own';
  // volunteers and mediators bound to a grid see only their grid; the parent (community) is outside
  if (!inScope) return op === 'createUser' ? 400 : 404;
  // roster members belong to basic grids and communities only
  if (op === 'createStaff') return (u(c, target) ?? '').length >= 12 ? 201 : 400;
  if (op === 'createUser') return 201;
  return 200;
}

describeEachDb('access matrix', (kind) => {
  let t: TestServer;
  const ctxs = new Map<RoleName, Ctx>();
  beforeAll(async () => {
    t = await startTestServer(kind);
    const admin = await t.token('admin');
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    demoPoint = accounts.find((a) => a.username === 'worker')!.samplePoint;
    const created = await t.call('POST', '/api/reports', {
      token: await t.token('worker'),
      body: { channel: 'grid', text: '矩阵测试事件', location: { lng: demoPoint[0], lat: demoPoint[1] } },
    });
    demoCaseId = created.body.caseId;
    const warnings = await t.call('GET', '/api/opinion/warnings?status=open&limit=500', { token: admin });
    demoWarningId = warnings.body.items.find((w: { unitCode: string }) => w.unitCode === '370112')?.id ?? '';
    expect(demoWarningId, 'the demo feed raises a district-level warning').not.toBe('');
    const photo = await t.upload(`/api/attachments?caseId=${demoCaseId}`, await t.token('worker'), {
      bytes: TINY_PNG,
      name: 'p.png',
      type: 'image/png',
    });
    demoAttachmentId = photo.body.id;
    const siblingOf = async (code: string, parent: string | null): Promise<string | null> => {
      if (!parent) return null;
      const r = await t.call('GET', `/api/units?parent=${parent}&limit=500`, { token: admin });
      return (
        r.body.items
          .map((x: { code: string }) => x.code)
          .find((c: string) => c !== code && c.length === code.length) ?? null
      );
    };
    const otherStreetUnit = async (code: string): Promise<string | null> => {
      const street = code.slice(0, 9);
      const level =
        code.length === 15
          ? 'basicGrid'
          : code.length === 12
            ? 'community'
            : code.length === 9
              ? 'street'
              : null;
      if (!level || code.length === 6) return null;
      const r = await t.call('GET', `/api/units?level=${level}&limit=500`, { token: admin });
      return (
        r.body.items.map((x: { code: string }) => x.code).find((c: string) => c.slice(0, 9) !== street) ??
        null
      );
    };
    const staffIn = async (code: string | null): Promise<string | null> => {
      if (!code) return null;
      const r = await t.call('GET', `/api/staff?unit=${code}&limit=1`, { token: admin });
      return r.body.items?.[0]?.id ?? null;
    };
    for (const role of ROLES) {
      const token = await t.token(ACCOUNTS[role]);
      const me = (await t.call('GET', '/api/me', { token })).body;
      const own: string | null = me.unitCode;
      const parent = own && own.length > 6 ? own.slice(0, own.length - 3) : null;
      const units: Record<Target, string | null> = {
        own,
        sibling: own ? await siblingOf(own, parent) : null,
        parent,
        otherStreet: own ? await otherStreetUnit(own) : null,
      };
      // staff live in basic grids and communities: use the nearest such unit of each target
      const staffUnit = (c: string | null) => (c && c.length >= 12 ? c : null);
      ctxs.set(role, {
        role,
        token,
        units,
        ownCode: own,
        staffIn: {
          own: await staffIn(staffUnit(units.own)),
          sibling: await staffIn(staffUnit(units.sibling)),
          parent: await staffIn(staffUnit(units.parent)),
          otherStreet: await staffIn(staffUnit(units.otherStreet)),
        },
      });
    }
  }, 300_000);
  afterAll(async () => t?.stop());

  it('has a row for every route in the contracts', () => {
    const missing = ROUTES.map((r) => r.operationId).filter((op) => !CASES[op]);
    expect(missing).toEqual([]);
  });

  for (const role of ROLES) {
    it(`${role}: every route × {own, sibling, parent, other street} answers as promised, with no foreign rows`, async () => {
      const c = ctxs.get(role)!;
      const failures: string[] = [];
      for (const [op, rc] of Object.entries(CASES)) {
        for (const target of rc.scoped ? TARGETS : (['own'] as Target[])) {
          const r = await rc.call(t, c, target);
          if (!r) continue;
          const exp = expected(role, rc, op, target, c);
          const ok = Array.isArray(exp) ? exp.includes(r.status) : r.status === exp;
          if (!ok)
            failures.push(
              `${op} ${target}: expected ${exp}, got ${r.status} ${JSON.stringify(r.body?.error ?? '')}`,
            );
          if (r.status >= 400) expect(r.body?.error?.requestId, `${op} envelope`).toBeTruthy();
          if (r.status === 200 && rc.codes && c.ownCode && !DISTRICT_WIDE.includes(role)) {
            const own = c.ownCode;
            const foreign = rc.codes(r.body).filter((code) => {
              // paths contain the own code; codes of units below start with it; dedicated grids of
              // a basic grid share its community prefix (checked against the grid's own list)
              if (code.startsWith('/')) return !code.includes(`/${own}/`);
              return !(
                code.startsWith(own) ||
                (own.length === 15 && code.startsWith(own.slice(0, 12)) && Number(code.slice(12)) >= 501)
              );
            });
            if (foreign.length)
              failures.push(`${op} ${target}: ${foreign.length} foreign rows, e.g. ${foreign[0]}`);
          }
          if (r.status === 200 && op !== 'revealStaff') {
            const leaks = findUnmaskedPersonalData(r.body);
            if (leaks.length) failures.push(`${op} ${target}: unmasked personal data ${leaks[0]}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('validate-grids is allowed exactly for centers, leaders and admins', async () => {
    for (const role of ['volunteer', 'gridWorker', 'departmentHandler', 'resident'] as RoleName[]) {
      const r = await t.call('GET', '/api/grids/validation', { token: ctxs.get(role)!.token });
      expect(r.status, role).toBe(403);
    }
    const r = await t.call('GET', '/api/grids/validation', { token: ctxs.get('communityOperator')!.token });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
  });

  it('refuses every session route without a login', async () => {
    for (const rt of ROUTES.filter((r) => r.auth === 'session')) {
      const path = rt.path.replace(':code', '370112').replace(':id', 'x');
      const r = await t.call(rt.method, path, rt.method === 'GET' ? {} : { body: {} });
      expect(r.status, `${rt.method} ${path}`).toBe(401);
    }
  });
});
