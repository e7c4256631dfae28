import type { FieldIssue } from '../shared/errors.js';
import { validationError } from '../shared/errors.js';
import { isBlankRecord, parseCsv } from './csv.js';
import type { CsvField } from './csv.js';

/** A node of the 3-level catalogue of citizen requests. */
export interface Category {
  /** Level 1 'NN', level 2 'NN.NN', level 3 'NN.NN.NNN'; numbered in order of first appearance. */
  code: string;
  level: 1 | 2 | 3;
  name: string;
  parentCode: string | null;
  /** Names from the top joined with '/', e.g. '城乡建设/安全生产/事故处理'. */
  path: string;
}

/** A problem in a category file: `path` is 'line L, column C'. */
export interface CategoryIssue extends FieldIssue {
  line: number;
  column: number;
}

const HEADER = ['level1', 'level2', 'level3'] as const;
const WIDTH = [2, 2, 3] as const;
const MAX_NAME = 100;
const MAX_ISSUES = 100;
const CODE_RE = /^\d{2}(\.\d{2}(\.\d{3})?)?$/;

/*
 * The file: `level1,level2,level3` (header optional), quoted fields, CRLF, BOM and blank lines
 * tolerated, exact duplicate rows ignored. Codes are numbered per parent in order of first
 * appearance, so the same file always gives the same codes; appending rows keeps existing codes.
 */

/** The issue for a place in the file. */
const issueAt = (line: number, column: number, reason: string): CategoryIssue => ({
  path: `line ${line}, column ${column}`,
  reason,
  line,
  column,
});

/** Checks one name field; returns the trimmed name or an issue. */
function checkName(f: CsvField | undefined, column: number, line: number): string | CategoryIssue {
  const label = HEADER[column - 1] ?? `column ${column}`;
  const name = f?.value.trim() ?? '';
  if (name === '') return issueAt(f?.line ?? line, column, `empty ${label}`);
  if (name.length > MAX_NAME) return issueAt(f!.line, column, `${label} longer than ${MAX_NAME} characters`);
  if (name.includes('/'))
    return issueAt(f!.line, column, `${label} must not contain '/' (the path separator)`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    return issueAt(f!.line, column, `${label} contains a line break or control character`);
  return name;
}

/** Parses the category CSV into level 1–3 nodes with stable codes, sorted by code; VALIDATION_FAILED names each bad line and column. */
export function parseCategoriesCsv(text: string): Category[] {
  const { records, issues: syntax } = parseCsv(text);
  const issues: CategoryIssue[] = syntax.map((s) => issueAt(s.line, s.column, s.reason));
  const byPath = new Map<string, Category>();
  const childCount = new Map<string, number>();
  let first = true;
  for (const rec of records) {
    if (isBlankRecord(rec)) continue;
    const isHeader =
      first && rec.fields.map((f) => f.value.trim().toLowerCase()).join(',') === HEADER.join(',');
    first = false;
    if (isHeader) continue;
    if (rec.fields.length !== 3) {
      const col = Math.min(rec.fields.length + 1, 4);
      issues.push(
        issueAt(rec.line, col, `expected 3 columns (level1,level2,level3), found ${rec.fields.length}`),
      );
      continue;
    }
    const names = rec.fields.map((f, k) => checkName(f, k + 1, rec.line));
    const bad = names.filter((x): x is CategoryIssue => typeof x !== 'string');
    if (bad.length > 0) {
      issues.push(...bad);
      continue;
    }
    let parent = null as Category | null;
    for (let k = 0; k < 3; k++) {
      const level = (k + 1) as 1 | 2 | 3;
      const name = names[k] as string;
      const path = parent ? `${parent.path}/${name}` : name;
      let node = byPath.get(path);
      if (!node) {
        const key = parent?.code ?? '';
        const seq = (childCount.get(key) ?? 0) + 1;
        const width = WIDTH[k]!;
        if (seq >= 10 ** width) {
          issues.push(issueAt(rec.line, level, `more than ${10 ** width - 1} ${HEADER[k]} entries here`));
          break;
        }
        childCount.set(key, seq);
        const num = String(seq).padStart(width, '0');
        node = {
          code: parent ? `${parent.code}.${num}` : num,
          level,
          name,
          parentCode: parent?.code ?? null,
          path,
        };
        byPath.set(path, node);
      }
      parent = node;
    }
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_ISSUES);
    throw validationError(shown, `category file is invalid: ${shown[0]!.path}: ${shown[0]!.reason}`);
  }
  if (byPath.size === 0)
    throw validationError([issueAt(1, 1, 'the file has no category rows')], 'category file is empty');
  return [...byPath.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** An index of a catalogue by code. */
export function categoryByCode(list: readonly Category[]): ReadonlyMap<string, Category> {
  return new Map(list.map((c) => [c.code, c]));
}

/** The first-level code of a category code ('01.02.003' → '01'): the part before the first dot. */
export function level1Of(code: string): string {
  const t = code.trim();
  const dot = t.indexOf('.');
  return dot < 0 ? t : t.slice(0, dot);
}

/** True when the text is a well-formed category code: 'NN', 'NN.NN' or 'NN.NN.NNN'. */
export function isCategoryCode(code: unknown): code is string {
  return typeof code === 'string' && CODE_RE.test(code);
}
