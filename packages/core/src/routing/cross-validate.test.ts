import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, trainClassifier } from './classifier.js';
import type { LabeledText } from './classifier.js';
import { confidenceTable, crossValidate, scorePredictions, stratifiedFolds } from './cross-validate.js';
import type { HeldOutPrediction } from './cross-validate.js';
import { syntheticMessages } from './routing-fixtures.js';

describe('stratifiedFolds', () => {
  it('puts every class into every fold in equal shares (within one) and fold sizes within one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 0, maxLength: 200 }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer(),
        (labels, k, seed) => {
          const fold = stratifiedFolds(labels, k, seed);
          expect(fold.length).toBe(labels.length);
          for (const f of fold) expect(f >= 0 && f < k).toBe(true);
          const sizes = Array.from({ length: k }, (_, f) => fold.filter((x) => x === f).length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (const l of new Set(labels)) {
            const per = Array.from(
              { length: k },
              (_, f) => labels.filter((x, i) => x === l && fold[i] === f).length,
            );
            expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('is deterministic for a seed and shuffles differently for another', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 'x' : 'y'));
    expect(stratifiedFolds(labels, 5, 1)).toEqual(stratifiedFolds(labels, 5, 1));
    expect(stratifiedFolds(labels, 5, 1)).not.toEqual(stratifiedFolds(labels, 5, 2));
  });

  it('refuses k < 2', () => {
    expect(() => stratifiedFolds(['a'], 1, 0)).toThrow(/k must be/);
  });
});

describe('crossValidate', () => {
  it('trains each fold without its held-out messages and predicts every message exactly once', () => {
    const examples: LabeledText[] = Array.from({ length: 53 }, (_, i) => ({
      text: `m${i}`,
      label: ['a', 'b', 'c'][i % 3]!,
    }));
    const seen: Array<Set<string>> = [];
    const report = crossValidate(examples, 4, 9, (train) => {
      const texts = new Set(train.map((e) => e.text));
      seen.push(texts);
      return (text) => ({ label: texts.has(text) ? 'leak' : 'a', confidence: 0.5 });
    });
    expect(seen).toHaveLength(4);
    expect(report.predictions.map((p) => p.index)).toEqual(examples.map((_, i) => i));
    expect(report.predictions.some((p) => p.predicted === 'leak')).toBe(false);
    // the training sets are the complements of disjoint held-out sets
    const held = seen.map((s) => examples.filter((e) => !s.has(e.text)).map((e) => e.text));
    expect(held.flat().sort()).toEqual(examples.map((e) => e.text).sort());
    expect(report.accuracy).toBeCloseTo(18 / 53, 9);
  });

  it('reaches high accuracy with a real trainer on separable synthetic data', () => {
    const report = crossValidate(syntheticMessages(15), 3, 1, (train) => {
      const model = trainClassifier(train, { temperature: 1 });
      return (text) => classify(model, text);
    });
    expect(report.accuracy).toBe(1);
    expect(report.macroF1).toBe(1);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(45);
  });

  it('measures time with the given clock', () => {
    let t = 0;
    const report = crossValidate(
      syntheticMessages(4),
      2,
      1,
      () => () => ({ label: '教育文体', confidence: 1 }),
      () => (t += 10),
    );
    expect(report.trainMs).toBe(20);
    expect(report.predictMs).toBe(20);
  });
});

describe('scorePredictions', () => {
  it('computes accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix', () => {
    const r = scorePredictions(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'a', 'c']);
    expect(r.labels).toEqual(['a', 'b', 'c']);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    const a = r.perClass[0]!;
    expect(a.precision).toBeCloseTo(2 / 3, 12);
    expect(a.recall).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[1]!.f1).toBeCloseTo(0.5, 12);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
  });
});

describe('confidenceTable', () => {
  it('gives the share kept and its accuracy per threshold', () => {
    const p = (confidence: number, right: boolean): HeldOutPrediction => ({
      index: 0,
      fold: 0,
      label: 'a',
      predicted: right ? 'a' : 'b',
      confidence,
    });
    const rows = confidenceTable(
      [p(0.9, true), p(0.8, true), p(0.6, false), p(0.4, false)],
      [0, 0.5, 0.7, 0.95],
    );
    expect(rows).toEqual([
      { threshold: 0, coverage: 1, accuracy: 0.5 },
      { threshold: 0.5, coverage: 0.75, accuracy: 2 / 3 },
      { threshold: 0.7, coverage: 0.5, accuracy: 1 },
      { threshold: 0.95, coverage: 0, accuracy: 1 },
    ]);
  });
});
