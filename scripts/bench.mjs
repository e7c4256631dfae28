// `npm run bench`: measures the figures the issues ask for, each against a baseline measured in
// the same run, prints a table and appends it to docs/benchmarks.md. Not a test: nothing here
// fails because a machine is slow.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = await import(join(root, 'packages/core/dist/index.js'));
const server = await import(join(root, 'apps/server/dist/index.js'));
const db = await import(join(root, 'packages/db/dist/index.js'));

const rows = [];
const record = (figure, value, unit, baseline, baselineName, goal) => {
  rows.push({ figure, value, unit, baseline, baselineName, goal });
  const ratio = baseline ? ` (${(value / baseline).toFixed(2)}× ${baselineName})` : '';
  process.stderr.write(`${figure}: ${fmt(value)} ${unit}${ratio}\n`);
};
const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

// 1. point → grid lookups on the Licheng set, against a naive scan of every polygon
{
  const g = server.generateDemo(370112);
  const units = [...g.streets, ...g.communities, ...g.basicGrids, ...g.dedicatedGrids].map((u) => ({
    code: u.code,
    name: u.name,
    level: u.level,
    kind: u.kind ?? null,
    parentCode: u.parentCode,
    geometry: u.geometry,
  }));
  const locator = core.createLocator(units);
  const [minX, minY, maxX, maxY] = core.geometryBbox(g.district.geometry);
  const rng = core.createRng(1);
  const N = 2_000_000;
  const xs = new Float64Array(N),
    ys = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    xs[i] = minX + rng.next() * (maxX - minX);
    ys[i] = minY + rng.next() * (maxY - minY);
  }
  let hits = 0;
  for (let i = 0; i < 200_000; i++) hits += locator.locateBasicGridIndex(xs[i], ys[i]) >= 0 ? 1 : 0; // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) hits += locator.locateBasicGridIndex(xs[i], ys[i]) >= 0 ? 1 : 0;
  const fast = N / ((performance.now() - t0) / 1000);
  const polys = g.basicGrids.map((u) => u.geometry);
  // points inside real grids of the demo district (same seed as the database below), for intake
  globalThis.intakePoints = g.basicGrids
    .filter((_, i) => i % 3 === 0)
    .map((u) => core.representativePoint(u.geometry));
  const M = 20_000;
  let nh = 0;
  const t1 = performance.now();
  for (let i = 0; i < M; i++) nh += core.naiveLocateBasicGrid(polys, xs[i], ys[i]) >= 0 ? 1 : 0;
  const naive = M / ((performance.now() - t1) / 1000);
  record(
    'point → basic grid lookups (1 core)',
    fast,
    'lookups/s',
    naive,
    'naive scan',
    '≥ 1,000,000/s and ≥ 100×',
  );
  void hits;
  void nh;
}

// 2. demo-seed: generation + loading into a fresh SQLite file (what `civicgrid demo-seed` does)
const dataDir = mkdtempSync(join(tmpdir(), 'civicgrid-bench-'));
{
  const t0 = performance.now();
  const gen = server.generateDemo(370112);
  const genMs = performance.now() - t0;
  void gen;
  const d = db.openDatabase({ dataDir });
  await db.migrateToLatest(d);
  const services = server.buildServices(d);
  const t1 = performance.now();
  await server.loadDemoDistrict(services, 370112);
  const seedMs = performance.now() - t1;
  await d.close();
  record(
    'demo-seed (generate + store, SQLite)',
    seedMs / 1000,
    's',
    genMs / 1000,
    'generation alone',
    '< 20 s',
  );
}

// 3. server start to first 200 on /api/health with the seeded database, and RSS after start,
//    against a bare Fastify server started and polled the same way
const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
async function timeStart(args, env) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  let ms = null;
  for (let i = 0; i < 2000 && ms === null; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.status === 200) ms = performance.now() - t0;
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  const rss =
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { ms, rss };
}
{
  const bare = `const f=(await import('${join(root, 'node_modules/fastify/fastify.js')}')).default();f.get('/api/health',async()=>({status:'ok'}));await f.listen({port:Number(process.env.PORT),host:'127.0.0.1'});`;
  const runs = [];
  const bases = [];
  for (let i = 0; i < 5; i++) {
    runs.push(
      await timeStart([join(root, 'packages/cli/bin/civicgrid.js'), 'serve'], {
        CIVICGRID_DATA_DIR: dataDir,
      }),
    );
    bases.push(await timeStart(['--input-type=module', '-e', bare], {}));
  }
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  record(
    'server start → first 200 /api/health (median of 5)',
    med(runs.map((r) => r.ms)),
    'ms',
    med(bases.map((r) => r.ms)),
    'bare Fastify',
    '< 1,000 ms',
  );
  record(
    'RSS after start',
    med(runs.map((r) => r.rss)),
    'MiB',
    med(bases.map((r) => r.rss)),
    'bare Fastify',
    '—',
  );
}
// 4. closed loop (issue #3): intake through HTTP and the timer scan
{
  const loop = await import('./bench-loop.mjs');
  const intake = await loop.benchIntake(root, dataDir, globalThis.intakePoints);
  const bare = await loop.benchBareInsert(root, dataDir);
  record(
    'report intake via HTTP, 50 connections (SQLite)',
    intake.rps,
    'req/s',
    bare.rps,
    'bare insert route',
    '≥ 0.8× bare',
  );
  record('report intake p99', intake.p99, 'ms', bare.p99, 'bare insert route', '< 50 ms');
  if (intake.errors || bare.errors)
    process.stderr.write(
      `errors: intake ${JSON.stringify(intake.kinds)}, bare ${JSON.stringify(bare.kinds)}\n`,
    );
  const scan = await loop.benchTimerScan(root, dataDir, db, server);
  record(
    'timer scan: claim due among 1,000,000 pending (median of 20)',
    scan.claimMs,
    'ms',
    scan.naiveMs,
    'same query, no index',
    '< 50 ms',
  );
}
rmSync(dataDir, { recursive: true, force: true });

// the table, into docs/benchmarks.md
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '',
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpus().length} × ${cpu}, Node ${process.version}`,
  '',
  '| figure | value | baseline (same run) | ratio | goal |',
  '|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline ? `${fmt(r.baseline)} ${r.unit} (${r.baselineName})` : '—'} | ${r.baseline ? `${(r.value / r.baseline).toFixed(2)}×` : '—'} | ${r.goal} |`,
  ),
  '',
];
process.stdout.write(lines.join('\n') + '\n');
appendFileSync(join(root, 'docs/benchmarks.md'), lines.join('\n'));
