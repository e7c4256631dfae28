/**
 * Watchlist editing (关键词监测). A list for a unit is its center's to edit (the unit in the
 * caller's scope); a district-wide topic list needs a district-wide caller. Changes apply to posts
 * taken in afterwards: posts already stored keep their topics.
 */
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import type { WatchlistRow } from './opinion-ports.js';
import { opinionUnitVisible, requireOpinionManager, requireOpinionReader } from './opinion.policy.js';
import { opinionRepo } from './opinion-store.js';
import { watchlistView } from './opinion-view.js';
import { checkWatchlist } from './watchlist.js';

export interface WatchlistInput {
  id?: string | undefined;
  topic?: string | null | undefined;
  unitCode?: string | null | undefined;
  terms: readonly string[];
  excludeTerms?: readonly string[] | undefined;
}

export interface WatchlistPatch {
  terms?: readonly string[] | undefined;
  excludeTerms?: readonly string[] | undefined;
  isActive?: boolean | undefined;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Watchlist CRUD: list (in scope), create, change terms or (de)activate. */
export function createWatchlistService(deps: ServiceDeps) {
  const { store, clock } = deps;

  /** Paths of the lists' units (null for district-wide lists). */
  async function pathsOf(codes: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
    const units = await store.repos.units.findManyByCodes(wanted);
    return new Map(units.map((u) => [u.code, u.path]));
  }

  /** The path of a list's unit, or a field error when the unit is unknown or outside the scope. */
  async function writableUnit(actor: Actor, unitCode: string | null): Promise<void> {
    if (unitCode === null) {
      if (!opinionUnitVisible(actor, null))
        throw new AppError('FORBIDDEN', 'district-wide watchlists are edited by district staff', {
          permission: 'cases:act',
        });
      return;
    }
    const path = (await pathsOf([unitCode])).get(unitCode);
    if (path === undefined || !opinionUnitVisible(actor, path))
      throw validationError([{ path: 'unitCode', reason: 'unknown unit' }]);
  }

  function check(w: WatchlistRow): void {
    const issues = checkWatchlist(w).map((e) => ({
      path: e.field.replace(/\[(\d+)\]/g, '.$1'),
      reason: e.reason,
    }));
    if (issues.length) throw validationError(issues, 'Watchlist is invalid');
  }

  async function getWritable(actor: Actor, id: string): Promise<WatchlistRow> {
    const w = await opinionRepo(store.repos).findWatchlist(id);
    const path = w?.unitCode ? (await pathsOf([w.unitCode])).get(w.unitCode) : undefined;
    const visible = w && (w.unitCode === null || (path !== undefined && opinionUnitVisible(actor, path)));
    if (!w || !visible) throw new AppError('NOT_FOUND', `watchlist ${id} not found`);
    return w;
  }

  return {
    /** District-wide lists and the lists of units in the caller's scope. */
    async list(actor: Actor) {
      requireOpinionReader(actor);
      const all = await opinionRepo(store.repos).listWatchlists();
      const paths = await pathsOf(all.map((w) => w.unitCode));
      return all
        .filter((w) => {
          if (w.unitCode === null) return true;
          const path = paths.get(w.unitCode);
          return path !== undefined && opinionUnitVisible(actor, path);
        })
        .map(watchlistView);
    },

    /** Creates a list; its id is given (a slug such as topic-noise) or generated. */
    async create(actor: Actor, input: WatchlistInput, ctx: RequestContext) {
      requireOpinionManager(actor);
      const id = input.id ?? deps.ids.next();
      if (!ID_RE.test(id))
        throw validationError([{ path: 'id', reason: 'letters, digits, ".", "_" and "-", at most 64' }]);
      const row: WatchlistRow = {
        id,
        topic: input.topic ?? null,
        unitCode: input.unitCode ?? null,
        terms: input.terms.map((t) => t.trim()),
        excludeTerms: (input.excludeTerms ?? []).map((t) => t.trim()),
        isActive: true,
        updatedBy: actor.userId === 'system' ? null : actor.userId,
        updatedAt: clock.now().toISOString(),
      };
      check(row);
      await writableUnit(actor, row.unitCode);
      return store.transaction(async (tx) => {
        const repo = opinionRepo(tx);
        if (await repo.findWatchlist(id)) throw new AppError('DUPLICATE', `watchlist ${id} exists already`);
        await repo.insertWatchlist(row);
        await audit(tx, deps, actor, ctx, 'opinion.watchlist.create', 'watchlist', id, {
          topic: row.topic,
          unitCode: row.unitCode,
          terms: row.terms.length,
          excludeTerms: row.excludeTerms.length,
        });
        return watchlistView(row);
      });
    },

    /** Replaces the terms or exclusions of a list, or (de)activates it. */
    async update(actor: Actor, id: string, patch: WatchlistPatch, ctx: RequestContext) {
      requireOpinionManager(actor);
      const current = await getWritable(actor, id);
      await writableUnit(actor, current.unitCode);
      const row: WatchlistRow = {
        ...current,
        ...(patch.terms && { terms: patch.terms.map((t) => t.trim()) }),
        ...(patch.excludeTerms && { excludeTerms: patch.excludeTerms.map((t) => t.trim()) }),
        ...(patch.isActive !== undefined && { isActive: patch.isActive }),
        updatedBy: actor.userId === 'system' ? null : actor.userId,
        updatedAt: clock.now().toISOString(),
      };
      check(row);
      return store.transaction(async (tx) => {
        await opinionRepo(tx).updateWatchlist(id, {
          terms: row.terms,
          excludeTerms: row.excludeTerms,
          isActive: row.isActive,
          updatedBy: row.updatedBy,
          updatedAt: row.updatedAt,
        });
        await audit(tx, deps, actor, ctx, 'opinion.watchlist.update', 'watchlist', id, {
          terms: patch.terms?.length,
          excludeTerms: patch.excludeTerms?.length,
          isActive: patch.isActive,
        });
        return watchlistView(row);
      });
    },
  };
}

export type WatchlistService = ReturnType<typeof createWatchlistService>;
