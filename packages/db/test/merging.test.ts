/**
 * One problem, one case (一事一案) on both databases: the LSH index, the candidate search (LSH and
 * window), automatic joins, proposals and their decision, the report moves and their undo, and
 * hot spots. The intake hook is replayed here the way case.service.ts calls it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { caseNumber, createIdGenerator, fixedClock, initialCaseState, unitPath } from '@civicgrid/core';
import type { Actor, CaseRow, NewUnit, ReportRow, ServiceDeps } from '@civicgrid/core';
import { createStore } from '@civicgrid/db';
import type { Database, Db } from '@civicgrid/db';
import { createCaseActions } from '../../core/src/cases/case-actions.js';
import { findMatches, indexCase, proposalCandidates } from '../../core/src/merging/merge-candidates.js';
import type { MergeMatches } from '../../core/src/merging/merge-candidates.js';
import { detectHotSpotsFor } from '../../core/src/merging/merge-hot-spots.js';
import { joinReport, onCaseMerged, recordProposals } from '../../core/src/merging/merge-moves.js';
import type { MergeStore, MergeTx } from '../../core/src/merging/merge-ports.js';
import { createMergeService } from '../../core/src/merging/merge.service.js';
import type { MergeDeps, MergeService } from '../../core/src/merging/merge.service.js';
import { up as migrateMerging } from '../src/migrations/0005-merging.js';
import { mergingRepository } from '../src/repositories/merging.repository.js';
import type { MergingTables } from '../src/schema-merging.js';
import { describeEachDb, openTestDb } from '../../../test/support/databases.js';
import type { TestDb } from '../../../test/support/databases.js';

const DAY = 86_400_000;
const START = new Date('2026-11-27T01:00:00Z');

function unit(code: string, level: NewUnit['level'], parent: NewUnit | null): NewUnit {
  return {
    id: `00000000-0000-7000-8000-${code.padStart(12, '0').slice(-12)}`,
    code,
    name: code,
    level,
    kind: null,
    parentId: parent?.id ?? null,
    path: unitPath(parent?.path ?? null, code),
    geometry: null,
    bbox: null,
    areaM2: null,
  };
}

const district = unit('370112', 'district', null);
const s1 = unit('370112001', 'street', district);
const s2 = unit('370112002', 'street', district);
const c1 = unit('370112001001', 'community', s1);
const c2 = unit('370112001002', 'community', s1);
const c3 = unit('370112002001', 'community', s2);
const g1 = unit('370112001001001', 'basicGrid', c1);
const g2 = unit('370112001001002', 'basicGrid', c1);
const g3 = unit('370112001002001', 'basicGrid', c2);
const g4 = unit('370112002001001', 'basicGrid', c3);

/** Topics of the tests: each its own place (hundreds of metres apart) and category. */
const TOPIC = {
  noise: { at: [117.046, 36.676], category: '01.01.001' },
  lamp: { at: [117.054, 36.682], category: '02.03.004' },
  lights: { at: [117.05, 36.68], category: '03.01.002' },
  lightsFar: { at: [117.2, 36.75], category: '03.01.002' },
  manhole: { at: [117.058, 36.685], category: '02.01.001' },
  fire: { at: [117.042, 36.672], category: '04.01.001' },
  market: { at: [117.062, 36.688], category: '05.01.001' },
} as const satisfies Record<string, { at: readonly [number, number]; category: string }>;
/** About `m` metres north of a point. */
const north = (p: readonly [number, number], m: number): [number, number] => [p[0], p[1] + m / 111_000];

const NOISE = '幸福小区3号楼旁边的建筑工地每天晚上十点以后还在施工，噪音很大，严重影响居民休息，请尽快处理。';
const NOISE_HOTLINE =
  '来电反映：幸福小区3号楼旁边建筑工地每天晚上十点后还在施工，噪音很大，严重影响居民休息，希望尽快处理。';
const NOISE_REWORDED = '3号楼边上那个工地半夜还在干活，机器轰隆隆的吵得人睡不着觉';
const LIGHTS =
  '和平路与解放路交叉口的红绿灯坏了三天了，早晚高峰车辆拥堵，存在很大安全隐患，请相关部门尽快维修。';
