import { z } from 'zod';
import { Limit, Role, UnitCode, UnitLevel } from './common.js';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  otp: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
});

export const User = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: Role,
    unitCode: z.string().nullable(),
    departmentId: z.string().nullable(),
    phone: z.string().nullable().describe('masked'),
    totpEnabled: z.boolean(),
    isDisabled: z.boolean(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const LoginResult = z.object({ token: z.string(), expiresAt: z.string(), user: User }).meta({
  id: 'LoginResult',
  description:
    'The token works as `Authorization: Bearer <token>`; the same session is set as the __Host-civicgrid cookie',
});

export const Me = User.extend({
  unitChain: z.array(z.object({ code: z.string(), name: z.string(), level: UnitLevel })),
  department: z.object({ code: z.string(), name: z.string() }).nullable(),
  scope: z.enum(['all', 'unit', 'department', 'none']),
}).meta({ id: 'Me' });

export const UserCreate = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9._-]{2,63}$/, 'lower-case letters, digits, . _ -; 3–64 characters'),
  displayName: z.string().trim().min(1).max(100),
  role: Role,
  password: z.string().min(1).max(128),
  unitCode: UnitCode.nullable().optional(),
  departmentCode: z
    .string()
    .regex(/^D\d{2,3}$/)
    .nullable()
    .optional(),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
    .nullable()
    .optional(),
  withTotp: z.boolean().optional(),
});
export const UserCreated = z
  .object({ user: User, totp: z.object({ secret: z.string(), uri: z.string() }).nullable() })
  .meta({ id: 'UserCreated' });
export const UserListQuery = z.object({
  role: Role.optional(),
  limit: Limit,
  after: z.string().max(64).optional(),
});
export const UserDisable = z.object({ disabled: z.boolean() });

export const AuditEntry = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    details: z.unknown(),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export const AuditQuery = z.object({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  limit: Limit,
  before: z.coerce.number().int().positive().optional(),
});
export const AuditVerify = z
  .object({
    ok: z.boolean(),
    count: z.number().int(),
    headHash: z.string().optional(),
    firstBrokenSeq: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'AuditVerify' });

export const Health = z
  .object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']) })
  .meta({ id: 'Health' });
