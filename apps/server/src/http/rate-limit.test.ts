import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('rate limiter', () => {
  it('allows the limit per window and then refuses with a retry time', () => {
    let t = 0;
    const rl = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 3; i++) rl.hit('ip');
    expect(() => rl.hit('ip')).toThrow(/too many/);
    rl.hit('other');
    t = 60_001;
    expect(() => rl.hit('ip')).not.toThrow();
  });
});
