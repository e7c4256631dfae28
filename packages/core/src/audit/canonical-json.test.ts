import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('writes primitives like JSON', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1.5e-7)).toBe('1.5e-7');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson('网格 "quoted"\n\u0001')).toBe(JSON.stringify('网格 "quoted"\n\u0001'));
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('sorts keys by UTF-16 code units', () => {
    expect(canonicalJson({ b: 0, a: 0, B: 0, é: 0, '10': 0, '9': 0, '': 0 })).toBe(
      '{"":0,"10":0,"9":0,"B":0,"a":0,"b":0,"é":0}',
    );
  });

  it('follows JSON.stringify for undefined, functions, non-finite numbers and toJSON', () => {
    expect(canonicalJson({ a: undefined, b: () => 1, c: 1 })).toBe('{"c":1}');
    expect(canonicalJson([undefined, () => 1, Symbol('s')])).toBe('[null,null,null]');
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(
      '[null,null,null]',
    );
    expect(canonicalJson({ at: new Date('2026-03-01T08:00:00Z') })).toBe('{"at":"2026-03-01T08:00:00.000Z"}');
    expect(canonicalJson({ x: { toJSON: (key: string) => ({ key, z: 1, a: 2 }) } })).toBe(
      '{"x":{"a":2,"key":"x","z":1}}',
    );
    expect(canonicalJson([Object(1), Object('s'), Object(false)])).toBe('[1,"s",false]');
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 3])).toBe('[1,null,3]');
  });

  it('allows shared (non-cyclic) references but rejects cycles, BigInt and top-level undefined', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe('{"a":{"k":1},"b":[{"k":1},{"k":1}]}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { again: cyclic };
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/BigInt/);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('is valid JSON that parses to what JSON.stringify round-trips to (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('is unchanged by a JSON round trip, for any value JSON accepts (property)', () => {
    const valueArb = fc.anything({
      withDate: true,
      withSparseArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
      maxDepth: 4,
    });
    fc.assert(
      fc.property(valueArb, (v) => {
        const json = JSON.stringify(v);
        if (json === undefined) return;
        expect(canonicalJson(JSON.parse(json))).toBe(canonicalJson(v));
      }),
    );
  });

  it('does not depend on key insertion order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
      }),
    );
  });

  it('contains no whitespace outside strings (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const withoutStrings = canonicalJson(v).replace(/"(?:[^"\\]|\\.)*"/g, '""');
        expect(withoutStrings).not.toMatch(/\s/);
      }),
    );
  });
});
