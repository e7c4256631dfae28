import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSignature,
  encodeSignature,
  estimateJaccard,
  isEmptySignature,
  minhashOfShingles,
  minhashSignature,
} from './minhash.js';
import { jaccard, normalizeForMerge, shingles } from './text.js';

// a small alphabet, so random strings share bigrams and cover the whole range of Jaccard values
const ALPHABET = [...'路灯不亮噪音扰民小区门口垃圾堆放违章停车污水井盖破损'];
const hanString = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...ALPHABET), { minLength: min, maxLength: max }).map((cs) => cs.join(''));

/** A string and an edited copy: some characters replaced, some appended. */
const relatedPair = fc
  .tuple(
    hanString(20, 120),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.array(fc.constantFrom(...ALPHABET), { maxLength: 200 }),
    hanString(0, 40),
  )
  .map(([base, share, replacements, tail]) => {
    const edited = [...base].map((c, i) => (i / base.length < share ? c : (replacements[i] ?? c))).join('');
    return [base, edited + tail] as const;
  });

describe('minhashSignature', () => {
  it('gives identical texts identical signatures (and ignores punctuation)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(minhashSignature(s)).toEqual(minhashSignature(s));
        expect(minhashSignature(`${s}！`)).toEqual(minhashSignature(s));
      }),
    );
  });

  it('is deterministic across calls and depends on the seed', () => {
    const a = minhashSignature('小区门口路灯不亮');
    expect(a).toHaveLength(128);
    expect(minhashSignature('小区门口路灯不亮', { numHashes: 64 })).toEqual(a.slice(0, 64));
    expect(minhashSignature('小区门口路灯不亮', { seed: 1 })).not.toEqual(a);
  });

  it('estimates the Jaccard similarity of the bigram sets within tolerance (fixed seed)', () => {
    const errors: number[] = [];
    fc.assert(
      fc.property(relatedPair, ([x, y]) => {
        const exact = jaccard(shingles(normalizeForMerge(x)), shingles(normalizeForMerge(y)));
        const estimate = estimateJaccard(minhashSignature(x), minhashSignature(y));
        errors.push(estimate - exact);
        // standard error √(J(1−J)/128) ≤ 0.044: 0.2 is over 4.5σ
        expect(Math.abs(estimate - exact)).toBeLessThan(0.2);
      }),
      { seed: 20240611, numRuns: 300 },
    );
    const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
    const meanAbs = errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length;
    expect(Math.abs(mean)).toBeLessThan(0.01); // unbiased
    expect(meanAbs).toBeLessThan(0.04); // E|error| ≤ 0.8·0.044 for independent hash functions
  });

  it('treats empty texts as matching nothing', () => {
    const empty = minhashSignature('，。！');
    expect(isEmptySignature(empty)).toBe(true);
    expect(estimateJaccard(empty, empty)).toBe(0);
    expect(estimateJaccard(empty, minhashSignature('路灯'))).toBe(0);
    expect(isEmptySignature(minhashOfShingles([]))).toBe(true);
  });

  it('refuses to compare signatures of different lengths', () => {
    expect(() =>
      estimateJaccard(minhashSignature('路灯'), minhashSignature('路灯', { numHashes: 64 })),
    ).toThrow(RangeError);
  });
});

describe('signature encoding', () => {
  it('round-trips any signature through base64', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 70 }), (slots) => {
        const sig = Uint32Array.from(slots);
        const text = encodeSignature(sig);
        expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(decodeSignature(text)).toEqual(sig);
      }),
    );
  });

  it('is compact: 128 slots in 684 characters', () => {
    expect(encodeSignature(minhashSignature('小区门口路灯不亮'))).toHaveLength(684);
  });

  it('rejects malformed input', () => {
    expect(() => decodeSignature('abc')).toThrow(RangeError);
    expect(() => decodeSignature('AAAA')).toThrow(/32-bit/);
    expect(() => decodeSignature('AA*AAA==')).toThrow(/invalid character/);
    expect(() => decodeSignature('A=AAAA==')).toThrow(/invalid character/);
  });
});
