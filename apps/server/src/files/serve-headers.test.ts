import { describe, expect, it } from 'vitest';
import { fileResponseHeaders, safeDownloadName } from './serve-headers.js';

describe('fileResponseHeaders', () => {
  it('sends images inline and PDFs as attachments, always with nosniff and a sandbox', () => {
    const image = fileResponseHeaders({
      mime: 'image/jpeg',
      size: 1234,
      downloadName: 'case-000123-photo-1',
    });
    expect(image).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': '1234',
      'content-disposition': 'inline; filename="case-000123-photo-1.jpg"',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    expect(image['content-security-policy']).toMatch(/sandbox/);
    const pdf = fileResponseHeaders({ mime: 'application/pdf', size: 1, downloadName: 'report.pdf' });
    expect(pdf['content-disposition']).toBe('attachment; filename="report.pdf"');
  });

  it('makes download names that cannot break the header or name another type', () => {
    expect(safeDownloadName('a"b\r\nSet-Cookie: x', 'image/png')).toBe('a-b-Set-Cookie-x.png');
    expect(safeDownloadName('../../evil.html', 'image/png')).toBe('evil.html.png');
    expect(safeDownloadName('照片', 'image/webp')).toBe('file.webp');
    expect(
      fileResponseHeaders({ mime: 'image/png', size: 1, downloadName: 'x.svg' })['content-disposition'],
    ).toBe('inline; filename="x.png"');
  });
});
