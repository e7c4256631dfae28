/**
 * Early warnings (预警) as operators see and decide them: listed and read within the unit scope,
 * confirmed into a case on the opinion line (立案) or dismissed with a reason.
 */
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { IntakeInput } from '../cases/case.service.js';
import type { Priority } from '../cases/case-ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, isAppError } from '../shared/errors.js';
import type { WarningRow } from './opinion-ports.js';
import { opinionUnitVisible, requireOpinionManager, requireOpinionReader } from './opinion.policy.js';
import { opinionRepo, pageCursor, pageLimit, readCursor, unitLabels } from './opinion-store.js';
import { caseText, caseUnitCode, postView, priorityOfLevel, warningView } from './opinion-view.js';
import type { WarningStatus } from './warning.js';
import { allowedWarningActions, confirmWarning, dismissWarning } from './warning.js';

/** Takes a report in on the opinion line (the case service's intake, passed in by the server). */
export type OpinionIntake = (
  actor: Actor,
  input: IntakeInput,
  ctx: RequestContext,
) => Promise<{ caseId: string; caseNumber: string }>;

export interface ConfirmInput {
  category?: string | undefined;
  priority?: Priority | undefined;
}

/** Listing, reading and deciding warnings; cases are made through `intake`. */
export function createWarningService(deps: ServiceDeps, intake: OpinionIntake) {
  const { store, clock } = deps;

  async function getVisible(actor: Actor, id: string): Promise<WarningRow> {
    const w = await opinionRepo(store.repos).findWarning(id);
    if (!w || !opinionUnitVisible(actor, w.unitPath))
      throw new AppError('NOT_FOUND', `warning ${id} not found`);
    return w;
  }

  /** A warning with its unit and its evidence posts (masked), hottest first. */
  async function fullView(w: WarningRow) {
    const [labels, evidence] = await Promise.all([
      unitLabels(store.repos, [w.unitCode]),
      opinionRepo(store.repos).findPostsByIds(w.evidencePostIds),
    ]);
    const byId = new Map(evidence.map((p) => [p.id, p]));
    return {
      ...warningView(w, labels.get(w.unitCode)),
      evidence: w.evidencePostIds.flatMap((pid) => {
        const p = byId.get(pid);
        return p ? [postView(p)] : [];
      }),
    };
  }

  /** Writes a decided warning if nobody changed it meanwhile, with its audit row. */
  async function decide(actor: Actor, ctx: RequestContext, id: string, apply: (w: WarningRow) => WarningRow) {
    const saved = await store.transaction(async (tx) => {
      const repo = opinionRepo(tx);
      const current = await repo.findWarning(id);
      if (!current || !opinionUnitVisible(actor, current.unitPath))
        throw new AppError('NOT_FOUND', `warning ${id} not found`);
      const next = apply(current);
      if (!(await repo.updateWarning(next, current.version)))
        throw new AppError('VERSION_CONFLICT', `warning ${id} was changed meanwhile`, {
          version: current.version,
        });
      const action = next.status === 'confirmed' ? 'confirm' : 'dismiss';
      await audit(tx, deps, actor, ctx, `opinion.warning.${action}`, 'early_warning', id, {
        topic: next.topic,
        unitCode: next.unitCode,
        level: next.level,
        caseId: next.caseId,
        reason: next.dismissReason,
      });
      return next;
    });
    return fullView(saved);
  }

  /** Makes the case of a warning, or finds the one an earlier, interrupted confirmation made. */
  async function makeCase(actor: Actor, w: WarningRow, input: ConfirmInput, ctx: RequestContext) {
    const evidence = await opinionRepo(store.repos).findPostsByIds(w.evidencePostIds);
    const byId = new Map(evidence.map((p) => [p.id, p]));
    const ordered = w.evidencePostIds.flatMap((pid) => byId.get(pid) ?? []);
    const first = ordered[0];
    const labels = await unitLabels(store.repos, [w.unitCode]);
    try {
      return await intake(
        actor,
        {
          channel: 'opinion',
          text: caseText(w, labels.get(w.unitCode), ordered),
          unitCode: caseUnitCode(w),
          category: input.category,
          priority: input.priority ?? priorityOfLevel(w.level),
          // one case per warning: a retry after a failure below finds the case made the first time
          externalId: `warning-${w.id}`,
          fields: {
            source: first?.source ?? 'opinion',
            ...(first && { url: first.url, author: first.authorHandle }),
            warningId: w.id,
            topic: w.topic,
            level: w.level,
            evidence: ordered.map((p) => ({ source: p.source, url: p.url })),
          },
        },
        ctx,
      );
    } catch (e) {
      const dup = isAppError(e) && e.code === 'DUPLICATE' ? (e.details as { caseId?: unknown }) : undefined;
      if (typeof dup?.caseId !== 'string') throw e;
      return { caseId: dup.caseId, caseNumber: (await store.repos.cases.findById(dup.caseId))?.number ?? '' };
    }
  }

  /** Confirms an open warning into a case (立案) on the opinion line and links the case. */
  async function confirm(actor: Actor, id: string, input: ConfirmInput, ctx: RequestContext) {
    requireOpinionManager(actor);
    const w = await getVisible(actor, id);
    if (!allowedWarningActions(w).includes('confirm'))
      throw new AppError('TRANSITION_NOT_ALLOWED', `cannot confirm a ${w.status} warning`, {
        status: w.status,
        allowed: allowedWarningActions(w),
      });
    const { caseId, caseNumber } = await makeCase(actor, w, input, ctx);
    const view = await decide(actor, ctx, id, (current) => ({
      ...confirmWarning(current, { caseId, actorId: actor.userId }, clock.now()),
      unitPath: current.unitPath,
    }));
    return { ...view, caseNumber };
  }

  return {
    confirm,

    /** Warnings of units in scope, newest first. */
    async list(
      actor: Actor,
      f: { status?: WarningStatus; topic?: string; limit?: number; after?: string } = {},
    ) {
      const scopePrefix = requireOpinionReader(actor);
      const limit = pageLimit(f.limit);
      const cursor = readCursor(f.after);
      const rows = await opinionRepo(store.repos).listWarnings({
        scopePrefix,
        status: f.status,
        topic: f.topic,
        limit,
        before: cursor && { openedAt: cursor.at, id: cursor.id },
      });
      const labels = await unitLabels(
        store.repos,
        rows.map((w) => w.unitCode),
      );
      const last = rows.length === limit ? rows.at(-1) : undefined;
      return {
        items: rows.map((w) => warningView(w, labels.get(w.unitCode))),
        nextCursor: last ? pageCursor(last.openedAt, last.id) : null,
      };
    },

    /** One warning with its evidence posts (masked); 404 outside the caller's scope. */
    async get(actor: Actor, id: string) {
      requireOpinionReader(actor);
      return fullView(await getVisible(actor, id));
    },

    /**
     * Finishes a confirmation whose request died after the case was made (Idempotency-Key replay):
     * links the case if that is still to do, else answers as the first run would have.
     */
    async resumeConfirm(actor: Actor, id: string, input: ConfirmInput, ctx: RequestContext) {
      requireOpinionManager(actor);
      const w = await getVisible(actor, id);
      if (w.status === 'open') return confirm(actor, id, input, ctx);
      const caseNumber = w.caseId ? ((await store.repos.cases.findById(w.caseId))?.number ?? '') : '';
      return { ...(await fullView(w)), caseNumber };
    },

    /** Dismisses an open warning with a reason (2–500 characters). */
    async dismiss(actor: Actor, id: string, reason: unknown, ctx: RequestContext) {
      requireOpinionManager(actor);
      await getVisible(actor, id);
      return decide(actor, ctx, id, (current) => ({
        ...dismissWarning(current, { reason, actorId: actor.userId }, clock.now()),
        unitPath: current.unitPath,
      }));
    },
  };
}

export type WarningService = ReturnType<typeof createWarningService>;
