import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as nodeCrc32, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml } from './xml-text.js';
import { excelSerialCst, writeXlsx, type XlsxSheet } from './xlsx.js';

// --- a minimal reader, written from the ZIP and XML specs rather than from the writer -------------

/** Reads every entry via the central directory, checking sizes, local headers and CRC-32. */
function unzip(buf: Buffer): Map<string, string> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBe(buf.length - 22); // no archive comment
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  let p = buf.readUInt32LE(eocd + 16);
  expect(p + cdSize).toBe(eocd);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const packedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    expect(buf.readUInt32LE(local + 14)).toBe(crc);
    expect(buf.toString('utf8', local + 30, local + 30 + buf.readUInt16LE(local + 26))).toBe(name);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const packed = buf.subarray(start, start + packedSize);
    const data = method === 8 ? inflateRawSync(packed) : packed;
    expect(data.length).toBe(size);
    expect(nodeCrc32(data) >>> 0).toBe(crc);
    files.set(name, data.toString('utf8'));
    p += 46 + skip;
  }
  return files;
}

/** What an XML 1.0 parser reports for escaped text: line ends folded, then references resolved. */
function readXmlText(raw: string, inAttribute = false): string {
  let text = raw.replace(/\r\n?/g, '\n');
  if (inAttribute) text = text.replace(/[\t\n]/g, ' ');
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, ref: string) =>
    ref.startsWith('#x') || ref.startsWith('#X')
      ? String.fromCodePoint(parseInt(ref.slice(2), 16))
      : ref.startsWith('#')
        ? String.fromCodePoint(parseInt(ref.slice(1), 10))
        : (named[ref] ?? `&${ref};`),
  );
}

/** Checks the tag structure balances and that text and attributes hold no raw `<` or bare `&`. */
function expectWellFormed(xml: string): void {
  expect(isXmlChars(xml)).toBe(true);
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const bareAmp = /&(?!(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);)/i;
  const stack: string[] = [];
  let roots = 0;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const [, closing, tag, attrs, selfClosing, text] = m;
    if (text !== undefined) expect(bareAmp.test(text) || stack.length === 0).toBe(false);
    else if (closing) expect(stack.pop()).toBe(tag);
    else {
      expect(bareAmp.test(attrs ?? '')).toBe(false);
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(tag ?? '');
    }
    if (token.lastIndex === body.length) break;
  }
  expect(token.lastIndex).toBe(body.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

/** The XML 1.0 Char production, code point by code point. */
function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 9 ||
    cp === 10 ||
    cp === 13 ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000
  );
}
const isXmlChars = (s: string): boolean => [...s].every((ch) => isXmlCodePoint(ch.codePointAt(0) ?? 0));
const keepXmlChars = (s: string): string =>
  [...s].filter((ch) => isXmlCodePoint(ch.codePointAt(0) ?? 0)).join('');

/** Cells of a worksheet by reference: type, style and the (still escaped) value or inline text. */
function cellsOf(sheetXml: string): Map<string, { t?: string; s?: string; raw: string }> {
  const cells = new Map<string, { t?: string; s?: string; raw: string }>();
  const re =
    /<c r="([A-Z]+\d+)"(?: s="(\d+)")?(?: t="(\w+)")?>(?:<v>([^<]*)<\/v>|<is><t(?: xml:space="preserve")?>([^<]*)<\/t><\/is>)<\/c>/g;
  for (const m of sheetXml.matchAll(re)) {
    cells.set(m[1] ?? '', { s: m[2], t: m[3], raw: m[4] ?? m[5] ?? '' });
  }
  return cells;
}
const textOf = (sheetXml: string, ref: string): string | undefined => {
  const c = cellsOf(sheetXml).get(ref);
  return c === undefined ? undefined : readXmlText(c.raw);
};

// --- fixtures -------------------------------------------------------------------------------------

const ledger: XlsxSheet = {
  name: '社区台账',
  columns: [
    { header: '事件编号' },
    { header: '标题' },
    { header: '上报时间' },
    { header: '处置时长（小时）', width: 14 },
    { header: '已办结' },
    { header: '备注' },
  ],
  rows: [
    [
      'SJ-0001',
      '楼道堆放杂物 <消防通道> & "占用" \'严重\'',
      new Date('2026-12-01T01:00:00Z'),
      3.5,
      true,
      null,
    ],
    [
      'SJ-0002',
      '=HYPERLINK("http://evil.example","点我")',
      new Date('2026-12-31T16:30:00Z'),
      -2,
      false,
      '+86 138',
    ],
    ['SJ-0003', '-5 元', null, 0, null, '@SUM(A1)'],
    ['SJ-0004', '\tTAB', '\rCR', Number.NaN, null, '  前后空格  '],
    ['SJ-0005', 'bell\u0007 null\u0000 lone\uD800 ok😀', new Date(Number.NaN), 1e21, null, '换行\n第二行'],
  ],
};

