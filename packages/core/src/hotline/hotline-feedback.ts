import { formatCstTime } from './hotline-time.js';

/** Where a hotline order stands, as the city system knows the stages (受理 → 办理 → 办结). */
export type HotlineFeedbackStatus =
  'accepted' | 'in_progress' | 'extension_requested' | 'returned' | 'completed' | 'closed';

/** The handling result (办理结果). */
export type HotlineResolution = 'resolved' | 'partially_resolved' | 'unresolved' | 'explained';

/** The caller's answer at the revisit (回访满意度). */
export type HotlineSatisfaction = 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'not_reached';

/**
 * What we report back on one hotline order. A small input type of its own, so the export does not
 * depend on the case module: the caller builds it from a case (status, handler unit, feedback, revisit).
 */
export interface HotlineFeedback {
  externalOrderId: string;
  status: HotlineFeedbackStatus;
  resolution?: HotlineResolution;
  /** Name of the unit that handled the order (办理单位). */
  handlingUnit?: string;
  /** Instant of completion (办结时间), ISO-8601 or Date. */
  completedAt?: string | Date;
  satisfaction?: HotlineSatisfaction;
  /** The reply to the caller (答复内容); write it already masked. */
  reply?: string;
  /** Why the order is sent back (回退原因), when status is 'returned'. */
  returnReason?: string;
  /** Our case number, e.g. 370112-20261127-000123. */
  caseNumber?: string;
  /** When this state was reached (反馈时间). */
  updatedAt: string | Date;
}

/** Status labels as hotline systems print them. */
export const HOTLINE_STATUS_LABELS: Readonly<Record<HotlineFeedbackStatus, string>> = {
  accepted: '已签收',
  in_progress: '办理中',
  extension_requested: '申请延期',
  returned: '已回退',
  completed: '已办结',
  closed: '已归档',
};

/** Result labels (办理结果). */
export const HOTLINE_RESOLUTION_LABELS: Readonly<Record<HotlineResolution, string>> = {
  resolved: '已解决',
  partially_resolved: '部分解决',
  unresolved: '未解决',
  explained: '解释说明',
};

/** Revisit labels (回访满意度). */
export const HOTLINE_SATISFACTION_LABELS: Readonly<Record<HotlineSatisfaction, string>> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  not_reached: '未回访',
};

/** Header row of the feedback file, in the order of toHotlineFeedbackRow. */
export const hotlineFeedbackColumns: readonly string[] = [
  '工单编号',
  '办理状态',
  '办理结果',
  '办理单位',
  '办结时间',
  '回访满意度',
  '答复内容',
  '回退原因',
  '平台案件编号',
  '反馈时间',
];

/** One feedback row for the city system, in hotlineFeedbackColumns order; times in CST 'YYYY-MM-DD HH:MM:SS'. */
export function toHotlineFeedbackRow(f: HotlineFeedback): string[] {
  return [
    f.externalOrderId,
    HOTLINE_STATUS_LABELS[f.status],
    f.resolution === undefined ? '' : HOTLINE_RESOLUTION_LABELS[f.resolution],
    f.handlingUnit ?? '',
    f.completedAt === undefined ? '' : formatCstTime(f.completedAt),
    f.satisfaction === undefined ? '' : HOTLINE_SATISFACTION_LABELS[f.satisfaction],
    f.reply ?? '',
    f.returnReason ?? '',
    f.caseNumber ?? '',
    formatCstTime(f.updatedAt),
  ];
}

/** JSON body of a feedback webhook: stable English keys, the Chinese labels beside the codes, instants in UTC. */
export function toHotlineFeedbackPayload(f: HotlineFeedback): Record<string, string | null> {
  const iso = (t: string | Date | undefined): string | null =>
    t === undefined ? null : new Date(typeof t === 'string' ? Date.parse(t) : t.getTime()).toISOString();
  return {
    externalOrderId: f.externalOrderId,
    status: f.status,
    statusLabel: HOTLINE_STATUS_LABELS[f.status],
    resolution: f.resolution ?? null,
    resolutionLabel: f.resolution === undefined ? null : HOTLINE_RESOLUTION_LABELS[f.resolution],
    handlingUnit: f.handlingUnit ?? null,
    completedAt: iso(f.completedAt),
    satisfaction: f.satisfaction ?? null,
    satisfactionLabel: f.satisfaction === undefined ? null : HOTLINE_SATISFACTION_LABELS[f.satisfaction],
    reply: f.reply ?? null,
    returnReason: f.returnReason ?? null,
    caseNumber: f.caseNumber ?? null,
    updatedAt: iso(f.updatedAt),
  };
}
