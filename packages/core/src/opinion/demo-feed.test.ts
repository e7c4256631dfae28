import { describe, expect, it } from 'vitest';
import { STREET_SEEDS } from '../demo/density.js';
import {
  boardPostToOpinion,
  buildDemoFeed,
  DEMO_PLACE_STREETS,
  DEMO_STREETS,
  DEMO_UNPLACED_STREETS,
  demoStreetOf,
  demoTimeShiftMs,
  demoWatchlists,
  readBoardPost,
} from './demo-feed.js';
import type { BoardPost } from './demo-feed.js';
import { checkPost } from './post.js';
import { checkWatchlist } from './watchlist.js';

/** Three real rows of board-hot.jsonl (texts shortened). */
const ROWS: BoardPost[] = [
  {
    id: 188006,
    user: 'A000102948',
    subject: 'A3区一米阳光婚纱艺术摄影是否合法纳税了？',
    time: '2019-02-28T11:25:05+08:00',
    text: '座落在A市A3区联丰路米兰春天G2栋320，一家名叫一米阳光婚纱艺术摄影的影楼……',
    against: 0,
    likes: 0,
  },
  {
    id: 188031,
    user: 'A00040066',
    subject: '反映A7县春华镇金鼎村水泥路、自来水到户的问题',
    time: '2019-07-19T18:19:54+08:00',
    text: '本人系春华镇金鼎村七里组村民……',
    against: 1,
    likes: 3,
  },
  {
    id: 196230,
    user: 'A00097965',
    subject: '咨询城区电动车上牌的地点',
    time: '2019-04-17T09:00:00+08:00',
    text: '想咨询一下城区电动车上牌的地点公布了吗？',
    against: 0,
    likes: 1,
  },
];
const NOW = new Date('2026-11-27T04:00:00Z');

describe('demo streets', () => {
  it('are the 14 streets of the generated district, numbered 001–014', () => {
    expect(DEMO_STREETS.map((s) => s.code)).toEqual(
      Array.from({ length: 14 }, (_, i) => `370112${String(i + 1).padStart(3, '0')}`),
    );
    expect(new Set(DEMO_STREETS.map((s) => s.name))).toEqual(new Set(STREET_SEEDS.map((s) => s.name)));
  });

  it('give each anonymised district its own street and keep five for unplaced posts', () => {
    const placed = Object.values(DEMO_PLACE_STREETS);
    expect(new Set(placed).size).toBe(9);
    expect(DEMO_UNPLACED_STREETS).toHaveLength(5);
    expect(DEMO_UNPLACED_STREETS.some((c) => placed.includes(c))).toBe(false);
  });
});

describe('demoStreetOf', () => {
  it('takes the first district of the subject, then of the text, else hashes the author', () => {
    expect(demoStreetOf(ROWS[0]!)).toBe(DEMO_PLACE_STREETS.A3);
    expect(demoStreetOf({ subject: '关于道路', text: 'A市A8县某村和A1区', user: 'u' })).toBe(
      DEMO_PLACE_STREETS.A8,
    );
    const unplaced = demoStreetOf(ROWS[2]!);
    expect(DEMO_UNPLACED_STREETS).toContain(unplaced);
    expect(demoStreetOf({ ...ROWS[2]!, subject: '另一个帖子' })).toBe(unplaced); // same author, same street
  });

  it('spreads unplaced authors over all five streets', () => {
    const streets = new Set(
      Array.from({ length: 200 }, (_, i) => demoStreetOf({ subject: '', text: '', user: `A${i}` })),
    );
    expect(streets.size).toBe(5);
  });
});

describe('boardPostToOpinion and buildDemoFeed', () => {
  it('maps a board post to a valid opinion post', () => {
    const p = boardPostToOpinion(ROWS[1]!, 0);
    expect(p).toEqual({
      id: 'board-188031',
      source: 'board',
      url: 'https://board.example.invalid/post/188031',
      authorHandle: 'A00040066',
      title: '反映A7县春华镇金鼎村水泥路、自来水到户的问题',
      text: '本人系春华镇金鼎村七里组村民……',
      postedAt: '2019-07-19T10:19:54.000Z',
      engagement: { likes: 3, comments: 0, shares: 0, views: 0, against: 1 },
      unitCode: DEMO_PLACE_STREETS.A7,
    });
    const { id: _id, ...input } = p;
    expect(checkPost(input, { now: NOW })).toEqual({ ok: true, post: input });
  });

  it('shifts by whole weeks to end in the week before now, keeping the rhythm', () => {
    const feed = buildDemoFeed(ROWS, NOW);
    expect(feed.map((p) => p.id)).toEqual(['board-188006', 'board-196230', 'board-188031']);
    const last = Date.parse(feed.at(-1)!.postedAt);
    expect(last).toBeLessThanOrEqual(NOW.getTime());
    expect(last).toBeGreaterThan(NOW.getTime() - 7 * 86_400_000);
    const shift = last - Date.parse(ROWS[1]!.time);
    expect(shift % (7 * 86_400_000)).toBe(0);
    expect(shift).toBe(demoTimeShiftMs(Date.parse(ROWS[1]!.time), NOW));
    expect(Date.parse(feed[0]!.postedAt) - Date.parse(ROWS[0]!.time)).toBe(shift);
  });

  it('is deterministic and independent of row order', () => {
    const a = buildDemoFeed(ROWS, NOW);
    expect(buildDemoFeed([...ROWS].reverse(), NOW)).toEqual(a);
    expect(buildDemoFeed([], NOW)).toEqual([]);
  });

  it('reads only well-formed board rows', () => {
    expect(readBoardPost(ROWS[0])).toEqual(ROWS[0]);
    expect(readBoardPost({ ...ROWS[0], likes: -1 })).toBeNull();
    expect(readBoardPost({ ...ROWS[0], id: '1' })).toBeNull();
    expect(readBoardPost(null)).toBeNull();
  });
});

describe('demoWatchlists', () => {
  it('are valid watchlists with unique ids', () => {
    const lists = demoWatchlists();
    for (const l of lists) expect(checkWatchlist(l)).toEqual([]);
    expect(new Set(lists.map((l) => l.id)).size).toBe(lists.length);
    expect(lists.filter((l) => l.topic !== null && l.unitCode === null)).toHaveLength(9);
  });
});
