import type { LimitPriority } from '../timelimits/time-limits.js';
import type { ResolvedHotlineMapping } from './hotline-mapping.js';
import { HOTLINE_MAX_LENGTH } from './hotline-order.js';
import type { HotlineField, HotlineFlag, HotlineOrder } from './hotline-order.js';
import { parseHotlineTime, parseTimeLimit } from './hotline-time.js';
import type { Parsed } from './hotline-time.js';

/** One problem with one cell: the spreadsheet row (header = 1), the header of its column, the field, why. */
export interface HotlineRowIssue {
  row: number;
  column: string;
  field: HotlineField;
  reason: string;
}

/** The order of a valid row, or every problem of an invalid one. */
export type HotlineRowResult = { order: HotlineOrder } | { errors: HotlineRowIssue[] };

// China's extent with a margin (Mohe to Zengmu Ansha, Pamirs to Fuyuan): a cheap plausibility check,
// not a border test; points in the sea or in neighbouring countries pass.
const CHINA = { minLng: 73.4, maxLng: 135.1, minLat: 3.8, maxLat: 53.6 };
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const ORDER_ID = /^[^\s\p{Cc}]+$/u;
const SCIENTIFIC = /^\d(?:\.\d+)?e\+?\d+$/i;
const PLAIN_MOBILE = /^1[3-9]\d{9}$/;

/** True when the text holds C0 control characters other than tab and line breaks, or DEL. */
function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a && c !== 0x0d : c === 0x7f) return true;
  }
  return false;
}

const PRIORITIES: Record<string, LimitPriority> = {
  低: 'low',
  不急: 'low',
  不紧急: 'low',
  一般: 'normal',
  普通: 'normal',
  正常: 'normal',
  一般件: 'normal',
  普通件: 'normal',
  急: 'high',
  较急: 'high',
  紧急: 'high',
  加急: 'high',
  紧急件: 'high',
  特急: 'urgent',
  特急件: 'urgent',
  特别紧急: 'urgent',
  非常紧急: 'urgent',
  十分紧急: 'urgent',
  low: 'low',
  normal: 'normal',
  high: 'high',
  urgent: 'urgent',
};

const FLAGS: readonly HotlineFlag[] = ['expedite', 'repeat', 'supervised'];
const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '✔']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '×', '✗', '✘']);

const ZERO_WIDTH = /[\u200B-\u200D\u2060]/g;
// free text keeps zero-width characters (harmless there, and the scan costs time on a million rows)
const FREE_TEXT: ReadonlySet<HotlineField> = new Set(['content', 'address', 'category', 'callerName']);

/** A cell as the value it holds: trimmed, Excel's ="…" text guard removed, and for codes, numbers and dates zero-width characters too. */
function cleanCell(raw: string | undefined, field: HotlineField): string {
  if (raw === undefined || raw === '') return '';
  let s = FREE_TEXT.has(field) ? raw.trim() : raw.replace(ZERO_WIDTH, '').trim();
  if (s.length >= 3 && s.charCodeAt(0) === 0x3d && s.startsWith('="') && s.endsWith('"')) {
    s = s.slice(2, -1).replace(/""/g, '"').trim();
  }
  return s;
}

/** Length in code points, counted only when the UTF-16 length could exceed the limit. */
const tooLong = (s: string, max: number): boolean => s.length > max && [...s].length > max;

