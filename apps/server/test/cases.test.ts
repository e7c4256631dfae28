/**
 * The closed loop through the real API on both databases: every line, every path of the
 * lifecycle, escalation to a department, time limits with their cards, a failed verification,
 * a dissatisfied revisit that reopens, optimistic concurrency and idempotent intake.
 */
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { runDueTimers } from '@civicgrid/server';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

// Tuesday 1 December 2026, 09:00 China Standard Time: inside working hours
const START = new Date('2026-12-01T01:00:00Z');

/** The first worksheet's XML of an XLSX file, found by walking the zip's local file headers. */
function sheetXml(buf: Buffer): string {
  let text = '';
  for (let o = 0; o < buf.length - 30 && buf.readUInt32LE(o) === 0x04034b50;) {
    const method = buf.readUInt16LE(o + 8);
    const size = buf.readUInt32LE(o + 18);
    const nameLen = buf.readUInt16LE(o + 26);
    const extra = buf.readUInt16LE(o + 28);
    const name = buf.subarray(o + 30, o + 30 + nameLen).toString();
    const data = buf.subarray(o + 30 + nameLen + extra, o + 30 + nameLen + extra + size);
    if (name === 'xl/worksheets/sheet1.xml') text = (method === 8 ? inflateRawSync(data) : data).toString();
    o += 30 + nameLen + extra + size;
  }
  return text;
}

