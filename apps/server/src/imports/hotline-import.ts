import { AppError } from '@civicgrid/core';
import { KeyTable } from './key-table.js';
import type { SheetRow } from './sheet-row.js';

/*
 * The import driver, generic over the row validator so that it serves any tabular import; for the
 * 12345 line pass `hotlineRowValidator(resolvedMapping)` from @civicgrid/core.
 *
 * Flow: read the header (splitHeader) → choose a mapping → dryRun over every row (all errors, with
 * duplicates) → only when the dry run is clean, runImport, which commits batches through the sink.
 * The sink writes each batch and a checkpoint (the batch's last row number) in one transaction, so a
 * crashed import resumes with `startAfterRow` = checkpoint and commits every row exactly once.
 */

/** One problem with one cell: spreadsheet row (header = 1), header of the column, field, reason. */
export interface RowIssue {
  row: number;
  column: string;
  field: string;
  reason: string;
}

/** A validated record, or every problem of the row. */
export type RowResult<T> = { order: T } | { errors: RowIssue[] };

/** Validates rows into records; `keyOf` gives the key that must be unique within the file. */
export interface RowValidator<T> {
  validate(cells: readonly string[], rowNumber: number): RowResult<T>;
  keyOf(order: T): string;
  /** Header of the key column and the key field, for duplicate reports. */
  keyColumn: string;
  keyField: string;
}

/** Where an import stands; sent to the CLI progress bar and the API's progress endpoint. */
export interface ImportProgress {
  phase: 'validate' | 'import';
  /** Data rows read so far (blank rows excluded). */
  rowsRead: number;
  lastRow: number;
  bytesRead: number;
  totalBytes?: number;
  /** Rows committed by this run (import phase). */
  committed: number;
  /** Rows found bad so far (validate phase). */
  errorCount: number;
}

export interface DryRunOptions {
  /** Errors kept in the report; the count goes on. Default 10,000. */
  maxErrors?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Rows between two progress reports. Default 10,000. */
  progressEvery?: number;
  totalBytes?: number;
  signal?: AbortSignal;
}

/** The dry run's verdict: an import may start only when `errorCount` is 0. */
export interface DryRunReport {
  /** Data rows (blank rows excluded). */
  total: number;
  valid: number;
  /** Rows with at least one problem, duplicates included. */
  invalid: number;
  blank: number;
  /** Rows whose key repeats an earlier row's. */
  duplicates: number;
  /** The first `maxErrors` problems in row order. */
  errors: RowIssue[];
  /** All problems found, also those beyond `maxErrors`. */
  errorCount: number;
  errorsTruncated: boolean;
  lastRow: number;
}

/** Receives validated records in batches; see the module comment for the transaction contract. */
export interface ImportSink<T> {
  commitBatch(orders: T[], lastRowNumber: number): Promise<void>;
}

export interface RunImportOptions {
  /** Records per commit. Default 1,000. */
  batchSize?: number;
  /** The checkpoint of an earlier, interrupted run: rows up to it are read and checked but not committed. */
  startAfterRow?: number;
  onProgress?: (progress: ImportProgress) => void;
  progressEvery?: number;
  totalBytes?: number;
  signal?: AbortSignal;
}

export interface ImportResult {
  /** Records committed by this run. */
  committed: number;
  batches: number;
  /** Data rows at or before `startAfterRow`, committed by an earlier run. */
  skipped: number;
  /** The last checkpoint written (startAfterRow when nothing was committed). */
  checkpoint: number;
}

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

/** Reads the first row as the header; `rows` continues with the data rows of the same stream. */
export async function splitHeader(
  source: AsyncIterable<SheetRow> | Iterable<SheetRow>,
): Promise<{ header: SheetRow | undefined; rows: AsyncIterable<SheetRow> }> {
  const it =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (async function* () {
          yield* source;
        })();
  const first = await it.next();
  return { header: first.done ? undefined : first.value, rows: { [Symbol.asyncIterator]: () => it } };
}

/** The data rows of a stream: everything after the header row (for validateThenImport's `openRows`). */
export async function* withoutHeader(
  source: AsyncIterable<SheetRow> | Iterable<SheetRow>,
): AsyncGenerator<SheetRow, void, undefined> {
  let isHeader = true;
  for await (const row of source) {
    if (!isHeader) yield row;
    isHeader = false;
  }
}

/** Checks rows arrive in file order, which checkpoints rely on. */
function checkOrder(row: SheetRow, previous: number): void {
  if (row.row <= previous) {
    throw new AppError(
      'IMPORT_INVALID',
      `row ${row.row} comes after row ${previous}; rows must be in file order`,
      {
        row: row.row,
      },
    );
  }
}

/**
 * Validates every data row without writing anything and reports every problem (row, column, field,
 * reason), duplicate keys included; stops early only when `signal` aborts.
 */
