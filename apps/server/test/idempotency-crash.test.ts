/**
 * Exactly once across a crash between commit and response: the first run's write transaction marks
 * the Idempotency-Key `committed` in the same transaction, so a retry never writes again. The crash
 * is injected by failing the step after the commit (storing the response); the full SIGKILL
 * harness is the reliability suite's. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

describeEachDb('idempotency across a crash after commit', (kind) => {
  const clock = fixedClock(new Date('2026-12-02T01:00:00Z'));
  let t: TestServer;
  let point: [number, number];

  /** Makes the next "store the response" step fail, as if the process died right after the commit. */
  function crashAfterNextCommit() {
    const repo = t.server.services.deps.store.repos.idempotency;
    const complete = repo.complete.bind(repo);
    repo.complete = async () => {
      repo.complete = complete;
      throw new Error('injected: the process died after the commit');
    };
  }
  async function countCases(): Promise<number> {
    return t.server.services.deps.store.repos.cases.count({ scopePrefix: '/370112/' });
  }

  beforeAll(async () => {
    t = await startTestServer(kind, {}, { clock });
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
  }, 180_000);
  afterAll(async () => t?.stop());

  it('a report whose response was lost is not taken in twice; the retry gets the first answer', async () => {
    const body = { channel: 'grid', text: '崩溃测试：井盖缺失', location: { lng: point[0], lat: point[1] } };
    const headers = { 'idempotency-key': 'crash-intake-0001' };
    const token = await t.token('worker');
    const before = await countCases();
    crashAfterNextCommit();
    const lost = await t.call('POST', '/api/reports', { token, body, headers });
    expect(lost.status).toBe(500);
    expect(await countCases()).toBe(before + 1);
    // long after the in-flight window: a committed key is never run again
    clock.advance(10 * 60_000);
    const retry = await t.call('POST', '/api/reports', { token, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.caseNumber).toMatch(/^370112-20261202-\d{6}$/);
    expect(await countCases()).toBe(before + 1);
    const again = await t.call('POST', '/api/reports', { token, body, headers });
    expect(again.body).toEqual(retry.body);
    const c = await t.call('GET', `/api/cases/${retry.body.caseId}`, { token: await t.token('community') });
    expect(c.body.reports).toHaveLength(1);
  });

  it('an action whose response was lost is applied once; the retry gets the case as it is now', async () => {
    const r = await t.call('POST', '/api/reports', {
      token: await t.token('worker'),
      body: { channel: 'grid', text: '崩溃测试：路灯', location: { lng: point[0], lat: point[1] } },
    });
    const id = r.body.caseId;
    const token = await t.token('community');
    const req = {
      token,
      body: { priority: 'high' },
      headers: { 'if-match': '1', 'idempotency-key': 'crash-act-0001' },
    };
    crashAfterNextCommit();
    const lost = await t.call('POST', `/api/cases/${id}/actions/register`, req);
    expect(lost.status).toBe(500);
    // the retry carries the same If-Match: were it run again it would be refused as stale
    const retry = await t.call('POST', `/api/cases/${id}/actions/register`, req);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ status: 'registered', version: 2, priority: 'high' });
    expect(retry.body.timeline.filter((e: { action: string }) => e.action === 'register')).toHaveLength(1);
  });

  it('a failure before the commit leaves nothing: the retry runs the request', async () => {
    const token = await t.token('worker');
    const headers = { 'idempotency-key': 'crash-before-0001' };
    const body = {
      channel: 'grid',
      text: '崩溃测试：提交前失败',
      location: { lng: point[0], lat: point[1] },
    };
    // the failure happens inside the transaction (it rolls back), so the key is released
    const before = await countCases();
    const store = t.server.services.deps.store;
    const transaction = store.transaction.bind(store);
    store.transaction = (async () => {
      store.transaction = transaction;
      throw Object.assign(new Error('injected: the database went away'), { code: 'ECONNRESET' });
    }) as typeof store.transaction;
    const failed = await t.call('POST', '/api/reports', { token, body, headers });
    expect(failed.status).toBe(500);
    expect(await countCases()).toBe(before);
    const retry = await t.call('POST', '/api/reports', { token, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await countCases()).toBe(before + 1);
  });
});
