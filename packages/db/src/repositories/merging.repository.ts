import type { Kysely, Selectable } from 'kysely';
import type {
  Channel,
  MergeCaseHead,
  MergeCaseRow,
  MergeProposalRow,
  MergeRepository,
  ProposalStatus,
  ReportMoveKind,
  ReportMoveRow,
  ReportRow,
  ScoreParts,
} from '@civicgrid/core';
import type { Database } from '../schema.js';
import type { MergeProposalsTable, MergingTables, ReportMovesTable } from '../schema-merging.js';
import { chunked, prefixPattern } from './util.js';

type Db = Database & MergingTables;

/** Most cases read per band key (case ids are time-ordered: the newest). */
const BUCKET_CAP = 32;

// the statuses that end a case (core's TERMINAL_STATUSES): never candidates, never indexed
const ENDED = ['merged', 'cancelled', 'rejected'];

const HEAD_COLUMNS = [
  'id',
  'status',
  'lng',
  'lat',
  'category_code',
  'grid_id',
  'unit_path',
  'created_at',
  'closed_at',
] as const;
const ROW_COLUMNS = [...HEAD_COLUMNS, 'number', 'summary', 'channel', 'report_count'] as const;

type Cases = Selectable<Database['cases']>;
type HeadColumns = Pick<Cases, (typeof HEAD_COLUMNS)[number]>;

const headOf = (r: HeadColumns): MergeCaseHead => ({
  caseId: r.id,
  status: r.status,
  lng: r.lng,
  lat: r.lat,
  categoryCode: r.category_code,
  gridId: r.grid_id,
  unitPath: r.unit_path,
  createdAt: r.created_at,
  closedAt: r.closed_at,
});

const caseOf = (r: Pick<Cases, (typeof ROW_COLUMNS)[number]>): MergeCaseRow => ({
  ...headOf(r),
  number: r.number,
  text: r.summary,
  channel: r.channel,
  reportCount: Number(r.report_count),
});

const proposalOf = (r: MergeProposalsTable): MergeProposalRow => ({
  id: r.id,
  caseId: r.case_id,
  candidateCaseId: r.candidate_case_id,
  unitPath: r.unit_path,
  score: Number(r.score),
  parts: JSON.parse(r.parts) as ScoreParts,
  rank: Number(r.rank),
  status: r.status as ProposalStatus,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  note: r.note,
});

const moveOf = (r: ReportMovesTable): ReportMoveRow => ({
  id: r.id,
  reportId: r.report_id,
  fromCaseId: r.from_case_id,
  toCaseId: r.to_case_id,
  kind: r.kind as ReportMoveKind,
  score: r.score === null ? null : Number(r.score),
  proposalId: r.proposal_id,
  originUnitPath: r.origin_unit_path,
  originGridId: r.origin_grid_id,
  originCategoryCode: r.origin_category_code,
  movedAt: r.moved_at,
  movedBy: r.moved_by,
  undoneAt: r.undone_at,
  undoneBy: r.undone_by,
  undoCaseId: r.undo_case_id,
});

