import type { DeliveryResult, WebhookRequest } from './deliver.js';
import type { DestinationPolicy } from './destination.js';
import { nextState } from './retry.js';
import type { NextState, RetrySchedule } from './retry.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signPayload } from './sign.js';

/**
 * Sends the deliveries that are due. The queue (the database) is a port: `claimDue` must lease the
 * rows it returns (e.g. push `next_attempt_at` a few minutes ahead in the same statement) so that two
 * workers never send the same delivery at once; `recordAttempt` appends to the delivery log and
 * sets the delivery's new state in one transaction. A crash between sending and recording means the
 * delivery is sent again when the lease runs out: delivery is at least once, and receivers dedupe
 * on the delivery id.
 */

export interface DueDelivery {
  id: string;
  webhookId: string;
  departmentCode: string;
  url: string;
  secret: string;
  event: string;
  /** The encoded body (see encodeWebhookBody), sent and signed as is. */
  payload: string;
  /** Attempts made before this one. */
  attempts: number;
}

export interface AttemptRecord {
  at: Date;
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  snippet: string;
}

export interface WebhookQueue {
  /** Due deliveries (status pending, next attempt at or before `now`, webhook active), leased to this worker. */
  claimDue(now: Date, limit: number): Promise<DueDelivery[]>;
  /** Logs the attempt and moves the delivery to its next state (attempts + 1). */
  recordAttempt(deliveryId: string, attempt: AttemptRecord, next: NextState): Promise<void>;
}

export interface WorkerDeps {
  now: () => Date;
  /** In [0, 1), for the retry jitter. */
  random: () => number;
  deliver: (request: WebhookRequest, policy: DestinationPolicy) => Promise<DeliveryResult>;
  /** The destination policy for this delivery (deployment config, perhaps per department). */
  resolvePolicy: (delivery: DueDelivery) => DestinationPolicy | Promise<DestinationPolicy>;
}

export interface WorkerOptions {
  /** Deliveries claimed per run; default 20. */
  limit?: number;
  /** Deliveries in flight at once; default 4. */
  concurrency?: number;
  schedule?: RetrySchedule;
}

export interface RunSummary {
  claimed: number;
  delivered: number;
  retrying: number;
  dead: number;
}

const MAX_ERROR_LENGTH = 500;

/** The headers and body of one attempt, signed at the attempt's time. */
export function buildRequest(delivery: DueDelivery, now: Date): WebhookRequest {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    url: delivery.url,
    body: delivery.payload,
    headers: {
      [EVENT_HEADER]: delivery.event,
      [DELIVERY_HEADER]: delivery.id,
      [SIGNATURE_HEADER]: signPayload(delivery.secret, timestamp, delivery.payload),
    },
  };
}

async function attemptOne(
  queue: WebhookQueue,
  delivery: DueDelivery,
  deps: WorkerDeps,
  schedule?: RetrySchedule,
): Promise<NextState> {
  const at = deps.now();
  let result: DeliveryResult;
  try {
    const policy = await deps.resolvePolicy(delivery);
    result = await deps.deliver(buildRequest(delivery, at), policy);
  } catch (err) {
    // deliver reports network failures in its result; a throw is a bug or a bad policy, logged as a failure
    result = { ok: false, error: `internal: ${(err as Error).message}`, durationMs: 0, responseSnippet: '' };
  }
  const attempt: AttemptRecord = {
    at,
    ok: result.ok,
    status: result.status ?? null,
    error: result.error ? result.error.slice(0, MAX_ERROR_LENGTH) : null,
    durationMs: result.durationMs,
    snippet: result.responseSnippet,
  };
  const next = nextState(result.ok, delivery.attempts + 1, deps.now(), deps.random, {
    schedule,
    permanentFailure: result.permanent === true,
  });
  await queue.recordAttempt(delivery.id, attempt, next);
  return next;
}

/** Claims due deliveries, attempts each once, records the attempts; rethrows the first recording error. */
export async function runDueDeliveries(
  queue: WebhookQueue,
  deps: WorkerDeps,
  options: WorkerOptions = {},
): Promise<RunSummary> {
  const due = await queue.claimDue(deps.now(), options.limit ?? 20);
  const summary: RunSummary = { claimed: due.length, delivered: 0, retrying: 0, dead: 0 };
  const errors: unknown[] = [];
  let cursor = 0;
  const lane = async () => {
    for (let d = due[cursor++]; d; d = due[cursor++]) {
      try {
        const next = await attemptOne(queue, d, deps, options.schedule);
        summary[next.status === 'pending' ? 'retrying' : next.status]++;
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane));
  if (errors.length > 0) throw errors[0];
  return summary;
}
