import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// core's index does not export the hotline module yet; switch to '@civicgrid/core' once it does
import {
  hotlineRowValidator,
  resolveHotlineMapping,
  suggestHotlineMapping,
} from '../../../../packages/core/src/hotline/index.js';
import type { HotlineOrder } from '../../../../packages/core/src/hotline/index.js';
import { readCsv } from './csv-reader.js';
import { dryRun, runImport, splitHeader, validateThenImport, withoutHeader } from './hotline-import.js';
import type { ImportProgress, ImportSink, RowValidator } from './hotline-import.js';
import type { SheetRow } from './sheet-row.js';

/** A small validator: cell 0 is the key (required), cell 1 must be a number. */
const validator: RowValidator<{ id: string; n: number }> = {
  validate(cells, row) {
    const errors = [];
    const id = (cells[0] ?? '').trim();
    if (id === '') errors.push({ row, column: 'id', field: 'id', reason: 'missing' });
    const n = Number(cells[1]);
    if (cells[1] === undefined || cells[1] === '' || Number.isNaN(n)) {
      errors.push({ row, column: 'n', field: 'n', reason: 'not a number' });
    }
    return errors.length > 0 ? { errors } : { order: { id, n } };
  },
  keyOf: (o) => o.id,
  keyColumn: 'id',
  keyField: 'id',
};

/** Data rows 2..count+1 (row 1 is the header), all valid, keys k2, k3, … */
const goodRows = (count: number): SheetRow[] =>
  Array.from({ length: count }, (_, i) => ({
    row: i + 2,
    cells: [`k${i + 2}`, String(i)],
    bytesRead: (i + 1) * 10,
  }));

/** A sink that commits like a transaction and may fail on a chosen batch of a run. */
class FlakySink implements ImportSink<{ id: string; n: number }> {
  committed: string[] = [];
  checkpoint = 0;
  private calls = 0;

  constructor(private readonly failOnCall?: number) {}

  commitBatch(orders: { id: string; n: number }[], lastRowNumber: number): Promise<void> {
    this.calls++;
    if (this.calls === this.failOnCall) return Promise.reject(new Error('database went away'));
    this.committed.push(...orders.map((o) => o.id));
    this.checkpoint = lastRowNumber;
    return Promise.resolve();
  }
}

describe('dryRun', () => {
  it('reports every bad row and every duplicate, skipping blank rows', async () => {
    const rows: SheetRow[] = [
      { row: 2, cells: ['a', '1'], bytesRead: 1 },
      { row: 3, cells: ['', 'x'], bytesRead: 2 },
      { row: 4, cells: ['', ' '], bytesRead: 3 },
      { row: 5, cells: ['a', '2'], bytesRead: 4 },
      { row: 6, cells: ['b', '3'], bytesRead: 5 },
      { row: 8, cells: ['a', '4'], bytesRead: 6 },
    ];
    const report = await dryRun(rows, validator);
    expect(report).toEqual({
      total: 5,
      valid: 2,
      invalid: 3,
      blank: 1,
      duplicates: 2,
      errors: [
        { row: 3, column: 'id', field: 'id', reason: 'missing' },
        { row: 3, column: 'n', field: 'n', reason: 'not a number' },
        { row: 5, column: 'id', field: 'id', reason: 'duplicate: the same id as row 2' },
        { row: 8, column: 'id', field: 'id', reason: 'duplicate: the same id as row 2' },
      ],
      errorCount: 4,
      errorsTruncated: false,
      lastRow: 8,
    });
  });

  it('keeps counting beyond the error cap', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ row: i + 2, cells: ['', 'x'], bytesRead: 0 }));
    const report = await dryRun(rows, validator, { maxErrors: 10 });
    expect(report.errors).toHaveLength(10);
    expect(report.errorCount).toBe(100);
    expect(report.errorsTruncated).toBe(true);
    expect(report.invalid).toBe(50);
  });

  it('refuses rows out of file order', async () => {
    const rows = [...goodRows(3)].reverse();
    await expect(dryRun(rows, validator)).rejects.toMatchObject({ code: 'IMPORT_INVALID' });
  });
});

