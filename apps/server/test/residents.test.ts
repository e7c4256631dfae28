/**
 * The resident line through the real API on both databases: grid QR codes and posters, SMS login
 * (codes captured by a local stand-in for the SMS gateway), a report with its tracking code,
 * public progress, the rating once staff closed the case, the IM adapter with signed messages and
 * replies (captured by a local stand-in for the IM bridge), and the rate limits.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findUnmaskedPersonalData, fixedClock } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import { decodeQr, matrixFromSvg } from './support/qr-decode.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { signImBody, verifyImSignature } from '../src/residents/im-adapter.js';

const START = new Date('2026-12-01T01:00:00Z'); // Tuesday 09:00 in Jinan
const SECRET = 'a-shared-secret-of-32-characters';
const PUBLIC_URL = 'https://grid.example.gov.cn';
const PHONE = '13812345678';

/** A local stand-in for the SMS gateway and the IM bridge: records what it is sent. */
async function startCapture() {
  const got: Array<{ path: string; headers: Record<string, unknown>; raw: string; body: any }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw || 'null') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    got,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachDb('resident line API', (kind) => {
  const clock = fixedClock(START);
  let t: TestServer;
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let grid: string;
  let community: string;
  let workerId: string;
  let residentToken: string;
  let trackingCode: string;
  let caseId: string;

  const lastCodeFor = (phone: string) =>
    [...capture.got].reverse().find((g) => g.path === '/sms' && g.body.phone === phone)?.body.params
      .code as string;
  const signed = (body: unknown) => {
    const raw = JSON.stringify(body);
    return { body: raw, headers: { 'x-civicgrid-im-signature': signImBody(SECRET, raw) } };
  };

  beforeAll(async () => {
    capture = await startCapture();
    t = await startTestServer(
      kind,
      {
        CIVICGRID_PUBLIC_URL: PUBLIC_URL,
        CIVICGRID_SMS_PROVIDER: 'http',
        CIVICGRID_SMS_HTTP_URL: `${capture.url}/sms`,
        CIVICGRID_SMS_HTTP_API_KEY: 'test-key-123456',
        CIVICGRID_IM_SECRET: SECRET,
        CIVICGRID_IM_REPLY_PROVIDER: 'http',
        CIVICGRID_IM_REPLY_URL: `${capture.url}/replies`,
        CIVICGRID_OTP_RATE_PER_HOUR: '6',
      },
      { clock },
    );
    const me = (await t.call('GET', '/api/me', { token: await t.token('worker') })).body;
    grid = me.unitCode;
    community = grid.slice(0, 12);
    workerId = me.id;
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    await capture?.close();
  });

  it('serves each grid’s QR code as SVG and PNG, pointing at its resident page', async () => {
    const svg = await t.call('GET', `/api/grids/${grid}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const { modules } = matrixFromSvg(svg.body as string);
    const symbol = modules.slice(4, -4).map((row) => row.slice(4, -4));
    expect(decodeQr(symbol).text).toBe(`${PUBLIC_URL}/r/${grid}`);
    const res = await fetch(`${t.url}/api/grids/${grid}/qr.png?size=300`);
    expect(res.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([300, 300]);
    expect((await t.call('GET', `/api/grids/370112999999999/qr.svg`)).status).toBe(404);
    expect((await t.call('GET', `/api/grids/${community}/qr.svg`)).status).toBe(400);
    const info = await t.call('GET', `/api/resident/grids/${grid}`);
    expect(info.body).toMatchObject({ code: grid, community: { code: community } });
  });

  it('prints a community’s posters, one page per grid, within the caller’s scope', async () => {
    const units = await t.call('GET', `/api/units?parent=${community}&level=basicGrid&limit=500`, {
      token: await t.token('community'),
    });
    const res = await fetch(`${t.url}/api/posters.pdf?community=${community}`, {
      headers: { authorization: `Bearer ${await t.token('community')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf.match(/\/Type \/Page\b(?!s)/g)).toHaveLength(units.body.items.length);
    const sibling = units.body.items.map((u: { code: string }) => u.code).find((c: string) => c !== grid);
    const worker = await t.token('worker');
    expect((await t.call('GET', `/api/posters.pdf?grid=${grid}`, { token: worker })).status).toBe(200);
    expect((await t.call('GET', `/api/posters.pdf?grid=${sibling}`, { token: worker })).status).toBe(404);
    expect(
      (await t.call('GET', `/api/posters.pdf?grid=${grid}&community=${community}`, { token: worker })).status,
    ).toBe(400);
  });

  it('logs a resident in with a code sent by SMS, counting wrong codes', async () => {
    const sent = await t.call('POST', '/api/resident/code', { body: { phone: PHONE } });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ sentTo: '138****5678', expiresInSeconds: 300, resendAfterSeconds: 60 });
    const sms = capture.got.find((g) => g.path === '/sms')!;
    expect(sms.headers.authorization).toBe('Bearer test-key-123456');
    expect(sms.body.text).toContain(sms.body.params.code);
    const again = await t.call('POST', '/api/resident/code', { body: { phone: PHONE } });
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('60');
    const code = lastCodeFor(PHONE);
    const wrong = await t.call('POST', '/api/resident/login', {
      body: { phone: PHONE, code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details).toEqual({ attemptsLeft: 4 });
    const ok = await t.call('POST', '/api/resident/login', { body: { phone: PHONE, code } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ isNew: true, user: { role: 'resident', phone: '138****5678' } });
    expect(ok.headers.get('set-cookie')).toMatch(/^__Host-civicgrid=/);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    residentToken = ok.body.token;
    const me = await t.call('GET', '/api/me', { token: residentToken });
    expect(me.body).toMatchObject({ role: 'resident', scope: 'none' });
  });

  it('takes a report through the grid and answers a tracking code, once per Idempotency-Key', async () => {
    const body = { gridCode: grid, text: '楼下垃圾堆了三天没人清运' };
    const headers = { 'idempotency-key': 'resident-report-0001' };
    const r = await t.call('POST', '/api/resident/reports', { token: residentToken, body, headers });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ gridCode: grid, status: 'reported', statusLabel: '已接收，等待受理' });
    trackingCode = r.body.trackingCode;
    const replay = await t.call('POST', '/api/resident/reports', { token: residentToken, body, headers });
    expect(replay.status).toBe(201);
    expect(replay.body.trackingCode).toBe(trackingCode);
    const mine = await t.call('GET', '/api/resident/reports', { token: residentToken });
    expect(mine.body.items.map((i: { trackingCode: string }) => i.trackingCode)).toEqual([trackingCode]);
    const staff = await t.call('POST', '/api/resident/reports', { token: await t.token('community'), body });
    expect(staff.status).toBe(403);
    const cases = await t.call('GET', '/api/cases?queue=open', { token: residentToken });
    caseId = cases.body.items.find((c: { number: string }) => c.number === r.body.caseNumber).id;
  });

  it('shows progress publicly by tracking code, without staff or personal data', async () => {
    const ctx = async (user: string, action: string, body: unknown) => {
      const token = await t.token(user);
      const cur = await t.call('GET', `/api/cases/${caseId}`, { token });
      const r = await t.call('POST', `/api/cases/${caseId}/actions/${action}`, {
        token,
        body,
        headers: { 'if-match': String(cur.body.version) },
      });
      expect(r.status, `${user} ${action} ${JSON.stringify(r.body?.error ?? '')}`).toBe(200);
    };
    const early = await t.call('POST', `/api/track/${trackingCode}/rating`, {
      token: residentToken,
      body: { satisfaction: 'satisfied' },
    });
    expect(early.status).toBe(409);
    await ctx('community', 'register', {});
    await ctx('community', 'dispatch', { target: { kind: 'user', userId: workerId } });
    await ctx('worker', 'accept', {});
    await ctx('worker', 'feedback', { result: '已协调环卫清运' });
    await ctx('community', 'verify', { passed: true });
    await ctx('community', 'close', {});
    const view = await t.call('GET', `/api/track/${trackingCode.toLowerCase()}`);
    expect(view.status).toBe(200);
    expect(view.body.statusLabel).toBe('已办结');
    expect(view.body.milestones.map((m: { milestone: string }) => m.milestone)).toEqual([
      'received',
      'registered',
      'dispatched',
      'handled',
      'closed',
    ]);
    expect(findUnmaskedPersonalData(view.body)).toEqual([]);
    expect(JSON.stringify(view.body)).not.toContain(workerId);
    expect(JSON.stringify(view.body)).not.toContain('已协调环卫清运');
    expect((await t.call('GET', '/api/track/AAAAAAAAAA')).status).toBe(404);
  });

  it('lets the reporter rate the closed case once; others cannot', async () => {
    const rated = await t.call('POST', `/api/track/${trackingCode}/rating`, {
      token: residentToken,
      body: { satisfaction: 'satisfied', comment: '很及时' },
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect(rated.body).toMatchObject({ canRate: false, rating: { satisfaction: 'satisfied' } });
    const twice = await t.call('POST', `/api/track/${trackingCode}/rating`, {
      token: residentToken,
      body: { satisfaction: 'satisfied' },
    });
    expect(twice.status).toBe(409);
    const staff = await t.call('POST', `/api/track/${trackingCode}/rating`, {
      token: await t.token('community'),
      body: { satisfaction: 'dissatisfied' },
    });
    expect(staff.status).toBe(403);
    const c = await t.call('GET', `/api/cases/${caseId}`, { token: await t.token('community') });
    expect(c.body.timeline.at(-1)).toMatchObject({
      action: 'revisit',
      payload: { satisfaction: 'satisfied' },
    });
  });

  it('IM: refuses unsigned messages, ignores unmapped groups, reports once and replies signed', async () => {
    const msg = {
      platform: 'wecom',
      groupId: 'grp-1',
      messageId: 'msg-1',
      sender: { id: 'wx-7', name: '李四' },
      text: '#报事 小区东门路灯不亮',
      sentAt: START.toISOString(),
    };
    expect((await t.call('POST', '/api/im/messages', { body: msg })).status).toBe(401);
    const bad = await t.call('POST', '/api/im/messages', {
      body: JSON.stringify(msg),
      headers: {
        'x-civicgrid-im-signature': signImBody('wrong-secret-of-32-characters!!', JSON.stringify(msg)),
      },
    });
    expect(bad.status).toBe(401);
    expect((await t.call('POST', '/api/im/messages', signed(msg))).body).toEqual({
      status: 'ignored',
      ignored: 'group not mapped to a grid',
    });
    const save = { platform: 'wecom', groupId: 'grp-1', gridCode: grid };
    expect(
      (await t.call('POST', '/api/im/groups', { token: await t.token('community'), body: save })).status,
    ).toBe(403);
    const saved = await t.call('POST', '/api/im/groups', { token: await t.token('admin'), body: save });
    expect(saved.status).toBe(200);
    const listed = await t.call('GET', '/api/im/groups', { token: await t.token('community') });
    expect(listed.body.items.map((g: { groupId: string }) => g.groupId)).toEqual(['grp-1']);
    const other = await t.call('GET', '/api/im/groups', { token: await t.token('leader.street') });
    expect(other.status).toBe(200);

    const first = await t.call('POST', '/api/im/messages', signed(msg));
    expect(first.body).toMatchObject({ status: 'reported', replied: true });
    const replies = capture.got.filter((g) => g.path === '/replies');
    expect(replies).toHaveLength(1);
    expect(
      verifyImSignature(
        SECRET,
        replies[0]!.headers['x-civicgrid-im-signature'] as string,
        Buffer.from(replies[0]!.raw),
      ),
    ).toBe(true);
    expect(replies[0]!.body).toMatchObject({
      groupId: 'grp-1',
      inReplyTo: 'msg-1',
      trackingCode: first.body.trackingCode,
    });
    expect(replies[0]!.body.text).toContain(`${PUBLIC_URL}/t/${first.body.trackingCode}`);
    const again = await t.call('POST', '/api/im/messages', signed(msg));
    expect(again.body).toEqual({ status: 'duplicate', trackingCode: first.body.trackingCode });
    expect(capture.got.filter((g) => g.path === '/replies')).toHaveLength(1);
    const chat = await t.call(
      'POST',
      '/api/im/messages',
      signed({ ...msg, messageId: 'msg-2', text: '收到' }),
    );
    expect(chat.body).toEqual({ status: 'ignored', ignored: 'not addressed to the grid' });
  });

  it('limits code requests per address', async () => {
    // 6 an hour per address: one was sent above, one refused by the number's own throttle
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await t.call('POST', '/api/resident/code', { body: { phone: `1370000000${i}` } });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
    expect(statuses.at(-1)).toBe(429);
  });
});
