import type { Actor } from '../access/actor.js';
import type { Repositories } from '../ports.js';
import type { ServiceDeps } from '../shared/context.js';
import type { CaseRow, InboxRow, LedgerCheckoffRow } from './case-ports.js';
import type {
  ConvenePayload,
  JointOutcomePayload,
  VisitOrderPayload,
  VisitPayload,
} from './case-payloads.js';
import type { CaseState } from './case-types.js';
import { enqueueWebhooks } from './webhooks.js';

/** The user id recorded for an action (null for the system actor). */
function actorIdOf(actor: Actor): string | null {
  return actor.userId === 'system' ? null : actor.userId;
}

/** Inbox notices to the grid workers of the case's grid (directed visits, joint handlings). */
async function noticeGridWorkers(
  tx: Repositories,
  deps: ServiceDeps,
  c: CaseRow,
  kind: string,
  title: string,
  at: string,
): Promise<InboxRow[]> {
  if (!c.gridId) return [];
  const workers = await tx.users.list({ scopePrefix: c.unitPath, role: 'gridWorker', limit: 10 });
  return workers.map((w) => ({
    id: deps.ids.next(),
    userId: w.id,
    unitId: null,
    departmentId: null,
    caseId: c.id,
    kind,
    title: `${c.number} ${title}`,
    createdAt: at,
    readAt: null,
  }));
}

/**
 * What an action writes besides the case and its event: joint handlings (联合处置) and their
 * outcomes, directed-visit orders (定向走访) with their due timer, and the ledger's check-offs (销号)
 * when a case is closed. Runs inside the action's transaction.
 */
export async function applyEffects(
  tx: Repositories,
  deps: ServiceDeps,
  actor: Actor,
  next: CaseRow,
  action: string,
  payload: Record<string, unknown>,
  at: string,
): Promise<void> {
  const c = next;
  const by = actorIdOf(actor);
  const inbox: InboxRow[] = [];
  const checkoffs: LedgerCheckoffRow[] = [];
  const checkoff = (o: Pick<LedgerCheckoffRow, 'itemKind' | 'jointNo' | 'title' | 'note'>) =>
    checkoffs.push({
      ...o,
      id: deps.ids.next(),
      caseId: c.id,
      unitPath: c.unitPath,
      checkedAt: at,
      checkedBy: by,
    });
  switch (action) {
    case 'convene': {
      const p = payload as unknown as ConvenePayload;
      await tx.joints.insert({
        id: deps.ids.next(),
        caseId: c.id,
        jointNo: p.jointNo,
        unitPath: c.unitPath,
        convenedBy: by,
        convenedAt: at,
        meetsAt: p.at,
        place: p.place,
        purpose: p.purpose ?? null,
        participants: p.participants,
        status: 'open',
        outcome: null,
        resolved: null,
        recordedBy: null,
        recordedAt: null,
      });
      const title = `${c.number} 联合处置：${p.place}`;
      for (const u of new Set(p.participants.flatMap((x) => (x.userId ? [x.userId] : [])))) {
        inbox.push({
          id: deps.ids.next(),
          userId: u,
          unitId: null,
          departmentId: null,
          caseId: c.id,
          kind: 'jointConvened',
          title,
          createdAt: at,
          readAt: null,
        });
      }
      inbox.push(...(await noticeGridWorkers(tx, deps, c, 'jointConvened', `联合处置：${p.place}`, at)));
      break;
    }
    case 'recordJoint': {
      const p = payload as unknown as JointOutcomePayload;
      await tx.joints.recordOutcome(c.id, p.jointNo, {
        outcome: p.outcome,
        resolved: p.resolved,
        recordedBy: by,
        recordedAt: at,
      });
      checkoff({
        itemKind: 'joint',
        jointNo: p.jointNo,
        title: `${c.number} 联合处置 #${p.jointNo}`,
        note: p.outcome,
      });
      break;
    }
    case 'instructVisit': {
      const p = payload as unknown as VisitOrderPayload;
      inbox.push(
        ...(await noticeGridWorkers(tx, deps, c, 'visitOrdered', `定向走访：${p.instructions}`, at)),
      );
      if (p.dueAt) {
        await tx.timers.insertMany([
          {
            id: deps.ids.next(),
            caseId: c.id,
            kind: 'visit.due',
            dueAt: p.dueAt,
            payload: {},
            createdAt: at,
          },
        ]);
      }
      break;
    }
    case 'recordVisit':
      if ((payload as unknown as VisitPayload).resolved)
        await tx.timers.cancelForCase(c.id, at, ['visit.due']);
      break;
    case 'close':
    case 'reject':
    case 'cancel':
    case 'merge': {
      // the case leaves the loop: its open joint handlings end with it
      for (const j of await tx.joints.closeOpenOf(c.id, at)) {
        if (action === 'close')
          checkoff({
            itemKind: 'joint',
            jointNo: j.jointNo,
            title: `${c.number} 联合处置 #${j.jointNo}`,
            note: '随事件办结销号',
          });
      }
      if (action === 'close') {
        const summary = typeof payload.summary === 'string' ? payload.summary : null;
        checkoff({
          itemKind: 'case',
          jointNo: null,
          title: `${c.number} ${c.summary}`.slice(0, 300),
          note: summary,
        });
      }
      break;
    }
    default:
      break;
  }
  if (inbox.length) await tx.inbox.insertMany(inbox);
  await tx.ledger.insertCheckoffs(checkoffs);
}

/** The visit order's due timer fired: tell the grid workers and whoever gave the order. */
export async function visitOverdue(tx: Repositories, deps: ServiceDeps, c: CaseRow, at: string) {
  const order = (c.state as CaseState).visitOrder;
  if (!order) return 'skipped';
  const rows = await noticeGridWorkers(tx, deps, c, 'visitOverdue', '定向走访已到期', at);
  rows.push({
    id: deps.ids.next(),
    userId: order.by,
    unitId: null,
    departmentId: null,
    caseId: c.id,
    kind: 'visitOverdue',
    title: `${c.number} 定向走访已到期，尚未办结`,
    createdAt: at,
    readAt: null,
  });
  await tx.inbox.insertMany(rows);
  return 'visitOverdue';
}

/** Publishes a case's change (streams, webhooks) inside its transaction: out only if it commits. */
export async function publishChange(
  tx: Repositories,
  deps: ServiceDeps,
  c: CaseRow,
  event: string,
  eventId: string,
  at: string,
): Promise<void> {
  const departments =
    c.handlerDepartmentId || c.escalation === 'district' ? await tx.cases.departmentsOf(c.id) : [];
  const change = {
    eventId,
    caseId: c.id,
    number: c.number,
    event: `case.${event}`,
    status: c.status,
    version: c.version,
    unitPath: c.unitPath,
    departmentIds: [...new Set(departments.map((d) => d.departmentId))],
    channel: c.channel,
    at,
  };
  await tx.changes.publish(change);
  await enqueueWebhooks(tx, deps, change);
}
