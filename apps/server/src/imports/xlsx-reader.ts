import { TextDecoder } from 'node:util';
import { importFormatError } from './sheet-row.js';
import type { SheetRow } from './sheet-row.js';
import { bufferSource, fileSource, readCentralDirectory, readEntry, streamEntry } from './zip-reader.js';
import type { ZipEntryInfo, ZipSource } from './zip-reader.js';

/*
 * Rows of the first worksheet of an .xlsx, streamed: the worksheet XML is inflated and cut into <row>
 * elements as it arrives, so memory holds the shared strings and one piece of XML, not the sheet.
 * Cells come out as text the way a CSV export of the sheet would show them: shared and inline strings,
 * numbers, TRUE/FALSE, error codes, and dates (numbers in a date format) as 'YYYY-MM-DD HH:MM:SS'
 * wall-clock time, which the hotline parser reads as China Standard Time.
 */

export interface XlsxReadOptions {
  /** Cap on the inflated worksheet XML. Default 1 GiB. */
  maxSheetBytes?: number;
  /** Cap on the inflated shared-strings part (held in memory as strings). Default 256 MiB. */
  maxSharedStringsBytes?: number;
  /** Cap on every other part read (workbook, relationships, styles). Default 16 MiB. */
  maxPartBytes?: number;
  /** Highest column count accepted. Default 1,024. */
  maxColumns?: number;
}

const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;
const NS = '(?:[\\w.-]+:)?'; // any namespace prefix: Excel writes none, the OpenXML SDK writes x:

const xlsxError = (reason: string, row?: number): Error =>
  importFormatError(`XLSX: ${reason}`, row === undefined ? { reason } : { row, reason });

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text with entities and character references resolved, and OOXML's _xHHHH_ escapes decoded. */
export function decodeXmlText(raw: string): string {
  let s = raw;
  if (s.includes('&')) {
    s = s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
  }
  // a literal "_x000D_" is itself written "_x005F_x000D_"; one pass from the left gets both right
  if (s.includes('_x'))
    s = s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return s;
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out.set(m[1] ?? '', decodeXmlText(m[2] ?? m[3] ?? ''));
  }
  return out;
}

/** The value of an attribute whatever its namespace prefix ('r:id' and 'id' both answer 'id'). */
function attr(attrs: Map<string, string>, local: string): string | undefined {
  for (const [name, value] of attrs) if (name === local || name.endsWith(`:${local}`)) return value;
  return undefined;
}

const PHONETIC = new RegExp(`<${NS}rPh\\b[\\s\\S]*?</${NS}rPh>`, 'g');
const TEXT = new RegExp(`<${NS}t\\b[^>]*?(?:/>|>([\\s\\S]*?)</${NS}t>)`, 'g');

/** Concatenated text of the <t> elements of a string item, without phonetic runs (<rPh>). */
function richText(xml: string): string {
  // the usual item is one plain <t>…</t>: no regular expression needed
  const open = xml.indexOf('<t>');
  if (open >= 0 && xml.indexOf('<t', open + 3) < 0) {
    const close = xml.indexOf('</t>', open);
    if (close > 0) return decodeXmlText(xml.slice(open + 3, close));
  }
  const body = xml.includes('rPh') ? xml.replace(PHONETIC, '') : xml;
  let text = '';
  for (const m of body.matchAll(TEXT)) text += decodeXmlText(m[1] ?? '');
  return text;
}

// Built-in number formats that show dates or times: 14–22 everywhere, 27–36 and 50–58 in Chinese,
// Japanese and Korean locales, 45–47 minutes and seconds.
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** True when a custom format code shows a date or time (y, m, d, h or s outside quotes and brackets). */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  if (/general/i.test(bare)) return false;
  return /[ymdhs]/i.test(bare);
}

/** Which cell styles (cellXfs indexes) show numbers as dates. */
function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(new RegExp(`<${NS}numFmt\\b[^>]*>`, 'g'))) {
    const a = attributes(m[0]);
    custom.set(Number(attr(a, 'numFmtId')), attr(a, 'formatCode') ?? '');
  }
  const xfs = new RegExp(`<${NS}cellXfs\\b[^>]*>([\\s\\S]*?)</${NS}cellXfs>`).exec(stylesXml)?.[1] ?? '';
  return [...xfs.matchAll(new RegExp(`<${NS}xf\\b[^>]*>`, 'g'))].map((m) => {
    const id = Number(attr(attributes(m[0]), 'numFmtId') ?? 0);
    const code = custom.get(id);
    return code === undefined ? BUILTIN_DATE_FORMATS.has(id) : isDateFormatCode(code);
  });
}

const DAY_MS = 86_400_000;
const MAX_SERIAL = 2_958_466; // 10000-01-01

