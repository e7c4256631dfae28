import { fitTemperature, softmax } from './calibration.js';
import { stratifiedFolds } from './cross-validate.js';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures } from './features.js';
import type { FeatureBag, FeatureOptions } from './features.js';
import { DEFAULT_SGD_OPTIONS, trainSgd } from './linear-sgd.js';
import type { SgdOptions } from './linear-sgd.js';
import { DEFAULT_SVM_OPTIONS, trainSvm } from './linear-svm.js';
import type { SvmOptions } from './linear-svm.js';
import { trainComplementNb } from './naive-bayes.js';
import { buildVocabulary, vectorize } from './vectorize.js';
import type { LinearWeights, SparseVector, TrainingSet, Vocabulary } from './vectorize.js';

/** A labelled message; weight defaults to 1. */
export interface LabeledText {
  text: string;
  label: string;
  weight?: number;
}

/**
 * Which model to train: 'svm' (NB-weighted one-vs-rest linear SVM, the default and the best in
 * cross-validation), 'sgd' (softmax regression or hinge by SGD) or 'complement-nb' (the baseline).
 */
export type ClassifierKind = 'svm' | 'sgd' | 'complement-nb';

/** Options of trainClassifier; every field has a default. */
export interface TrainOptions {
  kind: ClassifierKind;
  features: FeatureOptions;
  /** Keep features found in at least this many training messages. */
  minDf: number;
  /** Weight classes inversely to their size ('balanced'), so small classes are not ignored. */
  classWeight: 'balanced' | 'none';
  svm: SvmOptions;
  sgd: SgdOptions;
  /** Smoothing of complement naive Bayes. */
  nbAlpha: number;
  /**
   * Operators' corrections: added to the examples with `correctionWeight` each, and they replace
   * a training example with the same text (the operator's label wins).
   */
  corrections: readonly LabeledText[];
  correctionWeight: number;
  /**
   * Softmax temperature of the confidence, or 'fit': choose it by an internal stratified
   * k-fold (calibrationFolds) on held-out scores; this costs k extra trainings.
   */
  temperature: number | 'fit';
  calibrationFolds: number;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  kind: 'svm',
  features: DEFAULT_FEATURE_OPTIONS,
  minDf: 3,
  classWeight: 'balanced',
  svm: DEFAULT_SVM_OPTIONS,
  sgd: DEFAULT_SGD_OPTIONS,
  nbAlpha: 0.3,
  corrections: [],
  correctionWeight: 3,
  temperature: 'fit',
  calibrationFolds: 3,
  seed: 1,
};

/** The naive-Bayes baseline of the evaluation, with the features that suit it best (character 1–3-grams). */
export const NB_BASELINE_OPTIONS: Partial<TrainOptions> = {
  kind: 'complement-nb',
  features: { ngramMin: 1, ngramMax: 3, words: false },
  minDf: 2,
  nbAlpha: 0.3,
};

/** A trained classifier of messages into labels (first-level categories). */
export interface ClassifierModel {
  kind: ClassifierKind;
  /** Labels in score order (sorted). */
  labels: string[];
  features: FeatureOptions;
  vocabulary: Vocabulary;
  /** Row-major weights: vocabulary size × labels. */
  weights: Float32Array;
  bias: Float32Array;
  /** Scores are divided by this before the softmax that gives the confidence. */
  temperature: number;
  /** Number of training examples and of corrections among them. */
  trainedOn: { examples: number; corrections: number };
}

/** The result of classifying one message. */
export interface Classification {
  label: string;
  /** Probability of `label` (softmax of the scores), 0..1. */
  confidence: number;
  /** Probability per label; sums to 1. */
  scores: Record<string, number>;
}

/** Merges examples and corrections: a correction replaces the example with the same text. */
function mergeCorrections(examples: readonly LabeledText[], o: TrainOptions): LabeledText[] {
  if (o.corrections.length === 0) return [...examples];
  const corrected = new Set(o.corrections.map((c) => c.text));
  return [
    ...examples.filter((e) => !corrected.has(e.text)),
    ...o.corrections.map((c) => ({ ...c, weight: (c.weight ?? 1) * o.correctionWeight })),
  ];
}

