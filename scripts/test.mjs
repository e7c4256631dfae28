// `npm test`: runs every test suite; starts a throwaway PostgreSQL first when its binaries exist,
// so the repository and API tests run on both databases, and always stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { findPgBin, startThrowawayPostgres } from './pg-throwaway.mjs';

const ci = process.env.CI === 'true';

// build first: type errors fail the run, and the CLI tests run the compiled `civicgrid` command
for (const step of [['node_modules/typescript/bin/tsc', '-b'], ['scripts/bundle.mjs']]) {
  const r = spawnSync(process.execPath, step, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let pg = null;
if (!process.env.CIVICGRID_TEST_PG_URL) {
  const bin = findPgBin();
  if (bin) {
    pg = await startThrowawayPostgres(bin);
    process.env.CIVICGRID_TEST_PG_URL = pg.url;
    process.stderr.write(`test PostgreSQL on ${pg.url}\n`);
  } else if (ci) {
    process.stderr.write(
      'CI=true but no PostgreSQL binaries found (set PG_BIN); PostgreSQL suites may not be skipped in CI\n',
    );
    process.exit(1);
  } else {
    process.stderr.write(
      'PostgreSQL binaries not found: PostgreSQL suites will be skipped (they fail under CI=true)\n',
    );
  }
}

const stop = () => pg?.stop();
process.on('exit', stop);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
child.on('exit', (code, signal) => {
  stop();
  process.exit(code ?? (signal ? 1 : 0));
});
