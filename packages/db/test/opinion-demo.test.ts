/**
 * The opinion demo on the real message-board feed (data/messages/board-hot.jsonl.gz), loaded into
 * a real database: every post stored once, watchlists in place, warnings raised over the last half year.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '@civicgrid/core';
import { createIdGenerator, fixedClock, SYSTEM_ACTOR } from '@civicgrid/core';
// core's index exports the opinion module once it is wired; the source paths work before and after
import { DEMO_STREETS, readBoardPost } from '../../core/src/opinion/demo-feed.js';
import type { BoardPost } from '../../core/src/opinion/demo-feed.js';
import { createOpinionService, DEMO_DETECTION_DAYS } from '../../core/src/opinion/opinion.service.js';
import type { OpinionService } from '../../core/src/opinion/opinion.service.js';
import { describeEachDb } from '../../../test/support/databases.js';
import type { OpinionTestDb } from './opinion-support.js';
import { openOpinionDb, testUnit } from './opinion-support.js';

const FEED = new URL('../../../data/messages/board-hot.jsonl.gz', import.meta.url);
const NOW = new Date('2026-11-27T04:00:00Z');

describeEachDb('opinion demo feed', (kind) => {
  let db: OpinionTestDb;
  let service: OpinionService;
  let rows: BoardPost[];
  let first: Awaited<ReturnType<OpinionService['loadDemoFeed']>>;

  beforeAll(async () => {
    rows = gunzipSync(readFileSync(FEED))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => readBoardPost(JSON.parse(l)))
      .filter((r): r is BoardPost => r !== null);
    db = await openOpinionDb(kind);
    const clock = fixedClock(NOW);
    const deps: ServiceDeps = {
      store: db.store,
      clock,
      ids: createIdGenerator(clock),
      passwords: { hash: async (p) => p, verify: async (h, p) => h === p },
      randomBytes: (n) => new Uint8Array(n),
    };
    service = createOpinionService(deps, {
      intake: async () => {
        throw new Error('no cases in this test');
      },
    });
    const district = testUnit('370112', 'district', null, '历城区');
    const streets = DEMO_STREETS.map((s) => testUnit(s.code, 'street', district, s.name));
    await db.store.repos.units.insertMany([district, ...streets], NOW.toISOString());
    first = await service.loadDemoFeed(rows, NOW);
  }, 300_000);
  afterAll(async () => db?.t.drop());

  it('stores every post of the feed once, with the demo watchlists', async () => {
    expect(first.inserted).toBe(rows.length);
    expect(first.watchlists).toBe(9 + 14);
    expect(first.topics.noise).toBeGreaterThan(300);
    const lists = await service.listWatchlists(SYSTEM_ACTOR);
    expect(lists).toHaveLength(23);
  });

  it('raises warnings in the last half year, each with evidence of its topic and unit', async () => {
    expect(first.detection.opened.length).toBeGreaterThan(0);
    const since = new Date(NOW.getTime() - DEMO_DETECTION_DAYS * 86_400_000).toISOString();
    const { items } = await service.listWarnings(SYSTEM_ACTOR, { status: 'open', limit: 500 });
    expect(items).toHaveLength(first.detection.opened.length);
    // the district-wide pollution burst of late September (November 2019 in the source)
    expect(items.some((w) => w.topic === 'pollution' && w.unitCode === '370112')).toBe(true);
    for (const w of items) {
      expect(w.windowStart >= since.slice(0, 10)).toBe(true);
      const detail = await service.getWarning(SYSTEM_ACTOR, w.id);
      expect(detail.evidence.length).toBeGreaterThan(0);
      for (const p of detail.evidence) {
        expect(p.topics).toContain(w.topic);
        expect(p.unitCode.startsWith(w.unitCode)).toBe(true);
      }
    }
  });

  it('loads nothing twice when repeated', async () => {
    const again = await service.loadDemoFeed(rows, NOW);
    expect(again).toMatchObject({ inserted: 0, duplicates: rows.length, watchlists: 0 });
    expect(again.detection.opened).toEqual([]);
    expect(again.detection.updated).toEqual([]);
  });
});
