import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import { classify, trainClassifier } from './classifier.js';
import { deserializeModel, serializeModel } from './model-codec.js';
import { syntheticMessages } from './routing-fixtures.js';

const MODEL = trainClassifier(syntheticMessages(20));
const PROBES = [...syntheticMessages(5, 42).map((m) => m.text), '', '😀', '完全无关的一句话'];

/** The issue paths of the VALIDATION_FAILED thrown by deserializeModel. */
function issuePaths(json: string): string[] {
  try {
    deserializeModel(json);
  } catch (e) {
    expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
    return (e as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path);
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('serializeModel / deserializeModel', () => {
  it('round-trips to a model with identical predictions', () => {
    const copy = deserializeModel(serializeModel(MODEL));
    for (const text of PROBES) expect(classify(copy, text)).toEqual(classify(MODEL, text));
    expect(copy.weights).toEqual(MODEL.weights);
    expect(copy.vocabulary.idf).toEqual(MODEL.vocabulary.idf);
    expect(copy.temperature).toBe(MODEL.temperature);
    expect(copy.trainedOn).toEqual(MODEL.trainedOn);
  });

  it('is stable: serialising the copy gives the same text', () => {
    const json = serializeModel(MODEL);
    expect(serializeModel(deserializeModel(json))).toBe(json);
  });

  it('round-trips the naive-Bayes kind too', () => {
    const nb = trainClassifier(syntheticMessages(10), { kind: 'complement-nb' });
    const copy = deserializeModel(serializeModel(nb));
    expect(copy.kind).toBe('complement-nb');
    for (const text of PROBES) expect(classify(copy, text)).toEqual(classify(nb, text));
  });

  it('names what is wrong in a damaged file', () => {
    const good = JSON.parse(serializeModel(MODEL)) as Record<string, unknown>;
    const damaged = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch });
    expect(issuePaths('{')).toEqual(['']);
    expect(issuePaths('null')).toEqual(['']);
    expect(issuePaths(damaged({ format: 'other' }))).toContain('format');
    expect(issuePaths(damaged({ version: 99 }))).toContain('version');
    expect(issuePaths(damaged({ labels: ['a', 'a', 'b'] }))).toContain('labels');
    expect(issuePaths(damaged({ temperature: -1 }))).toContain('temperature');
    expect(issuePaths(damaged({ features: { ngramMin: 3, ngramMax: 2, words: false } }))).toContain(
      'features',
    );
    expect(issuePaths(damaged({ weights: 'not base64!' }))).toContain('weights');
    expect(issuePaths(damaged({ weights: (good.weights as string).slice(0, 8) }))).toContain('weights');
    expect(issuePaths(damaged({ df: '' }))).toContain('df');
    expect(issuePaths(damaged({ bias: [1] }))).toContain('bias');
  });

  it('refuses weights that are not finite', () => {
    const good = JSON.parse(serializeModel(MODEL)) as { weights: string };
    const nan = Buffer.from(
      new Float32Array(Buffer.from(good.weights, 'base64').length / 4).fill(NaN).buffer,
    );
    expect(issuePaths(JSON.stringify({ ...good, weights: nan.toString('base64') }))).toEqual(['weights']);
  });

  it('writes base64 that standard decoders read as little-endian float32', () => {
    const s = JSON.parse(serializeModel(MODEL)) as { weights: string };
    const bytes = Buffer.from(s.weights, 'base64');
    expect(bytes.length).toBe(MODEL.weights.length * 4);
    expect(bytes.readFloatLE(4)).toBe(MODEL.weights[1]);
  });
});
