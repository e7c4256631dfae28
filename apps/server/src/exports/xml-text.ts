// XML 1.0 `Char` production: tab, LF, CR, and U+0020..U+10FFFF minus lone surrogates, U+FFFE and U+FFFF.
// Everything else (NUL, the other C0 controls, unpaired surrogates, the two non-characters) makes the
// whole part unparseable, and Excel then offers to "repair" the workbook by dropping data.
const INVALID_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes the code points XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHAR, '');
}

// Tab, LF and CR are written as character references: a parser folds a literal CR (and CRLF) into LF
// when it reads element text, and turns all three into spaces inside attribute values, so only the
// references make the same escaped text safe in both places.
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escapes text for XML element content or attribute values; also strips characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

// The OWASP "CSV injection" list. An inline-string cell is never evaluated when the file is opened,
// but Excel and WPS re-parse the text as a formula as soon as someone edits the cell (F2, Enter) or
// saves the sheet as CSV and opens that, so a resident-supplied `=HYPERLINK(...)` or `=cmd|...` in
// a ledger would run on a grid worker's machine. The leading apostrophe keeps it text at every step.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote to text that a spreadsheet would read as a formula (OWASP CSV-injection advice). */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
