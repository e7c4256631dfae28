import { describe, expect, it } from 'vitest';
import { columnName, displayWidth, sanitiseSheetNames } from './xlsx-names.js';

describe('sanitiseSheetNames', () => {
  it('replaces forbidden characters, trims apostrophes, fills blanks and avoids the reserved name', () => {
    expect(
      sanitiseSheetNames(['2026/12 台账:[草稿]*?', "'引号'", '', ' \u0001\t ', 'History', 'back\\slash']),
    ).toEqual(['2026_12 台账__草稿___', '引号', 'Sheet3', 'Sheet4', 'History_', 'back_slash']);
  });

  it('cuts at 31 characters without splitting a surrogate pair or ending on an apostrophe', () => {
    expect(sanitiseSheetNames(['A'.repeat(40)])).toEqual(['A'.repeat(31)]);
    expect(sanitiseSheetNames([`${'台'.repeat(30)}😀`])).toEqual(['台'.repeat(30)]);
    expect(sanitiseSheetNames([`${'b'.repeat(30)}'c`])).toEqual(['b'.repeat(30)]);
  });

  it('makes names unique ignoring case, keeping the suffix within 31 characters', () => {
    expect(sanitiseSheetNames(['社区台账', '社区台账', '社区台账', 'A'.repeat(40), 'a'.repeat(40)])).toEqual([
      '社区台账',
      '社区台账 (2)',
      '社区台账 (3)',
      'A'.repeat(31),
      `${'a'.repeat(27)} (2)`,
    ]);
  });
});

describe('columnName and displayWidth', () => {
  it('spells column letters up to Excel’s last column', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
      'XFD',
    ]);
  });

  it('counts CJK and full-width characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('社区台账')).toBe(8);
    expect(displayWidth('（１）')).toBe(6);
  });
});
