/**
 * Outgoing webhooks through the real server on both databases: created by an admin with a
 * destination policy, queued in the same transaction as the case change (outbox), delivered by the
 * scheduler signed with HMAC-SHA256, retried with back-off after a failure, logged.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { runDueTimers } from '@civicgrid/server';
import { verifySignature } from '../src/webhooks/sign.js';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describeEachDb('outgoing webhooks', (kind) => {
  const clock = fixedClock(new Date('2026-12-02T01:00:00Z'));
  let t: TestServer;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];
  let flakyFailures = 1;
  let caseId: string;
  let deptSecret: string;
  let allHookId: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        if (req.url === '/flaky' && flakyFailures > 0) {
          flakyFailures--;
          res.writeHead(500).end('try later');
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    t = await startTestServer(
      kind,
      {
        CIVICGRID_WEBHOOK_HOSTS: '127.0.0.1',
        CIVICGRID_WEBHOOK_ALLOW_HTTP: '1',
        CIVICGRID_WEBHOOK_ALLOW_PRIVATE: '1',
      },
      { clock },
    );
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    await new Promise((r) => receiver?.close(r));
  });

  async function act(user: string, action: string, body: unknown = {}) {
    const token = await t.token(user);
    const cur = await t.call('GET', `/api/cases/${caseId}`, { token });
    const r = await t.call('POST', `/api/cases/${caseId}/actions/${action}`, {
      token,
      body,
      headers: { 'if-match': String(cur.body.version) },
    });
    expect(r.status, `${user} ${action}: ${JSON.stringify(r.body?.error ?? '')}`).toBe(200);
  }

  it('is for admins, with a URL the destination policy allows and known events', async () => {
    const admin = await t.token('admin');
    const bad = await t.call('POST', '/api/webhooks', {
      token: admin,
      body: { name: 'x', url: 'https://evil.example.com/hook', events: ['bogus'] },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['events.0', 'url']);
    const creds = await t.call('POST', '/api/webhooks', {
      token: admin,
      body: { name: 'x', url: 'http://user:pw@127.0.0.1/hook', events: ['*'] },
    });
    expect(creds.status).toBe(400);
    const notAdmin = await t.call('POST', '/api/webhooks', {
      token: await t.token('district'),
      body: { name: 'x', url: `${base}/x`, events: ['*'] },
    });
    expect(notAdmin.status).toBe(403);
    const dept = await t.call('POST', '/api/webhooks', {
      token: admin,
      body: {
        name: '综合执法局业务系统',
        url: `${base}/d05`,
        events: ['case.dispatch'],
        departmentCode: 'D05',
      },
    });
    expect(dept.status, JSON.stringify(dept.body)).toBe(201);
    expect(dept.body.secret).toMatch(/^[\w-]{40,}$/);
    deptSecret = dept.body.secret;
    const all = await t.call('POST', '/api/webhooks', {
      token: admin,
      body: { name: '区大数据平台', url: `${base}/flaky`, events: ['*'] },
    });
    allHookId = all.body.id;
    const list = await t.call('GET', '/api/webhooks', { token: admin });
    expect(list.body.items).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(deptSecret);
  });

  it('delivers a dispatch to the department, signed; retries the flaky receiver after a failure', async () => {
    const r = await t.call('POST', '/api/reports', {
      token: await t.token('district'),
      body: {
        channel: 'hotline',
        externalId: 'WH-0001',
        text: '占道经营，需要执法',
        unitCode: '370112009001',
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    caseId = r.body.caseId;
    await act('community', 'register');
    await act('community', 'escalate', { reason: '需街道协调' });
    await act('street', 'accept');
    await act('street', 'escalate', { reason: '需区级执法' });
    await act('district', 'accept');
    const departments = (await t.call('GET', '/api/departments', { token: await t.token('admin') })).body
      .items as Array<{ id: string; code: string }>;
    const d05 = departments.find((d) => d.code === 'D05')!.id;
    await act('district', 'dispatch', { target: { kind: 'departments', leadDepartmentId: d05 } });
    // nothing is sent before the scheduler runs: the deliveries wait in the outbox
    expect(received).toEqual([]);
    await runDueTimers(t.server.services, 'test');
    const toDept = received.filter((x) => x.path === '/d05');
    expect(toDept).toHaveLength(1);
    const hit = toDept[0]!;
    expect(hit.headers['x-civicgrid-event']).toBe('case.dispatch');
    const sig = verifySignature(
      deptSecret,
      String(hit.headers['x-civicgrid-signature']),
      hit.body,
      clock.now(),
    );
    expect(sig.ok).toBe(true);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ event: 'case.dispatch', data: { caseId, status: 'dispatched' } });
    expect(body.data.departmentIds).toContain(d05);
    // the district-wide hook got every change; its first attempt failed and waits for its retry
    const flaky = received.filter((x) => x.path === '/flaky');
    expect(flaky.length).toBeGreaterThanOrEqual(1);
    const admin = await t.token('admin');
    const log1 = await t.call('GET', `/api/webhooks/${allHookId}/deliveries`, { token: admin });
    const failed = log1.body.items.filter(
      (d: { status: string; attempts: number }) => d.attempts === 1 && d.lastStatus === 500,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0].status).toBe('pending');
    clock.advance(60 * 60_000);
    t.forgetTokens();
    await runDueTimers(t.server.services, 'test');
    const log2 = await t.call('GET', `/api/webhooks/${allHookId}/deliveries`, {
      token: await t.token('admin'),
    });
    const retried = log2.body.items.find((d: { id: string }) => d.id === failed[0].id);
    expect(retried).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(retried.log.map((a: { ok: boolean; status: number }) => [a.ok, a.status])).toEqual([
      [false, 500],
      [true, 204],
    ]);
    expect(log2.body.items.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
  });

  it('a paused webhook gets nothing', async () => {
    const admin = await t.token('admin');
    const paused = await t.call('PATCH', `/api/webhooks/${allHookId}`, {
      token: admin,
      body: { isActive: false },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.isActive).toBe(false);
    const before = received.length;
    await act('district', 'supervise', { level: 'yellow', reason: '督办' }).catch(() => undefined);
    await runDueTimers(t.server.services, 'test');
    expect(received.filter((x) => x.path === '/flaky').length).toBe(
      received.slice(0, before).filter((x) => x.path === '/flaky').length,
    );
  });
});
