import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope, unitScopePrefix } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { NewUnit, UnitRecord } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import type { AreaGeometry, UnitLevel } from './unit.js';
import { unitPath } from './unit.js';
import * as grids from '../grids/index.js';

export type Locator = ReturnType<typeof grids.createLocator>;
export type TopologyReport = Awaited<ReturnType<typeof grids.validateTopology>>;

/** Settings key bumped by every import: processes rebuild their point index when it changes. */
export const SETTING_STRUCTURE_VERSION = 'structure.version';
/** How often a process looks whether the structure changed. */
const STRUCTURE_CHECK_MS = 5_000;

/** Units lists never return more than this per page. */
export const MAX_PAGE = 500;

/** Governance structure use cases: units, grids, lookups, topology, import, stats. */
export function createGovernanceService(deps: ServiceDeps) {
  const { store } = deps;
  let locator: Promise<Locator> | null = null;
  let builtFromVersion: string | null = null;
  let checkedAt = 0;

  /** Another process (the CLI, a second server) may import units: the version says so. */
  async function structureVersion(): Promise<string> {
    return (await store.repos.settings.get<string>(SETTING_STRUCTURE_VERSION)) ?? '0';
  }

  /** The locator is built once from all geometry and rebuilt when the structure changes. */
  async function getLocator(): Promise<Locator> {
    const now = deps.clock.now().getTime();
    if (locator && now - checkedAt > STRUCTURE_CHECK_MS) {
      checkedAt = now;
      if ((await structureVersion()) !== builtFromVersion) locator = null;
    }
    if (!locator) {
      checkedAt = now;
      const version = await structureVersion();
      const building = store.repos.units.allWithGeometry().then((units) =>
        grids.createLocator(
          units
            .filter((u) => u.geometry && u.level !== 'district')
            .map((u) => ({
              code: u.code,
              name: u.name,
              level: u.level,
              kind: u.kind,
              parentCode: u.parentCode,
              geometry: u.geometry as AreaGeometry,
            })),
        ),
      );
      locator = building;
      builtFromVersion = version;
      building.catch(() => {
        if (locator === building) locator = null;
      });
    }
    return locator;
  }

  /** Returns the unit or a 404 that does not reveal units outside the caller's scope. */
  async function getUnitInScope(actor: Actor, code: string, withGeometry = false): Promise<UnitRecord> {
    const u = await store.repos.units.findByCode(code, withGeometry);
    if (!u || !unitInScope(actor, u.path))
      throw new AppError('UNIT_NOT_FOUND', `unit ${code} not found`, { code });
    return u;
  }

  function scopeOf(actor: Actor): string {
    const p = unitScopePrefix(actor);
    // no unit scope (department, resident): an impossible prefix that matches nothing
    return p ?? '/~/';
  }

  return {
    getLocator,
    getUnitInScope,

    /** Lists units in the caller's scope, keyset-paginated by code. */
    async listUnits(
      actor: Actor,
      f: {
        level?: UnitLevel;
        parentCode?: string;
        q?: string;
        limit?: number;
        after?: string;
        withGeometry?: boolean;
      },
    ) {
      requirePermission(actor, 'units:read');
      const parent = f.parentCode ? await getUnitInScope(actor, f.parentCode) : undefined;
      const limit = Math.min(f.limit ?? 100, MAX_PAGE);
      const items = await store.repos.units.list({
        scopePrefix: scopeOf(actor),
        level: f.level,
        parentId: parent?.id,
        q: f.q,
        limit,
        afterCode: f.after,
        withGeometry: f.withGeometry ?? false,
      });
      return { items, nextCursor: items.length === limit ? (items[items.length - 1]?.code ?? null) : null };
    },

    /** One unit with its parent chain (names only) and its center. */
    async getUnit(actor: Actor, code: string) {
      requirePermission(actor, 'units:read');
      const u = await getUnitInScope(actor, code, true);
      const ancestorCodes = u.path.split('/').filter((c) => c && c !== u.code);
      const ancestors = (
        await Promise.all(ancestorCodes.map((c) => store.repos.units.findByCode(c)))
      ).flatMap((a) => (a ? [{ code: a.code, name: a.name, level: a.level }] : []));
      const children = await store.repos.units.list({ scopePrefix: u.path, parentId: u.id, limit: MAX_PAGE });
      return { ...u, ancestors, childCount: children.length };
    },

    /** Point → units: basic grid, dedicated grids, community, street. */
    async locate(lng: number, lat: number) {
      if (!Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng) > 180 || Math.abs(lat) > 90) {
        throw new AppError('VALIDATION_FAILED', 'longitude/latitude out of range', {
          issues: [{ path: 'lng/lat', reason: 'must be WGS84 degrees' }],
        });
      }
      return (await getLocator()).locate(lng, lat);
    },

    /** Topology report (网网相连, 无缝衔接) of the whole district. */
    async validateGrids(
      actor: Actor,
      opts: { toleranceM2?: number; onProgress?: (done: number, total: number) => void } = {},
    ) {
      requirePermission(actor, 'units:validate');
      const units = await store.repos.units.allWithGeometry();
      const prefix = scopeOf(actor);
      return grids.validateTopology(
        units
          .filter((u) => u.geometry && u.path.startsWith(prefix))
          .map((u) => ({
            code: u.code,
            level: u.level,
            parentCode: u.parentCode,
            geometry: u.geometry as AreaGeometry,
          })),
        { toleranceM2: opts.toleranceM2 ?? 1, onProgress: opts.onProgress },
      );
    },

    /** Imports units from a GeoJSON FeatureCollection, all or nothing. */
    async importUnits(actor: Actor, input: unknown, ctx: RequestContext) {
      requirePermission(actor, 'units:import');
      const existing = await store.repos.units.allCodes();
      // the parser refuses the whole file naming every bad feature (including level changes)
      const parsed = grids.parseUnitImport(input, new Map([...existing].map(([c, v]) => [c, v.level])));
      const now = deps.clock.now().toISOString();
      const paths = new Map([...existing].map(([c, v]) => [c, { id: v.id, path: v.path }]));
      // re-parenting would leave the paths below stale: refuse it, naming the feature
      const moved = parsed.flatMap((p, i) => {
        const e = existing.get(p.code);
        if (!e) return [];
        const parentPath = p.parentCode ? existing.get(p.parentCode)?.path : null;
        return e.path === unitPath(parentPath ?? null, p.code)
          ? []
          : [
              {
                feature: i,
                code: p.code,
                path: 'properties.parent',
                reason: 'an existing unit cannot move to another parent',
              },
            ];
      });
      if (moved.length)
        throw new AppError('IMPORT_INVALID', `${moved.length} feature(s) would move a unit`, {
          issues: moved,
        });
      const rows: NewUnit[] = parsed.map((p) => {
        const parent = p.parentCode ? paths.get(p.parentCode) : undefined;
        const id = existing.get(p.code)?.id ?? deps.ids.next();
        const path = unitPath(parent?.path ?? null, p.code);
        paths.set(p.code, { id, path });
        return {
          id,
          code: p.code,
          name: p.name,
          level: p.level,
          kind: p.kind ?? null,
          parentId: parent?.id ?? null,
          path,
          geometry: p.geometry,
          bbox: grids.geometryBbox(p.geometry),
          areaM2: grids.geodesicArea(p.geometry),
        };
      });
      const result = await store.transaction(async (tx) => {
        const r = await tx.units.upsertMany(rows, now);
        await tx.settings.set(SETTING_STRUCTURE_VERSION, `${now}:${deps.ids.next()}`, now);
        await audit(tx, deps, actor, ctx, 'units.import', 'unit', null, { ...r, codes: rows.length });
        return r;
      });
      locator = null;
      return result;
    },

    /** Counts of the structure and the people in the caller's scope. */
    async stats(actor: Actor) {
      requirePermission(actor, 'stats:read');
      const prefix = scopeOf(actor);
      const [levels, departments, staff, users] = await Promise.all([
        store.repos.units.countByLevel(prefix),
        store.repos.departments.count(),
        store.repos.staff.count(prefix),
        actor.scope.kind === 'all' ? store.repos.users.count() : Promise.resolve(null),
      ]);
      return {
        streets: levels.street,
        communities: levels.community,
        basicGrids: levels.basicGrid,
        dedicatedGrids: levels.dedicatedGrid,
        departments,
        staff,
        users,
      };
    },

    /** Governance centers in scope. */
    async listCenters(actor: Actor) {
      requirePermission(actor, 'units:read');
      return store.repos.centers.list(scopeOf(actor));
    },
  };
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;
