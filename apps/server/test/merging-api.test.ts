/**
 * One problem, one case (一事一案) through the real API on both databases: a hotline near-copy joins
 * the grid worker's case, a resident's reworded report is proposed, the community accepts, the
 * case holds every report with its line and the resident sees it; an undo splits a report out.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

const NOISE = '幸福小区3号楼旁边的建筑工地每天晚上十点以后还在施工，噪音很大，严重影响居民休息，请尽快处理。';

const suite = () =>
  describeEachDb('one problem, one case through the API', (kind) => {
    const clock = fixedClock(new Date('2026-12-02T01:00:00Z'));
    let t: TestServer;
    let point: [number, number];
    const tok = (u: string) => t.token(u);
    const report = async (user: string, body: Record<string, unknown>) => {
      const r = await t.call('POST', '/api/reports', {
        token: await tok(user),
        body: { location: { lng: point[0], lat: point[1] }, ...body },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };

    beforeAll(async () => {
      t = await startTestServer(kind, {}, { clock });
      const accounts =
        (await t.server.services.deps.store.repos.settings.get<
          Array<{ username: string; samplePoint: [number, number] }>
        >('demo.accounts')) ?? [];
      point = accounts.find((a) => a.username === 'worker')!.samplePoint;
    }, 180_000);
    afterAll(async () => t?.stop());

    it('joins, proposes, merges on acceptance, and splits a report out again', async () => {
      const first = await report('worker', { channel: 'grid', text: NOISE });
      expect(first.merge).toBeUndefined();
      clock.advance(3600_000);
      const hotline = await report('district', {
        channel: 'hotline',
        externalId: 'MERGE-API-0001',
        text: `来电反映：${NOISE.replace('请尽快处理', '希望尽快处理')}`,
        caller: { name: '王女士', phone: '13905310077' },
      });
      expect(hotline).toMatchObject({ caseId: first.caseId, merge: { outcome: 'joined' } });
      clock.advance(3600_000);
      const resident = await report('resident', {
        channel: 'resident',
        text: '3号楼边上那个工地半夜还在干活，机器轰隆隆的吵得人睡不着觉',
      });
      expect(resident.caseId).not.toBe(first.caseId);
      expect(resident.merge).toMatchObject({ outcome: 'proposed' });

      const list = await t.call('GET', '/api/merge-proposals', { token: await tok('community') });
      expect(list.status).toBe(200);
      const p = list.body.items.find((x: any) => x.case.id === resident.caseId);
      expect(p).toMatchObject({ status: 'pending', candidate: { id: first.caseId, inScope: true } });
      const accept = (user: string) =>
        tok(user).then((token) => t.call('POST', `/api/merge-proposals/${p.id}/accept`, { token }));
      expect((await accept('worker')).status).toBe(403);
      const ok = await accept('community');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({ status: 'accepted', intoCaseId: first.caseId });
      expect((await accept('community')).status).toBe(409);

      const merged = await t.call('GET', `/api/cases/${first.caseId}`, { token: await tok('community') });
      expect(merged.body.reportCount).toBe(3);
      expect(merged.body.reports.map((r: any) => r.channel).sort()).toEqual(['grid', 'hotline', 'resident']);
      expect(merged.body.timeline.map((e: any) => e.action)).toEqual([
        'report',
        'reportJoined',
        'reportsMerged',
      ]);
      // the resident follows the case their report is in now
      const seen = await t.call('GET', `/api/cases/${first.caseId}`, { token: await tok('resident') });
      expect(seen.status).toBe(200);
      const old = await t.call('GET', `/api/cases/${resident.caseId}`, { token: await tok('community') });
      expect(old.body).toMatchObject({ status: 'merged', mergedInto: first.caseId });

      const hotlineReport = merged.body.reports.find((r: any) => r.channel === 'hotline');
      const split = await t.call('POST', `/api/reports/${hotlineReport.id}/unmerge`, {
        token: await tok('community'),
      });
      expect(split.status, JSON.stringify(split.body)).toBe(200);
      expect(split.body).toMatchObject({ fromCaseId: first.caseId, createdCase: true });
      const own = await t.call('GET', `/api/cases/${split.body.caseId}`, { token: await tok('community') });
      expect(own.body).toMatchObject({ channel: 'hotline', reportCount: 1, status: 'reported' });
      const again = await t.call('POST', `/api/reports/${hotlineReport.id}/unmerge`, {
        token: await tok('community'),
      });
      expect(again.status).toBe(409);

      const spots = await t.call('GET', '/api/hot-spots?community=370112009001', {
        token: await tok('community'),
      });
      expect(spots.status).toBe(200);
      expect(spots.body).toMatchObject({ community: { code: '370112009001' }, windowDays: 7, minCount: 5 });
    });
  });

suite();
