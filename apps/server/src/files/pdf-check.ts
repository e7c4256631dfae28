import { inflateSync } from 'node:zlib';

/**
 * A conservative filter for uploaded PDFs, NOT a sanitiser: the file is stored as uploaded, and is
 * accepted only when no sign of active content is found. It refuses files that name JavaScript
 * (`/JavaScript`, `/JS`), launch actions (`/Launch`) or embedded files (`/EmbeddedFile(s)`), in the
 * plain file and inside Flate-compressed streams (where object streams hide dictionaries). Names are
 * read with their `#xx` escapes decoded (`/J#61vaScript` is `/JavaScript`). Streams that do not
 * inflate are read as they are, except image-codec streams (JPEG, JPEG 2000, JBIG2, fax), which hold
 * only pixels; other filters (LZW, ASCII85…) and encrypted files are not decoded, so a
 * determined attacker may still get past it. Serve PDFs as attachments with nosniff all the same.
 */

export type PdfVerdict = { ok: true } | { ok: false; reason: string };

const FORBIDDEN = /\/(JavaScript|JS|Launch|EmbeddedFiles?)(?=[\s()<>[\]{}/%]|$)/;
const LABEL: Record<string, string> = {
  JavaScript: 'JavaScript',
  JS: 'JavaScript',
  Launch: 'a launch action',
  EmbeddedFile: 'embedded files',
  EmbeddedFiles: 'embedded files',
};

// Inflating streams is bounded so a PDF cannot be a zip bomb for the checker itself.
const MAX_INFLATED_TOTAL = 64 * 1024 * 1024;
const MAX_STREAMS = 10_000;

/** Decodes `#xx` escapes (as in PDF names); applied to the whole text, which can only add matches. */
function unescapeNames(text: string): string {
  return text.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function findForbidden(text: string): string | null {
  const m = FORBIDDEN.exec(unescapeNames(text));
  return m ? (LABEL[m[1] ?? ''] ?? 'active content') : null;
}

// Streams coded with an image codec hold pixels, never PDF objects; their random bytes would
// otherwise match `/JS` now and then and refuse innocent scans.
const IMAGE_CODEC = /\/(DCTDecode|JPXDecode|JBIG2Decode|CCITTFaxDecode)\b/;

interface Segment {
  /** Bytes outside any stream (dictionaries, object syntax). */
  outside: Buffer;
  /** The stream that follows, if any, and whether its dictionary names an image codec. */
  stream?: { data: Buffer; isImage: boolean };
}

/** Splits a PDF at its `stream` … `endstream` keywords. */
function* segments(pdf: Buffer): Generator<Segment> {
  let from = 0;
  for (let n = 0; n < MAX_STREAMS; n++) {
    let start = pdf.indexOf('stream', from, 'latin1');
    // `endstream` contains `stream`; skip stray ones
    while (start >= 3 && pdf.toString('latin1', start - 3, start) === 'end') {
      start = pdf.indexOf('stream', start + 6, 'latin1');
    }
    if (start < 0) break;
    let dataStart = start + 6;
    if (pdf[dataStart] === 0x0d) dataStart++;
    if (pdf[dataStart] === 0x0a) dataStart++;
    const end = pdf.indexOf('endstream', dataStart, 'latin1');
    if (end < 0) break;
    const outside = pdf.subarray(from, start);
    // the stream's own dictionary: from its `obj` keyword on (absent in the window: treated as not an image)
    const window = pdf.toString('latin1', Math.max(from, start - 1024), start);
    const objAt = window.lastIndexOf('obj');
    const isImage = objAt >= 0 && IMAGE_CODEC.test(window.slice(objAt));
    yield { outside, stream: { data: pdf.subarray(dataStart, end), isImage } };
    from = end + 9;
  }
  yield { outside: pdf.subarray(from) };
}

/** Accepts a PDF only if it starts with `%PDF-` and shows no active content (see the module note). */
export function checkPdf(pdf: Buffer, limits: { maxInflatedBytes?: number } = {}): PdfVerdict {
  const maxInflated = limits.maxInflatedBytes ?? MAX_INFLATED_TOTAL;
  if (pdf.toString('latin1', 0, 5) !== '%PDF-') return { ok: false, reason: 'not a PDF (no %PDF- header)' };
  let inflatedTotal = 0;
  const tooMuch: PdfVerdict = { ok: false, reason: 'PDF streams inflate to too much data to check' };
  for (const { outside, stream } of segments(pdf)) {
    const found = findForbidden(outside.toString('latin1'));
    if (found) return { ok: false, reason: `PDF contains ${found}` };
    if (!stream || stream.isImage) continue;
    let text: string;
    try {
      const inflated = inflateSync(stream.data, { maxOutputLength: maxInflated - inflatedTotal + 1 });
      inflatedTotal += inflated.length;
      if (inflatedTotal > maxInflated) return tooMuch;
      text = inflated.toString('latin1');
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooMuch;
      text = stream.data.toString('latin1'); // unfiltered (or unreadable) stream: check it as it is
    }
    const inStream = findForbidden(text);
    if (inStream) return { ok: false, reason: `PDF contains ${inStream}` };
  }
  return { ok: true };
}
