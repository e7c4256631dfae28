import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope } from '../access/actor.js';
import type { Repositories, UnitRecord } from '../ports.js';
import { AppError, validationError } from '../shared/errors.js';

/** A grid as printed on its poster and shown on its resident page. */
export interface PublicGrid {
  code: string;
  name: string;
  community: { code: string; name: string } | null;
  street: { code: string; name: string } | null;
}

/** A basic grid by code; UNIT_NOT_FOUND for anything else (a street's code has no resident page). */
export async function basicGridOf(repos: Repositories, code: string): Promise<UnitRecord> {
  const unit = /^\d{15}$/.test(code) ? await repos.units.findByCode(code) : undefined;
  if (!unit || unit.level !== 'basicGrid') throw new AppError('UNIT_NOT_FOUND', `no grid ${code}`);
  return unit;
}

/** Grids with their community and street names (one query for the ancestors of all of them). */
async function withAncestors(repos: Repositories, grids: UnitRecord[]): Promise<PublicGrid[]> {
  const codes = new Set(grids.flatMap((g) => g.path.split('/').filter(Boolean)));
  const byCode = new Map((await repos.units.findManyByCodes([...codes])).map((u) => [u.code, u]));
  const ancestor = (g: UnitRecord, level: string) => {
    const u = g.path
      .split('/')
      .filter(Boolean)
      .map((c) => byCode.get(c))
      .find((x) => x?.level === level);
    return u ? { code: u.code, name: u.name } : null;
  };
  return grids.map((g) => ({
    code: g.code,
    name: g.name,
    community: ancestor(g, 'community'),
    street: ancestor(g, 'street'),
  }));
}

/** Public facts of one grid (name, community, street): they are printed on its poster anyway. */
export async function publicGrid(repos: Repositories, code: string): Promise<PublicGrid> {
  const [g] = await withAncestors(repos, [await basicGridOf(repos, code)]);
  return g!;
}

/** Most grids a community poster file holds (a community has a few dozen at most). */
export const MAX_POSTER_GRIDS = 500;

/**
 * The grids of a poster file: one grid, or every basic grid of a community, in the caller's scope
 * (UNIT_NOT_FOUND outside it, so a unit's existence does not leak).
 */
export async function posterGrids(
  repos: Repositories,
  actor: Actor,
  which: { community?: string | undefined; grid?: string | undefined },
): Promise<PublicGrid[]> {
  requirePermission(actor, 'units:read');
  if ((which.community === undefined) === (which.grid === undefined))
    throw validationError([{ path: 'query', reason: 'give either community or grid' }]);
  if (which.grid !== undefined) {
    const g = await basicGridOf(repos, which.grid);
    if (!unitInScope(actor, g.path)) throw new AppError('UNIT_NOT_FOUND', `no grid ${which.grid}`);
    return withAncestors(repos, [g]);
  }
  const code = which.community ?? '';
  const c = /^\d{12}$/.test(code) ? await repos.units.findByCode(code) : undefined;
  if (!c || c.level !== 'community' || !unitInScope(actor, c.path))
    throw new AppError('UNIT_NOT_FOUND', `no community ${code}`);
  const grids = await repos.units.list({
    scopePrefix: c.path,
    parentId: c.id,
    level: 'basicGrid',
    limit: MAX_POSTER_GRIDS,
  });
  return withAncestors(repos, grids);
}
