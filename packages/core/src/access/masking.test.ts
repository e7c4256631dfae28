import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chineseIdCheckDigit,
  findUnmaskedPersonalData,
  isValidChineseId,
  maskIdNumber,
  maskName,
  maskPhone,
  maskText,
} from './masking.js';

const VALID_ID = '370112199001011234';
const VALID_ID_X = '11010519491231002X';
const LEAP_DAY_ID = '370112200002290015';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Valid 18-character IDs: area code, real birth date 1900–2099, sequence, check character. */
const validIdArb = fc
  .tuple(
    fc.integer({ min: 110000, max: 829999 }),
    fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([area, d, seq]) => {
    const first17 = `${area}${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(seq, 3)}`;
    return first17 + chineseIdCheckDigit(first17);
  });
const mobileArb = fc.stringMatching(/^1[3-9]\d{9}$/);
const landlineArb = fc.stringMatching(/^0[1-9]\d{1,2}-[2-9]\d{6,7}$/);
const fifteenDigitsArb = fc.stringMatching(/^\d{15}$/);

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86138****5678'],
    ['+86 138 1234 5678', '+86 138 **** 5678'],
    ['0086-13812345678', '0086-138****5678'],
    ['8613812345678', '86138****5678'],
    ['138-1234-5678', '138-****-5678'],
    [' 19912345678 ', '199****5678'],
    ['0531-88888888', '0531-****8888'],
    ['0531 8888888', '0531 ***8888'],
    ['(0531)88888888', '(0531)****8888'],
    ['(010) 12345678', '(010) ****5678'],
    ['0531-88888888-123', '0531-****8888-123'],
    ['0531-88888888转8001', '0531-****8888转8001'],
    ['053188888888', '0531****8888'],
    ['01012345678', '010****5678'],
    ['02087654321', '020****4321'],
  ])('masks %j as %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it('masks unrecognised numbers generically, keeping at most 3 + 4 digits', () => {
    expect(maskPhone('400-123-4567')).toBe('400-***-4567');
    expect(maskPhone('1381234567')).toBe('138***4567');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('123')).toBe('***');
    expect(maskPhone('')).toBe('');
  });

  it('is idempotent on masked output', () => {
    for (const s of ['138****5678', '+86 138 **** 5678', '0531-****8888', '0531****8888', '***45']) {
      expect(maskPhone(s)).toBe(s);
    }
  });

  it('hides the middle four digits of every mobile (property)', () => {
    fc.assert(
      fc.property(mobileArb, (m) => {
        const masked = maskPhone(m);
        expect(masked).toBe(`${m.slice(0, 3)}****${m.slice(7)}`);
        expect(masked).not.toContain(m);
        expect(maskPhone(masked)).toBe(masked);
      }),
    );
  });

  it('hides all but the last four digits of a landline number (property)', () => {
    fc.assert(
      fc.property(landlineArb, (l) => {
        const [area = '', local = ''] = l.split('-');
        const masked = maskPhone(l);
        expect(masked).toBe(`${area}-${'*'.repeat(local.length - 4)}${local.slice(-4)}`);
        expect(maskPhone(masked)).toBe(masked);
      }),
    );
  });

  it('is idempotent and keeps no more digits than the input on any string (property)', () => {
    const phoneish = fc.stringMatching(/^[0-9*+\- ()]{0,20}$/);
    fc.assert(
      fc.property(fc.oneof(phoneish, fc.string({ maxLength: 20 })), (s) => {
        const once = maskPhone(s);
        expect(maskPhone(once)).toBe(once);
        const digits = (x: string): number => x.replace(/\D/g, '').length;
        expect(digits(once)).toBeLessThanOrEqual(Math.min(digits(s), 8));
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps the area code and the last four of an 18-character ID', () => {
    expect(maskIdNumber(VALID_ID)).toBe('370112********1234');
    expect(maskIdNumber(VALID_ID_X)).toBe('110105********002X');
    expect(maskIdNumber(' 370112199001011234 ')).toBe('370112********1234');
  });

  it('hides the birth date of a 15-digit first-generation ID', () => {
    expect(maskIdNumber('370112900101123')).toBe('370112******123');
  });

  it('masks malformed values entirely but their tail', () => {
    expect(maskIdNumber('ABC1234567890')).toBe('*********7890');
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('')).toBe('');
  });

  it('is idempotent and never shows the birth date (property)', () => {
    fc.assert(
      fc.property(validIdArb, (id) => {
        const masked = maskIdNumber(id);
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked).toBe(id.slice(0, 6) + '********' + id.slice(14));
        expect(masked).not.toContain(id.slice(6, 14));
        expect(maskIdNumber(masked)).toBe(masked);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (s) => {
        expect(maskIdNumber(maskIdNumber(s))).toBe(maskIdNumber(s));
      }),
    );
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张**'],
    ['张三', '张*'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳修', '欧阳*'],
    ['欧阳', '欧*'],
    ['阿依古丽·买买提', '阿***·***'],
    ['张', '*'],
    ['', ''],
    [' 李四 ', '李*'],
    ['John Smith', 'J*** S****'],
    ['A', '*'],
  ])('masks %j as %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });

  it('is idempotent and keeps the surname of Chinese names (property)', () => {
    const han = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
    fc.assert(
      fc.property(fc.array(han, { minLength: 2, maxLength: 4 }), (chars) => {
        const name = chars.join('');
        const masked = maskName(name);
        expect(Array.from(masked)[0]).toBe(chars[0]);
        expect(Array.from(masked).length).toBe(chars.length);
        expect(masked.endsWith('*')).toBe(true);
        expect(maskName(masked)).toBe(masked);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        expect(maskName(maskName(s))).toBe(maskName(s));
      }),
    );
  });
});

describe('isValidChineseId', () => {
  it('accepts valid IDs, with X check character in either case', () => {
    expect(isValidChineseId(VALID_ID)).toBe(true);
    expect(isValidChineseId(VALID_ID_X)).toBe(true);
    expect(isValidChineseId(VALID_ID_X.toLowerCase())).toBe(true);
    expect(isValidChineseId(LEAP_DAY_ID)).toBe(true);
  });

  it('rejects wrong check characters, impossible dates and bad shapes', () => {
    expect(isValidChineseId('370112199001011235')).toBe(false);
    expect(isValidChineseId('110105194912310021')).toBe(false);
    const withCheck = (first17: string): string => first17 + chineseIdCheckDigit(first17);
    expect(isValidChineseId(withCheck('37011219000229001'))).toBe(false); // 1900 was no leap year
    expect(isValidChineseId(withCheck('37011219901301001'))).toBe(false); // month 13
    expect(isValidChineseId(withCheck('37011219900100001'))).toBe(false); // day 0
    expect(isValidChineseId(withCheck('37011217990101001'))).toBe(false); // before 1800
    expect(isValidChineseId(withCheck('07011219900101001'))).toBe(false); // area code starting 0
    expect(isValidChineseId('370112900101123')).toBe(false); // 15 digits: no check digit, not accepted
    expect(isValidChineseId(` ${VALID_ID}`)).toBe(false);
    expect(isValidChineseId('37011219900101123Y')).toBe(false);
  });

  it('chineseIdCheckDigit rejects anything but 17 digits', () => {
    expect(() => chineseIdCheckDigit('1234')).toThrow(RangeError);
  });

  it('detects every single-character substitution (property)', () => {
    fc.assert(
      fc.property(
        validIdArb,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (id, i, c) => {
          fc.pre(id.charAt(i) !== c);
          expect(isValidChineseId(id)).toBe(true);
          expect(isValidChineseId(id.slice(0, i) + c + id.slice(i + 1))).toBe(false);
        },
      ),
    );
  });

  it('never accepts 15-digit codes (property)', () => {
    fc.assert(
      fc.property(fifteenDigitsArb, (code) => {
        expect(isValidChineseId(code)).toBe(false);
      }),
    );
  });
});

describe('maskText', () => {
  it('masks phones and IDs in free text and leaves everything else', () => {
    const text = `居民张三，电话13812345678，座机0531-88888888，身份证${VALID_ID}；单位编码370112001002003，工单号20260301000123。`;
    expect(maskText(text)).toBe(
      '居民张三，电话138****5678，座机0531-****8888，身份证370112********1234；单位编码370112001002003，工单号20260301000123。',
    );
  });

  it('masks prefixed and grouped mobile numbers', () => {
    expect(maskText('call +86 138 1234 5678 or 139-1234-5678.')).toBe(
      'call +86 138 **** 5678 or 139-****-5678.',
    );
    expect(maskText('tel:13812345678;13912345678@qq.com')).toBe('tel:138****5678;139****5678@qq.com');
  });

  it('leaves 18-digit numbers that are not valid IDs', () => {
    expect(maskText('order 370112199001011235 ok')).toBe('order 370112199001011235 ok');
  });

  it('does not mask digits embedded in longer numbers or identifiers', () => {
    for (const s of [
      '913701121381234567800',
      'abc13812345678',
      '13812345678abc',
      `x${VALID_ID}`,
      `${VALID_ID}1`,
    ]) {
      expect(maskText(s)).toBe(s);
    }
  });

  it('never treats 15-digit codes as personal data, alone or in text (property)', () => {
    fc.assert(
      fc.property(fifteenDigitsArb, fc.constantFrom('', ' ', '，', '编码', ':'), (code, sep) => {
        const text = `单位${sep}${code}${sep}`;
        expect(maskText(code)).toBe(code);
        expect(maskText(text)).toBe(text);
        expect(findUnmaskedPersonalData({ code, text, n: Number(code) })).toEqual([]);
      }),
    );
  });

  const pieceArb = fc.oneof(
    mobileArb,
    mobileArb.map((m) => `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`),
    validIdArb,
    landlineArb,
    fifteenDigitsArb,
    fc.stringMatching(/^\d{1,20}$/),
    fc.constantFrom(' ', '，', '电话', 'ID:', '-', '+', '*', 'x', 'X', '\n', '86'),
    fc.string({ maxLength: 4 }),
  );
  const textArb = fc.array(pieceArb, { maxLength: 12 }).map((parts) => parts.join(''));

  it('is idempotent and leaves nothing for the scanner to find (property)', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const once = maskText(text);
        expect(maskText(once)).toBe(once);
        expect(findUnmaskedPersonalData(once)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('removes every standalone phone and ID from text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mobileArb, validIdArb), { minLength: 1, maxLength: 5 }), (items) => {
        const masked = maskText(items.join('，'));
        for (const item of items) expect(masked).not.toContain(item);
        expect(masked.split('，')).toEqual(
          items.map((x) => (x.length === 11 ? maskPhone(x) : maskIdNumber(x))),
        );
      }),
    );
  });
});

