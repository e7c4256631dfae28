import type { Actor } from '../access/actor.js';
import { SYSTEM_ACTOR } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { CaseService } from '../cases/case.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import type { TextHasher } from './otp.js';
import type { ResidentReportRow, SmsProvider } from './resident-ports.js';
import { createResidentLogin } from './resident-login.js';
import { basicGridOf, posterGrids, publicGrid } from './resident-grids.js';
import { ensureTracked, residentRepo } from './resident-store.js';
import { RESIDENT_STATUS_LABELS, canRate, progressView } from './resident-view.js';
import { newTrackingCode, normalizeTrackingCode } from './tracking.js';

export interface ResidentServiceOptions {
  cases: CaseService;
  sms: SmsProvider;
  /** SHA-256 (hex) of text: one-time codes are stored only hashed. */
  hash: TextHasher;
}

export interface ResidentReportInput {
  text: string;
  location?: { lng: number; lat: number } | undefined;
  address?: string | undefined;
  photos?: string[] | undefined;
}

export type Satisfaction = 'satisfied' | 'basicallySatisfied' | 'dissatisfied';

/** The case actions' revisit input. Its `method` names phone | visit; a rating on the page is 'online'. */
type RevisitInput = Parameters<CaseService['actions']['revisit']>[2];

/** The answer to a new report. */
const created = (row: ResidentReportRow, caseNumber: string) => ({
  trackingCode: row.trackingCode,
  caseNumber,
  gridCode: row.gridCode,
  status: 'reported',
  statusLabel: RESIDENT_STATUS_LABELS.reported ?? 'reported',
});

const notFound = () => new AppError('NOT_FOUND', 'no report with this tracking code');

/** Throws FORBIDDEN unless the caller is a resident (staff report on their own lines). */
function requireResident(actor: Actor): void {
  if (actor.role !== 'resident')
    throw new AppError('FORBIDDEN', 'only residents use the resident line', { role: actor.role });
}

/**
 * The resident line (一群通办): login by a code sent to the phone, reports through a grid's QR
 * code with a tracking code, public progress by that code, and the resident's rating of the result.
 */
