/**
 * Keyword watchlists (关键词监测): per topic (物业, 噪音扰民 …) and per unit (a street's own place
 * names, estates, projects). All terms of all lists compile into one Aho–Corasick automaton, so a
 * post is scanned once however many lists there are.
 *
 * Term syntax
 * - `扰民`       a phrase, found anywhere in the normalised text (the segmenter splits 扰民 into
 *                扰|民, so raw-text matching is what makes phrases work across segments);
 * - `学校+收费`  all parts must occur somewhere in the post (组合词);
 * - `=臭`        the part must start and end on word boundaries of the segmentation.
 * Single CJK characters and parts without CJK (`58`, `pm2.5`) are word-bounded by default, so
 * `58` does not fire inside `158`. Exclusion terms use the same syntax; one hit excludes the post
 * from that list.
 */
import type { FieldError } from './post.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { isCjk, normaliseText, segmentBoundaries } from './segment.js';

/** A list of terms watched for a topic, for a unit, or for a topic within one unit. */
export interface Watchlist {
  id: string;
  /** The topic code matches count towards; null for a unit's list of place names. */
  topic: string | null;
  /** The unit whose list this is; a match places the post in that unit. Null: district-wide. */
  unitCode: string | null;
  terms: readonly string[];
  excludeTerms?: readonly string[];
}

/** A list that matched a post, with the terms (as written in the list) that fired. */
export interface WatchMatch {
  watchlistId: string;
  topic: string | null;
  unitCode: string | null;
  terms: string[];
}

interface Part {
  atom: number;
}
interface CompiledTerm {
  source: string;
  parts: Part[];
}
interface CompiledList {
  list: Watchlist;
  terms: CompiledTerm[];
  excludes: CompiledTerm[];
}

/** Watchlists ready for matching; build with `compileWatchlists`. */
export interface CompiledWatchlists {
  readonly lists: readonly CompiledList[];
  readonly matcher: PhraseMatcher;
  readonly atoms: readonly { text: string; bounded: boolean }[];
}

export const WATCHLIST_LIMITS = { terms: 1000, termLength: 40, excludeTerms: 200 } as const;

function needsBoundary(part: string): boolean {
  let cjk = 0;
  for (let i = 0; i < part.length; i++) if (isCjk(part.charCodeAt(i))) cjk++;
  return cjk === 0 || (cjk === 1 && part.length === 1);
}

/** Splits a term into its normalised parts: `学校+收费` → [{学校}, {收费}]. */
export function parseTerm(term: string): { text: string; bounded: boolean }[] {
  return normaliseText(term)
    .split('+')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== '=')
    .map((p) =>
      p.startsWith('=') ? { text: p.slice(1).trim(), bounded: true } : { text: p, bounded: needsBoundary(p) },
    );
}

/** Compiles watchlists into one matcher. Invalid terms (see `checkWatchlist`) are skipped. */
export function compileWatchlists(lists: readonly Watchlist[]): CompiledWatchlists {
  const atomIndex = new Map<string, number>();
  const atoms: { text: string; bounded: boolean }[] = [];
  const compileTerm = (source: string): CompiledTerm | null => {
    const parts = parseTerm(source);
    if (parts.length === 0) return null;
    return {
      source,
      parts: parts.map((p) => {
        const key = `${p.bounded ? '=' : ''}${p.text}`;
        let atom = atomIndex.get(key);
        if (atom === undefined) {
          atom = atoms.length;
          atoms.push(p);
          atomIndex.set(key, atom);
        }
        return { atom };
      }),
    };
  };
  const compiled = lists.map((list) => ({
    list,
    terms: list.terms.map(compileTerm).filter((t): t is CompiledTerm => t !== null),
    excludes: (list.excludeTerms ?? []).map(compileTerm).filter((t): t is CompiledTerm => t !== null),
  }));
  return { lists: compiled, matcher: new PhraseMatcher(atoms.map((a) => a.text)), atoms };
}

