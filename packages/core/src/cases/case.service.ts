import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope, unitScopePrefix } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { GovernanceService } from '../governance/governance.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import { maskText } from '../access/masking.js';
import { level1Of } from '../timelimits/index.js';
import { caseUnits } from './case-context.js';
import { initialCaseState, onTheSpotState } from './case-machine.js';
import type { CaseState } from './case-types.js';
import type { CaseRow, Channel, Priority } from './case-ports.js';
import { loopSettings } from './case-settings.js';
import { caseSummary, eventView, jointView, reportView } from './case-view.js';
import { createCaseActions } from './case-actions.js';
import { attachmentView, linkPhotos } from './attachments.js';
import { publishChange } from './case-effects.js';
import { findMatches, indexCase, loadMergeOptions, proposalCandidates } from '../merging/merge-candidates.js';
import { joinReport, recordProposals } from '../merging/merge-moves.js';
import { petitionFlags } from './petitions.js';

/** The department that follows every petition (区信访局). */
const PETITIONS_BUREAU = 'D03';

export interface IntakeInput {
  channel: Channel;
  text: string;
  location?: { lng: number; lat: number } | undefined;
  address?: string | undefined;
  category?: string | undefined;
  priority?: Priority | undefined;
  /** When there is no point: the community (or street/district) whose center receives the report. */
  unitCode?: string | undefined;
  reporter?: { name?: string | undefined; phone?: string | undefined } | undefined;
  externalId?: string | undefined;
  receivedAt?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  /** A grid worker resolved it on the spot: result text (and photo ids). */
  resolvedOnSpot?: { result: string; photos?: string[] | undefined } | undefined;
}

/** Channels each kind of reporter may use. */
const CHANNELS_OF_ROLE: Record<string, readonly Channel[]> = {
  gridWorker: ['grid'],
  gridLeader: ['grid'],
  gridInstructor: ['grid'],
  mediator: ['grid'],
  volunteer: ['grid'],
  communityOperator: ['grid', 'hotline', 'opinion', 'petition', 'resident', 'department'],
  streetOperator: ['grid', 'hotline', 'opinion', 'petition', 'resident', 'department'],
  districtOperator: ['grid', 'hotline', 'opinion', 'petition', 'resident', 'department'],
  departmentHandler: ['department'],
  leader: ['grid', 'hotline', 'opinion', 'petition', 'resident'],
  admin: ['grid', 'hotline', 'opinion', 'petition', 'resident', 'department'],
  resident: ['resident'],
};

