import { describe, expect, it } from 'vitest';
import {
  findFittingMapping,
  resolveHotlineMapping,
  suggestHotlineMapping,
  validateHotlineMapping,
} from './hotline-mapping.js';

describe('suggestHotlineMapping', () => {
  it('maps a typical 12345 export', () => {
    const headers = [
      '序号',
      '工单编号',
      '来电人',
      '来电号码',
      '诉求内容',
      '事发地址',
      '经度',
      '纬度',
      '问题分类',
      '受理时间',
      '办理时限(小时)',
      '紧急程度',
      '是否督办',
    ];
    expect(suggestHotlineMapping(headers)).toEqual({
      externalOrderId: '工单编号',
      callerName: '来电人',
      callerPhone: '来电号码',
      content: '诉求内容',
      address: '事发地址',
      lng: '经度',
      lat: '纬度',
      category: '问题分类',
      receivedAt: '受理时间',
      timeLimit: '办理时限(小时)',
      priority: '紧急程度',
      supervised: '是否督办',
    });
  });

  it('handles variants: synonyms, marks, full-width brackets, English, and the most specific match', () => {
    const headers = [
      '*工单号',
      '诉求人姓名',
      '诉求人联系电话',
      '问题描述',
      '地址',
      '诉求分类',
      '来电时间',
      '办结时限（天）',
    ];
    expect(suggestHotlineMapping(headers)).toEqual({
      externalOrderId: '*工单号',
      callerName: '诉求人姓名',
      callerPhone: '诉求人联系电话',
      content: '问题描述',
      address: '地址',
      category: '诉求分类',
      receivedAt: '来电时间',
      timeLimit: '办结时限（天）',
    });
    expect(suggestHotlineMapping(['Order ID', 'Phone', 'Description', 'Received At', 'Lat', 'Lng'])).toEqual({
      externalOrderId: 'Order ID',
      callerPhone: 'Phone',
      content: 'Description',
      receivedAt: 'Received At',
      lat: 'Lat',
      lng: 'Lng',
    });
  });

  it('prefers an exact header over one that merely contains a synonym, and uses indexes for repeated headers', () => {
    const m = suggestHotlineMapping(['答复内容', '诉求内容', '备注', '备注']);
    expect(m.content).toBe('诉求内容');
    const repeated = suggestHotlineMapping(['工单编号', '内容', '内容']);
    expect(repeated.content).toBe(1);
  });
});

describe('validateHotlineMapping / resolveHotlineMapping', () => {
  const headers = ['工单编号', '诉求内容', '受理时间', '办理时限(天)', '经度', '纬度', '备注', '备注'];

  it('resolves a good mapping with header names for reports and the unit from the header', () => {
    const r = resolveHotlineMapping(
      { externalOrderId: '工单编号', content: 1, receivedAt: '受理时间', timeLimit: '办理时限(天)' },
      headers,
    );
    expect(r).toEqual({
      ok: true,
      mapping: {
        columns: {
          externalOrderId: { index: 0, header: '工单编号' },
          content: { index: 1, header: '诉求内容' },
          receivedAt: { index: 2, header: '受理时间' },
          timeLimit: { index: 3, header: '办理时限(天)' },
        },
        timeLimitUnit: 'days',
      },
    });
  });

  it('names every problem', () => {
    const issues = validateHotlineMapping(
      {
        content: '诉求',
        receivedAt: '受理时间',
        address: '受理时间',
        category: '备注',
        lng: '经度',
        priority: 9,
      },
      headers,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'content', column: '诉求', reason: 'header "诉求" not found in the file' },
        { field: 'address', column: '受理时间', reason: 'column "受理时间" is already mapped to receivedAt' },
        {
          field: 'category',
          column: '备注',
          reason: 'header "备注" appears in columns 7, 8; map it by column index',
        },
        { field: 'priority', reason: 'column index 9 out of range 0–7' },
        { field: 'externalOrderId', reason: 'required field externalOrderId is not mapped' },
        { field: 'lat', reason: 'longitude and latitude must be mapped together' },
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('refuses unknown fields from a stored mapping', () => {
    const stored = JSON.parse('{"externalOrderId":0,"content":1,"receivedAt":2,"callerIdCard":6}') as Record<
      string,
      number
    >;
    expect(validateHotlineMapping(stored, headers)).toEqual([
      { field: 'callerIdCard', reason: 'unknown field "callerIdCard"' },
    ]);
  });

  it('lets an explicit unit override the header', () => {
    const r = resolveHotlineMapping(
      { externalOrderId: 0, content: 1, receivedAt: 2, timeLimit: 3 },
      headers,
      'hours',
    );
    expect(r.ok && r.mapping.timeLimitUnit).toBe('hours');
  });
});

describe('findFittingMapping', () => {
  it('picks the first saved mapping that fits the headers', () => {
    const saved = [
      {
        name: 'old export',
        columns: { externalOrderId: '工单号', content: '来电内容', receivedAt: '来电时间' },
      },
      {
        name: 'new export',
        columns: { externalOrderId: '工单编号', content: '诉求内容', receivedAt: '受理时间' },
      },
    ];
    expect(findFittingMapping(saved, ['工单编号', '诉求内容', '受理时间'])?.name).toBe('new export');
    expect(findFittingMapping(saved, ['a', 'b'])).toBeUndefined();
  });
});
