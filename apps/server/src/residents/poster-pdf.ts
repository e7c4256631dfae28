import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { darkRuns, qrMatrix } from './qr.js';

/**
 * Printable A4 posters (one page per grid) with the grid's QR code, written as PDF 1.7 without any
 * library.
 *
 * Chinese text without embedding a font: the text uses `STSong-Light`, one of the standard CJK
 * fonts of the Adobe-GB1 character collection, through the predefined CMap `UniGB-UCS2-H` (text is
 * UTF-16BE, one code unit per character). PDF viewers (Acrobat with its Asian font pack, pdf.js,
 * Preview, Chrome's PDFium, Foxit, poppler with poppler-data) substitute an installed Song/Ming
 * font, so a file stays a few KiB per page instead of carrying megabytes of glyphs, and there is no
 * font licence to redistribute. The cost: the exact glyph shapes depend on the viewer, characters
 * outside the Basic Multilingual Plane (rare Extension-B names) cannot be written and are replaced
 * by 〓, and a viewer without CJK fonts shows blanks. A ToUnicode map is included so text can be
 * searched and copied everywhere. The QR code is drawn as filled rectangles: vector, sharp at any
 * print size.
 */

export interface PosterGrid {
  code: string;
  name: string;
  communityName: string | null;
  streetName: string | null;
  /** The resident page the QR code opens. */
  url: string;
}

const A4: [number, number] = [595.28, 841.89];
const FONT = '/F1';

/**
 * UTF-16BE hex of a text. Characters outside the BMP become 〓 (U+3013); the middle dot 间隔号
 * U+00B7 becomes U+30FB, which Adobe-GB1 maps to its full-width dot (substitute fonts often lack
 * the glyph UniGB-UCS2-H gives U+00B7).
 */
function utf16Hex(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0x3013;
    const code = cp > 0xffff ? 0x3013 : cp === 0xb7 ? 0x30fb : cp;
    out += code.toString(16).padStart(4, '0');
  }
  return out.toUpperCase();
}

/** Advance width of a text in font units of 1/1000 em: ASCII half width (/W below), the rest full. */
function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += /[\x20-\x7e]/.test(ch) ? 500 : 1000;
  return (units / 1000) * size;
}

/** A number as PDF writes it: at most two decimals, no exponent. */
const num = (x: number): string => String(Math.round(x * 100) / 100);

/** A line of text centred on the page at baseline y. */
function centred(text: string, size: number, y: number): string {
  const x = (A4[0] - textWidth(text, size)) / 2;
  return `BT ${FONT} ${num(size)} Tf ${num(x)} ${num(y)} Td <${utf16Hex(text)}> Tj ET`;
}

/** A line of text starting at x. */
function line(text: string, size: number, x: number, y: number): string {
  return `BT ${FONT} ${num(size)} Tf ${num(x)} ${num(y)} Td <${utf16Hex(text)}> Tj ET`;
}

/** The QR code of a URL as filled rectangles in a square (quiet zone of 4 modules inside it). */
function qrDrawing(url: string, x: number, y: number, side: number): string {
  const m = qrMatrix(url);
  const modules = m.length + 8;
  const unit = side / modules;
  const top = y + side;
  const rects = darkRuns(m).map(
    ([r, c, w]) => `${num(x + (c + 4) * unit)} ${num(top - (r + 5) * unit)} ${num(w * unit)} ${num(unit)} re`,
  );
  // the white square first (the quiet zone stays white on a coloured page), then the dark runs
  return ['q 1 g', `${num(x)} ${num(y)} ${num(side)} ${num(side)} re`, 'f 0 g', ...rects, 'f Q'].join('\n');
}

