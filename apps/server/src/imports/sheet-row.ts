import { AppError } from '@civicgrid/core';

/** One row of a spreadsheet-like file, the same for CSV and XLSX. */
export interface SheetRow {
  /** 1-based row number as a spreadsheet shows it: the header is row 1, blank rows count. */
  row: number;
  cells: string[];
  /** Bytes of the source consumed when the row was produced (chunk granularity), for progress. */
  bytesRead: number;
}

/** A file that cannot be read as a table; details name where (line or row) and why. */
export function importFormatError(
  message: string,
  details: { line?: number; row?: number; reason: string },
): AppError {
  return new AppError('IMPORT_INVALID', message, details);
}