describe('findUnmaskedPersonalData', () => {
  it('finds mobiles and valid IDs anywhere in a JSON value, with their path', () => {
    const response = {
      items: [
        { name: '张*', phone: '138****5678', idNumber: '370112********1234' },
        { name: '李四', phone: '13912345678', note: `证件 ${VALID_ID}` },
      ],
      total: 2,
      contact: 13712345678,
      'odd key': { '13612345678': true },
    };
    expect(findUnmaskedPersonalData(response)).toEqual([
      '$.items[1].phone: mobile number 139****5678',
      '$.items[1].note: ID number 370112********1234',
      '$.contact: mobile number 137****5678',
      '$["odd key"]["13612345678"] (key): mobile number 136****5678',
    ]);
  });

  it('returns nothing for clean or masked data, and ignores landlines, unit codes and hashes', () => {
    expect(
      findUnmaskedPersonalData({
        phone: '138****5678',
        id: '370112********1234',
        center: '0531-88888888',
        unitCode: '370112001002003',
        hash: 'a'.repeat(20) + '13812345678' + 'f'.repeat(33),
        uuid: '0190f3a2-1384-7123-8456-123456789012',
        at: '2026-03-01T08:00:00.000Z',
        seq: 12345678901,
        nothing: null,
        flag: true,
      }),
    ).toEqual([]);
    expect(findUnmaskedPersonalData(null)).toEqual([]);
    expect(findUnmaskedPersonalData('13812345678')).toEqual(['$: mobile number 138****5678']);
  });

  it('survives cyclic structures', () => {
    const a: Record<string, unknown> = { phone: '13812345678' };
    a.self = a;
    expect(findUnmaskedPersonalData(a)).toEqual(['$.phone: mobile number 138****5678']);
  });

  it('reports every planted mobile or ID and no masked one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mobileArb, validIdArb), { maxLength: 6 }), (items) => {
        const json = { list: items, masked: items.map((x) => maskText(x)) };
        const found = findUnmaskedPersonalData(json);
        expect(found).toHaveLength(items.length);
        found.forEach((f, i) => expect(f.startsWith(`$.list[${i}]: `)).toBe(true));
      }),
    );
  });
});

describe('maskText regressions', () => {
  it('masks a landline that masking the previous one exposed (fixed point)', () => {
    const text = '010-2000000-0000100-2000000';
    const once = maskText(text);
    expect(maskText(once)).toBe(once);
    expect(once).toBe('010-***0000-***0100-***0000');
  });
});
