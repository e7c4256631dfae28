import type { Actor } from '../access/actor.js';
import { unitInScope } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import { linkPhotos } from '../cases/attachments.js';
import { publishChange } from '../cases/case-effects.js';
import type { CaseRow, InboxRow, ReportRow } from '../cases/case-ports.js';
import type { CaseState } from '../cases/case-types.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { isOpenStatus, isTerminalStatus } from './merge-candidates.js';
import type { MergeCandidate } from './merge-candidates.js';
import type { MergeProposalRow, MergeTx } from './merge-ports.js';

/**
 * Reports changing case, inside the caller's transaction: a report joining a case at intake,
 * all reports of a merged case moving to the case it was merged into, and proposals recorded
 * for the operator. Every move is a `report_moves` row, so that it can be undone (merge-undo.ts).
 * A case touched here gets a new version and a timeline event (actions the machine does not
 * know, like `revisit`: replay only advances the version).
 */

/** Where a report itself belongs: a case split out of the one it joined starts here. */
export interface ReportOrigin {
  unitPath: string;
  gridId: string | null;
  categoryCode: string | null;
}

const actorIdOf = (a: Actor): string | null => (a.userId === 'system' ? null : a.userId);

/** Writes a case with a new version (optimistic: the row was read for update in this transaction). */
export async function bumpCase(
  tx: MergeTx,
  c: CaseRow,
  patch: Partial<CaseRow>,
  at: string,
): Promise<CaseRow> {
  const state = { ...(c.state as CaseState), version: c.version + 1 };
  const next: CaseRow = { ...c, ...patch, version: state.version, state, updatedAt: at };
  if (!(await tx.cases.updateCase(next, c.version)))
    throw new AppError('VERSION_CONFLICT', 'the case changed meanwhile; try again', {
      currentVersion: c.version + 1,
    });
  return next;
}

/** Adds a timeline event at the case's (new) version and publishes the change. */
export async function caseEvent(
  tx: MergeTx,
  deps: ServiceDeps,
  actor: Actor,
  c: CaseRow,
  action: string,
  payload: Record<string, unknown>,
  at: string,
): Promise<string> {
  const id = deps.ids.next();
  await tx.cases.insertEvent({
    id,
    caseId: c.id,
    version: c.version,
    at,
    actorId: actorIdOf(actor),
    actorRole: actor.userId === 'system' ? 'system' : actor.role,
    action,
    fromStatus: c.status,
    toStatus: c.status,
    payload,
  });
  await publishChange(tx, deps, c, action, id, at);
  return id;
}

/** An inbox notice to whoever handles the case now (its receiving center before anyone does). */
export function handlerNotice(
  deps: ServiceDeps,
  c: CaseRow,
  kind: string,
  title: string,
  at: string,
): InboxRow[] {
  const s = c.state as CaseState;
  const base = { id: deps.ids.next(), caseId: c.id, kind, title: `${c.number} ${title}`, createdAt: at };
  const to = { userId: null, unitId: null, departmentId: null, readAt: null };
  const h = s.handler;
  if (!h) return [{ ...base, ...to, unitId: s.receivingCenter.unitId }];
  if (h.kind === 'user') return [{ ...base, ...to, userId: h.userId }];
  if (h.kind === 'center') return [{ ...base, ...to, unitId: h.unitId }];
  return [{ ...base, ...to, departmentId: h.leadDepartmentId }];
}

/** What joinReport needs: the target case, the report (its row without a case) and why. */
export interface JoinReportInput {
  caseId: string;
  score: number;
  report: Omit<ReportRow, 'caseId'>;
  origin: ReportOrigin;
  /** Attachment ids of the report, linked to the joined case. */
  photos?: readonly string[];
}

/**
 * An automatic merge at intake: the report joins an open case instead of opening one. Returns
 * the updated case, or null when the case is no longer open (then intake creates a case).
 */
export async function joinReport(
  tx: MergeTx,
  deps: ServiceDeps,
  actor: Actor,
  ctx: RequestContext,
  input: JoinReportInput,
): Promise<CaseRow | null> {
  const c = await tx.cases.findById(input.caseId, true);
  if (!c || !isOpenStatus(c.status)) return null;
  const at = input.report.createdAt;
  const { report } = input;
  await tx.cases.insertReport({ ...report, caseId: c.id });
  const next = await bumpCase(tx, c, { reportCount: c.reportCount + 1 }, at);
  const score = Math.round(input.score * 1000) / 1000;
  await caseEvent(
    tx,
    deps,
    actor,
    next,
    'reportJoined',
    { reportId: report.id, channel: report.channel, score },
    at,
  );
  if (input.photos?.length) await linkPhotos(tx, actor, c.id, input.photos, 'body.photos');
  await tx.merging.insertMoves([
    {
      id: deps.ids.next(),
      reportId: report.id,
      fromCaseId: null,
      toCaseId: c.id,
      kind: 'join',
      score,
      proposalId: null,
      originUnitPath: input.origin.unitPath,
      originGridId: input.origin.gridId,
      originCategoryCode: input.origin.categoryCode,
      movedAt: at,
      movedBy: actorIdOf(actor),
      undoneAt: null,
      undoneBy: null,
      undoCaseId: null,
    },
  ]);
  await tx.inbox.insertMany(
    handlerNotice(deps, next, 'reportJoined', `新的${channelName(report.channel)}反映已并入`, at),
  );
  await audit(tx, deps, actor, ctx, 'case.reportJoined', 'case', c.id, {
    number: c.number,
    reportId: report.id,
    channel: report.channel,
    score,
  });
  return next;
}

