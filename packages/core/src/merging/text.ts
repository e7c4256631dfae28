/**
 * Text normalisation and character n-grams for Chinese reports (一事一案: one problem, one case).
 *
 * Chinese has no spaces, so words are approximated by overlapping character n-grams (shingles):
 * bigrams catch most two-character words (噪音, 扰民, 路灯) and survive rephrasing between a
 * hotline operator's summary and a grid worker's note better than longer grams.
 */

/** Courtesy words that every channel sprinkles in and that say nothing about the problem. */
export const FILLER_WORDS: readonly string[] = [
  '尊敬的',
  '您好',
  '你好',
  '请问',
  '谢谢',
  '感谢',
  '麻烦',
  '拜托',
  '劳驾',
  '此致',
  '敬礼',
];

/** Options of the text functions; the defaults are the ones the evaluation chose. */
export interface TextOptions {
  /** Characters per shingle. Default 2 (see data/merge-eval/README.md). */
  ngram?: number;
  /** Words removed after punctuation is stripped. Default {@link FILLER_WORDS}. */
  fillers?: readonly string[];
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;
const fillerPatterns = new WeakMap<readonly string[], RegExp | null>();

function fillerPattern(fillers: readonly string[]): RegExp | null {
  let re = fillerPatterns.get(fillers);
  if (re === undefined) {
    const words = fillers
      .map((w) => w.normalize('NFKC').toLowerCase().replace(NON_WORD, ''))
      .filter((w) => w.length > 0)
      .sort((a, b) => b.length - a.length)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = words.length > 0 ? new RegExp(words.join('|'), 'gu') : null;
    fillerPatterns.set(fillers, re);
  }
  return re;
}

/**
 * Normalises a text for comparison: NFKC (full-width → half-width letters, digits and
 * punctuation), lower case, no punctuation, symbols or whitespace, no filler words.
 */
export function normalizeForMerge(text: string, options: TextOptions = {}): string {
  const stripped = text.normalize('NFKC').toLowerCase().replace(NON_WORD, '');
  const re = fillerPattern(options.fillers ?? FILLER_WORDS);
  return re ? stripped.replace(re, '') : stripped;
}

/**
 * The distinct character n-grams of an already normalised text. A text shorter than `n` (but
 * not empty) is its own single shingle, so short reports still compare.
 */
export function shingles(normalized: string, n = 2): Set<string> {
  const out = new Set<string>();
  forEachGram(normalized, n, (g) => out.add(g));
  return out;
}

/** Calls `fn` with every n-gram of code points (the whole text when shorter than n, nothing when empty). */
function forEachGram(normalized: string, n: number, fn: (gram: string) => void): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n-gram size must be a positive integer');
  // code points, not UTF-16 units: rare characters outside the BMP (𠮷) stay whole
  const chars = Array.from(normalized);
  if (chars.length === 0) return;
  if (chars.length <= n) {
    fn(normalized);
    return;
  }
  for (let i = 0; i + n <= chars.length; i++) {
    let g = chars[i] as string;
    for (let k = 1; k < n; k++) g += chars[i + k] as string;
    fn(g);
  }
}

/** Term-frequency vector of a text's n-grams, kept for exact similarity at scoring time. */
export interface TextProfile {
  /** n-gram → count. */
  counts: Map<string, number>;
  /** Euclidean norm of the counts. */
  norm: number;
}

/** Builds the n-gram profile of a raw text (normalised first). */
export function textProfile(text: string, options: TextOptions = {}): TextProfile {
  const counts = new Map<string, number>();
  forEachGram(normalizeForMerge(text, options), options.ngram ?? 2, (g) =>
    counts.set(g, (counts.get(g) ?? 0) + 1),
  );
  let sq = 0;
  for (const c of counts.values()) sq += c * c;
  return { counts, norm: Math.sqrt(sq) };
}

/** Cosine similarity of two n-gram TF vectors (0 when either text is empty). */
export function cosineSimilarity(a: TextProfile, b: TextProfile): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [g, c] of small.counts) dot += c * (large.counts.get(g) ?? 0);
  return Math.min(1, dot / (a.norm * b.norm));
}

/** Exact Jaccard similarity of two shingle sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const g of small) if (large.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Containment of the smaller set in the larger (|A∩B| / min(|A|,|B|)): high when a short
 * hotline summary repeats part of a long post.
 */
export function containment(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const g of small) if (large.has(g)) inter++;
  return inter / small.size;
}
