// Starts a throwaway PostgreSQL on a temporary data directory and a free port on 127.0.0.1.
// Used by scripts/test.mjs and scripts/bench.mjs; the server's own code never depends on it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory of PostgreSQL's server binaries, or null. */
export function findPgBin() {
  const candidates = [process.env.PG_BIN];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse())
      candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return candidates.find((d) => d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts PostgreSQL; returns { url, stop() }. As root, the server runs as the postgres user. */
export async function startThrowawayPostgres(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'civicgrid-pg-'));
  chmodSync(dir, 0o700);
  const asRoot = process.getuid?.() === 0;
  let owner = null;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    owner = 'postgres';
  }
  const run = (cmd, args) => {
    const full = join(bin, cmd);
    const r = owner
      ? spawnSync('runuser', ['-u', owner, '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const data = join(dir, 'data');
  run('initdb', [
    '-D',
    data,
    '-U',
    'civicgrid',
    '--auth=trust',
    '--locale=C',
    '-E',
    'UTF8',
    '--data-checksums',
  ]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch (e) {
      process.stderr.write(`warning: could not stop PostgreSQL: ${e.message}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://civicgrid@127.0.0.1:${port}/postgres`, stop, dir };
}
