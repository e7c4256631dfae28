/**
 * The opinion service against real databases (through the opinion repository): ingest, file
 * import, detection, decisions, watchlists and scope. The case intake is outside the module: a
 * stub records what it was asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, IntakeInput, ServiceDeps, Store } from '@civicgrid/core';
import { AppError, createIdGenerator, fixedClock, NO_REQUEST } from '@civicgrid/core';
// core's index exports the opinion module once it is wired; the source path works before and after
import { createOpinionService } from '../../core/src/opinion/opinion.service.js';
import type { OpinionService } from '../../core/src/opinion/opinion.service.js';
import { describeEachDb } from '../../../test/support/databases.js';
import type { OpinionTestDb } from './opinion-support.js';
import { actorOf, openOpinionDb, testDistrict } from './opinion-support.js';

const NOW = new Date('2026-11-27T04:00:00Z'); // 12:00 in Jinan
const { all, d, s1, s2, c1, g1 } = testDistrict();
const admin = actorOf('admin', d);
const district = actorOf('districtOperator', d);
const street1 = actorOf('streetOperator', s1);
const street2 = actorOf('streetOperator', s2);
const community1 = actorOf('communityOperator', c1);
const worker = actorOf('gridWorker', g1);
const resident = actorOf('resident', null);

/** Runs a call that must fail and returns its AppError. */
async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
}

const paths = (e: AppError) =>
  ((e.details as { issues: { path: string }[] }).issues ?? []).map((i) => i.path);

function noisePost(n: number, at: Date, over: Record<string, unknown> = {}) {
  return {
    source: 'weibo',
    url: `https://weibo.example/status/${n}`,
    authorHandle: `居民${n}`,
    text: `小区旁工地夜间施工，噪音扰民严重！${n}`,
    postedAt: at.toISOString(),
    engagement: { likes: 10 + n, comments: 2 },
    unitCode: c1.code,
    ...over,
  };
}

