/**
 * The three volumes (三量) through the real API on both databases: counts per China-time month of
 * hotline complaints, opinion items and petitions under a unit, trends, "falling for k months" and
 * 三量同降, and the CSV export.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

describeEachDb('three volumes', (kind) => {
  let t: TestServer;
  let point: [number, number];

  beforeAll(async () => {
    t = await startTestServer(kind, {}, { clock: fixedClock(new Date('2026-12-02T01:00:00Z')) });
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
    const token = await t.token('district');
    // September 5, October 3, November 1 of each line; one December petition (a partial month)
    const plan: Array<[string, number]> = [
      ['2026-09-15T10:00:00+08:00', 5],
      ['2026-10-15T10:00:00+08:00', 3],
      // 1 November 00:30 China time is still October 31 in UTC: it counts for November
      ['2026-11-01T00:30:00+08:00', 1],
    ];
    let n = 0;
    for (const [at, count] of plan)
      for (let i = 0; i < count; i++)
        for (const line of ['hotline', 'opinion', 'petition'] as const) {
          n++;
          const extra =
            line === 'hotline'
              ? { externalId: `VOL-${n}` }
              : line === 'opinion'
                ? { source: '网络问政' }
                : { petitioner: { name: '某某' }, form: 'letter' };
          const r = await t.call('POST', '/api/reports', {
            token,
            body: {
              channel: line,
              text: `三量测试 ${n}`,
              receivedAt: at,
              location: { lng: point[0], lat: point[1] },
              ...extra,
            },
          });
          expect(r.status, JSON.stringify(r.body)).toBe(201);
        }
  }, 240_000);
  afterAll(async () => t?.stop());

  it('counts each line per month in China time, with the trend of the complete months', async () => {
    const r = await t.call('GET', '/api/volumes?unit=370112009&periods=4', {
      token: await t.token('street'),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.periods).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    for (const line of ['hotline', 'opinion', 'petition'])
      expect(r.body.series[line], line).toEqual([5, 3, 1, 0]);
    expect(r.body.trends.hotline).toEqual({ direction: 'falling', fallingFor: 2, risingFor: 0 });
    expect(r.body.allFallingFor).toBe(2);
    expect(r.body.satisfaction.rated).toEqual([0, 0, 0, 0]);
  });

  it('is scoped: another street sees nothing of it, and a unit outside the scope is 404', async () => {
    const other = await t.call('GET', '/api/volumes?unit=370112009&periods=4', {
      token: await t.token('dept.urban'),
    });
    expect(other.status).toBe(403);
    const units = await t.call('GET', '/api/units?level=street&limit=50', { token: await t.token('admin') });
    const foreign = units.body.items
      .map((u: { code: string }) => u.code)
      .find((c: string) => c !== '370112009');
    const r = await t.call('GET', `/api/volumes?unit=${foreign}&periods=4`, {
      token: await t.token('street'),
    });
    expect(r.status).toBe(404);
    const empty = await t.call('GET', `/api/volumes?unit=${foreign}&periods=4`, {
      token: await t.token('district'),
    });
    expect(empty.body.series.hotline).toEqual([0, 0, 0, 0]);
  });

  it('exports the same as CSV', async () => {
    const res = await fetch(`${t.url}/api/volumes.csv?unit=370112009&periods=4`, {
      headers: { authorization: `Bearer ${await t.token('street')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text.split('\r\n')).toEqual([
      '期间,12345热线,网络舆情,信访,回访数,满意率',
      '2026-09,5,5,5,0,',
      '2026-10,3,3,3,0,',
      '2026-11,1,1,1,0,',
      '2026-12,0,0,0,0,',
      '',
    ]);
  });
});
