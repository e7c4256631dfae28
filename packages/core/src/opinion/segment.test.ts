import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCjk, normaliseText, segmentBoundaries, segmentWords, wordsOf } from './segment.js';

describe('normaliseText', () => {
  it('turns full-width ASCII into half-width and lower-cases Latin', () => {
    expect(normaliseText('ＡＢＣ１２３！？（ｐｍ２．５）')).toBe('abc123!?(pm2.5)');
    expect(normaliseText('Ｐ２Ｐ平台')).toBe('p2p平台');
  });

  it('maps every kind of space to one space and keeps CJK punctuation', () => {
    expect(normaliseText('噪音\u3000扰民\t严重\n。、')).toBe('噪音 扰民 严重 。、');
  });

  it('is length-preserving, so offsets point into the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(normaliseText(s)).toHaveLength(s.length);
      }),
    );
  });
});

describe('segmentWords (Intl.Segmenter zh-CN)', () => {
  it('splits a real board post into dictionary words', () => {
    const words = wordsOf('强烈要求有关部门查处拖欠农民工工资的违法行为');
    expect(words).toEqual(
      expect.arrayContaining(['强烈', '要求', '有关', '部门', '拖欠', '工资', '违法', '行为']),
    );
    expect(words.join('')).toBe('强烈要求有关部门查处拖欠农民工工资的违法行为');
  });

  it('marks punctuation as not word-like and covers the whole text', () => {
    const text = normaliseText('桐阴里夜间施工扰民，小区长期以来一直夜间施工！');
    const segments = segmentWords(text);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.find((s) => s.text === ',')?.isWordLike).toBe(false); // ， became ,
    expect(segments.find((s) => s.text === '施工')?.isWordLike).toBe(true);
    for (const s of segments) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('keeps a number whole, so 58 is not a word boundary inside 158', () => {
    const b = segmentBoundaries('158车贷');
    expect(b.has(0)).toBe(true);
    expect(b.has(1)).toBe(false);
  });

  it('knows CJK from Latin', () => {
    expect(isCjk('扰'.charCodeAt(0))).toBe(true);
    expect(isCjk('a'.charCodeAt(0))).toBe(false);
  });
});
