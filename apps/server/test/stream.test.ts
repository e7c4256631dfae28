/**
 * Live updates: GET /api/stream pushes every committed case change in the caller's scope; a
 * dropped client resumes with Last-Event-ID; with PostgreSQL a change made through another server
 * process reaches a client of this one (LISTEN/NOTIFY). Both databases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig, startServer } from '@civicgrid/server';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

interface Change {
  eventId: string;
  caseId: string;
  event: string;
  status: string;
  unitPath: string;
}

/** An open event stream: collects `change` events until closed. */
async function openStream(url: string, token: string, lastEventId?: string) {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/stream`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId && { 'last-event-id': lastEventId }) },
    signal: ac.signal,
  });
  const changes: Change[] = [];
  const waiters: Array<() => void> = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: change') && data) {
            changes.push(JSON.parse(data.slice(6)) as Change);
            waiters.splice(0).forEach((w) => w());
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    res,
    changes,
    /** Waits until a change matches (fails after 10 s). */
    async waitFor(pred: (c: Change) => boolean): Promise<Change> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const hit = changes.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching change among ${JSON.stringify(changes)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () => ac.abort(),
  };
}

describeEachDb('live case stream', (kind) => {
  let t: TestServer;
  let point: [number, number];
  let otherStreetCommunity: string;

  beforeAll(async () => {
    t = await startTestServer(kind);
    const accounts =
      (await t.server.services.deps.store.repos.settings.get<
        Array<{ username: string; samplePoint: [number, number] }>
      >('demo.accounts')) ?? [];
    point = accounts.find((a) => a.username === 'worker')!.samplePoint;
    const units = await t.call('GET', '/api/units?level=community&limit=500', {
      token: await t.token('admin'),
    });
    otherStreetCommunity = units.body.items
      .map((u: { code: string }) => u.code)
      .find((c: string) => !c.startsWith('370112009'));
  }, 180_000);
  afterAll(async () => t?.stop());

  const report = async (text: string) => {
    const r = await t.call('POST', '/api/reports', {
      token: await t.token('worker'),
      body: { channel: 'grid', text, location: { lng: point[0], lat: point[1] } },
    });
    expect(r.status).toBe(201);
    return r.body.caseId as string;
  };

  it('pushes changes in scope only, as they commit', async () => {
    const community = await openStream(t.url, await t.token('community'));
    const dept = await openStream(t.url, await t.token('dept.urban'));
    expect(community.res.status).toBe(200);
    expect(community.res.headers.get('content-type')).toContain('text/event-stream');
    const id = await report('直播测试：路灯不亮');
    const got = await community.waitFor((c) => c.caseId === id);
    expect(got).toMatchObject({ event: 'case.report', status: 'reported' });
    expect(got.unitPath.startsWith('/370112/370112009/370112009001/')).toBe(true);
    // a case in another street is not in the community's scope
    const foreign = await t.call('POST', '/api/reports', {
      token: await t.token('district'),
      body: {
        channel: 'hotline',
        externalId: 'SSE-0001',
        text: '直播测试：外街道',
        unitCode: otherStreetCommunity,
      },
    });
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(201);
    const marker = await report('直播测试：标记');
    await community.waitFor((c) => c.caseId === marker);
    expect(community.changes.map((c) => c.caseId)).not.toContain(foreign.body.caseId);
    // a department sees only cases dispatched to it
    expect(dept.changes).toEqual([]);
    community.close();
    dept.close();
  });

  it('resumes after a dropped connection with Last-Event-ID', async () => {
    const first = await openStream(t.url, await t.token('street'));
    const a = await report('直播测试：断线前');
    const seen = await first.waitFor((c) => c.caseId === a);
    first.close();
    const missed = await report('直播测试：断线期间');
    const again = await openStream(t.url, await t.token('street'), seen.eventId);
    await again.waitFor((c) => c.caseId === missed);
    again.close();
  });

  it('refuses without a login', async () => {
    const r = await fetch(`${t.url}/api/stream`);
    expect(r.status).toBe(401);
  });

  // only PostgreSQL has several processes on one database (no skipped test on SQLite)
  if (kind === 'postgres')
    it('carries changes made by another server process (LISTEN/NOTIFY)', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'civicgrid-second-'));
      const second = await startServer(
        loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          CIVICGRID_DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          DATABASE_URL: t.databaseUrl!,
        }),
        { logger: false, scheduler: false },
      );
      try {
        const stream = await openStream(t.url, await t.token('community'));
        const login = await fetch(`${second.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'worker', password: 'Licheng@2026' }),
        });
        const { token } = (await login.json()) as { token: string };
        const r = await fetch(`${second.url}/api/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            channel: 'grid',
            text: '直播测试：另一进程',
            location: { lng: point[0], lat: point[1] },
          }),
        });
        expect(r.status).toBe(201);
        const { caseId } = (await r.json()) as { caseId: string };
        await stream.waitFor((c) => c.caseId === caseId);
        stream.close();
      } finally {
        await second.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
});
