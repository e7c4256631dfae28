// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import type { Category } from './categories.js';
import { categoryByCode, isCategoryCode, level1Of, parseCategoriesCsv } from './categories.js';
import { parseCsv } from './csv.js';

const CSV_URL = new URL('../../../../apps/server/assets/categories-3level.csv', import.meta.url);
const REAL = readFileSync(CSV_URL, 'utf8');
/** The data rows of the real file as [level1, level2, level3]. */
const ROWS = REAL.split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => l.split(',') as [string, string, string]);

/** The issues of the VALIDATION_FAILED thrown for `text`. */
function issuesOf(text: string): Array<{ path: string; reason: string; line: number; column: number }> {
  try {
    parseCategoriesCsv(text);
  } catch (e) {
    expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
    return (
      e as { details: { issues: Array<{ path: string; reason: string; line: number; column: number }> } }
    ).details.issues;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('the shipped catalogue (apps/server/assets/categories-3level.csv)', () => {
  const list = parseCategoriesCsv(REAL);
  const byLevel = (n: 1 | 2 | 3) => list.filter((c) => c.level === n);

  it('has 15 first-level classes, 118 second-level and 517 leaves', () => {
    expect(ROWS).toHaveLength(517);
    expect(byLevel(1)).toHaveLength(15);
    expect(byLevel(2)).toHaveLength(118);
    expect(byLevel(3)).toHaveLength(517);
  });

  it('gives unique, well-formed codes, stable across parses', () => {
    const codes = list.map((c) => c.code);
    expect(new Set(codes).size).toBe(list.length);
    expect(codes.every(isCategoryCode)).toBe(true);
    expect(codes).toEqual([...codes].sort());
    expect(parseCategoriesCsv(REAL)).toEqual(list);
  });

  it('numbers in order of first appearance', () => {
    const map = categoryByCode(list);
    expect(map.get('01')).toMatchObject({ name: '城乡建设', level: 1, parentCode: null, path: '城乡建设' });
    expect(map.get('01.01')).toMatchObject({ name: '安全生产', parentCode: '01', path: '城乡建设/安全生产' });
    expect(map.get('01.01.001')).toEqual({
      code: '01.01.001',
      level: 3,
      name: '事故处理',
      parentCode: '01.01',
      path: '城乡建设/安全生产/事故处理',
    });
    expect(byLevel(1).map((c) => c.name)).toEqual([...new Set(ROWS.map((r) => r[0]))]);
    const last = byLevel(3).at(-1)!;
    expect(last).toMatchObject({ code: '15.09.006', name: '病退及提前退休人员待遇' });
    // 安全生产 exists under two classes as two nodes
    expect(
      byLevel(2)
        .filter((c) => c.name === '安全生产')
        .map((c) => c.path),
    ).toEqual(['城乡建设/安全生产', '经济管理/安全生产']);
  });

  it('links every node to its parent, with a consistent path and code', () => {
    const map = categoryByCode(list);
    expect(map.size).toBe(list.length);
    for (const c of list) {
      if (c.level === 1) {
        expect(c.parentCode).toBeNull();
        continue;
      }
      const parent = map.get(c.parentCode!)!;
      expect(parent.level).toBe(c.level - 1);
      expect(c.path).toBe(`${parent.path}/${c.name}`);
      expect(c.code.startsWith(`${parent.code}.`)).toBe(true);
      expect(map.get(level1Of(c.code))!.name).toBe(c.path.split('/')[0]);
    }
  });
});

describe('level1Of and isCategoryCode', () => {
  it.each([
    ['01.02.003', '01'],
    ['01.02', '01'],
    ['07', '07'],
    [' 03.01 ', '03'],
  ])('level1Of(%j) = %j', (code, expected) => expect(level1Of(code)).toBe(expected));

  it.each([
    ['01', true],
    ['01.02', true],
    ['01.02.003', true],
    ['1', false],
    ['01.2', false],
    ['01.02.03', false],
    ['01.02.003.004', false],
    [7, false],
  ])('isCategoryCode(%j) = %s', (code, expected) => expect(isCategoryCode(code)).toBe(expected));
});

/** CSV text of rows, each field written in the chosen style. */
function serialise(
  rows: string[][],
  o: { bom: boolean; header: boolean; eol: string[]; quote: boolean[]; blank: boolean[]; pad: boolean[] },
): string {
  const field = (v: string, k: number) =>
    o.quote[k % o.quote.length] || /[",\r\n]/.test(v)
      ? `${o.pad[k % o.pad.length] ? ' ' : ''}"${v.replaceAll('"', '""')}"${o.pad[(k + 1) % o.pad.length] ? '\t' : ''}`
      : v;
  const lines = (o.header ? [['level1', 'level2', 'level3'], ...rows] : rows).map((r, i) =>
    r.map((v, j) => field(v, i * 3 + j)).join(','),
  );
  let text = o.bom ? '\uFEFF' : '';
  lines.forEach((l, i) => {
    text += l + o.eol[i % o.eol.length]!;
    if (o.blank[i % o.blank.length]) text += o.eol[(i + 1) % o.eol.length]!;
  });
  return text;
}

const styleArb = fc.record({
  bom: fc.boolean(),
  header: fc.boolean(),
  eol: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 7 }),
  quote: fc.array(fc.boolean(), { minLength: 1, maxLength: 11 }),
  blank: fc.array(
    fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    { minLength: 1, maxLength: 13 },
  ),
  pad: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
});

describe('parse robustness (properties)', () => {
  const canonical = parseCategoriesCsv(REAL);

  it('quoting, CRLF/CR/LF, BOM, header and blank-line variants of the real file parse the same', () => {
    fc.assert(
      fc.property(styleArb, (style) => {
        expect(parseCategoriesCsv(serialise(ROWS, style))).toEqual(canonical);
      }),
      { numRuns: 40 },
    );
  });

  it('names with commas, quotes and spaces survive quoting', () => {
    const nameArb = fc
      .string({
        unit: fc.constantFrom('a', 'b', '中', '文', ',', '"', ' ', '、', '（', '）'),
        minLength: 1,
        maxLength: 6,
      })
      .filter((s) => s.trim() !== '');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nameArb, nameArb, nameArb), { minLength: 1, maxLength: 30 }),
        styleArb,
        (rows, style) => {
          const parsed: Category[] = parseCategoriesCsv(serialise(rows, style));
          const leaves = parsed.filter((c) => c.level === 3).map((c) => c.path);
          const expected = new Set(rows.map((r) => r.map((n) => n.trim()).join('/')));
          expect(new Set(leaves)).toEqual(expected);
          expect(leaves).toHaveLength(expected.size);
        },
      ),
    );
  });
});

