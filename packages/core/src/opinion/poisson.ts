/** Poisson tail probabilities for spike detection, computed in log space (no underflow). */

/** ln(n!) exactly for small n, by Stirling's series beyond (error < 1e-10 for n ≥ 20). */
export function lnFactorial(n: number): number {
  if (n < 20) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/** P(X ≥ k) for X ~ Poisson(λ): how surprising k events are when λ were expected. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  const logPmf = (j: number) => -lambda + j * Math.log(lambda) - lnFactorial(j);
  if (k > lambda) {
    // Σ_{j ≥ k} p_j = p_k (1 + λ/(k+1) + λ²/((k+1)(k+2)) + …), a fast-shrinking series here
    let term = 1;
    let sum = 1;
    for (let j = k + 1; j < k + 100_000; j++) {
      term *= lambda / j;
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.min(1, Math.exp(logPmf(k) + Math.log(sum)));
  }
  // 1 − Σ_{j < k} p_j, walking down from p_{k−1} (the largest terms come first)
  let term = Math.exp(logPmf(k - 1));
  let cdf = term;
  for (let j = k - 1; j > 0; j--) {
    term *= j / lambda;
    cdf += term;
    if (term < 1e-17) break;
  }
  return Math.max(0, Math.min(1, 1 - cdf));
}
