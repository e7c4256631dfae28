import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEncoding, isValidUtf8, readCsv } from './csv-reader.js';
import type { CsvReadOptions, CsvRow } from './csv-reader.js';

async function collect(source: Iterable<Uint8Array | string>, options?: CsvReadOptions): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsv(source, options)) rows.push(row);
  return rows;
}

const cellsOf = (rows: CsvRow[]): string[][] => rows.map((r) => r.cells);

/** Splits bytes at the given cut points (sorted, deduplicated, in range). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  return parts;
}

/** RFC 4180 serialisation; a record with one empty field is written "" so it is not a blank line. */
function toCsv(rows: string[][], eols: string[]): string {
  return rows
    .map((row, i) => {
      const line = row
        .map((cell) =>
          /[",\r\n]/.test(cell) || (row.length === 1 && cell === '') ? `"${cell.replace(/"/g, '""')}"` : cell,
        )
        .join(',');
      return line + (eols[i % eols.length] ?? '\n');
    })
    .join('');
}

/** A GBK encoder for tests, built by decoding every two-byte GBK code (Node can decode GBK, not encode it). */
function gbkEncoder(): (text: string) => Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  return (text) =>
    Buffer.from(
      [...text].flatMap((ch) => {
        const code = ch.charCodeAt(0);
        if (code < 0x80) return [code];
        const bytes = table.get(ch);
        if (!bytes) throw new Error(`no GBK code for ${ch}`);
        return bytes;
      }),
    );
}

const cellChars = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  ',',
  '"',
  '\n',
  '\r',
  '\r\n',
  '中',
  '文',
  '路灯',
  '，',
  '😀',
  '\t',
  'é',
);
const cell = fc.array(cellChars, { maxLength: 8 }).map((parts) => parts.join(''));
const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 });
const eols = fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 3 });
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('readCsv', () => {
  it('parses back what was serialised, for any chunking of the bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(table, eols, cuts, fc.boolean(), async (rows, ends, points, bom) => {
        const text = toCsv(rows, ends);
        const bytes = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf8');
        const parsed = await collect(chunk(bytes, points), { sniffBytes: 16 });
        expect(cellsOf(parsed)).toEqual(rows);
        expect(parsed.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
        const read = parsed.map((r) => r.bytesRead);
        expect(read).toEqual([...read].sort((a, b) => a - b));
        expect(read.at(-1)).toBeLessThanOrEqual(bytes.length);
        // each record starts on the line after the line breaks of the records before it
        let line = 1;
        rows.forEach((row, i) => {
          expect(parsed[i]?.line).toBe(line);
          const record = toCsv([row], [ends[i % ends.length] ?? '\n']);
          line += (record.match(/\r\n|\r|\n/g) ?? []).length;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips GBK bytes too, for any chunking (property)', async () => {
    const gbkOf = gbkEncoder();
    await fc.assert(
      fc.asyncProperty(table, cuts, async (rows, points) => {
        // a Chinese header, as in every hotline export, is what the detection sees first
        const all = [['工单编号', '内容'], ...rows.map((r) => r.map((c) => c.replace(/😀|é/g, '?')))];
        const bytes = gbkOf(toCsv(all, ['\r\n']));
        const parsed = await collect(chunk(bytes, points), { sniffBytes: 8 });
        expect(cellsOf(parsed)).toEqual(all);
      }),
      { numRuns: 100 },
    );
  });

  it('handles quotes, escaped quotes, line breaks in quotes and empty fields', async () => {
    const csv = 'id,text,n\r\n1,"say ""hi"", ok",\r\n2,"two\nlines",x\n3,a"b,"end"\n';
    const rows = await collect([Buffer.from(csv)]);
    expect(cellsOf(rows)).toEqual([
      ['id', 'text', 'n'],
      ['1', 'say "hi", ok', ''],
      ['2', 'two\nlines', 'x'],
      ['3', 'a"b', 'end'],
    ]);
    expect(rows.map((r) => [r.row, r.line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 5],
    ]);
  });

  it('skips blank lines but keeps their row numbers, and reads a last line without a line end', async () => {
    const rows = await collect([Buffer.from('h1,h2\n\na,b\r\n\r\nc,d')]);
    expect(rows.map((r) => [r.row, ...r.cells])).toEqual([
      [1, 'h1', 'h2'],
      [3, 'a', 'b'],
      [5, 'c', 'd'],
    ]);
  });

  it('reads from a Readable stream', async () => {
    const rows: CsvRow[] = [];
    for await (const row of readCsv(Readable.from([Buffer.from('a,b\n1,'), Buffer.from('2\n')])))
      rows.push(row);
    expect(cellsOf(rows)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('decodes a GBK export, detected from its bytes, even split inside a character', async () => {
    // 工单编号,内容 / A1,中文 in GBK, written byte by byte (TextEncoder only speaks UTF-8)
    const gbk = Buffer.from('b9a4b5a5b1e0bac52cc4dac8dd0d0a41312cd6d0cec40d0a', 'hex');
    let seen = '';
    const rows = await collect(chunk(gbk, [1, 3, 12, 20]), { onEncoding: (e) => (seen = e) });
    expect(seen).toBe('gb18030');
    expect(cellsOf(rows)).toEqual([
      ['工单编号', '内容'],
      ['A1', '中文'],
    ]);
  });

  it('decides on the first non-ASCII bytes, however late they come', async () => {
    const ascii = Buffer.from('id,text\n'.repeat(1000));
    const gbk = Buffer.from('41312cd6d0cec40a', 'hex'); // A1,中文
    const rows = await collect([ascii, gbk], { sniffBytes: 4 });
    expect(rows.at(-1)?.cells).toEqual(['A1', '中文']);
  });

  it('decodes UTF-16 with a byte order mark', async () => {
    const body = Buffer.from('工单编号\t内容\r\nA1\t中文\r\n', 'utf16le');
    const rows = await collect([Buffer.concat([Buffer.from([0xff, 0xfe]), body])], { delimiter: '\t' });
    expect(cellsOf(rows)).toEqual([
      ['工单编号', '内容'],
      ['A1', '中文'],
    ]);
  });

  it('reports an unclosed quote with the line it opened on', async () => {
    await expect(collect([Buffer.from('a,b\n1,"open\n2,x\n')])).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
      details: { line: 2, reason: 'unclosed quote' },
    });
  });

  it('guards the field length and the column count', async () => {
    await expect(
      collect([Buffer.from(`a\n${'x'.repeat(101)}\n`)], { maxFieldLength: 100 }),
    ).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
      details: { line: 2, row: 2, reason: 'field too long' },
    });
    // an unclosed quote at the top is caught by the length guard long before the end of the file
    await expect(
      collect([Buffer.from('"runaway\n'), Buffer.from('y\n'.repeat(100))], { maxFieldLength: 100 }),
    ).rejects.toThrow(/longer than 100 characters \(the quote opened on line 1 may be unclosed\)/);
    await expect(collect([Buffer.from('a,b,c\n1,2,3,4\n')], { maxColumns: 3 })).rejects.toMatchObject({
      details: { line: 2, row: 2, reason: 'too many columns' },
    });
  });

  it('refuses bytes that are not valid in the chosen encoding', async () => {
    const bad = Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xd6, 0xd0]), Buffer.from('\n')]);
    await expect(collect([bad], { encoding: 'utf-8' })).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
      details: { line: 2, reason: 'bad utf-8 encoding' },
    });
  });
});

describe('detectEncoding', () => {
  it('uses the byte order mark, else UTF-8 validity', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), true, true)).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]), true, true)).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('中文', 'utf8'), false, true)).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), false, true)).toBe('gb18030');
  });

  it('agrees with a strict decoder on UTF-8 validity (property)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(isValidUtf8(bytes, false)).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});
