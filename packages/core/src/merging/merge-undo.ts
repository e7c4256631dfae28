import type { Actor } from '../access/actor.js';
import { unitInScope } from '../access/actor.js';
import { maskText } from '../access/masking.js';
import { audit } from '../audit/audit.service.js';
import { caseUnits } from '../cases/case-context.js';
import { publishChange } from '../cases/case-effects.js';
import { initialCaseState } from '../cases/case-machine.js';
import type { CaseRow, ReportRow } from '../cases/case-ports.js';
import { caseNumber } from '../cases/case.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { indexCase, isTerminalStatus } from './merge-candidates.js';
import type { MergeTx } from './merge-ports.js';
import type { ReportOrigin } from './merge-moves.js';
import { bumpCase, caseEvent } from './merge-moves.js';

/**
 * Undoing a merge for one report (拆分): the report leaves the case it joined and has a case of
 * its own again. It goes back to the case it came from when that case still lives (not merged,
 * cancelled or rejected); otherwise — it joined at intake, or its case ended as merged, which
 * the state machine cannot revive — a new case is created for it where the report itself
 * belongs (its own unit, grid and category, kept in the move).
 */

/** What a new case for a split-out report is made from. */
export interface SplitCaseInput {
  actor: Actor;
  ctx: RequestContext;
  report: ReportRow;
  origin: ReportOrigin;
  /** The case the report leaves. */
  splitFrom: CaseRow;
  at: string;
}

/**
 * Creates (and writes) a new case for a report that is split out: row, `report` event, notice,
 * change and audit — everything intake writes except the report row, which exists already.
 */
export type CreateCaseForReport = (tx: MergeTx, input: SplitCaseInput) => Promise<CaseRow>;

/** The result of an undo. */
export interface UnmergeResult {
  reportId: string;
  fromCaseId: string;
  fromCaseNumber: string;
  caseId: string;
  caseNumber: string;
  /** True when a new case was created; false when the report went back to its former case. */
  createdCase: boolean;
}

