import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveHotlineMapping, suggestHotlineMapping } from './hotline-mapping.js';
import type { ResolvedHotlineMapping } from './hotline-mapping.js';
import { hotlineRowValidator, parseCallerPhones, validateHotlineRow } from './hotline-row.js';

const HEADERS = [
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
  '是否重复件',
];

function mapping(): ResolvedHotlineMapping {
  const r = resolveHotlineMapping(suggestHotlineMapping(HEADERS), HEADERS);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.mapping;
}

const GOOD = [
  'JN20261127000123',
  '张三',
  '138 0013 8000',
  '小区门口路灯不亮，夜间出行不便。',
  '济南市历城区洪家楼街道花园路12号',
  '117.0612',
  '36.6835',
  '城乡建设/市政设施',
  '2026-11-27 09:30:00',
  '72',
  '紧急',
  '是',
  '否',
];

const withCell = (column: string, value: string): string[] =>
  GOOD.map((cell, i) => (HEADERS[i] === column ? value : cell));

describe('validateHotlineRow', () => {
  it('builds the order of a good row', () => {
    expect(validateHotlineRow(GOOD, mapping(), 2)).toEqual({
      order: {
        externalOrderId: 'JN20261127000123',
        callerName: '张三',
        callerPhone: '13800138000',
        content: '小区门口路灯不亮，夜间出行不便。',
        address: '济南市历城区洪家楼街道花园路12号',
        location: { lng: 117.0612, lat: 36.6835 },
        category: '城乡建设/市政设施',
        receivedAt: '2026-11-27T01:30:00.000Z',
        timeLimitHours: 72,
        timeLimitMode: 'calendar',
        priority: 'high',
        flags: ['supervised'],
      },
    });
  });

  it('needs only the required fields; short rows read as empty cells', () => {
    const r = resolveHotlineMapping({ externalOrderId: 0, content: 1, receivedAt: 2, address: 3 }, [
      'a',
      'b',
      'c',
      'd',
    ]);
    if (!r.ok) throw new Error('mapping');
    expect(validateHotlineRow(['="00123"', ' 内容 ', '2026/1/2'], r.mapping, 7)).toEqual({
      order: { externalOrderId: '00123', content: '内容', receivedAt: '2026-01-01T16:00:00.000Z' },
    });
  });

  const cases: [string, string, string, RegExp][] = [
    ['工单编号', '', 'externalOrderId', /^missing$/],
    ['工单编号', '2.02611E+13', 'externalOrderId', /scientific notation/],
    ['工单编号', 'JN 123', 'externalOrderId', /contains blanks/],
    ['工单编号', 'x'.repeat(65), 'externalOrderId', /^too long: 65 characters, at most 64$/],
    ['诉求内容', '   ', 'content', /^missing$/],
    ['诉求内容', '诉'.repeat(10_001), 'content', /^too long: 10001 characters, at most 10000$/],
    ['来电号码', '1380013800', 'callerPhone', /^bad phone number: 10 digits/],
    ['事发地址', '花园路\u000112号', 'address', /^contains control characters$/],
    ['受理时间', '2026-02-30 10:00', 'receivedAt', /^no such date "2026-02-30 10:00"$/],
    ['受理时间', '昨天上午', 'receivedAt', /^bad date "昨天上午"/],
    ['受理时间', '', 'receivedAt', /^missing$/],
    ['办理时限(小时)', '尽快', 'timeLimit', /bad time limit/],
    ['办理时限(小时)', '2026-11-27 08:00', 'timeLimit', /not after the receipt time/],
    ['经度', '200', 'lng', /^longitude 200 out of range -180…180$/],
    ['经度', '东经117度', 'lng', /^not a number/],
    ['经度', '', 'lng', /^missing \(the other coordinate is given\)$/],
    ['纬度', '95', 'lat', /^latitude 95 out of range -90…90$/],
    ['经度', '2.35', 'lng', /^point \(2.35, 36.6835\) is outside China$/],
    ['经度', '36.6835', 'lng', /look swapped/],
    ['紧急程度', '很急很急', 'priority', /unknown urgency/],
    ['是否督办', '也许', 'supervised', /expected 是 or 否/],
  ];

  it.each(cases)('column %s = %j → %s: %s', (column, cell, field, reason) => {
    const row = withCell(column, cell);
    // the swapped test needs the latitude to look like a longitude
    if (reason.source.includes('swapped')) row[6] = '117.0612';
    const result = validateHotlineRow(row, mapping(), 42);
    if (!('errors' in result)) throw new Error('expected errors');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ row: 42, column, field });
    expect(result.errors[0]?.reason).toMatch(reason);
  });

  it('reports every bad cell of a row, not only the first', () => {
    const row = withCell('受理时间', 'soon');
    row[0] = '';
    row[2] = '12';
    const result = validateHotlineRow(row, mapping(), 3);
    expect('errors' in result && result.errors.map((e) => e.field)).toEqual([
      'externalOrderId',
      'callerPhone',
      'receivedAt',
    ]);
  });

  it('treats 0,0 as no position', () => {
    const row = withCell('经度', '0');
    row[6] = '0';
    const result = validateHotlineRow(row, mapping(), 2);
    expect('order' in result && result.order.location).toBeUndefined();
  });

  it('never throws and never echoes phone digits, whatever the cells (property)', () => {
    const m = mapping();
    const cell = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9 +*-]{0,16}$/));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: HEADERS.length + 2 }), (cells) => {
        const result = validateHotlineRow(cells, m, 5);
        if ('errors' in result) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e.row).toBe(5);
          const digits = (cells[2] ?? '').replace(/\D/g, '');
          const phoneError = result.errors.find((e) => e.field === 'callerPhone');
          if (phoneError && digits.length >= 5) expect(phoneError.reason).not.toContain(digits);
        } else {
          expect(result.order.externalOrderId).not.toBe('');
          expect(result.order.receivedAt).toMatch(/Z$/);
        }
      }),
    );
  });
});

describe('parseCallerPhones', () => {
  it('normalises mobiles, landlines, extensions, masked numbers and lists', () => {
    const ok = (text: string): string => {
      const r = parseCallerPhones(text);
      if (!r.ok) throw new Error(r.reason);
      return r.value;
    };
    expect(ok('+86 138-0013-8000')).toBe('13800138000');
    expect(ok('0531-88886666')).toBe('0531-88886666');
    expect(ok('(010)12345678转123')).toBe('010-12345678-123');
    expect(ok('138****8000')).toBe('138****8000');
    expect(ok('88886666')).toBe('88886666');
    expect(ok('13800138000/0531-88886666')).toBe('13800138000, 0531-88886666');
    expect(parseCallerPhones('13800138000，123').ok).toBe(false);
  });
});

describe('hotlineRowValidator', () => {
  it('binds a mapping and names the key column', () => {
    const v = hotlineRowValidator(mapping());
    expect(v.keyColumn).toBe('工单编号');
    const r = v.validate(GOOD, 2);
    expect('order' in r && v.keyOf(r.order)).toBe('JN20261127000123');
  });
});
