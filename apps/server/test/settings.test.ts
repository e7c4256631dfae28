/**
 * Admin editing of the loop over HTTP: the working calendar, the time-limit rules, the loop's
 * options and the category catalogue — validated field by field, audited, and applied to the next
 * action. Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

// Wednesday 2 December 2026, 09:00 China Standard Time
const START = new Date('2026-12-02T01:00:00Z');

describeEachDb('loop settings', (kind) => {
  let t: TestServer;
  let point: [number, number];
  let workerId: string;
  const tok = (u: string) => t.token(u);
  const issues = (r: { body: { error: { details: { issues: Array<{ path: string }> } } } }) =>
    r.body.error.details.issues.map((i) => i.path).sort();

  beforeAll(async () => {
    t = await startTestServer(kind, {}, { clock: fixedClock(START) });
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
    workerId = (await t.call('GET', '/api/me', { token: await tok('worker') })).body.id;
  }, 180_000);
  afterAll(async () => t?.stop());

  // each case is a different problem: the same text at the same place would join the first case
  const problems = ['路面破损', '井盖缺失', '路灯不亮', '绿化带枯死', '排水沟堵塞', '护栏损坏'];
  let made = 0;

  /** A fresh case dispatched to the worker now; returns its deadlines. */
  async function dispatchOne() {
    const r = await t.call('POST', '/api/reports', {
      token: await tok('worker'),
      body: {
        channel: 'grid',
        text: `设置测试：${problems[made++ % problems.length]}`,
        location: { lng: point[0], lat: point[1] },
      },
    });
    const id = r.body.caseId;
    for (const [action, body] of [
      ['register', {}],
      ['dispatch', { target: { kind: 'user', userId: workerId } }],
    ] as const) {
      const cur = await t.call('GET', `/api/cases/${id}`, { token: await tok('community') });
      const res = await t.call('POST', `/api/cases/${id}/actions/${action}`, {
        token: await tok('community'),
        body,
        headers: { 'if-match': String(cur.body.version) },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (action === 'dispatch') return res.body.deadlines as { acceptBy: string; handleBy: string };
    }
    throw new Error('unreachable');
  }

  describe('working calendar', () => {
    it('is read by centers and leaders, written by admins only', async () => {
      expect((await t.call('GET', '/api/settings/loop', { token: await tok('community') })).status).toBe(200);
      expect((await t.call('GET', '/api/settings/loop', { token: await tok('worker') })).status).toBe(403);
      const cur = await t.call('GET', '/api/settings/loop', { token: await tok('admin') });
      expect(cur.body.calendar.holidays).toContain('2026-10-01');
      const r = await t.call('PUT', '/api/settings/loop/calendar', {
        token: await tok('district'),
        body: cur.body.calendar,
      });
      expect(r.status).toBe(403);
    });

    it('names every bad field', async () => {
      const r = await t.call('PUT', '/api/settings/loop/calendar', {
        token: await tok('admin'),
        body: { workdays: [0, 8], holidays: ['2026-02-30'], periods: [{ start: '17:00', end: '09:00' }] },
      });
      expect(r.status).toBe(400);
      const paths = issues(r);
      expect(paths).toEqual(expect.arrayContaining(['holidays.0']));
      expect(paths.some((p: string) => p.startsWith('workdays'))).toBe(true);
      expect(paths.some((p: string) => p.startsWith('periods'))).toBe(true);
    });

    it('applies to the next action: two new days off push the deadlines past them', async () => {
      const before = await dispatchOne();
      // accept within 2 working hours, today
      expect(before.acceptBy.slice(0, 10)).toBe('2026-12-02');
      const cur = await t.call('GET', '/api/settings/loop', { token: await tok('admin') });
      const calendar = {
        ...cur.body.calendar,
        holidays: [...cur.body.calendar.holidays, '2026-12-02', '2026-12-03'],
      };
      const put = await t.call('PUT', '/api/settings/loop/calendar', {
        token: await tok('admin'),
        body: calendar,
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const after = await dispatchOne();
      // Friday 4 December, 08:30 + 2 h China time
      expect(after.acceptBy).toBe('2026-12-04T02:30:00.000Z');
      const audit = await t.call('GET', '/api/audit?limit=20', { token: await tok('admin') });
      expect(audit.body.items.map((a: { action: string }) => a.action)).toContain('settings.calendar');
    });
  });

  describe('time limits and options', () => {
    it('refuses rules without a default or with an unknown category, naming the rule', async () => {
      const r = await t.call('PUT', '/api/settings/loop/time-limits', {
        token: await tok('admin'),
        body: [
          {
            level1: '不存在的分类',
            limit: { mode: 'working', acceptHours: 1, handleHours: 8, feedbackHours: 4 },
          },
        ],
      });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.error.details)).toContain('0.level1');
    });

    it('a new default rule applies to the next dispatch', async () => {
      const put = await t.call('PUT', '/api/settings/loop/time-limits', {
        token: await tok('admin'),
        body: [{ limit: { mode: 'calendar', acceptHours: 1, handleHours: 48, feedbackHours: 4 } }],
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const d = await dispatchOne();
      expect(d.acceptBy).toBe('2026-12-02T02:00:00.000Z');
      expect(d.handleBy).toBe('2026-12-04T01:00:00.000Z');
    });

    it('changes options one at a time; an empty or out-of-range change is refused', async () => {
      const empty = await t.call('PATCH', '/api/settings/loop', { token: await tok('admin'), body: {} });
      expect(empty.status).toBe(400);
      const bad = await t.call('PATCH', '/api/settings/loop', {
        token: await tok('admin'),
        body: { revisitAfterHours: 0, recurrence: { radiusM: 5, days: 30 } },
      });
      expect(bad.status).toBe(400);
      expect(issues(bad)).toEqual(['body.recurrence.radiusM', 'body.revisitAfterHours']);
      const ok = await t.call('PATCH', '/api/settings/loop', {
        token: await tok('admin'),
        body: { sameDayEscalation: false, revisitAfterHours: 48 },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ sameDayEscalation: false, revisitAfterHours: 48 });
    });
  });

  describe('category catalogue', () => {
    it('adds a category with the next free code, refuses duplicates and children of level 3', async () => {
      const admin = await tok('admin');
      const r = await t.call('POST', '/api/categories', {
        token: admin,
        body: { parentCode: '01', name: '共享单车乱停放' },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.code).toMatch(/^01\.\d{2}$/);
      expect(r.body).toMatchObject({ level: 2, parentCode: '01', isActive: true });
      expect(r.body.path.endsWith('/共享单车乱停放')).toBe(true);
      const dup = await t.call('POST', '/api/categories', {
        token: admin,
        body: { parentCode: '01', name: '共享单车乱停放' },
      });
      expect(dup.status).toBe(400);
      expect(issues(dup)).toEqual(['name']);
      const leaf = (await t.call('GET', '/api/categories', { token: admin })).body.items.find(
        (c: { level: number }) => c.level === 3,
      );
      const deep = await t.call('POST', '/api/categories', {
        token: admin,
        body: { parentCode: leaf.code, name: 'x' },
      });
      expect(deep.status).toBe(400);
      const child = await t.call('POST', '/api/categories', {
        token: admin,
        body: { parentCode: r.body.code, name: '人行道占用' },
      });
      expect(child.body.code).toBe(`${r.body.code}.001`);
    });

    it('renames a subtree, deactivates it, and keeps a level-1 name that a time-limit rule uses', async () => {
      const admin = await tok('admin');
      const all = (await t.call('GET', '/api/categories', { token: admin })).body.items as Array<{
        code: string;
        name: string;
        level: number;
        path: string;
        isActive: boolean;
      }>;
      const l2 = all.find((c) => c.name === '共享单车乱停放')!;
      const renamed = await t.call('PATCH', `/api/categories/${l2.code}`, {
        token: admin,
        body: { name: '互联网租赁自行车停放' },
      });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      const after = (await t.call('GET', '/api/categories', { token: admin })).body.items as typeof all;
      const child = after.find((c) => c.code === `${l2.code}.001`)!;
      expect(child.path).toContain('/互联网租赁自行车停放/人行道占用');
      const off = await t.call('PATCH', `/api/categories/${l2.code}`, {
        token: admin,
        body: { isActive: false },
      });
      expect(off.body.isActive).toBe(false);
      const again = (await t.call('GET', '/api/categories', { token: admin })).body.items as typeof all;
      expect(again.find((c) => c.code === `${l2.code}.001`)!.isActive).toBe(false);
      // a rule names this level-1 category: renaming it would silently drop the rule
      const level1 = all.find((c) => c.level === 1)!;
      await t.call('PUT', '/api/settings/loop/time-limits', {
        token: admin,
        body: [
          { limit: { mode: 'working', acceptHours: 2, handleHours: 37.5, feedbackHours: 7.5 } },
          {
            level1: level1.name,
            limit: { mode: 'working', acceptHours: 1, handleHours: 22.5, feedbackHours: 7.5 },
          },
        ],
      });
      const refused = await t.call('PATCH', `/api/categories/${level1.code}`, {
        token: admin,
        body: { name: `${level1.name}（新）` },
      });
      expect(refused.status).toBe(409);
      const missing = await t.call('PATCH', '/api/categories/99', { token: admin, body: { isActive: true } });
      expect(missing.status).toBe(404);
    });
  });
});
