import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditEntryDraft } from './audit-chain.js';
import { GENESIS_HASH, computeAuditHash, sealAuditEntry, verifyAuditChain } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');

/** A deterministic, varied draft for position `i`. */
function draft(i: number): AuditEntryDraft {
  return {
    id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    at: new Date(T0 + i * 1000).toISOString(),
    actorId: i % 7 === 0 ? null : `user-${i % 13}`,
    actorRole: i % 7 === 0 ? 'system' : i % 2 ? 'admin' : 'gridWorker',
    action: ['user.create', 'staff.update', 'staff.reveal', 'auth.login'][i % 4] ?? 'x',
    entityType: i % 3 ? 'staff' : 'user',
    entityId: i % 5 === 0 ? null : `entity-${i}`,
    details: i % 11 === 0 ? null : { i, tags: ['a', i % 2 === 0], nested: { z: i / 4, a: `第${i}条` } },
    requestId: i % 4 === 0 ? null : `req-${i}`,
  };
}

/** Seals `n` drafts into a chain. */
function buildChain(n: number, from: (i: number) => AuditEntryDraft = draft): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) out.push(sealAuditEntry(out.at(-1) ?? null, from(i)));
  return out;
}

const chain = buildChain(1000);
const head = chain.at(-1) as AuditEntry;