/** Days since Excel's 1899-12-30 epoch for a CST wall-clock time, computed from calendar fields. */
const serialOfCstWallClock = (y: number, mo: number, d: number, h = 0, mi = 0): number =>
  (Date.UTC(y, mo - 1, d, h, mi) - Date.UTC(1899, 11, 30)) / 86_400_000;

describe('writeXlsx', () => {
  const files = unzip(writeXlsx([ledger]));
  const sheet = files.get('xl/worksheets/sheet1.xml') ?? '';

  it('packs the minimal OOXML parts in a ZIP whose CRC-32s and sizes check out', () => {
    expect([...files.keys()].sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    for (const xml of files.values()) expectWellFormed(xml);
    expect(files.get('[Content_Types].xml')).toContain(
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    );
    expect(files.get('xl/workbook.xml')).toContain('<sheet name="社区台账" sheetId="1" r:id="rId1"/>');
    expect(files.get('xl/_rels/workbook.xml.rels')).toContain('Target="worksheets/sheet1.xml"');
    const styles = files.get('xl/styles.xml') ?? '';
    expect(styles).toContain('<font><b/>');
    expect(styles).toContain('formatCode="yyyy-mm-dd hh:mm"');
  });

  it('writes a bold, frozen, filterable Chinese header row with column widths', () => {
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toContain('<autoFilter ref="A1:F6"/>');
    expect(sheet).toContain('<dimension ref="A1:F6"/>');
    expect(sheet).toContain('<col min="4" max="4" width="14" customWidth="1"/>');
    expect(sheet).toMatch(/<col min="2" max="2" width="(\d+)" customWidth="1"\/>/);
    const cells = cellsOf(sheet);
    ledger.columns.forEach((col, i) => {
      const ref = `${'ABCDEF'[i]}1`;
      expect(cells.get(ref)).toMatchObject({ s: '1', t: 'inlineStr' });
      expect(textOf(sheet, ref)).toBe(col.header);
    });
    expect(files.get('xl/workbook.xml')).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">&apos;社区台账&apos;!$A$1:$F$6</definedName>`,
    );
  });

  it('escapes XML specials, keeps Chinese, numbers and booleans, and leaves nulls empty', () => {
    expect(sheet).toContain('楼道堆放杂物 &lt;消防通道&gt; &amp; &quot;占用&quot; &apos;严重&apos;');
    expect(textOf(sheet, 'B2')).toBe('楼道堆放杂物 <消防通道> & "占用" \'严重\'');
    const cells = cellsOf(sheet);
    expect(cells.get('D2')).toEqual({ raw: '3.5', s: undefined, t: undefined });
    expect(cells.get('D3')?.raw).toBe('-2'); // a negative number stays a number
    expect(cells.get('D6')?.raw).toBe('1e+21');
    expect(cells.get('E2')).toMatchObject({ t: 'b', raw: '1' });
    expect(cells.get('E3')).toMatchObject({ t: 'b', raw: '0' });
    for (const empty of ['F2', 'C4', 'E4', 'D5', 'C6']) expect(cells.has(empty)).toBe(false);
    expect(textOf(sheet, 'F5')).toBe('  前后空格  ');
    expect(sheet).toContain('<t xml:space="preserve">  前后空格  </t>');
    expect(textOf(sheet, 'F6')).toBe('换行\n第二行');
    expect(textOf(sheet, 'B6')).toBe('bell null lone ok😀');
  });

  it('neutralises formula-looking strings with a leading apostrophe', () => {
    expect(textOf(sheet, 'B3')).toBe('\'=HYPERLINK("http://evil.example","点我")');
    expect(textOf(sheet, 'F3')).toBe("'+86 138");
    expect(textOf(sheet, 'B4')).toBe("'-5 元");
    expect(textOf(sheet, 'F4')).toBe("'@SUM(A1)");
    expect(textOf(sheet, 'B5')).toBe("'\tTAB");
    expect(textOf(sheet, 'C5')).toBe("'\rCR");
    expect(textOf(sheet, 'A2')).toBe('SJ-0001'); // a dash later in the text is harmless
    expect(sheet).not.toContain('<f>');
  });

  it('writes dates as Excel serials in China Standard Time with the date style', () => {
    const expected = serialOfCstWallClock(2026, 12, 1, 9);
    expect(expected).toBe(46357.375);
    expect(excelSerialCst(new Date('2026-12-01T01:00:00Z'))).toBe(expected);
    expect(cellsOf(sheet).get('C2')).toEqual({ s: '2', t: undefined, raw: String(expected) });
    // 16:30 UTC on New Year's Eve is already 00:30 on 1 January in Beijing
    expect(Number(cellsOf(sheet).get('C3')?.raw)).toBeCloseTo(serialOfCstWallClock(2027, 1, 1, 0, 30), 9);
  });

  it('lists every sheet under its sanitised, unique name; only the first tab is selected', () => {
    const sheetOf = (name: string): XlsxSheet => ({ name, columns: [{ header: '列' }], rows: [] });
    const names = ['2026/12 台账', '案件 <列表> & "草稿"', '案件 <列表> & "草稿"'];
    const wb = unzip(writeXlsx(names.map(sheetOf)));
    const listed = [...(wb.get('xl/workbook.xml') ?? '').matchAll(/<sheet name="([^"]*)"/g)].map((m) =>
      readXmlText(m[1] ?? '', true),
    );
    expect(listed).toEqual(['2026_12 台账', '案件 <列表> & "草稿"', '案件 <列表> & "草稿" (2)']);
    const types = wb.get('[Content_Types].xml') ?? '';
    for (let i = 1; i <= names.length; i++) {
      expect(types).toContain(`/xl/worksheets/sheet${i}.xml`);
      expect(wb.get('xl/_rels/workbook.xml.rels')).toContain(`Target="worksheets/sheet${i}.xml"`);
      expectWellFormed(wb.get(`xl/worksheets/sheet${i}.xml`) ?? '');
    }
    expect(wb.get('xl/worksheets/sheet1.xml')).toContain('tabSelected="1"');
    expect(wb.get('xl/worksheets/sheet2.xml')).not.toContain('tabSelected');
  });

  it('is deterministic and refuses workbooks Excel could not open', () => {
    expect(writeXlsx([ledger]).equals(writeXlsx([ledger]))).toBe(true);
    expect(() => writeXlsx([])).toThrow(RangeError);
    const tooLong = { name: 'x', columns: [], rows: new Array<never>(1_048_576) };
    expect(() => writeXlsx([tooLong])).toThrow(/rows/);
  });

  it('passes `unzip -t` when the tool is installed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicgrid-xlsx-'));
    try {
      const file = join(dir, '台账.xlsx');
      const xlsx = writeXlsx([ledger, { ...ledger, name: '案件列表' }]);
      writeFileSync(file, xlsx);
      expect(unzip(xlsx).size).toBe(7);
      if (spawnSync('which', ['unzip']).status === 0) {
        const result = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
        expect(result.stdout).toContain('No errors detected');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('XML escaping (property)', () => {
  // single "units" that stress the escaper: specials, controls, CR/LF pairs, lone surrogates, emoji
  const nasty = fc.constantFrom(
    ...'&<>"\'\0\x01\x1f\x7f\t\n\r\uFFFE\uFFFF台😀=',
    '\r\n',
    '\uD800',
    '\uDFFF',
    '&amp;',
  );
  const strings = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({
      unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      maxLength: 40,
    }),
  );

  it('round-trips through escape → XML text → unescape, minus the stripped characters', () => {
    fc.assert(
      fc.property(strings, (s) => {
        const escaped = escapeXml(s);
        expectWellFormed(`<t>${escaped}</t>`);
        expect(readXmlText(escaped)).toBe(keepXmlChars(s));
        expect(readXmlText(escaped, true)).toBe(keepXmlChars(s)); // same text is safe as an attribute value
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips whole cells through writeXlsx, neutralising formulas', () => {
    fc.assert(
      fc.property(strings, (s) => {
        const xml = unzip(writeXlsx([{ name: 'p', columns: [{ header: 'h' }], rows: [[s]] }])).get(
          'xl/worksheets/sheet1.xml',
        );
        const kept = keepXmlChars(s);
        const expected = kept === '' ? undefined : /^[=+\-@\t\r]/.test(kept) ? `'${kept}` : kept;
        expect(textOf(xml ?? '', 'A2')).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });
});
