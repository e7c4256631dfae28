import { fmix32 } from './hashing.js';
import { isEmptySignature } from './minhash.js';

/**
 * LSH banding over MinHash signatures. A signature of b·r slots is cut into b bands of r rows;
 * two texts become candidates when any band is equal. With Jaccard similarity s the chance to
 * meet is 1 − (1 − s^r)^b, an S-curve whose midpoint is about (1/b)^(1/r).
 *
 * Database design (one row per band of every open or recently closed case):
 *
 *   case_band(band_key TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY (band_key, case_id))
 *   INDEX case_band_case ON case_band(case_id)          -- delete a case's rows when it leaves
 *
 *   SELECT case_id, COUNT(*) AS hits FROM case_band WHERE band_key IN (:keys)
 *   GROUP BY case_id ORDER BY hits DESC LIMIT 200
 *
 * The 16 hex digits of a key already depend on the band (the hash is seeded with it), so
 * PostgreSQL may store them as a BIGINT instead of text to halve the table. Chance collisions of
 * 64-bit keys are negligible even with 10^6 cases × 32 bands.
 *
 * Expected candidates per report = Σ over stored cases of P(meet | s). Unrelated reports of one
 * city still share bigrams (小区, 问题, 反映 …), so their Jaccard is not 0. Measured with
 * scripts/eval-merge.mjs on the 4,326 real posts of the message board (true duplicates included):
 * 32×4 → about 70 candidates per report at 10^6 cases, catching 98 % of the positive pairs the
 * scorer would auto-merge but only 61 % of those it would propose; 42×3 → about 300, 100 % / 74 %;
 * 64×2 → about 14,000 (too many for a district-wide table, fine inside one community).
 * Paraphrases across channels share few bigrams, so the index is for near-duplicates anywhere in
 * the district, and the grid/time filter (relations.ts, isInCandidateWindow) finds the rest:
 *
 *   SELECT id, signature FROM cases WHERE grid_code IN (:grid, :neighbours)
 *     AND reported_at >= :since AND (closed_at IS NULL OR closed_at >= :closedSince)
 *   -- index on cases(grid_code, reported_at)
 */

/** Default banding of the 128-slot signature: 32 bands of 4 rows, midpoint s ≈ 0.42. */
export const DEFAULT_BANDS = 32;
/** Rows per band of the default banding. */
export const DEFAULT_ROWS = 4;

/**
 * The LSH keys of a signature: one string per band, `bb-hhhhhhhhhhhhhhhh` (band number, two
 * hex digits; 64-bit hash of the band's rows). Empty texts have no keys: they match nothing.
 */
export function lshBandKeys(signature: Uint32Array, bands = DEFAULT_BANDS, rows = DEFAULT_ROWS): string[] {
  if (!Number.isInteger(bands) || !Number.isInteger(rows) || bands < 1 || rows < 1) {
    throw new RangeError('bands and rows must be positive integers');
  }
  if (bands * rows > signature.length) {
    throw new RangeError(`bands × rows = ${bands * rows} exceeds the ${signature.length} slots`);
  }
  if (isEmptySignature(signature)) return [];
  const keys: string[] = [];
  for (let b = 0; b < bands; b++) {
    let h1 = fmix32(0x9747b28c ^ b);
    let h2 = fmix32(0x2f8d4a1b ^ Math.imul(b + 1, 0x9e3779b9));
    for (let r = 0; r < rows; r++) {
      const v = signature[b * rows + r] as number;
      h1 = fmix32(Math.imul(h1 ^ v, 0x01000193) + r);
      h2 = fmix32((h2 + Math.imul(v, 0x85ebca6b)) ^ (h2 >>> 15));
    }
    keys.push(
      `${b.toString(16).padStart(2, '0')}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`,
    );
  }
  return keys;
}

/** Probability that two texts of Jaccard similarity `s` share at least one band. */
export function lshMatchProbability(s: number, bands = DEFAULT_BANDS, rows = DEFAULT_ROWS): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/** An in-memory LSH index (the same keys as the database table), for batches and hot spots. */
export class LshIndex<Id> {
  private readonly buckets = new Map<string, Id[]>();

  constructor(
    private readonly bands = DEFAULT_BANDS,
    private readonly rows = DEFAULT_ROWS,
  ) {}

  /** Adds an item under its signature's band keys. */
  add(id: Id, signature: Uint32Array): void {
    for (const key of lshBandKeys(signature, this.bands, this.rows)) {
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(id);
      else this.buckets.set(key, [id]);
    }
  }

  /** Items sharing at least one band with the signature, with how many bands they share. */
  query(signature: Uint32Array): Map<Id, number> {
    const hits = new Map<Id, number>();
    for (const key of lshBandKeys(signature, this.bands, this.rows)) {
      for (const id of this.buckets.get(key) ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    return hits;
  }

  /** Every bucket with at least two items (each pair inside is a candidate pair). */
  *collidingBuckets(): Generator<readonly Id[]> {
    for (const bucket of this.buckets.values()) if (bucket.length > 1) yield bucket;
  }
}
