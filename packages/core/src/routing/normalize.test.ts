import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('turns full-width ASCII into half-width and lower-cases latin letters', () => {
    expect(normalizeText('Ｆ７县ＡＢＣ，ＫＴＶ！')).toBe('f0县abc,ktv!');
  });

  it('collapses every run of digits into one 0', () => {
    expect(normalizeText('2019年10月23号，电话0731-0000-12345678')).toBe('0年0月0号,电话0-0-0');
  });

  it('folds whitespace (ideographic space included) into single spaces and trims', () => {
    expect(normalizeText('\u3000 小区\t\n物业  乱收费 \u3000')).toBe('小区 物业 乱收费');
  });

  it('keeps Chinese text, punctuation and characters outside the BMP', () => {
    expect(normalizeText('噪音扰民。😀')).toBe('噪音扰民。😀');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
      }),
    );
  });
});
