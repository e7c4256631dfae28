import { stripInvalidXmlChars } from './xml-text.js';

// Excel's own limits: it refuses to open a workbook that breaks any of them.
const MAX_SHEET_NAME = 31;
const FORBIDDEN_IN_SHEET_NAME = /[[\]:*?/\\]/g;

/** Column letters for a zero-based column index (0 → A, 25 → Z, 26 → AA). */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

// Cuts at a code-point boundary: slicing UTF-16 units could leave half a surrogate pair (an emoji,
// a rare CJK extension character), which is not valid XML.
function truncate(text: string, maxUnits: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > maxUnits) break;
    out += ch;
  }
  return out;
}

// Excel rejects names that begin or end with an apostrophe (it quotes references with them).
function trimName(text: string): string {
  return text.replace(/^[\s']+|[\s']+$/g, '');
}

/** Makes sheet names Excel accepts: no []:*?/\ or controls, at most 31 chars, not blank, unique ignoring case. */
export function sanitiseSheetNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((raw, i) => {
    let base = trimName(
      stripInvalidXmlChars(raw)
        .replace(/\p{Cc}/gu, '')
        .replace(FORBIDDEN_IN_SHEET_NAME, '_'),
    );
    // "History" is reserved for Excel's change-tracking sheet
    if (base.toLowerCase() === 'history') base += '_';
    base = trimName(truncate(base, MAX_SHEET_NAME)) || `Sheet${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      name = truncate(base, MAX_SHEET_NAME - suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

// East Asian wide and full-width characters take about two columns of the default font's digit width.
const WIDE_CHAR =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** Approximate display width in Excel column units, counting CJK characters as two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE_CHAR.test(ch) ? 2 : 1;
  return width;
}
