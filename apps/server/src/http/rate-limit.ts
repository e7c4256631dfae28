import { AppError } from '@civicgrid/core';

/**
 * A fixed-window counter per key (IP or account), in process memory. Enough for one process;
 * the multi-process store on PostgreSQL comes with the scale-out work (issue #6).
 */
export function createRateLimiter(opts: { limit: number; windowMs: number; now?: () => number }) {
  const now = opts.now ?? (() => Date.now());
  const hits = new Map<string, { n: number; resetAt: number }>();
  return {
    /** Counts one hit; throws RATE_LIMITED with retryAfterSeconds when over the limit. */
    hit(key: string): void {
      const t = now();
      let h = hits.get(key);
      if (!h || h.resetAt <= t) {
        // drop expired windows (never the live ones: clearing all would reset every limit)
        if (hits.size > 100_000) for (const [k, v] of hits) if (v.resetAt <= t) hits.delete(k);
        h = { n: 0, resetAt: t + opts.windowMs };
        hits.set(key, h);
      }
      h.n++;
      if (h.n > opts.limit) {
        throw new AppError('RATE_LIMITED', 'too many requests; slow down', {
          retryAfterSeconds: Math.ceil((h.resetAt - t) / 1000),
        });
      }
    },
  };
}
