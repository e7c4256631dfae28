import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './routes/services.js';
import { runWebhookDeliveries } from './webhooks/run.js';

/** Claims and fires due timers. Timers are rows: they survive restarts and each fires once, even
 * with several schedulers on one PostgreSQL (claims use FOR UPDATE SKIP LOCKED there). */
export async function runDueTimers(services: Services, worker: string, batch = 200): Promise<number> {
  const { store, clock } = services.deps;
  let fired = 0;
  for (;;) {
    const now = clock.now();
    const claimed = await store.repos.timers.claimDue(
      now.toISOString(),
      worker,
      new Date(now.getTime() + 60_000).toISOString(),
      batch,
    );
    for (const t of claimed) {
      await services.cases.actions.fire(t);
      fired++;
    }
    // outgoing webhooks ride on the same loop: deliveries are rows, leased, retried with back-off
    await runWebhookDeliveries(services.deps, services.webhookPolicy);
    if (claimed.length < batch) {
      // idempotency keys are kept a day: long enough for any client retry
      await store.repos.idempotency.purgeBefore(new Date(now.getTime() - 86_400_000).toISOString());
      return fired;
    }
  }
}

/** How often spike detection (舆情预警) runs; each run evaluates only the buckets completed since. */
export const OPINION_DETECTION_EVERY_MS = 5 * 60_000;

/** Runs the timer loop every `intervalMs` until stopped. */
export function startScheduler(services: Services, log: FastifyBaseLogger, intervalMs: number) {
  const worker = `${hostname()}:${process.pid}`;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let detectedAt = -Infinity;
  const detect = async () => {
    const now = services.deps.clock.now();
    if (now.getTime() - detectedAt < OPINION_DETECTION_EVERY_MS) return;
    detectedAt = now.getTime();
    const r = await services.opinion.runDetection(now);
    if (r.opened.length || r.updated.length)
      log.info({ opened: r.opened.length, updated: r.updated.length }, 'opinion warnings raised');
  };
  const tick = () => {
    running = runDueTimers(services, worker)
      .then((n) => {
        if (n) log.info({ fired: n }, 'timers fired');
      })
      .catch((err: unknown) => log.error({ err }, 'timer run failed'))
      .then(detect)
      .catch((err: unknown) => log.error({ err }, 'opinion detection failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
