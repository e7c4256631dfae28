import { maskPhone, maskText } from '../access/masking.js';
import type { CaseEventRow, CaseRow, JointHandlingRow, ReportRow } from './case-ports.js';

/** A report as callers see it: the reporter's contact masked. */
export function reportView(r: ReportRow) {
  return {
    id: r.id,
    channel: r.channel,
    externalId: r.externalId,
    reporterName: r.reporterName ? maskName(r.reporterName) : null,
    reporterPhone: r.reporterPhone ? maskPhone(r.reporterPhone) : null,
    // phone and ID numbers written into the text are masked like the contact fields
    text: maskText(r.text),
    location: r.lng !== null && r.lat !== null ? { lng: r.lng, lat: r.lat } : null,
    address: r.address,
    fields: JSON.parse(maskText(JSON.stringify(r.fields))) as Record<string, unknown>,
    receivedAt: r.receivedAt,
  };
}

function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** A timeline entry. */
export function eventView(e: CaseEventRow) {
  return {
    version: e.version,
    at: e.at,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actorId: e.actorId,
    actorRole: e.actorRole,
    payload: e.payload,
  };
}

/** The case summary used in lists and in the detail view. */
export function caseSummary(c: CaseRow, gridCode: string | null) {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    version: c.version,
    priority: c.priority,
    category: c.categoryCode,
    summary: maskText(c.summary),
    channel: c.channel,
    gridCode,
    location: c.lng !== null && c.lat !== null ? { lng: c.lng, lat: c.lat } : null,
    address: c.address,
    handler: c.handlerKind
      ? {
          kind: c.handlerKind,
          userId: c.handlerUserId,
          unitId: c.handlerUnitId,
          departmentId: c.handlerDepartmentId,
        }
      : null,
    escalation: c.escalation,
    supervision: c.supervision,
    paused: c.isPaused,
    deadlines: { acceptBy: c.acceptDueAt, handleBy: c.handleDueAt, feedbackBy: c.feedbackDueAt },
    repeatOf: c.repeatOf,
    mergedInto: c.mergedInto,
    reportCount: c.reportCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    closedAt: c.closedAt,
  };
}

/** A joint handling (联合处置) as callers see it. */
export function jointView(j: JointHandlingRow) {
  return {
    jointNo: j.jointNo,
    convenedBy: j.convenedBy,
    convenedAt: j.convenedAt,
    meetsAt: j.meetsAt,
    place: j.place,
    purpose: j.purpose,
    participants: j.participants,
    status: j.status,
    outcome: j.outcome === null ? null : maskText(j.outcome),
    resolved: j.resolved,
    recordedAt: j.recordedAt,
  };
}
