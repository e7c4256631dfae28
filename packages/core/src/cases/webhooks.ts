import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { Repositories } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import type { FieldIssue } from '../shared/errors.js';
import type { CaseChange } from './case-ports.js';

/** An outgoing webhook of a department (null = every case change in the district). */
export interface WebhookRow {
  id: string;
  departmentId: string | null;
  name: string;
  url: string;
  secret: string;
  /** `case.<action>` names, or `*` for all. */
  events: string[];
  isActive: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface WebhookAttemptRow {
  id: string;
  deliveryId: string;
  at: string;
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  snippet: string | null;
}

/** A due delivery with what sending it needs. */
export interface DueWebhookDelivery {
  id: string;
  webhookId: string;
  departmentId: string | null;
  url: string;
  secret: string;
  event: string;
  payload: string;
  attempts: number;
}

export interface WebhookRepository {
  insert(w: WebhookRow): Promise<void>;
  update(
    id: string,
    patch: Partial<Pick<WebhookRow, 'name' | 'url' | 'events' | 'isActive'>>,
    at: string,
  ): Promise<void>;
  findById(id: string): Promise<WebhookRow | undefined>;
  list(): Promise<WebhookRow[]>;
  /** Active webhooks listening to an event for any of these departments (or district-wide ones). */
  listeners(event: string, departmentIds: readonly string[]): Promise<WebhookRow[]>;
  insertDeliveries(rows: WebhookDeliveryRow[]): Promise<void>;
  /** Leases up to `limit` due pending deliveries until `leaseUntil` (a second worker skips them). */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<DueWebhookDelivery[]>;
  /** Logs one attempt and moves the delivery on, in one transaction. */
  recordAttempt(
    attempt: WebhookAttemptRow,
    next: { status: 'pending' | 'delivered' | 'dead'; nextAttemptAt: string | null },
  ): Promise<void>;
  deliveriesOf(webhookId: string, limit: number): Promise<WebhookDeliveryRow[]>;
  attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttemptRow[]>;
}

/** The body of every delivery (`{ id, event, occurredAt, data }`), encoded once when queued. */
export function webhookBody(change: CaseChange): string {
  return JSON.stringify({ id: change.eventId, event: change.event, occurredAt: change.at, data: change });
}

/** Queues the change for every webhook listening to it, inside the change's transaction (outbox). */
export async function enqueueWebhooks(
  tx: Repositories,
  deps: ServiceDeps,
  change: CaseChange,
): Promise<number> {
  const hooks = await tx.webhooks.listeners(change.event, change.departmentIds);
  if (hooks.length === 0) return 0;
  const body = webhookBody(change);
  await tx.webhooks.insertDeliveries(
    hooks.map((h) => ({
      id: deps.ids.next(),
      webhookId: h.id,
      event: change.event,
      payload: body,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: change.at,
      lastStatus: null,
      lastError: null,
      createdAt: change.at,
      deliveredAt: null,
    })),
  );
  return hooks.length;
}

const EVENT_RE = /^(\*|case\.[a-zA-Z]{2,30})$/;

/** What callers see of a webhook: never the secret (it is shown once, when created). */
export function webhookView(w: WebhookRow) {
  const { secret: _secret, ...rest } = w;
  return rest;
}

/**
 * Admin management of outgoing webhooks. `checkUrl` applies the deployment's destination policy
 * (https, allowlist, no private addresses) when a webhook is created or its URL changed; the same
 * policy is applied again at every delivery.
 */
export function createWebhookService(deps: ServiceDeps, checkUrl: (url: string) => string | null) {
  const { store, clock } = deps;
  function check(input: { name?: unknown; url?: unknown; events?: unknown }, issues: FieldIssue[]) {
    if (
      input.name !== undefined &&
      (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100)
    )
      issues.push({ path: 'name', reason: 'a name of 1..100 characters' });
    if (input.url !== undefined) {
      const why = typeof input.url === 'string' ? checkUrl(input.url) : 'a URL';
      if (why) issues.push({ path: 'url', reason: why });
    }
    if (input.events !== undefined) {
      if (!Array.isArray(input.events) || input.events.length === 0 || input.events.length > 50)
        issues.push({ path: 'events', reason: 'a list of 1..50 event names' });
      else
        input.events.forEach((e, i) => {
          if (typeof e !== 'string' || !EVENT_RE.test(e))
            issues.push({ path: `events.${i}`, reason: "an event name like 'case.dispatch', or '*'" });
        });
    }
  }
  return {
    async list(actor: Actor) {
      requirePermission(actor, 'departments:write');
      return (await store.repos.webhooks.list()).map(webhookView);
    },

    /** Creates a webhook; the response carries the signing secret, shown this once. */
    async create(
      actor: Actor,
      input: { name: string; url: string; events: string[]; departmentCode?: string },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'departments:write');
      const issues: FieldIssue[] = [];
      check(input, issues);
      const dept = input.departmentCode
        ? await store.repos.departments.findByCode(input.departmentCode)
        : undefined;
      if (input.departmentCode && !dept)
        issues.push({ path: 'departmentCode', reason: 'unknown department' });
      if (issues.length) throw validationError(issues, 'invalid webhook');
      const now = clock.now().toISOString();
      const secret = Buffer.from(deps.randomBytes(32)).toString('base64url');
      const row: WebhookRow = {
        id: deps.ids.next(),
        departmentId: dept?.id ?? null,
        name: input.name.trim(),
        url: input.url,
        secret,
        events: [...new Set(input.events)],
        isActive: true,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      };
      return store.transaction(async (tx) => {
        await tx.webhooks.insert(row);
        await audit(tx, deps, actor, ctx, 'webhook.create', 'webhook', row.id, {
          url: row.url,
          events: row.events,
          department: input.departmentCode ?? null,
        });
        return { ...webhookView(row), secret };
      });
    },

    async update(
      actor: Actor,
      id: string,
      input: { name?: string; url?: string; events?: string[]; isActive?: boolean },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'departments:write');
      const w = await store.repos.webhooks.findById(id);
      if (!w) throw new AppError('NOT_FOUND', `webhook ${id} not found`);
      const issues: FieldIssue[] = [];
      check(input, issues);
      if (issues.length) throw validationError(issues, 'invalid webhook change');
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        await tx.webhooks.update(id, input, now);
        await audit(tx, deps, actor, ctx, 'webhook.update', 'webhook', id, { ...input });
      });
      return webhookView((await store.repos.webhooks.findById(id))!);
    },

    /** The delivery log: recent deliveries with every attempt. */
    async deliveries(actor: Actor, id: string, limit = 50) {
      requirePermission(actor, 'departments:write');
      if (!(await store.repos.webhooks.findById(id)))
        throw new AppError('NOT_FOUND', `webhook ${id} not found`);
      const rows = await store.repos.webhooks.deliveriesOf(id, Math.min(limit, 500));
      const attempts = await store.repos.webhooks.attemptsOf(rows.map((r) => r.id));
      return rows.map((d) => ({
        id: d.id,
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        createdAt: d.createdAt,
        deliveredAt: d.deliveredAt,
        log: attempts
          .filter((a) => a.deliveryId === d.id)
          .map((a) => ({ at: a.at, ok: a.ok, status: a.status, error: a.error, durationMs: a.durationMs })),
      }));
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