export async function dryRun<T>(
  rows: AsyncIterable<SheetRow> | Iterable<SheetRow>,
  validator: RowValidator<T>,
  options: DryRunOptions = {},
): Promise<DryRunReport> {
  const maxErrors = options.maxErrors ?? 10_000;
  const every = options.progressEvery ?? 10_000;
  const keys = new KeyTable();
  const report: DryRunReport = {
    total: 0,
    valid: 0,
    invalid: 0,
    blank: 0,
    duplicates: 0,
    errors: [],
    errorCount: 0,
    errorsTruncated: false,
    lastRow: 0,
  };
  let bytesRead = 0;
  const progress = (): void =>
    options.onProgress?.({
      phase: 'validate',
      rowsRead: report.total,
      lastRow: report.lastRow,
      bytesRead,
      ...(options.totalBytes === undefined ? {} : { totalBytes: options.totalBytes }),
      committed: 0,
      errorCount: report.errorCount,
    });
  const addErrors = (issues: RowIssue[]): void => {
    report.invalid++;
    report.errorCount += issues.length;
    for (const issue of issues) {
      if (report.errors.length < maxErrors) report.errors.push(issue);
      else report.errorsTruncated = true;
    }
  };
  for await (const row of rows) {
    checkOrder(row, report.lastRow);
    report.lastRow = row.row;
    bytesRead = row.bytesRead;
    if (isBlank(row.cells)) {
      report.blank++;
      continue;
    }
    report.total++;
    const result = validator.validate(row.cells, row.row);
    if ('errors' in result) addErrors(result.errors);
    else {
      const earlier = keys.claim(validator.keyOf(result.order), row.row);
      if (earlier === undefined) report.valid++;
      else {
        report.duplicates++;
        addErrors([duplicateIssue(validator, row.row, earlier)]);
      }
    }
    if (report.total % every === 0) {
      options.signal?.throwIfAborted();
      progress();
    }
  }
  progress();
  return report;
}

function duplicateIssue(
  validator: { keyColumn: string; keyField: string },
  row: number,
  earlier: number,
): RowIssue {
  return {
    row,
    column: validator.keyColumn,
    field: validator.keyField,
    reason: `duplicate: the same ${validator.keyColumn} as row ${earlier}`,
  };
}

/**
 * Imports rows in batches through `sink`. Call it only after a clean dryRun of the same file: it
 * validates again and throws AppError IMPORT_INVALID at the first bad or duplicate row (batches
 * before it stay committed, and the checkpoint says where to resume once the file is fixed).
 */
export async function runImport<T>(
  rows: AsyncIterable<SheetRow> | Iterable<SheetRow>,
  validator: RowValidator<T>,
  sink: ImportSink<T>,
  options: RunImportOptions = {},
): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 1_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('runImport: batchSize must be ≥ 1');
  const startAfter = options.startAfterRow ?? 0;
  const every = options.progressEvery ?? 10_000;
  const keys = new KeyTable();
  const result: ImportResult = { committed: 0, batches: 0, skipped: 0, checkpoint: startAfter };
  let batch: T[] = [];
  let batchLastRow = 0;
  let rowsRead = 0;
  let lastRow = 0;
  let bytesRead = 0;
  const progress = (): void =>
    options.onProgress?.({
      phase: 'import',
      rowsRead,
      lastRow,
      bytesRead,
      ...(options.totalBytes === undefined ? {} : { totalBytes: options.totalBytes }),
      committed: result.committed,
      errorCount: 0,
    });
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    options.signal?.throwIfAborted();
    await sink.commitBatch(batch, batchLastRow);
    result.committed += batch.length;
    result.batches++;
    result.checkpoint = batchLastRow;
    batch = [];
    progress();
  };
  for await (const row of rows) {
    checkOrder(row, lastRow);
    lastRow = row.row;
    bytesRead = row.bytesRead;
    if (isBlank(row.cells)) continue;
    rowsRead++;
    const checked = validator.validate(row.cells, row.row);
    if ('errors' in checked) throw turnedBad(checked.errors, row.row);
    // keys of skipped rows count too: a duplicate across the checkpoint is still a duplicate
    const earlier = keys.claim(validator.keyOf(checked.order), row.row);
    if (earlier !== undefined) throw turnedBad([duplicateIssue(validator, row.row, earlier)], row.row);
    if (row.row <= startAfter) {
      result.skipped++;
      if (result.skipped % every === 0) progress();
      continue;
    }
    batch.push(checked.order);
    batchLastRow = row.row;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  progress();
  return result;
}

function turnedBad(issues: RowIssue[], row: number): AppError {
  return new AppError('IMPORT_INVALID', `row ${row} is invalid; run the dry run again and fix the file`, {
    issues,
  });
}

/**
 * Atomic validation first: a dry run over `openRows()`, then, only if it found nothing, the import
 * over a second `openRows()` (the file is read twice; nothing is held in memory between the passes).
 */
export async function validateThenImport<T>(
  openRows: () => AsyncIterable<SheetRow> | Iterable<SheetRow>,
  validator: RowValidator<T>,
  sink: ImportSink<T>,
  options: RunImportOptions & Pick<DryRunOptions, 'maxErrors'> = {},
): Promise<{ report: DryRunReport; result?: ImportResult }> {
  const report = await dryRun(openRows(), validator, options);
  if (report.errorCount > 0) return { report };
  return { report, result: await runImport(openRows(), validator, sink, options) };
}
