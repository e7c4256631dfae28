import type { Actor } from '../access/actor.js';
import { SYSTEM_ACTOR, unitInScope } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { Repositories } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import { level1Of, resolveTimeLimit, shiftForPause } from '../timelimits/index.js';
import { caseActorOf, caseUnits } from './case-context.js';
import { allowedActions, transition } from './case-machine.js';
import type { CaseState } from './case-types.js';
import type { CaseRow, InboxRow } from './case-ports.js';
import { linkPhotos } from './attachments.js';
import { applyEffects, publishChange, visitOverdue } from './case-effects.js';
import { indexCase } from '../merging/merge-candidates.js';
import { onCaseMerged } from '../merging/merge-moves.js';
import { loopSettings } from './case-settings.js';
import type { LoopSettings } from './case-settings.js';
import type { PlannedTimer } from './case-timers.js';
import { phaseDue, phaseTimers, revisitTimer, sameDayTimer } from './case-timers.js';

const OPEN = new Set(['reported', 'registered', 'dispatched', 'handling', 'verifying', 'verified']);

/** Actions on cases: one transaction each — case, timeline event, audit row, timers, inbox. */
export function createCaseActions(deps: ServiceDeps) {
  const { store, clock } = deps;

  /** The denormalised handler columns of a state (for queues and the inbox). */
  function handlerColumns(s: CaseState) {
    const h = s.handler;
    return {
      handlerKind: h?.kind ?? null,
      handlerUserId: h?.kind === 'user' ? h.userId : null,
      handlerUnitId: h?.kind === 'user' ? h.unitId : h?.kind === 'center' ? h.unitId : null,
      handlerDepartmentId: h?.kind === 'departments' ? h.leadDepartmentId : null,
      dispatcherUnitId: s.dispatcher?.unitId ?? null,
    };
  }

  /** Inbox rows telling the new handler (a person, a center or a department) about the case. */
  function notifyHandler(s: CaseState, c: CaseRow, kind: string, title: string, at: string): InboxRow[] {
    const h = s.handler;
    if (!h) return [];
    const base = {
      id: deps.ids.next(),
      caseId: c.id,
      kind,
      title: `${c.number} ${title}`,
      createdAt: at,
      readAt: null,
    };
    if (h.kind === 'user') return [{ ...base, userId: h.userId, unitId: null, departmentId: null }];
    if (h.kind === 'center') return [{ ...base, userId: null, unitId: h.unitId, departmentId: null }];
    return [h.leadDepartmentId, ...h.assistingDepartmentIds].map((d, i) => ({
      ...base,
      id: i === 0 ? base.id : deps.ids.next(),
      userId: null,
      unitId: null,
      departmentId: d,
    }));
  }

  /** Plans timers after an action: deadlines, warnings, cards, the same-day rule, revisits.
   * Timers follow the action, not the resulting status: a card or a note must not restart a clock. */
  function planTimers(
    before: CaseRow,
    after: CaseState,
    action: string,
    payload: Record<string, unknown>,
    now: Date,
    settings: LoopSettings,
  ) {
    const limit = resolveTimeLimit(
      settings.timeLimitRules,
      before.categoryCode ? level1Name(before) : undefined,
      before.priority,
    );
    const cal = settings.calendar;
    const add: PlannedTimer[] = [];
    const due: Partial<Pick<CaseRow, 'acceptDueAt' | 'handleDueAt' | 'feedbackDueAt'>> = {};
    let cancelKinds: string[] | 'all' | null = null;
    const phaseKinds = (p: string) => ['warn50', 'warn75', 'breach', 'red'].map((m) => `${p}.${m}`);
    switch (action) {
      case 'dispatch':
      case 'escalate':
        // a new handler: the accept and handle clocks start again for them
        cancelKinds = 'all';
        add.push(
          ...phaseTimers('accept', now, limit.acceptHours, limit.mode, cal),
          ...phaseTimers('handle', now, limit.handleHours, limit.mode, cal),
        );
        due.acceptDueAt = phaseDue(now, limit.acceptHours, limit.mode, cal);
        due.handleDueAt = phaseDue(now, limit.handleHours, limit.mode, cal);
        due.feedbackDueAt = null;
        if (settings.sameDayEscalation && after.handler?.kind === 'user') add.push(sameDayTimer(now, cal));
        break;
      case 'accept':
        cancelKinds = phaseKinds('accept');
        due.acceptDueAt = null;
        break;
      case 'feedback':
        cancelKinds = 'all';
        add.push(...phaseTimers('verify', now, limit.feedbackHours, limit.mode, cal));
        due.feedbackDueAt = phaseDue(now, limit.feedbackHours, limit.mode, cal);
        break;
      case 'verify':
        cancelKinds = 'all';
        if (after.status === 'handling') {
          // failed verification: the handler works again, on a fresh handling clock
          add.push(...phaseTimers('handle', now, limit.handleHours, limit.mode, cal));
          due.handleDueAt = phaseDue(now, limit.handleHours, limit.mode, cal);
        }
        due.feedbackDueAt = null;
        break;
      case 'pause':
        cancelKinds = phaseKinds('handle');
        break;
      case 'resume':
        if (before.handleDueAt) {
          const since = (before.state as CaseState).paused?.since;
          const moved = since
            ? shiftForPause(new Date(before.handleDueAt), new Date(since), now, limit.mode, cal)
            : new Date(before.handleDueAt);
          due.handleDueAt = moved.toISOString();
          add.push({
            kind: 'handle.breach',
            dueAt: moved.toISOString(),
            payload: { phase: 'handle', marker: 'breach' },
          });
        }
        break;
      case 'decideExtension':
        if (payload.approved === true && before.handleDueAt) {
          const hours = Number((before.state as CaseState).pendingExtension?.hours ?? 0);
          const moved = phaseDue(new Date(before.handleDueAt), hours, limit.mode, cal);
          cancelKinds = phaseKinds('handle');
          due.handleDueAt = moved;
          add.push({ kind: 'handle.breach', dueAt: moved, payload: { phase: 'handle', marker: 'breach' } });
        }
        break;
      case 'close':
        cancelKinds = 'all';
        add.push(revisitTimer(now, settings.revisitAfterHours));
        break;
      case 'return':
      case 'reject':
      case 'cancel':
      case 'merge':
      case 'reopen':
        cancelKinds = 'all';
        due.acceptDueAt = null;
        due.handleDueAt = null;
        due.feedbackDueAt = null;
        break;
      default:
        // register, note, supervise, recordVisit, requestExtension, evaluate: no clock changes
        break;
    }
    if (!OPEN.has(after.status) && action !== 'close') cancelKinds = 'all';
    return { cancelKinds, add, due };
  }

  function level1Name(c: CaseRow): string | undefined {
    return (c as CaseRow & { level1Name?: string }).level1Name;
  }

  /** Applies one action to a case inside the caller's transaction. */
  async function applyInTx(
    tx: Repositories,
    actor: Actor,
    c: CaseRow,
    action: string,
    payload: unknown,
    ctx: RequestContext,
    settings: LoopSettings,
  ) {
    const now = clock.now();
    const at = now.toISOString();
    const inScope =
      actor.scope.kind === 'all' || (actor.scope.kind === 'unit' && unitInScope(actor, c.unitPath));
    const caseActor = await caseActorOf(tx, actor, inScope);
    const units = await caseUnits(tx, c);
    const level1 = c.categoryCode ? await tx.categories.findByCode(level1Of(c.categoryCode)) : undefined;
    const before: CaseRow & { level1Name?: string } = { ...c, ...(level1 && { level1Name: level1.name }) };
    await validateTargets(tx, action, payload, actor);
    const { state, event } = transition(
      c.state as CaseState,
      action as never,
      payload,
      caseActor,
      { ...units, caseId: c.id },
      at,
    );
    const plan = planTimers(before, state, action, (payload ?? {}) as Record<string, unknown>, now, settings);
    const p = (payload ?? {}) as Record<string, unknown>;
    const next: CaseRow = {
      ...c,
      status: state.status,
      version: state.version,
      state,
      ...handlerColumns(state),
      escalation: state.escalation,
      supervision: state.supervision,
      isPaused: !!state.paused,
      ...(action === 'register' && typeof p.categoryCode === 'string' && { categoryCode: p.categoryCode }),
      ...(action === 'register' &&
        typeof p.priority === 'string' && { priority: p.priority as CaseRow['priority'] }),
      ...plan.due,
      mergedInto: state.mergedInto,
      updatedAt: at,
      closedAt: state.status === 'closed' ? at : state.status === 'registered' ? null : c.closedAt,
    };
    if (!(await tx.cases.updateCase(next, c.version))) {
      throw new AppError('VERSION_CONFLICT', 'the case changed meanwhile; reload it', {
        currentVersion: c.version + 1,
      });
    }
    const eventId = deps.ids.next();
    await tx.cases.insertEvent({
      id: eventId,
      caseId: c.id,
      version: state.version,
      at,
      actorId: actor.userId === 'system' ? null : actor.userId,
      actorRole: actor.userId === 'system' ? 'system' : actor.role,
      action,
      fromStatus: c.status,
      toStatus: state.status,
      payload: event.payload,
    });
    if (action === 'dispatch' && state.handler?.kind === 'departments') {
      await tx.cases.setDepartments(
        c.id,
        state.handler.leadDepartmentId,
        state.handler.assistingDepartmentIds,
      );
    }
    if (plan.cancelKinds)
      await tx.timers.cancelForCase(c.id, at, plan.cancelKinds === 'all' ? undefined : plan.cancelKinds);
    if (plan.add.length)
      await tx.timers.insertMany(
        plan.add.map((t) => ({ ...t, id: deps.ids.next(), caseId: c.id, createdAt: at })),
      );
    const handlerChanged = JSON.stringify((c.state as CaseState).handler) !== JSON.stringify(state.handler);
    if (handlerChanged || action === 'escalate') {
      await tx.inbox.insertMany(
        notifyHandler(
          state,
          next,
          action === 'escalate' ? 'escalated' : 'assigned',
          action === 'escalate' ? `上级呼叫：${String(p.reason ?? '')}` : '新的待办事件',
          at,
        ),
      );
    }
    const photos = event.payload.photos;
    if (Array.isArray(photos)) await linkPhotos(tx, actor, c.id, photos as string[], 'payload.photos');
    await applyEffects(tx, deps, actor, next, action, event.payload, at);
    // 一事一案: the merged case's reports move to the case it was merged into (undoable)
    if (action === 'merge' && next.mergedInto)
      await onCaseMerged(tx, deps, actor, ctx, next, next.mergedInto);
    // the prune took the closed case out of the merge index: it is a candidate again
    if (action === 'reopen') await indexCase(tx, next.id, next.summary, at);
    await publishChange(tx, deps, next, action, eventId, at);
    await audit(tx, deps, actor, ctx, `case.${action}`, 'case', c.id, {
      number: c.number,
      from: c.status,
      to: state.status,
      version: state.version,
    });
    return next;
  }

  /** Checks that dispatch targets exist (the machine checks their kind and level). */
  async function validateTargets(tx: Repositories, action: string, payload: unknown, actor: Actor) {
    if (action !== 'dispatch') return;
    const t = (payload as { target?: Record<string, unknown> } | null)?.target;
    if (!t || typeof t !== 'object') return;
    if (t.kind === 'user') {
      const u = typeof t.userId === 'string' ? await tx.users.findById(t.userId) : undefined;
      if (!u || u.role !== 'gridWorker' || !u.unitId)
        throw validationError([{ path: 'payload.target.userId', reason: 'must be a grid worker' }]);
      const grid = await tx.units.findById(u.unitId);
      if (!grid || !unitInScope(actor, grid.path))
        throw validationError([
          { path: 'payload.target.userId', reason: 'the grid worker is outside your scope' },
        ]);
      t.unitId = grid.id;
    } else if (t.kind === 'center') {
      const unit = typeof t.unitId === 'string' ? await tx.units.findById(t.unitId) : undefined;
      if (
        !unit ||
        !unitInScope(actor, unit.path) ||
        !['community', 'street', 'district'].includes(unit.level)
      )
        throw validationError([{ path: 'payload.target.unitId', reason: 'must be a center in your scope' }]);
      t.level = unit.level;
    } else if (t.kind === 'departments') {
      const ids = [
        t.leadDepartmentId,
        ...(Array.isArray(t.assistingDepartmentIds) ? t.assistingDepartmentIds : []),
      ];
      for (const [i, id] of ids.entries()) {
        if (typeof id !== 'string' || !(await tx.departments.findById(id)))
          throw validationError([
            {
              path:
                i === 0
                  ? 'payload.target.leadDepartmentId'
                  : `payload.target.assistingDepartmentIds.${i - 1}`,
              reason: 'unknown department',
            },
          ]);
      }
    }
  }

  return {
    handlerColumns,

    /** The actions this actor may take on the case now. */
    async allowedFor(actor: Actor, c: CaseRow): Promise<string[]> {
      const inScope =
        actor.scope.kind === 'all' || (actor.scope.kind === 'unit' && unitInScope(actor, c.unitPath));
      const caseActor = await caseActorOf(store.repos, actor, inScope);
      const units = await caseUnits(store.repos, c);
      const list: string[] = allowedActions(c.state as CaseState, caseActor, { ...units, caseId: c.id });
      const canRevisit =
        ['closed', 'evaluated'].includes(c.status) &&
        (actor.role === 'gridWorker'
          ? c.gridId === actor.unitId
          : ['communityOperator', 'streetOperator', 'districtOperator', 'admin'].includes(actor.role) &&
            inScope);
      return canRevisit ? [...list, 'revisit'] : list;
    },

    /** Performs one action with optimistic concurrency (If-Match: version). */
    async act(
      actor: Actor,
      c: CaseRow,
      action: string,
      payload: unknown,
      ifMatch: number | null,
      ctx: RequestContext,
    ) {
      const settings = await loopSettings(store);
      return store.transaction(async (tx) => {
        const current = await tx.cases.findById(c.id, true);
        if (!current) throw new AppError('CASE_NOT_FOUND', 'case not found');
        if (ifMatch !== null && current.version !== ifMatch) {
          throw new AppError(
            'VERSION_CONFLICT',
            `the case is at version ${current.version}, not ${ifMatch}`,
            { currentVersion: current.version, status: current.status },
          );
        }
        return applyInTx(tx, actor, current, action, payload, ctx, settings);
      });
    },

    /** Records a revisit (回访); a dissatisfied resident reopens the case to the level that closed it. */
    async revisit(
      actor: Actor,
      c: CaseRow,
      input: {
        method: 'phone' | 'visit' | 'online';
        satisfaction: 'satisfied' | 'basicallySatisfied' | 'dissatisfied';
        comment?: string | undefined;
      },
      ifMatch: number | null,
      ctx: RequestContext,
    ) {
      const allowed = await this.allowedFor(actor, c);
      if (!allowed.includes('revisit')) {
        throw new AppError(
          OPEN.has(c.status) ? 'TRANSITION_NOT_ALLOWED' : 'FORBIDDEN',
          'a revisit is for closed cases, by their grid worker or a center',
          { allowed },
        );
      }
      const settings = await loopSettings(store);
      return store.transaction(async (tx) => {
        const current = await tx.cases.findById(c.id, true);
        if (!current) throw new AppError('CASE_NOT_FOUND', 'case not found');
        if (ifMatch !== null && current.version !== ifMatch)
          throw new AppError('VERSION_CONFLICT', `the case is at version ${current.version}`, {
            currentVersion: current.version,
          });
        const at = clock.now().toISOString();
        const state = { ...(current.state as CaseState), version: current.version + 1 };
        const next: CaseRow = { ...current, version: state.version, state, updatedAt: at };
        if (!(await tx.cases.updateCase(next, current.version)))
          throw new AppError('VERSION_CONFLICT', 'the case changed meanwhile');
        const eventId = deps.ids.next();
        await tx.cases.insertEvent({
          id: eventId,
          caseId: c.id,
          version: state.version,
          at,
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'revisit',
          fromStatus: current.status,
          toStatus: current.status,
          payload: input,
        });
        await tx.timers.cancelForCase(c.id, at, ['revisit']);
        await publishChange(tx, deps, next, 'revisit', eventId, at);
        await audit(tx, deps, actor, ctx, 'case.revisit', 'case', c.id, { satisfaction: input.satisfaction });
        if (input.satisfaction !== 'dissatisfied') return next;
        // the resident is not satisfied: the case goes back to the level that closed it
        return applyInTx(
          tx,
          SYSTEM_ACTOR,
          next,
          'reopen',
          { reason: `回访不满意：${input.comment ?? ''}`.slice(0, 500) },
          ctx,
          settings,
        );
      });
    },

    /** Fires one claimed timer: warnings, supervision cards, same-day escalation, revisit tasks. */
    async fire(timer: { id: string; caseId: string; kind: string; payload: Record<string, unknown> }) {
      const settings = await loopSettings(store);
      const ctx: RequestContext = { requestId: `timer:${timer.id}` };
      return store.transaction(async (tx) => {
        if (!(await tx.timers.markFired(timer.id, clock.now().toISOString()))) return 'stale';
        const c = await tx.cases.findById(timer.caseId, true);
        if (!c || (!OPEN.has(c.status) && timer.kind !== 'revisit')) return 'closed';
        const at = clock.now().toISOString();
        const [phase, marker] = timer.kind.split('.');
        const notify = async (kind: string, title: string) =>
          tx.inbox.insertMany(notifyHandler(c.state as CaseState, c, kind, title, at));
        if (timer.kind === 'revisit') {
          const target = c.gridId
            ? await tx.users.list({ scopePrefix: c.unitPath, role: 'gridWorker', limit: 1 })
            : [];
          await tx.inbox.insertMany([
            {
              id: deps.ids.next(),
              userId: target[0]?.id ?? null,
              unitId: target[0] ? null : ((c.state as CaseState).closedBy?.unitId ?? c.unitId),
              departmentId: null,
              caseId: c.id,
              kind: 'revisitDue',
              title: `${c.number} 回访到期`,
              createdAt: at,
              readAt: null,
            },
          ]);
          return 'revisitDue';
        }
        if (timer.kind === 'visit.due') return visitOverdue(tx, deps, c, at);
        if (timer.kind === 'sameDay') {
          const s = c.state as CaseState;
          if (s.handler?.kind !== 'user' || !['dispatched', 'handling'].includes(c.status)) return 'skipped';
          // on behalf of the grid: the grid's own day is over, so the community is called
          const gridActor: Actor = {
            ...SYSTEM_ACTOR,
            userId: s.handler.userId,
            role: 'gridWorker',
            unitId: s.handler.unitId,
            scope: { kind: 'unit', unitId: s.handler.unitId, path: c.unitPath },
          };
          await applyInTx(
            tx,
            gridActor,
            c,
            'escalate',
            { reason: '当日未办结，自动呼叫上级（格呼街应）' },
            ctx,
            settings,
          );
          return 'escalated';
        }
        const relevant =
          (phase === 'accept' && c.status === 'dispatched') ||
          (phase === 'handle' && ['dispatched', 'handling'].includes(c.status)) ||
          (phase === 'verify' && c.status === 'verifying');
        if (!relevant || c.isPaused) return 'skipped';
        if (marker === 'warn50' || marker === 'warn75') {
          await notify(
            'dueSoon',
            `${phase === 'accept' ? '签收' : phase === 'handle' ? '办理' : '核查'}时限已过${marker === 'warn50' ? '50%' : '75%'}`,
          );
          return marker;
        }
        const level = marker === 'red' ? 'red' : 'yellow';
        await applyInTx(
          tx,
          SYSTEM_ACTOR,
          c,
          'supervise',
          {
            level,
            reason: `${phase}时限${marker === 'red' ? '超过两倍' : '已到'}，自动${level === 'red' ? '红牌' : '黄牌'}督办`,
          },
          ctx,
          settings,
        );
        await notify('overdue', level === 'red' ? '红牌督办：严重超时' : '黄牌督办：已超时');
        return level;
      });
    },
  };
}
