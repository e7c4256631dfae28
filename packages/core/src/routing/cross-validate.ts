import { createRng } from '../shared/random.js';
import type { LabeledText } from './classifier.js';

/*
 * Stratified k-fold cross-validation: every message is predicted exactly once, by a model that
 * never saw it, and every fold has (within one) the same share of each class as the whole set.
 */

/** What a trainer returns: a function predicting one message. */
export type Predictor = (text: string) => { label: string; confidence: number };

/** Trains on the given examples. */
export type Trainer = (train: readonly LabeledText[]) => Predictor;

/** Precision, recall and F1 of one class. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of messages truly of this class. */
  support: number;
}

/** One held-out prediction. */
export interface HeldOutPrediction {
  index: number;
  fold: number;
  label: string;
  predicted: string;
  confidence: number;
}

/** The result of crossValidate. */
export interface CrossValidationReport {
  k: number;
  seed: number;
  labels: string[];
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[i][j] = messages of labels[i] predicted as labels[j]. */
  confusion: number[][];
  predictions: HeldOutPrediction[];
  /** Milliseconds spent training, summed over folds (0 without a clock). */
  trainMs: number;
  /** Milliseconds spent predicting the held-out messages, summed over folds (0 without a clock). */
  predictMs: number;
}

/** Assigns each example a fold 0..k-1, stratified by label, shuffled by the seed. */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error('k must be an integer ≥ 2');
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l);
    if (list) list.push(i);
    else byLabel.set(l, [i]);
  });
  const rng = createRng(seed);
  const fold = new Int32Array(labels.length);
  let next = 0; // continue the round-robin across classes so fold sizes differ by at most one
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel.get(label)!;
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    for (const i of list) fold[i] = next++ % k;
  }
  return fold;
}

/** Accuracy, macro-F1, per-class metrics and the confusion matrix of predictions. */
export function scorePredictions(
  truth: readonly string[],
  predicted: readonly string[],
): Pick<CrossValidationReport, 'labels' | 'accuracy' | 'macroF1' | 'perClass' | 'confusion'> {
  const labels = [...new Set([...truth, ...predicted])].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    confusion[at.get(t)!]![at.get(p)!]! += 1;
    if (p === t) correct++;
  });
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedN = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedN ? tp / predictedN : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const scored = perClass.filter((m) => m.support > 0);
  const macroF1 = scored.reduce((a, m) => a + m.f1, 0) / Math.max(1, scored.length);
  return { labels, accuracy: truth.length ? correct / truth.length : 0, macroF1, perClass, confusion };
}

/** Runs stratified k-fold cross-validation of a trainer; `now` (e.g. performance.now) enables timings. */
export function crossValidate(
  examples: readonly LabeledText[],
  k: number,
  seed: number,
  trainer: Trainer,
  now?: () => number,
): CrossValidationReport {
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    k,
    seed,
  );
  const predictions: HeldOutPrediction[] = [];
  let trainMs = 0;
  let predictMs = 0;
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const t0 = now?.() ?? 0;
    const predict = trainer(train);
    const t1 = now?.() ?? 0;
    examples.forEach((e, index) => {
      if (fold[index] !== f) return;
      const r = predict(e.text);
      predictions.push({ index, fold: f, label: e.label, predicted: r.label, confidence: r.confidence });
    });
    trainMs += t1 - t0;
    predictMs += (now?.() ?? 0) - t1;
  }
  predictions.sort((a, b) => a.index - b.index);
  const scores = scorePredictions(
    predictions.map((p) => p.label),
    predictions.map((p) => p.predicted),
  );
  return { k, seed, ...scores, predictions, trainMs, predictMs };
}

/** One row of the confidence table: accepting predictions with confidence ≥ threshold. */
export interface ConfidenceRow {
  threshold: number;
  /** Share of messages routed automatically. */
  coverage: number;
  /** Accuracy among those; the rest go to an operator. */
  accuracy: number;
}

/** Coverage and accuracy of the automatic routing at each confidence threshold. */
export function confidenceTable(
  predictions: readonly HeldOutPrediction[],
  thresholds: readonly number[],
): ConfidenceRow[] {
  return thresholds.map((threshold) => {
    const kept = predictions.filter((p) => p.confidence >= threshold);
    const right = kept.filter((p) => p.predicted === p.label).length;
    return {
      threshold,
      coverage: predictions.length ? kept.length / predictions.length : 0,
      accuracy: kept.length ? right / kept.length : 1,
    };
  });
}
