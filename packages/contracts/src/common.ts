import { z } from 'zod';

export const UnitLevel = z.enum(['district', 'street', 'community', 'basicGrid', 'dedicatedGrid']);
export const DedicatedKind = z.enum([
  'school',
  'hospital',
  'market',
  'enterprise',
  'industrialPark',
  'constructionSite',
  'residentialComplex',
  'other',
]);
export const Role = z.enum([
  'gridWorker',
  'gridLeader',
  'gridInstructor',
  'mediator',
  'volunteer',
  'communityOperator',
  'streetOperator',
  'districtOperator',
  'departmentHandler',
  'leader',
  'admin',
  'resident',
]);
export const StaffRole = z.enum(['gridLeader', 'gridInstructor', 'gridWorker', 'mediator', 'volunteer']);

export const UnitCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,3}$/, 'a unit code has 6, 9, 12 or 15 digits')
  .describe('Division code: 6-digit district + 3-digit street + 3-digit community + 3-digit grid');

export const Id = z.string().regex(/^[0-9a-f-]{36}$/, 'must be a UUID');

export const Limit = z.coerce.number().int().min(1).max(500).default(100);

export const Bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable();

const Position = z.tuple([z.number(), z.number()]);
export const AreaGeometry = z
  .union([
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
  ])
  .meta({ id: 'AreaGeometry', description: 'GeoJSON Polygon or MultiPolygon, WGS84 [lng, lat]' });

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.string().describe('stable error code, e.g. VALIDATION_FAILED, UNIT_NOT_FOUND'),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error', description: 'The one error envelope of every non-2xx response' });

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('pass as `after` for the next page'),
  });
