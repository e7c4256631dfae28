import type { Kysely } from 'kysely';
import type { CaseChange, Repositories, Store } from '@civicgrid/core';
import { bufferedChanges, notifyChanges } from './changes.js';
import { groupCommitter } from './group-commit.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';
import { attachmentRepository } from './repositories/attachments.repository.js';
import { mergingRepository } from './repositories/merging.repository.js';
import { webhookRepository } from './repositories/webhooks.repository.js';
import { volumeRepository } from './repositories/volumes.repository.js';
import { auditRepository } from './repositories/audit.repository.js';
import { caseRepository } from './repositories/cases.repository.js';
import {
  categoryRepository,
  idempotencyRepository,
  inboxRepository,
  timerRepository,
} from './repositories/loop.repository.js';
import { jointRepository, ledgerRepository } from './repositories/ledger.repository.js';
import { opinionRepository } from './repositories/opinion.repository.js';
import { residentRepository } from './repositories/residents.repository.js';
import { centerRepository, departmentRepository, settingsRepository } from './repositories/org.repository.js';
import { staffRepository } from './repositories/staff.repository.js';
import { unitRepository } from './repositories/units.repository.js';
import { sessionRepository, userRepository } from './repositories/users.repository.js';

function repositories(k: Kysely<Database>, db: Db, pending: CaseChange[] | null = null): Repositories {
  return {
    units: unitRepository(k),
    centers: centerRepository(k),
    departments: departmentRepository(k),
    staff: staffRepository(k),
    users: userRepository(k),
    sessions: sessionRepository(k),
    audit: auditRepository(k, db.dialect),
    settings: settingsRepository(k),
    cases: caseRepository(k, db.dialect),
    timers: timerRepository(k, db.dialect),
    inbox: inboxRepository(k),
    idempotency: idempotencyRepository(k),
    categories: categoryRepository(k),
    joints: jointRepository(k),
    ledger: ledgerRepository(k),
    attachments: attachmentRepository(k),
    merging: mergingRepository(k),
    opinion: opinionRepository(k),
    webhooks: webhookRepository(k),
    volumes: volumeRepository(k),
    residents: residentRepository(k),
    changes: db.name === 'postgres' ? notifyChanges(k) : bufferedChanges(db.changes, pending),
  };
}

const committers = new WeakMap<Db, ReturnType<typeof groupCommitter>>();

/** Hooks around every write transaction (the server marks idempotency keys with them). */
export interface StoreHooks {
  /** Runs inside the transaction, after its work and before its commit, with its result. */
  beforeCommit?: (tx: Repositories, result: unknown) => Promise<void>;
}

/** The Store services use: repositories on the pool, or bound to one transaction. */
export function createStore(db: Db, hooks: StoreHooks = {}): Store {
  const { beforeCommit } = hooks;
  if (db.name === 'sqlite') {
    // one committer per database: every store on it shares the single connection
    let commit = committers.get(db);
    if (!commit) {
      commit = groupCommitter(db, (k, pending) => repositories(k, db, pending));
      committers.set(db, commit);
    }
    const run = commit;
    return {
      dialect: db.name,
      repos: repositories(db.kysely, db),
      transaction: (fn) => run(fn, beforeCommit),
    };
  }
  return {
    dialect: db.name,
    repos: repositories(db.kysely, db),
    transaction: async (fn) => {
      const pending: CaseChange[] = [];
      const result = await db.kysely.transaction().execute(async (trx) => {
        const tx = repositories(trx, db, pending);
        const out = await fn(tx);
        if (beforeCommit) await beforeCommit(tx, out);
        return out;
      });
      // SQLite: committed now; PostgreSQL delivered its NOTIFYs at the commit (pending stays empty)
      for (const c of pending) db.changes.emitChange(c);
      return result;
    },
  };
}
