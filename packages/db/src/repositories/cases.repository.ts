import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type {
  CaseEventRow,
  CaseListFilter,
  CaseRepository,
  CaseRow,
  Channel,
  Priority,
  ReportRow,
} from '@civicgrid/core';
import type { DialectHelpers } from '../dialect.js';
import type { CasesTable, Database } from '../schema.js';
import { bool, int, prefixPattern } from './util.js';

const toRow = (c: CaseRow): CasesTable => ({
  id: c.id,
  number: c.number,
  status: c.status,
  version: c.version,
  state: JSON.stringify(c.state),
  priority: c.priority,
  category_code: c.categoryCode,
  summary: c.summary,
  channel: c.channel,
  lng: c.lng,
  lat: c.lat,
  address: c.address,
  grid_id: c.gridId,
  unit_id: c.unitId,
  unit_path: c.unitPath,
  handler_kind: c.handlerKind,
  handler_user_id: c.handlerUserId,
  handler_unit_id: c.handlerUnitId,
  handler_department_id: c.handlerDepartmentId,
  dispatcher_unit_id: c.dispatcherUnitId,
  escalation: c.escalation,
  supervision: c.supervision,
  is_paused: int(c.isPaused),
  accept_due_at: c.acceptDueAt,
  handle_due_at: c.handleDueAt,
  feedback_due_at: c.feedbackDueAt,
  repeat_of: c.repeatOf,
  merged_into: c.mergedInto,
  report_count: c.reportCount,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  closed_at: c.closedAt,
});

const fromRow = (r: Selectable<CasesTable>): CaseRow => ({
  id: r.id,
  number: r.number,
  status: r.status,
  version: r.version,
  state: JSON.parse(r.state) as unknown,
  priority: r.priority as Priority,
  categoryCode: r.category_code,
  summary: r.summary,
  channel: r.channel as Channel,
  lng: r.lng,
  lat: r.lat,
  address: r.address,
  gridId: r.grid_id,
  unitId: r.unit_id,
  unitPath: r.unit_path,
  handlerKind: r.handler_kind,
  handlerUserId: r.handler_user_id,
  handlerUnitId: r.handler_unit_id,
  handlerDepartmentId: r.handler_department_id,
  dispatcherUnitId: r.dispatcher_unit_id,
  escalation: r.escalation,
  supervision: r.supervision,
  isPaused: bool(r.is_paused),
  acceptDueAt: r.accept_due_at,
  handleDueAt: r.handle_due_at,
  feedbackDueAt: r.feedback_due_at,
  repeatOf: r.repeat_of,
  mergedInto: r.merged_into,
  reportCount: r.report_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
});

