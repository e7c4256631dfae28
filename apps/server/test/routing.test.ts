/**
 * Smart routing in the server: a report without a category carries the classifier's suggestion
 * (category, department, confidence, whether an operator must decide), and desks can ask for one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

describeEachDb('smart routing', (kind) => {
  let t: TestServer;
  let point: [number, number];
  beforeAll(async () => {
    t = await startTestServer(kind);
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
  }, 180_000);
  afterAll(async () => t?.stop());

  it('suggests a category, a department and a confidence for a text', async () => {
    const r = await t.call('POST', '/api/routing/suggest', {
      token: await t.token('district'),
      body: { text: '化工厂夜间偷排废气，周边居民闻到刺鼻气味，河水也被污染发黑' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.label).toBe('环境保护');
    expect(r.body.confidence).toBeGreaterThan(0);
    expect(r.body.confidence).toBeLessThanOrEqual(1);
    expect(r.body.department).toMatch(/^D\d{2}$/);
    const bad = await t.call('POST', '/api/routing/suggest', {
      token: await t.token('district'),
      body: { text: '' },
    });
    expect(bad.status).toBe(400);
  });

  it('a report without a category carries the suggestion; one with a category does not', async () => {
    const token = await t.token('district');
    const r = await t.call('POST', '/api/reports', {
      token,
      body: {
        channel: 'hotline',
        externalId: 'ROUTE-1',
        text: '公司拖欠工资三个月，劳动监察部门请尽快处理',
        location: { lng: point[0], lat: point[1] },
      },
    });
    expect(r.status).toBe(201);
    const c = await t.call('GET', `/api/cases/${r.body.caseId}`, { token });
    expect(c.body.reports[0].fields.routing).toMatchObject({ label: '劳动和社会保障' });
    const cats = (await t.call('GET', '/api/categories', { token })).body.items as Array<{ code: string }>;
    const withCat = await t.call('POST', '/api/reports', {
      token,
      body: {
        channel: 'hotline',
        externalId: 'ROUTE-2',
        text: '路灯不亮',
        category: cats[0]!.code,
        location: { lng: point[0], lat: point[1] },
      },
    });
    const c2 = await t.call('GET', `/api/cases/${withCat.body.caseId}`, { token });
    expect(c2.body.reports[0].fields.routing).toBeUndefined();
  });
});
