/**
 * Posts of the public-opinion line (舆情): what a collector (API or JSON-lines file) hands in,
 * checked and normalised by pure functions. zod in packages/contracts shapes the HTTP body; the
 * domain rules live here so the API and the file import agree on every reason.
 */
import { AppError } from '../shared/errors.js';

/** Where a post was published. */
export const OPINION_SOURCES = ['weibo', 'douyin', 'board', 'news', 'wechat'] as const;
export type OpinionSource = (typeof OPINION_SOURCES)[number];

/** The engagement counters a post may carry; missing ones count as 0. */
export const ENGAGEMENT_KEYS = ['likes', 'comments', 'shares', 'views', 'against'] as const;
export type EngagementKey = (typeof ENGAGEMENT_KEYS)[number];
export type Engagement = Record<EngagementKey, number>;

/** A checked, normalised post before it has an id. */
export interface OpinionPostInput {
  source: OpinionSource;
  /** Canonical http(s) URL without fragment; with `source` it identifies the post. */
  url: string;
  authorHandle: string;
  title: string | null;
  text: string;
  /** UTC instant, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  postedAt: string;
  engagement: Engagement;
  /** The unit the collector already placed the post in (street or finer), if any. */
  unitCode: string | null;
}

/** A stored post. */
export interface OpinionPost extends OpinionPostInput {
  id: string;
}

/** One problem with one field of an incoming post. */
export interface FieldError {
  field: string;
  reason: string;
}

export type PostCheck = { ok: true; post: OpinionPostInput } | { ok: false; errors: FieldError[] };

export interface PostCheckOptions {
  /** The current instant: posts from the future are refused. */
  now: Date;
  /** Clock skew tolerated between the source and us; default 5 minutes. */
  maxFutureSkewMs?: number;
}

export const POST_LIMITS = {
  textMax: 10_000,
  titleMax: 200,
  handleMax: 100,
  urlMax: 2048,
  earliest: '2000-01-01T00:00:00.000Z',
} as const;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const UNIT_CODE_RE = /^\d{6}(?:\d{3}){0,3}$/;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
// eslint-disable-next-line no-control-regex -- a handle is one line
const HANDLE_BAD_RE = /[\u0000-\u001f\u007f]/;

const codePoints = (s: string): number => [...s].length;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses an ISO 8601 instant with an explicit zone; returns epoch ms or a reason. */
export function parseInstant(value: unknown): number | string {
  if (typeof value !== 'string') return 'expected an ISO 8601 string';
  const m = ISO_RE.exec(value.trim());
  if (!m) return 'expected an ISO 8601 date-time such as 2019-02-28T11:25:05+08:00';
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (zone === undefined) return 'needs a time zone (Z or +08:00)';
  const ms = Number(((frac ?? '.0') + '000').slice(1, 4));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s ?? 0) > 59
  )
    return 'not a real calendar date-time';
  if (zone === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  if (offsetMin > 14 * 60) return 'time zone offset out of range';
  return local - sign * offsetMin * 60_000;
}

function checkUrl(value: unknown, errors: FieldError[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field: 'url', reason: 'required' });
    return '';
  }
  const raw = value.trim();
  if (raw.length > POST_LIMITS.urlMax) {
    errors.push({ field: 'url', reason: `longer than ${POST_LIMITS.urlMax} characters` });
    return '';
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    errors.push({ field: 'url', reason: 'not a valid absolute URL' });
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    errors.push({ field: 'url', reason: 'only http and https URLs are accepted' });
  else if (url.username !== '' || url.password !== '')
    errors.push({ field: 'url', reason: 'must not contain credentials' });
  url.hash = '';
  return url.href;
}

function checkString(
  value: unknown,
  field: string,
  max: number,
  errors: FieldError[],
  opts: { optional?: boolean; singleLine?: boolean } = {},
): string | null {
  if (value === undefined || value === null || (opts.optional && value === '')) {
    if (!opts.optional) errors.push({ field, reason: 'required' });
    return null;
  }
  if (typeof value !== 'string') {
    errors.push({ field, reason: 'expected a string' });
    return null;
  }
  const cleaned = value.replace(/\r\n?/g, '\n').replace(CONTROL_RE, '').trim();
  if (cleaned === '') {
    if (!opts.optional) errors.push({ field, reason: 'must not be blank' });
    return null;
  }
  if (codePoints(cleaned) > max) errors.push({ field, reason: `longer than ${max} characters` });
  else if (opts.singleLine && HANDLE_BAD_RE.test(cleaned))
    errors.push({ field, reason: 'must be a single line' });
  return cleaned;
}

