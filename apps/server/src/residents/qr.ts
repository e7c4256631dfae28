import qrcode from 'qrcode-generator';
import sharp from 'sharp';

/**
 * QR codes of the grids' resident pages (/r/{gridCode}). Error correction level Q (25 % of the
 * symbol may be lost): posters hang outdoors, get dirty and torn. A quiet zone of four modules,
 * as the standard asks, is part of every image.
 */

/** Modules of white around the symbol. */
export const QR_QUIET_ZONE = 4;
const LEVEL = 'Q';

/** The dark modules of the QR symbol of a text, row by row (no quiet zone). */
export function qrMatrix(text: string): boolean[][] {
  // the library writes characters as single bytes: only ASCII survives; URLs are ASCII once normalised
  if (!/^[\x20-\x7e]+$/.test(text))
    throw new RangeError('QR text must be printable ASCII (use new URL().href)');
  const qr = qrcode(0, LEVEL);
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** The resident page of a grid under the deployment's public address. */
export function residentPageUrl(publicUrl: string, gridCode: string): string {
  return new URL(`/r/${encodeURIComponent(gridCode)}`, publicUrl).href;
}

/** The public tracking page of a code (built with the web app, like /r/{gridCode}). */
export function trackPageUrl(publicUrl: string, trackingCode: string): string {
  return new URL(`/t/${encodeURIComponent(trackingCode)}`, publicUrl).href;
}

/** Horizontal runs of dark modules: [row, first column, length], for compact drawing. */
export function darkRuns(matrix: readonly (readonly boolean[])[]): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  matrix.forEach((row, r) => {
    let start = -1;
    for (let c = 0; c <= row.length; c++) {
      const dark = c < row.length && row[c] === true;
      if (dark && start < 0) start = c;
      if (!dark && start >= 0) {
        runs.push([r, start, c - start]);
        start = -1;
      }
    }
  });
  return runs;
}

/**
 * The QR code of a URL as SVG: one path in module units (viewBox includes the quiet zone), crisp
 * edges, a white background so it also works on coloured pages. `pixels` sets width and height.
 */
export function gridQrSvg(url: string, pixels?: number): string {
  const m = qrMatrix(url);
  const size = m.length + 2 * QR_QUIET_ZONE;
  const px = pixels ?? size * 8;
  const d = darkRuns(m)
    .map(([r, c, w]) => `M${c + QR_QUIET_ZONE} ${r + QR_QUIET_ZONE}h${w}v1h-${w}z`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${size} ${size}" ` +
    `shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/>` +
    `<path d="${d}" fill="#000"/></svg>`
  );
}

/**
 * The QR code of a URL as a PNG of `size` × `size` pixels: the SVG rendered by sharp at a whole
 * number of pixels per module (sharp edges a camera reads best), centred on white.
 */
export async function gridQrPng(url: string, size: number): Promise<Buffer> {
  const modules = qrMatrix(url).length + 2 * QR_QUIET_ZONE;
  const perModule = Math.max(1, Math.floor(size / modules));
  const drawn = modules * perModule;
  const pad = Math.max(0, size - drawn);
  const image = sharp(Buffer.from(gridQrSvg(url, drawn)))
    .flatten({ background: '#ffffff' })
    .extend({
      top: Math.floor(pad / 2),
      bottom: Math.ceil(pad / 2),
      left: Math.floor(pad / 2),
      right: Math.ceil(pad / 2),
      background: '#ffffff',
    })
    .greyscale();
  return image.png({ compressionLevel: 9, palette: true, colours: 2 }).toBuffer();
}
