import type { HotSpot, HotSpotOptions } from './hot-spots.js';
import { detectHotSpots } from './hot-spots.js';
import { communityPathOf } from './merge-candidates.js';
import type { MergeRepository } from './merge-ports.js';

/** A hot spot of one community, with the cases its reports belong to. */
export interface HotSpotCluster extends HotSpot {
  /** The community (or, for reports addressed above any community, the unit itself). */
  unitCode: string;
  caseIds: string[];
  channels: string[];
}

/** Options of {@link detectHotSpotsFor}: the detector's, plus how many reports to read at most. */
export interface HotSpotScanOptions extends HotSpotOptions {
  /** Most reports read (newest window first). Default 20,000. */
  maxReports?: number;
}

const DAY_MS = 86_400_000;

/**
 * Hot spots (苗头) under a unit path: clusters of similar reports in one community within the
 * last `windowDays` (default 7) reaching `minCount` (default 5). Reports count, not cases: five
 * reports that joined one case are five people raising one problem. Reports of cancelled or
 * rejected cases do not count. The caller turns clusters into early warnings.
 */
export async function detectHotSpotsFor(
  repos: { merging: MergeRepository },
  scopePrefix: string,
  now: Date,
  options: HotSpotScanOptions = {},
): Promise<{
  since: string;
  until: string;
  windowDays: number;
  minCount: number;
  clusters: HotSpotCluster[];
}> {
  const { maxReports = 20_000, ...detect } = options;
  const windowDays = detect.windowDays ?? 7;
  const minCount = detect.minCount ?? 5;
  const until = now.toISOString();
  const since = new Date(now.getTime() - windowDays * DAY_MS).toISOString();
  const rows = await repos.merging.recentReports({ scopePrefix, since, until, limit: maxReports });
  const byId = new Map(rows.map((r) => [r.reportId, r]));
  const spots = detectHotSpots(
    rows.map((r) => ({
      id: r.reportId,
      unitCode: communityPathOf(r.unitPath).split('/').filter(Boolean).pop() ?? r.unitPath,
      time: Date.parse(r.createdAt),
      text: r.text,
      // a caller's number or a resident's account tells one persistent reporter from many
      reporterId: r.reporterPhone ?? (r.channel === 'resident' ? r.createdBy : null),
    })),
    { ...detect, windowDays, minCount },
  );
  const clusters = spots.map((s) => {
    const members = s.memberIds.flatMap((id) => byId.get(id) ?? []);
    return {
      ...s,
      caseIds: [...new Set(members.map((m) => m.caseId))],
      channels: [...new Set(members.map((m) => m.channel))].sort(),
    };
  });
  return { since, until, windowDays, minCount, clusters };
}
