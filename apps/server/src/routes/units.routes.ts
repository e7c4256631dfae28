import type { Actor, UnitLevel } from '@civicgrid/core';
import { requirePermission } from '@civicgrid/core';
import type { Handler } from '../http/register.js';
import type { Services } from './services.js';

type Q = Record<string, unknown>;

/** Units, grids (GeoJSON), point lookup, topology, import, stats. */
export function unitRoutes(s: Services) {
  const listUnits: Handler = async ({ actor, query: q }) =>
    s.governance.listUnits(actor!, {
      level: q.level as UnitLevel | undefined,
      parentCode: q.parent as string | undefined,
      q: q.q as string | undefined,
      limit: q.limit as number,
      after: q.after as string | undefined,
    });
  const getUnit: Handler = async ({ actor, params }) => s.governance.getUnit(actor!, params.code as string);
  const gridsGeoJson: Handler = async ({ actor, query: q }) => {
    const page = await s.governance.listUnits(actor!, {
      level: q.level as UnitLevel,
      parentCode: q.parent as string | undefined,
      limit: q.limit as number,
      after: q.after as string | undefined,
      withGeometry: true,
    });
    const codeById = new Map(page.items.map((u) => [u.id, u.code]));
    return {
      type: 'FeatureCollection',
      features: page.items.map((u) => ({
        type: 'Feature',
        id: u.code,
        properties: {
          code: u.code,
          name: u.name,
          level: u.level,
          kind: u.kind,
          parent:
            u.path.split('/').filter(Boolean).slice(-2, -1)[0] ?? codeById.get(u.parentId ?? '') ?? null,
          areaM2: u.areaM2,
        },
        geometry: u.geometry ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  };
  const locate: Handler = async ({ actor, query: q }) => {
    requirePermission(actor as Actor, 'units:read');
    return s.governance.locate(q.lng as number, q.lat as number);
  };
  const listCenters: Handler = async ({ actor }) => ({ items: await s.governance.listCenters(actor!) });
  const stats: Handler = async ({ actor }) => s.governance.stats(actor!);
  const validateGrids: Handler = async ({ actor }) => {
    const r = await s.governance.validateGrids(actor!);
    return r;
  };
  const importUnits: Handler = async ({ actor, body, ctx }) => s.governance.importUnits(actor!, body, ctx);
  return {
    listUnits,
    getUnit,
    gridsGeoJson,
    locate,
    listCenters,
    stats,
    validateGrids,
    importUnits,
  } satisfies Record<string, Handler>;
}

export type UnitQuery = Q;
