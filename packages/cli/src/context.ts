import { migrateToLatest, openDatabase } from '@civicgrid/db';
import type { Db } from '@civicgrid/db';
import { buildServices, loadConfig } from '@civicgrid/server';
import type { Config, Services } from '@civicgrid/server';
import cliProgress from 'cli-progress';

export interface CliContext {
  config: Config;
  db: Db;
  services: Services;
}

/** Opens and migrates the configured database, runs fn, and always closes it. */
export async function withContext<T>(fn: (c: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  try {
    await migrateToLatest(db);
    return await fn({
      config,
      db,
      services: buildServices(db, { argon2: config.argon2, webhooks: config.webhooks }),
    });
  } finally {
    await db.close();
  }
}

/** A progress bar on stderr when it is a terminal; silence otherwise (scripts read stdout). */
export function progress(enabled = true) {
  const tty = enabled && process.stderr.isTTY;
  let bar: cliProgress.SingleBar | null = null;
  let stage = '';
  return {
    update(name: string, done: number, total: number) {
      if (!tty) return;
      if (name !== stage) {
        bar?.stop();
        stage = name;
        bar = new cliProgress.SingleBar(
          {
            format: `${name.padEnd(18)} [{bar}] {percentage}% {value}/{total}`,
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), done);
      }
      bar?.setTotal(Math.max(total, 1));
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** Prints JSON (for --json) or a human table/lines. */
export function out(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
