import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCategoriesCsv } from '@civicgrid/core';
import type { Services } from './routes/services.js';

const CSV = fileURLToPath(new URL('../assets/categories-3level.csv', import.meta.url));

/** Loads the shipped 3-level category catalogue into an empty catalogue (admins edit it later). */
export async function ensureCategories(services: Services): Promise<number> {
  const repo = services.deps.store.repos.categories;
  if ((await repo.count()) > 0) return 0;
  const list = parseCategoriesCsv(readFileSync(CSV, 'utf8'));
  await repo.upsertMany(
    list.map((c) => ({
      code: c.code,
      level: c.level,
      name: c.name,
      parentCode: c.parentCode,
      path: c.path,
      isActive: true,
    })),
    services.deps.clock.now().toISOString(),
  );
  return list.length;
}
