/**
 * The resident line against real databases: one-time codes (hashing, attempts, lockout, expiry,
 * throttles), login, reports with tracking codes, public progress, ratings through the revisit,
 * posters' grids and the IM adapter's core (mapping, addressing, idempotent redelivery, replies).
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Actor, Store } from '@civicgrid/core';
import { createAuthService, NO_REQUEST } from '@civicgrid/core';
// core's index exports the module once it is wired; the source path works before and after
import {
  OTP_DAILY_CAP,
  OTP_MAX_ATTEMPTS,
  createImService,
  createResidentService,
  otpDigest,
} from '../../core/src/residents/index.js';
import type { ImReply, ImService, ResidentService } from '../../core/src/residents/index.js';
import { describeEachDb } from '../../../test/support/databases.js';
import type { TestDb } from '../../../test/support/databases.js';
import type { SeededDistrict } from './residents-support.js';
import { closeCase, failure, openResidentDb, seedDistrict, sha256 } from './residents-support.js';

const PHONE = '13912345678';

describeEachDb('resident line', (kind) => {
  let t: TestDb;
  let store: Store;
  let district: SeededDistrict;
  let residents: ResidentService;
  let im: ImService;
  const sms: Array<{ phone: string; text: string; code: string }> = [];
  const replies: ImReply[] = [];
  let failSms = false;

  beforeAll(async () => {
    ({ t, store } = await openResidentDb(kind));
    district = await seedDistrict(store);
    residents = createResidentService(district.deps, {
      cases: district.cases,
      hash: sha256,
      sms: {
        send: async (phone, text, meta) => {
          if (failSms) throw new Error('gateway down');
          sms.push({ phone, text, code: meta?.code ?? '' });
        },
      },
    });
    im = createImService(district.deps, {
      cases: district.cases,
      replies: { reply: async (r) => void replies.push(r) },
      hash: sha256,
      trackUrl: (code) => `https://grid.example.gov.cn/t/${code}`,
    });
  });
  afterAll(async () => t?.drop());
  beforeEach(() => {
    // every test starts a day later: no throttle or daily cap carries over
    district.clock.advance(25 * 3600_000);
  });

  const lastCode = () => sms[sms.length - 1]!.code;
  const otpRows = async (phone: string) =>
    (
      await sql<
        Record<string, unknown>
      >`select * from resident_otp_codes where phone = ${phone} order by created_at`.execute(t.db.kysely)
    ).rows;

  /** Logs a phone in and returns the session's actor. */
  async function login(phone: string): Promise<Actor> {
    district.clock.advance(61_000);
    await residents.requestCode(phone, NO_REQUEST);
    const r = await residents.verifyCode(phone, lastCode(), NO_REQUEST);
    const actor = await createAuthService(district.deps).authenticate(r.token);
    if (!actor) throw new Error('no session');
    return actor;
  }

  it('sends a six-digit code by SMS and stores only its salted hash', async () => {
    const r = await residents.requestCode('+86 139 1234 5678', NO_REQUEST);
    expect(r).toEqual({ sentTo: '139****5678', expiresInSeconds: 300, resendAfterSeconds: 60 });
    const sent = sms[sms.length - 1]!;
    expect(sent.phone).toBe(PHONE);
    expect(sent.code).toMatch(/^\d{6}$/);
    expect(sent.text).toContain(sent.code);
    const [row] = (await otpRows(PHONE)).slice(-1);
    expect(row!.code_hash).toBe(otpDigest(sha256, String(row!.salt), PHONE, sent.code));
    for (const value of Object.values(row!)) expect(String(value)).not.toBe(sent.code);
  });

  it('refuses a second code within a minute and after the daily cap', async () => {
    const phone = '13700000001';
    await residents.requestCode(phone, NO_REQUEST);
    district.clock.advance(20_000);
    const again = await failure(residents.requestCode(phone, NO_REQUEST));
    expect(again.code).toBe('RATE_LIMITED');
    expect(again.details).toEqual({ reason: 'resend', retryAfterSeconds: 40 });
    for (let i = 1; i < OTP_DAILY_CAP; i++) {
      district.clock.advance(61_000);
      await residents.requestCode(phone, NO_REQUEST);
    }
    district.clock.advance(61_000);
    const capped = await failure(residents.requestCode(phone, NO_REQUEST));
    expect(capped.code).toBe('RATE_LIMITED');
    expect(capped.details.reason).toBe('dailyCap');
    expect(await otpRows(phone)).toHaveLength(OTP_DAILY_CAP);
  });

  it('lets only one of two parallel requests send', async () => {
    const phone = '13700000002';
    const results = await Promise.allSettled([
      residents.requestCode(phone, NO_REQUEST),
      residents.requestCode(phone, NO_REQUEST),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await otpRows(phone)).toHaveLength(1);
  });

  it('counts wrong codes and locks the code after five, even against the right one', async () => {
    const phone = '13700000003';
    await residents.requestCode(phone, NO_REQUEST);
    const code = lastCode();
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 1; i <= OTP_MAX_ATTEMPTS; i++) {
      const e = await failure(residents.verifyCode(phone, wrong, NO_REQUEST));
      expect(e.code).toBe('INVALID_CREDENTIALS');
      expect(e.details).toEqual({ attemptsLeft: OTP_MAX_ATTEMPTS - i });
    }
    const locked = await failure(residents.verifyCode(phone, code, NO_REQUEST));
    expect(locked.code).toBe('ACCOUNT_LOCKED');
    expect((await otpRows(phone))[0]!.attempts).toBe(OTP_MAX_ATTEMPTS);
    // a new code starts afresh
    district.clock.advance(61_000);
    await residents.requestCode(phone, NO_REQUEST);
    await expect(residents.verifyCode(phone, lastCode(), NO_REQUEST)).resolves.toMatchObject({ isNew: true });
  });

  it('refuses an expired code, a used code and a superseded code', async () => {
    const phone = '13700000004';
    await residents.requestCode(phone, NO_REQUEST);
    const first = lastCode();
    district.clock.advance(5 * 60_000);
    expect((await failure(residents.verifyCode(phone, first, NO_REQUEST))).code).toBe('INVALID_CREDENTIALS');
    district.clock.advance(61_000);
    await residents.requestCode(phone, NO_REQUEST);
    const second = lastCode();
    district.clock.advance(61_000);
    await residents.requestCode(phone, NO_REQUEST);
    const third = lastCode();
    if (second !== third)
      expect((await failure(residents.verifyCode(phone, second, NO_REQUEST))).code).toBe(
        'INVALID_CREDENTIALS',
      );
    await residents.verifyCode(phone, third, NO_REQUEST);
    expect((await failure(residents.verifyCode(phone, third, NO_REQUEST))).code).toBe('INVALID_CREDENTIALS');
  });

  it('creates the resident account on first login and reuses it, with a working session', async () => {
    const phone = '13700000005';
    await residents.requestCode(phone, NO_REQUEST);
    const first = await residents.verifyCode(phone, lastCode(), NO_REQUEST);
    expect(first.isNew).toBe(true);
    expect(first.user).toMatchObject({ role: 'resident', phone: '137****0005', unitCode: null });
    const actor = await createAuthService(district.deps).authenticate(first.token);
    expect(actor).toMatchObject({ role: 'resident', scope: { kind: 'none' } });
    district.clock.advance(61_000);
    await residents.requestCode(phone, NO_REQUEST);
    const second = await residents.verifyCode(phone, lastCode(), NO_REQUEST);
    expect(second.isNew).toBe(false);
    expect(second.user.id).toBe(first.user.id);
    expect(second.token).not.toBe(first.token);
    const stored = await store.repos.sessions.findById(first.token);
    expect(stored).toBeUndefined(); // only the hash of a token is stored
  });

  it('answers UNAVAILABLE when the SMS gateway fails', async () => {
    failSms = true;
    try {
      expect((await failure(residents.requestCode('13700000006', NO_REQUEST))).code).toBe('UNAVAILABLE');
    } finally {
      failSms = false;
    }
  });

  it('takes a report through a grid, tracks it publicly without staff data, and rates it once closed', async () => {
    const resident = await login(PHONE);
    const { g1 } = district.units;
    const r = await residents.report(resident, g1.code, { text: '楼道堆物，联系我13912345678' }, NO_REQUEST);
    expect(r.trackingCode).toMatch(/^[A-Z2-7]{10}$/);
    expect(r.gridCode).toBe(g1.code);
    const c = (await store.repos.cases.findByNumber(r.caseNumber))!;
    expect(c.gridId).toBe(g1.id);
    expect(c.channel).toBe('resident');

    const early = await failure(
      residents.rate(resident, r.trackingCode, { satisfaction: 'satisfied' }, NO_REQUEST),
    );
    expect(early.code).toBe('TRANSITION_NOT_ALLOWED');

    await closeCase(district, c.id);
    const view = await residents.track(r.trackingCode.toLowerCase());
    expect(view.status).toBe('closed');
    expect(view.statusLabel).toBe('已办结');
    expect(view.milestones.map((m) => m.milestone)).toEqual([
      'received',
      'registered',
      'dispatched',
      'handled',
      'closed',
    ]);
    const text = JSON.stringify(view);
    for (const secret of [
      district.actors.worker.userId,
      district.actors.community.userId,
      'worker',
      'community',
      PHONE,
      '已清理完毕',
    ])
      expect(text).not.toContain(secret);
    expect(view.summary).toContain('139****5678');
    expect(view.canRate).toBe(true);

    // another resident cannot rate it, and learns nothing about it
    const other = await login('13600000000');
    expect(
      (await failure(residents.rate(other, r.trackingCode, { satisfaction: 'dissatisfied' }, NO_REQUEST)))
        .code,
    ).toBe('NOT_FOUND');

    const rated = await residents.rate(resident, r.trackingCode, { satisfaction: 'satisfied' }, NO_REQUEST);
    expect(rated.rating).toMatchObject({ satisfaction: 'satisfied' });
    expect(rated.canRate).toBe(false);
    expect(rated.status).toBe('closed');
    const events = await store.repos.cases.eventsOf(c.id);
    expect(events[events.length - 1]).toMatchObject({
      action: 'revisit',
      payload: { satisfaction: 'satisfied', method: 'online', by: 'reporter' },
    });
    expect(
      (await failure(residents.rate(resident, r.trackingCode, { satisfaction: 'satisfied' }, NO_REQUEST)))
        .code,
    ).toBe('CONFLICT');

    const mine = await residents.myReports(resident);
    expect(mine.items.map((i) => i.trackingCode)).toContain(r.trackingCode);
    expect((await residents.myReports(other)).items).toEqual([]);
  });

  it('reopens the case on a dissatisfied rating, and lets the reporter rate the next closure', async () => {
    const resident = await login(PHONE);
    const { g2 } = district.units;
    // a point in the second grid, scanned from the first grid's poster: the point decides
    const r = await residents.report(
      resident,
      district.units.g1.code,
      { text: '路灯不亮', location: { lng: 117.005, lat: 36.615 } },
      NO_REQUEST,
    );
    const c = (await store.repos.cases.findByNumber(r.caseNumber))!;
    expect(c.gridId).toBe(g2.id);
    await sql`update users set unit_id = ${g2.id} where id = ${district.actors.worker.userId}`.execute(
      t.db.kysely,
    );
    const worker = { ...district.actors.worker, unitId: g2.id };
    try {
      await closeCase({ ...district, actors: { ...district.actors, worker } }, c.id);
      const after = await residents.rate(
        resident,
        r.trackingCode,
        { satisfaction: 'dissatisfied', comment: '还是不亮' },
        NO_REQUEST,
      );
      expect(after.status).toBe('registered');
      expect(after.milestones.map((m) => m.milestone).slice(-2)).toEqual(['revisited', 'reopened']);
      expect(after.canRate).toBe(false);
      district.clock.advance(3600_000);
      const reopened = (await store.repos.cases.findById(c.id))!;
      const ctx = { requestId: 'test' };
      const act = async (a: Actor, action: string, payload: unknown) => {
        const cur = (await store.repos.cases.findById(c.id))!;
        await district.cases.actions.act(a, cur, action, payload, cur.version, ctx);
      };
      expect(reopened.status).toBe('registered');
      await act(district.actors.community, 'dispatch', { target: { kind: 'user', userId: worker.userId } });
      await act(worker, 'accept', {});
      await act(worker, 'feedback', { result: '已更换灯泡' });
      await act(district.actors.community, 'verify', { passed: true });
      await act(district.actors.community, 'close', {});
      expect((await residents.track(r.trackingCode)).canRate).toBe(true);
      await residents.rate(resident, r.trackingCode, { satisfaction: 'basicallySatisfied' }, NO_REQUEST);
    } finally {
      await sql`update users set unit_id = ${district.units.g1.id} where id = ${worker.userId}`.execute(
        t.db.kysely,
      );
    }
  });

  it('rebuilds the answer of a report whose intake committed but whose tracking row was lost', async () => {
    const resident = await login(PHONE);
    const { g1 } = district.units;
    // what report() does up to the crash: the intake, with the tracking code in the report's fields
    const stored = await district.cases.intake(
      resident,
      {
        channel: 'resident',
        text: '电梯困人',
        unitCode: g1.code,
        fields: { trackingCode: 'CRASHAAAAA', viaGrid: g1.code },
      },
      NO_REQUEST,
    );
    expect((await failure(residents.track('CRASHAAAAA'))).code).toBe('NOT_FOUND');
    const answer = await residents.reportCommitted(resident, stored);
    expect(answer).toMatchObject({
      trackingCode: 'CRASHAAAAA',
      caseNumber: stored.caseNumber,
      gridCode: g1.code,
    });
    expect((await residents.track('CRASHAAAAA')).summary).toBe('电梯困人');
    expect(await residents.reportCommitted(resident, stored)).toEqual(answer);
    const other = await login('13600000001');
    expect((await failure(residents.reportCommitted(other, stored))).code).toBe('NOT_FOUND');
  });

  it('refuses staff on the resident line, unknown grids and unknown tracking codes', async () => {
    const staff = district.actors.community;
    expect(
      (await failure(residents.report(staff, district.units.g1.code, { text: 'x' }, NO_REQUEST))).code,
    ).toBe('FORBIDDEN');
    const resident = await login(PHONE);
    expect(
      (await failure(residents.report(resident, district.units.c.code, { text: 'x' }, NO_REQUEST))).code,
    ).toBe('UNIT_NOT_FOUND');
    expect((await failure(residents.track('AAAAAAAAAA'))).code).toBe('NOT_FOUND');
    expect((await failure(residents.track('not a code'))).code).toBe('NOT_FOUND');
  });

  it('lists the grids of a poster file within the caller’s scope', async () => {
    const { c, g1, g2 } = district.units;
    const all = await residents.posterGrids(district.actors.community, { community: c.code });
    expect(all.map((g) => g.code)).toEqual([g1.code, g2.code]);
    expect(all[0]).toEqual({
      code: g1.code,
      name: '花园一网格',
      community: { code: c.code, name: '花园社区' },
      street: { code: '370112001', name: '洪家楼街道' },
    });
    const worker = district.actors.worker;
    expect((await residents.posterGrids(worker, { grid: g1.code })).map((g) => g.code)).toEqual([g1.code]);
    expect((await failure(residents.posterGrids(worker, { grid: g2.code }))).code).toBe('UNIT_NOT_FOUND');
    expect((await failure(residents.posterGrids(worker, { community: c.code }))).code).toBe('UNIT_NOT_FOUND');
  });

  it('IM: ignores unmapped groups and chat, reports addressed messages once, and replies', async () => {
    const { g1 } = district.units;
    const msg = {
      platform: 'wecom',
      groupId: 'grp-001',
      messageId: 'm-1',
      sender: { id: 'wx-42', name: '张三', phone: '13500000000' },
      text: '#报事 小区门口井盖丢了',
      sentAt: district.clock.now().toISOString(),
    };
    expect(await im.receive(msg, NO_REQUEST)).toEqual({
      status: 'ignored',
      ignored: 'group not mapped to a grid',
    });
    const admin = district.actors.admin;
    expect(
      (
        await failure(
          im.saveGroup(
            district.actors.worker,
            { platform: 'wecom', groupId: 'g', gridCode: g1.code },
            NO_REQUEST,
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const group = await im.saveGroup(
      admin,
      { platform: 'wecom', groupId: 'grp-001', gridCode: g1.code, botName: '网格员小李' },
      NO_REQUEST,
    );
    expect(group).toMatchObject({ gridCode: g1.code, isActive: true, botName: '网格员小李' });
    expect((await im.listGroups(district.actors.community)).items.map((g) => g.groupId)).toEqual(['grp-001']);

    expect(await im.receive({ ...msg, messageId: 'm-0', text: '今天谁去开会？' }, NO_REQUEST)).toEqual({
      status: 'ignored',
      ignored: 'not addressed to the grid',
    });
    const first = await im.receive(msg, NO_REQUEST);
    expect(first).toMatchObject({ status: 'reported', replied: true });
    if (first.status !== 'reported') throw new Error('not reported');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      platform: 'wecom',
      groupId: 'grp-001',
      inReplyTo: 'm-1',
      mention: 'wx-42',
      trackingCode: first.trackingCode,
    });
    expect(replies[0]!.text).toContain(first.trackingCode);
    expect(replies[0]!.text).toContain(`https://grid.example.gov.cn/t/${first.trackingCode}`);

    const again = await im.receive(msg, NO_REQUEST);
    expect(again).toEqual({ status: 'duplicate', trackingCode: first.trackingCode });
    expect(replies).toHaveLength(1);
    const both = await Promise.all([
      im.receive({ ...msg, messageId: 'm-2', text: '@网格员 路面塌陷' }, NO_REQUEST),
      im.receive({ ...msg, messageId: 'm-2', text: '@网格员 路面塌陷' }, NO_REQUEST),
    ]);
    const codes = both.map((b) => ('trackingCode' in b ? b.trackingCode : null));
    expect(codes[0]).toMatch(/^[A-Z2-7]{10}$/);
    expect(codes[0]).toBe(codes[1]);
    expect(both.map((b) => b.status).sort()).toEqual(['duplicate', 'reported']);
    expect(replies).toHaveLength(2);
    const raced = await sql<{
      n: number;
    }>`select count(*) as n from reports where external_id = 'wecom:m-2'`.execute(t.db.kysely);
    expect(Number(raced.rows[0]!.n)).toBe(1);

    const view = await residents.track(first.trackingCode);
    expect(view.grid).toEqual({ code: g1.code, name: '花园一网格' });
    expect(view.summary).toBe('小区门口井盖丢了');
    const c = (await store.repos.cases.findByNumber(first.caseNumber))!;
    const [report] = await store.repos.cases.reportsOf(c.id);
    expect(report).toMatchObject({
      channel: 'resident',
      externalId: 'wecom:m-1',
      reporterPhone: '13500000000',
    });

    await im.saveGroup(
      admin,
      { platform: 'wecom', groupId: 'grp-001', gridCode: g1.code, isActive: false },
      NO_REQUEST,
    );
    expect(await im.receive({ ...msg, messageId: 'm-3' }, NO_REQUEST)).toMatchObject({ status: 'ignored' });
  });

  it('IM: message ids too long for the external id are hashed, and still taken in once', async () => {
    await im.saveGroup(
      district.actors.admin,
      { platform: 'feishu', groupId: 'oc_1', gridCode: district.units.g1.code },
      NO_REQUEST,
    );
    const msg = {
      platform: 'feishu',
      groupId: 'oc_1',
      messageId: `om_${'x'.repeat(100)}`,
      sender: { id: 'ou_1' },
      text: '#报事 路灯杆倾斜',
      sentAt: district.clock.now().toISOString(),
    };
    const first = await im.receive(msg, NO_REQUEST);
    if (first.status !== 'reported') throw new Error('not reported');
    expect(await im.receive(msg, NO_REQUEST)).toEqual({
      status: 'duplicate',
      trackingCode: first.trackingCode,
    });
    const c = (await store.repos.cases.findByNumber(first.caseNumber))!;
    const [report] = await store.repos.cases.reportsOf(c.id);
    expect(report!.externalId).toBe(`feishu:#${sha256(msg.messageId).slice(0, 40)}`);
  });

  it('IM: a sender with a resident account finds the report among their own', async () => {
    const resident = await login('13500000009');
    const r = await im.receive(
      {
        platform: 'dingtalk',
        groupId: 'grp-9',
        messageId: 'x-1',
        sender: { id: 'dt-1', phone: '13500000009' },
        text: '@网格员小王 垃圾没人清',
        mentions: ['网格员小王'],
        sentAt: district.clock.now().toISOString(),
      },
      NO_REQUEST,
    );
    expect(r.status).toBe('ignored'); // not mapped yet
    await im.saveGroup(
      district.actors.admin,
      { platform: 'dingtalk', groupId: 'grp-9', gridCode: district.units.g2.code, botName: '网格员小王' },
      NO_REQUEST,
    );
    const ok = await im.receive(
      {
        platform: 'dingtalk',
        groupId: 'grp-9',
        messageId: 'x-1',
        sender: { id: 'dt-1', phone: '13500000009' },
        text: '@网格员小王 垃圾没人清',
        mentions: ['网格员小王'],
        sentAt: district.clock.now().toISOString(),
      },
      NO_REQUEST,
    );
    if (ok.status !== 'reported') throw new Error('not reported');
    expect((await residents.myReports(resident)).items.map((i) => i.trackingCode)).toContain(ok.trackingCode);
    expect((await residents.track(ok.trackingCode)).summary).toBe('垃圾没人清');
  });
});