/** An Excel serial as wall-clock text: 'YYYY-MM-DD HH:MM:SS', or 'HH:MM:SS' for a time of day alone. */
export function excelSerialToText(serial: number, date1904 = false): string {
  // 1900 system: day 1 is 1900-01-01 and day 60 the 1900-02-29 that never was, so from day 61 on
  // the count matches 1899-12-30 as day 0; 1904 system: day 0 is 1904-01-01
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  const ms = Math.round(((days - 25_569) * DAY_MS) / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  return serial >= 0 && serial < 1 ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The 0-based column of a cell reference such as 'AB12'; -1 when there is none. */
function columnOf(ref: string | undefined): number {
  if (ref === undefined) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

/** Resolves a relationship target against the folder of the part that declares it. */
function resolvePath(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

function relationships(xml: string, ofPart: string): { type: string; id: string; path: string }[] {
  return [...xml.matchAll(new RegExp(`<${NS}Relationship\\b[^>]*>`, 'g'))].map((m) => {
    const a = attributes(m[0]);
    return {
      id: attr(a, 'Id') ?? '',
      type: attr(a, 'Type') ?? '',
      path: resolvePath(ofPart, attr(a, 'Target') ?? ''),
    };
  });
}

const relsOf = (part: string): string => {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

/**
 * Cuts streamed XML text into complete elements named `name` (not nested), yielding each element's
 * text; everything between them is dropped as it passes.
 */
async function* elements(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  const open = new RegExp(`<${NS}${name}\\b[^>]*?(/?)>`, 'g');
  const close = new RegExp(`</${NS}${name}\\s*>`, 'g');
  let buf = '';
  const drain = function* (final: boolean): Generator<string> {
    let pos = 0;
    for (;;) {
      open.lastIndex = pos;
      const o = open.exec(buf);
      if (!o) {
        // keep a possibly cut-off tag for the next piece
        const lt = buf.lastIndexOf('<');
        pos = final || lt < pos ? buf.length : lt;
        break;
      }
      if (o[1] === '/') {
        yield o[0];
        pos = open.lastIndex;
        continue;
      }
      close.lastIndex = open.lastIndex;
      const c = close.exec(buf);
      if (!c) {
        pos = o.index;
        break;
      }
      yield buf.slice(o.index, close.lastIndex);
      pos = close.lastIndex;
    }
    buf = buf.slice(pos);
    if (buf.length > MAX_ELEMENT_CHARS)
      throw xlsxError(`a <${name}> element is larger than ${MAX_ELEMENT_CHARS} characters`);
  };
  for await (const chunk of chunks) {
    buf += decoder.decode(chunk, { stream: true });
    yield* drain(false);
  }
  buf += decoder.decode();
  yield* drain(true);
}

interface Workbook {
  sheet: ZipEntryInfo;
  sharedStrings: ZipEntryInfo | undefined;
  styles: ZipEntryInfo | undefined;
  date1904: boolean;
}

async function locateParts(source: ZipSource, entries: ZipEntryInfo[], maxPart: number): Promise<Workbook> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const text = async (name: string): Promise<string | undefined> => {
    const entry = byName.get(name);
    return entry === undefined ? undefined : (await readEntry(source, entry, maxPart)).toString('utf8');
  };
  const rootRels = await text('_rels/.rels');
  const office = rootRels === undefined ? [] : relationships(rootRels, '');
  const workbookPath = office.find((r) => r.type.endsWith('/officeDocument'))?.path ?? 'xl/workbook.xml';
  const workbookXml = await text(workbookPath);
  if (workbookXml === undefined)
    throw xlsxError(`no workbook part (${workbookPath}); is this an .xlsx file?`);
  const rels = relationships((await text(relsOf(workbookPath))) ?? '', workbookPath);
  const first = new RegExp(`<${NS}sheet\\b[^>]*>`).exec(workbookXml);
  const sheetRel = first === null ? undefined : attr(attributes(first[0]), 'id');
  const sheetPath =
    rels.find((r) => r.id === sheetRel)?.path ??
    rels.find((r) => r.type.endsWith('/worksheet'))?.path ??
    'xl/worksheets/sheet1.xml';
  const sheet = byName.get(sheetPath);
  if (sheet === undefined) throw xlsxError(`the first worksheet (${sheetPath}) is missing`);
  const partOf = (suffix: string, fallback: string): ZipEntryInfo | undefined =>
    byName.get(rels.find((r) => r.type.endsWith(suffix))?.path ?? fallback);
  const pr = new RegExp(`<${NS}workbookPr\\b[^>]*>`).exec(workbookXml);
  const date1904 = pr !== null && /^(1|true)$/.test(attr(attributes(pr[0]), 'date1904') ?? '');
  return {
    sheet,
    sharedStrings: partOf('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: partOf('/styles', 'xl/styles.xml'),
    date1904,
  };
}

const CELL = new RegExp(`<${NS}c\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${NS}c>)`, 'g');
const VALUE = new RegExp(`<${NS}v\\b[^>]*>([\\s\\S]*?)</${NS}v>`);
const INLINE = new RegExp(`<${NS}is\\b[^>]*>([\\s\\S]*?)</${NS}is>`);

interface SheetContext {
  shared: string[];
  dates: boolean[];
  date1904: boolean;
  maxColumns: number;
}

function cellText(type: string, style: number, body: string, ctx: SheetContext, row: number): string {
  if (type === 'inlineStr') return richText(INLINE.exec(body)?.[1] ?? '');
  const v = VALUE.exec(body)?.[1];
  if (v === undefined) return '';
  switch (type) {
    case 's': {
      const s = ctx.shared[Number(v)];
      if (s === undefined) throw xlsxError(`shared string ${v} does not exist`, row);
      return s;
    }
    case 'b':
      return v.trim() === '1' ? 'TRUE' : 'FALSE';
    case 'str':
    case 'e':
      return decodeXmlText(v);
    case 'd': // ISO 8601 wall-clock date (strict OOXML)
      return decodeXmlText(v)
        .replace('T', ' ')
        .replace(/(\.\d+)?Z?$/, '');
    default: {
      const n = Number(v);
      if (!Number.isFinite(n)) return decodeXmlText(v);
      // a date style on a number no calendar holds (beyond 9999-12-31) shows the number, as Excel shows ####
      if (ctx.dates[style] === true && n >= 0 && n < MAX_SERIAL) return excelSerialToText(n, ctx.date1904);
      // 1.38E10 as Excel displays it, 13800000000; anything else as stored
      return /e/i.test(v) ? String(n) : v.trim();
    }
  }
}

const CELL_ATTRIBUTE = /\s(r|s|t)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseRow(xml: string, fallbackRow: number, ctx: SheetContext): { row: number; cells: string[] } {
  const head = /^<[^>]*>/.exec(xml)?.[0] ?? '';
  const r = Number(attr(attributes(head), 'r'));
  const row = Number.isInteger(r) && r > 0 ? r : fallbackRow;
  const cells: string[] = [];
  // exec loops over shared expressions: matchAll would clone them for every row and cell
  CELL.lastIndex = 0;
  for (let m = CELL.exec(xml); m !== null; m = CELL.exec(xml)) {
    // the three attributes that matter, without building a map per cell
    let ref: string | undefined;
    let style = 0;
    let type = 'n';
    const attrs = m[1] ?? '';
    CELL_ATTRIBUTE.lastIndex = 0;
    for (let a = CELL_ATTRIBUTE.exec(attrs); a !== null; a = CELL_ATTRIBUTE.exec(attrs)) {
      const value = a[2] ?? a[3] ?? '';
      if (a[1] === 'r') ref = value;
      else if (a[1] === 's') style = Number(value);
      else type = value;
    }
    const at = columnOf(ref);
    const col = at >= 0 ? at : cells.length;
    if (col >= ctx.maxColumns) throw xlsxError(`row ${row} has a cell beyond column ${ctx.maxColumns}`, row);
    const text = cellText(type, style, m[2] ?? '', ctx, row);
    while (cells.length < col) cells.push('');
    cells[col] = text;
  }
  return { row, cells };
}

/**
 * Streams the rows of the first worksheet of an .xlsx given as bytes or a ZipSource, with their sheet
 * row numbers (header = 1; empty rows are absent) and archive bytes consumed. Throws AppError
 * IMPORT_INVALID for a file that is not an xlsx, is damaged or encrypted, or exceeds a size cap.
 */
export async function* readXlsx(
  input: Uint8Array | ZipSource,
  options: XlsxReadOptions = {},
): AsyncGenerator<SheetRow, void, undefined> {
  const source = input instanceof Uint8Array ? bufferSource(input) : input;
  const maxPart = options.maxPartBytes ?? 16 * 1024 * 1024;
  const entries = await readCentralDirectory(source);
  const book = await locateParts(source, entries, maxPart);
  const ctx: SheetContext = {
    shared: [],
    dates: [],
    date1904: book.date1904,
    maxColumns: options.maxColumns ?? 1_024,
  };
  if (book.styles) ctx.dates = dateStyles((await readEntry(source, book.styles, maxPart)).toString('utf8'));
  if (book.sharedStrings) {
    const max = options.maxSharedStringsBytes ?? 256 * 1024 * 1024;
    for await (const si of elements(streamEntry(source, book.sharedStrings, max), 'si'))
      ctx.shared.push(richText(si));
  }
  let bytesRead = 0;
  let last = 0;
  const sheet = streamEntry(
    source,
    book.sheet,
    options.maxSheetBytes ?? 1024 * 1024 * 1024,
    (at) => (bytesRead = at),
  );
  for await (const xml of elements(sheet, 'row')) {
    const { row, cells } = parseRow(xml, last + 1, ctx);
    last = row;
    if (cells.length > 0) yield { row, cells, bytesRead };
  }
}

/** readXlsx over a file on disk, read piece by piece and closed at the end. */
export async function* readXlsxFile(
  path: string,
  options?: XlsxReadOptions,
): AsyncGenerator<SheetRow, void, undefined> {
  const source = await fileSource(path);
  try {
    yield* readXlsx(source, options);
  } finally {
    await source.close();
  }
}
