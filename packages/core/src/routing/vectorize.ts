import type { FeatureBag } from './features.js';

/*
 * TF-IDF over a vocabulary of feature hashes. The vocabulary keeps the features seen in at least
 * `minDf` training messages: a feature seen once cannot generalise, and dropping those halves the
 * model. Weights are sublinear (1 + ln tf) × idf, and each message vector has unit L2 length, so a
 * long complaint and a short one are on the same scale.
 */

/** A sparse row: column indices and values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

/** A vectorised training set, as the solvers see it. */
export interface TrainingSet {
  rows: readonly SparseVector[];
  /** Class index per row. */
  labels: Int32Array;
  /** Weight per row (class balance × correction weight). */
  weights: Float32Array;
  classes: number;
  features: number;
}

/** A trained linear model: scores = W·x + b, W row-major by feature (features × classes). */
export interface LinearWeights {
  weights: Float32Array;
  bias: Float32Array;
}

/** Open-addressing hash table feature hash → column (a Map is 3–4× slower and larger here). */
export interface ColumnIndex {
  keys: Uint32Array;
  /** Column + 1; 0 = empty slot. */
  slots: Int32Array;
  shift: number;
}

/** The vocabulary and idf of a trained vectoriser. */
export interface Vocabulary {
  /** Feature hashes, most frequent first; position = column. */
  hashes: Uint32Array;
  /** Training messages containing the feature, per column (descending). */
  df: Uint32Array;
  /** Number of training messages. */
  documents: number;
  /** Smoothed idf per column: ln((1 + n) / (1 + df)) + 1 (derived from df, not serialised). */
  idf: Float32Array;
  /** Lookup hash → column (derived from hashes, not serialised). */
  column: ColumnIndex;
}

const GOLDEN = 0x9e3779b1;

/** Builds the column lookup of a vocabulary from its hashes. */
export function columnIndex(hashes: Uint32Array): ColumnIndex {
  let bits = 4;
  while (1 << bits < hashes.length * 2) bits++;
  const keys = new Uint32Array(1 << bits);
  const slots = new Int32Array(1 << bits);
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i]!;
    let at = Math.imul(h, GOLDEN) >>> shift;
    while (slots[at] !== 0 && keys[at] !== h) at = (at + 1) & mask;
    keys[at] = h;
    slots[at] = i + 1;
  }
  return { keys, slots, shift };
}

/** The column of a feature hash, or -1 when it is not in the vocabulary. */
export function lookupColumn(index: ColumnIndex, h: number): number {
  const mask = index.slots.length - 1;
  let at = Math.imul(h, GOLDEN) >>> index.shift;
  for (;;) {
    const s = index.slots[at]!;
    if (s === 0) return -1;
    if (index.keys[at] === h) return s - 1;
    at = (at + 1) & mask;
  }
}

/**
 * Builds the vocabulary of the features found in at least minDf documents. A document with
 * multiplicity m counts m times (an operator's correction weighted ×3 counts as three messages,
 * so a new word in two corrections is not dropped as rare).
 */
export function buildVocabulary(
  docs: readonly FeatureBag[],
  minDf: number,
  multiplicity?: ArrayLike<number>,
): Vocabulary {
  const times = (i: number): number => Math.max(1, Math.round(multiplicity?.[i] ?? 1));
  let total = 0;
  let documents = 0;
  docs.forEach((d, i) => {
    total += d.hashes.length * times(i);
    documents += times(i);
  });
  const all = new Uint32Array(total);
  let n = 0;
  docs.forEach((d, i) => {
    for (let k = times(i); k > 0; k--) {
      all.set(d.hashes, n);
      n += d.hashes.length;
    }
  });
  all.sort();
  const kept: number[] = [];
  const df: number[] = [];
  for (let i = 0; i < all.length;) {
    let j = i + 1;
    while (j < all.length && all[j] === all[i]) j++;
    if (j - i >= minDf) {
      kept.push(all[i]!);
      df.push(j - i);
    }
    i = j;
  }
  // frequent features first: their weights then share a few cache lines, which makes training
  // and prediction about twice as fast as columns in hash order
  const order = Array.from(kept.keys()).sort((a, b) => df[b]! - df[a]! || kept[a]! - kept[b]!);
  return createVocabulary(
    Uint32Array.from(order, (i) => kept[i]!),
    Uint32Array.from(order, (i) => df[i]!),
    documents,
  );
}

/** A vocabulary from its stored parts (hashes, document frequencies, number of documents). */
export function createVocabulary(hashes: Uint32Array, df: Uint32Array, documents: number): Vocabulary {
  const idf = Float32Array.from(df, (d) => Math.log((1 + documents) / (1 + d)) + 1);
  return { hashes, df, documents, idf, column: columnIndex(hashes) };
}

/** The unit-length sublinear TF-IDF vector of one document (features outside the vocabulary are dropped). */
export function vectorize(vocab: Vocabulary, bag: FeatureBag): SparseVector {
  const index = new Int32Array(bag.hashes.length);
  const value = new Float32Array(bag.hashes.length);
  let n = 0;
  let norm = 0;
  for (let i = 0; i < bag.hashes.length; i++) {
    const c = lookupColumn(vocab.column, bag.hashes[i]!);
    if (c < 0) continue;
    const v = (1 + Math.log(bag.counts[i]!)) * vocab.idf[c]!;
    index[n] = c;
    value[n++] = v;
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < n; i++) value[i] = value[i]! * inv;
  return { index: index.slice(0, n), value: value.slice(0, n) };
}
