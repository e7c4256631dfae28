// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCategoriesCsv } from '../timelimits/categories.js';
import { createTaxonomyMatcher, suggestSubcategory, termsOfName } from './taxonomy-match.js';
import { TAXONOMY_TERMS } from './taxonomy-terms.js';

const REAL = parseCategoriesCsv(
  readFileSync(new URL('../../../../apps/server/assets/categories-3level.csv', import.meta.url), 'utf8'),
);
const real = createTaxonomyMatcher(REAL);

describe('termsOfName', () => {
  it('splits names at 和/与/及/、 and drops a generic suffix', () => {
    expect(termsOfName('城市建设和市政管理')).toEqual(['城市建设和市政管理', '城市建设', '市政管理', '市政']);
    expect(termsOfName('噪音污染')).toEqual(['噪音污染', '噪音']);
    expect(termsOfName('其他')).toEqual([]);
  });
});

describe('suggestSubcategory', () => {
  it('finds level 2 and level 3 from catalogue names and added terms', () => {
    expect(suggestSubcategory(real, '环境保护', '楼下烧烤店油烟太大，晚上还噪音扰民')).toMatchObject({
      level2: '环境污染',
    });
    expect(suggestSubcategory(real, '城乡建设', '小区物业乱收费，物业公司不作为')).toMatchObject({
      level2: '住房保障与房地产',
      level3: '物业服务',
    });
    expect(suggestSubcategory(real, '商贸旅游', '小区电梯三年没有年检')).toMatchObject({
      level2: '质监检验检疫',
      level3: '特种设备管理',
    });
  });

  it('returns the catalogue code of the most specific match', () => {
    const s = suggestSubcategory(real, '劳动和社会保障', '公司拖欠工资半年，讨薪无门');
    const node = REAL.find((c) => c.code === s.code);
    expect(node?.path).toBe(`劳动和社会保障/${s.level2}/${s.level3}`);
  });

  it('stays within the first-level class it is given', () => {
    // 噪音 belongs to 环境保护; under 教育文体 it must not produce an environment category
    const s = suggestSubcategory(real, '教育文体', '噪音');
    expect(s.level2).toBeNull();
  });

  it('gives a level 2 without level 3 when only the level-2 terms match', () => {
    expect(suggestSubcategory(real, '卫生计生', '关于计划生育的一个咨询')).toMatchObject({
      level2: '人口计生',
      level3: null,
    });
  });

  it('gives nulls (and the level-1 code) when nothing matches, nulls for an unknown class', () => {
    const s = suggestSubcategory(real, '交通运输', '你好');
    expect(s.level2).toBeNull();
    expect(s.level3).toBeNull();
    expect(s.code).toBe(REAL.find((c) => c.level === 1 && c.name === '交通运输')?.code);
    expect(suggestSubcategory(real, '未知类别', '噪音')).toEqual({ level2: null, level3: null, code: null });
  });

  it('has added terms only for paths that exist in the catalogue', () => {
    const paths = new Set(REAL.map((c) => c.path));
    expect(Object.keys(TAXONOMY_TERMS).filter((p) => !paths.has(p))).toEqual([]);
  });
});