describe('computeAuditHash', () => {
  it('is SHA-256 of prevHash, a newline and the canonical JSON of the ten fields', () => {
    const entry = {
      seq: 1,
      id: 'e1',
      at: '2026-03-01T08:00:00.000Z',
      actorId: 'u1',
      actorRole: 'admin',
      action: 'user.create',
      entityType: 'user',
      entityId: 'u2',
      details: { b: [true, null], a: 1 },
      requestId: 'r1',
    };
    const json =
      '{"action":"user.create","actorId":"u1","actorRole":"admin","at":"2026-03-01T08:00:00.000Z",' +
      '"details":{"a":1,"b":[true,null]},"entityId":"u2","entityType":"user","id":"e1","requestId":"r1","seq":1}';
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${json}`).digest('hex');
    expect(computeAuditHash(GENESIS_HASH, entry)).toBe(expected);
  });

  it('ignores the hash fields and extra properties, and treats undefined as null', () => {
    const e = chain[3] as AuditEntry;
    const { prevHash, hash, ...rest } = e;
    expect(computeAuditHash(prevHash, rest)).toBe(hash);
    expect(computeAuditHash(prevHash, { ...e, hash: 'x', prevHash: 'y', extra: 1 } as AuditEntry)).toBe(hash);
    const withNulls = { ...rest, actorId: null, details: null };
    const withUndefined = { ...rest, actorId: undefined, details: undefined } as unknown as typeof rest;
    expect(computeAuditHash(prevHash, withUndefined)).toBe(computeAuditHash(prevHash, withNulls));
  });

  it('depends on the previous hash', () => {
    const e = chain[0] as AuditEntry;
    expect(computeAuditHash('f'.repeat(64), e)).not.toBe(e.hash);
  });
});

describe('sealAuditEntry', () => {
  it('starts at seq 1 on the genesis hash and links each entry to the one before', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(chain[0]).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]?.seq).toBe(i + 1);
      expect(chain[i]?.prevHash).toBe(chain[i - 1]?.hash);
    }
    expect(new Set(chain.map((e) => e.hash)).size).toBe(chain.length);
    for (const e of chain) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('copies the draft fields unchanged', () => {
    const e = sealAuditEntry({ seq: 41, hash: 'a'.repeat(64) }, draft(1));
    expect(e).toEqual({
      ...draft(1),
      seq: 42,
      prevHash: 'a'.repeat(64),
      hash: computeAuditHash('a'.repeat(64), e),
    });
  });

  it('normalises details to plain JSON (as storage returns them) and undefined values to null', () => {
    const details = { when: new Date('2026-03-01T00:00:00Z'), gone: undefined, list: [1, undefined] };
    const e = sealAuditEntry(null, {
      ...draft(1),
      details,
      entityId: undefined,
    } as unknown as AuditEntryDraft);
    expect(e.details).toEqual({ when: '2026-03-01T00:00:00.000Z', list: [1, null] });
    expect(e.entityId).toBeNull();
    expect(sealAuditEntry(null, { ...draft(1), details: undefined }).details).toBeNull();
  });

  it('is unaffected by later mutation of the draft', async () => {
    const d = { ...draft(2), details: { count: 1 } };
    const e = sealAuditEntry(null, d);
    d.details.count = 2;
    expect(e.details).toEqual({ count: 1 });
    expect(await verifyAuditChain([e])).toMatchObject({ ok: true });
  });

  it('rejects a bad previous head, timestamp or missing required fields', () => {
    expect(() => sealAuditEntry({ seq: 0, hash: 'a'.repeat(64) }, draft(1))).toThrow(/seq/);
    expect(() => sealAuditEntry({ seq: 1.5, hash: 'a'.repeat(64) }, draft(1))).toThrow(/seq/);
    expect(() => sealAuditEntry({ seq: 1, hash: 'A'.repeat(64) }, draft(1))).toThrow(/hash/);
    expect(() => sealAuditEntry({ seq: 1, hash: 'abc' }, draft(1))).toThrow(/hash/);
    for (const at of ['2026-03-01 08:00:00', '2026-03-01T08:00:00+08:00', '2026-13-01T08:00:00Z', '']) {
      expect(() => sealAuditEntry(null, { ...draft(1), at })).toThrow(/ISO UTC/);
    }
    expect(sealAuditEntry(null, { ...draft(1), at: '2026-03-01T08:00:00Z' }).at).toBe('2026-03-01T08:00:00Z');
    expect(() => sealAuditEntry(null, { ...draft(1), id: '' })).toThrow(/required/);
    expect(() => sealAuditEntry(null, { ...draft(1), action: '' })).toThrow(/required/);
    expect(() => sealAuditEntry(null, { ...draft(1), entityType: '' })).toThrow(/required/);
  });
});

describe('verifyAuditChain', () => {
  it('accepts an empty chain', async () => {
    expect(await verifyAuditChain([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it('accepts a chain of 1,000 entries and reports its head', async () => {
    expect(await verifyAuditChain(chain)).toEqual({ ok: true, count: 1000, headHash: head.hash });
  });

  it('accepts the chain after a JSON round trip (as read back from the database)', async () => {
    const stored = JSON.parse(JSON.stringify(chain)) as AuditEntry[];
    expect(await verifyAuditChain(stored)).toEqual({ ok: true, count: 1000, headHash: head.hash });
  });

  it('streams an async iterable without holding it in memory', async () => {
    const n = 20_000;
    let produced = 0;
    async function* lazy(): AsyncGenerator<AuditEntry> {
      let prev: AuditEntry | null = null;
      for (let i = 0; i < n; i++) {
        prev = sealAuditEntry(prev, draft(i));
        produced++;
        yield prev;
      }
    }
    const result = await verifyAuditChain(lazy());
    expect(result).toMatchObject({ ok: true, count: n });
    expect(produced).toBe(n);
  });

  it('stops at the first broken entry of a stream', async () => {
    let pulled = 0;
    function* broken(): Generator<AuditEntry> {
      for (const [i, e] of chain.entries()) {
        pulled++;
        yield i === 10 ? { ...e, action: 'forged' } : e;
      }
    }
    expect(await verifyAuditChain(broken())).toEqual({
      ok: false,
      count: 10,
      firstBrokenSeq: 11,
      reason: 'hash mismatch',
    });
    expect(pulled).toBe(11);
  });

  it('detects a changed field of an entry', async () => {
    const tampered = chain.map((e) => (e.seq === 500 ? { ...e, details: { i: 500, rewritten: true } } : e));
    expect(await verifyAuditChain(tampered)).toEqual({
      ok: false,
      count: 499,
      firstBrokenSeq: 500,
      reason: 'hash mismatch',
    });
  });

  it('detects a deleted entry and names its seq', async () => {
    const deleted = chain.filter((e) => e.seq !== 321);
    expect(await verifyAuditChain(deleted)).toEqual({
      ok: false,
      count: 320,
      firstBrokenSeq: 321,
      reason: 'sequence gap',
    });
  });

  it('detects two swapped entries', async () => {
    const swapped = [...chain];
    [swapped[99], swapped[100]] = [chain[100] as AuditEntry, chain[99] as AuditEntry];
    expect(await verifyAuditChain(swapped)).toMatchObject({
      ok: false,
      firstBrokenSeq: 100,
      reason: 'sequence gap',
    });
  });

  it('detects an inserted, correctly sealed entry at the entry after it', async () => {
    const forged = sealAuditEntry(chain[199] as AuditEntry, { ...draft(9999), action: 'forged' });
    const inserted = [...chain.slice(0, 200), forged, ...chain.slice(200)];
    expect(await verifyAuditChain(inserted)).toEqual({
      ok: false,
      count: 201,
      firstBrokenSeq: 202,
      reason: 'sequence gap',
    });
  });

  it('detects a renumbered entry whose link does not fit', async () => {
    const e = chain[10] as AuditEntry;
    const renumbered = { ...e, seq: 12 };
    const fixed = { ...renumbered, hash: computeAuditHash(renumbered.prevHash, renumbered) };
    const list = [...chain.slice(0, 11), fixed, ...chain.slice(12)];
    expect(await verifyAuditChain(list)).toEqual({
      ok: false,
      count: 11,
      firstBrokenSeq: 12,
      reason: 'prev hash mismatch',
    });
  });

  it('detects a chain that does not start at seq 1', async () => {
    expect(await verifyAuditChain(chain.slice(1))).toMatchObject({
      ok: false,
      firstBrokenSeq: 1,
      reason: 'sequence gap',
    });
  });

  it('catches a rewritten tail and truncation only with an anchor', async () => {
    const rewritten = [...chain.slice(0, 900)];
    for (let i = 900; i < 1000; i++)
      rewritten.push(sealAuditEntry(rewritten.at(-1) ?? null, { ...draft(i), action: 'x' }));
    expect(await verifyAuditChain(rewritten)).toMatchObject({ ok: true, count: 1000 });
    const anchor = { seq: head.seq, hash: head.hash };
    expect(await verifyAuditChain(rewritten, { anchor })).toEqual({
      ok: false,
      count: 999,
      firstBrokenSeq: 1000,
      reason: 'anchor mismatch',
    });
    expect(await verifyAuditChain(chain.slice(0, 990))).toMatchObject({ ok: true, count: 990 });
    expect(await verifyAuditChain(chain.slice(0, 990), { anchor })).toEqual({
      ok: false,
      count: 990,
      firstBrokenSeq: 991,
      reason: 'truncated',
    });
    expect(await verifyAuditChain(chain, { anchor })).toMatchObject({ ok: true, count: 1000 });
    const midAnchor = { seq: 500, hash: (chain[499] as AuditEntry).hash };
    expect(await verifyAuditChain(chain, { anchor: midAnchor })).toMatchObject({ ok: true });
  });
});

describe('verifyAuditChain properties', () => {
  const small = buildChain(60);
  const FIELDS = [
    'seq',
    'id',
    'at',
    'actorId',
    'actorRole',
    'action',
    'entityType',
    'entityId',
    'details',
    'requestId',
    'prevHash',
    'hash',
  ] as const;
  type Field = (typeof FIELDS)[number];

  /** A value for `field` different from the current one (for details: different canonical JSON). */
  const replacementArb = (field: Field, e: AuditEntry): fc.Arbitrary<unknown> => {
    switch (field) {
      case 'seq':
        return fc.integer({ min: -5, max: 1000 }).filter((v) => v !== e.seq);
      case 'actorId':
      case 'actorRole':
      case 'entityId':
      case 'requestId':
        return fc.option(fc.string(), { nil: null }).filter((v) => v !== e[field]);
      case 'details':
        return fc.jsonValue({ maxDepth: 2 }).filter((v) => canonicalJson(v) !== canonicalJson(e.details));
      case 'prevHash':
      case 'hash':
        return fc.stringMatching(/^[0-9a-f]{64}$/).filter((v) => v !== e[field]);
      default:
        return fc.string().filter((v) => v !== e[field]);
    }
  };

  const tamperArb = fc
    .tuple(fc.integer({ min: 0, max: small.length - 1 }), fc.constantFrom(...FIELDS))
    .chain(([index, field]) =>
      replacementArb(field, small[index] as AuditEntry).map((value) => ({ index, field, value })),
    );

  it('names the tampered entry for any field of any entry', async () => {
    await fc.assert(
      fc.asyncProperty(tamperArb, async ({ index, field, value }) => {
        const tampered = small.map((e, i) => (i === index ? { ...e, [field]: value } : e));
        const expectedReason =
          field === 'seq' ? 'sequence gap' : field === 'prevHash' ? 'prev hash mismatch' : 'hash mismatch';
        expect(await verifyAuditChain(tampered)).toEqual({
          ok: false,
          count: index,
          firstBrokenSeq: index + 1,
          reason: expectedReason,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('detects any deletion but the last (and that one with an anchor)', async () => {
    const last = small.at(-1) as AuditEntry;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: small.length - 1 }), async (index) => {
        const deleted = small.filter((_, i) => i !== index);
        const result = await verifyAuditChain(deleted, { anchor: { seq: last.seq, hash: last.hash } });
        const expected = index === small.length - 1 ? 'truncated' : 'sequence gap';
        expect(result).toEqual({ ok: false, count: index, firstBrokenSeq: index + 1, reason: expected });
      }),
    );
  });

  it('detects any swap of two different entries at the earlier position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: small.length - 1 }),
        fc.integer({ min: 0, max: small.length - 1 }),
        async (a, b) => {
          fc.pre(a !== b);
          const swapped = [...small];
          swapped[a] = small[b] as AuditEntry;
          swapped[b] = small[a] as AuditEntry;
          expect(await verifyAuditChain(swapped)).toMatchObject({
            ok: false,
            firstBrokenSeq: Math.min(a, b) + 1,
            reason: 'sequence gap',
          });
        },
      ),
    );
  });

  it('detects any inserted copy of an existing entry', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: small.length }),
        fc.integer({ min: 0, max: small.length - 1 }),
        async (position, copyOf) => {
          const inserted = [
            ...small.slice(0, position),
            small[copyOf] as AuditEntry,
            ...small.slice(position),
          ];
          // a copy of the entry that belongs at `position` verifies once; its twin then breaks the sequence
          const firstBroken = copyOf === position ? position + 2 : position + 1;
          expect(await verifyAuditChain(inserted)).toMatchObject({
            ok: false,
            firstBrokenSeq: firstBroken,
            reason: 'sequence gap',
          });
        },
      ),
    );
  });
});
