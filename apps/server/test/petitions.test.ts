/**
 * The petition line (信访) through the real API on both databases: the petitioner masked, repeat
 * petitions by the same person or on the same matter flagged, collective petitions (5+ people)
 * flagged and urgent, stricter limits, and the petitions bureau (区信访局) following every petition.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

describeEachDb('the petition line', (kind) => {
  let t: TestServer;
  let point: [number, number];
  let bureauId: string;

  beforeAll(async () => {
    t = await startTestServer(kind);
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
    const deps = (await t.call('GET', '/api/departments', { token: await t.token('admin') })).body
      .items as Array<{
      id: string;
      code: string;
    }>;
    bureauId = deps.find((d) => d.code === 'D03')!.id;
  }, 180_000);
  afterAll(async () => t?.stop());

  const petition = async (body: Record<string, unknown>) =>
    t.call('POST', '/api/reports', {
      token: await t.token('district'),
      body: { channel: 'petition', location: { lng: point[0], lat: point[1] }, form: 'visit', ...body },
    });

  it('registers a petition with the petitioner masked, on stricter limits, followed by the bureau', async () => {
    const r = await petition({
      text: '小区开发商逾期三年未办理房产证，业主多次反映无果',
      petitioner: { name: '王建国', phone: '13905311234' },
      demands: '尽快办理不动产权证',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = await t.call('GET', `/api/cases/${r.body.caseId}`, { token: await t.token('community') });
    expect(c.body.reports[0]).toMatchObject({ reporterName: '王**', reporterPhone: '139****1234' });
    expect(c.body.priority).toBe('high');
    expect(c.body.departments).toEqual([{ departmentId: bureauId, role: 'watch' }]);
    expect(c.body.reports[0].fields.petition).toEqual({
      collective: false,
      repeatByPerson: [],
      repeatByMatter: [],
    });
    expect(JSON.stringify(c.body)).not.toContain('13905311234');
    const inbox = await t.server.services.deps.store.repos.inbox.listFor(
      { userId: 'nobody', unitId: null, departmentId: bureauId },
      10,
      false,
    );
    expect(inbox.some((i) => i.caseId === r.body.caseId && i.kind === 'newPetition')).toBe(true);
  });

  it('flags a repeat by the same person and by the same matter', async () => {
    const again = await petition({
      text: '再次反映：开发商至今未办理房产证',
      petitioner: { name: '王建国', phone: '13905311234' },
    });
    const c = await t.call('GET', `/api/cases/${again.body.caseId}`, { token: await t.token('community') });
    const flags = c.body.reports[0].fields.petition;
    expect(flags.repeatByPerson).toHaveLength(1);
    const neighbour = await petition({
      text: '小区开发商逾期三年未办理房产证，业主多次反映无果，要求尽快办理',
      petitioner: { name: '李梅', phone: '13905319999' },
    });
    const n = await t.call('GET', `/api/cases/${neighbour.body.caseId}`, {
      token: await t.token('community'),
    });
    expect(n.body.reports[0].fields.petition.repeatByPerson).toEqual([]);
    expect(n.body.reports[0].fields.petition.repeatByMatter.length).toBeGreaterThanOrEqual(1);
    expect(n.body.timeline[0].payload.repeatPetition.length).toBeGreaterThanOrEqual(1);
  });

  it('flags a collective petition (five or more people) and handles it as urgent', async () => {
    const r = await petition({
      text: '二十余名农民工集体讨要工程款',
      petitioner: { name: '张师傅', phone: '13905310000' },
      people: 23,
    });
    const c = await t.call('GET', `/api/cases/${r.body.caseId}`, { token: await t.token('community') });
    expect(c.body.priority).toBe('urgent');
    expect(c.body.reports[0].fields.petition.collective).toBe(true);
    expect(c.body.timeline[0].payload.collective).toBe(true);
  });

  it('keeps the bureau following the case when a department is dispatched to handle it', async () => {
    const r = await petition({ text: '道路积水无人处理', petitioner: { name: '赵六' }, unitCode: undefined });
    const id = r.body.caseId;
    const repo = t.server.services.deps.store.repos.cases;
    const deps = (await t.call('GET', '/api/departments', { token: await t.token('admin') })).body
      .items as Array<{
      id: string;
      code: string;
    }>;
    await repo.setDepartments(id, deps.find((d) => d.code === 'D05')!.id, []);
    const roles = (await repo.departmentsOf(id)).map((d) => d.role).sort();
    expect(roles).toEqual(['lead', 'watch']);
    // the bureau as lead is no longer a watcher
    await repo.setDepartments(id, bureauId, []);
    expect(await repo.departmentsOf(id)).toEqual([{ departmentId: bureauId, role: 'lead' }]);
  });
});
