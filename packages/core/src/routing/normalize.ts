/*
 * Text normalisation for smart routing (智能分拨). Citizens type on phones and PCs with mixed input
 * methods: the same word arrives in full-width or half-width letters, digits vary from message to
 * message (dates, house numbers, phone numbers) without saying anything about the topic, and the
 * source anonymised place names as letter + digits (A市, F7县). Normalising first makes the
 * character n-grams of "Ｆ７县" and "f3县" the same feature.
 */

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_TO_HALF = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/** Whether a code unit is whitespace or a separator we fold into one space. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x2028 || c === 0x2029;
}

/**
 * Normalises a message into UTF-16 code units: full-width ASCII → half-width, ideographic space →
 * space, latin upper case → lower case, every run of digits → one '0', whitespace runs → one space,
 * trimmed. Chinese characters and punctuation are kept as they are.
 */
export function normalizeCodes(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  let n = 0;
  let lastWasDigit = false;
  let lastWasSpace = true; // drops leading spaces
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= FULL_WIDTH_FIRST && c <= FULL_WIDTH_LAST) c -= FULL_TO_HALF;
    else if (c === IDEOGRAPHIC_SPACE) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c >= 0x30 && c <= 0x39) {
      if (!lastWasDigit) out[n++] = 0x30;
      lastWasDigit = true;
      lastWasSpace = false;
      continue;
    }
    lastWasDigit = false;
    if (isSpace(c)) {
      if (!lastWasSpace) out[n++] = 0x20;
      lastWasSpace = true;
      continue;
    }
    lastWasSpace = false;
    out[n++] = c;
  }
  if (lastWasSpace && n > 0) n--;
  return out.subarray(0, n);
}

/** The normalised message as a string (see normalizeCodes). */
export function normalizeText(text: string): string {
  const codes = normalizeCodes(text);
  let s = '';
  const CHUNK = 8192; // below the argument limit of fromCharCode.apply
  for (let i = 0; i < codes.length; i += CHUNK)
    s += String.fromCharCode.apply(null, Array.from(codes.subarray(i, i + CHUNK)));
  return s;
}
