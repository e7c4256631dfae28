import { EventEmitter } from 'node:events';
import type { CaseChange, ChangeRepository } from '@civicgrid/core';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type pgType from 'pg';
import type { Database } from './schema.js';

/** The PostgreSQL channel of case changes (NOTIFY payloads are one CaseChange as JSON). */
export const CHANGES_CHANNEL = 'civicgrid_changes';

/** In-process fan-out of committed changes (SQLite: fed after commit; PostgreSQL: fed by LISTEN). */
export class ChangeBus extends EventEmitter {
  constructor() {
    super();
    // one listener per open stream: many are expected
    this.setMaxListeners(0);
  }
  emitChange(c: CaseChange): void {
    this.emit('change', c);
  }
  onChange(listener: (c: CaseChange) => void): () => void {
    this.on('change', listener);
    return () => this.off('change', listener);
  }
}

/**
 * SQLite: changes wait in the transaction's buffer and reach the bus after the commit (a rolled
 * back transaction publishes nothing). Outside a transaction they go out at once.
 */
export function bufferedChanges(bus: ChangeBus, pending: CaseChange[] | null): ChangeRepository {
  return {
    async publish(c) {
      if (pending) pending.push(c);
      else bus.emitChange(c);
    },
  };
}

/**
 * PostgreSQL: NOTIFY inside the transaction is delivered by the server only on commit, to every
 * process that LISTENs (this one included), so all processes see every change exactly when it is in.
 */
export function notifyChanges(db: Kysely<Database>): ChangeRepository {
  return {
    async publish(c) {
      await sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(c)})`.execute(db);
    },
  };
}

/** Keeps one LISTEN connection open (reconnecting with back-off) and feeds the bus; returns stop(). */
export function listenForChanges(
  pg: typeof pgType,
  url: string,
  bus: ChangeBus,
  log: (msg: string) => void = () => {},
): () => Promise<void> {
  let client: pgType.Client | null = null;
  let stopped = false;
  let delay = 250;
  let timer: NodeJS.Timeout | null = null;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const retry = (why: string) => {
      if (stopped || client !== c) return;
      client = null;
      c.end().catch(() => {});
      log(`change listener lost (${why}); reconnecting in ${delay} ms`);
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 10_000);
    };
    c.on('error', (e) => retry(e.message));
    c.on('end', () => retry('connection ended'));
    c.on('notification', (n) => {
      if (n.channel !== CHANGES_CHANNEL || !n.payload) return;
      try {
        bus.emitChange(JSON.parse(n.payload) as CaseChange);
      } catch {
        log('unreadable change notification ignored');
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      delay = 250;
    } catch (e) {
      retry((e as Error).message);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    if (c) await c.end().catch(() => {});
  };
}