/** The LSH index of cases, merge proposals and report moves (一事一案). */
export function mergingRepository(k: Kysely<Database>): MergeRepository {
  const db = k as unknown as Kysely<Db>;

  async function removeIndex(caseIds: readonly string[]): Promise<void> {
    await chunked([...caseIds], 1, async (ids) => {
      await db.deleteFrom('case_bands').where('case_id', 'in', ids).execute();
      await db.deleteFrom('case_signatures').where('case_id', 'in', ids).execute();
    });
  }

  return {
    async upsertIndex(caseId, signature, bandKeys, at) {
      await db
        .insertInto('case_signatures')
        .values({ case_id: caseId, signature, updated_at: at })
        .onConflict((oc) => oc.column('case_id').doUpdateSet({ signature, updated_at: at }))
        .execute();
      await db.deleteFrom('case_bands').where('case_id', '=', caseId).execute();
      const keys = [...new Set(bandKeys)];
      if (keys.length)
        await db
          .insertInto('case_bands')
          .values(keys.map((band_key) => ({ band_key, case_id: caseId })))
          .execute();
    },

    removeIndex,

    async pruneIndex({ closedBefore, limit }) {
      const rows = await db
        .selectFrom('case_signatures as s')
        .innerJoin('cases as c', 'c.id', 's.case_id')
        .select('s.case_id')
        .where((eb) =>
          eb.or([
            eb('c.status', 'in', ENDED),
            eb.and([eb('c.closed_at', 'is not', null), eb('c.closed_at', '<', closedBefore)]),
          ]),
        )
        .limit(limit)
        .execute();
      await removeIndex(rows.map((r) => r.case_id));
      return rows.length;
    },

    async findByBands(keys, limit) {
      if (keys.length === 0) return [];
      // a key shared by very many cases is boilerplate, not evidence: read its newest cases only
      const perKey = (key: string) =>
        db
          .selectFrom((eb) =>
            eb
              .selectFrom('case_bands')
              .select('case_id')
              .where('band_key', '=', key)
              .orderBy('case_id', 'desc')
              .limit(BUCKET_CAP)
              .as('k'),
          )
          .select('case_id');
      const [first, ...rest] = [...new Set(keys)].map(perKey);
      const union = rest.reduce((u, q) => u.unionAll(q), first!);
      const rows = await db
        .selectFrom(union.as('u'))
        .select((eb) => ['u.case_id', eb.fn.countAll<number>().as('hits')])
        .groupBy('u.case_id')
        .orderBy('hits', 'desc')
        .orderBy('u.case_id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ caseId: r.case_id, hits: Number(r.hits) }));
    },

    async findInWindow({ unitPrefix, since, closedSince, limit }) {
      // one range of the covering index (unit_path = ?, created_at >= ?) per unit of the area
      const rows = await db
        .selectFrom('cases')
        .select(HEAD_COLUMNS)
        .where('unit_path', 'in', (eb) =>
          eb
            .selectFrom('units')
            .select('path')
            .where('path', 'like', prefixPattern(unitPrefix))
            .where('level', 'in', ['district', 'street', 'community', 'basicGrid']),
        )
        .where('created_at', '>=', since)
        .where('status', 'not in', ENDED)
        .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', closedSince)]))
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(headOf);
    },

    async loadCases(caseIds) {
      const out: MergeCaseRow[] = [];
      await chunked([...new Set(caseIds)], 1, async (ids) => {
        const rows = await db.selectFrom('cases').select(ROW_COLUMNS).where('id', 'in', ids).execute();
        out.push(...rows.map(caseOf));
      });
      return out;
    },

    async insertProposals(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('merge_proposals')
        .values(
          rows.map((p) => ({
            id: p.id,
            case_id: p.caseId,
            candidate_case_id: p.candidateCaseId,
            unit_path: p.unitPath,
            score: p.score,
            parts: JSON.stringify(p.parts),
            rank: p.rank,
            status: p.status,
            created_at: p.createdAt,
            decided_at: p.decidedAt,
            decided_by: p.decidedBy,
            note: p.note,
          })),
        )
        .execute();
    },

    async findProposal(id) {
      const r = await db.selectFrom('merge_proposals').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? proposalOf(r) : undefined;
    },

    async listProposals(f) {
      let q = db
        .selectFrom('merge_proposals')
        .selectAll()
        .where('unit_path', 'like', prefixPattern(f.scopePrefix))
        .where('status', 'in', [...f.status]);
      if (f.before) {
        const b = f.before;
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', b.createdAt),
            eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map(proposalOf);
    },

    async proposalsOf({ caseId, candidateCaseId, status }) {
      if (caseId === undefined && candidateCaseId === undefined) return [];
      let q = db.selectFrom('merge_proposals').selectAll().where('status', '=', status);
      if (caseId !== undefined) q = q.where('case_id', '=', caseId);
      if (candidateCaseId !== undefined) q = q.where('candidate_case_id', '=', candidateCaseId);
      const rows = await q.orderBy('rank').orderBy('id').execute();
      return rows.map(proposalOf);
    },

    async decideProposal(id, d) {
      const res = await db
        .updateTable('merge_proposals')
        .set({ status: d.status, decided_at: d.at, decided_by: d.by, note: d.note })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async retargetProposal(id, candidateCaseId) {
      await db
        .updateTable('merge_proposals')
        .set({ candidate_case_id: candidateCaseId })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },

    async insertMoves(rows) {
      if (rows.length === 0) return;
      await chunked([...rows], 15, async (chunk) => {
        await db
          .insertInto('report_moves')
          .values(
            chunk.map((m) => ({
              id: m.id,
              report_id: m.reportId,
              from_case_id: m.fromCaseId,
              to_case_id: m.toCaseId,
              kind: m.kind,
              score: m.score,
              proposal_id: m.proposalId,
              origin_unit_path: m.originUnitPath,
              origin_grid_id: m.originGridId,
              origin_category_code: m.originCategoryCode,
              moved_at: m.movedAt,
              moved_by: m.movedBy,
              undone_at: m.undoneAt,
              undone_by: m.undoneBy,
              undo_case_id: m.undoCaseId,
            })),
          )
          .execute();
      });
    },

    async findOpenMove(reportId) {
      const r = await db
        .selectFrom('report_moves')
        .selectAll()
        .where('report_id', '=', reportId)
        .where('undone_at', 'is', null)
        .orderBy('moved_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? moveOf(r) : undefined;
    },

    async movesOf(reportId) {
      const rows = await db
        .selectFrom('report_moves')
        .selectAll()
        .where('report_id', '=', reportId)
        .orderBy('moved_at')
        .orderBy('id')
        .execute();
      return rows.map(moveOf);
    },

    async markMoveUndone(id, u) {
      const res = await db
        .updateTable('report_moves')
        .set({ undone_at: u.at, undone_by: u.by, undo_case_id: u.undoCaseId })
        .where('id', '=', id)
        .where('undone_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async unindexedCases({ closedSince, afterId, limit }) {
      let q = db
        .selectFrom('cases as c')
        .leftJoin('case_signatures as s', 's.case_id', 'c.id')
        .select(['c.id', 'c.summary'])
        .where('s.case_id', 'is', null)
        .where('c.status', 'not in', ENDED)
        .where((eb) => eb.or([eb('c.closed_at', 'is', null), eb('c.closed_at', '>=', closedSince)]));
      if (afterId !== null) q = q.where('c.id', '>', afterId);
      const rows = await q.orderBy('c.id').limit(limit).execute();
      return rows.map((r) => ({ caseId: r.id, text: r.summary }));
    },

    async findReport(reportId): Promise<ReportRow | undefined> {
      const r = await db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
      if (!r) return undefined;
      return {
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
      };
    },

    async setReportsCase(reportIds, caseId) {
      await chunked([...reportIds], 1, async (ids) => {
        await db.updateTable('reports').set({ case_id: caseId }).where('id', 'in', ids).execute();
      });
    },

    async setReportCount(caseId, n) {
      await db.updateTable('cases').set({ report_count: n }).where('id', '=', caseId).execute();
    },

    async recentReports({ scopePrefix, since, until, limit }) {
      const rows = await db
        .selectFrom('reports as r')
        .innerJoin('cases as c', 'c.id', 'r.case_id')
        .select([
          'r.id',
          'r.case_id',
          'c.unit_path',
          'r.channel',
          'r.text',
          'r.reporter_phone',
          'r.created_by',
          'r.created_at',
        ])
        .where('r.created_at', '>=', since)
        .where('r.created_at', '<=', until)
        .where('c.unit_path', 'like', prefixPattern(scopePrefix))
        .where('c.status', 'not in', ['cancelled', 'rejected'])
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        reportId: r.id,
        caseId: r.case_id,
        unitPath: r.unit_path,
        channel: r.channel,
        text: r.text,
        reporterPhone: r.reporter_phone,
        createdBy: r.created_by,
        createdAt: r.created_at,
      }));
    },
  };
}
