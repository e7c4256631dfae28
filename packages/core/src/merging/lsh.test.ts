import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LshIndex, lshBandKeys, lshMatchProbability } from './lsh.js';
import { minhashSignature } from './minhash.js';

const REPORT = '暮云街道丽发新城小区旁边建了一个搅拌站，噪音和粉尘严重影响居民休息，请尽快处理';

describe('lshBandKeys', () => {
  it('gives one key per band, tagged with the band number', () => {
    const keys = lshBandKeys(minhashSignature(REPORT), 32, 4);
    expect(keys).toHaveLength(32);
    expect(new Set(keys).size).toBe(32);
    keys.forEach((k, b) =>
      expect(k).toMatch(new RegExp(`^${b.toString(16).padStart(2, '0')}-[0-9a-f]{16}$`)),
    );
  });

  it('gives equal signatures equal keys, and a changed band a changed key', () => {
    const sig = minhashSignature(REPORT);
    expect(lshBandKeys(sig)).toEqual(lshBandKeys(Uint32Array.from(sig)));
    const other = Uint32Array.from(sig);
    other[5] = (other[5] as number) ^ 1; // slot 5 lies in band 1 of 32×4
    const [a, b] = [lshBandKeys(sig), lshBandKeys(other)];
    expect(a.filter((k, i) => k !== b[i])).toEqual([a[1]]);
  });

  it('gives empty texts no keys and refuses impossible bandings', () => {
    expect(lshBandKeys(minhashSignature('！'))).toEqual([]);
    expect(() => lshBandKeys(minhashSignature(REPORT), 33, 4)).toThrow(RangeError);
    expect(() => lshBandKeys(minhashSignature(REPORT), 0, 4)).toThrow(RangeError);
  });

  it('lets a lightly edited copy meet the original and an unrelated report miss it', () => {
    const index = new LshIndex<string>();
    index.add('mixing-plant', minhashSignature(REPORT));
    index.add('street-light', minhashSignature('小区门口的路灯坏了一个多月，晚上出行很不安全'));
    const hits = index.query(minhashSignature(`${REPORT}。再次反映，谢谢！`));
    expect([...hits.keys()]).toEqual(['mixing-plant']);
    expect(hits.get('mixing-plant')).toBeGreaterThan(10);
  });
});

describe('lshMatchProbability', () => {
  it('is an S-curve from 0 to 1, rising with similarity', () => {
    expect(lshMatchProbability(0)).toBe(0);
    expect(lshMatchProbability(1)).toBe(1);
    expect(lshMatchProbability(0.42, 32, 4)).toBeGreaterThan(0.5);
    expect(lshMatchProbability(0.2, 32, 4)).toBeLessThan(0.05);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          expect(lshMatchProbability(lo)).toBeLessThanOrEqual(lshMatchProbability(hi));
        },
      ),
    );
  });
});