describeEachDb('opinion service', (kind) => {
  let db: OpinionTestDb;
  let store: Store;
  let clock: ReturnType<typeof fixedClock>;
  let service: OpinionService;
  const intakeCalls: { actor: Actor; input: IntakeInput }[] = [];
  let intakeResult: () => Promise<{ caseId: string; caseNumber: string }>;

  const auditCount = async (action: string) =>
    (await store.repos.audit.list({ limit: 500 })).filter((a) => a.action === action).length;

  beforeAll(async () => {
    db = await openOpinionDb(kind);
    store = db.store;
    clock = fixedClock(NOW);
    const deps: ServiceDeps = {
      store,
      clock,
      ids: createIdGenerator(clock),
      passwords: { hash: async (p) => p, verify: async (h, p) => h === p },
      randomBytes: (n) => new Uint8Array(n),
    };
    let n = 0;
    intakeResult = async () => ({ caseId: `case-${++n}`, caseNumber: `370112-20261127-00000${n}` });
    service = createOpinionService(deps, {
      intake: async (actor, input) => {
        intakeCalls.push({ actor, input });
        return intakeResult();
      },
    });
    await store.repos.units.insertMany(all, NOW.toISOString());
  });
  afterAll(async () => db?.t.drop());

  describe('watchlists', () => {
    it('are validated, field by field', async () => {
      const e = await failure(
        service.createWatchlist(
          district,
          { id: 'noise', topic: 'Noise!', terms: ['噪音', '噪音', ''] },
          NO_REQUEST,
        ),
      );
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(paths(e)).toEqual(['topic', 'terms.1', 'terms.2']);
    });

    it('for a unit need the unit in scope; district-wide ones need district staff', async () => {
      const outside = await failure(
        service.createWatchlist(street1, { topic: 'noise', unitCode: s2.code, terms: ['华山'] }, NO_REQUEST),
      );
      expect(paths(outside)).toEqual(['unitCode']);
      const wide = await failure(
        service.createWatchlist(street1, { topic: 'noise', unitCode: null, terms: ['噪音'] }, NO_REQUEST),
      );
      expect(wide.code).toBe('FORBIDDEN');
      expect(
        (await failure(service.createWatchlist(worker, { topic: 'noise', terms: ['噪音'] }, NO_REQUEST)))
          .code,
      ).toBe('FORBIDDEN');
      const own = await service.createWatchlist(
        street1,
        { id: 'unit-s1-property', topic: 'property', unitCode: s1.code, terms: ['物业费'] },
        NO_REQUEST,
      );
      expect(own).toMatchObject({
        id: 'unit-s1-property',
        unitCode: s1.code,
        isActive: true,
        updatedBy: street1.userId,
      });
    });

    it('drive the topics of posts taken in afterwards', async () => {
      await service.createWatchlist(
        district,
        { id: 'topic-noise', topic: 'noise', terms: ['噪音', '扰民'] },
        NO_REQUEST,
      );
      await service.createWatchlist(
        district,
        { id: 'topic-fees', topic: 'school-fees', terms: ['补课费'] },
        NO_REQUEST,
      );
      expect(
        (
          await failure(
            service.createWatchlist(
              district,
              { id: 'topic-noise', topic: 'noise', terms: ['x'] },
              NO_REQUEST,
            ),
          )
        ).code,
      ).toBe('DUPLICATE');
      await service.updateWatchlist(district, 'topic-fees', { isActive: false }, NO_REQUEST);
      const r = await service.ingest(
        district,
        [
          noisePost(900, new Date('2026-11-01T00:00:00Z'), {
            text: '学校收补课费，噪音也大',
            unitCode: null,
          }),
        ],
        NO_REQUEST,
      );
      expect(r.topics).toEqual({ noise: 1 });
      const lists = await service.listWatchlists(street2);
      expect(lists.map((l) => l.id).sort()).toEqual(['topic-fees', 'topic-noise']); // not street 1's own
      expect(await auditCount('opinion.watchlist.create')).toBe(3);
    });
  });

  describe('ingest', () => {
    it('is idempotent by (source, url), one audit row per batch', async () => {
      const batch = [1, 2, 3].map((n) => noisePost(n, new Date('2026-11-10T02:00:00Z')));
      const before = await auditCount('opinion.ingest');
      expect(await service.ingest(community1, batch, NO_REQUEST)).toEqual({
        received: 3,
        inserted: 3,
        duplicates: 0,
        topics: { noise: 3 },
      });
      expect(await service.ingest(community1, [...batch, batch[0]], NO_REQUEST)).toMatchObject({
        received: 4,
        inserted: 0,
        duplicates: 4,
      });
      expect(await auditCount('opinion.ingest')).toBe(before + 2);
      const listed = await service.listPosts(community1, { topic: 'noise' });
      expect(listed.items.filter((p) => p.url.startsWith('https://weibo.example/status/'))).toHaveLength(3);
    });

    it('names every bad field by its index and writes nothing', async () => {
      const e = await failure(
        service.ingest(
          district,
          [
            noisePost(10, NOW),
            noisePost(11, NOW, { url: 'ftp://x.example/1' }),
            noisePost(12, new Date(NOW.getTime() + 86_400_000)),
            noisePost(13, NOW, { engagement: { likes: -1 } }),
            'not a post',
          ],
          NO_REQUEST,
        ),
      );
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(paths(e)).toEqual(['posts.1.url', 'posts.2.postedAt', 'posts.3.engagement.likes', 'posts.4']);
      const unknownUnit = await failure(service.ingest(street2, [noisePost(14, NOW)], NO_REQUEST)); // c1 is not street 2's
      expect(paths(unknownUnit)).toEqual(['posts.0.unitCode']);
      const stored = await service.listPosts(admin, { limit: 500 });
      expect(stored.items.some((p) => p.url.endsWith('/10') || p.url.endsWith('/14'))).toBe(false);
    });

    // history well before the detection window (which starts a week before NOW)
    const EARLIER = new Date('2026-11-15T02:00:00Z');

    it('places posts by watchlist unit, else the district', async () => {
      await service.createWatchlist(
        district,
        { id: 'unit-s2', unitCode: s2.code, terms: ['华山'] },
        NO_REQUEST,
      );
      await service.ingest(
        district,
        [
          noisePost(20, EARLIER, { unitCode: null, text: '华山片区噪音' }),
          noisePost(21, EARLIER, { unitCode: null, text: '某地噪音' }),
        ],
        NO_REQUEST,
      );
      const units = (await service.listPosts(admin, { limit: 500 })).items
        .filter((p) => /\/(20|21)$/.test(p.url))
        .map((p) => [p.url.slice(-2), p.unitCode]);
      expect(units.sort()).toEqual([
        ['20', s2.code],
        ['21', d.code],
      ]);
    });

    it('masks phone numbers in listed posts', async () => {
      await service.ingest(
        district,
        [noisePost(30, EARLIER, { text: '噪音投诉请打13812345678' })],
        NO_REQUEST,
      );
      const p = (await service.listPosts(district, { limit: 500 })).items.find((x) => x.url.endsWith('/30'));
      expect(p?.text).toContain('138****5678');
    });

    it('refuses readers without a unit scope and non-center writers', async () => {
      expect((await failure(service.listPosts(resident))).code).toBe('FORBIDDEN');
      expect((await failure(service.ingest(worker, [noisePost(40, NOW)], NO_REQUEST))).code).toBe(
        'FORBIDDEN',
      );
    });
  });

  describe('file import', () => {
    const line = (n: number, over: Record<string, unknown> = {}) =>
      JSON.stringify(noisePost(n, new Date('2026-11-12T02:00:00Z'), over));

    it('is atomic: one bad line and nothing is written', async () => {
      const content = [line(50), '', line(51, { url: 'not a url' }), '{oops', line(52)].join('\n');
      const e = await failure(service.importFile(district, content, NO_REQUEST));
      expect(e.code).toBe('IMPORT_INVALID');
      expect(paths(e)).toEqual(['lines.3.url', 'lines.4']);
      const stored = await service.listPosts(admin, { limit: 500 });
      expect(stored.items.some((p) => /\/5[0-2]$/.test(p.url))).toBe(false);
    });

    it('with skipBad imports the good lines and reports the bad ones', async () => {
      const content = [line(50), line(51, { postedAt: '2026-11-12 10:00' }), line(52), line(50)].join('\n');
      const r = await service.importFile(district, content, NO_REQUEST, { skipBad: true });
      expect(r).toMatchObject({ lines: 4, inserted: 2, duplicates: 0, rejectedLines: 2 });
      expect(r.rejected.map((x) => [x.line, x.errors[0]?.field])).toEqual([
        [2, 'postedAt'],
        [4, 'url'],
      ]);
      const again = await service.importFile(district, [line(50), line(52)].join('\n'), NO_REQUEST);
      expect(again).toMatchObject({ inserted: 0, duplicates: 2, rejectedLines: 0 });
    });
  });

  describe('detection and decisions', () => {
    const burstAt = (i: number) => new Date(Date.parse('2026-11-26T02:00:00Z') + i * 240_000); // 10:00+ local

    it('raises warnings on a burst and not again when re-run', async () => {
      const burst = Array.from({ length: 8 }, (_, i) => noisePost(100 + i, burstAt(i)));
      await service.ingest(district, burst, NO_REQUEST);
      const [a, b] = await Promise.all([service.runDetection(NOW), service.runDetection(NOW)]);
      // two runs at once: one evaluates, the other finds the marks taken (or nothing left to do)
      const runs = [a, b];
      expect(runs.filter((r) => r.opened.length > 0)).toHaveLength(1);
      const run = runs.find((r) => r.opened.length > 0)!;
      expect(run.windows.map((w) => w.bucket).sort()).toEqual(['day', 'hour']);
      const open = await service.listWarnings(admin, { status: 'open' });
      const keys = open.items.map((w) => `${w.topic}/${w.unitCode}`).sort();
      expect(keys).toEqual(['noise/370112', 'noise/370112001', 'noise/370112001001']);
      const street = open.items.find((w) => w.unitCode === s1.code)!;
      expect(street).toMatchObject({
        unitName: s1.name,
        status: 'open',
        allowedActions: ['confirm', 'dismiss'],
      });
      expect(street.peakCount).toBe(8);
      expect(street.spikeCount).toBe(2); // the hour and the day of the burst, one warning
      const detail = await service.getWarning(street1, street.id);
      expect(detail.evidence.length).toBeGreaterThan(0);
      expect(detail.evidence.every((p) => p.topics.includes('noise') && p.unitCode === c1.code)).toBe(true);

      const again = await service.runDetection(NOW);
      expect(again).toMatchObject({ skipped: false, windows: [], opened: [], updated: [] });
      const later = await service.runDetection(new Date(NOW.getTime() + 2 * 3_600_000));
      expect(later.windows).toHaveLength(1); // two more hours, no new day
      expect(later).toMatchObject({ opened: [], updated: [] });
      const after = await service.listWarnings(admin, { status: 'open' });
      expect(after.items.map((w) => [w.id, w.version])).toEqual(open.items.map((w) => [w.id, w.version]));
      expect(await auditCount('opinion.detect')).toBe(1);
    });

    it('shows each actor only the warnings of its subtree', async () => {
      const units = async (a: Actor) => (await service.listWarnings(a)).items.map((w) => w.unitCode).sort();
      expect(await units(district)).toEqual(['370112', '370112001', '370112001001']);
      expect(await units(street1)).toEqual(['370112001', '370112001001']);
      expect(await units(community1)).toEqual(['370112001001']);
      expect(await units(street2)).toEqual([]);
      const foreign = (await service.listWarnings(district)).items.find((w) => w.unitCode === s1.code)!;
      expect((await failure(service.getWarning(street2, foreign.id))).code).toBe('NOT_FOUND');
      expect((await failure(service.dismiss(street2, foreign.id, '不是本街道', NO_REQUEST))).code).toBe(
        'NOT_FOUND',
      );
      expect((await failure(service.listWarnings(resident))).code).toBe('FORBIDDEN');
      const posts = (await service.listPosts(street1, { limit: 500 })).items;
      expect(posts.length).toBeGreaterThan(0);
      expect(posts.every((p) => p.unitCode.startsWith(s1.code))).toBe(true);
    });

    it('confirms a warning into a case through intake and links it', async () => {
      const w = (await service.listWarnings(street1)).items.find((x) => x.unitCode === s1.code)!;
      const r = await service.confirm(street1, w.id, { priority: 'high' }, NO_REQUEST);
      expect(r).toMatchObject({
        status: 'confirmed',
        caseId: 'case-1',
        decidedBy: street1.userId,
        allowedActions: [],
      });
      expect(r.caseNumber).toBe('370112-20261127-000001');
      const call = intakeCalls.at(-1)!;
      expect(call.actor).toBe(street1);
      expect(call.input).toMatchObject({
        channel: 'opinion',
        unitCode: s1.code,
        priority: 'high',
        externalId: `warning-${w.id}`,
        fields: { source: 'weibo', warningId: w.id, topic: 'noise' },
      });
      expect(call.input.text).toContain('噪音扰民');
      expect((await failure(service.confirm(street1, w.id, {}, NO_REQUEST))).code).toBe(
        'TRANSITION_NOT_ALLOWED',
      );
      expect(await auditCount('opinion.warning.confirm')).toBe(1);
    });

    it('links the case an interrupted confirmation made (intake answers DUPLICATE)', async () => {
      const w = (await service.listWarnings(district)).items.find((x) => x.unitCode === d.code)!;
      intakeResult = async () => {
        throw new AppError('DUPLICATE', 'taken in already', { caseId: 'case-earlier', reportId: 'r' });
      };
      const r = await service.confirm(district, w.id, {}, NO_REQUEST);
      expect(r).toMatchObject({ status: 'confirmed', caseId: 'case-earlier' });
      expect(intakeCalls.at(-1)?.input.unitCode).toBe(d.code); // a district warning goes to the district center
    });

    it('dismisses only with a reason', async () => {
      const w = (await service.listWarnings(community1)).items[0]!;
      for (const reason of [undefined, '', ' ', '好'])
        expect((await failure(service.dismiss(community1, w.id, reason, NO_REQUEST))).code).toBe(
          'VALIDATION_FAILED',
        );
      expect((await failure(service.dismiss(worker, w.id, '误报', NO_REQUEST))).code).toBe('FORBIDDEN');
      const r = await service.dismiss(community1, w.id, '  工地已停工，误报  ', NO_REQUEST);
      expect(r).toMatchObject({ status: 'dismissed', dismissReason: '工地已停工，误报', caseId: null });
      expect((await failure(service.dismiss(community1, w.id, '再次驳回', NO_REQUEST))).code).toBe(
        'TRANSITION_NOT_ALLOWED',
      );
      expect((await service.listWarnings(admin, { status: 'open' })).items).toEqual([]);
    });

    it('lets district staff and admins run detection on demand only', async () => {
      expect((await failure(service.detectNow(street1, NO_REQUEST))).code).toBe('FORBIDDEN');
      expect((await service.detectNow(admin, NO_REQUEST)).skipped).toBe(false);
    });
  });
});