function checkEngagement(value: unknown, errors: FieldError[]): Engagement {
  const out: Engagement = { likes: 0, comments: 0, shares: 0, views: 0, against: 0 };
  if (value === undefined || value === null) return out;
  if (!isObject(value)) {
    errors.push({ field: 'engagement', reason: 'expected an object of counts' });
    return out;
  }
  for (const [key, n] of Object.entries(value)) {
    const field = `engagement.${key}`;
    if (!(ENGAGEMENT_KEYS as readonly string[]).includes(key)) {
      errors.push({ field, reason: `unknown count (expected ${ENGAGEMENT_KEYS.join(', ')})` });
    } else if (n === undefined || n === null) {
      continue;
    } else if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
      errors.push({ field, reason: 'expected a whole number' });
    } else if (n < 0) {
      errors.push({ field, reason: 'must not be negative' });
    } else {
      out[key as EngagementKey] = n;
    }
  }
  return out;
}

/** Checks and normalises one incoming post; every problem is reported with its field name. */
export function checkPost(input: unknown, options: PostCheckOptions): PostCheck {
  if (!isObject(input)) return { ok: false, errors: [{ field: '$', reason: 'expected an object' }] };
  const errors: FieldError[] = [];

  const source = input.source;
  if (typeof source !== 'string' || !(OPINION_SOURCES as readonly string[]).includes(source))
    errors.push({ field: 'source', reason: `expected one of ${OPINION_SOURCES.join(', ')}` });

  const url = checkUrl(input.url, errors);
  const authorHandle = checkString(input.authorHandle, 'authorHandle', POST_LIMITS.handleMax, errors, {
    singleLine: true,
  });
  const title = checkString(input.title, 'title', POST_LIMITS.titleMax, errors, { optional: true });
  const text = checkString(input.text, 'text', POST_LIMITS.textMax, errors);

  let postedAt = '';
  const at = parseInstant(input.postedAt);
  if (typeof at === 'string')
    errors.push({ field: 'postedAt', reason: input.postedAt == null ? 'required' : at });
  else if (at > options.now.getTime() + (options.maxFutureSkewMs ?? 5 * 60_000))
    errors.push({ field: 'postedAt', reason: 'lies in the future' });
  else if (at < Date.parse(POST_LIMITS.earliest))
    errors.push({ field: 'postedAt', reason: `before ${POST_LIMITS.earliest.slice(0, 10)}` });
  else postedAt = new Date(at).toISOString();

  const engagement = checkEngagement(input.engagement, errors);

  let unitCode: string | null = null;
  if (input.unitCode !== undefined && input.unitCode !== null) {
    if (typeof input.unitCode !== 'string' || !UNIT_CODE_RE.test(input.unitCode))
      errors.push({ field: 'unitCode', reason: 'expected a unit code of 6, 9, 12 or 15 digits' });
    else unitCode = input.unitCode;
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    post: {
      source: source as OpinionSource,
      url,
      authorHandle: authorHandle as string,
      title,
      text: text as string,
      postedAt,
      engagement,
      unitCode,
    },
  };
}

/** The identity of a post across collectors: the same URL from the same source is one post. */
export function postDedupeKey(post: Pick<OpinionPostInput, 'source' | 'url'>): string {
  return `${post.source} ${post.url}`;
}

/** Result of a JSON-lines import: good posts and the problems of each bad line (1-based). */
export interface PostLinesResult {
  posts: { line: number; post: OpinionPostInput }[];
  rejected: { line: number; errors: FieldError[] }[];
}

/** Checks a JSON-lines file of posts; blank lines are skipped, duplicates (source + URL) refused. */
export function parsePostLines(content: string, options: PostCheckOptions): PostLinesResult {
  const result: PostLinesResult = { posts: [], rejected: [] };
  const seen = new Map<string, number>();
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      result.rejected.push({ line, errors: [{ field: '$', reason: 'not valid JSON' }] });
      return;
    }
    const checked = checkPost(value, options);
    if (!checked.ok) {
      result.rejected.push({ line, errors: checked.errors });
      return;
    }
    const key = postDedupeKey(checked.post);
    const first = seen.get(key);
    if (first !== undefined) {
      result.rejected.push({ line, errors: [{ field: 'url', reason: `duplicate of line ${first}` }] });
      return;
    }
    seen.set(key, line);
    result.posts.push({ line, post: checked.post });
  });
  return result;
}

/** The AppError a service throws for a refused post (VALIDATION_FAILED with field issues). */
export function postValidationError(errors: readonly FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', 'Post is invalid', {
    issues: errors.map((e) => ({ path: e.field, reason: e.reason })),
  });
}
