import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeQr, matrixFromSvg } from '../../test/support/qr-decode.js';
import { QR_QUIET_ZONE, gridQrPng, gridQrSvg, qrMatrix, residentPageUrl } from './qr.js';

const URL_OF_GRID = residentPageUrl('https://grid.licheng.gov.cn', '370112009001001');

/** Strips the quiet zone after checking it is white all round. */
function withoutQuietZone(modules: boolean[][]): boolean[][] {
  const n = modules.length;
  const q = QR_QUIET_ZONE;
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (r < q || c < q || r >= n - q || c >= n - q) expect(dark, `quiet zone at ${r},${c}`).toBe(false);
    }),
  );
  return modules.slice(q, n - q).map((row) => row.slice(q, n - q));
}

describe('grid QR codes', () => {
  it('builds the resident page URL of a grid', () => {
    expect(URL_OF_GRID).toBe('https://grid.licheng.gov.cn/r/370112009001001');
    expect(residentPageUrl('http://127.0.0.1:8080/', '370112009001001')).toBe(
      'http://127.0.0.1:8080/r/370112009001001',
    );
  });

  it('SVG: the modules read back from the SVG decode to the grid’s URL, with a 4-module quiet zone', () => {
    const svg = gridQrSvg(URL_OF_GRID);
    const { size, modules } = matrixFromSvg(svg);
    const symbol = withoutQuietZone(modules);
    expect(size).toBe(symbol.length + 2 * QR_QUIET_ZONE);
    expect((symbol.length - 17) % 4).toBe(0);
    const decoded = decodeQr(symbol);
    expect(decoded.text).toBe(URL_OF_GRID);
    expect(decoded.level).toBe('Q');
    expect(symbol.length).toBe(17 + 4 * decoded.version);
    // the finder pattern of the top-left corner is where a scanner looks for it
    expect(symbol[0]!.slice(0, 7)).toEqual(new Array(7).fill(true));
    expect(symbol[1]!.slice(0, 7)).toEqual([true, false, false, false, false, false, true]);
  });

  it('decodes each grid to its own URL, and refuses text the generator would garble', () => {
    for (const code of ['370112001001001', '370112014020007']) {
      const url = residentPageUrl('https://example.gov.cn', code);
      const { modules } = matrixFromSvg(gridQrSvg(url));
      expect(decodeQr(withoutQuietZone(modules)).text).toBe(url);
    }
    expect(() => qrMatrix('https://例子.中国/r/1')).toThrow(/ASCII/);
  });

  it('the reader is strict: one flipped data module and the symbol no longer reads', () => {
    const m = qrMatrix(URL_OF_GRID).map((row) => [...row]);
    const n = m.length;
    m[n - 1]![n - 1] = !m[n - 1]![n - 1]; // the first data bit read
    expect(() => decodeQr(m)).toThrow(/found 0/);
  });

  it('PNG: rendered by sharp at the size asked, with the same modules as the SVG', async () => {
    const png = await gridQrPng(URL_OF_GRID, 512);
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([512, 512]);
    const m = qrMatrix(URL_OF_GRID);
    const modules = m.length + 2 * QR_QUIET_ZONE;
    const per = Math.floor(512 / modules);
    const offset = Math.floor((512 - modules * per) / 2);
    // sample every module's centre
    const read = Array.from({ length: modules }, (_, r) =>
      Array.from({ length: modules }, (_, c) => {
        const x = offset + c * per + Math.floor(per / 2);
        const y = offset + r * per + Math.floor(per / 2);
        return data[(y * info.width + x) * info.channels]! < 128;
      }),
    );
    const symbol = withoutQuietZone(read);
    expect(symbol).toEqual(m);
    expect(decodeQr(symbol).text).toBe(URL_OF_GRID);
    // the margin outside the drawn square is white too
    expect(data[0]).toBeGreaterThan(200);
  });
});
