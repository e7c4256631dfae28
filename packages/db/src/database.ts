import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type SQLiteType from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pgType from 'pg';
import type { Database } from './schema.js';
import type { DialectHelpers, DialectName } from './dialect.js';
import { dialectHelpers } from './dialect.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations/index.js';
import { ChangeBus, listenForChanges } from './changes.js';

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; anything else (or nothing) the embedded SQLite file. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (CIVICGRID_DATA_DIR). */
  dataDir: string;
  /** SQLite file name inside dataDir; `:memory:` for tests. */
  sqliteFile?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectHelpers;
  name: DialectName;
  /** Where the data lives, for logs (password removed). */
  location: string;
  /** Committed case changes of this process (SQLite) or of every process (PostgreSQL, once listening). */
  changes: ChangeBus;
  /** PostgreSQL: starts the LISTEN connection that feeds `changes` from every process (idempotent). */
  listenForChanges(log?: (msg: string) => void): void;
  close(): Promise<void>;
}

// Only the driver in use is loaded (start-up time): both are CommonJS, so require them lazily.
const require = createRequire(import.meta.url);
let pgModule: typeof pgType | null = null;
function loadPg(): typeof pgType {
  if (!pgModule) {
    pgModule = require('pg') as typeof pgType;
    // bigint (int8) and numeric come back as strings by default; our counters fit in a double
    pgModule.types.setTypeParser(20, (v) => Number(v));
    pgModule.types.setTypeParser(1700, (v) => Number(v));
  }
  return pgModule;
}

/** True when the URL selects PostgreSQL. */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * Kysely prepares a new statement for every query; preparing costs about as much as running a
 * small query. Statements are reusable in better-sqlite3 (calls are synchronous), so keep the
 * most recent ones by SQL text.
 */
function withStatementCache(db: SQLiteType.Database, size = 500): SQLiteType.Database {
  const cache = new Map<string, SQLiteType.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return (sql: string) => {
        let stmt = cache.get(sql);
        if (stmt) {
          // most recently used last: Map order is insertion order
          cache.delete(sql);
        } else {
          stmt = prepare(sql);
          if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        }
        cache.set(sql, stmt);
        return stmt;
      };
    },
  });
}

/** Opens the database (SQLite by default, PostgreSQL for a postgres:// URL). Does not migrate. */
export function openDatabase(opts: DatabaseOptions): Db {
  if (isPostgresUrl(opts.databaseUrl)) {
    const pool = new (loadPg().Pool)({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const changes = new ChangeBus();
    const url = opts.databaseUrl;
    let stopListening: (() => Promise<void>) | null = null;
    return {
      kysely,
      dialect: dialectHelpers('postgres'),
      name: 'postgres',
      location: url.replace(/\/\/[^@/]*@/, '//***@'),
      changes,
      listenForChanges(log) {
        stopListening ??= listenForChanges(loadPg(), url, changes, log);
      },
      close: async () => {
        if (stopListening) await stopListening();
        await kysely.destroy();
      },
    };
  }
  const file = opts.sqliteFile ?? 'civicgrid.db';
  let location = ':memory:';
  if (file !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true });
    location = join(opts.dataDir, file);
  }
  const SQLite = require('better-sqlite3') as typeof SQLiteType;
  const sqlite = new SQLite(location);
  // WAL + synchronous=FULL: an acknowledged commit survives power loss; busy_timeout lets a
  // second process (the CLI next to a running server) wait instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // paths and codes are ASCII digits; case-sensitive LIKE lets 'path LIKE prefix%' use the index
  sqlite.pragma('case_sensitive_like = ON');
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    kysely,
    dialect: dialectHelpers('sqlite'),
    name: 'sqlite',
    location,
    changes: new ChangeBus(),
    // one process owns an SQLite file: the in-process bus already carries every change
    listenForChanges() {},
    close: () => kysely.destroy(),
  };
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider(db.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const e = new Error(
      `migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    throw e;
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when the latest migration has been applied (for /api/ready). */
export async function isSchemaCurrent(db: Db): Promise<boolean> {
  try {
    const rows = await sql<{
      name: string;
    }>`select name from kysely_migration where name = ${LATEST_MIGRATION}`.execute(db.kysely);
    return rows.rows.length === 1;
  } catch {
    return false;
  }
}
