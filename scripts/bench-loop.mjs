// Closed-loop figures for `npm run bench` (issue #3), each against a baseline in the same run:
// - report intake through HTTP (validation, grid lookup, transaction, audit, timers) with 50
//   connections, against a bare Fastify route inserting one row with the same durability;
// - the timer scan with 1,000,000 pending timers, against the same query without its index.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function waitHealthy(port) {
  for (let i = 0; i < 3000; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('server did not start');
}

/** 50 concurrent request loops for `seconds`; returns requests/s, p50, p99 and errors. */
async function load(url, makeInit, seconds, connections = 50) {
  const lat = [];
  let errors = 0;
  const kinds = {};
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        let kind = null;
        try {
          const r = await fetch(url, makeInit(n++));
          const text = await r.text();
          if (r.status >= 300) kind = `${r.status} ${JSON.parse(text || '{}').error?.code ?? ''}`;
        } catch (e) {
          kind = `socket ${e.cause?.code ?? e.message}`;
        }
        if (kind) {
          errors++;
          kinds[kind] = (kinds[kind] ?? 0) + 1;
        }
        lat.push(performance.now() - t0);
      }
    }),
  );
  return {
    rps: lat.length / seconds,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    errors,
    kinds,
    count: lat.length,
  };
}

export async function benchIntake(root, dataDir, points, seconds = 15) {
  if (!points?.length) throw new Error('benchIntake needs points inside the district');
  const port = await freePort();
  const server = spawn(process.execPath, [join(root, 'packages/cli/bin/civicgrid.js'), 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      CIVICGRID_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      CIVICGRID_LOGIN_RATE_PER_MINUTE: '1000',
    },
    stdio: 'ignore',
  });
  try {
    await waitHealthy(port);
    const login = await (
      await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'district', password: 'Licheng@2026' }),
      })
    ).json();
    // points inside grids all over the district, so lookups and scopes vary as in real use
    const body = (i) => {
      const [lng, lat] = points[i % points.length];
      return JSON.stringify({
        channel: 'hotline',
        externalId: `BENCH-${Date.now()}-${i}`,
        text: `小区门口道路破损严重，需要尽快修复（压测 ${i}）`,
        location: { lng, lat },
      });
    };
    await load(
      `http://127.0.0.1:${port}/api/reports`,
      (i) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: body(i),
      }),
      3,
    );
    const intake = await load(
      `http://127.0.0.1:${port}/api/reports`,
      (i) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: body(i + 1e6),
      }),
      seconds,
    );
    return intake;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

export async function benchBareInsert(root, dataDir, seconds = 15) {
  const port = await freePort();
  const code = `
    const Fastify = (await import('${join(root, 'node_modules/fastify/fastify.js')}')).default;
    const { createRequire } = await import('node:module');
    const Database = createRequire('${join(root, 'packages/db/package.json')}')('better-sqlite3');
    const db = new Database('${join(dataDir, 'bare.db')}');
    db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL');
    db.exec('create table if not exists r (id integer primary key, body text not null)');
    const ins = db.prepare('insert into r (body) values (?)');
    const f = Fastify();
    f.get('/api/health', async () => ({ status: 'ok' }));
    f.post('/api/reports', async (req, reply) => { const r = ins.run(JSON.stringify(req.body)); reply.status(201); return { id: Number(r.lastInsertRowid) }; });
    await f.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
  try {
    await waitHealthy(port);
    const body = (i) =>
      JSON.stringify({
        channel: 'hotline',
        externalId: `BARE-${i}`,
        text: `小区门口道路破损严重，需要尽快修复（压测 ${i}）`,
        location: { lng: 117.05, lat: 36.68 },
      });
    await load(
      `http://127.0.0.1:${port}/api/reports`,
      (i) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) }),
      3,
    );
    return await load(
      `http://127.0.0.1:${port}/api/reports`,
      (i) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i + 1e6) }),
      seconds,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** 1,000,000 pending timers (≈ 1 % due): claiming the due ones, with and without the index. */
export async function benchTimerScan(root, dataDir, dbmod, server) {
  const d = dbmod.openDatabase({ dataDir, sqliteFile: 'timers.db' });
  await dbmod.migrateToLatest(d);
  const { createRequire } = await import('node:module');
  const Database = createRequire(join(root, 'packages/db/package.json'))('better-sqlite3');
  const raw = new Database(join(dataDir, 'timers.db'));
  raw.pragma('foreign_keys = OFF');
  const now = Date.parse('2026-12-01T01:00:00Z');
  const ins = raw.prepare(
    "insert into timers (id, case_id, kind, due_at, payload, created_at) values (?, ?, 'handle.breach', ?, '{}', ?)",
  );
  raw.transaction(() => {
    for (let i = 0; i < 1_000_000; i++) {
      // one in a hundred is due; the rest fall in the next year
      const due =
        i % 100 === 0 ? now - (i % 3600) * 1000 : now + 60_000 + ((i * 7919) % (365 * 86400)) * 1000;
      ins.run(`t${i}`, `c${i}`, new Date(due).toISOString(), new Date(now).toISOString());
    }
  })();
  raw.close();
  const repos = dbmod.createStore(d).repos;
  const { sql } = await import(join(root, 'node_modules/kysely/dist/esm/index.js'));
  const iso = new Date(now).toISOString();
  const runs = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const claimed = await repos.timers.claimDue(iso, `bench-${i}`, iso, 200);
    runs.push(performance.now() - t0);
    if (claimed.length === 0) throw new Error('no due timers claimed');
  }
  const naive = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await sql`select id from timers not indexed where fired_at is null and cancelled_at is null and due_at <= ${iso} and (claimed_until is null or claimed_until < ${iso}) order by due_at limit 200`.execute(
      d.kysely,
    );
    naive.push(performance.now() - t0);
  }
  await d.close();
  void server;
  return { claimMs: pct(runs, 50), naiveMs: pct(naive, 50) };
}