describe('runImport', () => {
  it('resumes from the checkpoint of a crashed run and commits every row exactly once', async () => {
    const rows = goodRows(95);
    const sink = new FlakySink(3);
    await expect(runImport(rows, validator, sink, { batchSize: 10 })).rejects.toThrow('database went away');
    expect(sink.committed).toHaveLength(20);
    expect(sink.checkpoint).toBe(21);

    const resumed = new FlakySink();
    resumed.committed = [...sink.committed];
    const result = await runImport(rows, validator, resumed, {
      batchSize: 10,
      startAfterRow: sink.checkpoint,
    });
    expect(result).toEqual({ committed: 75, batches: 8, skipped: 20, checkpoint: 96 });
    expect(resumed.committed).toEqual(rows.map((r) => r.cells[0]));
  });

  it('commits each row exactly once whatever the batch size and crash points (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 4 }),
        async (count, batchSize, failures) => {
          const rows = goodRows(count);
          const committed: string[] = [];
          let checkpoint = 0;
          for (const failOn of [...failures, undefined]) {
            const sink = new FlakySink(failOn);
            sink.committed = committed;
            try {
              await runImport(rows, validator, sink, { batchSize, startAfterRow: checkpoint });
              checkpoint = sink.checkpoint || checkpoint;
              break;
            } catch {
              checkpoint = sink.checkpoint || checkpoint;
            }
          }
          expect(committed).toEqual(rows.map((r) => r.cells[0]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('throws at a row that turned bad, naming it, after committing the batches before it', async () => {
    const rows = goodRows(25);
    rows[22] = { row: 24, cells: ['k24', 'oops'], bytesRead: 0 };
    const sink = new FlakySink();
    await expect(runImport(rows, validator, sink, { batchSize: 10 })).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
      details: { issues: [{ row: 24, column: 'n', field: 'n', reason: 'not a number' }] },
    });
    expect(sink.checkpoint).toBe(21);
  });

  it('finds a duplicate across the checkpoint', async () => {
    const rows = goodRows(30);
    rows[25] = { row: 27, cells: ['k3', '1'], bytesRead: 0 };
    await expect(runImport(rows, validator, new FlakySink(), { startAfterRow: 20 })).rejects.toMatchObject({
      details: { issues: [{ row: 27, reason: 'duplicate: the same id as row 3' }] },
    });
  });

  it('reports progress with rows, bytes and committed counts', async () => {
    const seen: ImportProgress[] = [];
    await runImport(goodRows(25), validator, new FlakySink(), {
      batchSize: 10,
      totalBytes: 250,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.committed)).toEqual([10, 20, 25, 25]);
    expect(seen.at(-1)).toEqual({
      phase: 'import',
      rowsRead: 25,
      lastRow: 26,
      bytesRead: 250,
      totalBytes: 250,
      committed: 25,
      errorCount: 0,
    });
  });
});

describe('validateThenImport', () => {
  it('imports nothing when the dry run finds a problem', async () => {
    const rows = goodRows(5);
    rows.push({ row: 7, cells: ['k2', '1'], bytesRead: 0 });
    const sink = new FlakySink();
    const { report, result } = await validateThenImport(() => rows, validator, sink);
    expect(report.duplicates).toBe(1);
    expect(result).toBeUndefined();
    expect(sink.committed).toEqual([]);
  });
});

describe('a hotline CSV end to end (reader → mapping → dry run → import)', () => {
  const csv =
    '\uFEFF工单编号,来电人,联系电话,诉求内容,事发地址,经度,纬度,问题分类,受理时间,办理时限(天),紧急程度\r\n' +
    'JN001,张三,13800138000,"路灯不亮，""夜间""危险",花园路12号,117.06,36.68,城乡建设/市政设施,2026/11/27 9:30,3,一般\r\n' +
    'JN002,李四,0531-88886666,"噪音扰民\n晚上十点后",,,,环境保护,2026-11-27 22:05:00,,紧急\r\n' +
    'JN003,王五,12345,占道经营,,117.1,36.7,,2026-11-31 10:00,,特急\r\n' +
    'JN001,赵六,,重复工单,,,,,2026-11-28 08:00,,\r\n';

  it('finds the bad and duplicate rows, then imports a clean file', async () => {
    const { header, rows } = await splitHeader(readCsv([Buffer.from(csv)]));
    const headers = header?.cells ?? [];
    const resolved = resolveHotlineMapping(suggestHotlineMapping(headers), headers);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const hotline = hotlineRowValidator(resolved.mapping);
    const report = await dryRun(rows, hotline);
    expect(report.errors.map((e) => [e.row, e.column, e.reason.split(':')[0]])).toEqual([
      [4, '联系电话', 'bad phone number'],
      [4, '受理时间', 'no such date "2026-11-31 10'],
      [5, '工单编号', 'duplicate'],
    ]);
    expect(report).toMatchObject({ total: 4, valid: 2, invalid: 2, duplicates: 1 });

    const clean = csv.split('\r\n').slice(0, 3).join('\r\n');
    const orders: HotlineOrder[] = [];
    const { result } = await validateThenImport(() => withoutHeader(readCsv([Buffer.from(clean)])), hotline, {
      commitBatch: (batch) => Promise.resolve(void orders.push(...batch)),
    });
    expect(result?.committed).toBe(2);
    expect(orders[0]).toMatchObject({
      externalOrderId: 'JN001',
      content: '路灯不亮，"夜间"危险',
      receivedAt: '2026-11-27T01:30:00.000Z',
      timeLimitHours: 72,
      priority: 'normal',
    });
    expect(orders[1]).toMatchObject({
      content: '噪音扰民\n晚上十点后',
      callerPhone: '0531-88886666',
      priority: 'high',
    });
  });
});