/** Parses one or more caller numbers; the reason never repeats the digits (personal data). */
export function parseCallerPhones(text: string): Parsed<string> {
  if (PLAIN_MOBILE.test(text)) return { ok: true, value: text };
  const parts = text.split(/[,，;；/、|\n]+/).filter((p) => p.trim() !== '');
  const out: string[] = [];
  for (const part of parts) {
    const p = part.replace(/[\s\-()（）]/g, '');
    const ext = /(?:转|ext\.?|x)(\d{1,6})$/i.exec(p);
    const main = ext ? p.slice(0, ext.index) : p;
    const suffix = ext ? `-${ext[1]}` : '';
    const mobile = /^(?:\+?86|0086)?(1[3-9]\d[\d*]{4}\d{4})$/.exec(main);
    const landline = /^(0[12]\d|0[3-9]\d{2})([\d*]{7,8})$/.exec(main);
    if (mobile) out.push(mobile[1] ?? main);
    else if (landline) out.push(`${landline[1]}-${landline[2]}${suffix}`);
    else if (/^[2-9]\d{6,7}$/.test(main) || /^(?:400|800)\d{7}$/.test(main) || /^95\d{3,6}$/.test(main)) {
      out.push(main + suffix);
    } else {
      const digits = main.replace(/\D/g, '').length;
      const which = parts.length > 1 ? ` (number ${out.length + 1} of ${parts.length})` : '';
      return {
        ok: false,
        reason: `bad phone number${which}: ${digits} digits; expected an 11-digit mobile, a landline with area code (0531-12345678) or a local number`,
      };
    }
  }
  return { ok: true, value: out.join(', ') };
}

/**
 * Validates one data row against a resolved mapping (see resolveHotlineMapping) and builds the order,
 * or names every problem: missing, too long, bad phone, bad date, bad time limit, coordinates out of
 * range or outside China. Duplicate order ids across rows are the import driver's job.
 */
export function validateHotlineRow(
  cells: readonly string[],
  mapping: ResolvedHotlineMapping,
  rowNumber: number,
): HotlineRowResult {
  const { columns } = mapping;
  const errors: HotlineRowIssue[] = [];
  const fail = (field: HotlineField, reason: string): void => {
    errors.push({ row: rowNumber, column: columns[field]?.header ?? field, field, reason });
  };
  const get = (field: HotlineField): string => {
    const col = columns[field];
    return col === undefined ? '' : cleanCell(cells[col.index], field);
  };
  const text = (field: keyof typeof HOTLINE_MAX_LENGTH, required: boolean): string | undefined => {
    const value = get(field);
    if (value === '') {
      if (required) fail(field, 'missing');
      return undefined;
    }
    const max = HOTLINE_MAX_LENGTH[field];
    if (tooLong(value, max)) fail(field, `too long: ${[...value].length} characters, at most ${max}`);
    // free text keeps stray control characters (copy-paste residue); the XLSX writer strips them
    else if (field !== 'content' && hasControlChars(value)) fail(field, 'contains control characters');
    return value;
  };

  const externalOrderId = text('externalOrderId', true);
  if (externalOrderId !== undefined) {
    if (SCIENTIFIC.test(externalOrderId)) {
      fail(
        'externalOrderId',
        `"${externalOrderId}" was mangled by Excel into scientific notation; export the column as text`,
      );
    } else if (!ORDER_ID.test(externalOrderId)) {
      fail('externalOrderId', 'contains blanks or control characters');
    }
  }
  const content = text('content', true);
  const order: Partial<HotlineOrder> = { externalOrderId, content };
  const callerName = text('callerName', false);
  if (callerName !== undefined) order.callerName = callerName;
  const phone = text('callerPhone', false);
  if (phone !== undefined) {
    const parsed = parseCallerPhones(phone);
    if (parsed.ok) order.callerPhone = parsed.value;
    else fail('callerPhone', parsed.reason);
  }
  const address = text('address', false);
  if (address !== undefined) order.address = address;
  const category = text('category', false);
  if (category !== undefined) order.category = category;

  checkLocation(get('lng'), get('lat'), fail, order);
  checkTimes(get('receivedAt'), get('timeLimit'), mapping, fail, order);
  checkMarkers(get, fail, order);

  return errors.length > 0 ? { errors } : { order: order as HotlineOrder };
}

type Fail = (field: HotlineField, reason: string) => void;

