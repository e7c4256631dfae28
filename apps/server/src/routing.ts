import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { RoutingSuggestion } from '@civicgrid/core';
import { createRouter, deserializeModel, parseCategoriesCsv, routeMessage } from '@civicgrid/core';

const MODEL = fileURLToPath(new URL('../assets/routing-model.json.gz', import.meta.url));
const CATEGORIES = fileURLToPath(new URL('../assets/categories-3level.csv', import.meta.url));

/**
 * Smart routing for the server: the shipped model (or `CIVICGRID_ROUTING_MODEL`, a retrained one)
 * is loaded in the background after start — parsing 2 MB should not delay the first response —
 * and the first report waits for it. Without a usable model, reports simply carry no suggestion.
 */
export function lazyRouter(
  file: string | undefined,
  log: (msg: string) => void,
): { route: (text: string) => Promise<RoutingSuggestion | null>; ready: Promise<boolean> } {
  let router: ReturnType<typeof createRouter> | null = null;
  const ready = (async () => {
    await new Promise((r) => setImmediate(r));
    try {
      const path = file ?? MODEL;
      const bytes = await readFile(path);
      const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
      router = createRouter(deserializeModel(text), parseCategoriesCsv(await readFile(CATEGORIES, 'utf8')));
      return true;
    } catch (e) {
      log(`smart routing is off: ${(e as Error).message}`);
      return false;
    }
  })();
  return {
    ready,
    async route(text) {
      await ready;
      return router ? routeMessage(router, text) : null;
    },
  };
}
