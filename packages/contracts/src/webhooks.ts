import { z } from 'zod';

export const Webhook = z
  .object({
    id: z.string(),
    departmentId: z.string().nullable(),
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    isActive: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });
export const WebhookCreate = z
  .object({
    name: z.string().max(200),
    url: z.string().max(2000),
    events: z.array(z.string().max(40)).max(50).describe("e.g. ['case.dispatch', 'case.close'] or ['*']"),
    departmentCode: z
      .string()
      .regex(/^D\d{2}$/)
      .optional()
      .describe('the department whose cases it follows; absent = every case of the district'),
  })
  .strict();
export const WebhookUpdate = z
  .object({
    name: z.string().max(200).optional(),
    url: z.string().max(2000).optional(),
    events: z.array(z.string().max(40)).max(50).optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export const WebhookIdParam = z.object({ id: z.string().min(1).max(64) });
export const WebhookDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const WebhookDelivery = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  log: z.array(
    z.object({
      at: z.string(),
      ok: z.boolean(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number(),
    }),
  ),
});
