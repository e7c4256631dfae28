import type { Repositories } from '../ports.js';
import { validationError } from '../shared/errors.js';
import type { OpinionRepositories, OpinionRepository } from './opinion-ports.js';
import type { UnitLabel } from './opinion-view.js';

/**
 * The opinion repository of a repository set (the pool's or a transaction's). Until `Repositories`
 * names it, the field is looked up here, so nothing else in the module needs a cast.
 */
export function opinionRepo(repos: Repositories): OpinionRepository {
  const repo = (repos as Repositories & Partial<OpinionRepositories>).opinion;
  if (!repo) throw new Error('the store has no opinion repository (add it in packages/db store.ts)');
  return repo;
}

/** Names and levels of units by code, for labelling warnings. */
export async function unitLabels(
  repos: Repositories,
  codes: readonly string[],
): Promise<Map<string, UnitLabel>> {
  const units = await repos.units.findManyByCodes([...new Set(codes)]);
  return new Map(units.map((u) => [u.code, { code: u.code, name: u.name, level: u.level }]));
}

/** A page cursor: `<instant>_<id>` (instants and our ids contain no underscore). */
export function pageCursor(at: string, id: string): string {
  return `${at}_${id}`;
}

/** Reads a page cursor; VALIDATION_FAILED (path `after`) when it is not one. */
export function readCursor(cursor: string | undefined): { at: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([\w.-]{1,64})$/.exec(cursor);
  if (!m) throw validationError([{ path: 'after', reason: 'not a cursor of this list' }]);
  return { at: m[1] as string, id: m[2] as string };
}

/** An instant from a query as the stored form (UTC, milliseconds); VALIDATION_FAILED otherwise. */
export function utcInstant(value: string | undefined, path: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw validationError([{ path, reason: 'not an ISO 8601 instant' }]);
  return new Date(ms).toISOString();
}

/** A page size between 1 and 500 (default 50). */
export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 50), 1), 500);
}
