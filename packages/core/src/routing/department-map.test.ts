// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DISTRICT_DEPARTMENTS } from '../governance/departments.js';
import { parseCategoriesCsv } from '../timelimits/categories.js';
import { DEPARTMENT_BY_CATEGORY, departmentFor } from './department-map.js';

const REAL = parseCategoriesCsv(
  readFileSync(new URL('../../../../apps/server/assets/categories-3level.csv', import.meta.url), 'utf8'),
);
const CODES = new Set(DISTRICT_DEPARTMENTS.map((d) => d.code));

describe('DEPARTMENT_BY_CATEGORY', () => {
  it('names only category paths of the catalogue and existing departments', () => {
    const paths = new Set(REAL.map((c) => c.path));
    expect(Object.keys(DEPARTMENT_BY_CATEGORY).filter((p) => !paths.has(p))).toEqual([]);
    expect(Object.values(DEPARTMENT_BY_CATEGORY).filter((d) => !CODES.has(d))).toEqual([]);
  });

  it('gives every category of the catalogue a department', () => {
    for (const c of REAL) {
      const [l1, l2 = null, l3 = null] = c.path.split('/');
      expect(CODES.has(departmentFor(l1!, l2, l3) ?? ''), c.path).toBe(true);
    }
  });
});

describe('departmentFor', () => {
  it('uses the most specific entry', () => {
    expect(departmentFor('城乡建设')).toBe('D04');
    expect(departmentFor('城乡建设', '城乡规划')).toBe('D16');
    expect(departmentFor('城乡建设', '城乡规划', '违章建筑')).toBe('D05');
    expect(departmentFor('城乡建设', '城乡规划', '规划设计')).toBe('D16');
    expect(departmentFor('卫生计生', '食品药品监管', '食品安全')).toBe('D10');
  });

  it('ignores level 3 without level 2, and knows no unknown class', () => {
    expect(departmentFor('城乡建设', null, '违章建筑')).toBe('D04');
    expect(departmentFor('未知')).toBeNull();
    expect(departmentFor('toString')).toBeNull();
  });
});
