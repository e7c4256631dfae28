import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { migrateToLatest, openDatabase } from '@civicgrid/db';
import type { Db } from '@civicgrid/db';

export type DbKind = 'sqlite' | 'postgres';
export const PG_URL = process.env.CIVICGRID_TEST_PG_URL;
const CI = process.env.CI === 'true';

/**
 * Declares a suite once per database. Without PostgreSQL the postgres copy is skipped locally,
 * and fails under CI=true (nothing may skip in CI).
 */
export function describeEachDb(name: string, fn: (kind: DbKind) => void): void {
  describe(`${name} [sqlite]`, () => fn('sqlite'));
  if (PG_URL) describe(`${name} [postgres]`, () => fn('postgres'));
  else if (CI) {
    describe(`${name} [postgres]`, () => {
      throw new Error('CI=true but CIVICGRID_TEST_PG_URL is not set: run the tests with `npm test`');
    });
  } else describe.skip(`${name} [postgres] (no PostgreSQL: run with npm test)`, () => fn('postgres'));
}

export interface TestDb {
  db: Db;
  url: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of the given kind: a temp SQLite file, or a new PostgreSQL database. */
export async function openTestDb(kind: DbKind): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'civicgrid-test-'));
  if (kind === 'sqlite') {
    const db = openDatabase({ dataDir });
    await migrateToLatest(db);
    return {
      db,
      url: undefined,
      dataDir,
      drop: async () => {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!PG_URL) throw new Error('CIVICGRID_TEST_PG_URL is not set');
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client(PG_URL);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = openDatabase({ dataDir, databaseUrl: url, poolSize: 5 });
  await migrateToLatest(db);
  return {
    db,
    url,
    dataDir,
    drop: async () => {
      await db.close();
      const a = new pg.Client(PG_URL);
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
