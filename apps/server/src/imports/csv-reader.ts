import { Buffer, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { importFormatError } from './sheet-row.js';
import type { SheetRow } from './sheet-row.js';

/*
 * Streaming RFC 4180 CSV: fields optionally in double quotes with "" for a quote; delimiters and line
 * breaks (CRLF, LF or CR) allowed inside quotes. Like Excel, a stray quote inside an unquoted field and
 * text after a closing quote are kept literally. Memory is one chunk plus one record.
 */

/** Encodings a hotline export arrives in: Chinese Excel saves "CSV" as GBK (GB18030 is its superset). */
export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** A CSV record with the physical line it starts on (records may span lines inside quotes). */
export interface CsvRow extends SheetRow {
  line: number;
}

export interface CsvReadOptions {
  /** 'auto' (default): a BOM decides, else the first non-ASCII bytes (valid UTF-8 or GB18030). */
  encoding?: CsvEncoding | 'auto';
  /** One character; default ','. */
  delimiter?: string;
  /** Longest field in characters; a longer one (often an unclosed quote) stops the import. Default 262,144. */
  maxFieldLength?: number;
  /** Most fields in one record. Default 1,024. */
  maxColumns?: number;
  /** Non-ASCII bytes examined before deciding the encoding. Default 65,536. */
  sniffBytes?: number;
  /** Called once with the encoding used. */
  onEncoding?: (encoding: CsvEncoding) => void;
}

const DECODE_PIECE = 48 * 1024; // bytes; at most 96 KiB of UTF-16 whatever the encoding
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3; // a quote inside a quoted field: closing, or the first of ""

/** An incremental CSV parser over decoded text; rows come out as soon as they are complete. */
export class CsvParser {
  private readonly delimiter: number;
  private readonly maxField: number;
  private readonly maxColumns: number;
  private state = FIELD_START;
  private cells: string[] = [];
  private field = '';
  private skipLf = false;
  private prevCr = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private row = 0;

  constructor(options: Pick<CsvReadOptions, 'delimiter' | 'maxFieldLength' | 'maxColumns'> = {}) {
    const d = options.delimiter ?? ',';
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
      throw new RangeError(`CsvParser: bad delimiter ${JSON.stringify(d)}`);
    }
    this.delimiter = d.charCodeAt(0);
    this.maxField = options.maxFieldLength ?? 262_144;
    this.maxColumns = options.maxColumns ?? 1_024;
  }

  /** The physical line being read (for error messages about the bytes). */
  get currentLine(): number {
    return this.line;
  }

  /** Parses the next piece of text, appending finished records to `out`. */
  feed(text: string, out: CsvRow[]): void {
    const n = text.length;
    const delim = this.delimiter;
    let i = 0;
    if (this.skipLf && n > 0) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    let seg = i; // start of the field text not yet copied into this.field
    while (i < n) {
      const state = this.state;
      if (state === FIELD_START) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          this.state = QUOTED;
          this.quoteLine = this.line;
          seg = ++i;
        } else if (c === delim) {
          this.pushField('');
          seg = ++i;
        } else if (c === LF || c === CR) {
          // after a delimiter the line break ends an empty last field: "a,\n" has two fields
          if (this.cells.length > 0) this.pushField('');
          i = this.lineEnd(text, i, out);
          seg = i;
        } else {
          this.state = UNQUOTED;
          seg = i;
        }
      } else if (state === UNQUOTED) {
        // tight scan to the end of the field
        let c = 0;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        if (i === n) break;
        this.pushField(this.takeField(text, seg, i));
        if (c === delim) {
          seg = ++i;
          this.state = FIELD_START;
        } else {
          i = this.lineEnd(text, i, out);
          seg = i;
        }
      } else if (state === QUOTED) {
        const q = text.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.countLines(text, i, end);
        i = end;
        if (q === -1) break;
        this.field += text.slice(seg, q);
        this.checkLength(this.field.length);
        this.state = AFTER_QUOTE;
        seg = ++i;
      } else {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          // "" inside quotes: one literal quote, and the field goes on
          this.field += '"';
          this.state = QUOTED;
          seg = ++i;
        } else if (c === delim) {
          this.pushField(this.takeField(text, i, i));
          this.state = FIELD_START;
          seg = ++i;
        } else if (c === LF || c === CR) {
          this.pushField(this.takeField(text, i, i));
          i = this.lineEnd(text, i, out);
          seg = i;
        } else {
          // text after the closing quote is kept, as Excel does
          this.state = UNQUOTED;
          seg = i;
        }
      }
    }
    if (this.state === UNQUOTED || this.state === QUOTED) {
      this.field += text.slice(seg, n);
      this.checkLength(this.field.length);
    }
  }

  /** Finishes the input: the last record without a line end, or an error for an unclosed quote. */
  end(out: CsvRow[]): void {
    if (this.state === QUOTED) {
      throw importFormatError(`CSV: the quoted field starting on line ${this.quoteLine} is never closed`, {
        line: this.quoteLine,
        reason: 'unclosed quote',
      });
    }
    if (this.state === UNQUOTED || this.state === AFTER_QUOTE) this.pushField(this.takeField('', 0, 0));
    else if (this.cells.length > 0) this.pushField('');
    if (this.cells.length > 0) this.emit(out);
  }

  private takeField(text: string, from: number, to: number): string {
    const value = this.field === '' ? text.slice(from, to) : this.field + text.slice(from, to);
    this.field = '';
    this.checkLength(value.length);
    return value;
  }

  private checkLength(length: number): void {
    if (length > this.maxField) {
      const opened =
        this.state === QUOTED ? ` (the quote opened on line ${this.quoteLine} may be unclosed)` : '';
      throw importFormatError(
        `CSV: a field on line ${this.line} is longer than ${this.maxField} characters${opened}`,
        {
          line: this.line,
          row: this.row + 1,
          reason: 'field too long',
        },
      );
    }
  }

  private pushField(value: string): void {
    if (this.cells.length >= this.maxColumns) {
      throw importFormatError(
        `CSV: record on line ${this.recordLine} has more than ${this.maxColumns} fields`,
        {
          line: this.recordLine,
          row: this.row + 1,
          reason: 'too many columns',
        },
      );
    }
    this.cells.push(value);
    this.state = FIELD_START;
  }

  /** Ends the record at the line break at i; returns the index after it (a CR's LF may be in the next piece). */
  private lineEnd(text: string, i: number, out: CsvRow[]): number {
    if (this.cells.length > 0) this.emit(out);
    else this.row++; // a blank line: Excel shows it as an empty row, so it keeps its number
    this.line++;
    this.recordLine = this.line;
    const next = i + 1;
    if (text.charCodeAt(i) === CR) {
      if (next === text.length) this.skipLf = true;
      else if (text.charCodeAt(next) === LF) return next + 1;
    }
    return next;
  }

  private emit(out: CsvRow[]): void {
    this.row++;
    out.push({ row: this.row, line: this.recordLine, cells: this.cells, bytesRead: 0 });
    this.cells = [];
    this.state = FIELD_START;
  }

  /** Counts line breaks inside a quoted field; a CRLF split between two pieces counts once. */
  private countLines(text: string, from: number, to: number): void {
    let prevCr = this.prevCr && from === 0;
    for (let j = from; j < to; j++) {
      const c = text.charCodeAt(j);
      if (c === CR || (c === LF && !prevCr)) this.line++;
      prevCr = c === CR;
    }
    this.prevCr = prevCr && to === text.length;
  }
}

