import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containment, cosineSimilarity, jaccard, normalizeForMerge, shingles, textProfile } from './text.js';

describe('normalizeForMerge', () => {
  it('turns full-width letters and digits half-width, lower-cases and drops punctuation and spaces', () => {
    expect(normalizeForMerge('ＡＢＣ　１２３，路灯！！ 不亮？')).toBe('abc123路灯不亮');
  });

  it('drops courtesy fillers but keeps the content', () => {
    expect(normalizeForMerge('您好，请问：小区门口的路灯坏了，谢谢！')).toBe('小区门口的路灯坏了');
    expect(normalizeForMerge('尊敬的领导：你好！', { fillers: [] })).toBe('尊敬的领导你好');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const once = normalizeForMerge(s);
        expect(normalizeForMerge(once)).toBe(once);
      }),
    );
  });
});

describe('shingles', () => {
  it('cuts overlapping character n-grams', () => {
    expect([...shingles('路灯不亮', 2)]).toEqual(['路灯', '灯不', '不亮']);
    expect([...shingles('路灯不亮', 3)]).toEqual(['路灯不', '灯不亮']);
  });

  it('keeps a short text as one shingle and an empty text as none', () => {
    expect([...shingles('灯', 2)]).toEqual(['灯']);
    expect(shingles('', 2).size).toBe(0);
  });

  it('never splits a character outside the BMP', () => {
    expect([...shingles('𠮷野家', 2)]).toEqual(['𠮷野', '野家']);
  });

  it('rejects a meaningless n', () => {
    expect(() => shingles('路灯', 0)).toThrow(RangeError);
  });
});

describe('similarities', () => {
  it('cosine is 1 for the same text, 0 for texts without a common bigram or an empty one', () => {
    const a = textProfile('小区门口路灯不亮');
    expect(cosineSimilarity(a, textProfile('小区门口，路灯不亮！'))).toBeCloseTo(1, 12);
    expect(cosineSimilarity(a, textProfile('噪音扰民'))).toBe(0);
    expect(cosineSimilarity(a, textProfile('！！'))).toBe(0);
  });

  it('cosine counts repeated bigrams (TF), Jaccard does not', () => {
    const a = textProfile('噪音噪音噪音扰民');
    const b = textProfile('噪音扰民');
    expect(cosineSimilarity(a, b)).toBeLessThan(1);
    expect(jaccard(shingles('噪音扰民'), shingles('噪音扰民'))).toBe(1);
  });

  it('Jaccard and containment on small sets', () => {
    const a = new Set(['ab', 'bc', 'cd']);
    const b = new Set(['bc', 'cd', 'de', 'ef']);
    expect(jaccard(a, b)).toBeCloseTo(2 / 5, 12);
    expect(containment(a, b)).toBeCloseTo(2 / 3, 12);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(containment(new Set(), b)).toBe(0);
  });

  it('cosine is symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (x, y) => {
        const s = cosineSimilarity(textProfile(x), textProfile(y));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(cosineSimilarity(textProfile(y), textProfile(x))).toBeCloseTo(s, 12);
      }),
    );
  });
});
