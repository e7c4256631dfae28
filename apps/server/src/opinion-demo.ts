import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readBoardPost } from '@civicgrid/core';
import type { BoardPost, OpinionService } from '@civicgrid/core';

/**
 * Where the demo feed (4,326 public message-board posts) may be: next to the sources
 * (apps/server/src) and the compiled files or the bundle (apps/server/dist) alike it is three
 * levels up; a server started from the repository root finds it there too.
 */
export function demoFeedCandidates(): string[] {
  return [
    fileURLToPath(new URL('../../../data/messages/board-hot.jsonl.gz', import.meta.url)),
    join(process.cwd(), 'data', 'messages', 'board-hot.jsonl.gz'),
  ];
}

/** Reads and checks the rows of a gzipped board-hot.jsonl; lines that are no board post are skipped. */
export function readDemoFeed(file: string): { rows: BoardPost[]; skipped: number } {
  const rows: BoardPost[] = [];
  let skipped = 0;
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    let row: BoardPost | null = null;
    try {
      row = readBoardPost(JSON.parse(line));
    } catch {
      row = null;
    }
    if (row) rows.push(row);
    else skipped++;
  }
  return { rows, skipped };
}

/**
 * Loads the opinion demo: the board feed shifted to end in the week before `now`, the demo
 * watchlists, and the warnings detection raises over its last half year. Without the file (a build
 * shipped without data/) it logs and skips; returns what was loaded, or null.
 */
export async function loadOpinionDemo(
  services: { opinion: OpinionService },
  now: Date,
  log: (msg: string, data?: Record<string, unknown>) => void,
  file: string | undefined = demoFeedCandidates().find((f) => existsSync(f)),
) {
  if (!file || !existsSync(file)) {
    log('opinion demo feed not found: skipped', { looked: file ? [file] : demoFeedCandidates() });
    return null;
  }
  const { rows, skipped } = readDemoFeed(file);
  const r = await services.opinion.loadDemoFeed(rows, now);
  log('opinion demo feed loaded', {
    posts: rows.length,
    skipped,
    inserted: r.inserted,
    watchlists: r.watchlists,
    warnings: r.detection.opened.length,
  });
  return r;
}