const CHANNEL_NAMES: Record<string, string> = {
  grid: '网格员',
  hotline: '热线',
  opinion: '网络舆情',
  petition: '信访',
  resident: '群众',
  department: '部门',
};
const channelName = (c: string): string => CHANNEL_NAMES[c] ?? '';

/** Records the candidates of a new case as pending proposals and tells its receiving center. */
export async function recordProposals(
  tx: MergeTx,
  deps: ServiceDeps,
  c: CaseRow,
  candidates: readonly Pick<MergeCandidate, 'caseId' | 'score' | 'parts'>[],
  at: string,
): Promise<MergeProposalRow[]> {
  const rows: MergeProposalRow[] = candidates.map((k, i) => ({
    id: deps.ids.next(),
    caseId: c.id,
    candidateCaseId: k.caseId,
    unitPath: c.unitPath,
    score: Math.round(k.score * 1000) / 1000,
    parts: k.parts,
    rank: i + 1,
    status: 'pending',
    createdAt: at,
    decidedAt: null,
    decidedBy: null,
    note: null,
  }));
  if (rows.length === 0) return rows;
  await tx.merging.insertProposals(rows);
  const s = c.state as CaseState;
  await tx.inbox.insertMany([
    {
      id: deps.ids.next(),
      userId: null,
      unitId: s.receivingCenter.unitId,
      departmentId: null,
      caseId: c.id,
      kind: 'mergeProposed',
      title: `${c.number} 疑似重复：${rows.length}个相似事件待确认`,
      createdAt: at,
      readAt: null,
    },
  ]);
  return rows;
}

/**
 * The rest of the `merge` action, inside its transaction (after the merged case was written):
 * every report of the merged case moves to the target, which counts them and shows an event;
 * the moves are recorded for undo; the proposal behind the merge (if any) is accepted, the other
 * pending proposals of the merged case become obsolete, and proposals pointing at the merged case
 * now point at the target. Throws when the target is out of the actor's scope or has ended.
 */
export async function onCaseMerged(
  tx: MergeTx,
  deps: ServiceDeps,
  actor: Actor,
  ctx: RequestContext,
  merged: CaseRow,
  intoCaseId: string,
): Promise<{ target: CaseRow; movedReportIds: string[] }> {
  const at = merged.updatedAt;
  const target = await tx.cases.findById(intoCaseId, true);
  const visible = actor.scope.kind === 'all' || (target && unitInScope(actor, target.unitPath));
  if (!target || !visible) throw new AppError('CASE_NOT_FOUND', `case ${intoCaseId} not found`);
  if (isTerminalStatus(target.status))
    throw new AppError('CONFLICT', `case ${target.number} has ended (${target.status}); merge into another`, {
      status: target.status,
      mergedInto: target.mergedInto,
    });
  const reports = await tx.cases.reportsOf(merged.id);
  const ids = reports.map((r) => r.id);
  const pending = await tx.merging.proposalsOf({ caseId: merged.id, status: 'pending' });
  const accepted = pending.find((p) => p.candidateCaseId === target.id) ?? null;
  await tx.merging.setReportsCase(ids, target.id);
  await tx.merging.setReportCount(merged.id, 0);
  const next = await bumpCase(tx, target, { reportCount: target.reportCount + reports.length }, at);
  await caseEvent(
    tx,
    deps,
    actor,
    next,
    'reportsMerged',
    {
      fromCaseId: merged.id,
      fromNumber: merged.number,
      reportIds: ids,
      channels: [...new Set(reports.map((r) => r.channel))],
      ...(accepted && { proposalId: accepted.id, score: accepted.score }),
    },
    at,
  );
  await tx.merging.insertMoves(
    reports.map((r) => ({
      id: deps.ids.next(),
      reportId: r.id,
      fromCaseId: merged.id,
      toCaseId: target.id,
      kind: 'merge' as const,
      score: accepted?.score ?? null,
      proposalId: accepted?.id ?? null,
      originUnitPath: merged.unitPath,
      originGridId: merged.gridId,
      originCategoryCode: merged.categoryCode,
      movedAt: at,
      movedBy: actorIdOf(actor),
      undoneAt: null,
      undoneBy: null,
      undoCaseId: null,
    })),
  );
  await settleProposals(tx, actor, merged.id, target.id, accepted, pending, at);
  await tx.merging.removeIndex([merged.id]);
  await tx.inbox.insertMany(handlerNotice(deps, next, 'reportsMerged', `事件${merged.number}已并入`, at));
  await audit(tx, deps, actor, ctx, 'case.reportsMerged', 'case', target.id, {
    number: target.number,
    fromCaseId: merged.id,
    reportIds: ids,
    proposalId: accepted?.id ?? null,
  });
  return { target: next, movedReportIds: ids };
}

async function settleProposals(
  tx: MergeTx,
  actor: Actor,
  mergedId: string,
  targetId: string,
  accepted: MergeProposalRow | null,
  pending: readonly MergeProposalRow[],
  at: string,
): Promise<void> {
  const by = actorIdOf(actor);
  for (const p of pending) {
    const status = p === accepted ? 'accepted' : 'obsolete';
    await tx.merging.decideProposal(p.id, { status, by, at, note: null });
  }
  // proposals that pointed at the merged case now point at the case it lives on in
  for (const p of await tx.merging.proposalsOf({ candidateCaseId: mergedId, status: 'pending' })) {
    const taken =
      p.caseId === targetId ||
      (await tx.merging.proposalsOf({ caseId: p.caseId, status: 'pending' })).some(
        (o) => o.candidateCaseId === targetId,
      );
    if (taken) await tx.merging.decideProposal(p.id, { status: 'obsolete', by, at, note: null });
    else await tx.merging.retargetProposal(p.id, targetId);
  }
}
