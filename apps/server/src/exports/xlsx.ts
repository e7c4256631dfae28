import type { Buffer } from 'node:buffer';
import { columnName, displayWidth, sanitiseSheetNames } from './xlsx-names.js';
import { escapeXml, neutraliseFormula, stripInvalidXmlChars } from './xml-text.js';
import { zip } from './zip.js';

/** One cell value; null (and an empty string) leaves the cell empty. */
export type XlsxCell = string | number | boolean | Date | null;

/** A column: its header text and an optional width in Excel character units (estimated when absent). */
export interface XlsxColumn {
  header: string;
  width?: number;
}

/** One worksheet: the header row comes from `columns`, then one spreadsheet row per entry of `rows`. */
export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: XlsxCell[][];
}

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
// Width estimation reads only the first rows: enough to size a ledger, cheap for 100,000-row exports.
const WIDTH_SAMPLE_ROWS = 200;
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;
const DATE_WIDTH = 16; // "yyyy-mm-dd hh:mm"

// cellXfs indexes in styles.xml
const STYLE_HEADER = 1;
const STYLE_DATE = 2;

const MS_PER_DAY = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
const UNIX_EPOCH_SERIAL = 25_569; // 1970-01-01 in Excel's 1900 date system

// Grid offices all keep Beijing time, and Excel stores wall-clock time without a zone, so the instant
// is shifted to fixed UTC+8 (China has had no daylight saving since 1991): 2026-12-01T01:00:00Z → 46357.375,
// i.e. 09:00 that day. Serials before 1900-03-01 are off by one because of Excel's fictitious 1900-02-29;
// ledgers never go back that far.
/** Excel serial date (1900 system) for the instant's wall-clock time in China Standard Time, UTC+8. */
export function excelSerialCst(date: Date): number {
  return (date.getTime() + CST_OFFSET_MS) / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// Inline strings avoid a shared-strings part (and the bookkeeping to build it) at the cost of a larger
// file, which deflate mostly wins back. String cells are stripped of XML-illegal characters and guarded
// against formula injection (see neutraliseFormula); dates are CST serials (see excelSerialCst).
/** .xlsx bytes with one worksheet per sheet: bold frozen filterable header, column widths, CST dates. */
export function writeXlsx(sheets: XlsxSheet[]): Buffer {
  if (sheets.length === 0) throw new RangeError('writeXlsx: a workbook needs at least one sheet');
  const names = sanitiseSheetNames(sheets.map((s) => s.name));
  const worksheets = sheets.map((sheet, i) => ({
    name: `xl/worksheets/sheet${i + 1}.xml`,
    data: sheetXml(sheet, i === 0),
  }));
  return zip([
    { name: '[Content_Types].xml', data: contentTypesXml(sheets.length) },
    { name: '_rels/.rels', data: rootRelsXml() },
    { name: 'xl/workbook.xml', data: workbookXml(sheets, names) },
    { name: 'xl/_rels/workbook.xml.rels', data: workbookRelsXml(sheets.length) },
    { name: 'xl/styles.xml', data: STYLES_XML },
    ...worksheets,
  ]);
}

function contentTypesXml(sheetCount: number): string {
  const overrides = [`<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>`];
  for (let i = 1; i <= sheetCount; i++) {
    overrides.push(`<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${CT}.worksheet+xml"/>`);
  }
  overrides.push(`<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>`);
  return (
    XML_DECL +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    overrides.join('') +
    '</Types>'
  );
}

function rootRelsXml(): string {
  return (
    XML_DECL +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    '</Relationships>'
  );
}

function workbookXml(sheets: XlsxSheet[], names: string[]): string {
  const entries = names.map(
    (name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  // Excel records every autofilter range as this hidden name and rebuilds it (with a warning) when missing
  const filters = sheets.flatMap((sheet, i) => {
    if (sheet.columns.length === 0) return [];
    const quoted = `'${(names[i] ?? '').replace(/'/g, "''")}'`;
    const range = `$A$1:$${columnName(sheet.columns.length - 1)}$${sheet.rows.length + 1}`;
    return [
      `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">` +
        `${escapeXml(`${quoted}!${range}`)}</definedName>`,
    ];
  });
  return (
    XML_DECL +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${entries.join('')}</sheets>` +
    (filters.length > 0 ? `<definedNames>${filters.join('')}</definedNames>` : '') +
    '</workbook>'
  );
}

function workbookRelsXml(sheetCount: number): string {
  const rels: string[] = [];
  for (let i = 1; i <= sheetCount; i++) {
    rels.push(`<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`);
  }
  rels.push(`<Relationship Id="rId${sheetCount + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`);
  return XML_DECL + `<Relationships xmlns="${NS_PKG_REL}">${rels.join('')}</Relationships>`;
}

// Element order inside styleSheet is fixed by the schema; Excel rejects a reordered part.
const STYLES_XML =
  XML_DECL +
  `<styleSheet xmlns="${NS_MAIN}">` +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>' +
  '<fonts count="2">' +
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '</fonts>' +
  // the first two fills are reserved by Excel whether or not they are used
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
  `<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

function sheetXml(sheet: XlsxSheet, selected: boolean): string {
  const { columns, rows } = sheet;
  if (rows.length + 1 > MAX_ROWS) throw new RangeError(`writeXlsx: more than ${MAX_ROWS - 1} rows`);
  const width = rows.reduce((w, row) => Math.max(w, row.length), columns.length);
  if (width > MAX_COLUMNS) throw new RangeError(`writeXlsx: more than ${MAX_COLUMNS} columns`);
  const letters = Array.from({ length: width }, (_, i) => columnName(i));

  const out: string[] = [XML_DECL, `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`];
  out.push(`<dimension ref="${width === 0 ? 'A1' : `A1:${letters[width - 1]}${rows.length + 1}`}"/>`);
  // only one sheet may be selected: several selected tabs put Excel in group-edit mode
  out.push(
    `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0">` +
      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
  );
  out.push('<sheetFormatPr defaultRowHeight="15"/>');
  if (columns.length > 0) {
    out.push('<cols>');
    columns.forEach((col, i) => {
      const w = col.width ?? estimateWidth(col.header, rows, i);
      out.push(`<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`);
    });
    out.push('</cols>');
  }

  out.push('<sheetData>');
  if (columns.length > 0) {
    out.push('<row r="1">');
    columns.forEach((col, i) => out.push(cellXml(`${letters[i]}1`, col.header, STYLE_HEADER)));
    out.push('</row>');
  }
  rows.forEach((row, r) => {
    out.push(`<row r="${r + 2}">`);
    row.forEach((value, c) => out.push(cellXml(`${letters[c]}${r + 2}`, value)));
    out.push('</row>');
  });
  out.push('</sheetData>');
  if (columns.length > 0) {
    out.push(`<autoFilter ref="A1:${letters[columns.length - 1]}${rows.length + 1}"/>`);
  }
  out.push('</worksheet>');
  return out.join('');
}

function cellXml(ref: string, value: XlsxCell | undefined, style?: number): string {
  const s = style === undefined ? '' : ` s="${style}"`;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // NaN and ±Infinity have no spreadsheet representation; an empty cell beats failing the whole export
    return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : '';
  }
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t)
      ? ''
      : `<c r="${ref}" s="${style ?? STYLE_DATE}"><v>${excelSerialCst(value)}</v></c>`;
  }
  // strip before the formula check: "\u0001=1+1" must not turn into an unguarded "=1+1"
  const text = neutraliseFormula(stripInvalidXmlChars(String(value)));
  if (text === '') return '';
  // without xml:space="preserve" Excel trims leading and trailing blanks from the text
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${escapeXml(text)}</t></is></c>`;
}

function estimateWidth(header: string, rows: XlsxCell[][], column: number): number {
  // the bold header and the autofilter button need about two extra units
  let w = displayWidth(header) + 2;
  const n = Math.min(rows.length, WIDTH_SAMPLE_ROWS);
  for (let r = 0; r < n; r++) {
    const v = rows[r]?.[column];
    if (v === null || v === undefined) continue;
    w = Math.max(w, v instanceof Date ? DATE_WIDTH : displayWidth(String(v)));
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 1));
}
