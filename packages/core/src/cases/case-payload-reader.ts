import type { FieldIssue } from '../shared/errors.js';

/** Longest free text fields, in characters. */
export const LIMITS = { reason: 500, comment: 500, text: 2000, place: 200, id: 100, code: 32, photos: 20 };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads one payload object field by field, collecting an issue per bad field (`payload.<path>`). */
export class PayloadReader {
  readonly issues: FieldIssue[] = [];
  private readonly obj: Record<string, unknown>;

  constructor(
    raw: unknown,
    private readonly prefix = 'payload',
  ) {
    if (raw === undefined || raw === null) {
      this.obj = {};
    } else if (typeof raw === 'object' && !Array.isArray(raw)) {
      this.obj = raw as Record<string, unknown>;
    } else {
      this.obj = {};
      this.issues.push({ path: prefix, reason: 'must be an object' });
    }
  }

  /** Records an issue on a field of this payload. */
  fail(key: string, reason: string): void {
    this.issues.push({ path: `${this.prefix}.${key}`, reason });
  }

  /** True when the field is present (not undefined). */
  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  /** The raw value of a field. */
  raw(key: string): unknown {
    return this.obj[key];
  }

  /** A required trimmed string of 1..max characters. */
  text(key: string, max: number): string {
    const v = this.obj[key];
    if (typeof v !== 'string') {
      this.fail(key, v === undefined ? 'is required' : 'must be a string');
      return '';
    }
    const t = v.trim();
    if (t.length === 0) this.fail(key, 'must not be empty');
    else if ([...t].length > max) this.fail(key, `must be at most ${max} characters`);
    return t;
  }

  /** An optional trimmed string of 1..max characters (undefined when absent). */
  optText(key: string, max: number): string | undefined {
    return this.has(key) ? this.text(key, max) : undefined;
  }

  /** A required boolean. */
  bool(key: string): boolean {
    const v = this.obj[key];
    if (typeof v !== 'boolean') this.fail(key, v === undefined ? 'is required' : 'must be true or false');
    return v === true;
  }

  /** A required integer in min..max. */
  int(key: string, min: number, max: number): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.fail(key, v === undefined ? 'is required' : 'must be an integer');
      return min;
    }
    if (v < min || v > max) this.fail(key, `must be between ${min} and ${max}`);
    return v;
  }

  /** A required value out of a fixed list. */
  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.obj[key];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(key, v === undefined ? 'is required' : `must be one of ${values.join(', ')}`);
      return values[0] as T;
    }
    return v as T;
  }

  /** An optional value out of a fixed list. */
  optOneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.has(key) ? this.oneOf(key, values) : undefined;
  }

  /** A list of distinct non-empty ids (absent = empty list). */
  ids(key: string, maxItems: number): string[] {
    const v = this.obj[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.fail(key, 'must be a list');
      return [];
    }
    if (v.length > maxItems) this.fail(key, `must hold at most ${maxItems} items`);
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '' || item.length > LIMITS.id) {
        this.fail(`${key}.${i}`, 'must be a non-empty id');
      } else if (out.includes(item.trim())) {
        this.fail(`${key}.${i}`, 'is listed twice');
      } else {
        out.push(item.trim());
      }
    });
    return out;
  }

  /** A required ISO 8601 instant with offset, normalised to UTC (`…Z`). */
  instant(key: string): string {
    const v = this.obj[key];
    const ms = typeof v === 'string' && ISO_INSTANT.test(v) ? new Date(v).getTime() : Number.NaN;
    if (Number.isNaN(ms)) {
      this.fail(key, v === undefined ? 'is required' : 'must be an ISO 8601 instant with offset');
      return '';
    }
    return new Date(ms).toISOString();
  }

  /** A nested object field read by its own reader (issues flow back into this one). */
  nested(key: string): PayloadReader {
    const v = this.obj[key];
    const inner = new PayloadReader(v, `${this.prefix}.${key}`);
    if (v === undefined || v === null)
      inner.issues.push({ path: `${this.prefix}.${key}`, reason: 'is required' });
    return inner;
  }

  /** The i-th object of a list field, read by its own reader (`payload.<key>.<i>.<field>`). */
  nestedAt(key: string, i: number): PayloadReader {
    const list = this.obj[key];
    return new PayloadReader(Array.isArray(list) ? list[i] : undefined, `${this.prefix}.${key}.${i}`);
  }

  /** Moves the issues of a nested reader into this one. */
  absorb(inner: PayloadReader): void {
    this.issues.push(...inner.issues);
  }
}
