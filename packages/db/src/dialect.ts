import type { ColumnDataType, Kysely } from 'kysely';
import { sql } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The few places where SQLite and PostgreSQL differ, behind one object (DESIGN.md: "put any
 * dialect-specific piece behind one function in packages/db").
 */
export interface DialectHelpers {
  name: DialectName;
  /** Column type for a large integer counter. */
  bigint: ColumnDataType;
  /** Column type for floating point numbers. */
  real: ColumnDataType;
  /** Creates the triggers that make a table append-only. */
  appendOnly(db: Kysely<unknown>, table: string): Promise<void>;
  /**
   * Serialises writers of the audit chain for the rest of the transaction. SQLite transactions
   * are serialised already (one writer); PostgreSQL takes a transaction-scoped advisory lock.
   */
  lockAuditChain(db: Kysely<unknown>): Promise<void>;
  /** Row locks (SELECT … FOR UPDATE [SKIP LOCKED]) exist only on PostgreSQL. */
  rowLocks: boolean;
  /** An index that serves `LIKE 'prefix%'` (SQLite: the plain index with case_sensitive_like). */
  prefixIndex(db: Kysely<unknown>, name: string, table: string, column: string): Promise<void>;
}

export function dialectHelpers(name: DialectName): DialectHelpers {
  if (name === 'sqlite') {
    return {
      name,
      bigint: 'integer',
      real: 'real',
      async lockAuditChain() {},
      rowLocks: false,
      async prefixIndex() {},
      async appendOnly(db, table) {
        await sql
          .raw(
            `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
          )
          .execute(db);
        await sql
          .raw(
            `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
          )
          .execute(db);
      },
    };
  }
  return {
    name,
    bigint: 'bigint',
    real: 'double precision',
    rowLocks: true,
    async prefixIndex(db, name, table, column) {
      await sql.raw(`CREATE INDEX ${name} ON ${table} (${column} varchar_pattern_ops)`).execute(db);
    },
    async lockAuditChain(db) {
      await sql`select pg_advisory_xact_lock(7301120001)`.execute(db);
    },
    async appendOnly(db, table) {
      await sql
        .raw(
          `CREATE OR REPLACE FUNCTION civicgrid_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
        )
        .execute(db);
      await sql
        .raw(
          `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION civicgrid_append_only()`,
        )
        .execute(db);
    },
  };
}
