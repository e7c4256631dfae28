/**
 * Group commit (SQLite): concurrent write transactions share one commit, each in its own
 * savepoint; a failing one is rolled back alone, nothing is acknowledged or published before the
 * commit, and request-scoped async context survives. PostgreSQL keeps one transaction per call
 * (the same contract is checked there too).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CaseChange } from '@civicgrid/core';
import { createStore } from '@civicgrid/db';
import { describeEachDb, openTestDb } from '../../../test/support/databases.js';
import type { TestDb } from '../../../test/support/databases.js';

describeEachDb('write transactions under concurrency', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    // PostgreSQL: changes come back through LISTEN/NOTIFY
    t.db.listenForChanges();
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => t?.drop());

  const change = (i: number): CaseChange => ({
    eventId: `e${i}`,
    caseId: `c${i}`,
    number: `n${i}`,
    event: 'case.test',
    status: 'reported',
    version: 1,
    unitPath: '/370112/',
    departmentIds: [],
    channel: 'grid',
    at: '2026-12-01T00:00:00.000Z',
  });

  it('commits the good ones, rolls back each failing one alone, publishes only what committed', async () => {
    const als = new AsyncLocalStorage<number>();
    const seenContext: Array<[number, number | undefined]> = [];
    const store = createStore(t.db, {
      beforeCommit: async () => {
        const id = als.getStore();
        seenContext.push([id ?? -1, id]);
      },
    });
    const published: string[] = [];
    const off = t.db.changes.onChange((c) => published.push(c.eventId));
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        als.run(i, () =>
          store.transaction(async (tx) => {
            await tx.settings.set(`group.${i}`, i, '2026-12-01T00:00:00.000Z');
            await tx.changes.publish(change(i));
            if (i % 7 === 3) throw new Error(`job ${i} fails`);
            return i;
          }),
        ),
      ),
    );
    const ok0 = results.filter((r) => r.status === 'fulfilled').length;
    for (let i = 0; i < 50 && published.length < ok0; i++) await new Promise((r) => setTimeout(r, 100));
    off();
    const ok = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([3, 10, 17, 24, 31, 38]);
    expect(ok.every((i) => (results[i] as PromiseFulfilledResult<number>).value === i)).toBe(true);
    const stored = await store.repos.settings.getMany(Array.from({ length: 40 }, (_, i) => `group.${i}`));
    expect([...stored.keys()].map((k) => Number(k.slice(6))).sort((a, b) => a - b)).toEqual(ok);
    expect(published.sort()).toEqual(ok.map((i) => `e${i}`).sort());
    // each transaction's hook ran in its caller's context
    expect(seenContext.map(([id]) => id).sort((a, b) => a - b)).toEqual(ok);
  });

  it('writes of one row by concurrent transactions all land, one after the other', async () => {
    const store = createStore(t.db);
    const r = await Promise.allSettled([
      store.transaction(async (tx) => tx.settings.set('dup', 1, 'x')),
      store.transaction(async (tx) => tx.settings.set('dup', 2, 'x')),
    ]);
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled']);
    expect([1, 2]).toContain(await store.repos.settings.get('dup'));
  });
});
