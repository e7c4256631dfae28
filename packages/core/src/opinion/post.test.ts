import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import { checkPost, parseInstant, parsePostLines, postDedupeKey, postValidationError } from './post.js';

const NOW = new Date('2026-11-27T04:00:00Z');
const good = {
  source: 'weibo',
  url: 'https://weibo.com/123/abc#comments',
  authorHandle: ' 历城小王 ',
  title: '',
  text: ' 小区夜间施工扰民！\r\n已经一个月了 ',
  postedAt: '2026-11-27T09:30:00+08:00',
  engagement: { likes: 12, comments: 3 },
};

describe('checkPost', () => {
  it('normalises a good post', () => {
    const r = checkPost(good, { now: NOW });
    expect(r).toEqual({
      ok: true,
      post: {
        source: 'weibo',
        url: 'https://weibo.com/123/abc',
        authorHandle: '历城小王',
        title: null,
        text: '小区夜间施工扰民！\n已经一个月了',
        postedAt: '2026-11-27T01:30:00.000Z',
        engagement: { likes: 12, comments: 3, shares: 0, views: 0, against: 0 },
        unitCode: null,
      },
    });
  });

  it('names every bad field', () => {
    const r = checkPost(
      {
        source: 'tiktok',
        url: 'ftp://x.example/1',
        authorHandle: 'a\nb',
        text: '   ',
        postedAt: '2026-11-27 09:30',
        engagement: { likes: -1, shares: 1.5, like: 3, views: '9' },
        unitCode: '3701',
      },
      { now: NOW },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { field: 'source', reason: 'expected one of weibo, douyin, board, news, wechat' },
      { field: 'url', reason: 'only http and https URLs are accepted' },
      { field: 'authorHandle', reason: 'must be a single line' },
      { field: 'text', reason: 'must not be blank' },
      { field: 'postedAt', reason: 'needs a time zone (Z or +08:00)' },
      { field: 'engagement.likes', reason: 'must not be negative' },
      { field: 'engagement.shares', reason: 'expected a whole number' },
      {
        field: 'engagement.like',
        reason: 'unknown count (expected likes, comments, shares, views, against)',
      },
      { field: 'engagement.views', reason: 'expected a whole number' },
      { field: 'unitCode', reason: 'expected a unit code of 6, 9, 12 or 15 digits' },
    ]);
  });

  it('refuses missing fields, long texts, credentials in URLs and posts from the future', () => {
    const errs = (input: unknown) => {
      const r = checkPost(input, { now: NOW });
      return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.reason}`);
    };
    expect(errs({})).toEqual([
      'source: expected one of weibo, douyin, board, news, wechat',
      'url: required',
      'authorHandle: required',
      'text: required',
      'postedAt: required',
    ]);
    expect(errs({ ...good, text: '扰'.repeat(10_001) })).toEqual(['text: longer than 10000 characters']);
    expect(errs({ ...good, text: '𠀀'.repeat(10_000) })).toEqual([]); // code points, not UTF-16 units
    expect(errs({ ...good, url: 'https://u:p@x.example/' })).toEqual(['url: must not contain credentials']);
    expect(errs({ ...good, url: 'not a url' })).toEqual(['url: not a valid absolute URL']);
    expect(errs({ ...good, postedAt: '2026-11-27T12:06:00+08:00' })).toEqual([
      'postedAt: lies in the future',
    ]);
    expect(errs({ ...good, postedAt: '2026-02-30T10:00:00Z' })).toEqual([
      'postedAt: not a real calendar date-time',
    ]);
    expect(errs('text')).toEqual(['$: expected an object']);
  });

  it('never throws and is idempotent on what it accepts', () => {
    /** A good value most of the time, sometimes anything at all. */
    const sometimes = <T>(goodValue: fc.Arbitrary<T>) =>
      fc.oneof(
        { weight: 9, arbitrary: goodValue as fc.Arbitrary<unknown> },
        { weight: 1, arbitrary: fc.anything() },
      );
    const count = fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, '3', null));
    const arbitraryPost = fc.record({
      source: sometimes(fc.constantFrom('weibo', 'board', 'news')),
      url: sometimes(fc.webUrl({ withFragments: true, withQueryParameters: true })),
      authorHandle: sometimes(fc.string({ minLength: 1, maxLength: 120 })),
      title: sometimes(fc.option(fc.string({ maxLength: 220 }))),
      text: sometimes(fc.string({ minLength: 1, maxLength: 200 })),
      postedAt: sometimes(
        fc
          .date({ min: new Date('1999-01-01'), max: new Date('2026-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString()),
      ),
      engagement: sometimes(
        fc.dictionary(fc.constantFrom('likes', 'views', 'shares', 'x'), count, { maxKeys: 3 }),
      ),
      unitCode: sometimes(fc.option(fc.constantFrom('370112', '370112001', '12'))),
    });
    let accepted = 0;
    fc.assert(
      fc.property(arbitraryPost, (input) => {
        const r = checkPost(input, { now: NOW });
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          return;
        }
        accepted++;
        expect(checkPost(r.post, { now: NOW })).toEqual(r);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(20); // the generator does reach the accepting path
  });
});

describe('parseInstant', () => {
  it('reads offsets and Z', () => {
    expect(parseInstant('2019-02-28T11:25:05+08:00')).toBe(Date.parse('2019-02-28T03:25:05Z'));
    expect(parseInstant('2019-02-28T03:25:05.123Z')).toBe(Date.parse('2019-02-28T03:25:05.123Z'));
    expect(parseInstant('2019-02-28T11:25-0130')).toBe(Date.parse('2019-02-28T12:55:00Z'));
    expect(parseInstant('2019-02-28T11:25+15:00')).toBe('time zone offset out of range');
  });
});

describe('parsePostLines', () => {
  it('returns the good posts and one error list per bad line', () => {
    const lines = [
      JSON.stringify(good),
      '',
      '{not json',
      JSON.stringify({ ...good, url: 'https://weibo.com/123/abc' }),
      JSON.stringify({ ...good, url: 'https://weibo.com/9', engagement: { likes: -2 } }),
      JSON.stringify({ ...good, url: 'https://weibo.com/10', source: 'news' }),
    ].join('\r\n');
    const r = parsePostLines('\uFEFF' + lines, { now: NOW });
    expect(r.posts.map((p) => p.line)).toEqual([1, 6]);
    expect(r.rejected).toEqual([
      { line: 3, errors: [{ field: '$', reason: 'not valid JSON' }] },
      { line: 4, errors: [{ field: 'url', reason: 'duplicate of line 1' }] },
      { line: 5, errors: [{ field: 'engagement.likes', reason: 'must not be negative' }] },
    ]);
  });

  it('keys posts by source and canonical URL', () => {
    expect(postDedupeKey({ source: 'board', url: 'https://b.example/1' })).toBe('board https://b.example/1');
  });

  it('turns errors into a VALIDATION_FAILED AppError with paths', () => {
    const e = postValidationError([{ field: 'url', reason: 'required' }]);
    expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toEqual({ issues: [{ path: 'url', reason: 'required' }] });
  });
});
