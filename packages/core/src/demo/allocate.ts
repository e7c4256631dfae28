/**
 * Splits `total` into integers roughly proportional to `weights`, each within [min, max]:
 * water-filling finds a scale λ with Σ clamp(λ·w, min, max) = total, then largest remainders
 * round it (ties by index, so the result is deterministic).
 */
export function apportion(weights: readonly number[], total: number, min: number, max: number): number[] {
  const n = weights.length;
  if (n * min > total || n * max < total)
    throw new Error(`cannot split ${total} into ${n} parts of ${min}–${max}`);
  const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const shares = (lambda: number): number[] => w.map((x) => Math.min(max, Math.max(min, lambda * x)));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  let lo = 0;
  let hi = 1;
  while (sum(shares(hi)) < total && hi < 1e300) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (sum(shares(mid)) < total) lo = mid;
    else hi = mid;
  }
  const quota = shares(hi);
  const out = quota.map((q) => Math.floor(q + 1e-9));
  let missing = total - sum(out);
  const order = quota
    .map((q, i) => ({ i, frac: q - Math.floor(q + 1e-9) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    if ((out[i] as number) < max) {
      out[i] = (out[i] as number) + 1;
      missing--;
    }
  }
  // all-zero weights or rounding leftovers: fill (or trim) in index order within the bounds
  for (let i = 0; missing !== 0 && i < n * (max - min + 2); i++) {
    const j = i % n;
    const v = out[j] as number;
    if (missing > 0 && v < max) {
      out[j] = v + 1;
      missing--;
    } else if (missing < 0 && v > min) {
      out[j] = v - 1;
      missing++;
    }
  }
  return out;
}