const report = (r: Selectable<Database['reports']>): ReportRow => ({
  id: r.id,
  caseId: r.case_id,
  channel: r.channel as Channel,
  externalId: r.external_id,
  reporterName: r.reporter_name,
  reporterPhone: r.reporter_phone,
  text: r.text,
  lng: r.lng,
  lat: r.lat,
  address: r.address,
  fields: JSON.parse(r.fields) as Record<string, unknown>,
  receivedAt: r.received_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Cases, their reports and timelines. */
export function caseRepository(db: Kysely<Database>, dialect: DialectHelpers): CaseRepository {
  function filtered(f: Omit<CaseListFilter, 'limit' | 'before'>) {
    let q = db.selectFrom('cases');
    if (f.departmentId) {
      const dep = f.departmentId;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('case_departments as cd')
            .select('cd.case_id')
            .whereRef('cd.case_id', '=', 'cases.id')
            .where('cd.department_id', '=', dep),
        ),
      );
    } else if (f.reportedBy) {
      const by = f.reportedBy;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('reports as r')
            .select('r.id')
            .whereRef('r.case_id', '=', 'cases.id')
            .where('r.created_by', '=', by),
        ),
      );
    } else {
      // no scope given: nothing (never everything)
      q = f.scopePrefix
        ? q.where('unit_path', 'like', prefixPattern(f.scopePrefix))
        : q.where(sql<boolean>`1 = 0`);
    }
    if (f.status?.length) q = q.where('status', 'in', f.status);
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.handlerUserId) q = q.where('handler_user_id', '=', f.handlerUserId);
    if (f.handlerUnitId) q = q.where('handler_unit_id', '=', f.handlerUnitId);
    if (f.overdue) {
      const now = f.overdue.now;
      q = q.where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'dispatched'), eb('accept_due_at', '<', now)]),
          eb.and([eb('status', '=', 'handling'), eb('handle_due_at', '<', now)]),
        ]),
      );
    }
    return q;
  }
  return {
    async nextNumber(day) {
      const r = await db
        .insertInto('case_number_seq')
        .values({ day, last: 1 })
        .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`case_number_seq.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow();
      return Number(r.last);
    },
    async insertCase(c) {
      await db.insertInto('cases').values(toRow(c)).execute();
    },
    async findById(id, forUpdate = false) {
      let q = db.selectFrom('cases').selectAll().where('id', '=', id);
      if (forUpdate && dialect.rowLocks) q = q.forUpdate();
      const r = await q.executeTakeFirst();
      return r && fromRow(r);
    },
    async findByNumber(number) {
      const r = await db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirst();
      return r && fromRow(r);
    },
    async updateCase(c, expectedVersion) {
      const { id: _id, created_at: _c, number: _n, ...rest } = toRow(c);
      const r = await db
        .updateTable('cases')
        .set(rest)
        .where('id', '=', c.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async setDepartments(caseId, lead, assisting) {
      // departments that watch the case (e.g. the petitions bureau) keep watching unless they now handle it
      const watchers = await db
        .selectFrom('case_departments')
        .select('department_id')
        .where('case_id', '=', caseId)
        .where('role', '=', 'watch')
        .execute();
      await db.deleteFrom('case_departments').where('case_id', '=', caseId).execute();
      const handling = new Set([...(lead ? [lead] : []), ...assisting]);
      const rows = [
        ...(lead ? [{ case_id: caseId, department_id: lead, role: 'lead' }] : []),
        ...assisting
          .filter((a) => a !== lead)
          .map((a) => ({ case_id: caseId, department_id: a, role: 'assist' })),
        ...watchers
          .filter((w) => !handling.has(w.department_id))
          .map((w) => ({ case_id: caseId, department_id: w.department_id, role: 'watch' })),
      ];
      if (rows.length) await db.insertInto('case_departments').values(rows).execute();
    },
    async addWatcher(caseId, departmentId) {
      await db
        .insertInto('case_departments')
        .values({ case_id: caseId, department_id: departmentId, role: 'watch' })
        .onConflict((oc) => oc.columns(['case_id', 'department_id']).doNothing())
        .execute();
    },
    async findPetitions(opts) {
      let q = db
        .selectFrom('reports as r')
        .innerJoin('cases as c', 'c.id', 'r.case_id')
        .select(['r.case_id as caseId', 'c.number as number', 'r.text as text', 'r.reporter_phone as phone'])
        .where('r.channel', '=', 'petition')
        .where('r.received_at', '>=', opts.since);
      q = opts.phone
        ? q.where('r.reporter_phone', '=', opts.phone)
        : q.where('c.unit_path', 'like', prefixPattern(opts.scopePrefix ?? '/'));
      return q.orderBy('r.received_at', 'desc').limit(opts.limit).execute();
    },
    async departmentsOf(caseId) {
      const rows = await db
        .selectFrom('case_departments')
        .select(['department_id', 'role'])
        .where('case_id', '=', caseId)
        .execute();
      return rows.map((r) => ({ departmentId: r.department_id, role: r.role }));
    },
    async insertReport(r) {
      await db
        .insertInto('reports')
        .values({
          id: r.id,
          case_id: r.caseId,
          channel: r.channel,
          external_id: r.externalId,
          reporter_name: r.reporterName,
          reporter_phone: r.reporterPhone,
          text: r.text,
          lng: r.lng,
          lat: r.lat,
          address: r.address,
          fields: JSON.stringify(r.fields),
          received_at: r.receivedAt,
          created_by: r.createdBy,
          created_at: r.createdAt,
        })
        .execute();
    },
    async findReportByExternalId(channel, externalId) {
      const r = await db
        .selectFrom('reports')
        .selectAll()
        .where('channel', '=', channel)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return r && report(r);
    },
    async reportsOf(caseId) {
      return (
        await db
          .selectFrom('reports')
          .selectAll()
          .where('case_id', '=', caseId)
          .orderBy('received_at')
          .execute()
      ).map(report);
    },
    async channelsOf(caseId) {
      const rows = await db
        .selectFrom('reports')
        .select('channel')
        .distinct()
        .where('case_id', '=', caseId)
        .execute();
      return rows.map((r) => r.channel).sort();
    },
    async insertEvent(e: CaseEventRow) {
      await db
        .insertInto('case_events')
        .values({
          id: e.id,
          case_id: e.caseId,
          version: e.version,
          at: e.at,
          actor_id: e.actorId,
          actor_role: e.actorRole,
          action: e.action,
          from_status: e.fromStatus,
          to_status: e.toStatus,
          payload: JSON.stringify(e.payload ?? null),
        })
        .execute();
    },
    async changesAfter(eventId, limit) {
      const from = await db
        .selectFrom('case_events')
        .select('at')
        .where('id', '=', eventId)
        .executeTakeFirst();
      if (!from) return [];
      // events of concurrent transactions may commit out of id order: look back a little, the
      // client drops what it has seen by id
      const since = new Date(Date.parse(from.at) - 5_000).toISOString();
      const rows = await db
        .selectFrom('case_events as e')
        .innerJoin('cases as c', 'c.id', 'e.case_id')
        .select([
          'e.id as eventId',
          'e.case_id as caseId',
          'e.action as action',
          'e.to_status as status',
          'e.version as version',
          'e.at as at',
          'c.number as number',
          'c.unit_path as unitPath',
          'c.channel as channel',
        ])
        .where('e.at', '>=', since)
        .where('e.id', '!=', eventId)
        .orderBy('e.at')
        .orderBy('e.id')
        .limit(limit)
        .execute();
      const ids = [...new Set(rows.map((r) => r.caseId))];
      const deps = ids.length
        ? await db
            .selectFrom('case_departments')
            .select(['case_id', 'department_id'])
            .where('case_id', 'in', ids)
            .execute()
        : [];
      return rows.map((r) => ({
        eventId: r.eventId,
        caseId: r.caseId,
        number: r.number,
        event: `case.${r.action === 'resolveOnSpot' ? 'report' : r.action}`,
        status: r.status,
        version: Number(r.version),
        unitPath: r.unitPath,
        departmentIds: deps.filter((d) => d.case_id === r.caseId).map((d) => d.department_id),
        channel: r.channel,
        at: r.at,
      }));
    },
    async eventsOf(caseId) {
      const rows = await db
        .selectFrom('case_events')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        caseId: r.case_id,
        version: r.version,
        at: r.at,
        actorId: r.actor_id,
        actorRole: r.actor_role,
        action: r.action,
        fromStatus: r.from_status,
        toStatus: r.to_status,
        payload: JSON.parse(r.payload) as unknown,
      }));
    },
    async list(f) {
      let q = filtered(f).selectAll();
      if (f.before) {
        const b = f.before;
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', b.createdAt),
            eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)]),
          ]),
        );
      }
      return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute()).map(
        fromRow,
      );
    },
    async count(f) {
      const r = await filtered(f)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async findRecentClosedNear(o) {
      const rows = await db
        .selectFrom('cases')
        .selectAll()
        .where('category_code', '=', o.categoryCode)
        .where('closed_at', '>=', o.since)
        .where('id', '!=', o.excludeId)
        .where('lng', '>=', o.bbox[0])
        .where('lat', '>=', o.bbox[1])
        .where('lng', '<=', o.bbox[2])
        .where('lat', '<=', o.bbox[3])
        .limit(50)
        .execute();
      return rows.map(fromRow);
    },
  };
}
