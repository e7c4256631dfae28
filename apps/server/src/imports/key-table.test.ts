import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOf, KeyTable } from './key-table.js';

describe('KeyTable', () => {
  it('answers like a Map of first rows, through growth and collisions (property)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('JN001', 'JN002', '工单', ''),
      fc.nat(3000).map(String),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3000 }), (keys) => {
        const table = new KeyTable();
        const reference = new Map<string, number>();
        keys.forEach((k, row) => {
          expect(table.claim(k, row)).toBe(reference.get(k));
          if (!reference.has(k)) reference.set(k, row);
        });
        expect(table.size).toBe(reference.size);
      }),
      { numRuns: 100 },
    );
  });

  it('tells apart keys that share a hash', () => {
    // found by a birthday search: two order numbers with the same 32-bit FNV-1a hash
    const [a, b] = ['JN97jcoy', 'JN1k5xkw8'] as const;
    expect(hashOf(a)).toBe(hashOf(b));
    const table = new KeyTable();
    expect(table.claim(a, 2)).toBeUndefined();
    expect(table.claim(b, 3)).toBeUndefined();
    expect(table.claim(b, 4)).toBe(3);
    expect(table.claim(a, 5)).toBe(2);
  });

  it('keeps every key through many rehashes', () => {
    const table = new KeyTable();
    const many = Array.from({ length: 50_000 }, (_, i) => `JN2026${String(i).padStart(9, '0')}`);
    expect(many.filter((k, i) => table.claim(k, i) !== undefined)).toEqual([]);
    expect(many.filter((k, i) => table.claim(k, -1) !== i)).toEqual([]);
    expect(table.size).toBe(50_000);
  });
});