/** The atoms present in a text, word boundaries checked only when a bounded atom was seen. */
function atomsIn(compiled: CompiledWatchlists, normalised: string): Set<number> {
  const found = new Set<number>();
  let boundaries: Set<number> | undefined;
  for (const hit of compiled.matcher.findAll(normalised)) {
    if (found.has(hit.pattern)) continue;
    const atom = compiled.atoms[hit.pattern];
    if (atom?.bounded) {
      boundaries ??= segmentBoundaries(normalised);
      if (!boundaries.has(hit.start) || !boundaries.has(hit.end)) continue;
    }
    found.add(hit.pattern);
  }
  return found;
}

/** Lists whose terms occur in the text (and none of whose exclusions do), in list order. */
export function matchWatchlists(compiled: CompiledWatchlists, text: string): WatchMatch[] {
  const present = atomsIn(compiled, normaliseText(text));
  const fires = (t: CompiledTerm) => t.parts.every((p) => present.has(p.atom));
  const out: WatchMatch[] = [];
  for (const { list, terms, excludes } of compiled.lists) {
    const hits = terms.filter(fires).map((t) => t.source);
    if (hits.length === 0 || excludes.some(fires)) continue;
    out.push({ watchlistId: list.id, topic: list.topic, unitCode: list.unitCode, terms: hits });
  }
  return out;
}

const UNIT_CODE_RE = /^\d{6}(?:\d{3}){0,3}$/;
const TOPIC_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

function checkTerms(value: unknown, field: string, max: number, errors: FieldError[]): void {
  if (!Array.isArray(value)) {
    errors.push({ field, reason: 'expected a list of terms' });
    return;
  }
  if (value.length > max) errors.push({ field, reason: `more than ${max} terms` });
  const seen = new Set<string>();
  value.forEach((term: unknown, i) => {
    const f = `${field}[${i}]`;
    if (typeof term !== 'string') return errors.push({ field: f, reason: 'expected a string' });
    const parts = parseTerm(term);
    if (parts.length === 0 || parts.some((p) => p.text === ''))
      return errors.push({ field: f, reason: 'empty term' });
    if ([...term.trim()].length > WATCHLIST_LIMITS.termLength)
      return errors.push({ field: f, reason: `longer than ${WATCHLIST_LIMITS.termLength} characters` });
    const key = parts.map((p) => (p.bounded ? '=' : '') + p.text).join('+');
    if (seen.has(key)) return errors.push({ field: f, reason: 'duplicate term' });
    seen.add(key);
  });
}

/** Domain checks of a watchlist as an operator submits it; an empty list means it is fine. */
export function checkWatchlist(input: Partial<Record<keyof Watchlist, unknown>>): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.id !== 'string' || input.id.trim() === '')
    errors.push({ field: 'id', reason: 'required' });
  const topic = input.topic ?? null;
  const unitCode = input.unitCode ?? null;
  if (topic !== null && (typeof topic !== 'string' || !TOPIC_RE.test(topic)))
    errors.push({ field: 'topic', reason: 'expected a topic code such as noise (a-z, 0-9, -)' });
  if (unitCode !== null && (typeof unitCode !== 'string' || !UNIT_CODE_RE.test(unitCode)))
    errors.push({ field: 'unitCode', reason: 'expected a unit code of 6, 9, 12 or 15 digits' });
  if (topic === null && unitCode === null)
    errors.push({ field: 'topic', reason: 'a watchlist needs a topic, a unit or both' });
  checkTerms(input.terms, 'terms', WATCHLIST_LIMITS.terms, errors);
  if (Array.isArray(input.terms) && input.terms.length === 0)
    errors.push({ field: 'terms', reason: 'at least one term' });
  if (input.excludeTerms !== undefined)
    checkTerms(input.excludeTerms, 'excludeTerms', WATCHLIST_LIMITS.excludeTerms, errors);
  return errors;
}
