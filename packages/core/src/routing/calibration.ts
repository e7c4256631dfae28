/*
 * Turning scores into a confidence. A softmax over the scores divided by a temperature T gives
 * probabilities; T is chosen to minimise the negative log-likelihood of the true labels (Guo et
 * al. 2017, "temperature scaling"): it changes no decision, only how sure the model says it is.
 */

/** Softmax of scores / temperature, numerically stable; the result sums to 1. */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const n = scores.length;
  const p = new Float64Array(n);
  if (n === 0) return p;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, scores[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(scores[i]! / temperature - max);
    p[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) p[i] = p[i]! / sum;
  return p;
}

/** Mean negative log-likelihood of the labels under softmax(scores / T). */
function nll(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>, temperature: number): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = softmax(scores[i]!, temperature)[labels[i]!]!;
    total -= Math.log(Math.max(p, 1e-300));
  }
  return total / Math.max(1, scores.length);
}

/** The temperature (between 1e-9 and 1e4) minimising the NLL, by golden-section search on ln T. */
export function fitTemperature(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  if (scores.length === 0) return 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(1e-9);
  let hi = Math.log(1e4);
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = nll(scores, labels, Math.exp(a));
  let fb = nll(scores, labels, Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = nll(scores, labels, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = nll(scores, labels, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}
