import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longestNonOverlapping, PhraseMatcher } from './phrase-matcher.js';
import type { Watchlist } from './watchlist.js';
import { checkWatchlist, compileWatchlists, matchWatchlists, parseTerm } from './watchlist.js';

const topic = (id: string, terms: string[], excludeTerms: string[] = []): Watchlist => ({
  id,
  topic: id,
  unitCode: null,
  terms,
  excludeTerms,
});

describe('PhraseMatcher (Aho–Corasick)', () => {
  it('finds overlapping and nested patterns', () => {
    const m = new PhraseMatcher(['扰民', '噪音扰民', '音扰', 'he', 'she', 'hers']);
    const hits = m.findAll('噪音扰民 ushers');
    const found = hits.map((h) => `${h.pattern}@${h.start}`).sort();
    expect(found).toEqual(['0@2', '1@0', '2@1', '3@7', '4@6', '5@7'].sort());
    expect(longestNonOverlapping(hits).map((h) => h.pattern)).toEqual([1, 4]);
  });

  it('agrees with a naive search on random texts', () => {
    const alphabet = fc.constantFrom('物', '业', '费', '扰', '民', 'a', 'b');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { maxLength: 8 }),
        fc.array(alphabet, { maxLength: 40 }),
        (patterns, chars) => {
          const text = chars.join('');
          const naive: string[] = [];
          patterns.forEach((p, i) => {
            for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) naive.push(`${i}@${at}`);
          });
          const fast = new PhraseMatcher(patterns).findAll(text).map((h) => `${h.pattern}@${h.start}`);
          expect(fast.sort()).toEqual(naive.sort());
        },
      ),
    );
  });
});

describe('parseTerm', () => {
  it('splits all-of terms and decides word-bounded parts', () => {
    expect(parseTerm('学校+收费')).toEqual([
      { text: '学校', bounded: false },
      { text: '收费', bounded: false },
    ]);
    expect(parseTerm('臭')).toEqual([{ text: '臭', bounded: true }]);
    expect(parseTerm('Ｐ２Ｐ')).toEqual([{ text: 'p2p', bounded: true }]);
    expect(parseTerm('=物业')).toEqual([{ text: '物业', bounded: true }]);
  });
});

describe('matchWatchlists', () => {
  const lists = compileWatchlists([
    topic('noise', ['噪音', '扰民', '夜间施工']),
    topic('school-fees', ['学校+收费', '补课费'], ['停车收费']),
    topic('fund', ['58', '车贷']),
    { id: 'unit-a', topic: null, unitCode: '370112009', terms: ['洪家楼'] },
    { id: 'unit-a-property', topic: 'property', unitCode: '370112009', terms: ['丽发新城'] },
  ]);

  it('matches a phrase the segmenter cuts in two (扰|民)', () => {
    const m = matchWatchlists(lists, '桐阴里夜间施工扰民，小区长期以来一直夜间施工');
    expect(m).toEqual([
      { watchlistId: 'noise', topic: 'noise', unitCode: null, terms: ['扰民', '夜间施工'] },
    ]);
  });

  it('needs every part of an all-of term, and honours exclusions', () => {
    expect(matchWatchlists(lists, '某某学校违规收费，一学期补课费三千元')[0]?.terms).toEqual([
      '学校+收费',
      '补课费',
    ]);
    expect(matchWatchlists(lists, '学校周边道路')).toEqual([]);
    expect(matchWatchlists(lists, '学校门口停车收费太贵')).toEqual([]);
  });

  it('keeps Latin and digit terms on word boundaries', () => {
    expect(matchWatchlists(lists, '请书记关注58车贷案')[0]?.terms).toEqual(['58', '车贷']);
    expect(matchWatchlists(lists, '门牌158号')).toEqual([]);
  });

  it('normalises full-width text before matching', () => {
    expect(matchWatchlists(lists, '５８车贷')[0]?.terms).toEqual(['58', '车贷']);
  });

  it('reports unit lists with their unit, and topic-in-unit lists with both', () => {
    const m = matchWatchlists(lists, '洪家楼丽发新城物业强行断水');
    expect(m.map((x) => [x.watchlistId, x.topic, x.unitCode])).toEqual([
      ['unit-a', null, '370112009'],
      ['unit-a-property', 'property', '370112009'],
    ]);
  });

  it('handles hundreds of terms in one pass', () => {
    const many = Array.from({ length: 500 }, (_, i) => `词${i}号`);
    const compiled = compileWatchlists([topic('many', [...many, '烂尾楼'])]);
    expect(matchWatchlists(compiled, '这个烂尾楼和词123号')[0]?.terms).toEqual(['词123号', '烂尾楼']);
  });
});

describe('checkWatchlist', () => {
  it('accepts a good list', () => {
    expect(
      checkWatchlist({ id: 'w1', topic: 'noise', unitCode: null, terms: ['噪音', '学校+收费'] }),
    ).toEqual([]);
  });

  it('names each bad field', () => {
    const errors = checkWatchlist({
      id: '',
      topic: 'Noise!',
      unitCode: '12',
      terms: ['噪音', '噪音', '', 5],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'id',
      'topic',
      'unitCode',
      'terms[1]',
      'terms[2]',
      'terms[3]',
    ]);
    expect(checkWatchlist({ id: 'x', terms: [] }).map((e) => e.field)).toEqual(['topic', 'terms']);
    expect(checkWatchlist({ id: 'x', topic: 'a', terms: ['一'.repeat(41)] })[0]?.reason).toMatch(/longer/);
  });
});
