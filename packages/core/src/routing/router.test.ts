// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCategoriesCsv } from '../timelimits/categories.js';
import { trainClassifier } from './classifier.js';
import { syntheticMessages } from './routing-fixtures.js';
import { createRouter, routeMessage } from './router.js';

const REAL = parseCategoriesCsv(
  readFileSync(new URL('../../../../apps/server/assets/categories-3level.csv', import.meta.url), 'utf8'),
);
const MODEL = trainClassifier(syntheticMessages(20));

describe('routeMessage', () => {
  it('suggests category levels 1–3, the lead department and the confidence', () => {
    const r = routeMessage(createRouter(MODEL, REAL), '工厂废气粉尘污染严重，晚上噪音扰民');
    expect(r).toMatchObject({ label: '环境保护', level2: '环境污染', department: 'D11' });
    expect(r.level3).not.toBeNull();
    expect(REAL.find((c) => c.code === r.categoryCode)?.name).toBe(r.level3);
    expect(r.needsReview).toBe(r.confidence < 0.7);
  });

  it('uses the department of the suggested level 2 when the table has one', () => {
    const r = routeMessage(createRouter(MODEL, REAL), '拖欠工资，社保缴费断了');
    expect(r.label).toBe('劳动和社会保障');
    expect(r.department).toBe('D06');
  });

  it('works without a catalogue: first level and its department only', () => {
    const r = routeMessage(createRouter(MODEL), '学校老师补课收费');
    expect(r).toMatchObject({
      label: '教育文体',
      level2: null,
      level3: null,
      categoryCode: null,
      department: 'D09',
    });
  });

  it('marks everything for review with threshold 1 and nothing with threshold 0', () => {
    const text = '拖欠工资';
    expect(routeMessage(createRouter(MODEL, null, { threshold: 1.01 }), text).needsReview).toBe(true);
    expect(routeMessage(createRouter(MODEL, null, { threshold: 0 }), text).needsReview).toBe(false);
  });

  it('never throws on arbitrary text', () => {
    const router = createRouter(MODEL, REAL);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const r = routeMessage(router, text);
        expect(r.confidence >= 0 && r.confidence <= 1).toBe(true);
        expect(r.department).toMatch(/^D\d\d$/);
      }),
      { numRuns: 200 },
    );
  });
});