/** Case numbers are `370112-YYYYMMDD-NNNNNN`, the date in China Standard Time. */
export function caseNumber(districtCode: string, at: Date, seq: number): string {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${districtCode}-${local}-${String(seq).padStart(6, '0')}`;
}

/** Every report creates or joins a case; cases are read within the caller's scope. */
export function createCaseService(deps: ServiceDeps, governance: GovernanceService) {
  const { store, clock } = deps;
  const actions = createCaseActions(deps);

  /** Is the case visible to the actor: unit scope, department participation, or own report. */
  async function canSee(actor: Actor, c: CaseRow): Promise<boolean> {
    if (actor.scope.kind === 'all') return true;
    if (actor.scope.kind === 'unit' && unitInScope(actor, c.unitPath)) return true;
    if (actor.scope.kind === 'department') {
      const dep = actor.scope.departmentId;
      if ((await store.repos.cases.departmentsOf(c.id)).some((d) => d.departmentId === dep)) return true;
    }
    const reports = await store.repos.cases.reportsOf(c.id);
    return reports.some((r) => r.createdBy === actor.userId);
  }

  async function getVisible(actor: Actor, id: string): Promise<CaseRow> {
    const c = await store.repos.cases.findById(id);
    if (!c || !(await canSee(actor, c))) throw new AppError('CASE_NOT_FOUND', `case ${id} not found`);
    return c;
  }

  async function view(actor: Actor, c: CaseRow) {
    const [reports, events, departments, grid, joints, attachments] = await Promise.all([
      store.repos.cases.reportsOf(c.id),
      store.repos.cases.eventsOf(c.id),
      store.repos.cases.departmentsOf(c.id),
      c.gridId ? store.repos.units.findById(c.gridId) : Promise.resolve(undefined),
      store.repos.joints.listOf(c.id),
      store.repos.attachments.listOf(c.id),
    ]);
    const state = c.state as CaseState;
    return {
      ...caseSummary(c, grid?.code ?? null),
      departments,
      reports: reports.map(reportView),
      timeline: events.map(eventView),
      jointHandlings: joints.map(jointView),
      attachments: attachments.map(attachmentView),
      visitOrder: state.visitOrder ?? null,
      visits: events.filter((e) => e.action === 'recordVisit').length,
      allowedActions: await actions.allowedFor(actor, c),
    };
  }

  return {
    view,
    getVisible,
    actions,

    /** Takes in one report from any line: finds its grid, creates the case, plans its timers. */
    async intake(actor: Actor, input: IntakeInput, ctx: RequestContext) {
      requirePermission(actor, 'reports:create');
      if (!(CHANNELS_OF_ROLE[actor.role] ?? []).includes(input.channel)) {
        throw validationError([
          { path: 'channel', reason: `a ${actor.role} cannot report on the ${input.channel} line` },
        ]);
      }
      if (input.externalId) {
        const dup = await store.repos.cases.findReportByExternalId(input.channel, input.externalId);
        if (dup)
          throw new AppError(
            'DUPLICATE',
            `report ${input.externalId} of the ${input.channel} line was already taken in`,
            { caseId: dup.caseId, reportId: dup.id },
          );
      }
      let unit;
      let gridId: string | null = null;
      if (input.location) {
        const loc = await governance.locate(input.location.lng, input.location.lat);
        if (!loc.basicGrid)
          throw new AppError('UNPROCESSABLE', 'the location lies outside the district', {
            issues: [{ path: 'location', reason: 'outside every grid' }],
          });
        unit = await store.repos.units.findByCode(loc.basicGrid.code);
        gridId = unit?.id ?? null;
      } else if (input.unitCode) {
        unit = await store.repos.units.findByCode(input.unitCode);
        if (unit?.level === 'basicGrid') gridId = unit.id;
        if (!unit || unit.level === 'dedicatedGrid')
          throw validationError([
            { path: 'unitCode', reason: 'must be a basic grid, community, street or district' },
          ]);
      } else {
        throw validationError([
          {
            path: 'location',
            reason: 'give a location, or the unitCode of the grid or center receiving the report',
          },
        ]);
      }
      if (!unit) throw new AppError('UNIT_NOT_FOUND', 'unit not found');
      const category = input.category ? await store.repos.categories.findByCode(input.category) : undefined;
      if (input.category && !category)
        throw validationError([{ path: 'category', reason: 'unknown category code' }]);
      const settings = await loopSettings(store);
      // smart routing (智能分拨): a suggestion for the operator when the reporter gave no category
      const routing = !category && deps.route ? await deps.route(input.text).catch(() => null) : null;
      const now = clock.now();
      const iso = now.toISOString();
      const units = await caseUnits(store.repos, { unitPath: unit.path });
      const receivingLevel =
        unit.level === 'district' ? 'district' : unit.level === 'street' ? 'street' : 'community';
      const receivingCenter = {
        unitId:
          receivingLevel === 'district'
            ? units.districtUnitId
            : receivingLevel === 'street'
              ? units.streetUnitId
              : units.communityUnitId,
        level: receivingLevel,
      } as const;
      let state: CaseState;
      if (input.resolvedOnSpot) {
        if (actor.role !== 'gridWorker' || !gridId || actor.unitId !== gridId)
          throw validationError([
            { path: 'resolvedOnSpot', reason: 'only the grid worker of this grid resolves on the spot' },
          ]);
        state = onTheSpotState({ receivingCenter, userId: actor.userId, gridUnitId: gridId });
      } else {
        state = initialCaseState({ receivingCenter });
      }
      const caseId = deps.ids.next();
      const reportId = deps.ids.next();
      const districtCode = unit.path.split('/').filter(Boolean)[0] ?? '000000';
      const result = await store.transaction(async (tx) => {
        // one problem, one case (一事一案): join an open case, or propose candidates to the operator
        const mergeOptions = await loadMergeOptions(tx);
        const matches = await findMatches(
          tx,
          {
            text: input.text,
            lng: input.location?.lng,
            lat: input.location?.lat,
            categoryCode: category?.code ?? null,
            gridId,
            unitPath: unit!.path,
            at: iso,
          },
          // a case resolved on the spot and a petition (信访) are never joined silently
          input.resolvedOnSpot || input.channel === 'petition'
            ? { ...mergeOptions, autoMerge: false }
            : mergeOptions,
        );
        if (matches.decision.kind === 'auto') {
          const joined = await joinReport(tx, deps, actor, ctx, {
            caseId: matches.decision.caseId,
            score: matches.decision.score,
            report: {
              id: reportId,
              channel: input.channel,
              externalId: input.externalId ?? null,
              reporterName: input.reporter?.name ?? null,
              reporterPhone: input.reporter?.phone ?? null,
              text: input.text,
              lng: input.location?.lng ?? null,
              lat: input.location?.lat ?? null,
              address: input.address ?? null,
              fields: { ...(input.fields ?? {}) },
              receivedAt: input.receivedAt ? new Date(input.receivedAt).toISOString() : iso,
              createdBy: actor.userId === 'system' ? null : actor.userId,
              createdAt: iso,
            },
            origin: { unitPath: unit!.path, gridId, categoryCode: category?.code ?? null },
            photos: Array.isArray(input.fields?.photos) ? [...new Set(input.fields.photos as string[])] : [],
          });
          if (joined)
            return {
              reportId,
              caseId: joined.id,
              caseNumber: joined.number,
              gridCode: gridId ? unit!.code : null,
              merge: { outcome: 'joined' as const, score: matches.decision.score, proposals: 0 },
            };
        }
        const seq = await tx.cases.nextNumber(caseNumber(districtCode, now, 0).slice(7, 15));
        const number = caseNumber(districtCode, now, seq);
        // recurrence: same category near a case closed within the window
        let repeatOf: string | null = null;
        if (category && input.location) {
          const d = settings.recurrence.radiusM / 111_000;
          const near = await tx.cases.findRecentClosedNear({
            categoryCode: category.code,
            since: new Date(now.getTime() - settings.recurrence.days * 86_400_000).toISOString(),
            bbox: [
              input.location.lng - d / Math.cos((input.location.lat * Math.PI) / 180),
              input.location.lat - d,
              input.location.lng + d / Math.cos((input.location.lat * Math.PI) / 180),
              input.location.lat + d,
            ],
            excludeId: caseId,
          });
          repeatOf = near[0]?.id ?? null;
        }
        // petitions (信访): repeat and collective flags, stricter limits, the petitions bureau follows
        const petition =
          input.channel === 'petition'
            ? await petitionFlags(
                tx,
                {
                  text: input.text,
                  phone: input.reporter?.phone ?? null,
                  people: Number(input.fields?.people ?? 1),
                  priority: input.priority,
                },
                `/${unit.path.split('/').filter(Boolean).slice(0, 3).join('/')}/`,
                now,
              )
            : null;
        const row: CaseRow = {
          id: caseId,
          number,
          status: state.status,
          version: state.version,
          state,
          priority: petition?.priority ?? input.priority ?? 'normal',
          categoryCode: category?.code ?? null,
          summary: input.text.slice(0, 300),
          channel: input.channel,
          lng: input.location?.lng ?? null,
          lat: input.location?.lat ?? null,
          address: input.address ?? null,
          gridId,
          unitId: unit!.id,
          unitPath: unit!.path,
          ...actions.handlerColumns(state),
          escalation: state.escalation,
          supervision: state.supervision,
          isPaused: false,
          acceptDueAt: null,
          handleDueAt: null,
          feedbackDueAt: null,
          repeatOf,
          mergedInto: null,
          reportCount: 1,
          createdAt: iso,
          updatedAt: iso,
          closedAt: null,
        };
        await tx.cases.insertCase(row);
        const bureau = petition ? await tx.departments.findByCode(PETITIONS_BUREAU) : undefined;
        if (bureau) await tx.cases.addWatcher(caseId, bureau.id);
        await tx.cases.insertReport({
          id: reportId,
          caseId,
          channel: input.channel,
          externalId: input.externalId ?? null,
          reporterName: input.reporter?.name ?? null,
          reporterPhone: input.reporter?.phone ?? null,
          text: input.text,
          lng: input.location?.lng ?? null,
          lat: input.location?.lat ?? null,
          address: input.address ?? null,
          fields: {
            ...(input.fields ?? {}),
            ...(petition && {
              petition: {
                collective: petition.collective,
                repeatByPerson: petition.repeatByPerson,
                repeatByMatter: petition.repeatByMatter,
              },
            }),
            ...(input.resolvedOnSpot && { resolvedOnSpot: input.resolvedOnSpot }),
            ...(routing && { routing }),
          },
          // stored as UTC like every instant; callers may send a China-time offset
          receivedAt: input.receivedAt ? new Date(input.receivedAt).toISOString() : iso,
          createdBy: actor.userId === 'system' ? null : actor.userId,
          createdAt: iso,
        });
        const photos = [
          ...(Array.isArray(input.fields?.photos) ? (input.fields.photos as string[]) : []),
          ...(input.resolvedOnSpot?.photos ?? []),
        ];
        await linkPhotos(tx, actor, caseId, [...new Set(photos)], 'body.photos');
        const eventId = deps.ids.next();
        await tx.cases.insertEvent({
          id: eventId,
          caseId,
          version: state.version,
          at: iso,
          actorId: actor.userId === 'system' ? null : actor.userId,
          actorRole: actor.role,
          action: input.resolvedOnSpot ? 'resolveOnSpot' : 'report',
          fromStatus: null,
          toStatus: state.status,
          payload: {
            channel: input.channel,
            reportId,
            ...(repeatOf && { repeatOf }),
            ...(petition?.collective && { collective: true }),
            ...(petition &&
              (petition.repeatByPerson.length > 0 || petition.repeatByMatter.length > 0) && {
                repeatPetition: [...new Set([...petition.repeatByPerson, ...petition.repeatByMatter])],
              }),
            ...(input.resolvedOnSpot && { result: input.resolvedOnSpot.result }),
          },
        });
        if (bureau)
          await tx.inbox.insertMany([
            {
              id: deps.ids.next(),
              userId: null,
              unitId: null,
              departmentId: bureau.id,
              caseId,
              kind: petition?.collective ? 'collectivePetition' : 'newPetition',
              title: `${number} ${petition?.collective ? '集体访' : '信访'}：${maskText(input.text.slice(0, 50))}`,
              createdAt: iso,
              readAt: null,
            },
          ]);
        await tx.inbox.insertMany([
          {
            id: deps.ids.next(),
            userId: null,
            unitId: receivingCenter.unitId,
            departmentId: null,
            caseId,
            kind: input.resolvedOnSpot ? 'verifyDue' : 'newReport',
            title: `${number} ${maskText(input.text.slice(0, 60))}`,
            createdAt: iso,
            readAt: null,
          },
        ]);
        await indexCase(tx, caseId, input.text, iso, matches);
        const proposals = await recordProposals(tx, deps, row, proposalCandidates(matches), iso);
        await publishChange(tx, deps, row, 'report', eventId, iso);
        await audit(tx, deps, actor, ctx, 'case.report', 'case', caseId, {
          number,
          channel: input.channel,
          reportId,
          level1: category ? level1Of(category.code) : null,
        });
        return {
          reportId,
          caseId,
          caseNumber: number,
          gridCode: gridId ? unit!.code : null,
          ...(proposals[0] && {
            merge: { outcome: 'proposed' as const, score: proposals[0].score, proposals: proposals.length },
          }),
        };
      });
      return result;
    },

    /** One case with reports, timeline and the actions the caller may take now. */
    async get(actor: Actor, id: string) {
      return view(actor, await getVisible(actor, id));
    },

    /** Cases in scope, newest first, keyset-paginated; queues are filters on status and handler. */
    async list(
      actor: Actor,
      f: {
        queue?: 'mine' | 'toRegister' | 'toDispatch' | 'toVerify' | 'overdue' | 'open' | 'closed';
        channel?: Channel;
        limit?: number;
        before?: string;
      },
    ) {
      requirePermission(actor, 'cases:read');
      const limit = Math.min(f.limit ?? 50, 200);
      const prefix = unitScopePrefix(actor);
      // residents (no unit scope) see the cases they reported
      const scope =
        actor.scope.kind === 'department'
          ? { departmentId: actor.scope.departmentId }
          : prefix
            ? { scopePrefix: prefix }
            : { reportedBy: actor.userId };
      const OPEN = ['reported', 'registered', 'dispatched', 'handling', 'verifying', 'verified'];
      const now = clock.now().toISOString();
      const queue = f.queue ?? 'open';
      const filter = {
        ...scope,
        ...(f.channel && { channel: f.channel }),
        ...(queue === 'toRegister' && { status: ['reported'] }),
        ...(queue === 'toDispatch' && { status: ['registered'] }),
        ...(queue === 'toVerify' && { status: ['verifying', 'verified'] }),
        ...(queue === 'open' && { status: OPEN }),
        ...(queue === 'closed' && { status: ['closed', 'evaluated'] }),
        ...(queue === 'overdue' && { overdue: { now } }),
        ...(queue === 'mine' && {
          status: OPEN,
          ...(actor.role === 'gridWorker'
            ? { handlerUserId: actor.userId }
            : { handlerUnitId: actor.unitId ?? '-' }),
        }),
      };
      let before: { createdAt: string; id: string } | undefined;
      if (f.before) {
        const [createdAt, id] = Buffer.from(f.before, 'base64url').toString().split('|');
        if (!createdAt || !id)
          throw validationError([{ path: 'before', reason: 'not a cursor from this list' }]);
        before = { createdAt, id };
      }
      const rows = await store.repos.cases.list({ ...filter, limit, ...(before && { before }) });
      const last = rows[rows.length - 1];
      return {
        items: rows.map((c) => caseSummary(c, null)),
        nextCursor:
          rows.length === limit && last
            ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url')
            : null,
      };
    },

    /** The caller's inbox: tasks and notices for them, their center or their department. */
    async inbox(actor: Actor, opts: { unreadOnly?: boolean; limit?: number }) {
      return store.repos.inbox.listFor(
        { userId: actor.userId, unitId: actor.unitId, departmentId: actor.departmentId },
        Math.min(opts.limit ?? 50, 200),
        opts.unreadOnly ?? false,
      );
    },

    /** The community ledger (台账): every open case in the community's grids with owner, due date and state. */
    async ledger(actor: Actor, communityCode: string) {
      requirePermission(actor, 'cases:read');
      const community = await store.repos.units.findByCode(communityCode);
      if (!community || community.level !== 'community' || !unitInScope(actor, community.path))
        throw new AppError('UNIT_NOT_FOUND', `community ${communityCode} not found`);
      const [rows, joints] = await Promise.all([
        store.repos.cases.list({
          scopePrefix: community.path,
          status: ['reported', 'registered', 'dispatched', 'handling', 'verifying', 'verified'],
          limit: 5000,
        }),
        store.repos.joints.listOpen(community.path, 5000),
      ]);
      const byId = new Map(rows.map((c) => [c.id, c]));
      const caseItems = rows.map((c) => ({
        kind: 'case' as const,
        caseId: c.id,
        number: c.number,
        jointNo: null,
        summary: maskText(c.summary),
        status: c.status,
        owner: c.handlerKind,
        ownerId: c.handlerUserId ?? c.handlerUnitId ?? c.handlerDepartmentId,
        dueAt: c.handleDueAt ?? c.acceptDueAt,
        supervision: c.supervision,
        checkedOff: false,
      }));
      // an open joint handling is its own line: convened by someone, meeting at a time and place
      const jointItems = joints.map((j) => {
        const c = byId.get(j.caseId);
        return {
          kind: 'joint' as const,
          caseId: j.caseId,
          number: c?.number ?? '',
          jointNo: j.jointNo,
          summary: `联合处置 #${j.jointNo}：${j.place}（${j.participants.map((p) => p.name).join('、')}）`,
          status: 'open',
          owner: 'user',
          ownerId: j.convenedBy,
          dueAt: j.meetsAt,
          supervision: c?.supervision ?? 'none',
          checkedOff: false,
        };
      });
      return {
        community: { code: community.code, name: community.name },
        items: [...caseItems, ...jointItems],
      };
    },

    /** The ledger's check-off history (销号记录): what left the ledger, when and by whom. */
    async ledgerHistory(
      actor: Actor,
      communityCode: string,
      opts: { from?: string; to?: string; limit?: number },
    ) {
      requirePermission(actor, 'cases:read');
      const community = await store.repos.units.findByCode(communityCode);
      if (!community || community.level !== 'community' || !unitInScope(actor, community.path))
        throw new AppError('UNIT_NOT_FOUND', `community ${communityCode} not found`);
      const rows = await store.repos.ledger.listCheckoffs(community.path, {
        ...(opts.from && { from: new Date(opts.from).toISOString() }),
        ...(opts.to && { to: new Date(opts.to).toISOString() }),
        limit: Math.min(opts.limit ?? 200, 5000),
      });
      return {
        community: { code: community.code, name: community.name },
        items: rows.map((r) => ({
          kind: r.itemKind,
          caseId: r.caseId,
          jointNo: r.jointNo,
          title: maskText(r.title),
          checkedAt: r.checkedAt,
          checkedBy: r.checkedBy,
          note: r.note === null ? null : maskText(r.note),
        })),
      };
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
