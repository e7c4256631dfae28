import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../exports/xlsx.js';
import type { XlsxCell } from '../exports/xlsx.js';
import { neutraliseFormula, stripInvalidXmlChars } from '../exports/xml-text.js';
import { zip } from '../exports/zip.js';
import type { SheetRow } from './sheet-row.js';
import { decodeXmlText, excelSerialToText, isDateFormatCode, readXlsx, readXlsxFile } from './xlsx-reader.js';
import type { XlsxReadOptions } from './xlsx-reader.js';

async function rowsOf(bytes: Uint8Array, options?: XlsxReadOptions): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readXlsx(bytes, options)) rows.push(row);
  return rows;
}

const table = (rows: SheetRow[]): string[][] => rows.map((r) => r.cells);

/** What a cell written by writeXlsx reads back as (dates are checked separately). */
function expected(value: XlsxCell): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value instanceof Date) throw new Error('not here');
  return neutraliseFormula(stripInvalidXmlChars(value));
}

const dropTrailingEmpty = (cells: string[]): string[] => {
  const out = [...cells];
  while (out.length > 0 && out.at(-1) === '') out.pop();
  return out;
};

describe('readXlsx with workbooks from our writer', () => {
  it('reads back headers, text, numbers, booleans and CST dates', async () => {
    const bytes = writeXlsx([
      {
        name: '工单',
        columns: [
          { header: '工单编号' },
          { header: '诉求内容' },
          { header: '经度' },
          { header: '受理时间' },
          { header: '督办' },
        ],
        rows: [
          ['JN001', '路灯不亮 <夜间> & "危险"', 117.0612, new Date('2026-11-27T01:30:00Z'), true],
          ['JN002', '  前后空格  ', 13800138000, new Date('2026-01-01T00:00:05Z'), false],
          ['JN003', '=HYPERLINK("x")', null, null, null],
        ],
      },
      { name: 'second', columns: [{ header: 'not read' }], rows: [['x']] },
    ]);
    expect(table(await rowsOf(bytes))).toEqual([
      ['工单编号', '诉求内容', '经度', '受理时间', '督办'],
      ['JN001', '路灯不亮 <夜间> & "危险"', '117.0612', '2026-11-27 09:30:00', 'TRUE'],
      ['JN002', '  前后空格  ', '13800138000', '2026-01-01 08:00:05', 'FALSE'],
      ['JN003', '\'=HYPERLINK("x")'],
    ]);
  });

  it('round-trips any table of strings, numbers and booleans (property)', async () => {
    const value: fc.Arbitrary<XlsxCell> = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom('中', '文', '\n', '\r', '\t', '&', '<', '"', ' ', '_x', '00D_', 'a', '\u0001'),
        maxLength: 8,
      }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(value, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
        async (rows) => {
          const width = Math.max(1, ...rows.map((r) => r.length));
          const columns = Array.from({ length: width }, (_, i) => ({ header: `c${i}` }));
          const read = await rowsOf(writeXlsx([{ name: 's', columns, rows }]));
          // writeXlsx does not escape a literal _xHHHH_ (Excel would read it as the character), so none is generated
          fc.pre(!rows.flat().some((v) => typeof v === 'string' && /_x[0-9A-Fa-f]{4}_/.test(v)));
          const want = rows.map((r) => dropTrailingEmpty(r.map(expected)));
          const got = new Map(read.slice(1).map((r) => [r.row, r.cells]));
          want.forEach((cells, i) => {
            // a row whose cells are all empty is not written at all
            expect(got.get(i + 2) ?? []).toEqual(cells);
          });
          expect(read[0]?.cells).toEqual(columns.map((c) => c.header));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('streams a large sheet across inflate chunks, from a file', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [
      `JN${String(i).padStart(7, '0')}`,
      `第${i}号诉求：小区门口路灯不亮，夜间出行不便，请尽快处理。`,
      i,
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-reader-'));
    try {
      const path = join(dir, 'big.xlsx');
      writeFileSync(
        path,
        writeXlsx([{ name: 'big', columns: [{ header: 'id' }, { header: 'text' }, { header: 'n' }], rows }]),
      );
      const read: SheetRow[] = [];
      for await (const row of readXlsxFile(path)) read.push(row);
      expect(read).toHaveLength(5_001);
      expect(read.slice(1).map((r) => r.cells)).toEqual(rows.map((r) => r.map(String)));
      expect(read.at(-1)?.row).toBe(5_001);
      const progress = read.map((r) => r.bytesRead);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// --- a hand-made workbook in the shape Excel and WPS write --------------------------------------------

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function handMade(sheetXml: string, extra: { date1904?: boolean } = {}): Buffer {
  return zip([
    {
      name: '_rels/.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data:
        `<x:workbook xmlns:x="${MAIN}" xmlns:r="${REL}">` +
        (extra.date1904 ? '<x:workbookPr date1904="1"/>' : '') +
        '<x:sheets><x:sheet name="数据" sheetId="7" r:id="rId9"/><x:sheet name="other" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId9" Type="${REL}/worksheet" Target="/xl/worksheets/data.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="strings.xml"/>` +
        `<Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/>` +
        '</Relationships>',
    },
    {
      name: 'xl/strings.xml',
      data:
        `<sst xmlns="${MAIN}" count="4" uniqueCount="4">` +
        '<si><t>工单编号</t></si>' +
        '<si><r><rPr><b/></rPr><t>诉求</t></r><r><t xml:space="preserve"> 内容</t></r><rPh sb="0" eb="2"><t>そきゅう</t></rPh></si>' +
        '<si><t>a&amp;b_x000D_c</t></si>' +
        '<si/>' +
        '</sst>',
    },
    {
      name: 'xl/styles.xml',
      data:
        `<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="180" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
        '<numFmt numFmtId="181" formatCode="0.00&quot;元&quot;"/></numFmts>' +
        '<cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>' +
        '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="180"/><xf numFmtId="181"><alignment/></xf><xf numFmtId="58"/></cellXfs></styleSheet>',
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
    },
    { name: 'xl/worksheets/data.xml', data: sheetXml },
  ]);
}

describe('readXlsx with a hand-made workbook', () => {
  it('reads shared strings (rich text, no phonetics), inline strings, dates by style, prefixes and gaps', async () => {
    const sheet =
      `<x:worksheet xmlns:x="${MAIN}"><x:sheetData>` +
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>受理时间</x:t></x:is></x:c></x:row>' +
      '<x:row r="3" spans="1:6"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="C3" s="1"><x:v>46353.395833333336</x:v></x:c>' +
      '<x:c r="D3" s="2"><x:v>46353</x:v></x:c><x:c r="E3" s="3"><x:v>12.5</x:v></x:c><x:c r="F3" t="b"><x:v>1</x:v></x:c></x:row>' +
      '<x:row r="4"/>' +
      '<x:row><x:c t="str"><x:f>A1&amp;""</x:f><x:v>x&lt;y</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c s="4"><x:v>1.38E10</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c></x:row>' +
      '</x:sheetData><x:mergeCells count="0"/></x:worksheet>';
    const rows = await rowsOf(handMade(sheet));
    expect(rows.map((r) => [r.row, ...r.cells])).toEqual([
      [1, '工单编号', '诉求 内容', '受理时间'],
      [3, 'a&b\rc', '', '2026-11-27 09:30:00', '2026-11-27 00:00:00', '12.5', 'TRUE'],
      [5, 'x<y', '#N/A', '13800000000', ''],
    ]);
  });

  it('honours the 1904 date system', async () => {
    const sheet = `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" s="1"><v>44891</v></c></row></sheetData></worksheet>`;
    expect(table(await rowsOf(handMade(sheet, { date1904: true })))).toEqual([['2026-11-27 00:00:00']]);
  });

  it('refuses a zip bomb at the cap, counting inflated bytes', async () => {
    const rowXml = '<row><c t="inlineStr"><is><t>' + '0'.repeat(1000) + '</t></is></c></row>';
    const sheet = `<worksheet xmlns="${MAIN}"><sheetData>${rowXml.repeat(2000)}</sheetData></worksheet>`;
    const bytes = handMade(sheet);
    expect(bytes.length).toBeLessThan(100_000); // 2 MB of XML in a small file
    await expect(rowsOf(bytes, { maxSheetBytes: 500_000 })).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
      message: expect.stringMatching(/inflates to more than 500000 bytes/),
    });
    expect(await rowsOf(bytes)).toHaveLength(2000);
  });

  it('refuses damaged and foreign files with a clear reason', async () => {
    await expect(rowsOf(Buffer.from('工单编号,内容\nA1,x\n'))).rejects.toThrow(/not a ZIP archive/);
    const good = handMade(
      `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c t="inlineStr"><is><t>ok</t></is></c></row></sheetData></worksheet>`,
    );
    // flip one byte inside the last entry's compressed data
    const broken = Buffer.from(good);
    const at = good.indexOf(Buffer.from('xl/worksheets/data.xml')) + 'xl/worksheets/data.xml'.length + 5;
    broken[at] = (broken[at] ?? 0) ^ 0xff;
    await expect(rowsOf(broken)).rejects.toMatchObject({ code: 'IMPORT_INVALID' });
  });
});

describe('helpers', () => {
  it('tells date formats from number formats', () => {
    for (const code of [
      'yyyy-mm-dd hh:mm',
      'yyyy"年"m"月"d"日"',
      '[$-804]aaaa',
      'h:mm AM/PM',
      '[h]:mm:ss',
      'mm:ss.0',
    ]) {
      expect([code, isDateFormatCode(code)]).toEqual([code, !code.includes('aaaa')]);
    }
    for (const code of ['General', '0.00', '#,##0"元"', '0.00_);[Red](0.00)', '@', '0%']) {
      expect([code, isDateFormatCode(code)]).toEqual([code, false]);
    }
  });

  it('converts serials like Excel, including its 1900 leap-year bug', () => {
    expect(excelSerialToText(1)).toBe('1900-01-01 00:00:00');
    expect(excelSerialToText(59)).toBe('1900-02-28 00:00:00');
    expect(excelSerialToText(61)).toBe('1900-03-01 00:00:00');
    expect(excelSerialToText(46353.5)).toBe('2026-11-27 12:00:00');
    expect(excelSerialToText(0.75)).toBe('18:00:00');
  });

  it('decodes entities and _xHHHH_ escapes', () => {
    expect(decodeXmlText('a&lt;b&#10;&#x4E2D;_x000A__x005F_x000D_')).toBe('a<b\n中\n_x000D_');
  });
});
