// eslint-disable-next-line no-restricted-imports -- tests may read the real feed; core runtime code does not
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDemoFeed,
  DEMO_DISTRICT_CODE,
  demoTimeShiftMs,
  demoWatchlists,
  readBoardPost,
} from './demo-feed.js';
import type { BoardPost } from './demo-feed.js';
import type { PipelineResult } from './pipeline.js';
import { classifyPost, runOpinionPipeline, unitAndAncestors } from './pipeline.js';
import type { OpinionPost } from './post.js';
import { checkPost } from './post.js';
import { WARNING_LEVELS } from './spike.js';
import { compileWatchlists } from './watchlist.js';

const FEED = new URL('../../../../data/messages/board-hot.jsonl.gz', import.meta.url);
const NOW = new Date('2026-11-27T04:00:00Z');

let rows: BoardPost[];
let feed: OpinionPost[];
let result: PipelineResult;
let shift: number;

beforeAll(() => {
  const lines = gunzipSync(readFileSync(FEED))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  rows = lines.map((l) => readBoardPost(JSON.parse(l))).filter((r): r is BoardPost => r !== null);
  feed = buildDemoFeed(rows, NOW);
  shift = demoTimeShiftMs(Math.max(...rows.map((r) => Date.parse(r.time))), NOW);
  let n = 0;
  result = runOpinionPipeline(feed, {
    watchlists: compileWatchlists(demoWatchlists()),
    // the export is dense from 2019-01-01; a handful of older posts must not make 2018 look silent
    spike: { bucket: 'day', historyStart: Date.parse('2019-01-01T00:00:00+08:00') + shift },
    fallbackUnitCode: DEMO_DISTRICT_CODE,
    rollUpTo: 6,
    newId: () => `w${++n}`,
  });
});

describe('the opinion pipeline on the real message-board feed', () => {
  it('reads all 4,326 posts, each a valid opinion post', () => {
    expect(rows).toHaveLength(4326);
    for (const { id: _id, ...input } of feed) expect(checkPost(input, { now: NOW }).ok).toBe(true);
  });

  it('raises early warnings whose evidence is in their topic and unit', () => {
    expect(result.warnings.length).toBeGreaterThan(0);
    const byId = new Map(result.classified.map((c) => [c.post.id, c]));
    for (const w of result.warnings) {
      expect(WARNING_LEVELS).toContain(w.level);
      expect(w.status).toBe('open');
      expect(w.evidencePostIds.length).toBeGreaterThan(0);
      for (const id of w.evidencePostIds) {
        const c = byId.get(id);
        expect(c?.topics).toContain(w.topic);
        expect(unitAndAncestors(c?.unitCode ?? '', 6)).toContain(w.unitCode);
        const at = Date.parse(c?.post.postedAt ?? '');
        expect(at >= Date.parse(w.windowStart) && at < Date.parse(w.windowEnd)).toBe(true);
      }
    }
    const keys = result.warnings.map((w) => `${w.topic}/${w.unitCode}`);
    expect(new Set(keys).size).toBe(keys.length); // nobody decided, so one open warning per key
  });

  it('finds the district-wide noise burst of 17 April 2019', () => {
    const day = Date.parse('2019-04-17T00:00:00+08:00') + shift;
    const spike = result.spikes.find(
      (s) => s.topic === 'noise' && s.unitCode === DEMO_DISTRICT_CODE && Date.parse(s.windowStart) === day,
    );
    expect(spike?.count).toBeGreaterThanOrEqual(8);
    expect(spike && WARNING_LEVELS.indexOf(spike.level)).toBeGreaterThanOrEqual(
      WARNING_LEVELS.indexOf('yellow'),
    );
  });

  it('classifies the feed into the demo topics', () => {
    const noise = result.classified.filter((c) => c.topics.includes('noise'));
    expect(noise.length).toBeGreaterThan(300);
    const first = noise[0] as (typeof noise)[number];
    expect(classifyPost(first.post, compileWatchlists(demoWatchlists()), DEMO_DISTRICT_CODE)).toEqual(first);
  });
});