/** True when the bytes are well-formed UTF-8; with `partialTail`, a sequence cut off at the end is accepted. */
export function isValidUtf8(bytes: Uint8Array, partialTail: boolean): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0) return false;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return partialTail;
      const c = bytes[i + k] ?? 0;
      if ((c & 0xc0) !== 0x80) return false;
      // overlong forms, UTF-16 surrogates and code points above U+10FFFF
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f))) return false;
      if (k === 1 && ((b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) return false;
    }
    i += need + 1;
  }
  return true;
}

/**
 * The encoding of a CSV file from its first non-ASCII bytes: a byte order mark when `atStart`, else
 * UTF-8 when they are well-formed UTF-8 and GB18030 (GBK) otherwise. Chinese text in GBK is almost
 * never valid UTF-8 (中文 = D6 D0 CE C4: D0 cannot follow D6).
 */
export function detectEncoding(head: Uint8Array, atStart: boolean, complete: boolean): CsvEncoding {
  if (atStart) {
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
    if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  }
  return isValidUtf8(head, !complete) ? 'utf-8' : 'gb18030';
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) return i;
  return -1;
}

const asciiText = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** Length of the part of `buf` that ends on a complete UTF-8 sequence (a cut-off one goes to the next chunk). */
function completeUtf8End(buf: Uint8Array): number {
  const n = buf.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const b = buf[n - k] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k ? n - k : n;
  }
  return n;
}

/**
 * Streaming UTF-8 with validation. TextDecoder with `fatal` and `stream` goes through ICU and costs
 * about as much as the whole CSV parse; buffer.isUtf8 (simdutf) plus toString is several times faster.
 */
class Utf8Decoder {
  private carry: Buffer | undefined;
  private atStart: boolean;

  constructor(atStart: boolean) {
    this.atStart = atStart;
  }

