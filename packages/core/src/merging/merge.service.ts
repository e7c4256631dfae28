import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope, unitScopePrefix } from '../access/actor.js';
import { maskText } from '../access/masking.js';
import { audit } from '../audit/audit.service.js';
import type { CaseRow } from '../cases/case-ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import { indexCase, isTerminalStatus } from './merge-candidates.js';
import type { HotSpotScanOptions } from './merge-hot-spots.js';
import { detectHotSpotsFor } from './merge-hot-spots.js';
import type { MergeCaseRow, MergeProposalRow, MergeStore, ProposalStatus } from './merge-ports.js';
import type { CreateCaseForReport } from './merge-undo.js';
import { splitCaseCreator, unmergeReport } from './merge-undo.js';

/** Services' dependencies with a store whose repositories include `merging`. */
export type MergeDeps = Omit<ServiceDeps, 'store'> & { store: MergeStore };

/** The case action the service runs to accept a proposal (the case service's `actions.act`). */
export interface MergeActions {
  act(
    actor: Actor,
    c: CaseRow,
    action: string,
    payload: unknown,
    ifMatch: number | null,
    ctx: RequestContext,
  ): Promise<CaseRow>;
}

export interface MergeServiceOptions {
  /** Runs `merge` on the new case; the action's transaction calls onCaseMerged (merge-moves.ts). */
  actions: MergeActions;
  /** Creates the case of a split-out report. Default: {@link splitCaseCreator}. */
  createCaseForReport?: CreateCaseForReport;
  hotSpots?: HotSpotScanOptions;
}

/** Who decides merges and undoes them: center operators (of the case's chain, by scope) and admins. */
const DECIDERS: readonly string[] = ['communityOperator', 'streetOperator', 'districtOperator', 'admin'];

function requireDecider(actor: Actor): void {
  requirePermission(actor, 'cases:act');
  if (!DECIDERS.includes(actor.role))
    throw new AppError('FORBIDDEN', 'merges are decided by the operators of a center', {
      permission: 'cases:act',
    });
}

const visible = (actor: Actor, path: string): boolean =>
  actor.scope.kind === 'all' || (actor.scope.kind === 'unit' && unitInScope(actor, path));

function brief(c: MergeCaseRow | undefined, inScope: boolean) {
  const show = !!c && inScope;
  return {
    inScope: show,
    number: show ? c.number : null,
    status: show ? c.status : null,
    summary: show ? maskText(c.text) : null,
    channel: show ? c.channel : null,
    reportCount: show ? c.reportCount : null,
    createdAt: show ? c.createdAt : null,
    closedAt: show ? c.closedAt : null,
  };
}

