import { normalizeCodes } from './normalize.js';

/*
 * Features of a message: hashed character n-grams of the normalised text (Chinese has no spaces;
 * character n-grams are the usual strong baseline for it), not crossing punctuation, optionally
 * word unigrams from Intl.Segmenter's dictionary segmentation. Every feature is a 32-bit FNV-1a
 * hash: no strings are kept, and among ~10⁶ distinct features the expected number of collisions
 * in 2³² values is about a hundred, which costs nothing measurable.
 *
 * Measured in 5-fold cross-validation (scripts/eval-classifier.mjs): 1–2-grams are as good as
 * 1–3 or 1–4 for the SVM (macro-F1 within ±0.003) at a third of the features, 2–4-grams are
 * worse; words added +0.002 to softmax regression but cost ~1 ms per message (Intl.Segmenter),
 * so they are off by default.
 */

/** How a message becomes features. */
export interface FeatureOptions {
  /** Shortest character n-gram. */
  ngramMin: number;
  /** Longest character n-gram. */
  ngramMax: number;
  /** Add word unigrams from Intl.Segmenter('zh', { granularity: 'word' }). */
  words: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { ngramMin: 1, ngramMax: 2, words: false };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** A different start value keeps a word from sharing its hash with the same string as n-gram. */
const WORD_OFFSET = 0x5bd1e995;

/** Bag of hashed features: distinct feature hashes (ascending) and how often each occurs. */
export interface FeatureBag {
  hashes: Uint32Array;
  counts: Uint32Array;
}

/** Whether a code unit is a boundary (space or punctuation) n-grams do not cross. */
function isBoundary(c: number): boolean {
  if (c < 0x80) {
    // ASCII: letters and digits are content, everything else separates
    return !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a));
  }
  // CJK symbols and punctuation (、。《》【】…), general punctuation (“”‘’…—), full-width forms
  return (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff65);
}

/** Writes the n-gram hashes of one run of content characters into out from position n; returns the new n. */
function ngrams(
  s: Uint16Array,
  from: number,
  to: number,
  o: FeatureOptions,
  out: Uint32Array,
  n: number,
): number {
  for (let i = from; i < to; i++) {
    let h = FNV_OFFSET;
    const last = Math.min(to, i + o.ngramMax);
    for (let j = i; j < last; j++) {
      h = Math.imul(h ^ s[j]!, FNV_PRIME);
      if (j - i + 1 >= o.ngramMin) out[n++] = h >>> 0;
    }
  }
  return n;
}

let segmenter: Intl.Segmenter | null = null;

/** The hashes of the words (two or more characters: single characters are unigrams already). */
function wordHashes(codes: Uint16Array): number[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: number[] = [];
  for (const seg of segmenter.segment(new TextDecoder('utf-16le').decode(codes))) {
    if (!seg.isWordLike || seg.segment.length < 2) continue;
    out.push(hashString(seg.segment, WORD_OFFSET));
  }
  return out;
}

/** Sorts hashes and counts equal runs. */
function toBag(all: Uint32Array): FeatureBag {
  all.sort();
  const hashes = new Uint32Array(all.length);
  const counts = new Uint32Array(all.length);
  let m = -1;
  for (let i = 0; i < all.length; i++) {
    if (m < 0 || hashes[m] !== all[i]) hashes[++m] = all[i]!;
    counts[m]!++;
  }
  return { hashes: hashes.slice(0, m + 1), counts: counts.slice(0, m + 1) };
}

/** The hashed features of a raw message (normalised here). */
export function extractFeatures(text: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): FeatureBag {
  const s = normalizeCodes(text);
  const words = options.words ? wordHashes(s) : [];
  const span = Math.max(0, options.ngramMax - options.ngramMin + 1);
  const out = new Uint32Array(s.length * span + words.length);
  let n = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || isBoundary(s[i]!)) {
      if (i > start) n = ngrams(s, start, i, options, out, n);
      start = i + 1;
    }
  }
  for (const w of words) out[n++] = w;
  return toBag(out.subarray(0, n));
}

/** FNV-1a hash of a string, the same function the n-grams use (for tests and term lookups). */
export function hashString(s: string, offset = FNV_OFFSET): number {
  let h = offset;
  for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), FNV_PRIME);
  return h >>> 0;
}
