import { createRng } from '../shared/random.js';
import { shuffleInPlace } from './linear-sgd.js';
import type { LinearWeights, TrainingSet } from './vectorize.js';

/*
 * One-vs-rest linear SVM solved by dual coordinate descent (Hsieh et al. 2008, the algorithm of
 * LIBLINEAR and scikit-learn's LinearSVC). Unlike SGD it converges to the optimum in a few passes
 * with no learning rate to tune: each step solves one dual variable exactly. The bias is a
 * constant feature of value 1 (regularised, as in LIBLINEAR with -B 1).
 *
 * With nbAlpha > 0 it is NB-SVM (Wang & Manning 2012): each class's features are first scaled
 * by their naive-Bayes log-count ratio, so words typical of the class need smaller weights and
 * are regularised less. The scaling folds into the weights afterwards: prediction is unchanged.
 * In 5-fold cross-validation it raised macro-F1 from 0.902 to 0.911 (plain SVM → NB-SVM).
 */

/** Settings of the SVM solver. */
export interface SvmOptions {
  /** Cost C: larger = less regularisation. */
  c: number;
  /** 'squared-hinge' (L2-loss, smoother, LinearSVC's default) or 'hinge' (L1-loss). */
  loss: 'squared-hinge' | 'hinge';
  /** Maximum passes over the data per class. */
  maxPasses: number;
  /** Stop when the spread of the projected gradient falls below this. */
  tolerance: number;
  /** NB-SVM: scale features by their naive-Bayes log-count ratio per class, with this smoothing (0 = off). */
  nbAlpha: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = {
  c: 0.5,
  loss: 'squared-hinge',
  maxPasses: 30,
  tolerance: 0.1,
  nbAlpha: 0.1,
};

/** Solves one binary problem (y = +1 for rows of `positive`) and returns w (bias last). */
function solveBinary(
  data: TrainingSet,
  positive: number,
  o: SvmOptions,
  order: Int32Array,
  scale: Float64Array | null,
  seed: number,
): Float64Array {
  const { rows, labels, weights: rowWeight, features: F } = data;
  const n = rows.length;
  const w = new Float64Array(F + 1);
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = o.c * rowWeight[i]!;
    // squared hinge: D_ii = 1/(2C_i), no upper bound; hinge: D_ii = 0, 0 ≤ α ≤ C_i
    diag[i] = o.loss === 'squared-hinge' ? 0.5 / ci : 0;
    upper[i] = o.loss === 'squared-hinge' ? Infinity : ci;
    const x = rows[i]!;
    let sq = 1; // the bias feature
    for (let k = 0; k < x.value.length; k++) {
      const v = x.value[k]! * (scale ? scale[x.index[k]!]! : 1);
      sq += v * v;
    }
    qii[i] = sq + diag[i]!;
  }
  const rng = createRng(seed + positive);
  for (let pass = 0; pass < o.maxPasses; pass++) {
    shuffleInPlace(order, rng.next);
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (const i of order) {
      const x = rows[i]!;
      const y = labels[i] === positive ? 1 : -1;
      let dot = w[F]!;
      if (scale)
        for (let k = 0; k < x.index.length; k++) dot += w[x.index[k]!]! * x.value[k]! * scale[x.index[k]!]!;
      else for (let k = 0; k < x.index.length; k++) dot += w[x.index[k]!]! * x.value[k]!;
      const a = alpha[i]!;
      const g = y * dot - 1 + diag[i]! * a;
      let pg = g;
      if (a === 0) pg = Math.min(g, 0);
      else if (a === upper[i]) pg = Math.max(g, 0);
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (pg === 0) continue;
      const next = Math.min(Math.max(a - g / qii[i]!, 0), upper[i]!);
      const d = (next - a) * y;
      if (d === 0) continue;
      alpha[i] = next;
      if (scale)
        for (let k = 0; k < x.index.length; k++) w[x.index[k]!]! += d * x.value[k]! * scale[x.index[k]!]!;
      else for (let k = 0; k < x.index.length; k++) w[x.index[k]!]! += d * x.value[k]!;
      w[F]! += d;
    }
    if (maxPg - minPg < o.tolerance) break;
  }
  return w;
}

/**
 * |NB log-count ratio| of each feature for class c against the rest, over the weighted TF-IDF
 * values. Its sign does not matter: the SVM weight of the feature carries the direction, and
 * |r| only says how much room the regulariser gives the feature.
 */
function logCountRatio(data: TrainingSet, positive: number, alpha: number): Float64Array {
  const p = new Float64Array(data.features).fill(alpha);
  const q = new Float64Array(data.features).fill(alpha);
  data.rows.forEach((x, i) => {
    const into = data.labels[i] === positive ? p : q;
    const w = data.weights[i]!;
    for (let k = 0; k < x.index.length; k++) into[x.index[k]!]! += x.value[k]! * w;
  });
  let sp = 0;
  let sq = 0;
  for (let f = 0; f < data.features; f++) {
    sp += p[f]!;
    sq += q[f]!;
  }
  return p.map((v, f) => Math.abs(Math.log(v / sp) - Math.log(q[f]! / sq)));
}

/** Trains one binary SVM per class; the same data, options and seed give the same weights. */
export function trainSvm(
  data: TrainingSet,
  options: SvmOptions = DEFAULT_SVM_OPTIONS,
  seed = 1,
): LinearWeights {
  const { classes: C, features: F } = data;
  const weights = new Float32Array(F * C);
  const bias = new Float32Array(C);
  const order = Int32Array.from(data.rows.keys());
  for (let c = 0; c < C; c++) {
    const scale = options.nbAlpha > 0 ? logCountRatio(data, c, options.nbAlpha) : null;
    const w = solveBinary(data, c, options, order, scale, seed);
    for (let f = 0; f < F; f++) weights[f * C + c] = w[f]! * (scale ? scale[f]! : 1);
    bias[c] = w[F]!;
  }
  return { weights, bias };
}
