/**
 * Spike detection as the scheduler runs it: every completed bucket (hour, local day) since the
 * last run is evaluated once; spikes per (topic, unit) raise or update early warnings (预警).
 *
 * One run = one transaction: the per-bucket "evaluated up to" marks are compare-and-set first, so
 * two processes running at once cannot both write (the loser rolls back and reports `skipped`),
 * and re-running for the same instant evaluates nothing new.
 *
 * Posts count for their own unit and every ancestor down to `rollUpTo` digits (6 = the district),
 * by the unit path stored with the post: a burst spread over several communities still stands out
 * in its street's series. Posts that arrive after their bucket was evaluated are stored and listed
 * but do not raise a spike retroactively.
 */
import type { Actor } from '../access/actor.js';
import { SYSTEM_ACTOR } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { NO_REQUEST } from '../shared/context.js';
import { AppError, isAppError } from '../shared/errors.js';
import type { OpinionObservationRow, OpinionRepository, WarningRow } from './opinion-ports.js';
import { opinionRepo } from './opinion-store.js';
import type { Spike, SpikeObservation, SpikeOptions } from './spike.js';
import { detectSpikes, spikeOptions } from './spike.js';
import type { EarlyWarning } from './warning.js';
import { DEFAULT_QUIET_AFTER_DISMISS_MS, ingestSpike, warningKey } from './warning.js';

export type DetectionBucket = SpikeOptions['bucket'];

export interface DetectionOptions {
  /** Bucket sizes evaluated each run; hours catch sharp bursts early, days slower ones. */
  buckets: readonly DetectionBucket[];
  /** Posts also count for ancestors down to this code length (6 = district, 9 = street). */
  rollUpTo: number;
  /** Without a previous run, evaluate buckets from this far back. */
  firstRunLookbackMs: number;
  /** Overrides of the spike thresholds (the same for every bucket size). */
  spike?: Partial<Omit<SpikeOptions, 'bucket' | 'from' | 'to' | 'historyStart'>>;
}

export const DEFAULT_DETECTION: DetectionOptions = {
  buckets: ['hour', 'day'],
  rollUpTo: 6,
  firstRunLookbackMs: 7 * 86_400_000,
};

export interface DetectionResult {
  /** Another run held the marks: this one wrote nothing. */
  skipped: boolean;
  windows: { bucket: DetectionBucket; from: string; to: string }[];
  spikes: number;
  opened: string[];
  updated: string[];
  suppressed: number;
}

const HOUR_MS = 3_600_000;
const stateKey = (b: DetectionBucket) => `detector.${b}.evaluatedTo`;

interface Plan {
  bucket: DetectionBucket;
  options: SpikeOptions;
  key: string;
  last: string | null;
  from: number;
  to: number;
}

/** The (code, path) of a unit and each ancestor with a code of at least `minLength` digits. */
export function unitChain(unitPath: string, minLength: number): { code: string; path: string }[] {
  const codes = unitPath.split('/').filter(Boolean);
  return codes
    .map((code, i) => ({ code, path: `/${codes.slice(0, i + 1).join('/')}/` }))
    .filter((u) => u.code.length >= minLength);
}

function bucketSizeMs(o: SpikeOptions): number {
  return o.bucket === 'day' ? 24 * HOUR_MS : HOUR_MS;
}

/** Start of the bucket containing `ms` (local midnight for days). */
function bucketFloor(ms: number, o: SpikeOptions): number {
  const size = bucketSizeMs(o);
  const offset = o.utcOffsetMinutes * 60_000;
  return Math.floor((ms + offset) / size) * size - offset;
}

