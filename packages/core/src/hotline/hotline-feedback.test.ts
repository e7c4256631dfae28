import { describe, expect, it } from 'vitest';
import {
  hotlineFeedbackColumns,
  toHotlineFeedbackPayload,
  toHotlineFeedbackRow,
} from './hotline-feedback.js';
import type { HotlineFeedback } from './hotline-feedback.js';

const closed: HotlineFeedback = {
  externalOrderId: 'JN20261127000123',
  status: 'completed',
  resolution: 'resolved',
  handlingUnit: '洪家楼街道办事处',
  completedAt: '2026-11-28T06:15:00.000Z',
  satisfaction: 'basically_satisfied',
  reply: '已联系供电部门更换灯泡，路灯恢复照明。',
  caseNumber: '370112-20261127-000123',
  updatedAt: new Date('2026-11-29T02:00:00.000Z'),
};

describe('toHotlineFeedbackRow', () => {
  it('writes one cell per column with Chinese labels and CST times', () => {
    const row = toHotlineFeedbackRow(closed);
    expect(row).toHaveLength(hotlineFeedbackColumns.length);
    expect(Object.fromEntries(hotlineFeedbackColumns.map((c, i) => [c, row[i]]))).toEqual({
      工单编号: 'JN20261127000123',
      办理状态: '已办结',
      办理结果: '已解决',
      办理单位: '洪家楼街道办事处',
      办结时间: '2026-11-28 14:15:00',
      回访满意度: '基本满意',
      答复内容: '已联系供电部门更换灯泡，路灯恢复照明。',
      回退原因: '',
      平台案件编号: '370112-20261127-000123',
      反馈时间: '2026-11-29 10:00:00',
    });
  });

  it('leaves absent values empty', () => {
    const row = toHotlineFeedbackRow({
      externalOrderId: 'X1',
      status: 'returned',
      returnReason: '不属于本辖区',
      updatedAt: '2026-11-27T16:00:00Z',
    });
    expect(row).toEqual(['X1', '已回退', '', '', '', '', '', '不属于本辖区', '', '2026-11-28 00:00:00']);
  });
});

describe('toHotlineFeedbackPayload', () => {
  it('gives codes, labels and UTC instants', () => {
    expect(toHotlineFeedbackPayload(closed)).toMatchObject({
      externalOrderId: 'JN20261127000123',
      status: 'completed',
      statusLabel: '已办结',
      satisfaction: 'basically_satisfied',
      satisfactionLabel: '基本满意',
      completedAt: '2026-11-28T06:15:00.000Z',
      updatedAt: '2026-11-29T02:00:00.000Z',
      returnReason: null,
    });
  });
});
