import type { Kysely } from 'kysely';
import type { StaffRecord, StaffRepository, StaffRole } from '@civicgrid/core';
import type { Database } from '../schema.js';
import { bool, chunked, int, prefixPattern } from './util.js';

/** The grid roster (1+1+1+N) and community mediation teams. */
export function staffRepository(db: Kysely<Database>): StaffRepository {
  const base = () =>
    db
      .selectFrom('staff as s')
      .innerJoin('units as u', 'u.id', 's.unit_id')
      .select([
        's.id',
        's.unit_id',
        'u.code as unit_code',
        'u.name as unit_name',
        'u.path as unit_path',
        's.role',
        's.name',
        's.phone',
        's.id_number',
        's.team',
        's.user_id',
        's.is_active',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const rec = (r: Row): StaffRecord => ({
    id: r.id,
    unitId: r.unit_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    unitPath: r.unit_path,
    role: r.role as StaffRole,
    name: r.name,
    phone: r.phone,
    idNumber: r.id_number,
    team: r.team,
    userId: r.user_id,
    isActive: bool(r.is_active),
  });
  return {
    async findById(id) {
      const r = await base().where('s.id', '=', id).executeTakeFirst();
      return r && rec(r);
    },
    async list(f) {
      let q = base().where('u.path', 'like', prefixPattern(f.scopePrefix));
      if (f.unitId) q = q.where('s.unit_id', '=', f.unitId);
      if (f.role) q = q.where('s.role', '=', f.role);
      if (f.afterId) q = q.where('s.id', '>', f.afterId);
      return (await q.orderBy('s.id').limit(f.limit).execute()).map(rec);
    },
    async count(scopePrefix) {
      const r = await db
        .selectFrom('staff as s')
        .innerJoin('units as u', 'u.id', 's.unit_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('u.path', 'like', prefixPattern(scopePrefix))
        .where('s.is_active', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async insertMany(rows, now) {
      await chunked(rows, 11, (chunk) =>
        db
          .insertInto('staff')
          .values(
            chunk.map((s) => ({
              id: s.id,
              unit_id: s.unitId,
              role: s.role,
              name: s.name,
              phone: s.phone,
              id_number: s.idNumber,
              team: s.team,
              user_id: s.userId,
              is_active: 1,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute(),
      );
    },
    async update(id, p, now) {
      await db
        .updateTable('staff')
        .set({
          ...(p.name !== undefined && { name: p.name }),
          ...(p.phone !== undefined && { phone: p.phone }),
          ...(p.idNumber !== undefined && { id_number: p.idNumber }),
          ...(p.team !== undefined && { team: p.team }),
          ...(p.role !== undefined && { role: p.role }),
          ...(p.isActive !== undefined && { is_active: int(p.isActive) }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    async gridRoleCounts(scopePrefix) {
      // every basic grid in scope appears, with zero rows counted for missing roles
      const rows = await db
        .selectFrom('units as u')
        .leftJoin('staff as s', (j) => j.onRef('s.unit_id', '=', 'u.id').on('s.is_active', '=', 1))
        .select(['u.id', 'u.code', 'u.name', 'u.path', 's.role', (eb) => eb.fn.count<number>('s.id').as('n')])
        .where('u.level', '=', 'basicGrid')
        .where('u.path', 'like', prefixPattern(scopePrefix))
        .groupBy(['u.id', 'u.code', 'u.name', 'u.path', 's.role'])
        .orderBy('u.code')
        .execute();
      return rows.map((r) => ({
        unitId: r.id,
        code: r.code,
        name: r.name,
        path: r.path,
        role: r.role ?? '',
        n: Number(r.n),
      }));
    },
    async mediationTeamSizes(scopePrefix) {
      const rows = await db
        .selectFrom('units as u')
        .leftJoin('staff as s', (j) =>
          j.onRef('s.unit_id', '=', 'u.id').on('s.is_active', '=', 1).on('s.team', '=', 'mediationTeam'),
        )
        .select(['u.id', 'u.code', 'u.name', (eb) => eb.fn.count<number>('s.id').as('n')])
        .where('u.level', '=', 'community')
        .where('u.path', 'like', prefixPattern(scopePrefix))
        .groupBy(['u.id', 'u.code', 'u.name'])
        .orderBy('u.code')
        .execute();
      return rows.map((r) => ({ unitId: r.id, code: r.code, name: r.name, n: Number(r.n) }));
    },
  };
}
