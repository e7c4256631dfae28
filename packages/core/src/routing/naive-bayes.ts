import type { LinearWeights, TrainingSet } from './vectorize.js';

/*
 * Complement naive Bayes (Rennie et al. 2003), the baseline: for each class it estimates the
 * feature distribution of all *other* classes, which is far less skewed by class size than plain
 * multinomial NB. With normalised weights it is a linear model, so it shares the scoring code of
 * the SGD model: score_c = −Σ x_i · w_ci.
 */

/** Trains complement naive Bayes on the TF-IDF rows; alpha is the additive smoothing. */
export function trainComplementNb(data: TrainingSet, alpha = 0.3): LinearWeights {
  const { rows, labels, weights: rowWeight, classes: C, features: F } = data;
  const perClass = new Float64Array(F * C);
  const total = new Float64Array(F);
  for (let r = 0; r < rows.length; r++) {
    const x = rows[r]!;
    const y = labels[r]!;
    const w = rowWeight[r]!;
    for (let k = 0; k < x.index.length; k++) {
      const i = x.index[k]!;
      const v = x.value[k]! * w;
      perClass[i * C + y]! += v;
      total[i]! += v;
    }
  }
  let grand = 0;
  const classTotal = new Float64Array(C);
  for (let i = 0; i < F; i++) {
    grand += total[i]!;
    for (let c = 0; c < C; c++) classTotal[c]! += perClass[i * C + c]!;
  }
  const weights = new Float32Array(F * C);
  for (let c = 0; c < C; c++) {
    const denom = grand - classTotal[c]! + alpha * F;
    let norm = 0;
    for (let i = 0; i < F; i++) {
      const w = Math.log((total[i]! - perClass[i * C + c]! + alpha) / denom);
      weights[i * C + c] = w;
      norm += Math.abs(w);
    }
    // weight normalisation (Rennie's WCNB): stops classes with many strong features from dominating
    for (let i = 0; i < F; i++) weights[i * C + c] = -weights[i * C + c]! / (norm || 1);
  }
  return { weights, bias: new Float32Array(C) };
}
