import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import type { Repositories } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { verifyAuditChain } from './audit-chain.js';

/** Appends one audit row inside the caller's transaction. */
export async function audit(
  tx: Repositories,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  actor: Pick<Actor, 'userId' | 'role'> | null,
  ctx: RequestContext,
  action: string,
  entityType: string,
  entityId: string | null,
  details: unknown = {},
): Promise<void> {
  await tx.audit.append({
    id: deps.ids.next(),
    at: deps.clock.now().toISOString(),
    // the CLI acts as 'system': no account, but the row says so
    actorId: actor && actor.userId !== 'system' ? actor.userId : null,
    actorRole: actor ? (actor.userId === 'system' ? 'system' : actor.role) : null,
    action,
    entityType,
    entityId,
    details,
    requestId: ctx.requestId,
  });
}

/** Recomputes the whole chain and names the first broken row. */
export async function verifyAudit(deps: Pick<ServiceDeps, 'store'>) {
  return verifyAuditChain(deps.store.repos.audit.iterate());
}

/** Lists audit rows (admins), newest first. */
export async function listAudit(
  deps: Pick<ServiceDeps, 'store'>,
  actor: Actor,
  filter: { entityType?: string; entityId?: string; limit: number; beforeSeq?: number },
) {
  requirePermission(actor, 'audit:read');
  return deps.store.repos.audit.list(filter);
}
