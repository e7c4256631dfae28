import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpinionService } from '@civicgrid/core';
import { demoFeedCandidates, loadOpinionDemo, readDemoFeed } from './opinion-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'civicgrid-opinion-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = {
  id: 1,
  user: 'A1',
  subject: '噪音',
  time: '2019-04-17T09:00:00+08:00',
  text: '夜间施工',
  against: 0,
  likes: 2,
};

describe('the opinion demo feed file', () => {
  it('is found from the sources, the compiled files and the bundle alike', () => {
    expect(demoFeedCandidates()[0]).toMatch(/data[/\\]messages[/\\]board-hot\.jsonl\.gz$/);
    expect(readDemoFeed(demoFeedCandidates()[0]!).rows).toHaveLength(4326);
  });

  it('keeps board rows and counts the lines that are not', () => {
    const file = join(dir, 'feed.jsonl.gz');
    writeFileSync(
      file,
      gzipSync([JSON.stringify(row), '', '{broken', JSON.stringify({ ...row, likes: -1 })].join('\n')),
    );
    expect(readDemoFeed(file)).toEqual({ rows: [row], skipped: 2 });
  });

  it('is skipped with a log line when missing', async () => {
    const logged: string[] = [];
    const opinion = {
      loadDemoFeed: async () => {
        throw new Error('must not load');
      },
    } as unknown as OpinionService;
    const r = await loadOpinionDemo(
      { opinion },
      new Date(),
      (msg) => logged.push(msg),
      join(dir, 'missing.gz'),
    );
    expect(r).toBeNull();
    expect(logged).toEqual(['opinion demo feed not found: skipped']);
  });
});
