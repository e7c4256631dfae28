import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { VolumeRepository } from '@civicgrid/core';
import type { Database } from '../schema.js';
import { prefixPattern } from './util.js';

/** Counts behind the three volumes (三量): grouped by UTC hour in SQL, bucketed in China time by core. */
export function volumeRepository(db: Kysely<Database>): VolumeRepository {
  return {
    async reportsByHour(scopePrefix, since, until) {
      // instants are ISO-8601 UTC text on both databases: the first 13 characters are the hour
      const hour = sql<string>`substr(r.received_at, 1, 13)`;
      const rows = await db
        .selectFrom('reports as r')
        .innerJoin('cases as c', 'c.id', 'r.case_id')
        .select([hour.as('hour'), 'r.channel as channel', (eb) => eb.fn.countAll<number>().as('n')])
        .where('c.unit_path', 'like', prefixPattern(scopePrefix))
        .where('r.channel', 'in', ['hotline', 'opinion', 'petition'])
        .where('r.received_at', '>=', since)
        .where('r.received_at', '<', until)
        .groupBy([hour, 'r.channel'])
        .execute();
      return rows.map((r) => ({ hour: r.hour, channel: r.channel, n: Number(r.n) }));
    },
    async revisits(scopePrefix, since, until) {
      const rows = await db
        .selectFrom('case_events as e')
        .innerJoin('cases as c', 'c.id', 'e.case_id')
        .select(['e.at as at', 'e.payload as payload'])
        .where('e.action', '=', 'revisit')
        .where('c.unit_path', 'like', prefixPattern(scopePrefix))
        .where('e.at', '>=', since)
        .where('e.at', '<', until)
        .execute();
      return rows.map((r) => ({
        at: r.at,
        satisfaction: String((JSON.parse(r.payload) as { satisfaction?: unknown }).satisfaction ?? ''),
      }));
    },
  };
}
