import { createRng } from '../shared/random.js';
import type { LinearWeights, TrainingSet } from './vectorize.js';

/*
 * A multiclass linear model trained by stochastic gradient descent: multinomial logistic
 * regression (softmax, gives usable probabilities) or the multiclass hinge loss (Crammer–Singer
 * style linear SVM). L2 regularisation uses the scale trick (W = scale · V), so a step costs the
 * nonzeros of the message, not the size of the model; the result is the average of the weights
 * over the last epochs (Polyak averaging), which removes most of the noise of the last steps.
 */

/** Settings of the SGD trainer. */
export interface SgdOptions {
  loss: 'logistic' | 'hinge';
  epochs: number;
  /** L2 regularisation strength λ. */
  lambda: number;
  /** Initial learning rate η₀; the rate decays as η₀ / (1 + η₀ λ t). */
  learningRate: number;
  /** Epochs (from the end) whose weights are averaged; 0 = last weights. */
  averageEpochs: number;
}

export const DEFAULT_SGD_OPTIONS: SgdOptions = {
  loss: 'logistic',
  epochs: 12,
  lambda: 1e-5,
  learningRate: 0.5,
  averageEpochs: 6,
};

/** Fisher–Yates shuffle driven by the seeded generator. */
export function shuffleInPlace(order: Int32Array, next: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/** Fills g with the loss gradient w.r.t. the scores (already containing the scores); returns false when zero. */
function gradient(loss: SgdOptions['loss'], g: Float64Array, y: number): boolean {
  const C = g.length;
  if (loss === 'logistic') {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, g[c]!);
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(g[c]! - max);
      g[c] = e;
      sum += e;
    }
    for (let c = 0; c < C; c++) g[c] = g[c]! / sum - (c === y ? 1 : 0);
    return true;
  }
  let rival = -1;
  for (let c = 0; c < C; c++) if (c !== y && (rival < 0 || g[c]! > g[rival]!)) rival = c;
  const violated = rival >= 0 && g[y]! - g[rival]! < 1;
  g.fill(0);
  if (!violated) return false;
  g[y] = -1;
  g[rival] = 1;
  return true;
}

/** Trains the linear model; the same data, options and seed give the same weights. */
export function trainSgd(
  data: TrainingSet,
  options: SgdOptions = DEFAULT_SGD_OPTIONS,
  seed = 1,
): LinearWeights {
  const { rows, labels, weights: rowWeight, classes: C, features: F } = data;
  const { loss, epochs, lambda, learningRate: eta0 } = options;
  const v = new Float32Array(F * C);
  const bias = new Float64Array(C);
  const sum = new Float64Array(F * C);
  const biasSum = new Float64Array(C);
  const averageFrom = epochs - Math.max(1, Math.min(epochs, options.averageEpochs));
  const order = Int32Array.from(rows.keys());
  const rng = createRng(seed);
  const g = new Float64Array(C);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, rng.next);
    for (const r of order) {
      const x = rows[r]!;
      const eta = eta0 / (1 + eta0 * lambda * t++);
      for (let c = 0; c < C; c++) g[c] = bias[c]!;
      for (let k = 0; k < x.index.length; k++) {
        const base = x.index[k]! * C;
        const xv = x.value[k]! * scale;
        for (let c = 0; c < C; c++) g[c]! += xv * v[base + c]!;
      }
      scale *= 1 - eta * lambda;
      if (!gradient(loss, g, labels[r]!)) continue;
      const step = eta * rowWeight[r]!;
      for (let c = 0; c < C; c++) bias[c]! -= step * g[c]!;
      const s = step / scale;
      for (let k = 0; k < x.index.length; k++) {
        const base = x.index[k]! * C;
        const xv = x.value[k]! * s;
        for (let c = 0; c < C; c++) v[base + c]! -= xv * g[c]!;
      }
      if (scale < 1e-6) {
        for (let i = 0; i < v.length; i++) v[i]! *= scale;
        scale = 1;
      }
    }
    if (epoch >= averageFrom) {
      for (let i = 0; i < v.length; i++) sum[i]! += v[i]! * scale;
      for (let c = 0; c < C; c++) biasSum[c]! += bias[c]!;
    }
  }
  const n = epochs - averageFrom;
  return { weights: Float32Array.from(sum, (x) => x / n), bias: Float32Array.from(biasSum, (x) => x / n) };
}
