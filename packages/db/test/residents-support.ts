/**
 * A migrated test database with the resident tables, a Store whose repositories include the
 * residents repository, and a small district (one street, one community, two square grids) with
 * the accounts the closed loop needs. Works before and after 0007-residents and the repository
 * are registered (migrations/index.ts, store.ts): what is registered already is used as is.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor, NewUnit, PasswordHasher, Repositories, Role, ServiceDeps, Store } from '@civicgrid/core';
import {
  createCaseService,
  createGovernanceService,
  createIdGenerator,
  fixedClock,
  scopeFor,
  unitPath,
} from '@civicgrid/core';
import { createStore } from '@civicgrid/db';
import { up as residentsUp } from '../src/migrations/0007-residents.js';
import { residentRepository } from '../src/repositories/residents.repository.js';
import { openTestDb } from '../../../test/support/databases.js';
import type { DbKind, TestDb } from '../../../test/support/databases.js';

export const sha256 = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');

/** A fresh database of the kind with the resident tables, and a store that reaches them. */
export async function openResidentDb(kind: DbKind): Promise<{ t: TestDb; store: Store }> {
  const t = await openTestDb(kind);
  const applied = await sql<{
    name: string;
  }>`select name from kysely_migration where name = '0007-residents'`.execute(t.db.kysely);
  if (applied.rows.length === 0) await residentsUp(t.db.kysely as unknown as Kysely<unknown>, t.db.dialect);
  const base = createStore(t.db);
  // once store.ts names the repository, the store is used as is
  if ((base.repos as Partial<Record<'residents', unknown>>).residents) return { t, store: base };
  const store: Store = {
    dialect: base.dialect,
    repos: { ...base.repos, residents: residentRepository(t.db.kysely) } as Repositories,
    transaction: (fn) =>
      t.db.kysely.transaction().execute(async (trx) => {
        const inner = createStore({ ...t.db, kysely: trx });
        return fn({ ...inner.repos, residents: residentRepository(trx) } as Repositories);
      }),
  };
  return { t, store };
}

const START = new Date('2026-11-27T02:00:00Z'); // 10:00 in Jinan, a Friday

/** A square of side 0.01° with its south-west corner at (lng, lat). */
function square(lng: number, lat: number) {
  const ring: [number, number][] = [
    [lng, lat],
    [lng + 0.01, lat],
    [lng + 0.01, lat + 0.01],
    [lng, lat + 0.01],
    [lng, lat],
  ];
  return {
    geometry: { type: 'Polygon' as const, coordinates: [ring] },
    bbox: [lng, lat, lng + 0.01, lat + 0.01] as [number, number, number, number],
    areaM2: 1_000_000,
  };
}

function unit(
  ids: { next(): string },
  code: string,
  level: NewUnit['level'],
  parent: NewUnit | null,
  name: string,
  shape: ReturnType<typeof square>,
): NewUnit {
  return {
    id: ids.next(),
    code,
    name,
    level,
    kind: null,
    parentId: parent?.id ?? null,
    path: unitPath(parent?.path ?? null, code),
    ...shape,
  };
}

/** An actor of a role bound to a unit, with the scope `scopeFor` gives it. */
export function actorOf(role: Role, u: NewUnit | null, userId: string): Actor {
  return {
    userId,
    username: userId,
    role,
    unitId: u?.id ?? null,
    departmentId: null,
    scope: scopeFor(role, u, null),
    sessionId: null,
  };
}

const cheapPasswords: PasswordHasher = {
  hash: async (p) => `plain:${p}`,
  verify: async (h, p) => h === `plain:${p}`,
};

/** The district 370112 → street 001 → community 001 → grids 001 and 002, and the loop's accounts. */
export async function seedDistrict(store: Store) {
  const clock = fixedClock(START);
  const ids = createIdGenerator(clock);
  const d = unit(ids, '370112', 'district', null, '历城区', square(117.0, 36.6));
  const s = unit(ids, '370112001', 'street', d, '洪家楼街道', square(117.0, 36.6));
  const c = unit(ids, '370112001001', 'community', s, '花园社区', square(117.0, 36.6));
  const g1 = unit(ids, '370112001001001', 'basicGrid', c, '花园一网格', square(117.0, 36.6));
  const g2 = unit(ids, '370112001001002', 'basicGrid', c, '花园二网格', square(117.0, 36.61));
  // g2 lies north of g1; the parents' squares only matter for containment checks we do not run
  c.geometry = square(117.0, 36.6).geometry;
  await store.repos.units.insertMany([d, s, c, g1, g2], START.toISOString());
  const deps: ServiceDeps = {
    store,
    clock,
    ids,
    passwords: cheapPasswords,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
  };
  const user = async (username: string, role: Role, u: NewUnit | null, phone: string | null = null) => {
    const id = ids.next();
    await store.repos.users.insert(
      {
        id,
        username,
        displayName: username,
        role,
        unitId: u?.id ?? null,
        departmentId: null,
        phone,
        passwordHash: null,
        totpSecret: null,
        totpEnabled: false,
        isDisabled: false,
      },
      START.toISOString(),
    );
    return actorOf(role, u, id);
  };
  const community = await user('community', 'communityOperator', c);
  const worker = await user('worker', 'gridWorker', g1);
  const admin = await user('admin', 'admin', d);
  const governance = createGovernanceService(deps);
  const cases = createCaseService(deps, governance);
  return { clock, ids, deps, cases, units: { d, s, c, g1, g2 }, actors: { community, worker, admin } };
}

export type SeededDistrict = Awaited<ReturnType<typeof seedDistrict>>;

/** Runs a call that must fail and returns its error. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; details: any; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; details: any; message: string };
  }
  throw new Error('expected an error');
}

/** Takes a case through register → dispatch to the grid worker → accept → feedback → verify → close. */
export async function closeCase(district: SeededDistrict, caseId: string): Promise<void> {
  const { cases, actors } = district;
  const ctx = { requestId: 'test' };
  const step = async (actor: Actor, action: string, payload: unknown) => {
    const c = await district.deps.store.repos.cases.findById(caseId);
    if (!c) throw new Error('case vanished');
    await cases.actions.act(actor, c, action, payload, c.version, ctx);
  };
  await step(actors.community, 'register', {});
  await step(actors.community, 'dispatch', { target: { kind: 'user', userId: actors.worker.userId } });
  await step(actors.worker, 'accept', {});
  await step(actors.worker, 'feedback', { result: '已清理完毕' });
  await step(actors.community, 'verify', { passed: true });
  await step(actors.community, 'close', {});
}
