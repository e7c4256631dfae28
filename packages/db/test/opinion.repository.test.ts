import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpinionPostRow, OpinionRepository, Store, WarningRow } from '@civicgrid/core';
import { describeEachDb } from '../../../test/support/databases.js';
import type { OpinionTestDb } from './opinion-support.js';
import { openOpinionDb, testDistrict } from './opinion-support.js';

const NOW = '2026-11-27T04:00:00.000Z';
const { all, s1, s2, c1, c2 } = testDistrict();

function post(n: number, over: Partial<OpinionPostRow> = {}): OpinionPostRow {
  return {
    id: `p-${String(n).padStart(3, '0')}`,
    source: 'weibo',
    url: `https://weibo.example/${n}`,
    authorHandle: `author${n % 4}`,
    title: null,
    text: `夜间施工噪音扰民 ${n}`,
    postedAt: new Date(Date.parse('2026-11-20T00:00:00Z') + n * 3_600_000).toISOString(),
    engagement: { likes: n, comments: 0, shares: 0, views: 100 * n, against: 0 },
    unitCode: n % 2 ? c1.code : c2.code,
    unitPath: n % 2 ? c1.path : c2.path,
    negativity: 0.5,
    heat: 0.1,
    topics: ['noise'],
    ingestedAt: NOW,
    ingestedBy: null,
    ...over,
  };
}

function warning(over: Partial<WarningRow> = {}): WarningRow {
  return {
    id: 'w-1',
    topic: 'noise',
    unitCode: s1.code,
    unitPath: s1.path,
    status: 'open',
    level: 'yellow',
    windowStart: '2026-11-25T16:00:00.000Z',
    windowEnd: '2026-11-26T16:00:00.000Z',
    peakCount: 6,
    baseline: 1,
    score: 0.45,
    spikeCount: 1,
    evidencePostIds: ['p-001', 'p-003'],
    caseId: null,
    dismissReason: null,
    decidedBy: null,
    decidedAt: null,
    openedAt: NOW,
    updatedAt: NOW,
    version: 1,
    ...over,
  };
}

