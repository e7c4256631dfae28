import type { Handler } from '../http/register.js';
import type { Services } from './services.js';

/** Admin management of outgoing webhooks and their delivery log. */
export function webhookRoutes(s: Services) {
  const listWebhooks: Handler = async ({ actor }) => ({ items: await s.webhooks.list(actor!) });
  const createWebhook: Handler = async ({ actor, body, ctx }) =>
    s.webhooks.create(
      actor!,
      body as { name: string; url: string; events: string[]; departmentCode?: string },
      ctx,
    );
  const updateWebhook: Handler = async ({ actor, params, body, ctx }) =>
    s.webhooks.update(
      actor!,
      params.id as string,
      body as { name?: string; url?: string; events?: string[]; isActive?: boolean },
      ctx,
    );
  const webhookDeliveries: Handler = async ({ actor, params, query }) => ({
    items: await s.webhooks.deliveries(actor!, params.id as string, query.limit as number),
  });
  // a retry after a lost response gets the same webhook and secret, never a second webhook
  createWebhook.replayCommitted = async (_input, stored) => stored;
  return { listWebhooks, createWebhook, updateWebhook, webhookDeliveries } satisfies Record<string, Handler>;
}
