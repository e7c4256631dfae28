/**
 * Negative-sentiment scoring (负面情绪) of a post, 0..1, and engagement heat (热度).
 *
 * The score is explainable on purpose: an operator asking "why is this red?" gets the hits.
 * raw = Σ weight(hit) × intensifier − Σ positive weights + exclamation bonus, where a term
 * repeated counts half the second time and not at all after; long posts are damped by
 * √(length / 200) so a detailed letter is not angrier than a short outburst per se;
 * score = 1 − e^(−raw / 4) (0 when raw ≤ 0). One plain complaint (投诉, 2) scores about 0.4;
 * 噪音扰民严重！ about 0.75; thanks (感谢 … 及时解决) score 0.
 */
import type { Engagement } from './post.js';
import { longestNonOverlapping, PhraseMatcher } from './phrase-matcher.js';
import { INTENSIFIERS, NEGATORS, NOT_NEGATING, SENTIMENT_LEXICON } from './sentiment-lexicon.js';
import { normaliseText } from './segment.js';

/** One lexicon hit and what it contributed (after negation and intensifiers). */
export interface SentimentHit {
  term: string;
  start: number;
  contribution: number;
  negated: boolean;
}

export interface SentimentResult {
  /** 0 = not negative, towards 1 = strongly negative. */
  score: number;
  raw: number;
  hits: SentimentHit[];
  exclamations: number;
}

/** How far back (characters) a negator or intensifier may stand from its term. */
const LOOKBACK = 3;
const SCALE = 4;
/** Posts up to this many characters are not damped. */
const PLAIN_LENGTH = 200;
const BREAK_RE = /[\s,.!?;:，。！？；：、…“”"'()（）]/;

let matcher: PhraseMatcher | undefined;
const lexicon = (): PhraseMatcher => (matcher ??= new PhraseMatcher(SENTIMENT_LEXICON.map((e) => e.term)));

/** The text between the previous punctuation and `start`, at most LOOKBACK characters. */
function lookback(text: string, start: number): { from: number; pre: string } {
  let from = Math.max(0, start - LOOKBACK);
  for (let i = start - 1; i >= from; i--)
    if (BREAK_RE.test(text[i] as string)) {
      from = i + 1;
      break;
    }
  return { from, pre: text.slice(from, start) };
}

function isNegated(text: string, from: number, pre: string): boolean {
  for (let k = pre.length - 1; k >= 0; k--) {
    if (!NEGATORS.includes(pre[k] as string)) continue;
    const at = from + k;
    const exempt = NOT_NEGATING.some((word) =>
      [...word].some((ch, j) => NEGATORS.includes(ch) && text.startsWith(word, at - j)),
    );
    if (!exempt) return true;
  }
  return false;
}

function intensity(pre: string): number {
  let factor = 1;
  for (const { term, factor: f } of INTENSIFIERS) if (pre.includes(term)) factor = Math.max(factor, f);
  return factor;
}

/** Exclamation marks add urgency: 0.4 each (at most 2), 0.5 more for a run like ！！！. */
function exclamationBonus(text: string): { count: number; bonus: number } {
  const count = (text.match(/!/g) ?? []).length;
  const bonus = Math.min(2, 0.4 * count) + (/!{2,}/.test(text) ? 0.5 : 0);
  return { count, bonus };
}

/** Scores how negative a post reads, with the lexicon hits that made the score. */
export function scoreNegativity(text: string): SentimentResult {
  const norm = normaliseText(text);
  const chosen = longestNonOverlapping(lexicon().findAll(norm));
  const hits: SentimentHit[] = [];
  let raw = 0;
  let previousEnd = 0;
  const seen = new Map<string, number>();
  for (const h of chosen) {
    const entry = SENTIMENT_LEXICON[h.pattern];
    if (!entry) continue;
    const { from, pre } = lookback(norm, h.start);
    // a negator inside the previous hit (不作为, 无人管) belongs to that hit, not to this one
    const own = Math.max(from, previousEnd);
    const negated = isNegated(norm, own, norm.slice(own, h.start));
    previousEnd = h.end;
    let contribution: number;
    if (negated) contribution = entry.negated ?? (entry.w < 0 ? -entry.w : 0);
    else contribution = entry.w > 0 ? entry.w * intensity(pre) : entry.w;
    if (contribution === 0) continue;
    const repeat = seen.get(entry.term) ?? 0;
    seen.set(entry.term, repeat + 1);
    if (repeat >= 2) continue;
    if (repeat === 1) contribution /= 2;
    raw += contribution;
    hits.push({ term: entry.term, start: h.start, contribution: round(contribution), negated });
  }
  const { count, bonus } = exclamationBonus(norm);
  raw += bonus;
  if (raw > 0) raw /= Math.sqrt(Math.max(1, [...norm].length / PLAIN_LENGTH));
  const score = raw <= 0 ? 0 : 1 - Math.exp(-raw / SCALE);
  return { score: round(score), raw: round(raw), hits, exclamations: count };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Weights of the engagement counters in the heat sum (shares spread a post furthest). */
const HEAT_WEIGHTS: Engagement = { likes: 1, comments: 1.5, shares: 2, views: 0.5, against: 1 };
/** Views are counted per hundred: a hundred views weigh about as much as one like. */
const VIEWS_PER_UNIT = 100;
const HEAT_SCALE = 8;

/** Unbounded log-scaled engagement: Σ weight × ln(1 + count). */
export function engagementHeat(e: Engagement): number {
  return (
    HEAT_WEIGHTS.likes * Math.log1p(e.likes) +
    HEAT_WEIGHTS.comments * Math.log1p(e.comments) +
    HEAT_WEIGHTS.shares * Math.log1p(e.shares) +
    HEAT_WEIGHTS.views * Math.log1p(e.views / VIEWS_PER_UNIT) +
    HEAT_WEIGHTS.against * Math.log1p(e.against)
  );
}

/** Heat of one post, 0..1 (1 − e^(−heat / 8)): 50 likes ≈ 0.39, 2,000 likes ≈ 0.61. */
export function postHeat(e: Engagement): number {
  return round(1 - Math.exp(-engagementHeat(e) / HEAT_SCALE));
}

/** Heat of a topic (or any set of posts), 0..1: the heat of their summed engagement. */
export function topicHeat(engagements: readonly Engagement[]): number {
  const sum: Engagement = { likes: 0, comments: 0, shares: 0, views: 0, against: 0 };
  for (const e of engagements) {
    sum.likes += e.likes;
    sum.comments += e.comments;
    sum.shares += e.shares;
    sum.views += e.views;
    sum.against += e.against;
  }
  return postHeat(sum);
}
