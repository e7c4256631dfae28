/**
 * What callers see of the opinion line: posts with phone and ID numbers masked (handles are public
 * and stay), warnings with their unit and allowed actions, and the text of the case a confirmed
 * warning becomes.
 */
import { maskText } from '../access/masking.js';
import type { Priority } from '../cases/case-ports.js';
import type { OpinionPostRow, WarningRow, WatchlistRow } from './opinion-ports.js';
import type { WarningLevel } from './spike.js';
import { WARNING_LEVEL_NAMES } from './spike.js';
import { allowedWarningActions } from './warning.js';

/** A unit as shown next to a warning. */
export interface UnitLabel {
  code: string;
  name: string;
  level: string;
}

/** A post as callers see it: personal numbers in its text masked. */
export function postView(p: OpinionPostRow) {
  return {
    id: p.id,
    source: p.source,
    url: p.url,
    authorHandle: maskText(p.authorHandle),
    title: p.title === null ? null : maskText(p.title),
    text: maskText(p.text),
    postedAt: p.postedAt,
    engagement: p.engagement,
    unitCode: p.unitCode,
    topics: p.topics,
    negativity: p.negativity,
    heat: p.heat,
    ingestedAt: p.ingestedAt,
  };
}

/** A warning with its unit's name and what the caller may do with it now. */
export function warningView(w: WarningRow, unit: UnitLabel | undefined) {
  return {
    id: w.id,
    topic: w.topic,
    unitCode: w.unitCode,
    unitName: unit?.name ?? null,
    unitLevel: unit?.level ?? null,
    status: w.status,
    level: w.level,
    levelName: WARNING_LEVEL_NAMES[w.level],
    windowStart: w.windowStart,
    windowEnd: w.windowEnd,
    peakCount: w.peakCount,
    baseline: w.baseline,
    score: w.score,
    spikeCount: w.spikeCount,
    evidencePostIds: w.evidencePostIds,
    caseId: w.caseId,
    dismissReason: w.dismissReason,
    decidedBy: w.decidedBy,
    decidedAt: w.decidedAt,
    openedAt: w.openedAt,
    updatedAt: w.updatedAt,
    version: w.version,
    allowedActions: allowedWarningActions(w),
  };
}

/** A watchlist as callers see it. */
export function watchlistView(w: WatchlistRow) {
  return {
    id: w.id,
    topic: w.topic,
    unitCode: w.unitCode,
    terms: [...w.terms],
    excludeTerms: [...w.excludeTerms],
    isActive: w.isActive,
    updatedBy: w.updatedBy,
    updatedAt: w.updatedAt,
  };
}

/** The case's priority from the warning's level: red urgent, orange high, else normal. */
export function priorityOfLevel(level: WarningLevel): Priority {
  return level === 'red' ? 'urgent' : level === 'orange' ? 'high' : 'normal';
}

/**
 * The unit whose center receives the case: the warning's own unit when it is a street or finer
 * (its center knows the place and keeps seeing the case), the district center otherwise.
 */
export function caseUnitCode(w: Pick<WarningRow, 'unitCode'>): string {
  return w.unitCode.length >= 9 ? w.unitCode : w.unitCode.slice(0, 6);
}

const EXCERPT = 200;
const CASE_TEXT_MAX = 4000;

/** The case text: what the warning says, then the evidence posts (masked excerpts and links). */
export function caseText(w: WarningRow, unit: UnitLabel | undefined, evidence: readonly OpinionPostRow[]) {
  const where = unit ? `${unit.name}（${w.unitCode}）` : w.unitCode;
  const head =
    `【舆情${WARNING_LEVEL_NAMES[w.level]}】话题 ${w.topic}，${where}：` +
    `${w.windowStart} 至 ${w.windowEnd} 有 ${w.peakCount} 位作者发帖（基线 ${w.baseline}），` +
    `共 ${w.spikeCount} 次突增。`;
  const lines = evidence.map((p, i) => {
    const body = maskText(`${p.title ? `${p.title}：` : ''}${p.text}`).replace(/\s+/g, ' ');
    const excerpt = [...body].length > EXCERPT ? `${[...body].slice(0, EXCERPT).join('')}…` : body;
    return `${i + 1}. [${p.source}] ${excerpt} ${p.url}`;
  });
  const text = [head, ...lines].join('\n');
  return [...text].length > CASE_TEXT_MAX ? `${[...text].slice(0, CASE_TEXT_MAX - 1).join('')}…` : text;
}