/** Detection over stored posts; `runDetection` is what the scheduler calls. */
export function createOpinionDetector(deps: ServiceDeps, given: Partial<DetectionOptions> = {}) {
  const { store } = deps;
  const opts: DetectionOptions = { ...DEFAULT_DETECTION, ...given };

  async function plan(repo: OpinionRepository, now: Date, firstRunFrom?: Date): Promise<Plan[]> {
    const plans: Plan[] = [];
    for (const bucket of opts.buckets) {
      const options = spikeOptions({ ...opts.spike, bucket });
      const key = stateKey(bucket);
      const last = (await repo.getState(key)) ?? null;
      const start = firstRunFrom?.getTime() ?? now.getTime() - opts.firstRunLookbackMs;
      const from = last !== null ? Date.parse(last) : bucketFloor(start, options);
      const to = bucketFloor(now.getTime(), options);
      if (from < to) plans.push({ bucket, options, key, last, from, to });
    }
    return plans;
  }

  /** Rolls observations up the unit chain, keeping only the (topic, unit) pairs asked for. */
  function rollUp(rows: readonly OpinionObservationRow[], keep: Set<string>, paths: Map<string, string>) {
    const out: SpikeObservation[] = [];
    for (const r of rows) {
      for (const u of unitChain(r.unitPath, opts.rollUpTo)) {
        if (!keep.has(`${r.topic}\u0000${u.code}`)) continue;
        paths.set(u.code, u.path);
        out.push({
          postId: r.postId,
          topic: r.topic,
          unitCode: u.code,
          at: Date.parse(r.postedAt),
          authorHandle: r.authorHandle,
          negativity: r.negativity,
          engagement: r.engagement,
        });
      }
    }
    return out;
  }

  /** Spikes of one bucket size in [from, to); a count pass first skips quiet series. */
  async function spikesOf(
    repo: OpinionRepository,
    p: Plan,
    historyStart: number,
    paths: Map<string, string>,
  ) {
    const counts = new Map<string, number>();
    for (const c of await repo.windowCounts(new Date(p.from).toISOString(), new Date(p.to).toISOString()))
      for (const u of unitChain(c.unitPath, opts.rollUpTo)) {
        const k = `${c.topic}\u0000${u.code}`;
        counts.set(k, (counts.get(k) ?? 0) + c.posts);
      }
    // fewer posts in the whole window than a spike needs in one bucket: nothing to find there
    const candidates = new Set([...counts].filter(([, n]) => n >= p.options.minCount).map(([k]) => k));
    if (candidates.size === 0) return [];
    const topics = [...new Set([...candidates].map((k) => k.split('\u0000')[0] as string))].sort();
    const since = p.from - p.options.baselineBuckets * bucketSizeMs(p.options);
    const rows = await repo.observations(topics, new Date(since).toISOString(), new Date(p.to).toISOString());
    return detectSpikes(rollUp(rows, candidates, paths), {
      ...p.options,
      historyStart,
      from: p.from,
      to: p.to,
    });
  }

  /** Applies spikes to the stored warnings inside the run's transaction. */
  async function applySpikes(
    repo: OpinionRepository,
    spikes: readonly Spike[],
    paths: Map<string, string>,
  ): Promise<Pick<DetectionResult, 'opened' | 'updated' | 'suppressed'> & { rows: WarningRow[] }> {
    const known = new Map<string, EarlyWarning[]>();
    const original = new Map<string, number>(); // id → stored version (absent: new)
    const changed = new Map<string, EarlyWarning>();
    let suppressed = 0;
    for (const spike of spikes) {
      const key = warningKey(spike);
      let list = known.get(key);
      if (!list) {
        const since = new Date(Date.parse(spike.windowEnd) - DEFAULT_QUIET_AFTER_DISMISS_MS).toISOString();
        const open = await repo.findOpenWarning(spike.topic, spike.unitCode);
        list = [...(open ? [open] : []), ...(await repo.recentDismissed(spike.topic, spike.unitCode, since))];
        for (const w of list) original.set(w.id, w.version);
      }
      const r = ingestSpike(list, spike, { newId: () => deps.ids.next(), now: new Date(spike.windowEnd) });
      known.set(key, r.warnings);
      if (r.warning) changed.set(r.warning.id, r.warning);
      else suppressed++;
    }
    const rows: WarningRow[] = [];
    for (const w of changed.values()) {
      const unitPath = paths.get(w.unitCode);
      if (!unitPath) throw new Error(`no path for unit ${w.unitCode}`);
      rows.push({ ...w, unitPath });
    }
    const opened: string[] = [];
    const updated: string[] = [];
    for (const w of rows) {
      const version = original.get(w.id);
      if (version === undefined) {
        await repo.insertWarning(w);
        opened.push(w.id);
      } else {
        if (!(await repo.updateWarning(w, version)))
          throw new AppError('VERSION_CONFLICT', `warning ${w.id} changed during detection`);
        updated.push(w.id);
      }
    }
    return { opened, updated, suppressed, rows };
  }

  return {
    /**
     * Evaluates every bucket completed since the last run (first run: `firstRunFrom`, default a
     * week back) and writes the warnings; a run for the same `now` again finds nothing new. The
     * audit row names `actor` when a person asked for the run, else the system.
     */
    async runDetection(now: Date, o: { firstRunFrom?: Date; actor?: Actor; ctx?: RequestContext } = {}) {
      const repo = opinionRepo(store.repos);
      const plans = await plan(repo, now, o.firstRunFrom);
      const windows = plans.map((p) => ({
        bucket: p.bucket,
        from: new Date(p.from).toISOString(),
        to: new Date(p.to).toISOString(),
      }));
      const empty: DetectionResult = {
        skipped: false,
        windows,
        spikes: 0,
        opened: [],
        updated: [],
        suppressed: 0,
      };
      if (plans.length === 0) return empty;
      const earliest = await repo.earliestPostAt();
      const paths = new Map<string, string>();
      const spikes: Spike[] = [];
      if (earliest !== null)
        for (const p of plans) spikes.push(...(await spikesOf(repo, p, Date.parse(earliest), paths)));
      // in the order they completed, so dedupe and escalation behave as they would have live
      // (an hour ending at midnight before the day that ends there; stable sort keeps topic order)
      const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      spikes.sort((a, b) => cmp(a.windowEnd, b.windowEnd) || cmp(b.windowStart, a.windowStart));
      try {
        return await store.transaction(async (tx) => {
          const trepo = opinionRepo(tx);
          for (const p of plans)
            if (!(await trepo.claimState(p.key, p.last, new Date(p.to).toISOString(), now.toISOString())))
              throw new AppError('CONFLICT', 'another detection run evaluated these buckets');
          const r = await applySpikes(trepo, spikes, paths);
          if (r.opened.length + r.updated.length > 0)
            await audit(
              tx,
              deps,
              o.actor ?? SYSTEM_ACTOR,
              o.ctx ?? NO_REQUEST,
              'opinion.detect',
              'early_warning',
              null,
              {
                windows,
                spikes: spikes.length,
                opened: r.opened,
                updated: r.updated,
                suppressed: r.suppressed,
              },
            );
          const result: DetectionResult = {
            skipped: false,
            windows,
            spikes: spikes.length,
            opened: r.opened,
            updated: r.updated,
            suppressed: r.suppressed,
          };
          return result;
        });
      } catch (e) {
        if (isAppError(e) && e.code === 'CONFLICT') return { ...empty, skipped: true };
        throw e;
      }
    },
  };
}

export type OpinionDetector = ReturnType<typeof createOpinionDetector>;