/** The raw linear scores W·x + b of one vector. */
function rawScores(m: Pick<ClassifierModel, 'weights' | 'bias'>, x: SparseVector): Float64Array {
  const C = m.bias.length;
  const s = Float64Array.from(m.bias);
  for (let k = 0; k < x.index.length; k++) {
    const base = x.index[k]! * C;
    const v = x.value[k]!;
    for (let c = 0; c < C; c++) s[c]! += v * m.weights[base + c]!;
  }
  return s;
}

/** The vectoriser and weights of one training run (no calibration). */
interface Fitted extends LinearWeights {
  vocabulary: Vocabulary;
}

/** Trains vocabulary and weights on examples whose labels are all in `labels`. */
function fit(all: readonly LabeledText[], labels: readonly string[], o: TrainOptions): Fitted {
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const bags: FeatureBag[] = all.map((e) => extractFeatures(e.text, o.features));
  const vocabulary = buildVocabulary(
    bags,
    Math.min(o.minDf, all.length),
    all.map((e) => e.weight ?? 1),
  );
  const y = Int32Array.from(all, (e) => labelIndex.get(e.label)!);
  const classWeight = new Float64Array(labels.length);
  let total = 0;
  all.forEach((e, i) => {
    classWeight[y[i]!]! += e.weight ?? 1;
    total += e.weight ?? 1;
  });
  const data: TrainingSet = {
    rows: bags.map((b) => vectorize(vocabulary, b)),
    labels: y,
    weights: Float32Array.from(all, (e, i) => {
      const balance = o.classWeight === 'balanced' ? total / (labels.length * classWeight[y[i]!]!) : 1;
      return (e.weight ?? 1) * balance;
    }),
    classes: labels.length,
    features: vocabulary.hashes.length,
  };
  const w =
    o.kind === 'svm'
      ? trainSvm(data, o.svm, o.seed)
      : o.kind === 'sgd'
        ? trainSgd(data, o.sgd, o.seed)
        : trainComplementNb(data, o.nbAlpha);
  return { ...w, vocabulary };
}

/**
 * Fits the softmax temperature on held-out scores of an internal k-fold (1 for fewer than 2k
 * examples). A class smaller than k is missing from some folds' training: its few messages then
 * look uncertain, which errs on the side of asking the operator.
 */
function calibrate(all: readonly LabeledText[], labels: readonly string[], o: TrainOptions): number {
  const k = o.calibrationFolds;
  if (k < 2 || all.length < 2 * k) return 1;
  const fold = stratifiedFolds(
    all.map((e) => e.label),
    k,
    o.seed,
  );
  const scores: Float64Array[] = [];
  const truth: number[] = [];
  for (let f = 0; f < k; f++) {
    const m = fit(
      all.filter((_, i) => fold[i] !== f),
      labels,
      o,
    );
    all.forEach((e, i) => {
      if (fold[i] !== f) return;
      scores.push(rawScores(m, vectorize(m.vocabulary, extractFeatures(e.text, o.features))));
      truth.push(labels.indexOf(e.label));
    });
  }
  return fitTemperature(scores, truth);
}

/** Trains a classifier; the same examples and options (seed included) give the same model. */
export function trainClassifier(
  examples: readonly LabeledText[],
  options: Partial<TrainOptions> = {},
): ClassifierModel {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const all = mergeCorrections(examples, o);
  if (all.length === 0) throw new Error('trainClassifier needs at least one example');
  const labels = [...new Set(all.map((e) => e.label))].sort();
  const { vocabulary, weights, bias } = fit(all, labels, o);
  return {
    kind: o.kind,
    labels,
    features: o.features,
    vocabulary,
    weights,
    bias,
    temperature: o.temperature === 'fit' ? calibrate(all, labels, o) : o.temperature,
    trainedOn: { examples: all.length, corrections: o.corrections.length },
  };
}

/** The raw scores W·x + b of a message, in the order of model.labels (for calibration and analysis). */
export function scoreText(model: ClassifierModel, text: string): Float64Array {
  return rawScores(model, vectorize(model.vocabulary, extractFeatures(text, model.features)));
}

/** Classifies one message: the most likely label, its probability and the probability of every label. */
export function classify(model: ClassifierModel, text: string): Classification {
  const p = softmax(scoreText(model, text), model.temperature);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  const scores = Object.fromEntries(model.labels.map((l, c) => [l, p[c]!]));
  return { label: model.labels[best]!, confidence: p[best]!, scores };
}
