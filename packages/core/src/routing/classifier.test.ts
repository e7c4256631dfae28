import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, trainClassifier } from './classifier.js';
import type { ClassifierKind } from './classifier.js';
import { TOPICS, syntheticMessages } from './routing-fixtures.js';

const TRAIN = syntheticMessages(20, 7);
const HELD_OUT = syntheticMessages(10, 99);
const KINDS: ClassifierKind[] = ['svm', 'sgd', 'complement-nb'];

describe('trainClassifier + classify', () => {
  it.each(KINDS)('%s classifies held-out synthetic messages correctly', (kind) => {
    const model = trainClassifier(TRAIN, { kind });
    expect(model.labels).toEqual(Object.keys(TOPICS).sort());
    for (const m of HELD_OUT) expect(classify(model, m.text).label).toBe(m.label);
  });

  it.each(KINDS)('%s gives probabilities: one per label, summing to 1, the label the most likely', (kind) => {
    const model = trainClassifier(TRAIN, { kind });
    const r = classify(model, '工厂废气和噪音扰民，请环保部门调查');
    expect(r.label).toBe('环境保护');
    expect(Object.keys(r.scores).sort()).toEqual(model.labels);
    expect(Object.values(r.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(r.confidence).toBe(Math.max(...Object.values(r.scores)));
    expect(r.confidence).toBeGreaterThan(1 / model.labels.length);
  });

  it('is deterministic: same examples and seed give the same model', () => {
    const a = trainClassifier(TRAIN, { seed: 5 });
    const b = trainClassifier(TRAIN, { seed: 5 });
    expect(b.weights).toEqual(a.weights);
    expect(b.bias).toEqual(a.bias);
    expect(b.temperature).toBe(a.temperature);
    expect(Array.from(b.vocabulary.hashes)).toEqual(Array.from(a.vocabulary.hashes));
  });

  it('does not depend on the order of the labels in the input', () => {
    const a = trainClassifier(TRAIN, { kind: 'complement-nb' });
    const b = trainClassifier([...TRAIN].reverse(), { kind: 'complement-nb' });
    expect(b.labels).toEqual(a.labels);
    expect(classify(b, HELD_OUT[0]!.text).label).toBe(classify(a, HELD_OUT[0]!.text).label);
  });

  it('fits a confidence temperature on held-out folds unless one is given', () => {
    expect(trainClassifier(TRAIN, { temperature: 0.5 }).temperature).toBe(0.5);
    const fitted = trainClassifier(TRAIN).temperature;
    expect(fitted).toBeGreaterThan(0);
    expect(fitted).not.toBe(1);
  });

  it('learns from operators corrections, which replace the example with the same text', () => {
    const text = '学校食堂的油烟扰民';
    const base = [...TRAIN, { text, label: '教育文体' }];
    const before = trainClassifier(base, { temperature: 1 });
    expect(classify(before, text).label).toBe('教育文体');
    const corrections = [{ text, label: '环境保护' }];
    const after = trainClassifier(base, { temperature: 1, corrections });
    expect(after.trainedOn).toEqual({ examples: base.length, corrections: 1 });
    expect(classify(after, text).label).toBe('环境保护');
  });

  it('weights corrections higher than ordinary examples', () => {
    // the same ambiguous text once per side: only the correction weight decides
    const text = '社保缴费的学校';
    const examples = [...TRAIN, { text: `${text}。`, label: '教育文体' }];
    const corrections = [{ text: `${text}！`, label: '劳动和社会保障' }];
    const score = (correctionWeight: number) =>
      classify(trainClassifier(examples, { temperature: 1, corrections, correctionWeight }), text).scores[
        '劳动和社会保障'
      ]!;
    expect(score(3)).toBeGreaterThan(score(1));
  });

  it('may add a label that only corrections carry', () => {
    const corrections = [
      { text: '小区门口有人打架斗殴', label: '政法' },
      { text: '夜里有人打架斗殴报警', label: '政法' },
    ];
    const model = trainClassifier(TRAIN, { corrections });
    expect(model.labels).toContain('政法');
    expect(model.temperature).not.toBe(1); // still calibrated, though 政法 is smaller than a fold
    expect(classify(model, '打架斗殴').label).toBe('政法');
  });

  it('refuses an empty training set', () => {
    expect(() => trainClassifier([])).toThrow(/at least one example/);
  });

  it('never throws on arbitrary text; confidences stay within [0, 1] and sum to 1', () => {
    const model = trainClassifier(TRAIN);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const r = classify(model, text);
        expect(model.labels).toContain(r.label);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        const p = Object.values(r.scores);
        for (const x of p) expect(x >= 0 && x <= 1).toBe(true);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }),
      { numRuns: 300 },
    );
  });
});
