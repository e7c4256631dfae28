import { Buffer } from 'node:buffer';
import { writeXlsx } from '../exports/xlsx.js';
import { neutraliseFormula } from '../exports/xml-text.js';

/*
 * Feedback to the city hotline system as files in the hotline's own columns. The rows come from
 * core's hotlineFeedbackColumns / toHotlineFeedbackRow; these writers only know strings, so they also
 * serve any other export back to an outside system. The webhook way goes through ../webhooks (signed,
 * retried deliveries) with core's toHotlineFeedbackPayload as the event data.
 */

export interface CsvWriteOptions {
  /** UTF-8 byte order mark, without which Excel reads UTF-8 as the ANSI code page. Default true. */
  bom?: boolean;
  /** Prefix ' to text Excel would run as a formula (OWASP CSV injection). Default true; turn off for a machine reader. */
  neutraliseFormulas?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const CHUNK_CHARS = 64 * 1024;
const BOM = '\uFEFF';

/** One RFC 4180 record with CRLF: fields with a quote, comma or line break in quotes, quotes doubled. */
export function csvRecord(cells: readonly string[], neutraliseFormulas = true): string {
  return (
    cells
      .map((cell) => {
        const text = neutraliseFormulas ? neutraliseFormula(cell) : cell;
        return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(',') + '\r\n'
  );
}

/** A whole CSV file (header and rows) as bytes. */
export function feedbackCsv(
  columns: readonly string[],
  rows: Iterable<readonly string[]>,
  options: CsvWriteOptions = {},
): Buffer {
  const neutralise = options.neutraliseFormulas ?? true;
  const parts = [(options.bom ?? true) ? BOM : '', csvRecord(columns, false)];
  for (const row of rows) parts.push(csvRecord(row, neutralise));
  return Buffer.from(parts.join(''), 'utf8');
}

/** The same CSV streamed in chunks of about 64 KiB, for exports too large to build in memory. */
export async function* feedbackCsvStream(
  columns: readonly string[],
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  options: CsvWriteOptions = {},
): AsyncGenerator<Buffer, void, undefined> {
  const neutralise = options.neutraliseFormulas ?? true;
  let pending = ((options.bom ?? true) ? BOM : '') + csvRecord(columns, false);
  for await (const row of rows) {
    pending += csvRecord(row, neutralise);
    if (pending.length >= CHUNK_CHARS) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  if (pending !== '') yield Buffer.from(pending, 'utf8');
}

/** The feedback as a one-sheet .xlsx; every value is text, so order numbers keep their leading zeros. */
export function feedbackXlsx(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  sheetName = '办理反馈',
): Buffer {
  return writeXlsx([
    { name: sheetName, columns: columns.map((header) => ({ header })), rows: rows.map((r) => [...r]) },
  ]);
}
