import type { Rng } from '../shared/random.js';
import { createRng } from '../shared/random.js';

/**
 * An independent random stream per purpose: changing how one stage draws numbers (or an option
 * such as the vacancy rate) leaves the output of the other stages unchanged.
 */
export function streamRng(seed: number, label: string): Rng {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ h) >>> 0);
}
