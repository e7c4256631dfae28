/**
 * A migrated test database with the opinion tables and a Store whose repositories include the
 * opinion repository. Works before and after 0004-opinion and the repository are registered
 * (migrations/index.ts, store.ts): what is registered already is used as is.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor, NewUnit, Repositories, Role, Store } from '@civicgrid/core';
import { createIdGenerator, fixedClock, scopeFor, unitPath } from '@civicgrid/core';
import { createStore } from '@civicgrid/db';
import { up as opinionUp } from '../src/migrations/0004-opinion.js';
import { opinionRepository } from '../src/repositories/opinion.repository.js';
import { openTestDb } from '../../../test/support/databases.js';
import type { DbKind, TestDb } from '../../../test/support/databases.js';

export interface OpinionTestDb {
  t: TestDb;
  store: Store;
}

/** A fresh database of the kind with the opinion tables, and a store that reaches them. */
export async function openOpinionDb(kind: DbKind): Promise<OpinionTestDb> {
  const t = await openTestDb(kind);
  const applied = await sql<{
    name: string;
  }>`select name from kysely_migration where name = '0004-opinion'`.execute(t.db.kysely);
  if (applied.rows.length === 0) await opinionUp(t.db.kysely as unknown as Kysely<unknown>, t.db.dialect);
  const base = createStore(t.db);
  if ('opinion' in base.repos) return { t, store: base };
  const store: Store = {
    dialect: base.dialect,
    repos: { ...base.repos, opinion: opinionRepository(t.db.kysely) } as Repositories,
    transaction: (fn) =>
      t.db.kysely.transaction().execute(async (trx) => {
        const inner = createStore({ ...t.db, kysely: trx });
        return fn({ ...inner.repos, opinion: opinionRepository(trx) } as Repositories);
      }),
  };
  return { t, store };
}

const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
const ids = createIdGenerator(clock);

/** A unit row without geometry for the tests' small district. */
export function testUnit(
  code: string,
  level: NewUnit['level'],
  parent: NewUnit | null,
  name = code,
): NewUnit {
  return {
    id: ids.next(),
    code,
    name,
    level,
    kind: level === 'dedicatedGrid' ? 'school' : null,
    parentId: parent?.id ?? null,
    path: unitPath(parent?.path ?? null, code),
    geometry: null,
    bbox: null,
    areaM2: null,
  };
}

/** The district 370112 with two streets, a community and a grid in each. */
export function testDistrict() {
  const d = testUnit('370112', 'district', null, '历城区');
  const s1 = testUnit('370112001', 'street', d, '董家街道');
  const s2 = testUnit('370112002', 'street', d, '华山街道');
  const c1 = testUnit('370112001001', 'community', s1, '一社区');
  const c2 = testUnit('370112002001', 'community', s2, '二社区');
  const g1 = testUnit('370112001001001', 'basicGrid', c1);
  const g2 = testUnit('370112002001001', 'basicGrid', c2);
  return { d, s1, s2, c1, c2, g1, g2, all: [d, s1, s2, c1, c2, g1, g2] };
}

/** An actor of a role bound to a unit, with the scope `scopeFor` gives it. */
export function actorOf(role: Role, unit: NewUnit | null, userId: string = `u-${role}`): Actor {
  return {
    userId,
    username: userId,
    role,
    unitId: unit?.id ?? null,
    departmentId: null,
    scope: scopeFor(role, unit, null),
    sessionId: null,
  };
}
