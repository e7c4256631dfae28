import type { AreaGeometry } from '@civicgrid/core';

/** `path LIKE prefix%` for a scope prefix of digits and slashes (nothing to escape by construction). */
export function prefixPattern(prefix: string): string {
  // '/~/' is the empty scope: no path starts with it
  if (!/^[0-9/]*$/.test(prefix) && prefix !== '/~/')
    throw new Error('scope prefix must be digits and slashes');
  return `${prefix}%`;
}

/** Parses a stored GeoJSON geometry. */
export function parseGeometry(text: string | null): AreaGeometry | null {
  return text ? (JSON.parse(text) as AreaGeometry) : null;
}

export const bool = (n: number): boolean => n === 1;
export const int = (b: boolean): number => (b ? 1 : 0);

/** Inserts rows in chunks that stay under SQLite's bound-parameter limit. */
export async function chunked<T>(
  rows: T[],
  columns: number,
  fn: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  const size = Math.max(1, Math.floor(30000 / Math.max(1, columns)));
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}
