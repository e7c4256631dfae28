/*
 * RFC 4180 CSV: comma separated, fields optionally in double quotes with "" for a quote, commas and
 * line breaks allowed inside quotes; CRLF, LF or CR line ends; a leading BOM is dropped. Whitespace
 * around a quoted field is tolerated. A record with a syntax error is left out and reported, and
 * parsing resumes at the next line.
 */

/** One field of a CSV record and where it starts (1-based line; column = field number). */
export interface CsvField {
  value: string;
  quoted: boolean;
  line: number;
  column: number;
}

/** One record (a row, which may span lines inside quotes). */
export interface CsvRecord {
  line: number;
  fields: CsvField[];
}

/** A syntax problem: its line, the field number and the reason. */
export interface CsvIssue {
  line: number;
  column: number;
  reason: string;
}

const BOM = '\uFEFF';

/** Parses CSV text into records with positions and a list of syntax issues (see the file header). */
export function parseCsv(text: string): { records: CsvRecord[]; issues: CsvIssue[] } {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const issues: CsvIssue[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;
  /** Consumes a line end at i if there is one; true when it did. */
  const lineEnd = (): boolean => {
    const ch = src[i];
    if (ch === '\r') i += src[i + 1] === '\n' ? 2 : 1;
    else if (ch === '\n') i += 1;
    else return false;
    line += 1;
    return true;
  };
  /** Skips the rest of a broken record, up to and including its line end. */
  const skipLine = () => {
    while (i < n && !lineEnd()) i += 1;
  };
  recordLoop: while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      const column = record.fields.length + 1;
      const start = line;
      let value = '';
      let quoted = false;
      // leading spaces before an opening quote are dropped; otherwise they belong to the field
      let j = i;
      while (src[j] === ' ' || src[j] === '\t') j += 1;
      if (src[j] === '"') {
        quoted = true;
        i = j + 1;
        for (;;) {
          if (i >= n) {
            issues.push({ line: start, column, reason: 'unclosed quote: the field never ends' });
            break recordLoop;
          }
          const ch = src[i]!;
          if (ch === '"') {
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (ch === '\r' || ch === '\n') {
            lineEnd();
            value += '\n';
            continue;
          }
          value += ch;
          i += 1;
        }
        while (src[i] === ' ' || src[i] === '\t') i += 1;
        if (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          issues.push({ line, column, reason: `unexpected '${src[i]}' after a closing quote` });
          skipLine();
          continue recordLoop;
        }
      } else {
        while (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (src[i] === '"') {
            issues.push({ line, column, reason: 'a quote inside an unquoted field (quote the whole field)' });
            skipLine();
            continue recordLoop;
          }
          value += src[i];
          i += 1;
        }
      }
      record.fields.push({ value, quoted, line: start, column });
      if (src[i] === ',') {
        i += 1;
        continue;
      }
      lineEnd();
      break;
    }
    records.push(record);
  }
  return { records, issues };
}

/** True when a record carries nothing: every field empty or blank. */
export function isBlankRecord(r: CsvRecord): boolean {
  return r.fields.every((f) => f.value.trim() === '');
}