describeEachDb('closed loop', (kind) => {
  const clock = fixedClock(START);
  let t: TestServer;
  let workerPoint: [number, number];
  let workerId: string;
  let departments: Record<string, string>;
  const tok = (u: string) => t.token(u);

  /** Performs an action with the case's current version as If-Match. */
  async function act(user: string, caseId: string, action: string, body: unknown = {}) {
    const token = await tok(user);
    const cur = await t.call('GET', `/api/cases/${caseId}`, { token });
    return t.call('POST', `/api/cases/${caseId}/actions/${action}`, {
      token,
      body,
      headers: { 'if-match': String(cur.body?.version ?? 1) },
    });
  }
  async function expectAct(user: string, caseId: string, action: string, body: unknown = {}, status = 'any') {
    const r = await act(user, caseId, action, body);
    expect(r.status, `${user} ${action}: ${JSON.stringify(r.body?.error ?? '')}`).toBe(200);
    if (status !== 'any') expect(r.body.status).toBe(status);
    return r.body;
  }
  async function report(user: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return t.call('POST', '/api/reports', { token: await tok(user), body, headers });
  }

  beforeAll(async () => {
    t = await startTestServer(kind, {}, { clock });
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    workerPoint = accounts.find((a) => a.username === 'worker')!.samplePoint;
    workerId = (await t.call('GET', '/api/me', { token: await tok('worker') })).body.id;
    const deps = (await t.call('GET', '/api/departments', { token: await tok('admin') })).body
      .items as Array<{ id: string; code: string }>;
    departments = Object.fromEntries(deps.map((d) => [d.code, d.id]));
  }, 180_000);
  afterAll(async () => t?.stop());

  describe('the grid line, through a failed verification and a dissatisfied revisit', () => {
    let caseId: string;
    it('takes in a patrol report into the worker’s grid with a case number', async () => {
      const r = await report('worker', {
        channel: 'grid',
        text: '小区东门路灯不亮，夜间行人摔倒风险',
        location: { lng: workerPoint[0], lat: workerPoint[1] },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.caseNumber).toMatch(/^370112-20261201-\d{6}$/);
      expect(r.body.gridCode).toBe('370112009001001');
      caseId = r.body.caseId;
      const c = await t.call('GET', `/api/cases/${caseId}`, { token: await tok('community') });
      expect(c.status).toBe(200);
      expect(c.headers.get('etag')).toBe('"1"');
      expect(c.body).toMatchObject({ status: 'reported', version: 1, gridCode: '370112009001001' });
      expect(c.body.reports).toHaveLength(1);
      expect(c.body.allowedActions).toEqual(expect.arrayContaining(['register', 'reject']));
      const inbox = await t.call('GET', '/api/inbox', { token: await tok('community') });
      expect(
        inbox.body.items.some(
          (i: { caseId: string; kind: string }) => i.caseId === caseId && i.kind === 'newReport',
        ),
      ).toBe(true);
    });

    it('is refused to a role that may not act (403) and in a state that does not allow it (409)', async () => {
      const r = await act('worker', caseId, 'register', {});
      expect(r.status).toBe(403);
      const v = await act('community', caseId, 'close', {});
      expect(v.status).toBe(409);
      expect(v.body.error.code).toBe('TRANSITION_NOT_ALLOWED');
      expect(v.body.error.details.allowed).toEqual(expect.arrayContaining(['register']));
    });

    it('goes register → dispatch to the worker → accept → feedback → failed verification → feedback → verify → close', async () => {
      await expectAct('community', caseId, 'register', { priority: 'high' }, 'registered');
      await expectAct(
        'community',
        caseId,
        'dispatch',
        { target: { kind: 'user', userId: workerId } },
        'dispatched',
      );
      const inbox = await t.call('GET', '/api/inbox', { token: await tok('worker') });
      expect(
        inbox.body.items.some(
          (i: { caseId: string; kind: string }) => i.caseId === caseId && i.kind === 'assigned',
        ),
      ).toBe(true);
      const mine = await t.call('GET', '/api/cases?queue=mine', { token: await tok('worker') });
      expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(caseId);
      await expectAct('worker', caseId, 'accept', {}, 'handling');
      await expectAct('worker', caseId, 'feedback', { result: '已联系物业更换灯泡' }, 'verifying');
      const failed = await expectAct(
        'community',
        caseId,
        'verify',
        { passed: false, comment: '现场核查仍不亮' },
        'handling',
      );
      expect(failed.timeline.at(-1)).toMatchObject({ action: 'verify', toStatus: 'handling' });
      await expectAct('worker', caseId, 'feedback', { result: '更换整套灯具，已恢复照明' }, 'verifying');
      await expectAct('community', caseId, 'verify', { passed: true }, 'verified');
      const closed = await expectAct('community', caseId, 'close', { summary: '已办结' }, 'closed');
      expect(closed.closedAt).toBeTruthy();
    });

    it('reopens to the closing level when the revisit is dissatisfied', async () => {
      const r = await act('worker', caseId, 'revisit', {
        method: 'phone',
        satisfaction: 'dissatisfied',
        comment: '只修了一盏',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.status).toBe('registered');
      const actions = r.body.timeline.map((e: { action: string }) => e.action);
      expect(actions.slice(-2)).toEqual(['revisit', 'reopen']);
      expect(r.body.allowedActions).toEqual([]);
      const c = await t.call('GET', `/api/cases/${caseId}`, { token: await tok('community') });
      expect(c.body.allowedActions).toContain('dispatch');
    });
  });

  describe('the hotline line, escalated grid → community → street → district → departments', () => {
    let caseId: string;
    it('takes in a 12345 work order and refuses the same order twice', async () => {
      const body = {
        channel: 'hotline',
        externalId: 'RX20261201-0001',
        text: '小区门口占道经营严重，影响通行，多次反映未解决',
        location: { lng: workerPoint[0], lat: workerPoint[1] },
        caller: { name: '张女士', phone: '13905310001' },
      };
      const r = await report('district', body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      caseId = r.body.caseId;
      const again = await report('district', body);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('DUPLICATE');
      const c = await t.call('GET', `/api/cases/${caseId}`, { token: await tok('community') });
      expect(c.body.reports[0].reporterPhone).toBe('139****0001');
      expect(c.body.reports[0].reporterName).toBe('张**');
    });

    it('is called up level by level, and the district dispatches to a lead and an assisting department', async () => {
      await expectAct('community', caseId, 'register', {}, 'registered');
      await expectAct(
        'community',
        caseId,
        'dispatch',
        { target: { kind: 'user', userId: workerId } },
        'dispatched',
      );
      await expectAct('worker', caseId, 'accept', {}, 'handling');
      const up1 = await expectAct(
        'worker',
        caseId,
        'escalate',
        { reason: '网格无法协调，需社区协调' },
        'dispatched',
      );
      expect(up1.escalation).toBe('community');
      await expectAct('community', caseId, 'accept', {}, 'handling');
      const up2 = await expectAct('community', caseId, 'escalate', { reason: '涉及多个社区' }, 'dispatched');
      expect(up2.escalation).toBe('street');
      const streetInbox = await t.call('GET', '/api/inbox', { token: await tok('street') });
      expect(
        streetInbox.body.items.some(
          (i: { caseId: string; kind: string }) => i.caseId === caseId && i.kind === 'escalated',
        ),
      ).toBe(true);
      await expectAct('street', caseId, 'accept', {}, 'handling');
      const up3 = await expectAct('street', caseId, 'escalate', { reason: '需区级执法' }, 'dispatched');
      expect(up3.escalation).toBe('district');
      await expectAct('district', caseId, 'accept', {}, 'handling');
      const d = await expectAct(
        'district',
        caseId,
        'dispatch',
        {
          target: {
            kind: 'departments',
            leadDepartmentId: departments.D05,
            assistingDepartmentIds: [departments.D01],
          },
        },
        'dispatched',
      );
      expect(d.departments).toEqual(
        expect.arrayContaining([
          { departmentId: departments.D05, role: 'lead' },
          { departmentId: departments.D01, role: 'assist' },
        ]),
      );
    });

    it('lets the department hand back with a reason, then handle it after re-dispatch', async () => {
      const seen = await t.call('GET', `/api/cases/${caseId}`, { token: await tok('dept.urban') });
      expect(seen.status).toBe(200);
      await expectAct(
        'dept.urban',
        caseId,
        'return',
        { reason: '非本部门职责，应由市场监管处理' },
        'registered',
      );
      await expectAct(
        'district',
        caseId,
        'dispatch',
        { target: { kind: 'departments', leadDepartmentId: departments.D05, assistingDepartmentIds: [] } },
        'dispatched',
      );
      await expectAct('dept.urban', caseId, 'accept', {}, 'handling');
      await expectAct(
        'dept.urban',
        caseId,
        'feedback',
        { result: '已清理占道摊点并建立长效巡查' },
        'verifying',
      );
      await expectAct('district', caseId, 'verify', { passed: true }, 'verified');
      await expectAct('district', caseId, 'close', {}, 'closed');
    });

    it('keeps the case from a department that was never involved and from other streets', async () => {
      const police = await t.call('GET', `/api/cases/${caseId}`, { token: await tok('dept.police') });
      expect(police.status).toBe(404);
      const other = await t.call('GET', '/api/cases?queue=closed', { token: await tok('dept.police') });
      expect(other.body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    });
  });

  describe('the community ledger', () => {
    it('lists open cases of the community and exports the same as XLSX', async () => {
      const token = await tok('community');
      const json = await t.call('GET', '/api/ledger?community=370112009001', { token });
      expect(json.status).toBe(200);
      expect(json.body.items.length).toBeGreaterThan(0);
      const res = await fetch(`${t.url}/api/ledger.xlsx?community=370112009001`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="ledger-370112009001-/);
      const buf = Buffer.from(await res.arrayBuffer());
      expect(buf.subarray(0, 2).toString()).toBe('PK');
      // every open case of the ledger is in the workbook (numbers are plain inline strings)
      expect(buf.indexOf('xl/worksheets/sheet1.xml')).toBeGreaterThan(0);
      const text = sheetXml(buf);
      for (const item of json.body.items) expect(text).toContain(item.number);
    });

    it('exports the open case list as XLSX, every page of it', async () => {
      const token = await tok('community');
      const list = await t.call('GET', '/api/cases?queue=open&limit=200', { token });
      const res = await fetch(`${t.url}/api/cases.xlsx?queue=open`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="cases-open-/);
      const buf = Buffer.from(await res.arrayBuffer());
      const text = sheetXml(buf);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const c of list.body.items) expect(text).toContain(c.number);
      // one row per case plus the header
      expect(text.split('<row ').length - 1).toBe(list.body.items.length + 1);
    });
  });

  describe('time limits and supervision', () => {
    it('warns, then gives a yellow and a red card when a limit passes, on the timeline and in the inbox', async () => {
      const r = await report('district', {
        channel: 'opinion',
        source: '网络问政',
        text: '某路段井盖缺失，存在安全隐患',
        location: { lng: workerPoint[0], lat: workerPoint[1] },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const id = r.body.caseId;
      await expectAct('community', id, 'register', {}, 'registered');
      const c = await expectAct(
        'community',
        id,
        'dispatch',
        { target: { kind: 'user', userId: workerId } },
        'dispatched',
      );
      expect(c.deadlines.acceptBy).toBeTruthy();
      expect(c.deadlines.handleBy).toBeTruthy();
      // a month later, with every timer fired in order
      for (let i = 0; i < 30 * 24; i++) {
        clock.advance(3600_000);
        await runDueTimers(t.server.services, 'test');
      }
      // a month on, every session has expired (8 h idle): the old login is refused
      const stale = await t.call('GET', '/api/me', { token: await tok('community') });
      expect(stale.status).toBe(401);
      t.forgetTokens();
      const after = await t.call('GET', `/api/cases/${id}`, { token: await tok('community') });
      expect(after.body.supervision).toBe('red');
      const actions = after.body.timeline.map(
        (e: { action: string; actorRole: string }) => `${e.action}:${e.actorRole}`,
      );
      expect(actions).toContain('supervise:system');
      // the same-day rule called the community before the cards came
      expect(actions).toContain('escalate:gridWorker');
      expect(after.body.escalation).not.toBe('grid');
      const inbox = await t.call('GET', '/api/inbox', { token: await tok('community') });
      expect(
        inbox.body.items.some(
          (i: { caseId: string; kind: string }) => i.caseId === id && i.kind === 'overdue',
        ),
      ).toBe(true);
      const overdue = await t.call('GET', '/api/cases?queue=overdue', { token: await tok('community') });
      expect(overdue.body.items.map((x: { id: string }) => x.id)).toContain(id);
      // a timer fires once: running again changes nothing
      const v = after.body.version;
      await runDueTimers(t.server.services, 'test');
      expect((await t.call('GET', `/api/cases/${id}`, { token: await tok('community') })).body.version).toBe(
        v,
      );
    }, 300_000);
  });

  describe('concurrency and idempotency', () => {
    it('lets one of two actions on the same version win; the other gets 409 with the case as it is now', async () => {
      const r = await report('worker', {
        channel: 'grid',
        text: '楼道堆放杂物堵塞消防通道',
        location: { lng: workerPoint[0], lat: workerPoint[1] },
      });
      const id = r.body.caseId;
      const token = await tok('community');
      const [a, b] = await Promise.all(
        ['register', 'reject'].map((action) =>
          t.call('POST', `/api/cases/${id}/actions/${action}`, {
            token,
            body: action === 'reject' ? { reason: '重复' } : {},
            headers: { 'if-match': '1' },
          }),
        ),
      );
      const statuses = [a!.status, b!.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = a!.status === 409 ? a! : b!;
      expect(['VERSION_CONFLICT', 'TRANSITION_NOT_ALLOWED']).toContain(loser.body.error.code);
      expect(loser.body.error.details.current.version).toBe(2);
      const stale = await t.call('POST', `/api/cases/${id}/actions/note`, {
        token,
        body: { text: 'x' },
        headers: { 'if-match': '1' },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    });

    it('replays the first response for the same Idempotency-Key and body, refuses another body with 422', async () => {
      const body = {
        channel: 'grid',
        text: '绿化带有大量建筑垃圾',
        location: { lng: workerPoint[0], lat: workerPoint[1] },
      };
      const h = { 'idempotency-key': 'offline-7f3c2a91-0001' };
      const first = await report('worker', body, h);
      const again = await report('worker', body, h);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.caseId).toBe(first.body.caseId);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await report('worker', { ...body, text: '另一件事' }, h);
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    });

    it('names each bad field of a report', async () => {
      const r = await report('district', { channel: 'petition', text: 'x', form: 'fax' });
      expect(r.status).toBe(400);
      const paths = r.body.error.details.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['body.text', 'body.form', 'body.petitioner']));
      const wrongLine = await report('worker', {
        channel: 'hotline',
        externalId: 'X1',
        text: '网格员不能录入热线工单',
        location: { lng: workerPoint[0], lat: workerPoint[1] },
      });
      expect(wrongLine.status).toBe(400);
      expect(wrongLine.body.error.details.issues[0].path).toBe('channel');
    });
  });
});
