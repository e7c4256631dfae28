import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '@civicgrid/contracts';
import { SYSTEM_ACTOR, findUnmaskedPersonalData, totpCode } from '@civicgrid/core';
import { buildServices } from '@civicgrid/server';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

describeEachDb('HTTP API', (kind) => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer(kind);
    admin = await t.token('admin');
  }, 180_000);
  afterAll(async () => t?.stop());

  describe('system', () => {
    it('answers health with the database in use', async () => {
      const r = await t.call('GET', '/api/health');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: 'ok', db: kind });
    });

    it('serves an OpenAPI 3.1 document covering every route, and the docs page', async () => {
      const r = await t.call('GET', '/api/openapi.json');
      expect(r.status).toBe(200);
      expect(r.body.openapi).toBe('3.1.0');
      for (const rt of ROUTES) {
        const p = rt.path.replace(/:(\w+)/g, '{$1}');
        expect(r.body.paths[p]?.[rt.method.toLowerCase()], `${rt.method} ${p}`).toBeDefined();
      }
      const docs = await fetch(`${t.url}/api/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger-ui');
      const asset = await fetch(`${t.url}/api/docs/assets/swagger-ui-bundle.js`);
      expect(asset.status).toBe(200);
    });

    it('sets security headers, a request id and no-store on authenticated responses', async () => {
      const r = await t.call('GET', '/api/me', { token: admin });
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-request-id')).toBeTruthy();
    });

    it('refuses a body over the limit with 413 and an unsupported content type with 415', async () => {
      const big = await t.call('POST', '/api/auth/login', {
        body: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
      });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const xml = await t.call('POST', '/api/auth/login', {
        body: '<login/>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(xml.status).toBe(415);
      expect(xml.body.error.requestId).toBeTruthy();
    });

    it('answers unknown routes with the error envelope', async () => {
      const r = await t.call('GET', '/api/nope');
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'NOT_FOUND' });
      expect(r.body.error.requestId).toBeTruthy();
    });
  });

  describe('login and sessions', () => {
    it('logs in, sets the __Host- cookie, and the token works as bearer and as cookie', async () => {
      const r = await t.call('POST', '/api/auth/login', {
        body: { username: 'worker', password: 'Licheng@2026' },
      });
      expect(r.status).toBe(200);
      expect(r.body.user).toMatchObject({ username: 'worker', role: 'gridWorker' });
      const cookie = r.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^__Host-civicgrid=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\//);
      expect((await t.call('GET', '/api/me', { token: r.body.token })).status).toBe(200);
      const viaCookie = await t.call('GET', '/api/me', {
        headers: { cookie: `__Host-civicgrid=${r.body.token}` },
      });
      expect(viaCookie.status).toBe(200);
      expect(viaCookie.body.unitChain.map((u: { level: string }) => u.level)).toEqual([
        'district',
        'street',
        'community',
        'basicGrid',
      ]);
    });

    it('names each bad field of an invalid login', async () => {
      const r = await t.call('POST', '/api/auth/login', { body: { password: 5 } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      const paths = r.body.error.details.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.password']));
      const bad = await t.call('POST', '/api/auth/login', {
        body: '{"username":',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses a wrong password with 401 and the same message as an unknown user', async () => {
      const a = await t.call('POST', '/api/auth/login', {
        body: { username: 'worker', password: 'wrong-password' },
      });
      const b = await t.call('POST', '/api/auth/login', {
        body: { username: 'nobody', password: 'wrong-password' },
      });
      expect(a.status).toBe(401);
      expect(b.status).toBe(401);
      expect(a.body.error.message).toBe(b.body.error.message);
    });

    it('locks an account after repeated failures and says when to retry', async () => {
      let last = 0;
      for (let i = 0; i < 6; i++)
        last = (
          await t.call('POST', '/api/auth/login', {
            body: { username: 'volunteer', password: 'bad-password-1' },
          })
        ).status;
      const r = await t.call('POST', '/api/auth/login', {
        body: { username: 'volunteer', password: 'Licheng@2026' },
      });
      expect(last).toBe(429);
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('ACCOUNT_LOCKED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('counts every one of many parallel wrong passwords (no lost updates)', async () => {
      const created = await t.call('POST', '/api/users', {
        token: admin,
        body: {
          username: 'op.burst',
          displayName: '并发测试',
          role: 'streetOperator',
          password: 'Tr1cky-Passw0rd',
          unitCode: '370112002',
          withTotp: false,
        },
      });
      expect(created.status).toBe(201);
      const rs = await Promise.all(
        Array.from({ length: 12 }, () =>
          t.call('POST', '/api/auth/login', { body: { username: 'op.burst', password: 'wrong-guess-123' } }),
        ),
      );
      expect(rs.every((r) => r.status === 401 || r.status === 429)).toBe(true);
      const stored = await t.server.services.deps.store.repos.users.findByUsername('op.burst');
      expect(stored!.failedLogins).toBe(12);
      const right = await t.call('POST', '/api/auth/login', {
        body: { username: 'op.burst', password: 'Tr1cky-Passw0rd' },
      });
      expect(right.status).toBe(429);
    });

    it('refuses an anonymous or unauthorised body before reading it', async () => {
      const big = JSON.stringify({
        type: 'FeatureCollection',
        features: [],
        pad: 'x'.repeat(3 * 1024 * 1024),
      });
      const anon = await t.call('POST', '/api/units/import', { body: big });
      expect(anon.status).toBe(401);
      const worker = await t.call('POST', '/api/units/import', { token: await t.token('worker'), body: big });
      expect(worker.status).toBe(403);
    });

    it('does not replay a reveal from an idempotency key: every reveal is checked and audited', async () => {
      const community = await t.token('community');
      const id = (await t.call('GET', '/api/staff?limit=1', { token: community })).body.items[0].id;
      const h = { 'idempotency-key': 'reveal-replay-000001' };
      await t.call('POST', `/api/staff/${id}/reveal`, { token: community, headers: h });
      await t.call('POST', `/api/staff/${id}/reveal`, { token: community, headers: h });
      const audit = await t.call('GET', `/api/audit?entityType=staff&entityId=${id}&limit=50`, {
        token: admin,
      });
      expect(
        audit.body.items.filter((e: { action: string }) => e.action === 'staff.reveal').length,
      ).toBeGreaterThanOrEqual(2);
      const rows = await t.server.db.kysely
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('key', '=', 'reveal-replay-000001')
        .execute();
      expect(rows).toHaveLength(0);
    });

    it('ends the session on logout: the next request is refused', async () => {
      const token = (
        await t.call('POST', '/api/auth/login', { body: { username: 'street', password: 'Licheng@2026' } })
      ).body.token;
      expect((await t.call('POST', '/api/auth/logout', { token })).status).toBe(204);
      const r = await t.call('GET', '/api/me', { token });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('requires and checks a TOTP code when the account has a second factor, and refuses a replayed code', async () => {
      const created = await t.call('POST', '/api/users', {
        token: admin,
        body: {
          username: 'op.totp',
          displayName: '测试操作员',
          role: 'districtOperator',
          password: 'Tr1cky-Passw0rd',
          unitCode: '370112',
          withTotp: true,
        },
      });
      expect(created.status).toBe(201);
      const secret = created.body.totp.secret as string;
      const noOtp = await t.call('POST', '/api/auth/login', {
        body: { username: 'op.totp', password: 'Tr1cky-Passw0rd' },
      });
      expect(noOtp.status).toBe(401);
      expect(noOtp.body.error.code).toBe('OTP_REQUIRED');
      const otp = totpCode(secret, Date.now());
      const ok = await t.call('POST', '/api/auth/login', {
        body: { username: 'op.totp', password: 'Tr1cky-Passw0rd', otp },
      });
      expect(ok.status).toBe(200);
      const replay = await t.call('POST', '/api/auth/login', {
        body: { username: 'op.totp', password: 'Tr1cky-Passw0rd', otp },
      });
      expect(replay.status).toBe(401);
    });

    it('disabling an account takes effect on its next request', async () => {
      const created = await t.call('POST', '/api/users', {
        token: admin,
        body: {
          username: 'op.gone',
          displayName: '将停用',
          role: 'streetOperator',
          password: 'Tr1cky-Passw0rd',
          unitCode: '370112001',
          withTotp: false,
        },
      });
      expect(created.status).toBe(201);
      const token = (
        await t.call('POST', '/api/auth/login', {
          body: { username: 'op.gone', password: 'Tr1cky-Passw0rd' },
        })
      ).body.token;
      expect((await t.call('GET', '/api/me', { token })).status).toBe(200);
      const d = await t.call('POST', `/api/users/${created.body.user.id}/disabled`, {
        token: admin,
        body: { disabled: true },
      });
      expect(d.status).toBe(200);
      expect((await t.call('GET', '/api/me', { token })).status).toBe(401);
    });

    it('rejects weak passwords naming the field', async () => {
      const r = await t.call('POST', '/api/users', {
        token: admin,
        body: {
          username: 'weak.one',
          displayName: 'x',
          role: 'gridWorker',
          password: '12345678',
          unitCode: '370112001001001',
        },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.details.issues.some((i: { path: string }) => i.path === 'password')).toBe(true);
    });
  });

  describe('structure', () => {
    it('counts Licheng at real scale', async () => {
      const r = await t.call('GET', '/api/stats', { token: admin });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        streets: 14,
        communities: 347,
        basicGrids: 1209,
        dedicatedGrids: 1498,
        departments: 17,
      });
      expect(r.body.staff).toBeGreaterThan(1209 * 3);
    });

    it('locates every demo account’s sample point in its unit', async () => {
      const me = (await t.call('GET', '/api/me', { token: await t.token('worker') })).body;
      const accounts =
        (await t.server.services.deps.store.repos.settings.get<
          Array<{ username: string; unitCode: string | null; samplePoint: [number, number] }>
        >('demo.accounts')) ?? [];
      const worker = accounts.find((a) => a.username === 'worker');
      expect(worker?.unitCode).toBe(me.unitCode);
      const r = await t.call(
        'GET',
        `/api/locate?lng=${worker?.samplePoint[0]}&lat=${worker?.samplePoint[1]}`,
        { token: admin },
      );
      expect(r.status).toBe(200);
      expect(r.body.basicGrid.code).toBe(me.unitCode);
      expect(r.body.community.code).toBe(me.unitCode.slice(0, 12));
      expect(r.body.street.code).toBe(me.unitCode.slice(0, 9));
      const outside = await t.call('GET', '/api/locate?lng=100&lat=30', { token: admin });
      expect(outside.body).toEqual({ basicGrid: null, dedicatedGrids: [], community: null, street: null });
      const bad = await t.call('GET', '/api/locate?lng=abc&lat=999', { token: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
        expect.arrayContaining(['query.lng', 'query.lat']),
      );
    });

    it('serves grids as GeoJSON in the caller’s scope', async () => {
      const worker = await t.token('worker');
      const r = await t.call('GET', '/api/grids.geojson?level=basicGrid', { token: worker });
      expect(r.status).toBe(200);
      expect(r.body.type).toBe('FeatureCollection');
      expect(r.body.features).toHaveLength(1);
      expect(r.body.features[0].geometry.type).toMatch(/Polygon/);
      const all = await t.call('GET', '/api/grids.geojson?level=street', { token: admin });
      expect(all.body.features).toHaveLength(14);
    });

    it('reports a seamless demo district', async () => {
      const r = await t.call('GET', '/api/grids/validation', { token: admin });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ok: true, overlaps: [], gaps: [], outside: [] });
    });

    it('reports no vacancies in the demo roster', async () => {
      const r = await t.call('GET', '/api/staff/vacancies', { token: admin });
      expect(r.status).toBe(200);
      expect(r.body.gridsChecked).toBe(1209);
      expect(r.body.communitiesChecked).toBe(347);
      expect(r.body.grids).toEqual([]);
      expect(r.body.mediationTeams).toEqual([]);
    });

    it('masks personal data in lists and audits a reveal', async () => {
      const community = await t.token('community');
      const list = await t.call('GET', '/api/staff?limit=200', { token: community });
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThan(5);
      expect(findUnmaskedPersonalData(list.body)).toEqual([]);
      const id = list.body.items[0].id;
      const rev = await t.call('POST', `/api/staff/${id}/reveal`, { token: community });
      expect(rev.status).toBe(200);
      expect(rev.body.phone).toMatch(/^1[3-9]\d{9}$/);
      const audit = await t.call('GET', `/api/audit?entityType=staff&entityId=${id}`, { token: admin });
      expect(audit.body.items.some((e: { action: string }) => e.action === 'staff.reveal')).toBe(true);
      const grid = await t.call('POST', `/api/staff/${id}/reveal`, { token: await t.token('worker') });
      expect(grid.status).toBe(403);
    });

    it('keeps one active holder per grid role across a replacement', async () => {
      const grid = '370112009001002';
      const workers = (await t.call('GET', `/api/staff?unit=${grid}&role=gridWorker`, { token: admin })).body
        .items;
      expect(workers).toHaveLength(1);
      expect((await t.call('POST', `/api/staff/${workers[0].id}/deactivate`, { token: admin })).status).toBe(
        200,
      );
      const first = await t.call('POST', '/api/staff', {
        token: admin,
        body: { unitCode: grid, role: 'gridWorker', name: '接任者' },
      });
      expect(first.status).toBe(201);
      const second = await t.call('POST', '/api/staff', {
        token: admin,
        body: { unitCode: grid, role: 'gridWorker', name: '多余者' },
      });
      expect(second.status).toBe(409);
    });

    it('keeps exactly one holder of each grid role', async () => {
      const me = (await t.call('GET', '/api/me', { token: await t.token('worker') })).body;
      const r = await t.call('POST', '/api/staff', {
        token: admin,
        body: { unitCode: me.unitCode, role: 'gridWorker', name: '王五', phone: '13912345678' },
      });
      expect(r.status).toBe(409);
      const v = await t.call('POST', '/api/staff', {
        token: admin,
        body: { unitCode: me.unitCode, role: 'volunteer', name: '赵六', phone: '13912345678' },
      });
      expect(v.status).toBe(201);
      expect(v.body.phone).toBe('139****5678');
    });
  });

  describe('import', () => {
    const grid = (code: string, parent: string, ring: number[][]) => ({
      type: 'Feature',
      properties: { code, name: `导入网格${code.slice(-3)}`, level: 'basicGrid', parent },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
    const ring = [
      [117.3, 36.4],
      [117.301, 36.4],
      [117.301, 36.401],
      [117.3, 36.4],
    ];

    it('refuses an invalid file as a whole, naming each feature and reason', async () => {
      const before = (await t.call('GET', '/api/stats', { token: admin })).body;
      const file = {
        type: 'FeatureCollection',
        features: [
          grid('370112001001499', '370112001001', ring),
          grid('37011200100149', '370112001001', ring),
          {
            type: 'Feature',
            properties: { code: '370112001001498', name: 'x', level: 'basicGrid', parent: '370112001001' },
            geometry: { type: 'Polygon', coordinates: [[[1, 2]]] },
          },
        ],
      };
      const r = await t.call('POST', '/api/units/import', { token: admin, body: file });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('IMPORT_INVALID');
      const features = new Set(r.body.error.details.issues.map((i: { feature: number }) => i.feature));
      expect(features).toEqual(new Set([1, 2]));
      const after = (await t.call('GET', '/api/stats', { token: admin })).body;
      expect(after).toEqual(before);
    });

    it('refuses to move an existing unit to another parent, naming the feature', async () => {
      const r = await t.call('POST', '/api/units/import', {
        token: admin,
        body: { type: 'FeatureCollection', features: [grid('370112001001001', '370112001002', ring)] },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.details.issues[0]).toMatchObject({ feature: 0 });
    });

    it('imports a valid file and the new grid can be found', async () => {
      const r = await t.call('POST', '/api/units/import', {
        token: admin,
        body: { type: 'FeatureCollection', features: [grid('370112001001499', '370112001001', ring)] },
      });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ inserted: 1, updated: 0 });
      const u = await t.call('GET', '/api/units/370112001001499', { token: admin });
      expect(u.status).toBe(200);
      expect(u.body.ancestors.map((a: { code: string }) => a.code)).toEqual([
        '370112',
        '370112001',
        '370112001001',
      ]);
      const forbidden = await t.call('POST', '/api/units/import', {
        token: await t.token('district'),
        body: { type: 'FeatureCollection', features: [] },
      });
      expect(forbidden.status).toBe(403);
    });
  });

  describe('several processes', () => {
    it('sees units imported by another process in its point lookup', async () => {
      const accounts =
        (await t.server.services.deps.store.repos.settings.get<
          Array<{ username: string; samplePoint: [number, number] }>
        >('demo.accounts')) ?? [];
      const [lng, lat] = accounts.find((a) => a.username === 'worker')!.samplePoint;
      const d = 0.0001;
      const before = await t.call('GET', `/api/locate?lng=${lng}&lat=${lat}`, { token: admin });
      expect(before.body.dedicatedGrids.map((g: { code: string }) => g.code)).not.toContain(
        '370112009001999',
      );
      // another process (here: a second set of services on the same database) imports a unit
      const other = buildServices(t.server.db);
      await other.governance.importUnits(
        SYSTEM_ACTOR,
        {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: {
                code: '370112009001999',
                name: '新建幼儿园',
                level: 'dedicatedGrid',
                kind: 'school',
                parent: '370112009001001',
              },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [lng - d, lat - d],
                    [lng + d, lat - d],
                    [lng + d, lat + d],
                    [lng - d, lat + d],
                    [lng - d, lat - d],
                  ],
                ],
              },
            },
          ],
        },
        { requestId: null },
      );
      // the server notices within its check interval (5 s)
      await new Promise((r) => setTimeout(r, 5_200));
      const after = await t.call('GET', `/api/locate?lng=${lng}&lat=${lat}`, { token: admin });
      expect(after.body.dedicatedGrids.map((g: { code: string }) => g.code)).toContain('370112009001999');
    });
  });

  describe('audit', () => {
    it('verifies the chain over every write made above', async () => {
      const r = await t.call('GET', '/api/audit/verify', { token: admin });
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(true);
      expect(r.body.count).toBeGreaterThan(5);
    });
  });
});
