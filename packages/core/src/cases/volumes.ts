import type { Actor } from '../access/actor.js';
import { requirePermission, unitInScope } from '../access/actor.js';
import type { ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';

/** The three volumes (三量): hotline complaints, opinion items, petitions. */
export const VOLUME_LINES = ['hotline', 'opinion', 'petition'] as const;
export type VolumeLine = (typeof VOLUME_LINES)[number];
export type Granularity = 'month' | 'week';

const CST_MS = 8 * 3600_000;

/** The China-time period an instant falls in: `YYYY-MM` or the Monday `YYYY-MM-DD` of its week. */
export function periodOf(at: Date, g: Granularity): string {
  const local = new Date(at.getTime() + CST_MS);
  if (g === 'month') return local.toISOString().slice(0, 7);
  const dow = (local.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(local.getTime() - dow * 86_400_000).toISOString().slice(0, 10);
}

/** The last `n` periods up to and including the one holding `now`, oldest first. */
export function lastPeriods(now: Date, g: Granularity, n: number): string[] {
  const out: string[] = [];
  const local = new Date(now.getTime() + CST_MS);
  for (let i = n - 1; i >= 0; i--) {
    if (g === 'month') {
      const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - i, 1));
      out.push(d.toISOString().slice(0, 7));
    } else {
      out.push(periodOf(new Date(now.getTime() - i * 7 * 86_400_000), 'week'));
    }
  }
  return out;
}

/** A series' trend: the last change's direction and how many periods in a row it has fallen. */
export interface Trend {
  direction: 'rising' | 'falling' | 'flat';
  /** Consecutive decreases ending at the last complete period. */
  fallingFor: number;
  risingFor: number;
}

/** The trend of a series of counts (oldest first). */
export function trendOf(series: readonly number[]): Trend {
  const n = series.length;
  const last = series[n - 1] ?? 0;
  const prev = series[n - 2] ?? last;
  let fallingFor = 0;
  for (let i = n - 1; i > 0 && series[i]! < series[i - 1]!; i--) fallingFor++;
  let risingFor = 0;
  for (let i = n - 1; i > 0 && series[i]! > series[i - 1]!; i--) risingFor++;
  return { direction: last < prev ? 'falling' : last > prev ? 'rising' : 'flat', fallingFor, risingFor };
}

/** Reads for the volumes (implemented in packages/db). */
export interface VolumeRepository {
  /** Reports per UTC hour (`YYYY-MM-DDTHH`) and line under a unit path, received in [since, until). */
  reportsByHour(
    scopePrefix: string,
    since: string,
    until: string,
  ): Promise<Array<{ hour: string; channel: string; n: number }>>;
  /** Revisits (回访) under a unit path in [since, until): when and how satisfied. */
  revisits(
    scopePrefix: string,
    since: string,
    until: string,
  ): Promise<Array<{ at: string; satisfaction: string }>>;
}

/**
 * The three volumes (三量) of a unit: counts per month or week of hotline complaints, opinion items
 * and petitions with their trends, "falling for k periods" for each and for all three together
 * (三量同降), and the revisit satisfaction rate with its trend. The current period is partial: trends
 * are computed on complete periods.
 */
export function createVolumeService(deps: ServiceDeps) {
  const { store, clock } = deps;
  return {
    async volumes(actor: Actor, unitCode: string, opts: { granularity: Granularity; periods: number }) {
      requirePermission(actor, 'stats:read');
      const unit = await store.repos.units.findByCode(unitCode);
      if (!unit || !unitInScope(actor, unit.path))
        throw new AppError('UNIT_NOT_FOUND', `unit ${unitCode} not found`);
      const now = clock.now();
      const periods = lastPeriods(now, opts.granularity, opts.periods);
      // from the start of the first period, China time
      const first = periods[0]!;
      const since = new Date(
        Date.parse(opts.granularity === 'month' ? `${first}-01T00:00:00+08:00` : `${first}T00:00:00+08:00`),
      ).toISOString();
      const until = new Date(now.getTime() + 1).toISOString();
      const [hours, revisits] = await Promise.all([
        store.repos.volumes.reportsByHour(unit.path, since, until),
        store.repos.volumes.revisits(unit.path, since, until),
      ]);
      const index = new Map(periods.map((p, i) => [p, i]));
      const series = Object.fromEntries(VOLUME_LINES.map((l) => [l, periods.map(() => 0)])) as Record<
        VolumeLine,
        number[]
      >;
      for (const h of hours) {
        const i = index.get(periodOf(new Date(`${h.hour}:00:00Z`), opts.granularity));
        const s = series[h.channel as VolumeLine];
        if (i !== undefined && s) s[i]! += h.n;
      }
      const satisfied = periods.map(() => 0);
      const rated = periods.map(() => 0);
      for (const r of revisits) {
        const i = index.get(periodOf(new Date(r.at), opts.granularity));
        if (i === undefined) continue;
        rated[i]!++;
        if (r.satisfaction !== 'dissatisfied') satisfied[i]!++;
      }
      const complete = (xs: number[]) => xs.slice(0, -1);
      const trends = Object.fromEntries(VOLUME_LINES.map((l) => [l, trendOf(complete(series[l]))])) as Record<
        VolumeLine,
        Trend
      >;
      const rate = periods.map((_, i) => (rated[i]! ? satisfied[i]! / rated[i]! : null));
      return {
        unit: { code: unit.code, name: unit.name, level: unit.level },
        granularity: opts.granularity,
        periods,
        series,
        trends,
        /** 三量同降: all three lines falling, for this many complete periods in a row. */
        allFallingFor: Math.min(...VOLUME_LINES.map((l) => trends[l].fallingFor)),
        satisfaction: {
          rated,
          rate,
          trend: trendOf(complete(rate.map((x) => (x === null ? 0 : Math.round(x * 1000))))),
        },
      };
    },
  };
}

export type VolumeService = ReturnType<typeof createVolumeService>;
