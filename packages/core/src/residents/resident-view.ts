/**
 * What a resident (or anyone holding a tracking code) sees of a case: its status in Chinese and a
 * timeline of public milestones. Never staff names or ids, handlers, departments, internal notes,
 * supervision cards or other reporters' data.
 */
import { maskText } from '../access/masking.js';
import type { CaseEventRow, CaseRow } from '../cases/case-ports.js';
import type { ResidentReportRow } from './resident-ports.js';

/** Each case status as a resident reads it. */
export const RESIDENT_STATUS_LABELS: Record<string, string> = {
  reported: '已接收，等待受理',
  registered: '已受理',
  dispatched: '已派单，等待处置',
  handling: '处置中',
  verifying: '已处置，核查中',
  verified: '已核查，即将办结',
  closed: '已办结',
  evaluated: '已办结',
  rejected: '不予受理',
  cancelled: '已撤销',
  merged: '已与同一问题合并办理',
};

export const MILESTONES = [
  'received',
  'registered',
  'dispatched',
  'handled',
  'closed',
  'reopened',
  'revisited',
  'rejected',
  'cancelled',
  'merged',
] as const;
export type Milestone = (typeof MILESTONES)[number];

const MILESTONE_LABELS: Record<Milestone, string> = {
  received: '问题已接收',
  registered: '已受理立案',
  dispatched: '已派单处置',
  handled: '已处置完毕，等待核查',
  closed: '已办结',
  reopened: '重新办理',
  revisited: '已回访评价',
  rejected: '不予受理',
  cancelled: '已撤销',
  merged: '已与同一问题合并办理',
};

/** Timeline actions a resident sees, and the milestone each one is; every other action stays internal. */
const MILESTONE_OF_ACTION: Record<string, Milestone> = {
  report: 'received',
  resolveOnSpot: 'received',
  register: 'registered',
  dispatch: 'dispatched',
  feedback: 'handled',
  close: 'closed',
  reopen: 'reopened',
  revisit: 'revisited',
  reject: 'rejected',
  cancel: 'cancelled',
  merge: 'merged',
};

/** The public milestones of a timeline, oldest first; a repeated step (a second dispatch) shows once. */
export function publicMilestones(events: readonly Pick<CaseEventRow, 'action' | 'at'>[]) {
  const out: Array<{ milestone: Milestone; label: string; at: string }> = [];
  for (const e of events) {
    const m = MILESTONE_OF_ACTION[e.action];
    if (!m || out[out.length - 1]?.milestone === m) continue;
    out.push({ milestone: m, label: MILESTONE_LABELS[m], at: e.at });
  }
  return out;
}

/** True when the case is closed and its reporter has not rated this closure yet. */
export function canRate(c: Pick<CaseRow, 'status' | 'closedAt'>, r: Pick<ResidentReportRow, 'ratedAt'>) {
  if (c.status !== 'closed' && c.status !== 'evaluated') return false;
  return r.ratedAt === null || (c.closedAt !== null && r.ratedAt < c.closedAt);
}

/** One report's progress as shown to whoever holds its tracking code. */
export function progressView(
  r: ResidentReportRow,
  c: CaseRow,
  events: readonly Pick<CaseEventRow, 'action' | 'at'>[],
  grid: { code: string; name: string } | null,
) {
  return {
    trackingCode: r.trackingCode,
    caseNumber: c.number,
    status: c.status,
    statusLabel: RESIDENT_STATUS_LABELS[c.status] ?? c.status,
    // the reporter's own words, with phone and ID numbers masked (the page is public to the code)
    summary: maskText(c.summary).slice(0, 120),
    grid,
    reportedAt: r.createdAt,
    updatedAt: c.updatedAt,
    closedAt: c.closedAt,
    milestones: publicMilestones(events),
    canRate: canRate(c, r),
    rating: r.ratedAt ? { satisfaction: r.satisfaction, at: r.ratedAt } : null,
  };
}

export type ProgressView = ReturnType<typeof progressView>;
