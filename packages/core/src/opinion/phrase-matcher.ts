/**
 * Aho–Corasick multi-pattern matcher over UTF-16 code units: one pass over a post finds every
 * occurrence of hundreds of terms, whatever the word segmenter made of them.
 */

/** One occurrence of a pattern: `[start, end)` in the scanned text. */
export interface PatternHit {
  pattern: number;
  start: number;
  end: number;
}

/** A compiled set of patterns; build once, scan many texts. */
export class PhraseMatcher {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];
  private readonly lengths: number[];

  constructor(patterns: readonly string[]) {
    this.lengths = patterns.map((p) => p.length);
    patterns.forEach((p, index) => {
      if (p.length === 0) return;
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        const edges = this.next[node] as Map<number, number>;
        let child = edges.get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          edges.set(c, child);
        }
        node = child;
      }
      (this.out[node] as number[]).push(index);
    });
    this.link();
  }

  /** Breadth-first failure links; outputs are merged so a scan never walks suffix chains. */
  private link(): void {
    const queue: number[] = [];
    for (const child of (this.next[0] as Map<number, number>).values()) queue.push(child);
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi] as number;
      for (const [c, child] of this.next[node] as Map<number, number>) {
        queue.push(child);
        let f = this.fail[node] as number;
        while (f !== 0 && !(this.next[f] as Map<number, number>).has(c)) f = this.fail[f] as number;
        const target = (this.next[f] as Map<number, number>).get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.out[this.fail[child] as number] as number[];
        if (inherited.length > 0) (this.out[child] as number[]).push(...inherited);
      }
    }
  }

  /** Every occurrence of every pattern, overlapping ones included, ordered by end offset. */
  findAll(text: string): PatternHit[] {
    const hits: PatternHit[] = [];
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      while (node !== 0 && !(this.next[node] as Map<number, number>).has(c)) node = this.fail[node] as number;
      node = (this.next[node] as Map<number, number>).get(c) ?? 0;
      for (const pattern of this.out[node] as number[]) {
        const len = this.lengths[pattern] as number;
        hits.push({ pattern, start: i + 1 - len, end: i + 1 });
      }
    }
    return hits;
  }
}

/** Leftmost-longest, non-overlapping selection of hits (how a reader would parse the text). */
export function longestNonOverlapping(hits: readonly PatternHit[]): PatternHit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end || a.pattern - b.pattern);
  const chosen: PatternHit[] = [];
  let reach = 0;
  for (const h of sorted) {
    if (h.start < reach) continue;
    chosen.push(h);
    reach = h.end;
  }
  return chosen;
}