/** The default {@link CreateCaseForReport}: a new case as intake makes it, waiting to be registered. */
export function splitCaseCreator(deps: ServiceDeps): CreateCaseForReport {
  return async (tx, { actor, ctx, report, origin, splitFrom, at }) => {
    const code = origin.unitPath.split('/').filter(Boolean).pop() ?? '';
    const own = await tx.units.findByCode(code);
    const unit = own ?? (await tx.units.findById(splitFrom.unitId));
    if (!unit) throw new AppError('UNIT_NOT_FOUND', `unit ${code} not found`);
    const units = await caseUnits(tx, { unitPath: unit.path });
    const level = unit.level === 'district' ? 'district' : unit.level === 'street' ? 'street' : 'community';
    const unitId =
      level === 'district'
        ? units.districtUnitId
        : level === 'street'
          ? units.streetUnitId
          : units.communityUnitId;
    const state = initialCaseState({ receivingCenter: { unitId, level } });
    const now = new Date(at);
    const district = unit.path.split('/').filter(Boolean)[0] ?? '000000';
    const seq = await tx.cases.nextNumber(caseNumber(district, now, 0).slice(7, 15));
    const row: CaseRow = {
      id: deps.ids.next(),
      number: caseNumber(district, now, seq),
      status: state.status,
      version: state.version,
      state,
      priority: splitFrom.priority,
      categoryCode: own ? origin.categoryCode : splitFrom.categoryCode,
      summary: report.text.slice(0, 300),
      channel: report.channel,
      lng: report.lng,
      lat: report.lat,
      address: report.address,
      gridId: own ? origin.gridId : splitFrom.gridId,
      unitId: unit.id,
      unitPath: unit.path,
      handlerKind: null,
      handlerUserId: null,
      handlerUnitId: null,
      handlerDepartmentId: null,
      dispatcherUnitId: null,
      escalation: state.escalation,
      supervision: state.supervision,
      isPaused: false,
      acceptDueAt: null,
      handleDueAt: null,
      feedbackDueAt: null,
      repeatOf: null,
      mergedInto: null,
      reportCount: 1,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    await tx.cases.insertCase(row);
    const eventId = deps.ids.next();
    await tx.cases.insertEvent({
      id: eventId,
      caseId: row.id,
      version: state.version,
      at,
      actorId: actor.userId === 'system' ? null : actor.userId,
      actorRole: actor.role,
      action: 'report',
      fromStatus: null,
      toStatus: state.status,
      payload: { channel: report.channel, reportId: report.id, splitFrom: splitFrom.id },
    });
    await tx.inbox.insertMany([
      {
        id: deps.ids.next(),
        userId: null,
        unitId,
        departmentId: null,
        caseId: row.id,
        kind: 'newReport',
        title: `${row.number} ${maskText(report.text.slice(0, 60))}`,
        createdAt: at,
        readAt: null,
      },
    ]);
    await publishChange(tx, deps, row, 'report', eventId, at);
    await audit(tx, deps, actor, ctx, 'case.report', 'case', row.id, {
      number: row.number,
      channel: report.channel,
      reportId: report.id,
      splitFrom: splitFrom.id,
    });
    return row;
  };
}

/**
 * Splits one report out of the case it joined, inside the caller's transaction. The caller
 * checks the actor's role; the case the report is in now must be in the actor's scope.
 */
export async function unmergeReport(
  tx: MergeTx,
  deps: ServiceDeps,
  actor: Actor,
  ctx: RequestContext,
  reportId: string,
  createCase: CreateCaseForReport,
): Promise<UnmergeResult> {
  const at = deps.clock.now().toISOString();
  const report = await tx.merging.findReport(reportId);
  const current = report ? await tx.cases.findById(report.caseId, true) : undefined;
  if (!report || !current || !(actor.scope.kind === 'all' || unitInScope(actor, current.unitPath)))
    throw new AppError('NOT_FOUND', `report ${reportId} not found`);
  const move = await tx.merging.findOpenMove(reportId);
  if (!move || move.toCaseId !== current.id)
    throw new AppError('CONFLICT', 'the report did not join its case by a merge: nothing to undo');
  const siblings = await tx.cases.reportsOf(current.id);
  if (siblings.length <= 1)
    throw new AppError('CONFLICT', 'the only report of a case cannot be split out of it');
  const former = move.fromCaseId ? await tx.cases.findById(move.fromCaseId, true) : undefined;
  const back = former && !isTerminalStatus(former.status) ? former : undefined;
  const dest =
    back ?? (await createCase(tx, { actor, ctx, report, origin: originOf(move), splitFrom: current, at }));
  await tx.merging.setReportsCase([report.id], dest.id);
  const left = await bumpCase(tx, current, { reportCount: Math.max(0, current.reportCount - 1) }, at);
  const detail = { reportId: report.id, channel: report.channel };
  await caseEvent(
    tx,
    deps,
    actor,
    left,
    'reportSplit',
    { ...detail, toCaseId: dest.id, toNumber: dest.number },
    at,
  );
  if (back) {
    const returned = await bumpCase(tx, back, { reportCount: back.reportCount + 1 }, at);
    await caseEvent(tx, deps, actor, returned, 'reportReturned', { ...detail, fromCaseId: current.id }, at);
  } else {
    await indexCase(tx, dest.id, report.text, at);
  }
  if (
    !(await tx.merging.markMoveUndone(move.id, {
      at,
      by: actor.userId === 'system' ? null : actor.userId,
      undoCaseId: dest.id,
    }))
  )
    throw new AppError('CONFLICT', 'the merge was undone meanwhile');
  await audit(tx, deps, actor, ctx, 'case.reportSplit', 'case', current.id, {
    number: current.number,
    reportId: report.id,
    toCaseId: dest.id,
    createdCase: !back,
  });
  return {
    reportId: report.id,
    fromCaseId: current.id,
    fromCaseNumber: current.number,
    caseId: dest.id,
    caseNumber: dest.number,
    createdCase: !back,
  };
}

function originOf(m: {
  originUnitPath: string;
  originGridId: string | null;
  originCategoryCode: string | null;
}) {
  return { unitPath: m.originUnitPath, gridId: m.originGridId, categoryCode: m.originCategoryCode };
}
