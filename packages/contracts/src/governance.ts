import { z } from 'zod';
import { AreaGeometry, Bbox, DedicatedKind, Limit, StaffRole, UnitCode, UnitLevel } from './common.js';

export const Unit = z
  .object({
    id: z.string(),
    code: UnitCode,
    name: z.string(),
    level: UnitLevel,
    kind: DedicatedKind.nullable(),
    parentId: z.string().nullable(),
    path: z.string(),
    areaM2: z.number().nullable(),
    bbox: Bbox,
    geometry: AreaGeometry.nullable().optional(),
  })
  .meta({ id: 'Unit' });

export const UnitDetail = Unit.extend({
  ancestors: z.array(z.object({ code: z.string(), name: z.string(), level: UnitLevel })),
  childCount: z.number().int(),
}).meta({ id: 'UnitDetail' });

export const UnitListQuery = z.object({
  level: UnitLevel.optional(),
  parent: UnitCode.optional().describe('only children of this unit'),
  q: z.string().max(50).optional().describe('name contains / code starts with'),
  limit: Limit,
  after: z.string().max(20).optional(),
});

export const GridGeoJsonQuery = z.object({
  level: UnitLevel.default('basicGrid'),
  parent: UnitCode.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(2000),
  after: z.string().max(20).optional(),
});

export const FeatureCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        properties: z.object({
          code: z.string(),
          name: z.string(),
          level: UnitLevel,
          kind: DedicatedKind.nullable(),
          parent: z.string().nullable(),
          areaM2: z.number().nullable(),
        }),
        geometry: AreaGeometry.nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'FeatureCollection' });

export const CodeParam = z.object({ code: UnitCode });
export const IdParam = z.object({ id: z.string().min(1).max(64) });

const Ref = z.object({ code: z.string(), name: z.string() }).nullable();
export const LocateQuery = z.object({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});
export const LocateResult = z
  .object({
    basicGrid: Ref,
    dedicatedGrids: z.array(
      z.object({ code: z.string(), name: z.string(), kind: z.string().nullable().optional() }),
    ),
    community: Ref,
    street: Ref,
  })
  .meta({ id: 'LocateResult' });

export const TopologyReport = z
  .object({
    ok: z.boolean(),
    overlaps: z.array(z.object({ a: z.string(), b: z.string(), level: z.string(), areaM2: z.number() })),
    gaps: z.array(
      z
        .object({
          parent: z.string(),
          level: z.string(),
          areaM2: z.number(),
          point: z.tuple([z.number(), z.number()]),
        })
        .passthrough(),
    ),
    outside: z.array(z.object({ code: z.string(), parent: z.string(), areaM2: z.number() })),
  })
  .meta({ id: 'TopologyReport' });

export const ImportResult = z
  .object({ inserted: z.number().int(), updated: z.number().int() })
  .meta({ id: 'ImportResult' });

export const Stats = z
  .object({
    streets: z.number().int(),
    communities: z.number().int(),
    basicGrids: z.number().int(),
    dedicatedGrids: z.number().int(),
    departments: z.number().int(),
    staff: z.number().int(),
    users: z.number().int().nullable().describe('null unless the caller sees the whole district'),
  })
  .meta({ id: 'Stats' });

export const Center = z
  .object({ id: z.string(), unitId: z.string(), unitCode: z.string(), name: z.string(), level: UnitLevel })
  .meta({ id: 'Center' });

export const Staff = z
  .object({
    id: z.string(),
    unitCode: z.string(),
    unitName: z.string(),
    role: StaffRole,
    name: z.string(),
    phone: z.string().nullable().describe('masked, e.g. 138****5678'),
    idNumber: z.string().nullable().describe('masked'),
    team: z.string().nullable(),
    userId: z.string().nullable(),
    isActive: z.boolean(),
  })
  .meta({ id: 'Staff' });

export const StaffListQuery = z.object({
  unit: UnitCode.optional(),
  role: StaffRole.optional(),
  limit: Limit,
  after: z.string().max(64).optional(),
});

const Phone = z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number');
export const StaffCreate = z.object({
  unitCode: UnitCode,
  role: StaffRole,
  name: z.string().trim().min(1).max(50),
  phone: Phone.nullable().optional(),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dX]$/, 'must be an 18-character ID number')
    .nullable()
    .optional(),
  team: z.enum(['mediationTeam']).nullable().optional(),
});

export const StaffReveal = z
  .object({ id: z.string(), phone: z.string().nullable(), idNumber: z.string().nullable() })
  .meta({
    id: 'StaffReveal',
    description: 'Unmasked personal data; every reveal is written to the audit log',
  });

export const Vacancies = z
  .object({
    grids: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        missing: z.array(StaffRole),
        surplus: z.array(StaffRole),
      }),
    ),
    mediationTeams: z.array(z.object({ code: z.string(), name: z.string(), size: z.number().int() })),
    gridsChecked: z.number().int(),
    communitiesChecked: z.number().int(),
  })
  .meta({ id: 'Vacancies' });

export const Department = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    domains: z.array(z.string()),
    isActive: z.boolean(),
  })
  .meta({ id: 'Department' });
export const DepartmentCreate = z.object({
  code: z.string().regex(/^D\d{2,3}$/, 'like D18'),
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(200),
  domains: z.array(z.string().min(1).max(50)).max(30).default([]),
});
export const DepartmentPatch = DepartmentCreate.omit({ code: true })
  .partial()
  .extend({ isActive: z.boolean().optional() });
export const DepartmentCodeParam = z.object({ code: z.string().regex(/^D\d{2,3}$/) });
