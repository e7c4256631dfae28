import type { Category } from '../timelimits/categories.js';
import { normalizeText } from './normalize.js';
import { TAXONOMY_TERMS } from './taxonomy-terms.js';

/*
 * Level 2 and level 3 suggestions. The labelled messages carry only the first level, so there is
 * nothing to train a finer classifier on; instead, within the predicted first-level class, the
 * names of the level-2/level-3 categories (split at 和/与/及/、, with a generic suffix such as
 * 管理/问题/污染 removed) and the words of TAXONOMY_TERMS are looked up in the message. A term
 * scores its length (longer = more specific) per occurrence, up to three occurrences. The level 2
 * with the best own + best child score wins, then its best level 3; nothing found → null.
 */

/** A suggested position under the first-level class; null where nothing matched. */
export interface SubcategorySuggestion {
  level2: string | null;
  level3: string | null;
  /** Catalogue code of the most specific node (level 3, else 2, else 1); null when level1 is not in the catalogue. */
  code: string | null;
}

interface Node {
  category: Category;
  terms: string[];
}

interface Branch extends Node {
  leaves: Node[];
}

/** The lookup structure built once from the catalogue. */
export interface TaxonomyMatcher {
  /** First-level name → its level-2 branches in catalogue order. */
  branches: ReadonlyMap<string, readonly Branch[]>;
  /** First-level name → catalogue code. */
  level1Codes: ReadonlyMap<string, string>;
}

const SEPARATORS = /[和与及、,，]/;
const SUFFIXES = [
  '管理',
  '问题',
  '监管',
  '政策',
  '服务',
  '纠纷',
  '待遇',
  '发放',
  '污染',
  '建设',
  '改革',
  '执法',
];
/** Parts too generic to tell categories apart. */
const GENERIC = new Set(
  '其他 办理 管理 问题 服务 政策 城市 城镇 城乡 居民 职工 企业 人员 市场 行业 工程 项目 社会 公共 住房 房屋 环境 其他污染 文化 体育 教育'.split(
    ' ',
  ),
);

/** Terms derived from a category name: the name, its parts, and the parts without a generic suffix. */
export function termsOfName(name: string): string[] {
  const out = new Set<string>([name]);
  for (const part of name.split(SEPARATORS)) {
    out.add(part);
    const suffix = SUFFIXES.find((s) => part.endsWith(s) && part.length - s.length >= 2);
    if (suffix) out.add(part.slice(0, -suffix.length));
  }
  return [...out].map(normalizeText).filter((t) => t.length >= 2 && !GENERIC.has(t));
}

/** Builds the matcher from the catalogue (parseCategoriesCsv) and extra terms keyed by path. */
export function createTaxonomyMatcher(
  categories: readonly Category[],
  extraTerms: Readonly<Record<string, readonly string[]>> = TAXONOMY_TERMS,
): TaxonomyMatcher {
  const node = (c: Category): Node => ({
    category: c,
    terms: [...new Set([...termsOfName(c.name), ...(extraTerms[c.path] ?? []).map(normalizeText)])],
  });
  const byCode = new Map<string, Branch>();
  const branches = new Map<string, Branch[]>();
  const level1Name = new Map(categories.filter((c) => c.level === 1).map((c) => [c.code, c.name]));
  for (const c of categories) {
    if (c.level !== 2) continue;
    const b: Branch = { ...node(c), leaves: [] };
    byCode.set(c.code, b);
    const l1 = level1Name.get(c.parentCode ?? '');
    if (l1 === undefined) continue;
    const list = branches.get(l1);
    if (list) list.push(b);
    else branches.set(l1, [b]);
  }
  for (const c of categories) if (c.level === 3) byCode.get(c.parentCode ?? '')?.leaves.push(node(c));
  return { branches, level1Codes: new Map([...level1Name].map(([code, name]) => [name, code])) };
}

/** Score of a node's terms in the text: term length per occurrence, at most three occurrences each. */
function scoreTerms(text: string, terms: readonly string[], cache: Map<string, number>): number {
  let score = 0;
  for (const t of terms) {
    let n = cache.get(t);
    if (n === undefined) {
      n = 0;
      for (let at = text.indexOf(t); at >= 0 && n < 3; at = text.indexOf(t, at + t.length)) n++;
      cache.set(t, n);
    }
    score += n * t.length;
  }
  return score;
}

/** Suggests level 2 and level 3 under `level1` for a message; nulls when no term matches. */
export function suggestSubcategory(
  matcher: TaxonomyMatcher,
  level1: string,
  text: string,
): SubcategorySuggestion {
  const none: SubcategorySuggestion = {
    level2: null,
    level3: null,
    code: matcher.level1Codes.get(level1) ?? null,
  };
  const branches = matcher.branches.get(level1);
  if (!branches) return none;
  const s = normalizeText(text);
  const cache = new Map<string, number>();
  let best: { branch: Branch; leaf: Node | null; score: number } | null = null;
  for (const branch of branches) {
    let leaf: Node | null = null;
    let leafScore = 0;
    for (const l of branch.leaves) {
      const score = scoreTerms(s, l.terms, cache);
      if (score > leafScore) {
        leaf = l;
        leafScore = score;
      }
    }
    const score = scoreTerms(s, branch.terms, cache) + leafScore;
    if (score > (best?.score ?? 0)) best = { branch, leaf, score };
  }
  if (!best) return none;
  return {
    level2: best.branch.category.name,
    level3: best.leaf?.category.name ?? null,
    code: (best.leaf ?? best.branch).category.code,
  };
}
