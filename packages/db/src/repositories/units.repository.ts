import type { Kysely, Selectable } from 'kysely';
import type {
  AreaGeometry,
  NewUnit,
  UnitLevel,
  UnitListFilter,
  UnitRecord,
  UnitRepository,
} from '@civicgrid/core';
import { UNIT_LEVELS } from '@civicgrid/core';
import type { Database, UnitsTable } from '../schema.js';
import { chunked, parseGeometry, prefixPattern } from './util.js';

const BASE = [
  'id',
  'code',
  'name',
  'level',
  'kind',
  'parent_id',
  'path',
  'area_m2',
  'min_lng',
  'min_lat',
  'max_lng',
  'max_lat',
] as const;

function toRecord(
  r: Omit<Selectable<UnitsTable>, 'geometry' | 'created_at' | 'updated_at'> & { geometry?: string | null },
): UnitRecord {
  const rec: UnitRecord = {
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level as UnitLevel,
    kind: r.kind as UnitRecord['kind'],
    parentId: r.parent_id,
    path: r.path,
    areaM2: r.area_m2,
    bbox:
      r.min_lng === null || r.min_lat === null || r.max_lng === null || r.max_lat === null
        ? null
        : [r.min_lng, r.min_lat, r.max_lng, r.max_lat],
  };
  if (r.geometry !== undefined) rec.geometry = parseGeometry(r.geometry);
  return rec;
}

function toRow(u: NewUnit, now: string): UnitsTable {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    level: u.level,
    kind: u.kind,
    parent_id: u.parentId,
    path: u.path,
    geometry: u.geometry ? JSON.stringify(u.geometry) : null,
    min_lng: u.bbox?.[0] ?? null,
    min_lat: u.bbox?.[1] ?? null,
    max_lng: u.bbox?.[2] ?? null,
    max_lat: u.bbox?.[3] ?? null,
    area_m2: u.areaM2,
    created_at: now,
    updated_at: now,
  };
}

/** Units of the governance structure; every list is filtered by the caller's path prefix. */
export function unitRepository(db: Kysely<Database>): UnitRepository {
  return {
    async findById(id) {
      const r = await db.selectFrom('units').select(BASE).where('id', '=', id).executeTakeFirst();
      return r && toRecord(r);
    },
    async findByCode(code, withGeometry = false) {
      const r = await db
        .selectFrom('units')
        .select(withGeometry ? [...BASE, 'geometry'] : BASE)
        .where('code', '=', code)
        .executeTakeFirst();
      return r && toRecord(r);
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('units').select(BASE).where('id', 'in', ids).execute();
      return rows.map(toRecord);
    },
    async findManyByCodes(codes) {
      if (codes.length === 0) return [];
      const rows = await db.selectFrom('units').select(BASE).where('code', 'in', codes).execute();
      return rows.map(toRecord);
    },
    async list(f: UnitListFilter) {
      let q = db
        .selectFrom('units')
        .select(f.withGeometry ? [...BASE, 'geometry'] : BASE)
        .where('path', 'like', prefixPattern(f.scopePrefix));
      if (f.level) q = q.where('level', '=', f.level);
      if (f.parentId) q = q.where('parent_id', '=', f.parentId);
      if (f.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${f.q}%`), eb('code', 'like', `${f.q}%`)]));
      if (f.afterCode) q = q.where('code', '>', f.afterCode);
      const rows = await q.orderBy('code').limit(f.limit).execute();
      return rows.map(toRecord);
    },
    async countByLevel(scopePrefix) {
      const rows = await db
        .selectFrom('units')
        .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
        .where('path', 'like', prefixPattern(scopePrefix))
        .groupBy('level')
        .execute();
      const out = Object.fromEntries(UNIT_LEVELS.map((l) => [l, 0])) as Record<UnitLevel, number>;
      for (const r of rows) out[r.level as UnitLevel] = Number(r.n);
      return out;
    },
    async allWithGeometry() {
      const rows = await db
        .selectFrom('units as u')
        .leftJoin('units as p', 'p.id', 'u.parent_id')
        .select([
          'u.id',
          'u.code',
          'u.name',
          'u.level',
          'u.kind',
          'u.parent_id',
          'u.path',
          'u.area_m2',
          'u.min_lng',
          'u.min_lat',
          'u.max_lng',
          'u.max_lat',
          'u.geometry',
          'p.code as parent_code',
        ])
        .orderBy('u.code')
        .execute();
      return rows.map((r) => ({
        ...toRecord(r),
        geometry: parseGeometry(r.geometry) as AreaGeometry | null,
        parentCode: r.parent_code,
      }));
    },
    async allCodes() {
      const rows = await db.selectFrom('units').select(['id', 'code', 'level', 'path']).execute();
      return new Map(rows.map((r) => [r.code, { id: r.id, level: r.level as UnitLevel, path: r.path }]));
    },
    async insertMany(units, now) {
      await chunked(units, 15, (chunk) =>
        db
          .insertInto('units')
          .values(chunk.map((u) => toRow(u, now)))
          .execute(),
      );
    },
    async upsertMany(units, now) {
      const existing = new Set((await db.selectFrom('units').select('code').execute()).map((r) => r.code));
      let inserted = 0;
      let updated = 0;
      // parents come before children in the input, so foreign keys hold row by row
      for (const u of units) {
        if (existing.has(u.code)) {
          const row = toRow(u, now);
          await db
            .updateTable('units')
            .set({
              name: row.name,
              kind: row.kind,
              geometry: row.geometry,
              min_lng: row.min_lng,
              min_lat: row.min_lat,
              max_lng: row.max_lng,
              max_lat: row.max_lat,
              area_m2: row.area_m2,
              updated_at: now,
            })
            .where('code', '=', u.code)
            .execute();
          updated++;
        } else {
          await db.insertInto('units').values(toRow(u, now)).execute();
          inserted++;
        }
      }
      return { inserted, updated };
    },
  };
}