export function createResidentService(deps: ServiceDeps, opts: ResidentServiceOptions) {
  const { store, clock } = deps;

  async function progressOf(row: ResidentReportRow) {
    const c = await store.repos.cases.findById(row.caseId);
    if (!c) throw notFound();
    const [events, grid] = await Promise.all([
      store.repos.cases.eventsOf(c.id),
      store.repos.units.findByCode(row.gridCode),
    ]);
    return progressView(row, c, events, grid ? { code: grid.code, name: grid.name } : null);
  }

  return {
    ...createResidentLogin(deps, opts),

    /** A grid's public facts (its resident page and QR code); UNIT_NOT_FOUND unless a basic grid. */
    grid: (code: string) => publicGrid(store.repos, code),

    /** The grids of a poster file: one grid, or every grid of a community, in the caller's scope. */
    posterGrids: (actor: Actor, which: { community?: string; grid?: string }) =>
      posterGrids(store.repos, actor, which),

    /** Reports a problem through a grid's resident page; returns the tracking code (查询码). */
    async report(actor: Actor, gridCode: string, input: ResidentReportInput, ctx: RequestContext) {
      requireResident(actor);
      const grid = await basicGridOf(store.repos, gridCode);
      const user = await store.repos.users.findById(actor.userId);
      const trackingCode = newTrackingCode(deps.randomBytes(7));
      const r = await opts.cases.intake(
        actor,
        {
          channel: 'resident',
          text: input.text,
          location: input.location,
          address: input.address,
          // without a point the report goes to the grid whose QR code was scanned
          unitCode: input.location ? undefined : grid.code,
          reporter: { phone: user?.phone ?? undefined },
          // in the report itself, so the code is committed with the case (see the IM repair path)
          fields: {
            trackingCode,
            viaGrid: grid.code,
            ...(input.photos && input.photos.length > 0 && { photos: input.photos }),
          },
        },
        ctx,
      );
      const row: ResidentReportRow = {
        trackingCode,
        caseId: r.caseId,
        reportId: r.reportId,
        userId: actor.userId,
        gridCode: grid.code,
        source: 'page',
        createdAt: clock.now().toISOString(),
        ratedAt: null,
        satisfaction: null,
      };
      // 50 random bits: a collision is not expected, but it must not pass silently
      if (!(await residentRepo(store.repos).insertReport(row)))
        throw new AppError('CONFLICT', 'tracking code collision; send the report again');
      return created(row, r.caseNumber);
    },

    /**
     * The answer to a report whose intake committed but whose response was lost (a retry with the
     * same Idempotency-Key): from the intake's stored result, writing the tracking row if missing.
     */
    async reportCommitted(actor: Actor, stored: { caseId: string; reportId: string; caseNumber: string }) {
      requireResident(actor);
      const report = (await store.repos.cases.reportsOf(stored.caseId)).find((x) => x.id === stored.reportId);
      if (!report || report.createdBy !== actor.userId) throw notFound();
      const via = report.fields.viaGrid;
      const row = await ensureTracked(store.repos, report, {
        userId: actor.userId,
        gridCode: typeof via === 'string' ? via : '',
        source: 'page',
      });
      return created(row, stored.caseNumber);
    },

    /** Public progress by tracking code: status and milestones, nothing about staff or other reporters. */
    async track(code: string) {
      const tc = normalizeTrackingCode(code);
      const row = tc ? await residentRepo(store.repos).findReport(tc) : undefined;
      if (!row) throw notFound();
      return progressOf(row);
    },

    /** The caller's own reports, newest first. */
    async myReports(actor: Actor, opts2: { limit?: number; after?: string } = {}) {
      requireResident(actor);
      const limit = Math.min(Math.max(opts2.limit ?? 20, 1), 50);
      let before: { createdAt: string; trackingCode: string } | undefined;
      if (opts2.after) {
        const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([A-Z2-7]{10})$/.exec(opts2.after);
        if (!m) throw validationError([{ path: 'after', reason: 'not a cursor of this list' }]);
        before = { createdAt: m[1]!, trackingCode: m[2]! };
      }
      const rows = await residentRepo(store.repos).listReportsOf(actor.userId, limit, before);
      const items = await Promise.all(rows.map(progressOf));
      const last = rows[rows.length - 1];
      return {
        items,
        nextCursor: rows.length === limit && last ? `${last.createdAt}_${last.trackingCode}` : null,
      };
    },

    /**
     * The reporter rates the result of a closed case. It is recorded as the case's revisit (回访),
     * made by the system on the reporter's behalf; a dissatisfied rating reopens the case.
     */
    async rate(
      actor: Actor,
      code: string,
      input: { satisfaction: Satisfaction; comment?: string | undefined },
      ctx: RequestContext,
    ) {
      requireResident(actor);
      const tc = normalizeTrackingCode(code);
      const repo = residentRepo(store.repos);
      const row = tc ? await repo.findReport(tc) : undefined;
      // someone else's report answers like no report: its existence does not leak
      if (!tc || !row || row.userId !== actor.userId) throw notFound();
      const c = await store.repos.cases.findById(row.caseId);
      if (!c) throw notFound();
      if (!canRate(c, row)) {
        if (c.status === 'closed' || c.status === 'evaluated')
          throw new AppError('CONFLICT', 'this result has been rated already');
        throw new AppError('TRANSITION_NOT_ALLOWED', 'a report is rated once its case is closed', {
          status: c.status,
        });
      }
      const at = clock.now().toISOString();
      if (!(await repo.claimRating(tc, c.closedAt ?? at, at, input.satisfaction)))
        throw new AppError('CONFLICT', 'this result has been rated already');
      // the resident rates online; `by` tells the timeline it was the reporter, not an operator
      const revisit: RevisitInput & { by: string } = {
        method: 'online',
        satisfaction: input.satisfaction,
        ...(input.comment && { comment: input.comment }),
        by: 'reporter',
      };
      try {
        await opts.cases.actions.revisit(SYSTEM_ACTOR, c, revisit, c.version, ctx);
      } catch (e) {
        await repo.restoreRating(tc, { ratedAt: row.ratedAt, satisfaction: row.satisfaction });
        throw e;
      }
      await store.transaction((tx) =>
        audit(tx, deps, actor, ctx, 'resident.rate', 'case', c.id, {
          trackingCode: tc,
          satisfaction: input.satisfaction,
        }),
      );
      return progressOf({ ...row, ratedAt: at, satisfaction: input.satisfaction });
    },
  };
}

export type ResidentService = ReturnType<typeof createResidentService>;
