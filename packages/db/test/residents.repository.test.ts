/** The residents repository on both databases: the atomic steps the services rely on. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '@civicgrid/core';
import { residentRepo } from '../../core/src/residents/resident-store.js';
import type { OtpCodeRow, ResidentRepository } from '../../core/src/residents/index.js';
import { describeEachDb } from '../../../test/support/databases.js';
import type { TestDb } from '../../../test/support/databases.js';
import type { SeededDistrict } from './residents-support.js';
import { openResidentDb, seedDistrict } from './residents-support.js';

const at = (min: number) => new Date(Date.UTC(2026, 10, 27, 0, min)).toISOString();

describeEachDb('residents repository', (kind) => {
  let t: TestDb;
  let store: Store;
  let repo: ResidentRepository;
  let district: SeededDistrict;

  beforeAll(async () => {
    ({ t, store } = await openResidentDb(kind));
    repo = residentRepo(store.repos);
    district = await seedDistrict(store);
  });
  afterAll(async () => t?.drop());

  const otp = (id: string, phone: string, min: number): OtpCodeRow => ({
    id,
    phone,
    codeHash: 'h'.repeat(64),
    salt: 's',
    createdAt: at(min),
    expiresAt: at(min + 5),
    attempts: 0,
    consumedAt: null,
  });

  it('keeps one code per phone and resend slot, and reports the history of a phone', async () => {
    expect(await repo.insertOtp(otp('00000000-0000-7000-8000-000000000001', '13900000001', 0), 100)).toBe(
      true,
    );
    expect(await repo.insertOtp(otp('00000000-0000-7000-8000-000000000002', '13900000001', 0), 100)).toBe(
      false,
    );
    expect(await repo.insertOtp(otp('00000000-0000-7000-8000-000000000003', '13900000002', 0), 100)).toBe(
      true,
    );
    expect(await repo.insertOtp(otp('00000000-0000-7000-8000-000000000004', '13900000001', 2), 102)).toBe(
      true,
    );
    expect(await repo.otpHistory('13900000001', at(-1))).toEqual({ count: 2, lastAt: at(2), firstAt: at(0) });
    expect(await repo.otpHistory('13900000001', at(1))).toEqual({ count: 1, lastAt: at(2), firstAt: at(2) });
    expect(await repo.otpHistory('13900000009', at(-1))).toEqual({ count: 0, lastAt: null, firstAt: null });
    expect((await repo.latestOtp('13900000001'))?.id).toBe('00000000-0000-7000-8000-000000000004');
  });

  it('counts parallel guesses without passing the maximum, and consumes a code once', async () => {
    const id = '00000000-0000-7000-8000-000000000004';
    const claims = await Promise.all(Array.from({ length: 8 }, () => repo.claimOtpAttempt(id, 5)));
    expect(claims.filter((c) => c !== null).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(claims.filter((c) => c === null)).toHaveLength(3);
    const used = await Promise.all([repo.consumeOtp(id, at(3)), repo.consumeOtp(id, at(3))]);
    expect(used.sort()).toEqual([false, true]);
  });

  it('purges old codes of one phone or of all', async () => {
    expect(await repo.purgeOtps(at(1), '13900000001')).toBe(1);
    expect(await repo.otpHistory('13900000002', at(-1))).toMatchObject({ count: 1 });
    expect(await repo.purgeOtps(at(10))).toBe(2);
  });

  it('stores tracking codes once, lists a resident’s newest first by keyset, and claims ratings', async () => {
    const { cases, actors, units } = district;
    const residentId = actors.worker.userId; // any user row serves as the owner here
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const r = await cases.intake(
        actors.community,
        { channel: 'resident', text: `问题${i}`, unitCode: units.g1.code },
        { requestId: null },
      );
      const row = {
        trackingCode: `AAAAAAAAA${'BCD'[i]}`,
        caseId: r.caseId,
        reportId: r.reportId,
        userId: residentId,
        gridCode: units.g1.code,
        source: 'page' as const,
        createdAt: at(10),
        ratedAt: null,
        satisfaction: null,
      };
      expect(await repo.insertReport(row)).toBe(true);
      rows.push(row);
    }
    expect(await repo.insertReport(rows[0]!)).toBe(false);
    const first = await repo.listReportsOf(residentId, 2);
    expect(first.map((r) => r.trackingCode)).toEqual(['AAAAAAAAAD', 'AAAAAAAAAC']);
    const next = await repo.listReportsOf(residentId, 2, {
      createdAt: first[1]!.createdAt,
      trackingCode: first[1]!.trackingCode,
    });
    expect(next.map((r) => r.trackingCode)).toEqual(['AAAAAAAAAB']);
    expect((await repo.findReportByReportId(rows[1]!.reportId))?.trackingCode).toBe('AAAAAAAAAC');

    const claims = await Promise.all([
      repo.claimRating('AAAAAAAAAB', at(20), at(21), 'satisfied'),
      repo.claimRating('AAAAAAAAAB', at(20), at(21), 'dissatisfied'),
    ]);
    expect(claims.sort()).toEqual([false, true]);
    // a later closure may be rated again; a restore puts the earlier rating back
    expect(await repo.claimRating('AAAAAAAAAB', at(30), at(31), 'basicallySatisfied')).toBe(true);
    await repo.restoreRating('AAAAAAAAAB', { ratedAt: at(21), satisfaction: 'satisfied' });
    expect(await repo.findReport('AAAAAAAAAB')).toMatchObject({ ratedAt: at(21), satisfaction: 'satisfied' });
  });

  it('upserts IM groups by platform and group id, and lists them by scope', async () => {
    const { units } = district;
    const base = {
      platform: 'wecom',
      groupId: 'g-1',
      gridCode: units.g1.code,
      unitPath: units.g1.path,
      botName: null,
      isActive: true,
      createdBy: null,
      createdAt: at(0),
      updatedAt: at(0),
    };
    const a = await repo.saveImGroup({ ...base, id: '00000000-0000-7000-8000-00000000000a' });
    const b = await repo.saveImGroup({
      ...base,
      id: '00000000-0000-7000-8000-00000000000b',
      gridCode: units.g2.code,
      unitPath: units.g2.path,
      botName: '小李',
      updatedAt: at(5),
    });
    expect(b.id).toBe(a.id);
    expect(b).toMatchObject({ gridCode: units.g2.code, botName: '小李', createdAt: at(0), updatedAt: at(5) });
    expect(await repo.findImGroup('wecom', 'g-1')).toEqual(b);
    expect(await repo.findImGroup('dingtalk', 'g-1')).toBeUndefined();
    expect((await repo.listImGroups(units.g2.path, 10)).map((g) => g.groupId)).toEqual(['g-1']);
    expect(await repo.listImGroups(units.g1.path, 10)).toEqual([]);
    expect(await repo.listImGroups('/~/', 10)).toEqual([]);
  });
});