const LAMP = '小区北门口的路灯坏了好几天了，晚上黑乎乎的，老人孩子出门很不方便';
const LAMP_REWORDED = '北门那边路灯不亮，夜里走路看不见';

/** The merge repository next to the others, on the pool and inside transactions. */
function mergeStore(db: Db): MergeStore {
  const base = createStore(db);
  const withMerging = (k: Kysely<Database>, repos: ReturnType<typeof createStore>['repos']): MergeTx => ({
    ...repos,
    merging: mergingRepository(k),
  });
  return {
    dialect: base.dialect,
    repos: withMerging(db.kysely, base.repos),
    transaction: (fn) =>
      db.kysely
        .transaction()
        .execute((trx) => fn(withMerging(trx, createStore({ ...db, kysely: trx }).repos))),
  };
}

describeEachDb('merging: one problem, one case', (kind) => {
  let t: TestDb;
  let store: MergeStore;
  let deps: MergeDeps;
  let merging: MergeService;
  let k: Kysely<Database & MergingTables>;
  const clock = fixedClock(START);
  const ids = createIdGenerator(clock);
  const ctx = { requestId: 'merge-test' };
  const actor = (role: Actor['role'], u: NewUnit | null): Actor => ({
    userId: ids.next(),
    username: role,
    role,
    unitId: u?.id ?? null,
    departmentId: null,
    scope: u ? { kind: 'unit', unitId: u.id, path: u.path } : { kind: 'all' },
    sessionId: null,
  });
  const worker = actor('gridWorker', g1);
  const c1Operator = actor('communityOperator', c1);
  const c3Operator = actor('communityOperator', c3);
  let lampCaseId = '';

  interface Intake {
    text: string;
    grid: NewUnit;
    topic: keyof typeof TOPIC;
    /** Metres north of the topic's place. */
    offsetM?: number;
    channel?: ReportRow['channel'];
    /** Always a new case, no proposals (fixtures). */
    fixture?: boolean;
  }

  /** What case.service.ts intake does with the hook: search, join or create + index + propose. */
  async function intake(i: Intake): Promise<{ caseId: string; reportId: string; m: MergeMatches }> {
    const at = clock.now().toISOString();
    const [lng, lat] = north(TOPIC[i.topic].at, i.offsetM ?? 0);
    const loc = { lng, lat };
    const category = TOPIC[i.topic].category;
    return store.transaction(async (tx) => {
      const m = await findMatches(tx, {
        text: i.text,
        lng: loc.lng,
        lat: loc.lat,
        categoryCode: category,
        gridId: i.grid.id,
        unitPath: i.grid.path,
        at,
      });
      const report: Omit<ReportRow, 'caseId'> = {
        id: ids.next(),
        channel: i.channel ?? 'grid',
        externalId: null,
        reporterName: null,
        reporterPhone: null,
        text: i.text,
        lng: loc.lng,
        lat: loc.lat,
        address: null,
        fields: {},
        receivedAt: at,
        createdBy: worker.userId,
        createdAt: at,
      };
      if (!i.fixture && m.decision.kind === 'auto') {
        const joined = await joinReport(tx, deps, worker, ctx, {
          caseId: m.decision.caseId,
          score: m.decision.score,
          report,
          origin: { unitPath: i.grid.path, gridId: i.grid.id, categoryCode: category },
        });
        if (joined) return { caseId: joined.id, reportId: report.id, m };
      }
      const community = [c1, c2, c3].find((c) => i.grid.path.startsWith(c.path))!;
      const state = initialCaseState({ receivingCenter: { unitId: community.id, level: 'community' } });
      const seq = await tx.cases.nextNumber(caseNumber('370112', clock.now(), 0).slice(7, 15));
      const row: CaseRow = {
        id: ids.next(),
        number: caseNumber('370112', clock.now(), seq),
        status: state.status,
        version: state.version,
        state,
        priority: 'normal',
        categoryCode: category,
        summary: i.text.slice(0, 300),
        channel: report.channel,
        lng: report.lng,
        lat: report.lat,
        address: null,
        gridId: i.grid.id,
        unitId: i.grid.id,
        unitPath: i.grid.path,
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
      await tx.cases.insertReport({ ...report, caseId: row.id });
      await tx.cases.insertEvent({
        id: ids.next(),
        caseId: row.id,
        version: 1,
        at,
        actorId: worker.userId,
        actorRole: worker.role,
        action: 'report',
        fromStatus: null,
        toStatus: row.status,
        payload: { channel: report.channel, reportId: report.id },
      });
      await indexCase(tx, row.id, i.text, at, m);
      if (!i.fixture) await recordProposals(tx, deps, row, proposalCandidates(m), at);
      return { caseId: row.id, reportId: report.id, m };
    });
  }

  const getCase = async (id: string) => (await store.repos.cases.findById(id))!;
  const channelsOf = async (id: string) =>
    (await store.repos.cases.reportsOf(id)).map((r) => r.channel).sort();
  const setStatus = (id: string, status: string, closedAt: string | null = null) =>
    k.updateTable('cases').set({ status, closed_at: closedAt }).where('id', '=', id).execute();

  beforeAll(async () => {
    t = await openTestDb(kind);
    k = t.db.kysely as unknown as Kysely<Database & MergingTables>;
    try {
      await k.selectFrom('case_signatures').select('case_id').limit(1).execute();
    } catch {
      // not registered in migrations/index.ts yet: run it after the others
      await migrateMerging(t.db.kysely as unknown as Kysely<unknown>, t.db.dialect);
    }
    store = mergeStore(t.db);
    deps = {
      store,
      clock,
      ids,
      passwords: { hash: async (p) => p, verify: async () => true },
      randomBytes: (n) => new Uint8Array(n),
    };
    const actions = createCaseActions(deps as unknown as ServiceDeps);
    merging = createMergeService(deps, {
      actions: {
        // the real merge action; onCaseMerged runs here until case-actions.ts calls it itself
        async act(a, c, action, payload, ifMatch, context) {
          const next = await actions.act(a, c, action, payload, ifMatch, context);
          if (action === 'merge' && (await store.repos.cases.reportsOf(c.id)).length > 0)
            await store.transaction((tx) =>
              onCaseMerged(tx, deps as unknown as ServiceDeps, a, context, next, next.mergedInto!),
            );
          return next;
        },
      },
    });
    await store.repos.units.insertMany([district, s1, s2, c1, c2, c3, g1, g2, g3, g4], START.toISOString());
  });
  afterAll(async () => t?.drop());

  it('indexes a case: one signature and 32 band keys, replaced on re-index, removed on request', async () => {
    clock.set(START);
    const { caseId } = await intake({ text: LAMP, grid: g2, topic: 'lamp', fixture: true });
    lampCaseId = caseId;
    const bands = () => k.selectFrom('case_bands').select('band_key').where('case_id', '=', caseId).execute();
    expect(await bands()).toHaveLength(32);
    await store.transaction((tx) => indexCase(tx, caseId, LIGHTS, clock.now().toISOString()));
    const after = await bands();
    expect(after).toHaveLength(32);
    const hits = await store.repos.merging.findByBands(
      after.map((b) => b.band_key),
      10,
    );
    expect(hits[0]).toEqual({ caseId, hits: 32 });
    await store.transaction((tx) => tx.merging.removeIndex([caseId]));
    expect(await bands()).toHaveLength(0);
    expect(
      await k.selectFrom('case_signatures').select('case_id').where('case_id', '=', caseId).execute(),
    ).toEqual([]);
    await store.transaction((tx) => indexCase(tx, caseId, LAMP, clock.now().toISOString()));
  });

  it('LSH finds a near-duplicate in another street; distance keeps it a proposal', async () => {
    clock.set(new Date(START.getTime() + 3600_000));
    const far = await intake({ text: LIGHTS, grid: g4, topic: 'lightsFar', fixture: true });
    clock.advance(3600_000);
    const { m } = await intake({
      text: LIGHTS.replace('三天', '两天'),
      grid: g1,
      topic: 'lights',
      fixture: true,
    });
    const hit = m.candidates.find((c) => c.caseId === far.caseId);
    expect(hit).toMatchObject({ via: 'lsh' });
    expect(hit!.bandHits).toBeGreaterThan(0);
    expect(hit!.parts.text).toBeGreaterThan(0.9);
    expect(m.decision.kind).toBe('propose');
  });

  it('the window finds a reworded report in the same community; LSH alone would not', async () => {
    clock.set(new Date(START.getTime() + 5 * 3600_000));
    const window = await store.repos.merging.findInWindow({
      unitPrefix: c1.path,
      since: new Date(START.getTime() - DAY).toISOString(),
      closedSince: START.toISOString(),
      limit: 50,
    });
    expect(window.find((c) => c.caseId === lampCaseId)).toMatchObject({ gridId: g2.id, status: 'reported' });
    const { m } = await intake({ text: LAMP_REWORDED, grid: g1, topic: 'lamp', offsetM: 50, fixture: true });
    const hit = m.candidates.find((c) => c.caseId === lampCaseId);
    expect(hit?.via).toBe('window');
    expect(m.decision).toMatchObject({ kind: 'propose' });
    // another community's window does not hold it
    const other = await store.repos.merging.findInWindow({
      unitPrefix: c2.path,
      since: new Date(START.getTime() - DAY).toISOString(),
      closedSince: START.toISOString(),
      limit: 50,
    });
    expect(other.map((c) => c.caseId)).not.toContain(lampCaseId);
  });

  it('never offers merged, cancelled, rejected or long-closed cases; a recently closed one is only proposed', async () => {
    const base = START.getTime() + 2 * DAY;
    clock.set(new Date(base));
    const text = '锦绣花园南门外的污水井盖破损下陷，行人和电动车经过很危险，已经有人摔倒';
    const made: Record<string, string> = {};
    for (const s of ['merged', 'cancelled', 'rejected', 'closedLong', 'closedRecent']) {
      made[s] = (await intake({ text, grid: g2, topic: 'manhole', fixture: true })).caseId;
    }
    await setStatus(made.merged!, 'merged');
    await setStatus(made.cancelled!, 'cancelled');
    await setStatus(made.rejected!, 'rejected');
    await setStatus(made.closedLong!, 'closed', new Date(base - 20 * DAY).toISOString());
    await setStatus(made.closedRecent!, 'closed', new Date(base - DAY).toISOString());
    clock.advance(3600_000);
    const { m } = await intake({ text, grid: g2, topic: 'manhole', offsetM: 10, fixture: true });
    expect(m.candidates.map((c) => c.caseId)).toEqual([made.closedRecent]);
    expect(m.candidates[0]!.score).toBeGreaterThanOrEqual(0.85);
    expect(m.decision).toMatchObject({ kind: 'propose' });
    // the prune takes the ended and long-closed cases out of the index, not the others
    const pruned = await store.transaction((tx) =>
      tx.merging.pruneIndex({ closedBefore: new Date(base - 7 * DAY).toISOString(), limit: 100 }),
    );
    expect(pruned).toBe(4);
    const left = await k.selectFrom('case_signatures').select('case_id').execute();
    const leftIds = new Set(left.map((r) => r.case_id));
    expect(leftIds.has(made.closedRecent!)).toBe(true);
    for (const s of ['merged', 'cancelled', 'rejected', 'closedLong'])
      expect(leftIds.has(made[s]!)).toBe(false);
    const orphanBands = await k
      .selectFrom('case_bands')
      .select('case_id')
      .where('case_id', 'in', [made.merged!, made.closedLong!])
      .execute();
    expect(orphanBands).toEqual([]);
  });

  it('join, merge by proposal and undo: every report stays, with its channel', async () => {
    clock.set(new Date(START.getTime() + 4 * DAY));
    const first = await intake({ text: NOISE, grid: g1, topic: 'noise', channel: 'grid' });
    expect(first.m.decision.kind).toBe('none');
    clock.advance(3600_000);
    // the hotline's near-copy at the same place joins the case automatically
    const hot = await intake({
      text: NOISE_HOTLINE,
      grid: g1,
      topic: 'noise',
      offsetM: 15,
      channel: 'hotline',
    });
    expect(hot.m.decision).toMatchObject({ kind: 'auto', caseId: first.caseId });
    expect(hot.caseId).toBe(first.caseId);
    const x1 = await getCase(first.caseId);
    expect(x1.reportCount).toBe(2);
    expect(await channelsOf(first.caseId)).toEqual(['grid', 'hotline']);
    const joinedEvent = (await store.repos.cases.eventsOf(first.caseId)).at(-1)!;
    expect(joinedEvent).toMatchObject({ action: 'reportJoined', version: 2 });
    expect(joinedEvent.payload).toMatchObject({ reportId: hot.reportId, channel: 'hotline' });
    // a resident's reworded report becomes a case of its own, with a proposal
    clock.advance(3600_000);
    const res = await intake({
      text: NOISE_REWORDED,
      grid: g2,
      topic: 'noise',
      offsetM: 30,
      channel: 'resident',
    });
    expect(res.caseId).not.toBe(first.caseId);
    expect(res.m.decision.kind).toBe('propose');
    const listed = await merging.listProposals(c1Operator, {});
    const proposal = listed.items.find((p) => p.case.id === res.caseId && p.candidate.id === first.caseId);
    expect(proposal).toMatchObject({
      status: 'pending',
      rank: 1,
      candidate: { inScope: true, reportCount: 2 },
    });
    // outside the scope there is no such proposal; a grid worker may not decide
    expect((await merging.listProposals(c3Operator, {})).items.map((p) => p.id)).not.toContain(proposal!.id);
    await expect(merging.decideProposal(c3Operator, proposal!.id, 'accept', ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(merging.decideProposal(worker, proposal!.id, 'accept', ctx)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    clock.advance(60_000);
    const accepted = await merging.decideProposal(c1Operator, proposal!.id, 'accept', ctx);
    expect(accepted).toMatchObject({ status: 'accepted', caseId: res.caseId, intoCaseId: first.caseId });
    await expect(merging.decideProposal(c1Operator, proposal!.id, 'accept', ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(merging.decideProposal(c1Operator, proposal!.id, 'reject', ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const mergedCase = await getCase(res.caseId);
    expect(mergedCase).toMatchObject({ status: 'merged', mergedInto: first.caseId, reportCount: 0 });
    expect(await channelsOf(first.caseId)).toEqual(['grid', 'hotline', 'resident']);
    expect((await getCase(first.caseId)).reportCount).toBe(3);
    const moved = (await store.repos.cases.eventsOf(first.caseId)).at(-1)!;
    expect(moved).toMatchObject({ action: 'reportsMerged' });
    expect(moved.payload).toMatchObject({
      fromCaseId: res.caseId,
      reportIds: [res.reportId],
      proposalId: proposal!.id,
    });
    expect(
      await k.selectFrom('case_signatures').select('case_id').where('case_id', '=', res.caseId).execute(),
    ).toEqual([]);

    // undo the automatic join: the hotline report gets a case of its own where it was reported
    clock.advance(60_000);
    await expect(merging.unmerge(c3Operator, hot.reportId, ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const split = await merging.unmerge(c1Operator, hot.reportId, ctx);
    expect(split).toMatchObject({ fromCaseId: first.caseId, createdCase: true });
    const z = await getCase(split.caseId);
    expect(z).toMatchObject({ status: 'reported', reportCount: 1, gridId: g1.id, channel: 'hotline' });
    expect(await channelsOf(split.caseId)).toEqual(['hotline']);
    expect((await store.repos.cases.eventsOf(split.caseId))[0]).toMatchObject({ action: 'report' });
    await expect(merging.unmerge(c1Operator, hot.reportId, ctx)).rejects.toMatchObject({ code: 'CONFLICT' });
    // undo the merge: the merged case cannot be revived, so the resident's report gets a new case
    const back = await merging.unmerge(c1Operator, res.reportId, ctx);
    expect(back.createdCase).toBe(true);
    expect(back.caseId).not.toBe(res.caseId);
    expect(await channelsOf(back.caseId)).toEqual(['resident']);
    expect((await getCase(back.caseId)).gridId).toBe(g2.id);
    // the first report never moved, and a case keeps at least one report
    await expect(merging.unmerge(c1Operator, first.reportId, ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const x = await getCase(first.caseId);
    expect(x.reportCount).toBe(1);
    expect(await channelsOf(first.caseId)).toEqual(['grid']);
    const timeline = (await store.repos.cases.eventsOf(first.caseId)).map((e) => [e.version, e.action]);
    expect(timeline).toEqual([
      [1, 'report'],
      [2, 'reportJoined'],
      [3, 'reportsMerged'],
      [4, 'reportSplit'],
      [5, 'reportSplit'],
    ]);
    const moves = await store.repos.merging.movesOf(res.reportId);
    expect(moves).toMatchObject([
      { kind: 'merge', fromCaseId: res.caseId, toCaseId: first.caseId, undoCaseId: back.caseId },
    ]);
    expect(moves[0]!.undoneAt).not.toBeNull();
  });

  it('rejects a proposal once; the second decision is a conflict', async () => {
    clock.set(new Date(START.getTime() + 6 * DAY));
    const a = await intake({
      text: '长青小区12号楼楼道里堆满杂物，消防通道被堵，存在火灾隐患',
      grid: g1,
      topic: 'fire',
    });
    clock.advance(3600_000);
    const b = await intake({
      text: '12号楼楼道杂物多，挡住了消防通道',
      grid: g1,
      topic: 'fire',
      offsetM: 20,
      channel: 'resident',
    });
    expect(b.m.decision.kind).toBe('propose');
    const p = (await merging.listProposals(c1Operator, { scope: g1.code })).items.find(
      (x) => x.case.id === b.caseId && x.candidate.id === a.caseId,
    );
    expect(p).toBeDefined();
    const r = await merging.decideProposal(c1Operator, p!.id, 'reject', ctx, '不是同一栋楼');
    expect(r).toMatchObject({ status: 'rejected', intoCaseId: null });
    await expect(merging.decideProposal(c1Operator, p!.id, 'accept', ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const rejected = await merging.listProposals(c1Operator, { status: 'rejected' });
    expect(rejected.items.find((x) => x.id === p!.id)).toMatchObject({
      note: '不是同一栋楼',
      status: 'rejected',
    });
    expect((await getCase(b.caseId)).status).toBe('reported');
  });

  it('finds a hot spot of five similar reports in one community within a week, not four', async () => {
    clock.set(new Date(START.getTime() + 10 * DAY));
    const texts = [
      '东风路菜市场门口占道经营，摊贩把路堵死了',
      '菜市场门口摊贩占道经营，车辆无法通行',
      '东风路菜市场门口又有人占道摆摊，路都堵了',
      '反映东风路菜市场门口占道经营问题，摊贩堵路',
      '菜市场门口占道经营严重，东风路堵了',
    ];
    for (const [i, text] of texts.entries()) {
      clock.advance(DAY);
      const where = { topic: 'market' as const, offsetM: i * 20, fixture: true };
      await intake({ text, grid: i % 2 ? g2 : g1, channel: i % 2 ? 'hotline' : 'grid', ...where });
      if (i < 4) await intake({ text, grid: g4, ...where });
    }
    const c1Spots = await detectHotSpotsFor(store.repos, c1.path, clock.now());
    const market = c1Spots.clusters.find((s) => s.memberIds.length >= 5);
    expect(market).toMatchObject({ unitCode: c1.code, channels: ['grid', 'hotline'] });
    expect(market!.caseIds).toHaveLength(5);
    expect((await detectHotSpotsFor(store.repos, c3.path, clock.now())).clusters).toEqual([]);
    const view = await merging.hotSpots(c1Operator, c1.code);
    expect(view.items.some((s) => s.reportCount >= 5)).toBe(true);
    await expect(merging.hotSpots(c3Operator, c1.code)).rejects.toMatchObject({ code: 'UNIT_NOT_FOUND' });
    // a week later the window has moved past them
    clock.advance(8 * DAY);
    expect((await detectHotSpotsFor(store.repos, c1.path, clock.now())).clusters).toEqual([]);
  });

  it('backfills the index with cases taken in before it existed', async () => {
    const { caseId } = await intake({ text: LAMP_REWORDED, grid: g3, topic: 'fire', fixture: true });
    await store.transaction((tx) => tx.merging.removeIndex([caseId]));
    const signatureOf = () =>
      k.selectFrom('case_signatures').select('signature').where('case_id', '=', caseId).execute();
    expect(await signatureOf()).toEqual([]);
    expect(await merging.backfillIndex()).toBeGreaterThanOrEqual(1);
    expect(await signatureOf()).toHaveLength(1);
    expect(await merging.backfillIndex()).toBe(0);
  });
});
