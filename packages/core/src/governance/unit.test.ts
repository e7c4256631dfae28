import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childCode, codeProblem, isWithinPath, readingOrder, unitPath } from './unit.js';

describe('unit codes', () => {
  it('accepts well-formed codes at each level', () => {
    expect(codeProblem('district', '370112', null)).toBeNull();
    expect(codeProblem('street', '370112001', '370112')).toBeNull();
    expect(codeProblem('community', '370112001002', '370112001')).toBeNull();
    expect(codeProblem('basicGrid', '370112001002003', '370112001002')).toBeNull();
    expect(codeProblem('dedicatedGrid', '370112001002501', '370112001002003')).toBeNull();
  });

  it('names the reason for bad codes', () => {
    expect(codeProblem('street', '37011200', '370112')).toMatch(/9 digits/);
    expect(codeProblem('street', '370113001', '370112')).toMatch(/parent code/);
    expect(codeProblem('basicGrid', '370112001002501', '370112001002')).toMatch(/001–499/);
    expect(codeProblem('dedicatedGrid', '370112001002003', '370112001002003')).toMatch(/501–999/);
    expect(codeProblem('dedicatedGrid', '370112001009501', '370112001002003')).toMatch(/community code/);
    expect(codeProblem('community', '370112001000', '370112001')).toMatch(/000/);
    expect(codeProblem('street', '37011200a', '370112')).toMatch(/digits/);
    expect(codeProblem('district', '370112', '37')).toMatch(/no parent/);
  });

  it('builds child codes and paths', () => {
    expect(childCode('370112', 5)).toBe('370112005');
    expect(() => childCode('370112', 0)).toThrow();
    expect(unitPath(null, '370112')).toBe('/370112/');
    expect(unitPath('/370112/', '370112005')).toBe('/370112/370112005/');
  });

  it('scopes by path prefix: a unit sees itself and its descendants only', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 3 }),
        (a, b) => {
          const build = (seqs: number[]) =>
            seqs.reduce(
              (acc, s) => ({
                code: childCode(acc.code, s),
                path: unitPath(acc.path, childCode(acc.code, s)),
              }),
              { code: '370112', path: '/370112/' },
            );
          const x = build(a);
          const y = build(b);
          const yBelowX = b.length >= a.length && a.every((s, i) => b[i] === s);
          expect(isWithinPath(y.path, x.path)).toBe(yBelowX);
        },
      ),
    );
  });

  it('numbers in reading order: rows north to south, west to east', () => {
    const pts: Array<[number, number]> = [
      [117.2, 36.5],
      [117.0, 36.5],
      [117.1, 36.7],
      [117.05, 36.7],
    ];
    const sorted = readingOrder(pts, (p) => p, 0.1).map((p) => p.join(','));
    expect(sorted).toEqual(['117.05,36.7', '117.1,36.7', '117,36.5', '117.2,36.5']);
  });
});
