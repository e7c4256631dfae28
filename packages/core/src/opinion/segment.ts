/**
 * Text normalisation and Chinese word segmentation for the opinion line (舆情).
 *
 * `normaliseText` is length-preserving (one UTF-16 unit in, one out), so offsets found in the
 * normalised text point at the same characters of the original: evidence can be highlighted in
 * what the citizen actually wrote.
 */

/** One segment of a text: offsets are UTF-16 indices into the (normalised) text. */
export interface Segment {
  text: string;
  start: number;
  end: number;
  /** True for words, numbers and CJK runs; false for punctuation and spaces. */
  isWordLike: boolean;
}

const FULLWIDTH_FIRST = 0xff01; // ！
const FULLWIDTH_LAST = 0xff5e; // ～
const FULLWIDTH_SHIFT = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

function isSpaceCode(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === IDEOGRAPHIC_SPACE;
}

/**
 * Full-width ASCII to half-width (ＡＢＣ１２３！ → abc123!), Latin lower-cased, every kind of
 * space to ' '. Length-preserving; CJK punctuation such as 。、 is kept as it is.
 */
export function normaliseText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= FULLWIDTH_FIRST && c <= FULLWIDTH_LAST) c -= FULLWIDTH_SHIFT;
    else if (isSpaceCode(c)) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out;
}

let segmenter: Intl.Segmenter | undefined;

/** One shared segmenter: constructing one costs far more than segmenting a post. */
function zhSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('zh-CN', { granularity: 'word' });
  return segmenter;
}

/** Splits normalised text into words with ICU's dictionary segmenter (Intl.Segmenter, zh-CN). */
export function segmentWords(text: string): Segment[] {
  const out: Segment[] = [];
  for (const s of zhSegmenter().segment(text)) {
    out.push({
      text: s.segment,
      start: s.index,
      end: s.index + s.segment.length,
      isWordLike: s.isWordLike === true,
    });
  }
  return out;
}

/** The word-like segments' texts, in order (handy for tests and keyword clouds). */
export function wordsOf(text: string): string[] {
  return segmentWords(normaliseText(text))
    .filter((s) => s.isWordLike)
    .map((s) => s.text);
}

/** Every offset where a segment starts or ends, including 0 and text.length. */
export function segmentBoundaries(text: string): Set<number> {
  const set = new Set<number>([0, text.length]);
  for (const s of segmentWords(text)) {
    set.add(s.start);
    set.add(s.end);
  }
  return set;
}

/** True for characters of the CJK unified ideographs (basic block and extension A). */
export function isCjk(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);
}
