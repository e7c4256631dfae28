import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { DialectHelpers } from '../dialect.js';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-cases.js';
import * as m0003 from './0003-loop-extras.js';
import * as m0005 from './0005-merging.js';
import * as m0004 from './0004-opinion.js';
import * as m0007 from './0007-residents.js';

type Up = (db: Kysely<unknown>, d: DialectHelpers) => Promise<void>;

/** Every migration in order; names are stable forever (they are stored in kysely_migration). */
const MIGRATIONS: Array<[string, Up]> = [
  ['0001-foundation', m0001.up],
  ['0002-cases', m0002.up],
  ['0003-loop-extras', m0003.up],
  ['0004-opinion', m0004.up],
  ['0005-merging', m0005.up],
  ['0007-residents', m0007.up],
];

/** The latest migration name (used by /api/ready to tell whether the schema is current). */
export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]?.[0] ?? '';

/** Migrations are compiled in (no files to find at run time), bound to the dialect. */
export function migrationProvider(d: DialectHelpers): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      const out: Record<string, Migration> = {};
      for (const [name, up] of MIGRATIONS) out[name] = { up: (db) => up(db, d) };
      return out;
    },
  };
}
