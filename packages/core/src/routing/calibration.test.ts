import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../shared/random.js';
import { fitTemperature, softmax } from './calibration.js';

describe('softmax', () => {
  it('sums to 1 and keeps the order of the scores, even for huge scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (scores, t) => {
          const p = softmax(scores, t);
          expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
          const top = scores.indexOf(Math.max(...scores));
          expect(p[top]).toBe(Math.max(...p));
        },
      ),
    );
  });

  it('is flatter at a higher temperature', () => {
    expect(softmax([2, 0], 10)[0]!).toBeLessThan(softmax([2, 0], 1)[0]!);
  });
});

describe('fitTemperature', () => {
  it('recovers the temperature the labels were drawn with', () => {
    const rng = createRng(3);
    const scores: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const s = [rng.next() * 4, rng.next() * 4, rng.next() * 4];
      const p = softmax(s, 0.5);
      const u = rng.next();
      labels.push(u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2);
      scores.push(s);
    }
    expect(fitTemperature(scores, labels)).toBeGreaterThan(0.4);
    expect(fitTemperature(scores, labels)).toBeLessThan(0.6);
  });

  it('is 1 without data', () => {
    expect(fitTemperature([], [])).toBe(1);
  });
});
