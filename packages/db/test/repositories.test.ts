import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createIdGenerator, fixedClock, unitPath, verifyAuditChain } from '@civicgrid/core';
import type { NewUnit, Store } from '@civicgrid/core';
import { createStore, isSchemaCurrent } from '@civicgrid/db';
import { describeEachDb, openTestDb } from '../../../test/support/databases.js';
import type { TestDb } from '../../../test/support/databases.js';

const clock = fixedClock(new Date('2026-11-27T08:00:00Z'));
const ids = createIdGenerator(clock);
const now = clock.now().toISOString();

function unit(code: string, level: NewUnit['level'], parent: NewUnit | null, name = code): NewUnit {
  return {
    id: ids.next(),
    code,
    name,
    level,
    kind: level === 'dedicatedGrid' ? 'school' : null,
    parentId: parent?.id ?? null,
    path: unitPath(parent?.path ?? null, code),
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [117, 36],
          [117.01, 36],
          [117.01, 36.01],
          [117, 36],
        ],
      ],
    },
    bbox: [117, 36, 117.01, 36.01],
    areaM2: 1000,
  };
}

describeEachDb('repositories', (kind) => {
  let t: TestDb;
  let store: Store;
  const d = unit('370112', 'district', null, '历城区');
  const s1 = unit('370112001', 'street', d, '山大路街道');
  const s2 = unit('370112002', 'street', d, '洪家楼街道');
  const c1 = unit('370112001001', 'community', s1);
  const c2 = unit('370112002001', 'community', s2);
  const g1 = unit('370112001001001', 'basicGrid', c1);
  const g2 = unit('370112002001001', 'basicGrid', c2);
  const dg = unit('370112001001501', 'dedicatedGrid', g1);

  beforeAll(async () => {
    t = await openTestDb(kind);
    store = createStore(t.db);
    await store.repos.units.insertMany([d, s1, s2, c1, c2, g1, g2, dg], now);
  });
  afterAll(async () => t?.drop());

  it('reports the schema as current after migration', async () => {
    expect(await isSchemaCurrent(t.db)).toBe(true);
  });

  it('filters units by the scope path prefix and never returns foreign rows', async () => {
    const all = await store.repos.units.list({ scopePrefix: '/', limit: 100 });
    expect(all).toHaveLength(8);
    const street1 = await store.repos.units.list({ scopePrefix: s1.path, limit: 100 });
    expect(street1.map((u) => u.code).sort()).toEqual([s1.code, c1.code, g1.code, dg.code].sort());
    const grid = await store.repos.units.list({ scopePrefix: g1.path, limit: 100 });
    expect(grid.map((u) => u.code).sort()).toEqual([g1.code, dg.code].sort());
    // a prefix that is a string prefix of a sibling's path but not its ancestor matches nothing extra
    const counts = await store.repos.units.countByLevel(c2.path);
    expect(counts).toMatchObject({ community: 1, basicGrid: 1, street: 0, dedicatedGrid: 0 });
  });

  it('pages units by code', async () => {
    const p1 = await store.repos.units.list({ scopePrefix: '/', limit: 3 });
    const p2 = await store.repos.units.list({ scopePrefix: '/', limit: 3, afterCode: p1[2]?.code });
    expect(p1.length + p2.length).toBe(6);
    expect(new Set([...p1, ...p2].map((u) => u.code)).size).toBe(6);
  });

  it('round-trips geometry', async () => {
    const u = await store.repos.units.findByCode(g1.code, true);
    expect(u?.geometry).toEqual(g1.geometry);
    expect(u?.bbox).toEqual(g1.bbox);
    const all = await store.repos.units.allWithGeometry();
    expect(all.find((x) => x.code === dg.code)?.parentCode).toBe(g1.code);
  });

  it('upserts units on import', async () => {
    const r = await store.repos.units.upsertMany(
      [{ ...g2, name: '改名网格' }, unit('370112002001002', 'basicGrid', c2)],
      now,
    );
    expect(r).toEqual({ inserted: 1, updated: 1 });
    expect((await store.repos.units.findByCode(g2.code))?.name).toBe('改名网格');
  });

  it('appends a verifiable hash chain and refuses to change or delete audit rows', async () => {
    for (let i = 0; i < 25; i++) {
      await store.transaction((tx) =>
        tx.audit.append({
          id: ids.next(),
          at: now,
          actorId: null,
          actorRole: 'system',
          action: 'test',
          entityType: 'unit',
          entityId: String(i),
          details: { i, s: '中文' },
          requestId: null,
        }),
      );
    }
    const v = await verifyAuditChain(store.repos.audit.iterate(7));
    expect(v).toMatchObject({ ok: true, count: 25 });
    await expect(sql`update audit_log set action = 'x' where seq = 3`.execute(t.db.kysely)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = 3`.execute(t.db.kysely)).rejects.toThrow(
      /append-only/,
    );
    expect((await store.repos.audit.head())?.seq).toBe(25);
  });

  it('serialises concurrent audit appends into one chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transaction((tx) =>
          tx.audit.append({
            id: ids.next(),
            at: now,
            actorId: null,
            actorRole: null,
            action: 'concurrent',
            entityType: 'x',
            entityId: String(i),
            details: {},
            requestId: null,
          }),
        ),
      ),
    );
    const v = await verifyAuditChain(store.repos.audit.iterate());
    expect(v).toMatchObject({ ok: true, count: 45 });
  });

  it('rolls back everything when a transaction fails', async () => {
    const before = await store.repos.departments.count();
    await expect(
      store.transaction(async (tx) => {
        await tx.departments.insert(
          { id: ids.next(), code: 'D90', name: '测试', nameEn: 'Test', domains: [], isActive: true },
          now,
        );
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.repos.departments.count()).toBe(before);
  });

  it('stores settings, users and sessions', async () => {
    await store.repos.settings.set('k', { a: 1 }, now);
    await store.repos.settings.set('k', { a: 2 }, now);
    expect(await store.repos.settings.get('k')).toEqual({ a: 2 });
    const uid = ids.next();
    await store.repos.users.insert(
      {
        id: uid,
        username: 'u1',
        displayName: 'U',
        role: 'gridWorker',
        unitId: g1.id,
        departmentId: null,
        phone: '13800000000',
        passwordHash: 'h',
        totpSecret: null,
        totpEnabled: false,
        isDisabled: false,
      },
      now,
    );
    await store.repos.users.update(
      uid,
      { failedLogins: 3, lockedUntil: now, totpLastCounter: 123456789 },
      now,
    );
    const u = await store.repos.users.findByUsername('u1');
    expect(u).toMatchObject({
      failedLogins: 3,
      lockedUntil: now,
      totpLastCounter: 123456789,
      isDisabled: false,
    });
    const scoped = await store.repos.users.list({ scopePrefix: s2.path, limit: 10 });
    expect(scoped).toHaveLength(0);
    await store.repos.sessions.insert({
      id: 'h'.repeat(64),
      userId: uid,
      kind: 'cookie',
      createdAt: now,
      expiresAt: now,
      lastSeenAt: now,
      revokedAt: null,
      ip: null,
      userAgent: null,
    });
    expect(await store.repos.sessions.revokeAllOfUser(uid, now)).toBe(1);
    expect((await store.repos.sessions.findById('h'.repeat(64)))?.revokedAt).toBe(now);
  });

  it('counts the roster and reports per-grid role holders', async () => {
    await store.repos.staff.insertMany(
      [
        {
          id: ids.next(),
          unitId: g1.id,
          role: 'gridWorker',
          name: '张三',
          phone: null,
          idNumber: null,
          team: null,
          userId: null,
        },
        {
          id: ids.next(),
          unitId: c1.id,
          role: 'mediator',
          name: '李四',
          phone: null,
          idNumber: null,
          team: 'mediationTeam',
          userId: null,
        },
      ],
      now,
    );
    expect(await store.repos.staff.count(s1.path)).toBe(2);
    expect(await store.repos.staff.count(s2.path)).toBe(0);
    const counts = await store.repos.staff.gridRoleCounts('/');
    expect(counts.filter((c) => c.code === g1.code && c.role === 'gridWorker')[0]?.n).toBe(1);
    expect(counts.some((c) => c.code === g2.code)).toBe(true);
    const teams = await store.repos.staff.mediationTeamSizes('/');
    expect(teams.find((x) => x.code === c1.code)?.n).toBe(1);
  });
});