/** Proposals for operators, their decisions, undoing merges, hot spots. */
export function createMergeService(deps: MergeDeps, options: MergeServiceOptions) {
  const { store, clock } = deps;
  const serviceDeps: ServiceDeps = deps;
  const createCase = options.createCaseForReport ?? splitCaseCreator(serviceDeps);

  async function views(actor: Actor, rows: readonly MergeProposalRow[]) {
    const ids = [...new Set(rows.flatMap((p) => [p.caseId, p.candidateCaseId]))];
    const cases = new Map((await store.repos.merging.loadCases(ids)).map((c) => [c.caseId, c]));
    return rows.map((p) => {
      const c = cases.get(p.caseId);
      const k = cases.get(p.candidateCaseId);
      return {
        id: p.id,
        status: p.status,
        score: p.score,
        rank: p.rank,
        parts: p.parts,
        createdAt: p.createdAt,
        decidedAt: p.decidedAt,
        decidedBy: p.decidedBy,
        note: p.note === null ? null : maskText(p.note),
        case: { id: p.caseId, ...brief(c, true) },
        candidate: { id: p.candidateCaseId, ...brief(k, !!k && visible(actor, k.unitPath)) },
      };
    });
  }

  async function getProposal(actor: Actor, id: string): Promise<MergeProposalRow> {
    const p = await store.repos.merging.findProposal(id);
    if (!p || !visible(actor, p.unitPath)) throw new AppError('NOT_FOUND', `merge proposal ${id} not found`);
    if (p.status !== 'pending')
      throw new AppError('CONFLICT', `the proposal was already decided (${p.status})`, { status: p.status });
    return p;
  }

  return {
    /** Merge proposals in the caller's scope (or a unit of it), newest first; pending by default. */
    async listProposals(
      actor: Actor,
      f: { scope?: string; status?: ProposalStatus; limit?: number; before?: string },
    ) {
      requirePermission(actor, 'cases:read');
      let prefix = unitScopePrefix(actor);
      if (prefix === null) return { items: [], nextCursor: null };
      if (f.scope) {
        const unit = await store.repos.units.findByCode(f.scope);
        if (!unit || !visible(actor, unit.path))
          throw new AppError('UNIT_NOT_FOUND', `unit ${f.scope} not found`);
        prefix = unit.path;
      }
      let before: { createdAt: string; id: string } | undefined;
      if (f.before) {
        const [createdAt, id] = Buffer.from(f.before, 'base64url').toString().split('|');
        if (!createdAt || !id)
          throw validationError([{ path: 'before', reason: 'not a cursor from this list' }]);
        before = { createdAt, id };
      }
      const limit = Math.min(f.limit ?? 50, 200);
      const rows = await store.repos.merging.listProposals({
        scopePrefix: prefix,
        status: [f.status ?? 'pending'],
        limit,
        ...(before && { before }),
      });
      const last = rows[rows.length - 1];
      return {
        items: await views(actor, rows),
        nextCursor:
          rows.length === limit && last
            ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url')
            : null,
      };
    },

    /**
     * Accepts or rejects a pending proposal (once: a decided proposal answers CONFLICT). Accepting
     * runs the `merge` action on the new case into the candidate, whose transaction moves the
     * reports and marks the proposal accepted; the candidate must lie in the caller's scope too.
     */
    async decideProposal(
      actor: Actor,
      id: string,
      decision: 'accept' | 'reject',
      ctx: RequestContext,
      note?: string,
    ) {
      requireDecider(actor);
      const p = await getProposal(actor, id);
      if (decision === 'reject') {
        await store.transaction(async (tx) => {
          const at = clock.now().toISOString();
          const by = actor.userId === 'system' ? null : actor.userId;
          if (!(await tx.merging.decideProposal(id, { status: 'rejected', by, at, note: note ?? null })))
            throw new AppError('CONFLICT', 'the proposal was decided meanwhile');
          await audit(tx, deps, actor, ctx, 'merge.reject', 'case', p.caseId, {
            proposalId: id,
            candidateCaseId: p.candidateCaseId,
          });
        });
        return { proposalId: id, status: 'rejected' as ProposalStatus, caseId: p.caseId, intoCaseId: null };
      }
      const c = await store.repos.cases.findById(p.caseId);
      const target = await store.repos.cases.findById(p.candidateCaseId);
      if (!c) throw new AppError('CASE_NOT_FOUND', `case ${p.caseId} not found`);
      if (!target || !visible(actor, target.unitPath))
        throw new AppError(
          'FORBIDDEN',
          'the candidate case lies outside your scope: a center above both decides',
        );
      if (isTerminalStatus(target.status))
        throw new AppError('CONFLICT', `case ${target.number} has ended (${target.status})`, {
          status: target.status,
        });
      await options.actions.act(actor, c, 'merge', { intoCaseId: target.id }, c.version, ctx);
      const after = await store.repos.merging.findProposal(id);
      return { proposalId: id, status: after?.status ?? p.status, caseId: c.id, intoCaseId: target.id };
    },

    /** A proposal's outcome as the decision routes answer it (a retry after a lost response). */
    async proposalOutcome(actor: Actor, id: string) {
      requirePermission(actor, 'cases:read');
      const p = await store.repos.merging.findProposal(id);
      if (!p || !visible(actor, p.unitPath))
        throw new AppError('NOT_FOUND', `merge proposal ${id} not found`);
      const intoCaseId = p.status === 'accepted' ? p.candidateCaseId : null;
      return { proposalId: p.id, status: p.status, caseId: p.caseId, intoCaseId };
    },

    /** Splits a report out of the case it joined (automatically or by a merge) into a case of its own. */
    async unmerge(actor: Actor, reportId: string, ctx: RequestContext) {
      requireDecider(actor);
      return store.transaction((tx) => unmergeReport(tx, serviceDeps, actor, ctx, reportId, createCase));
    },

    /** Hot spots of a community in the caller's scope over the last week (texts masked). */
    async hotSpots(actor: Actor, communityCode: string) {
      requirePermission(actor, 'cases:read');
      const unit = await store.repos.units.findByCode(communityCode);
      if (!unit || unit.level !== 'community' || !visible(actor, unit.path))
        throw new AppError('UNIT_NOT_FOUND', `community ${communityCode} not found`);
      const r = await detectHotSpotsFor(store.repos, unit.path, clock.now(), options.hotSpots);
      return {
        community: { code: unit.code, name: unit.name },
        since: r.since,
        until: r.until,
        windowDays: r.windowDays,
        minCount: r.minCount,
        items: r.clusters.map((s) => ({
          representativeReportId: s.representativeId,
          representativeText: maskText(s.representativeText),
          reportCount: s.memberIds.length,
          peakCount: s.peakCount,
          peakStart: new Date(s.peakStart).toISOString(),
          reporterCount: s.reporterCount,
          firstAt: new Date(s.firstTime).toISOString(),
          lastAt: new Date(s.lastTime).toISOString(),
          reportIds: s.memberIds,
          caseIds: s.caseIds,
          channels: s.channels,
        })),
      };
    },

    /**
     * Indexes the open and recently closed cases that have no signature yet (cases taken in before
     * the index existed): run once after the migration. Returns how many it indexed.
     */
    async backfillIndex(recentlyClosedDays = 7, batch = 500): Promise<number> {
      const closedSince = new Date(clock.now().getTime() - recentlyClosedDays * 86_400_000).toISOString();
      let afterId: string | null = null;
      let total = 0;
      for (;;) {
        const rows = await store.repos.merging.unindexedCases({ closedSince, afterId, limit: batch });
        if (rows.length === 0) return total;
        const at = clock.now().toISOString();
        await store.transaction(async (tx) => {
          for (const r of rows) await indexCase(tx, r.caseId, r.text, at);
        });
        total += rows.length;
        afterId = rows[rows.length - 1]!.caseId;
      }
    },

    /** Takes cases that left the candidate window out of the index (scheduler); returns how many. */
    async pruneIndex(recentlyClosedDays = 7, batch = 500): Promise<number> {
      const closedBefore = new Date(clock.now().getTime() - recentlyClosedDays * 86_400_000).toISOString();
      let total = 0;
      for (;;) {
        const n = await store.transaction((tx) => tx.merging.pruneIndex({ closedBefore, limit: batch }));
        total += n;
        if (n < batch) return total;
      }
    },
  };
}

export type MergeService = ReturnType<typeof createMergeService>;
