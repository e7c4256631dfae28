/**
 * Photos and files through the real API on both databases: type checked by content, images
 * re-encoded without EXIF/GPS, stored outside the web root, linked to reports and actions, served
 * with nosniff only to those who may see the case.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/databases.js';
import { startTestServer } from './support/server.js';
import type { TestServer } from './support/server.js';

/** A real JPEG carrying EXIF with a camera serial and GPS position. */
async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 60, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'SERIAL-7788' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '36/1 40/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '117/1 3/1 0/1',
      },
    })
    .toBuffer();
}

describeEachDb('attachments', (kind) => {
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

  it('re-encodes a photo without its EXIF and GPS, links it to a report, and serves it with nosniff', async () => {
    const original = await photoWithGps();
    expect(original.includes(Buffer.from('SERIAL-7788'))).toBe(true);
    const worker = await t.token('worker');
    const up = await t.upload('/api/attachments', worker, {
      bytes: original,
      name: '现场.jpg',
      type: 'image/jpeg',
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 64, height: 48, caseId: null });
    const r = await t.call('POST', '/api/reports', {
      token: worker,
      body: {
        channel: 'grid',
        text: '路面塌陷，附现场照片',
        location: { lng: point[0], lat: point[1] },
        photos: [up.body.id],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = await t.call('GET', `/api/cases/${r.body.caseId}`, { token: await t.token('community') });
    expect(c.body.attachments.map((a: { id: string }) => a.id)).toEqual([up.body.id]);
    const res = await fetch(`${t.url}/api/attachments/${up.body.id}`, {
      headers: { authorization: `Bearer ${await t.token('community')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const served = Buffer.from(await res.arrayBuffer());
    expect(served.includes(Buffer.from('SERIAL-7788'))).toBe(false);
    expect(served.includes(Buffer.from('Exif'))).toBe(false);
    const meta = await sharp(served).metadata();
    expect(meta.exif).toBeUndefined();
    const thumb = await fetch(`${t.url}/api/attachments/${up.body.id}/thumbnail`, {
      headers: { authorization: `Bearer ${worker}` },
    });
    expect(thumb.status).toBe(200);
    // a department never involved and another street's operator do not see it
    const dept = await t.call('GET', `/api/attachments/${up.body.id}`, {
      token: await t.token('dept.urban'),
    });
    expect(dept.status).toBe(404);
    // nor may another user put someone else's upload into their report
    const stolen = await t.call('POST', '/api/reports', {
      token: await t.token('leader.grid'),
      body: {
        channel: 'grid',
        text: '借用照片',
        location: { lng: point[0], lat: point[1] },
        photos: [up.body.id],
      },
    });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.details.issues[0].path).toBe('body.photos.0');
  });

  it('refuses what is not an image or PDF by its content, whatever its name says', async () => {
    const token = await t.token('worker');
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const r = await t.upload('/api/attachments', token, {
      bytes: html,
      name: 'photo.jpg',
      type: 'image/jpeg',
    });
    expect(r.status).toBe(422);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(
      (await t.upload('/api/attachments', token, { bytes: svg, name: 'a.svg', type: 'image/svg+xml' }))
        .status,
    ).toBe(422);
    const json = await t.call('POST', '/api/attachments', { token, body: { file: 'x' } });
    expect(json.status).toBe(415);
    const wrongField = await t.upload('/api/attachments', token, {
      bytes: await photoWithGps(),
      name: 'a.jpg',
      type: 'image/jpeg',
      field: 'photo',
    });
    expect(wrongField.status).toBe(400);
    const anonymous = await fetch(`${t.url}/api/attachments`, { method: 'POST', body: new FormData() });
    expect(anonymous.status).toBe(401);
  });

  it('links photos named in an action (feedback) and in an upload to a visible case', async () => {
    const worker = await t.token('worker');
    const r = await t.call('POST', '/api/reports', {
      token: worker,
      body: {
        channel: 'grid',
        text: '当场处置：清理堆物',
        location: { lng: point[0], lat: point[1] },
        resolvedOnSpot: { result: '已清理' },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const direct = await t.upload(`/api/attachments?caseId=${r.body.caseId}`, worker, {
      bytes: await photoWithGps(),
      name: 'after.jpg',
      type: 'image/jpeg',
    });
    expect(direct.status).toBe(201);
    expect(direct.body.caseId).toBe(r.body.caseId);
    const foreign = await t.upload(`/api/attachments?caseId=${r.body.caseId}`, await t.token('dept.urban'), {
      bytes: await photoWithGps(),
      name: 'x.jpg',
      type: 'image/jpeg',
    });
    expect(foreign.status).toBe(404);
    const unknown = await t.call('POST', `/api/cases/${r.body.caseId}/actions/verify`, {
      token: await t.token('community'),
      body: { passed: false, comment: '照片不清' },
    });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(200);
    const photo = await t.upload('/api/attachments', worker, {
      bytes: await photoWithGps(),
      name: 'b.jpg',
      type: 'image/jpeg',
    });
    const bad = await t.call('POST', `/api/cases/${r.body.caseId}/actions/feedback`, {
      token: worker,
      body: { result: '重新清理', photos: ['no-such-photo'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('payload.photos.0');
    const ok = await t.call('POST', `/api/cases/${r.body.caseId}/actions/feedback`, {
      token: worker,
      body: { result: '重新清理，附照片', photos: [photo.body.id] },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.attachments.map((a: { id: string }) => a.id).sort()).toEqual(
      [direct.body.id, photo.body.id].sort(),
    );
  });
});