  decode(bytes: Uint8Array, stream: boolean): string {
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = undefined;
    }
    if (this.atStart) {
      if (buf.length < 3 && stream) {
        this.carry = Buffer.from(buf);
        return '';
      }
      this.atStart = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const end = stream ? completeUtf8End(buf) : buf.length;
    // copied: the caller may reuse the chunk's memory
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) throw new TypeError('invalid UTF-8');
    return body.toString('utf8');
  }
}

/**
 * Bytes to text for the parser. With 'auto', pure ASCII passes straight through (it reads the same in
 * every candidate encoding) and the decision waits for the first non-ASCII bytes plus `sniff` more.
 */
class CsvDecoder {
  private decoder: TextDecoder | Utf8Decoder | undefined;
  private encoding: CsvEncoding | undefined;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private heldAtStart = true;

  constructor(
    encoding: CsvEncoding | 'auto',
    private readonly sniff: number,
    private readonly line: () => number,
    private readonly onEncoding?: (encoding: CsvEncoding) => void,
  ) {
    if (encoding !== 'auto') this.use(encoding, true);
  }

  push(chunk: Uint8Array): string {
    if (this.decoder) return this.decode(chunk, true);
    if (chunk.length === 0) return '';
    let prefix = '';
    if (this.held.length === 0) {
      const k = firstNonAscii(chunk);
      if (k === -1) {
        this.heldAtStart = false;
        return asciiText(chunk);
      }
      if (k > 0) {
        prefix = asciiText(chunk.subarray(0, k));
        this.heldAtStart = false;
      }
      chunk = chunk.subarray(k);
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    return this.heldBytes >= this.sniff ? prefix + this.decide(false) : prefix;
  }

  end(): string {
    const rest = this.decoder ? '' : this.decide(true);
    return rest + this.decode(new Uint8Array(0), false);
  }

  private decide(complete: boolean): string {
    const head = Buffer.concat(this.held);
    this.held = [];
    this.use(
      head.length === 0 ? 'utf-8' : detectEncoding(head, this.heldAtStart, complete),
      this.heldAtStart,
    );
    return this.decode(head, !complete);
  }

  private use(encoding: CsvEncoding, atStart: boolean): void {
    this.encoding = encoding;
    // the decoder drops a leading byte order mark only when it really stands at the start of the file
    this.decoder =
      encoding === 'utf-8'
        ? new Utf8Decoder(atStart)
        : new TextDecoder(encoding, { fatal: true, ignoreBOM: !atStart });
    this.onEncoding?.(encoding);
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      const d = this.decoder;
      if (d === undefined) return '';
      return d instanceof Utf8Decoder ? d.decode(bytes, stream) : d.decode(bytes, { stream });
    } catch {
      // the parser has not seen these bytes yet: find the line of the first bad byte with a lossy decode
      const lossy = new TextDecoder(this.encoding, { ignoreBOM: true }).decode(bytes);
      const bad = lossy.indexOf('\uFFFD');
      const line = this.line() + (lossy.slice(0, Math.max(0, bad)).match(/\r\n|\r|\n/g) ?? []).length;
      const hint = this.encoding === 'utf-8' ? '; if Excel saved it as GBK, choose the encoding gb18030' : '';
      throw importFormatError(`CSV: line ${line} is not valid ${this.encoding}${hint}`, {
        line,
        reason: `bad ${this.encoding ?? 'text'} encoding`,
      });
    }
  }
}

/**
 * Streams the records of a CSV file (a Readable or any iterable of byte chunks) with their spreadsheet
 * row number, starting line and the bytes consumed so far. The first record is the header row; blank
 * lines are skipped but keep their row numbers. Throws AppError IMPORT_INVALID on an unclosed quote,
 * an oversized field or record, or bytes invalid in the encoding.
 */
export async function* readCsv(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRow, void, undefined> {
  const parser = new CsvParser(options);
  const decoder = new CsvDecoder(
    options.encoding ?? 'auto',
    options.sniffBytes ?? 65_536,
    () => parser.currentLine,
    options.onEncoding,
  );
  const out: CsvRow[] = [];
  let bytesRead = 0;
  for await (const chunk of source) {
    // string chunks (a Readable with setEncoding) are text already
    if (typeof chunk === 'string') parser.feed(chunk, out);
    else {
      // decoded in pieces: V8 makes strings over 128 KiB in large-object space, about 4× slower
      for (let at = 0; at < chunk.length; at += DECODE_PIECE) {
        parser.feed(decoder.push(chunk.subarray(at, at + DECODE_PIECE)), out);
      }
      bytesRead += chunk.length;
    }
    for (const row of out) {
      row.bytesRead = bytesRead;
      yield row;
    }
    out.length = 0;
  }
  parser.feed(decoder.end(), out);
  parser.end(out);
  for (const row of out) {
    row.bytesRead = bytesRead;
    yield row;
  }
}
