import type { FastifyInstance } from 'fastify';
import { migrateToLatest, openDatabase } from '@civicgrid/db';
import type { Clock } from '@civicgrid/core';
import type { Db } from '@civicgrid/db';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { ensureCategories } from './categories.js';
import { loadDemoDistrict } from './demo.js';
import { loadOpinionDemo } from './opinion-demo.js';
import { startScheduler } from './scheduler.js';
import type { Services } from './routes/services.js';

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  services: Services;
  url: string;
  close(): Promise<void>;
}

/** Opens the database, migrates, seeds the demo district into an empty one, and listens. */
export async function startServer(
  config: Config,
  opts: { logger?: boolean; clock?: Clock; scheduler?: boolean } = {},
): Promise<RunningServer> {
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(db);
    const { app, services } = await buildApp({
      config,
      db,
      ...(opts.logger !== undefined && { logger: opts.logger }),
      ...(opts.clock && { clock: opts.clock }),
    });
    const loaded = await ensureCategories(services);
    if (loaded) app.log.info({ categories: loaded }, 'category catalogue loaded');
    if (config.demo) {
      const counts = await services.deps.store.repos.units.countByLevel('/');
      if (counts.district === 0) {
        const t0 = performance.now();
        app.log.info('empty database: loading the demo district of Licheng (first start only)');
        const r = await loadDemoDistrict(services, config.demoSeed);
        app.log.info({ ...r, ms: Math.round(performance.now() - t0) }, 'demo district loaded');
        await loadOpinionDemo(services, services.deps.clock.now(), (msg, data) =>
          app.log.info(data ?? {}, msg),
        );
      }
    }
    // PostgreSQL: every process hears every committed change (LISTEN/NOTIFY)
    db.listenForChanges((msg) => app.log.warn(msg));
    await app.listen({ port: config.port, host: config.host });
    // build the point index soon after start rather than on the first lookup, but not while the
    // first requests come in (the build holds the event loop for a moment); a lookup before then
    // builds it itself
    setTimeout(() => {
      void services.governance
        .getLocator()
        .catch((err: unknown) => app.log.error({ err }, 'locator build failed'));
    }, 2000).unref();
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `http://${config.host}:${port}`;
    const scheduler =
      opts.scheduler === false ? null : startScheduler(services, app.log, config.schedulerIntervalMs);
    let closed = false;
    return {
      app,
      db,
      services,
      url,
      async close() {
        if (closed) return;
        closed = true;
        await scheduler?.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
