/**
 * Joint handling (联合处置), directed visits (定向走访) and the ledger's check-off history (销号)
 * through the real API on both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { runDueTimers } from '@civicgrid/server';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

// Wednesday 2 December 2026, 09:00 China Standard Time
const START = new Date('2026-12-02T01:00:00Z');
const COMMUNITY = '370112009001';

describeEachDb('joint handling, directed visits and the ledger', (kind) => {
  const clock = fixedClock(START);
  let t: TestServer;
  let point: [number, number];
  let workerId: string;
  let mediatorId: string;
  let caseId: string;
  const tok = (u: string) => t.token(u);

  async function act(user: string, action: string, body: unknown = {}) {
    const token = await tok(user);
    const cur = await t.call('GET', `/api/cases/${caseId}`, { token });
    return t.call('POST', `/api/cases/${caseId}/actions/${action}`, {
      token,
      body,
      headers: { 'if-match': String(cur.body?.version ?? 1) },
    });
  }
  async function ok(user: string, action: string, body: unknown = {}) {
    const r = await act(user, action, body);
    expect(r.status, `${user} ${action}: ${JSON.stringify(r.body?.error ?? '')}`).toBe(200);
    return r.body;
  }
  async function inboxKinds(user: string) {
    const r = await t.call('GET', '/api/inbox', { token: await tok(user) });
    return (r.body.items as Array<{ caseId: string; kind: string }>)
      .filter((i) => i.caseId === caseId)
      .map((i) => i.kind);
  }

  beforeAll(async () => {
    t = await startTestServer(kind, {}, { clock });
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
    workerId = (await t.call('GET', '/api/me', { token: await tok('worker') })).body.id;
    mediatorId = (await t.call('GET', '/api/me', { token: await tok('mediator') })).body.id;
  }, 180_000);
  afterAll(async () => t?.stop());

  it('a hotline case: the street orders a directed visit; visits repeat until one resolves it', async () => {
    const r = await t.call('POST', '/api/reports', {
      token: await tok('district'),
      body: {
        channel: 'hotline',
        externalId: 'JV-20261202-0001',
        text: '楼上住户长期深夜装修噪音扰民，协商无果',
        location: { lng: point[0], lat: point[1] },
        caller: { name: '刘先生', phone: '13905310002' },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    caseId = r.body.caseId;
    await ok('community', 'register');
    // a grid worker cannot give the order; the street can
    expect((await act('worker', 'instructVisit', { instructions: '入户' })).status).toBe(403);
    const bad = await act('street', 'instructVisit', { instructions: '', dueAt: 'friday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((d: { path: string }) => d.path).sort()).toEqual([
      'payload.dueAt',
      'payload.instructions',
    ]);
    const ordered = await ok('street', 'instructVisit', {
      instructions: '请网格员入户走访来电人，核实噪音情况',
      dueAt: '2026-12-03T17:00:00+08:00',
    });
    expect(ordered.visitOrder).toMatchObject({ instructions: '请网格员入户走访来电人，核实噪音情况' });
    expect(ordered.visitOrder.dueAt).toBe('2026-12-03T09:00:00.000Z');
    expect(await inboxKinds('worker')).toContain('visitOrdered');
    // a second order while one stands: not possible
    expect((await act('district', 'instructVisit', { instructions: '再次' })).status).toBe(409);

    const visit = { at: '2026-12-02T10:00:00+08:00', place: '5号楼2单元', party: '刘先生' };
    const first = await ok('worker', 'recordVisit', { ...visit, findings: '敲门无人应答' });
    expect(first.visits).toBe(1);
    expect(first.visitOrder).not.toBeNull();
    // the order falls due before the matter is resolved: the worker and the street are told
    clock.advance(36 * 3600_000);
    await runDueTimers(t.server.services, 'test');
    // sessions expire after 8 idle hours: log in again
    t.forgetTokens();
    expect(await inboxKinds('worker')).toContain('visitOverdue');
    expect(await inboxKinds('street')).toContain('visitOverdue');
    const second = await ok('worker', 'recordVisit', {
      ...visit,
      at: '2026-12-03T19:30:00+08:00',
      findings: '见到当事人，已约定晚十点后停止施工',
      resolved: true,
    });
    expect(second.visits).toBe(2);
    expect(second.visitOrder).toBeNull();
    expect(second.allowedActions).not.toContain('recordVisit');
    expect(second.timeline.filter((e: { action: string }) => e.action === 'recordVisit')).toHaveLength(2);
  });

  it('a grid patrol case is not for directed visits', async () => {
    const r = await t.call('POST', '/api/reports', {
      token: await tok('worker'),
      body: { channel: 'grid', text: '垃圾桶破损', location: { lng: point[0], lat: point[1] } },
    });
    const id = r.body.caseId;
    const c = await t.call('GET', `/api/cases/${id}`, { token: await tok('community') });
    expect(c.body.allowedActions).not.toContain('instructVisit');
  });

  it('the grid leader convenes a joint handling; it is on the ledger until its outcome is recorded', async () => {
    await ok('community', 'dispatch', { target: { kind: 'user', userId: workerId } });
    await ok('worker', 'accept');
    const bad = await act('leader.grid', 'convene', {
      at: '2026-12-04T14:00:00+08:00',
      place: '社区议事厅',
      participants: [{ role: 'mayor', name: '' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((d: { path: string }) => d.path).sort()).toEqual([
      'payload.participants.0.name',
      'payload.participants.0.role',
    ]);
    expect((await act('volunteer', 'convene', {})).status).toBe(403);
    const convened = await ok('leader.grid', 'convene', {
      at: '2026-12-04T14:00:00+08:00',
      place: '社区议事厅',
      purpose: '噪音纠纷调解',
      participants: [
        { role: 'mediator', name: '人民调解员', userId: mediatorId },
        { role: 'police', name: '社区民警', organisation: '派出所' },
        { role: 'propertyManager', name: '物业经理', organisation: '物业公司' },
      ],
    });
    expect(convened.jointHandlings).toHaveLength(1);
    const joint = convened.jointHandlings[0];
    expect(joint).toMatchObject({ place: '社区议事厅', status: 'open', meetsAt: '2026-12-04T06:00:00.000Z' });
    expect(await inboxKinds('mediator')).toContain('jointConvened');

    const ledger = await t.call('GET', `/api/ledger?community=${COMMUNITY}`, {
      token: await tok('community'),
    });
    const mine = ledger.body.items.filter((i: { caseId: string }) => i.caseId === caseId);
    expect(mine.map((i: { kind: string }) => i.kind).sort()).toEqual(['case', 'joint']);
    expect(mine.find((i: { kind: string }) => i.kind === 'joint').jointNo).toBe(joint.jointNo);

    const wrong = await act('leader.grid', 'recordJoint', { jointNo: 999, outcome: 'x', resolved: true });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.issues[0].path).toBe('payload.jointNo');
    const recorded = await ok('leader.grid', 'recordJoint', {
      jointNo: joint.jointNo,
      outcome: '双方达成调解协议：晚十点后不施工，装修方赔礼道歉',
      resolved: true,
    });
    expect(recorded.jointHandlings[0]).toMatchObject({ status: 'recorded', resolved: true });
    const after = await t.call('GET', `/api/ledger?community=${COMMUNITY}`, {
      token: await tok('community'),
    });
    expect(
      after.body.items.filter(
        (i: { caseId: string; kind: string }) => i.caseId === caseId && i.kind === 'joint',
      ),
    ).toEqual([]);
  });

  it('closing the case checks it off: it leaves the ledger and enters the history', async () => {
    await ok('leader.grid', 'convene', {
      at: '2026-12-05T09:00:00+08:00',
      place: '5号楼',
      participants: [{ role: 'volunteer', name: '楼长' }],
    });
    await ok('worker', 'feedback', { result: '调解完成，已停止夜间施工' });
    await ok('community', 'verify', { passed: true });
    await ok('community', 'close', { summary: '调解结案' });
    const ledger = await t.call('GET', `/api/ledger?community=${COMMUNITY}`, {
      token: await tok('community'),
    });
    expect(ledger.body.items.filter((i: { caseId: string }) => i.caseId === caseId)).toEqual([]);
    const history = await t.call('GET', `/api/ledger/history?community=${COMMUNITY}`, {
      token: await tok('community'),
    });
    expect(history.status).toBe(200);
    const mine = history.body.items.filter((i: { caseId: string }) => i.caseId === caseId);
    // newest first: the case, the joint handling that ended with it, the one recorded before
    expect(
      mine.map((i: { kind: string; jointNo: number | null }) => `${i.kind}${i.jointNo ?? ''}`),
    ).toHaveLength(3);
    expect(mine.filter((i: { kind: string }) => i.kind === 'case')[0]).toMatchObject({ note: '调解结案' });
    const c = await t.call('GET', `/api/cases/${caseId}`, { token: await tok('community') });
    expect(c.body.jointHandlings.map((j: { status: string }) => j.status)).toEqual([
      'recorded',
      'closedWithCase',
    ]);
    // a window in the future holds nothing; another street's operator cannot read the history
    const later = await t.call(
      'GET',
      `/api/ledger/history?community=${COMMUNITY}&from=2030-01-01T00:00:00Z`,
      {
        token: await tok('community'),
      },
    );
    expect(later.body.items).toEqual([]);
    const bad = await t.call('GET', `/api/ledger/history?community=${COMMUNITY}&from=yesterday`, {
      token: await tok('community'),
    });
    expect(bad.status).toBe(400);
  });
});
