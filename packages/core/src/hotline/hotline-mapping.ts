import { HOTLINE_FIELDS, REQUIRED_HOTLINE_FIELDS } from './hotline-order.js';
import type { HotlineField } from './hotline-order.js';
import { timeLimitUnitOfHeader } from './hotline-time.js';
import type { TimeLimitUnit } from './hotline-time.js';

/** A column named by its header text or by its 0-based index (for files with blank or repeated headers). */
export type HotlineColumnRef = string | number;

/** Which column feeds which field (the 字段映射 step); unmapped fields stay empty. */
export type HotlineColumnMapping = Partial<Record<HotlineField, HotlineColumnRef>>;

/** A mapping stored for reuse with the next export of the same hotline system. */
export interface SavedHotlineMapping {
  name: string;
  columns: HotlineColumnMapping;
  /** Unit of bare numbers in the time-limit column when its header does not say. */
  timeLimitUnit?: TimeLimitUnit;
}

/** A column resolved against one file's header row. */
export interface ResolvedColumn {
  index: number;
  /** The header text, or 'column N' (1-based) when the header is blank: what error reports show. */
  header: string;
}

/** A mapping checked against a header row, ready for validateHotlineRow. */
export interface ResolvedHotlineMapping {
  columns: Partial<Record<HotlineField, ResolvedColumn>>;
  timeLimitUnit?: TimeLimitUnit;
}

/** A problem with the mapping itself (not with a row). */
export interface MappingIssue {
  field?: string;
  column?: string;
  reason: string;
}

// Synonyms per field, most specific first. Matching ignores case, blanks, '*' marks and a unit in brackets.
const SYNONYMS: Record<HotlineField, readonly string[]> = {
  externalOrderId: [
    '工单编号',
    '工单号',
    '工单号码',
    '热线工单号',
    '受理编号',
    '受理号',
    '流水号',
    '编号',
    '单号',
    'orderid',
    'orderno',
    'ticketid',
    'ticketno',
    'caseid',
    'id',
  ],
  callerName: [
    '来电人姓名',
    '诉求人姓名',
    '来电人',
    '诉求人',
    '反映人',
    '市民姓名',
    '联系人',
    '姓名',
    'callername',
    'caller',
    'name',
  ],
  callerPhone: [
    '来电号码',
    '来电人电话',
    '诉求人电话',
    '联系电话',
    '联系方式',
    '回访电话',
    '手机号码',
    '手机号',
    '电话号码',
    '电话',
    '手机',
    'phone',
    'telephone',
    'mobile',
    'callerphone',
  ],
  content: [
    '诉求内容',
    '来电内容',
    '问题描述',
    '反映内容',
    '工单内容',
    '事项内容',
    '诉求描述',
    '内容',
    '描述',
    'content',
    'description',
    'details',
  ],
  address: [
    '事发地址',
    '事发地点',
    '发生地址',
    '诉求地址',
    '问题地址',
    '详细地址',
    '地址',
    '地点',
    'address',
  ],
  lng: ['经度', 'lng', 'lon', 'long', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  category: [
    '问题分类',
    '诉求分类',
    '诉求类别',
    '问题类别',
    '事项分类',
    '业务分类',
    '工单分类',
    '分类',
    '类别',
    'category',
    'type',
  ],
  receivedAt: [
    '受理时间',
    '来电时间',
    '登记时间',
    '接件时间',
    '受理日期',
    '来电日期',
    '创建时间',
    'receivedat',
    'calltime',
    'createdat',
  ],
  timeLimit: [
    '办理时限',
    '办结时限',
    '处理时限',
    '承办时限',
    '办结期限',
    '要求办结时间',
    '截止时间',
    '时限',
    'timelimit',
    'deadline',
    'dueat',
    'due',
  ],
  priority: ['紧急程度', '缓急程度', '急缓程度', '紧急度', '优先级', 'urgency', 'priority'],
  expedite: ['是否加急', '加急'],
  repeat: ['是否重复件', '是否重复', '重复件', '重复来电'],
  supervised: ['是否督办', '督办件', '督办'],
};

/** Header text reduced for matching: half-width, lower case, no blanks, no '*' marks, no unit in brackets. */
function normaliseHeader(header: string): string {
  return header
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, '')
    .replace(/[\s*:_\-.]/g, '');
}

// Short Latin synonyms ('id', 'lat') only match a whole header; CJK ones (2+ characters) also match
// inside a longer header ('工单编号(热线)', '市民来电内容').
const mayMatchInside = (synonym: string): boolean => /[\u4e00-\u9fff]/.test(synonym) || synonym.length >= 5;

/**
 * Suggests a mapping from common Chinese and English header names (工单编号, 来电号码, 诉求内容, 受理时间,
 * 办理时限(小时) …): exact matches first, then the longest synonym found inside a header; each column
 * and each field is used at most once. The user confirms the suggestion in the mapping step.
 */
