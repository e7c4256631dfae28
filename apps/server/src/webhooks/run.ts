import type { WebhookRepository } from '@civicgrid/core';
import type { Clock, IdGenerator } from '@civicgrid/core';
import type { Config } from '../config.js';
import { deliverWebhook } from './deliver.js';
import type { DestinationPolicy } from './destination.js';
import { hostAllowed } from './destination.js';
import { runDueDeliveries } from './worker.js';
import type { WebhookQueue } from './worker.js';

/** The deployment's destination policy for every webhook. */
export function webhookPolicy(config: Pick<Config, 'webhooks'>): DestinationPolicy {
  return {
    allowedHosts: config.webhooks.allowedHosts,
    allowHttp: config.webhooks.allowHttp,
    allowPrivate: config.webhooks.allowPrivate,
    ...(config.webhooks.allowPrivate && { allowedPorts: 'any' as const }),
  };
}

/** Checks a webhook URL when it is saved (the full check, with DNS, runs at every delivery). */
export function checkWebhookUrl(policy: DestinationPolicy): (url: string) => string | null {
  return (raw) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return 'not a URL';
    }
    if (raw.length > 2000) return 'longer than 2,000 characters';
    if (u.protocol !== 'https:' && !(policy.allowHttp && u.protocol === 'http:'))
      return policy.allowHttp ? 'must be http or https' : 'must be https';
    if (u.username || u.password) return 'must not carry credentials';
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (!hostAllowed(host, policy.allowedHosts))
      return `host ${host} is not on the allowlist (CIVICGRID_WEBHOOK_HOSTS)`;
    return null;
  };
}

/** The database as the delivery worker's queue. */
function queueOf(repo: WebhookRepository, ids: IdGenerator, leaseMs: number): WebhookQueue {
  return {
    async claimDue(now, limit) {
      const due = await repo.claimDue(
        now.toISOString(),
        new Date(now.getTime() + leaseMs).toISOString(),
        limit,
      );
      return due.map((d) => ({ ...d, departmentCode: d.departmentId ?? '' }));
    },
    async recordAttempt(deliveryId, a, next) {
      await repo.recordAttempt(
        {
          id: ids.next(),
          deliveryId,
          at: a.at.toISOString(),
          ok: a.ok,
          status: a.status,
          error: a.error,
          durationMs: a.durationMs,
          snippet: a.snippet,
        },
        {
          status: next.status,
          nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt.toISOString() : null,
        },
      );
    },
  };
}

/** Sends the webhook deliveries that are due (run by the scheduler next to the timers). */
export async function runWebhookDeliveries(
  deps: { store: { repos: { webhooks: WebhookRepository } }; clock: Clock; ids: IdGenerator },
  policy: DestinationPolicy,
  opts: { limit?: number; timeoutMs?: number } = {},
) {
  return runDueDeliveries(
    queueOf(deps.store.repos.webhooks, deps.ids, 5 * 60_000),
    {
      now: () => deps.clock.now(),
      random: Math.random,
      deliver: (req, p) =>
        deliverWebhook(req, { policy: p, ...(opts.timeoutMs && { timeoutMs: opts.timeoutMs }) }),
      resolvePolicy: () => policy,
    },
    { limit: opts.limit ?? 20 },
  );
}