describe('malformed files are rejected naming the line and column', () => {
  const head = 'level1,level2,level3\n城乡建设,安全生产,事故处理\n';

  it.each<[string, string, number, number, RegExp]>([
    ['too few columns', `${head}城乡建设,安全生产\n`, 3, 3, /expected 3 columns/],
    ['too many columns', `${head}城乡建设,安全生产,事故处理,x\n`, 3, 4, /found 4/],
    ['empty level2', `${head}城乡建设, ,事故处理\n`, 3, 2, /empty level2/],
    ['empty level3', `${head}城乡建设,安全生产,""\r\n`, 3, 3, /empty level3/],
    ['stray quote', `${head}城乡"建设,安全生产,事故处理\n`, 3, 1, /quote inside an unquoted field/],
    ['text after a closing quote', `${head}"城乡"建设,安全生产,事故处理\n`, 3, 1, /after a closing quote/],
    ['unclosed quote', `${head}城乡建设,"安全生产,事故处理\n`, 3, 2, /unclosed quote/],
    ['path separator', `${head}城乡建设,安全/生产,事故处理\n`, 3, 2, /'\/'/],
    ['line break in a name', `${head}城乡建设,"安全\n生产",事故处理\n`, 3, 2, /line break/],
    ['a long name', `${head}城乡建设,安全生产,${'长'.repeat(101)}\n`, 3, 3, /longer than 100/],
  ])('%s', (_, text, line, column, reason) => {
    const issues = issuesOf(text);
    expect(issues[0]).toMatchObject({ line, column, path: `line ${line}, column ${column}` });
    expect(issues[0]!.reason).toMatch(reason);
  });

  it('reports every bad line, counting lines inside quoted fields, and names it in the message', () => {
    const text = `${head}"城乡建设",,事故处理\n\n"多行\n名称",安全生产\n政法,社会治安,群体事件\n政法,,\n`;
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [3, 2],
      [5, 3], // the record starts on line 5 and has 2 columns
      [8, 2],
      [8, 3],
    ]);
    expect(() => parseCategoriesCsv(text)).toThrow(/line 3, column 2/);
  });

  it('rejects a file without rows', () => {
    expect(issuesOf('')[0]!.reason).toMatch(/no category rows/);
    expect(issuesOf('\uFEFFlevel1,level2,level3\r\n\r\n')[0]!.reason).toMatch(/no category rows/);
  });

  it('ignores exact duplicate rows and surrounding spaces', () => {
    const list = parseCategoriesCsv(`${head} 城乡建设 ,安全生产, 事故处理\n`);
    expect(list.map((c) => c.code)).toEqual(['01', '01.01', '01.01.001']);
  });
});

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes and line breaks, with positions', () => {
    const { records, issues } = parseCsv('a,"b,1","say ""hi"""\r\n"x\r\ny",z\n\n');
    expect(issues).toEqual([]);
    expect(records.map((r) => r.fields.map((f) => f.value))).toEqual([
      ['a', 'b,1', 'say "hi"'],
      ['x\ny', 'z'],
      [''],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(records[1]!.fields[1]).toMatchObject({ line: 3, column: 2, quoted: false });
  });

  it('keeps a trailing empty field and resumes after a broken record', () => {
    const { records, issues } = parseCsv('a,b,\nc"d,e\nf,g');
    expect(records.map((r) => r.fields.map((f) => f.value))).toEqual([
      ['a', 'b', ''],
      ['f', 'g'],
    ]);
    expect(issues).toEqual([{ line: 2, column: 1, reason: expect.stringMatching(/quote/) }]);
  });
});
