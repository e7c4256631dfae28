import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// core's index does not export the hotline module yet; switch to '@civicgrid/core' once it does
import { hotlineFeedbackColumns, toHotlineFeedbackRow } from '../../../../packages/core/src/hotline/index.js';
import { readCsv } from './csv-reader.js';
import { csvRecord, feedbackCsv, feedbackCsvStream, feedbackXlsx } from './hotline-export.js';
import { readXlsx } from './xlsx-reader.js';

async function parse(chunks: Iterable<Uint8Array>): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of readCsv(chunks)) rows.push(row.cells);
  return rows;
}

const row = toHotlineFeedbackRow({
  externalOrderId: '0012026112700',
  status: 'completed',
  resolution: 'resolved',
  handlingUnit: '洪家楼街道办事处',
  completedAt: '2026-11-28T06:15:00Z',
  satisfaction: 'satisfied',
  reply: '经核实，已联系供电部门，"路灯"已修复,\r\n谢谢。',
  updatedAt: '2026-11-29T02:00:00Z',
});

describe('feedbackCsv', () => {
  it('starts with a BOM, quotes what needs it and reads back equal', async () => {
    const bytes = feedbackCsv(hotlineFeedbackColumns, [row]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('"经核实，已联系供电部门，""路灯""已修复,\r\n谢谢。"');
    expect(await parse([bytes])).toEqual([[...hotlineFeedbackColumns], row]);
  });

  it('neutralises formulas unless told not to', () => {
    expect(csvRecord(['=1+1', '-5', 'ok'])).toBe("'=1+1,'-5,ok\r\n");
    expect(csvRecord(['=1+1', '-5'], false)).toBe('=1+1,-5\r\n');
  });

  it('streams the same bytes as it builds (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ maxLength: 2000 }), { maxLength: 4 }), { maxLength: 80 }),
        async (rows) => {
          const chunks: Buffer[] = [];
          for await (const c of feedbackCsvStream(['a', 'b'], rows)) chunks.push(c);
          expect(Buffer.concat(chunks).equals(feedbackCsv(['a', 'b'], rows))).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('feedbackXlsx', () => {
  it('writes a sheet our reader reads back as text', async () => {
    const read: string[][] = [];
    for await (const r of readXlsx(feedbackXlsx(hotlineFeedbackColumns, [row]))) read.push(r.cells);
    expect(read[0]).toEqual([...hotlineFeedbackColumns]);
    // the writer escapes CR as &#13;, so even the CRLF inside the reply survives
    expect(read[1]).toEqual(row);
    expect(read[1]?.[0]).toBe('0012026112700');
  });
});
