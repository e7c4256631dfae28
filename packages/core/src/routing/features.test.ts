import { describe, expect, it } from 'vitest';
import { extractFeatures, hashString } from './features.js';

/** The counts of a bag as hash → count. */
const asMap = (text: string, o = { ngramMin: 1, ngramMax: 2, words: false }): Map<number, number> => {
  const bag = extractFeatures(text, o);
  return new Map(Array.from(bag.hashes, (h, i) => [h, bag.counts[i]!]));
};

describe('extractFeatures', () => {
  it('gives the character n-grams of the normalised text with their counts', () => {
    const m = asMap('噪音噪音');
    expect(m.get(hashString('噪'))).toBe(2);
    expect(m.get(hashString('噪音'))).toBe(2);
    expect(m.get(hashString('音噪'))).toBe(1);
    expect(m.size).toBe(4); // 噪, 音, 噪音, 音噪
  });

  it('does not let n-grams cross punctuation or spaces', () => {
    const m = asMap('噪音，扰民');
    expect(m.has(hashString('音，'))).toBe(false);
    expect(m.has(hashString('音扰'))).toBe(false);
    expect(m.has(hashString('扰民'))).toBe(true);
  });

  it('respects ngramMin and ngramMax', () => {
    const m = asMap('abcd', { ngramMin: 2, ngramMax: 3, words: false });
    expect([...m.keys()].sort()).toEqual(['ab', 'bc', 'cd', 'abc', 'bcd'].map((s) => hashString(s)).sort());
  });

  it('normalises before hashing, so full-width and digits do not matter', () => {
    expect(extractFeatures('Ｆ７县')).toEqual(extractFeatures('f12县'));
  });

  it('returns hashes in ascending order without duplicates', () => {
    const bag = extractFeatures('小区物业乱收费，物业不作为，小区垃圾没人清理');
    for (let i = 1; i < bag.hashes.length; i++) expect(bag.hashes[i]!).toBeGreaterThan(bag.hashes[i - 1]!);
  });

  it('adds word features when asked', () => {
    const plain = extractFeatures('小区物业乱收费');
    const words = extractFeatures('小区物业乱收费', { ngramMin: 1, ngramMax: 2, words: true });
    expect(words.hashes.length).toBeGreaterThan(plain.hashes.length);
  });

  it('gives an empty bag for empty or punctuation-only text', () => {
    expect(extractFeatures('').hashes.length).toBe(0);
    expect(extractFeatures('，。！ ').hashes.length).toBe(0);
  });
});