function checkLocation(lngText: string, latText: string, fail: Fail, order: Partial<HotlineOrder>): void {
  if (lngText === '' && latText === '') return;
  if (lngText === '' || latText === '') {
    fail(lngText === '' ? 'lng' : 'lat', 'missing (the other coordinate is given)');
    return;
  }
  const lng = NUMBER.test(lngText) ? Number(lngText) : NaN;
  const lat = NUMBER.test(latText) ? Number(latText) : NaN;
  if (Number.isNaN(lng)) fail('lng', `not a number: "${lngText.slice(0, 40)}"`);
  if (Number.isNaN(lat)) fail('lat', `not a number: "${latText.slice(0, 40)}"`);
  if (Number.isNaN(lng) || Number.isNaN(lat)) return;
  // hotline systems write 0,0 when the caller gave no position
  if (lng === 0 && lat === 0) return;
  const inChina = (x: number, y: number): boolean =>
    x >= CHINA.minLng && x <= CHINA.maxLng && y >= CHINA.minLat && y <= CHINA.maxLat;
  if (inChina(lng, lat)) {
    order.location = { lng, lat };
    return;
  }
  // checked before the ranges: a swapped Chinese latitude of 117 is out of range, but the cause is the swap
  if (inChina(lat, lng)) fail('lng', `longitude ${lng} and latitude ${lat} look swapped`);
  else if (lng < -180 || lng > 180) fail('lng', `longitude ${lng} out of range -180…180`);
  else if (lat < -90 || lat > 90) fail('lat', `latitude ${lat} out of range -90…90`);
  else fail('lng', `point (${lng}, ${lat}) is outside China`);
}

function checkTimes(
  receivedText: string,
  limitText: string,
  mapping: ResolvedHotlineMapping,
  fail: Fail,
  order: Partial<HotlineOrder>,
): void {
  if (receivedText === '') fail('receivedAt', 'missing');
  else {
    const received = parseHotlineTime(receivedText);
    if (received.ok) order.receivedAt = received.value;
    else fail('receivedAt', received.reason);
  }
  if (limitText === '') return;
  const limit = parseTimeLimit(limitText, mapping.timeLimitUnit);
  if (!limit.ok) fail('timeLimit', limit.reason);
  else if ('dueAt' in limit.value) {
    const { dueAt } = limit.value;
    if (order.receivedAt !== undefined && dueAt <= order.receivedAt) {
      fail('timeLimit', `deadline "${limitText}" is not after the receipt time`);
    } else order.dueAt = dueAt;
  } else {
    order.timeLimitHours = limit.value.limit.hours;
    order.timeLimitMode = limit.value.limit.mode;
  }
}

function checkMarkers(get: (field: HotlineField) => string, fail: Fail, order: Partial<HotlineOrder>): void {
  const urgency = get('priority');
  if (urgency !== '') {
    const priority = PRIORITIES[urgency] ?? PRIORITIES[urgency.toLowerCase()];
    if (priority === undefined) {
      fail('priority', `unknown urgency "${urgency.slice(0, 20)}" (expected 一般, 紧急 or 特急)`);
    } else order.priority = priority;
  }
  const flags: HotlineFlag[] = [];
  for (const flag of FLAGS) {
    const value = get(flag).toLowerCase();
    if (value === '' || NO.has(value)) continue;
    if (YES.has(value)) flags.push(flag);
    else fail(flag, `expected 是 or 否, got "${value.slice(0, 20)}"`);
  }
  if (flags.length > 0) order.flags = flags;
}

/** What a generic import driver needs: validate a row, and the key that must be unique in the file. */
export interface HotlineRowValidator {
  validate(cells: readonly string[], rowNumber: number): HotlineRowResult;
  keyOf(order: HotlineOrder): string;
  /** Where a duplicate key is reported. */
  keyColumn: string;
  keyField: HotlineField;
}

/** A row validator for the import driver, bound to one resolved mapping. */
export function hotlineRowValidator(mapping: ResolvedHotlineMapping): HotlineRowValidator {
  return {
    validate: (cells, rowNumber) => validateHotlineRow(cells, mapping, rowNumber),
    keyOf: (order) => order.externalOrderId,
    keyColumn: mapping.columns.externalOrderId?.header ?? 'externalOrderId',
    keyField: 'externalOrderId',
  };
}