/** The drawing of one poster page (A4 portrait, points from the bottom left). */
function pageContent(g: PosterGrid): string {
  const [w, h] = A4;
  const place = [g.streetName, g.communityName].filter(Boolean).join('·');
  const qrSide = 320;
  const qrY = 272;
  const ops = [
    // title band and frame in 中国红
    `q 0.75 0.11 0.11 rg 36 ${num(h - 150)} ${num(w - 72)} 114 re f Q`,
    `q 0.75 0.11 0.11 RG 2 w 36 36 ${num(w - 72)} ${num(h - 72)} re S Q`,
    'q 1 g',
    centred('扫码反映问题·一群通办', 32, h - 97),
    centred('网格事·马上办', 15, h - 128),
    'Q',
    centred(g.name, 26, h - 196),
    ...(place ? [centred(place, 15, h - 224)] : []),
    qrDrawing(g.url, (w - qrSide) / 2, qrY, qrSide),
    centred(`网格编码 ${g.code}`, 13, qrY - 20),
    line('1. 用微信或手机浏览器扫描上方二维码；', 13, 96, 212),
    line('2. 写下问题，可拍照、定位，凭手机验证码提交；', 13, 96, 190),
    line('3. 提交后获得查询码，随时查看办理进度，办结后请评价。', 13, 96, 168),
    line('也可在本网格群内 @网格员 或以“#报事”开头发送消息。', 13, 96, 136),
    centred(g.url, 10, 60),
  ];
  return ops.join('\n');
}

/** The ToUnicode CMap: every UCS-2 code is its own Unicode value (what UniGB-UCS2-H promises). */
function toUnicodeCMap(): string {
  const ranges: string[] = [];
  for (let hi = 0; hi < 256; hi++) {
    if (hi >= 0xd8 && hi <= 0xdf) continue; // surrogates are never written
    const h = hi.toString(16).padStart(2, '0').toUpperCase();
    ranges.push(`<${h}00> <${h}FF> <${h}00>`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const chunk = ranges.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfrange\n${chunk.join('\n')}\nendbfrange`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/** A PDF date: D:YYYYMMDDHHmmSSZ. */
function pdfDate(d: Date): string {
  return `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** Serialises objects (numbered from 1) with a cross-reference table; object bodies are bytes. */
function writePdf(objects: Buffer[], rootRef: number, infoRef: number): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const id = createHash('md5').update(Buffer.concat(parts)).digest('hex');
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root ${rootRef} 0 R /Info ${infoRef} 0 R /ID [<${id}> <${id}>] >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

/** A stream object, compressed. */
function stream(content: string, extra = ''): Buffer {
  const data = deflateSync(Buffer.from(content, 'latin1'));
  return Buffer.concat([
    Buffer.from(`<< /Length ${data.length} /Filter /FlateDecode${extra} >>\nstream\n`),
    data,
    Buffer.from('\nendstream'),
  ]);
}

/**
 * The posters of grids as one PDF, one A4 page per grid, in the order given. `createdAt` is the
 * document's creation date (the clock's, so the same input gives the same bytes).
 */
export function posterPdf(grids: readonly PosterGrid[], opts: { title: string; createdAt: Date }): Buffer {
  if (grids.length === 0) throw new RangeError('a poster file needs at least one grid');
  // 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 ToUnicode, 7 info, then page + content pairs
  const kids = grids.map((_, i) => `${8 + 2 * i} 0 R`).join(' ');
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>'),
    Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${grids.length} >>`),
    Buffer.from(
      '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H ' +
        '/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>',
    ),
    Buffer.from(
      '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light ' +
        '/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> ' +
        '/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>',
    ),
    Buffer.from(
      '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] ' +
        '/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
    ),
    stream(toUnicodeCMap()),
    Buffer.from(
      `<< /Title <FEFF${utf16Hex(opts.title)}> /Producer (civicgrid) /CreationDate (${pdfDate(opts.createdAt)}) >>`,
    ),
  ];
  grids.forEach((g, i) => {
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4[0]} ${A4[1]}] ` +
          `/Resources << /Font << ${FONT} 3 0 R >> >> /Contents ${9 + 2 * i} 0 R >>`,
      ),
      stream(pageContent(g)),
    );
  });
  return writePdf(objects, 1, 7);
}
