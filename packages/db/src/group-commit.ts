import { AsyncResource } from 'node:async_hooks';
import type { CaseChange, Repositories } from '@civicgrid/core';
import type { Kysely } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

type Work = (trx: Kysely<Database>, pending: CaseChange[]) => Promise<unknown>;
interface Job {
  work: Work;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for SQLite. One connection serialises every writer anyway, and each commit costs
 * an fsync (synchronous=FULL): transactions that arrive while a commit is under way wait and then
 * run together in ONE transaction, each inside its own savepoint, with ONE commit. A transaction
 * that fails is rolled back to its savepoint alone; the others are unaffected. Nothing is
 * acknowledged (no promise resolves, no change is published) before the group's commit is durable.
 */
export function groupCommitter(
  db: Db,
  repositories: (k: Kysely<Database>, pending: CaseChange[]) => Repositories,
): <T>(
  fn: (tx: Repositories) => Promise<T>,
  after?: (tx: Repositories, out: T) => Promise<void>,
) => Promise<T> {
  let queue: Job[] = [];
  let running = false;

  async function runGroup(jobs: Job[]) {
    if (jobs.length === 1) {
      // alone: a plain transaction, no savepoint overhead
      const job = jobs[0]!;
      const pending: CaseChange[] = [];
      try {
        const out = await db.kysely.transaction().execute((trx) => job.work(trx, pending));
        for (const c of pending) db.changes.emitChange(c);
        job.resolve(out);
      } catch (e) {
        job.reject(e);
      }
      return;
    }
    const done: Array<{ job: Job; out: unknown; pending: CaseChange[] }> = [];
    let trx;
    try {
      trx = await db.kysely.startTransaction().execute();
    } catch (e) {
      for (const j of jobs) j.reject(e);
      return;
    }
    try {
      for (const job of jobs) {
        const sp = await trx.savepoint('cg_job').execute();
        const pending: CaseChange[] = [];
        try {
          const out = await job.work(sp as unknown as Kysely<Database>, pending);
          await sp.releaseSavepoint('cg_job').execute();
          done.push({ job, out, pending });
        } catch (e) {
          await sp.rollbackToSavepoint('cg_job').execute();
          await sp.releaseSavepoint('cg_job').execute();
          job.reject(e);
        }
      }
      await trx.commit().execute();
    } catch (e) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const d of done) d.job.reject(e);
      return;
    }
    for (const d of done) {
      for (const c of d.pending) db.changes.emitChange(c);
      d.job.resolve(d.out);
    }
  }

  function drain() {
    if (running || queue.length === 0) return;
    running = true;
    const jobs = queue;
    queue = [];
    void runGroup(jobs).finally(() => {
      running = false;
      // better-sqlite3 is synchronous: while a group runs, no request is read. Let the event loop
      // take in what arrived meanwhile before the next group starts, so that it joins that group.
      setImmediate(drain);
    });
  }

  return (fn, after) =>
    new Promise((resolve, reject) => {
      // the work runs in the caller's async context (request-scoped state such as the idempotency key)
      const work = AsyncResource.bind(async (trx: Kysely<Database>, pending: CaseChange[]) => {
        const tx = repositories(trx, pending);
        const out = await fn(tx);
        if (after) await after(tx, out);
        return out;
      });
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (queue.length === 1 && !running) setImmediate(drain);
    });
}