describeEachDb('opinion repository', (kind) => {
  let db: OpinionTestDb;
  let store: Store;
  let repo: OpinionRepository;

  beforeAll(async () => {
    db = await openOpinionDb(kind);
    store = db.store;
    repo = (store.repos as unknown as { opinion: OpinionRepository }).opinion;
    await store.repos.units.insertMany(all, NOW);
  });
  afterAll(async () => db?.t.drop());

  it('inserts posts once per (source, url) and their topics only when new', async () => {
    const first = Array.from({ length: 10 }, (_, i) =>
      post(i + 1, { topics: i < 2 ? ['noise', 'property'] : ['noise'] }),
    );
    expect(await repo.insertPosts(first)).toHaveLength(10);
    // same source and URL under another id: skipped, not an error; a new one goes in
    const again = [post(1, { id: 'p-other' }), post(11)];
    expect(await repo.insertPosts(again)).toEqual(['p-011']);
    expect(await repo.findPostsByIds(['p-other'])).toEqual([]);
    const [p1] = await repo.findPostsByIds(['p-001']);
    expect(p1).toEqual(first[0]);
    expect(p1?.topics).toEqual(['noise', 'property']);
    // the same URL from another source is another post
    expect(await repo.insertPosts([post(1, { id: 'p-news-1', source: 'news' })])).toEqual(['p-news-1']);
    expect(await repo.earliestPostAt()).toBe(post(1).postedAt);
  });

  it('keeps counts as large as a viral post’s views', async () => {
    const big = post(90, {
      engagement: { likes: 1, comments: 2, shares: 3, views: 3_000_000_000, against: 4 },
    });
    await repo.insertPosts([big]);
    expect((await repo.findPostsByIds([big.id]))[0]?.engagement.views).toBe(3_000_000_000);
  });

  it('lists posts by scope, topic and time, newest first, page by page', async () => {
    const street1 = await repo.listPosts({ scopePrefix: s1.path, limit: 100 });
    expect(street1.length).toBeGreaterThan(0);
    expect(street1.every((p) => p.unitPath.startsWith(s1.path))).toBe(true);
    const byTopic = await repo.listPosts({ scopePrefix: '/', topic: 'property', limit: 100 });
    expect(byTopic.map((p) => p.id).sort()).toEqual(['p-001', 'p-002']);
    const window = await repo.listPosts({
      scopePrefix: '/',
      from: post(3).postedAt,
      to: post(5).postedAt,
      limit: 100,
    });
    expect(window.map((p) => p.id).sort()).toEqual(['p-003', 'p-004']);
    const seen: string[] = [];
    let before: { postedAt: string; id: string } | undefined;
    for (;;) {
      const page = await repo.listPosts({ scopePrefix: '/', limit: 4, before });
      seen.push(...page.map((p) => p.id));
      const last = page.at(-1);
      if (page.length < 4 || !last) break;
      before = { postedAt: last.postedAt, id: last.id };
    }
    const everything = await repo.listPosts({ scopePrefix: '/', limit: 500 });
    expect(seen).toEqual(everything.map((p) => p.id));
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 1; i < everything.length; i++)
      expect(everything[i - 1]!.postedAt >= everything[i]!.postedAt).toBe(true);
  });

  it('counts posts per topic and unit in a window and reads observations with engagement', async () => {
    const from = post(1).postedAt;
    const to = post(5).postedAt;
    const counts = await repo.windowCounts(from, to);
    const get = (topic: string, path: string) =>
      counts.find((c) => c.topic === topic && c.unitPath === path)?.posts;
    expect(get('noise', c1.path)).toBe(3); // p-001, p-003 and p-news-1
    expect(get('noise', c2.path)).toBe(2);
    expect(get('property', c1.path)).toBe(1);
    const obs = await repo.observations(['property'], from, to);
    expect(obs.map((o) => [o.postId, o.topic, o.unitCode])).toEqual([
      ['p-001', 'property', c1.code],
      ['p-002', 'property', c2.code],
    ]);
    expect(obs[0]?.engagement).toEqual(post(1).engagement);
    expect(await repo.observations([], from, to)).toEqual([]);
  });

  it('stores watchlists and adds demo lists only once', async () => {
    const list = {
      id: 'topic-noise',
      topic: 'noise',
      unitCode: null,
      terms: ['噪音', '扰民'],
      excludeTerms: [],
      isActive: true,
      updatedBy: null,
      updatedAt: NOW,
    };
    expect(await repo.insertWatchlistsIfAbsent([list])).toBe(1);
    expect(await repo.insertWatchlistsIfAbsent([{ ...list, terms: ['别的'] }])).toBe(0);
    await repo.updateWatchlist('topic-noise', { isActive: false, updatedBy: 'u1', updatedAt: NOW });
    expect(await repo.findWatchlist('topic-noise')).toEqual({ ...list, isActive: false, updatedBy: 'u1' });
    expect((await repo.listWatchlists()).map((w) => w.id)).toEqual(['topic-noise']);
  });

  it('keeps one open warning per (topic, unit) and updates only the expected version', async () => {
    await repo.insertWarning(warning());
    await expect(repo.insertWarning(warning({ id: 'w-2' }))).rejects.toThrow();
    expect((await repo.findOpenWarning('noise', s1.code))?.id).toBe('w-1');
    const dismissed = warning({
      version: 2,
      status: 'dismissed',
      dismissReason: '已核实',
      decidedBy: 'u1',
      decidedAt: NOW,
      updatedAt: NOW,
    });
    expect(await repo.updateWarning(dismissed, 2)).toBe(false);
    expect(await repo.updateWarning(dismissed, 1)).toBe(true);
    expect(await repo.findWarning('w-1')).toEqual(dismissed);
    // once the first is decided, a new open warning for the key may exist
    await repo.insertWarning(warning({ id: 'w-2', openedAt: '2026-11-27T05:00:00.000Z' }));
    expect(
      (await repo.recentDismissed('noise', s1.code, '2026-11-27T00:00:00.000Z')).map((w) => w.id),
    ).toEqual(['w-1']);
    expect(await repo.recentDismissed('noise', s1.code, '2026-11-28T00:00:00.000Z')).toEqual([]);
    await repo.insertWarning(warning({ id: 'w-3', unitCode: s2.code, unitPath: s2.path }));
  });

  it('lists warnings by scope and status, newest first', async () => {
    expect((await repo.listWarnings({ scopePrefix: s1.path, limit: 10 })).map((w) => w.id)).toEqual([
      'w-2',
      'w-1',
    ]);
    expect((await repo.listWarnings({ scopePrefix: s2.path, limit: 10 })).map((w) => w.id)).toEqual(['w-3']);
    expect(
      (await repo.listWarnings({ scopePrefix: '/', status: 'open', limit: 10 })).map((w) => w.id),
    ).toEqual(['w-2', 'w-3']);
    const page2 = await repo.listWarnings({
      scopePrefix: '/',
      limit: 10,
      before: { openedAt: NOW, id: 'w-3' },
    });
    expect(page2.map((w) => w.id)).toEqual(['w-1']);
  });

  it('claims detector marks by compare-and-set', async () => {
    expect(await repo.getState('k')).toBeUndefined();
    expect(await repo.claimState('k', null, 'a', NOW)).toBe(true);
    expect(await repo.claimState('k', null, 'b', NOW)).toBe(false);
    expect(await repo.claimState('k', 'x', 'b', NOW)).toBe(false);
    expect(await repo.claimState('k', 'a', 'b', NOW)).toBe(true);
    expect(await repo.getState('k')).toBe('b');
  });
});
