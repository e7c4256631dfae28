/**
 * The opinion line (舆情) over HTTP on the demo district, both databases: the demo feed loaded at
 * start, posts in (with Idempotency-Key replay), a burst raising early warnings, a warning
 * confirmed into a real case on the opinion line, a dismissal that needs a reason, file imports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

// Friday 27 November 2026, 12:00 China Standard Time
const START = new Date('2026-11-27T04:00:00Z');
const HOUR = 3_600_000;

describeEachDb('opinion line', (kind) => {
  let t: TestServer;
  const clock = fixedClock(START);
  let community = ''; // the demo community account's unit
  let street = '';
  const tok = (u: string) => t.token(u);
  const issues = (r: { body: { error: { details: { issues: Array<{ path: string }> } } } }) =>
    r.body.error.details.issues.map((i) => i.path);

  const post = (n: number, at: Date) => ({
    source: 'weibo',
    url: `https://weibo.example/api-test/${n}`,
    authorHandle: `api居民${n}`,
    text: `小区门口夜间施工，噪音扰民严重！！${n}`,
    postedAt: at.toISOString(),
    engagement: { likes: 40 + n, shares: 3 },
    unitCode: community,
  });

  beforeAll(async () => {
    t = await startTestServer(kind, {}, { clock });
    community = (await t.call('GET', '/api/me', { token: await tok('community') })).body.unitCode;
    street = community.slice(0, 9);
  }, 300_000);
  afterAll(async () => t?.stop());

  it('loads the demo feed at start: posts, watchlists and warnings', async () => {
    const district = await tok('district');
    const warnings = await t.call('GET', '/api/opinion/warnings?status=open&limit=500', { token: district });
    expect(warnings.status).toBe(200);
    expect(warnings.body.items.length).toBeGreaterThan(0);
    expect(warnings.body.items[0]).toMatchObject({ status: 'open', allowedActions: ['confirm', 'dismiss'] });
    const lists = await t.call('GET', '/api/opinion/watchlists', { token: await tok('street') });
    const ids = lists.body.items.map((w: { id: string }) => w.id);
    expect(ids).toContain('topic-noise');
    expect(ids).toContain(`unit-${street}`);
    expect(ids.filter((id: string) => id.startsWith('unit-'))).toEqual([`unit-${street}`]);
    const posts = await t.call('GET', '/api/opinion/posts?limit=5', { token: district });
    expect(posts.body.items).toHaveLength(5);
    expect(posts.body.nextCursor).toBeTruthy();
  });

  describe('a burst in the community', () => {
    let warningId = '';

    it('is taken in once, a retry replayed', async () => {
      clock.set(new Date(START.getTime() + HOUR));
      const body = {
        posts: Array.from({ length: 8 }, (_, i) =>
          post(i, new Date(START.getTime() + (30 + 3 * i) * 60_000)),
        ),
      };
      const headers = { 'idempotency-key': `opinion-api-${kind}-1` };
      const first = await t.call('POST', '/api/opinion/posts', {
        token: await tok('community'),
        body,
        headers,
      });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toEqual({ received: 8, inserted: 8, duplicates: 0, topics: { noise: 8 } });
      const replay = await t.call('POST', '/api/opinion/posts', {
        token: await tok('community'),
        body,
        headers,
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      const again = await t.call('POST', '/api/opinion/posts', { token: await tok('community'), body });
      expect(again.body).toMatchObject({ inserted: 0, duplicates: 8 });
      const bad = await t.call('POST', '/api/opinion/posts', {
        token: await tok('community'),
        body: { posts: [post(99, new Date(START.getTime() + 5 * HOUR))] },
      });
      expect(bad.status).toBe(400);
      expect(issues(bad)).toEqual(['posts.0.postedAt']);
      expect((await t.call('POST', '/api/opinion/posts', { token: await tok('worker'), body })).status).toBe(
        403,
      );
    });

    it('raises warnings when district staff run detection the next day', async () => {
      clock.set(new Date(START.getTime() + 26 * HOUR));
      t.forgetTokens();
      expect((await t.call('POST', '/api/opinion/detect', { token: await tok('community') })).status).toBe(
        403,
      );
      const r = await t.call('POST', '/api/opinion/detect', { token: await tok('district') });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.opened.length).toBeGreaterThan(0);
      const mine = await t.call('GET', '/api/opinion/warnings?status=open&topic=noise', {
        token: await tok('community'),
      });
      const units = mine.body.items.map((w: { unitCode: string }) => w.unitCode);
      expect(units).toEqual([community]); // the community sees its own, not the street's or district's
      warningId = mine.body.items[0].id;
      const detail = await t.call('GET', `/api/opinion/warnings/${warningId}`, {
        token: await tok('community'),
      });
      expect(detail.body.evidence.length).toBeGreaterThan(0);
      expect(detail.body.peakCount).toBe(8);
    });

    it('is confirmed into a case on the opinion line', async () => {
      const headers = { 'idempotency-key': `opinion-api-${kind}-confirm` };
      const r = await t.call('POST', `/api/opinion/warnings/${warningId}/confirm`, {
        token: await tok('community'),
        body: { priority: 'high' },
        headers,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ status: 'confirmed', allowedActions: [] });
      expect(r.body.caseNumber).toMatch(/^370112-\d{8}-\d{6}$/);
      const c = await t.call('GET', `/api/cases/${r.body.caseId}`, { token: await tok('community') });
      expect(c.status).toBe(200);
      expect(c.body).toMatchObject({ channel: 'opinion', priority: 'high' });
      expect(c.body.reports[0].fields).toMatchObject({ warningId, topic: 'noise', source: 'weibo' });
      const replay = await t.call('POST', `/api/opinion/warnings/${warningId}/confirm`, {
        token: await tok('community'),
        body: { priority: 'high' },
        headers,
      });
      expect(replay.body.caseId).toBe(r.body.caseId);
      const twice = await t.call('POST', `/api/opinion/warnings/${warningId}/confirm`, {
        token: await tok('community'),
        body: {},
      });
      expect(twice.status).toBe(409);
    });

    it('is dismissed at the street only with a reason', async () => {
      const list = await t.call('GET', '/api/opinion/warnings?status=open&topic=noise', {
        token: await tok('street'),
      });
      const w = list.body.items.find((x: { unitCode: string }) => x.unitCode === street);
      expect(w).toBeTruthy();
      const path = `/api/opinion/warnings/${w.id}/dismiss`;
      const missing = await t.call('POST', path, { token: await tok('street'), body: {} });
      expect(missing.status).toBe(400);
      const short = await t.call('POST', path, { token: await tok('street'), body: { reason: '好' } });
      expect(issues(short)).toEqual(['reason']);
      const ok = await t.call('POST', path, {
        token: await tok('street'),
        body: { reason: '社区已立案处置' },
      });
      expect(ok.body).toMatchObject({ status: 'dismissed', dismissReason: '社区已立案处置' });
    });
  });

  it('imports JSON lines atomically unless told to skip bad lines', async () => {
    const at = new Date(clock.now().getTime() - HOUR);
    const line = (n: number, over: Record<string, unknown> = {}) =>
      JSON.stringify({ ...post(200 + n, at), ...over });
    const content = [line(1), line(2, { url: 'mailto:x@example.com' }), line(3)].join('\n');
    const refused = await t.call('POST', '/api/opinion/posts/import', {
      token: await tok('district'),
      body: { content },
    });
    expect(refused.status).toBe(422);
    expect(issues(refused)).toEqual(['lines.2.url']);
    const skipped = await t.call('POST', '/api/opinion/posts/import', {
      token: await tok('district'),
      body: { content, skipBad: true },
    });
    expect(skipped.body).toMatchObject({ lines: 3, inserted: 2, rejectedLines: 1 });
  });
});
