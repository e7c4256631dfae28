import type { Kysely } from 'kysely';
import type {
  CenterRepository,
  DepartmentRecord,
  DepartmentRepository,
  SettingsRepository,
  UnitLevel,
} from '@civicgrid/core';
import type { Database } from '../schema.js';
import { bool, chunked, int, prefixPattern } from './util.js';

/** Governance centers (district, street, community). */
export function centerRepository(db: Kysely<Database>): CenterRepository {
  return {
    async list(scopePrefix) {
      const rows = await db
        .selectFrom('centers as c')
        .innerJoin('units as u', 'u.id', 'c.unit_id')
        .select(['c.id', 'c.unit_id', 'u.code', 'c.name', 'c.level'])
        .where('u.path', 'like', prefixPattern(scopePrefix))
        .orderBy('u.code')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        unitId: r.unit_id,
        unitCode: r.code,
        name: r.name,
        level: r.level as UnitLevel,
      }));
    },
    async insertMany(rows, now) {
      await chunked(rows, 5, (chunk) =>
        db
          .insertInto('centers')
          .values(
            chunk.map((r) => ({
              id: r.id,
              unit_id: r.unitId,
              name: r.name,
              level: r.level,
              created_at: now,
            })),
          )
          .execute(),
      );
    },
  };
}

type DeptRow = {
  id: string;
  code: string;
  name: string;
  name_en: string;
  domains: string;
  is_active: number;
};
const dept = (r: DeptRow): DepartmentRecord => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  domains: JSON.parse(r.domains) as string[],
  isActive: bool(r.is_active),
});
const DEPT_COLS = ['id', 'code', 'name', 'name_en', 'domains', 'is_active'] as const;

/** Departments stationed at the district center. */
export function departmentRepository(db: Kysely<Database>): DepartmentRepository {
  return {
    async list() {
      return (await db.selectFrom('departments').select(DEPT_COLS).orderBy('code').execute()).map(dept);
    },
    async findById(id) {
      const r = await db.selectFrom('departments').select(DEPT_COLS).where('id', '=', id).executeTakeFirst();
      return r && dept(r);
    },
    async findByCode(code) {
      const r = await db
        .selectFrom('departments')
        .select(DEPT_COLS)
        .where('code', '=', code)
        .executeTakeFirst();
      return r && dept(r);
    },
    async insert(d, now) {
      await db
        .insertInto('departments')
        .values({
          id: d.id,
          code: d.code,
          name: d.name,
          name_en: d.nameEn,
          domains: JSON.stringify(d.domains),
          is_active: int(d.isActive),
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
    async update(id, p, now) {
      await db
        .updateTable('departments')
        .set({
          ...(p.name !== undefined && { name: p.name }),
          ...(p.nameEn !== undefined && { name_en: p.nameEn }),
          ...(p.domains !== undefined && { domains: JSON.stringify(p.domains) }),
          ...(p.isActive !== undefined && { is_active: int(p.isActive) }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    async count() {
      const r = await db
        .selectFrom('departments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

/** Key/value settings (JSON values). */
export function settingsRepository(db: Kysely<Database>): SettingsRepository {
  return {
    async get<T>(key: string) {
      const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r ? (JSON.parse(r.value) as T) : undefined;
    },
    async getMany(keys) {
      if (keys.length === 0) return new Map();
      const rows = await db
        .selectFrom('settings')
        .select(['key', 'value'])
        .where('key', 'in', [...keys])
        .execute();
      return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    },
    async set(key, value, now) {
      const v = JSON.stringify(value);
      await db
        .insertInto('settings')
        .values({ key, value: v, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: now }))
        .execute();
    },
  };
}