export function suggestHotlineMapping(headers: readonly string[]): HotlineColumnMapping {
  const candidates: { field: HotlineField; index: number; score: number }[] = [];
  headers.forEach((header, index) => {
    const h = normaliseHeader(header);
    if (h === '') return;
    for (const field of HOTLINE_FIELDS) {
      const synonyms = SYNONYMS[field];
      synonyms.forEach((synonym, rank) => {
        // an exact match beats any inside match; among equals the earlier (more specific) synonym wins
        if (h === synonym) candidates.push({ field, index, score: 10_000 - rank });
        else if (mayMatchInside(synonym) && h.includes(synonym)) {
          candidates.push({ field, index, score: synonym.length * 100 - rank });
        }
      });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const mapping: HotlineColumnMapping = {};
  const usedColumns = new Set<number>();
  for (const { field, index } of candidates) {
    if (mapping[field] !== undefined || usedColumns.has(index)) continue;
    mapping[field] = headerRef(headers, index);
    usedColumns.add(index);
  }
  return mapping;
}

/** The header text when it names the column unambiguously, else the column index. */
function headerRef(headers: readonly string[], index: number): HotlineColumnRef {
  const header = (headers[index] ?? '').trim();
  const count = headers.filter((h) => h.trim() === header).length;
  return header !== '' && count === 1 ? header : index;
}

const isField = (key: string): key is HotlineField => (HOTLINE_FIELDS as readonly string[]).includes(key);

/**
 * Checks a mapping against a header row: every required field mapped, every referenced header present
 * exactly once (or the index in range), no column used for two fields, longitude and latitude together.
 * An empty result means resolveHotlineMapping succeeds.
 */
export function validateHotlineMapping(
  mapping: HotlineColumnMapping,
  headers: readonly string[],
): MappingIssue[] {
  return resolve(mapping, headers).issues;
}

/** Resolves a mapping against a header row, or returns every problem found (see validateHotlineMapping). */
export function resolveHotlineMapping(
  mapping: HotlineColumnMapping,
  headers: readonly string[],
  timeLimitUnit?: TimeLimitUnit,
): { ok: true; mapping: ResolvedHotlineMapping } | { ok: false; issues: MappingIssue[] } {
  const { columns, issues } = resolve(mapping, headers);
  if (issues.length > 0) return { ok: false, issues };
  const limitHeader = columns.timeLimit?.header;
  const unit = timeLimitUnit ?? (limitHeader === undefined ? undefined : timeLimitUnitOfHeader(limitHeader));
  return { ok: true, mapping: unit === undefined ? { columns } : { columns, timeLimitUnit: unit } };
}

function resolve(
  mapping: HotlineColumnMapping,
  headers: readonly string[],
): { columns: Partial<Record<HotlineField, ResolvedColumn>>; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  const columns: Partial<Record<HotlineField, ResolvedColumn>> = {};
  const trimmed = headers.map((h) => h.trim());
  const usedBy = new Map<number, string>();
  for (const [key, ref] of Object.entries(mapping) as [string, HotlineColumnRef | undefined][]) {
    if (ref === undefined) continue;
    if (!isField(key)) {
      issues.push({ field: key, reason: `unknown field "${key}"` });
      continue;
    }
    let index: number;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= headers.length) {
        issues.push({ field: key, reason: `column index ${ref} out of range 0–${headers.length - 1}` });
        continue;
      }
      index = ref;
    } else {
      const wanted = ref.trim();
      const found = trimmed.flatMap((h, i) => (h === wanted ? [i] : []));
      if (found.length !== 1) {
        const where = found.map((i) => i + 1).join(', ');
        issues.push({
          field: key,
          column: wanted,
          reason:
            found.length === 0
              ? `header "${wanted}" not found in the file`
              : `header "${wanted}" appears in columns ${where}; map it by column index`,
        });
        continue;
      }
      index = found[0] ?? 0;
    }
    const header = trimmed[index] || `column ${index + 1}`;
    const other = usedBy.get(index);
    if (other !== undefined) {
      issues.push({ field: key, column: header, reason: `column "${header}" is already mapped to ${other}` });
      continue;
    }
    usedBy.set(index, key);
    columns[key] = { index, header };
  }
  for (const field of REQUIRED_HOTLINE_FIELDS) {
    if (mapping[field] === undefined) issues.push({ field, reason: `required field ${field} is not mapped` });
  }
  if ((mapping.lng === undefined) !== (mapping.lat === undefined)) {
    const missing = mapping.lng === undefined ? 'lng' : 'lat';
    issues.push({ field: missing, reason: 'longitude and latitude must be mapped together' });
  }
  return { columns, issues };
}

/** The first saved mapping that fits this header row without problems (to preselect in the mapping step). */
export function findFittingMapping(
  saved: readonly SavedHotlineMapping[],
  headers: readonly string[],
): SavedHotlineMapping | undefined {
  return saved.find((s) => validateHotlineMapping(s.columns, headers).length === 0);
}
