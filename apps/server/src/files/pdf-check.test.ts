import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPdf } from './pdf-check.js';

const pdf = (...parts: Array<string | Buffer>): Buffer =>
  Buffer.concat([
    Buffer.from('%PDF-1.7\n'),
    ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)),
  ]);

const stream = (dict: string, data: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from(`5 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`),
    data,
    Buffer.from('\nendstream\nendobj\n'),
  ]);

describe('checkPdf (a conservative filter, not a sanitiser)', () => {
  it('accepts a plain PDF', () => {
    expect(checkPdf(pdf('1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n'))).toEqual({ ok: true });
  });

  it('refuses what does not start with %PDF-', () => {
    expect(checkPdf(Buffer.from(' %PDF-1.7\n'))).toMatchObject({ ok: false, reason: /no %PDF- header/ });
  });

  it.each([
    ['/JavaScript', '<< /S /JavaScript >>', /JavaScript/],
    ['/JS', '<< /JS (app.alert(1)) >>', /JavaScript/],
    ['/JS before a name', '<</JS/x>>', /JavaScript/],
    ['/Launch', '<< /S /Launch /F (cmd.exe) >>', /launch/],
    ['/EmbeddedFile', '<< /Type /EmbeddedFile >>', /embedded files/],
    ['/EmbeddedFiles', '<< /Names << /EmbeddedFiles 3 0 R >> >>', /embedded files/],
    ['a #-escaped name', '<< /S /J#61vaScript >>', /JavaScript/],
  ])('refuses %s', (_name, body, reason) => {
    expect(checkPdf(pdf(`1 0 obj ${body} endobj\n`))).toMatchObject({ ok: false, reason });
  });

  it('does not mistake other names for the forbidden ones', () => {
    expect(checkPdf(pdf('1 0 obj << /JSONData 1 /Launcher 2 /JavaScripts_off 3 >> endobj\n'))).toEqual({
      ok: true,
    });
  });

  it('looks inside Flate-compressed object streams', () => {
    const hidden = deflateSync(Buffer.from('<< /S /JavaScript /JS (app.alert(1)) >>'));
    expect(checkPdf(pdf(stream('/Type /ObjStm /Filter /FlateDecode', hidden)))).toMatchObject({
      ok: false,
      reason: /JavaScript/,
    });
    const clean = deflateSync(Buffer.from('<< /Type /Page >>'));
    expect(checkPdf(pdf(stream('/Type /ObjStm /Filter /FlateDecode', clean)))).toEqual({ ok: true });
  });

  it('looks inside unfiltered streams', () => {
    expect(checkPdf(pdf(stream('/Type /ObjStm', Buffer.from('<< /Launch 1 >>'))))).toMatchObject({
      ok: false,
    });
  });

  it('does not read pixels of JPEG streams as PDF syntax', () => {
    const pixels = Buffer.concat([randomBytes(64), Buffer.from('/JS '), randomBytes(64)]);
    expect(checkPdf(pdf(stream('/Type /XObject /Subtype /Image /Filter /DCTDecode', pixels)))).toEqual({
      ok: true,
    });
    // the same bytes in a stream that does not say it is an image are checked
    expect(checkPdf(pdf(stream('/Type /XObject', pixels)))).toMatchObject({ ok: false });
  });

  it('refuses streams that inflate to too much to check (zip bomb)', () => {
    const bomb = deflateSync(Buffer.alloc(70 * 1024 * 1024));
    expect(checkPdf(pdf(stream('/Filter /FlateDecode', bomb)))).toMatchObject({
      ok: false,
      reason: /too much/,
    });
  });
});
