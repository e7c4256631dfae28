// `node scripts/bench-merge.mjs [--cases 1000000] [--reports 1000] [--baseline 50] [--keep]`:
// the merge candidate search (一事一案) with a million open cases. Needs compiled code: run
// `npx tsc -b packages/db` first. Builds an SQLite database under /tmp (the demo district's 1,209
// grids; cases written with plain SQL in big transactions, band keys in key order), then times
// for each of 1,000 new reports:
//   - the SQL of the search (LSH band query + window query + loading the LSH hits),
//   - findMatches as intake calls it (search + scoring + decision),
// and, on a sample, the baseline: scoring every open case of the report's community, no index.
// Texts: hotline/grid-note frames filled with the community's name, a building or a road, and one
// or two sentences drawn from real citizen messages (data/messages), plus whole real posts from
// data/merge-eval/pairs.jsonl; new reports are near-copies and paired posts of existing cases and
// fresh texts. Prints a markdown table. Not a test: nothing fails because a machine is slow.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cpus, loadavg } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(join(root, p)).href;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-27T02:00:00Z');

// ------------------------------------------------------------------ deterministic texts
function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, list) => list[Math.floor(r() * list.length)];
/** The grid (index) of case i. */
const gridIndex = (i, grids) => Math.floor(rng(i * 7919 + 3)() * grids);

function loadCorpus() {
  const jsonl = (file, gz) =>
    (gz ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  const posts = [];
  for (const f of ['board-hot.jsonl.gz', 'train.jsonl.gz']) {
    const file = join(root, 'data/messages', f);
    if (existsSync(file)) for (const p of jsonl(file, true)) posts.push(`${p.subject ?? ''}${p.text ?? ''}`);
  }
  const sentences = new Set();
  for (const p of posts)
    for (const s of p.split(/[。！？!?；;\n]+/)) {
      const t = s.trim();
      if (t.length >= 8 && t.length <= 40 && /[\u4e00-\u9fff]{6}/.test(t)) sentences.add(t);
    }
  const pairs = jsonl(join(root, 'data/merge-eval/pairs.jsonl'), false);
  const full = (p) => `${p.subject}。${p.text}`.slice(0, 300);
  return {
    sentences: [...sentences].sort(),
    pairs: pairs.filter((p) => p.same).map((p) => [full(p.a), full(p.b)]),
    posts: [...new Set(pairs.flatMap((p) => [full(p.a), full(p.b)]))].sort(),
  };
}

const ROADS = [
  '和平路',
  '解放路',
  '花园路',
  '工业北路',
  '二环东路',
  '山大路',
  '洪家楼路',
  '华信路',
  '祝舜路',
];
const SPOTS = ['北门', '南门', '东门口', '地下车库', '楼道', '单元门口', '垃圾站旁', '广场', '菜市场门口'];
const REQUESTS = ['请尽快处理', '希望有关部门尽快解决', '请相关部门核实处理', '盼复', '', '谢谢'];

/** Case i's text: a frame, a place in its community, sentences of real messages (or a whole post). */
function caseText(i, community, corpus) {
  const r = rng(i * 2654435761 + 17);
  if (r() < 0.02) return pick(r, corpus.posts);
  const place =
    r() < 0.6
      ? `${community}${1 + Math.floor(r() * 30)}号楼${pick(r, SPOTS)}`
      : `${pick(r, ROADS)}与${pick(r, ROADS)}交叉口`;
  const s1 = pick(r, corpus.sentences);
  const s2 = pick(r, corpus.sentences);
  switch (Math.floor(r() * 4)) {
    case 0:
      return `市民来电反映：${place}${s1}，${s2}。${pick(r, REQUESTS)}`;
    case 1:
      return `${place}居民反映${s1}。${pick(r, REQUESTS)}`;
    case 2:
      return `网格员巡查发现：${place}${s1}`;
    default:
      return `${s1}，${s2}（${place}）`;
  }
}

// ------------------------------------------------------------------ worker: signatures
if (!isMainThread) {
  const m = await import(dist('packages/core/dist/merging/index.js'));
  const { fmix32 } = await import(dist('packages/core/dist/merging/hashing.js'));
  const corpus = loadCorpus();
  const { names } = workerData;
  // lshBandKeys without its strings (32 × 2 words a case); checked against it below
  const bandWords = (sig, out, at) => {
    for (let b = 0; b < 32; b++) {
      let h1 = fmix32(0x9747b28c ^ b);
      let h2 = fmix32(0x2f8d4a1b ^ Math.imul(b + 1, 0x9e3779b9));
      for (let r = 0; r < 4; r++) {
        const v = sig[b * 4 + r];
        h1 = fmix32(Math.imul(h1 ^ v, 0x01000193) + r);
        h2 = fmix32((h2 + Math.imul(v, 0x85ebca6b)) ^ (h2 >>> 15));
      }
      out[at + b * 2] = h1;
      out[at + b * 2 + 1] = h2;
    }
  };
  const encode = (sig) => Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).toString('base64');
  for (let i = 0; i < 200; i++) {
    const sig = m.minhashSignature(caseText(i, names[gridIndex(i, names.length)], corpus));
    const words = new Uint32Array(64);
    bandWords(sig, words, 0);
    const keys = m.lshBandKeys(sig).map((k) => [parseInt(k.slice(3, 11), 16), parseInt(k.slice(11, 19), 16)]);
    if (keys.flat().some((w, j) => w !== words[j]) || encode(sig) !== m.encodeSignature(sig))
      throw new Error('the bench disagrees with lshBandKeys/encodeSignature');
  }
  parentPort.on('message', ({ from, to }) => {
    const sigs = [];
    const bands = new Uint32Array((to - from) * 64);
    for (let i = from; i < to; i++) {
      const sig = m.minhashSignature(caseText(i, names[gridIndex(i, names.length)], corpus));
      sigs.push(encode(sig));
      bandWords(sig, bands, (i - from) * 64);
    }
    parentPort.postMessage({ from, to, sigs, bands }, [bands.buffer]);
  });
} else {
  await main();
}

// ------------------------------------------------------------------ main
async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
  };
  const N = option('--cases', 1_000_000);
  const REPORTS = option('--reports', 1000);
  const BASELINE = option('--baseline', 50);
  const keep = args.includes('--keep');
  // --mmap: measure with PRAGMA mmap_size (memory-mapped reads; not the server's default)
  const mmap = args.includes('--mmap');
  for (const f of [
    'packages/db/dist/index.js',
    'packages/db/dist/repositories/merging.repository.js',
    'packages/db/dist/migrations/0005-merging.js',
    'packages/core/dist/merging/merge-candidates.js',
  ])
    if (!existsSync(join(root, f))) throw new Error(`${f} missing: run \`npx tsc -b packages/db\` first`);
  const core = await import(dist('packages/core/dist/index.js'));
  const m = await import(dist('packages/core/dist/merging/index.js'));
  const { findMatches, communityPathOf } = await import(
    dist('packages/core/dist/merging/merge-candidates.js')
  );
  const dbm = await import(dist('packages/db/dist/index.js'));
  const { sql } = createRequire(join(root, 'packages/db/package.json'))('kysely');
  const { mergingRepository } = await import(dist('packages/db/dist/repositories/merging.repository.js'));
  const { up: upMerging } = await import(dist('packages/db/dist/migrations/0005-merging.js'));
  const t0 = performance.now();
  const log = (s) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}\n`);

  // the demo district: units with the centre of every basic grid
  const outline = core.readLichengOutline(
    JSON.parse(readFileSync(join(root, 'apps/server/assets/licheng-370112.geojson'), 'utf8')),
  );
  const g = core.generateDistrict({ outline, seed: 1 });
  const ids = core.seededIdGenerator(7, NOW - 400 * DAY);
  const units = [];
  const byCode = new Map();
  const add = (u, level, parentCode) => {
    const parent = parentCode ? byCode.get(parentCode) : null;
    const row = {
      id: ids.next(),
      code: u.code,
      name: u.name,
      level,
      kind: null,
      parentId: parent?.id ?? null,
      path: core.unitPath(parent?.path ?? null, u.code),
      geometry: null,
      bbox: null,
      areaM2: null,
    };
    byCode.set(u.code, row);
    units.push(row);
  };
  add(g.district, 'district', null);
  for (const s of g.streets) add(s, 'street', s.parentCode);
  for (const c of g.communities) add(c, 'community', c.parentCode);
  for (const b of g.basicGrids) add(b, 'basicGrid', b.parentCode);
  const centre = (geom) => {
    const ring = geom.type === 'Polygon' ? geom.coordinates[0] : geom.coordinates[0][0];
    let x = 0;
    let y = 0;
    for (const [lng, lat] of ring) {
      x += lng;
      y += lat;
    }
    return [x / ring.length, y / ring.length];
  };
  const grids = g.basicGrids.map((b) => ({ ...byCode.get(b.code), at: centre(b.geometry) }));
  const communityName = (grid) => byCode.get(grid.code.slice(0, 12)).name;
  const gridOf = (i) => grids[gridIndex(i, grids.length)];
  log(`district: ${g.communities.length} communities, ${grids.length} grids`);

  // the database
  const dataDir = mkdtempSync('/tmp/civicgrid-bench-merge-');
  const db = dbm.openDatabase({ dataDir });
  await dbm.migrateToLatest(db);
  try {
    await db.kysely.selectFrom('case_signatures').select('case_id').limit(1).execute();
  } catch {
    await upMerging(db.kysely, db.dialect); // not registered yet
  }
  const store = dbm.createStore(db);
  await store.repos.units.insertMany(units, new Date(NOW).toISOString());
  await db.close();

  // bulk load with the raw driver: no journal, big cache, secondary band index built afterwards
  const SQLite = createRequire(join(root, 'packages/db/package.json'))('better-sqlite3');
  const raw = new SQLite(join(dataDir, 'civicgrid.db'));
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1500000');
  raw.pragma('temp_store = MEMORY');
  // the case_id index only serves deleting a case's rows (prune, merge), not the search: left out
  raw.exec('DROP INDEX case_bands_case_idx');
  const corpus = loadCorpus();
  const names = grids.map(communityName);
  // case i lives in grid gridOf(i); the workers regenerate its text from i and the grid's community
  const texts = (i) => caseText(i, communityName(gridOf(i)), corpus);
  const state = (communityId) =>
    JSON.stringify(core.initialCaseState({ receivingCenter: { unitId: communityId, level: 'community' } }));
  const caseCols = new Set(
    raw
      .prepare('PRAGMA table_info(cases)')
      .all()
      .map((c) => c.name),
  );
  const baseCols = [
    'id',
    'number',
    'status',
    'version',
    'state',
    'priority',
    'category_code',
    'summary',
    'channel',
    'lng',
    'lat',
    'grid_id',
    'unit_id',
    'unit_path',
    'escalation',
    'supervision',
    'is_paused',
    'report_count',
    'created_at',
    'updated_at',
  ].filter((c) => caseCols.has(c));
  const insCase = raw.prepare(
    `INSERT INTO cases (${baseCols.join(',')}) VALUES (${baseCols.map((c) => `@${c}`).join(',')})`,
  );
  const insSig = raw.prepare('INSERT INTO case_signatures (case_id, signature, updated_at) VALUES (?, ?, ?)');
  const CATS = ['01.01.001', '01.02.003', '02.01.002', '02.03.004', '03.01.001', '04.02.001', '05.01.003'];
  const caseIds = new Array(N);
  let bandsAll = new Uint32Array(N * 64);
  const states = new Map();
  const span = 365 * DAY;
  const createdAt = (i) => NOW - span + Math.floor((i * span) / N);
  const jitter = (i, at) => {
    const r = rng(i * 40503 + 11);
    return [at[0] + (r() - 0.5) * 0.006, at[1] + (r() - 0.5) * 0.005];
  };
  const caseRow = (i) => {
    const grid = gridOf(i);
    const community = byCode.get(grid.code.slice(0, 12));
    let st = states.get(community.id);
    if (!st) states.set(community.id, (st = state(community.id)));
    const at = new Date(createdAt(i)).toISOString();
    const [lng, lat] = jitter(i, grid.at);
    const id = core.uuidv7(
      createdAt(i),
      Uint8Array.from({ length: 10 }, (_, k) => (i >>> (k * 3)) & 255),
    );
    caseIds[i] = id;
    const day = new Date(createdAt(i) + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    return {
      id,
      number: `370112-${day}-${String(i).padStart(7, '0')}`,
      status: 'registered',
      version: 2,
      state: st,
      priority: 'normal',
      category_code: CATS[i % CATS.length],
      summary: texts(i).slice(0, 300),
      channel: i % 3 === 0 ? 'hotline' : 'grid',
      lng,
      lat,
      grid_id: grid.id,
      unit_id: grid.id,
      unit_path: grid.path,
      escalation: 'grid',
      supervision: 'none',
      is_paused: 0,
      report_count: 1,
      created_at: at,
      updated_at: at,
    };
  };

  // signatures in two workers, cases and signatures written here as chunks come back
  const CHUNK = 20_000;
  const workers = [0, 1].map(() => new Worker(new URL(import.meta.url), { workerData: { names } }));
  const chunks = [];
  for (let from = 0; from < N; from += CHUNK) chunks.push([from, Math.min(N, from + CHUNK)]);
  const pending = new Map();
  let next = 0;
  let written = 0;
  const writeChunk = raw.transaction(({ from, to, sigs }) => {
    for (let i = from; i < to; i++) {
      const row = caseRow(i);
      insCase.run(row);
      insSig.run(row.id, sigs[i - from], row.created_at);
    }
  });
  await new Promise((resolve, reject) => {
    const feed = (w) => {
      if (next >= chunks.length) return;
      const [from, to] = chunks[next++];
      w.postMessage({ from, to });
    };
    for (const w of workers) {
      w.on('error', reject);
      w.on('message', (msg) => {
        pending.set(msg.from, msg);
        feed(w);
        // write in order (case ids are time-ordered: appends to the B-trees)
        for (let c = pending.get(written); c; c = pending.get(written)) {
          pending.delete(written);
          writeChunk(c);
          bandsAll.set(c.bands, c.from * 64);
          written = c.to;
          if (written % 200_000 === 0) log(`cases: ${written.toLocaleString('en')}`);
          if (written === N) resolve();
        }
      });
      feed(w);
      feed(w);
    }
  });
  await Promise.all(workers.map((w) => w.terminate()));
  log(`cases and signatures written: ${N}`);

  // band rows, band by band in key order (a radix sort on the first 32 bits of the key)
  const ROWS = 100;
  const insBands = raw.prepare(
    `INSERT INTO case_bands (band_key, case_id) VALUES ${Array(ROWS).fill('(?, ?)').join(', ')}`,
  );
  const insBand = raw.prepare('INSERT INTO case_bands (band_key, case_id) VALUES (?, ?)');
  let order = new Uint32Array(N);
  let tmp = new Uint32Array(N);
  const keyOf = (b, i) =>
    `${b.toString(16).padStart(2, '0')}-${bandsAll[i * 64 + b * 2].toString(16).padStart(8, '0')}${bandsAll[i * 64 + b * 2 + 1].toString(16).padStart(8, '0')}`;
  for (let b = 0; b < 32; b++) {
    for (let i = 0; i < N; i++) order[i] = i;
    for (let shift = 0; shift < 32; shift += 8) {
      const count = new Uint32Array(257);
      for (let i = 0; i < N; i++) count[((bandsAll[order[i] * 64 + b * 2] >>> shift) & 255) + 1]++;
      for (let k = 0; k < 256; k++) count[k + 1] += count[k];
      for (let i = 0; i < N; i++) tmp[count[(bandsAll[order[i] * 64 + b * 2] >>> shift) & 255]++] = order[i];
      order.set(tmp);
    }
    raw.transaction(() => {
      const params = new Array(ROWS * 2);
      let j = 0;
      for (; j + ROWS <= N; j += ROWS) {
        for (let k = 0; k < ROWS; k++) {
          params[k * 2] = keyOf(b, order[j + k]);
          params[k * 2 + 1] = caseIds[order[j + k]];
        }
        insBands.run(params);
      }
      for (; j < N; j++) insBand.run(keyOf(b, order[j]), caseIds[order[j]]);
    })();
    if (b % 8 === 7) log(`band rows: ${((b + 1) * N).toLocaleString('en')}`);
  }
  raw.exec('ANALYZE');
  raw.close();
  // the build's arrays go before anything is timed (a major GC inside a measurement is not the search's)
  bandsAll = order = tmp = null;
  caseIds.length = 0;
  states.clear();
  v8.setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  const buildSeconds = (performance.now() - t0) / 1000;
  const dbBytes = readdirSync(dataDir).reduce((s, f) => s + statSync(join(dataDir, f)).size, 0);
  log(`index built (${(dbBytes / 2 ** 30).toFixed(1)} GiB)`);

  // ---------------------------------------------------------------- the new reports
  const db2 = dbm.openDatabase({ dataDir });
  if (mmap) await sql`PRAGMA mmap_size = ${sql.lit(16 * 2 ** 30)}`.execute(db2.kysely);
  const repos = { merging: mergingRepository(db2.kysely) };
  const r = rng(99);
  const at = new Date(NOW).toISOString();
  const recent = (k) => N - 1 - Math.floor(r() * Math.min(N, k)); // a case of the last weeks
  const perturb = (t) => {
    const chars = [...t];
    for (let k = 0; k < 3; k++) chars.splice(Math.floor(r() * chars.length), 1);
    return chars.join('');
  };
  const partner = new Map();
  for (const [a, b] of corpus.pairs) {
    partner.set(a, b);
    partner.set(b, a);
  }
  const reports = [];
  for (let q = 0; q < REPORTS; q++) {
    const kind = r();
    let i;
    let text;
    let grid;
    if (kind < 0.4) {
      // a near-copy of a recent case (another line reporting the same thing)
      i = recent(N / 12);
      text = perturb(texts(i));
      grid = gridOf(i);
    } else if (kind < 0.5) {
      // the other post of a labelled pair, for a case holding one of them
      i = recent(N);
      for (let tries = 0; tries < 2000 && !partner.has(texts(i)); tries++) i = recent(N);
      text = partner.get(texts(i)) ?? perturb(texts(i));
      grid = gridOf(i);
    } else {
      // something new
      i = N + q;
      grid = grids[Math.floor(r() * grids.length)];
      text = caseText(i, communityName(grid), corpus);
    }
    const [lng, lat] = jitter(i, grid.at);
    reports.push({
      text,
      lng,
      lat,
      categoryCode: CATS[i % CATS.length],
      gridId: grid.id,
      unitPath: grid.path,
      at,
    });
  }

  const windowQuery = (rep) => ({
    unitPrefix: communityPathOf(rep.unitPath),
    since: new Date(NOW - 30 * DAY).toISOString(),
    closedSince: new Date(NOW - 7 * DAY).toISOString(),
    limit: 100,
  });
  const decisionKey = (d) =>
    d.kind === 'auto'
      ? `auto:${d.caseId}`
      : d.kind === 'propose'
        ? `propose:${d.candidates[0].caseId}`
        : 'none';
  // warm-up (statement cache, page cache) on reports not measured
  for (const rep of reports.slice(0, 50)) await findMatches(repos, rep);
  // wall time and CPU time of this thread (the machine may be shared: CPU time leaves out waiting)
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const sqlMs = [];
  const fullMs = [];
  const fullCpu = [];
  const sqlCpu = [];
  const exhaustiveMs = [];
  const lshHits = [];
  const windowRows = [];
  const found = [];
  const scored = [];
  const decisions = { auto: 0, propose: 0, none: 0 };
  let sameAsExhaustive = 0;
  let sameAuto = 0;
  for (const rep of reports) {
    let s = performance.now();
    let c = cpuMs();
    const keys = m.lshBandKeys(m.minhashSignature(rep.text));
    const hits = await repos.merging.findByBands(keys, 200);
    const win = await repos.merging.findInWindow(windowQuery(rep));
    sqlMs.push(performance.now() - s);
    sqlCpu.push(cpuMs() - c);
    lshHits.push(hits.length);
    windowRows.push(win.length);
    s = performance.now();
    c = cpuMs();
    const res = await findMatches(repos, rep);
    fullMs.push(performance.now() - s);
    fullCpu.push(cpuMs() - c);
    found.push(res.found);
    scored.push(res.scored);
    decisions[res.decision.kind]++;
    s = performance.now();
    const all = await findMatches(repos, rep, { exhaustive: true });
    exhaustiveMs.push(performance.now() - s);
    if (decisionKey(all.decision) === decisionKey(res.decision)) sameAsExhaustive++;
    // the decision that acts without a person: the same case joined, or no join in both
    const autoOf = (d) => (d.kind === 'auto' ? d.caseId : null);
    if (autoOf(all.decision) === autoOf(res.decision)) sameAuto++;
  }
  log('search measured');

  // baseline: every open case of the community scored, no index (a sample)
  const baseMs = [];
  const baseCpu = [];
  let agree = 0;
  const sample = reports
    .filter((_, k) => k % Math.max(1, Math.floor(REPORTS / BASELINE)) === 0)
    .slice(0, BASELINE);
  const same = (a, b) => communityPathOf(a) === communityPathOf(b);
  const item = (x) => ({
    id: x.id,
    text: x.summary,
    time: Date.parse(x.created_at),
    location: { lat: x.lat, lon: x.lng },
    gridCode: x.unit_path,
    category: {
      level1: x.category_code.slice(0, 2),
      level2: x.category_code.slice(0, 5),
      level3: x.category_code,
    },
  });
  for (const rep of sample) {
    const s = performance.now();
    const c = cpuMs();
    const rows = await db2.kysely
      .selectFrom('cases')
      .select(['id', 'summary', 'lng', 'lat', 'category_code', 'unit_path', 'created_at'])
      .where('unit_path', 'like', `${communityPathOf(rep.unitPath)}%`)
      .where('status', 'in', ['reported', 'registered', 'dispatched', 'handling', 'verifying', 'verified'])
      .execute();
    const me = {
      ...item({
        ...rep,
        id: 'r',
        summary: rep.text,
        category_code: rep.categoryCode,
        unit_path: rep.unitPath,
        created_at: rep.at,
      }),
      profile: m.textProfile(rep.text),
    };
    const decision = m.decideMerge(rows.map((x) => m.scoreCandidate(me, item(x), { isNeighbour: same })));
    baseMs.push(performance.now() - s);
    baseCpu.push(cpuMs() - c);
    if (decisionKey(decision) === decisionKey((await findMatches(repos, rep)).decision)) agree++;
  }
  await db2.close();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });

  const q = (xs, p) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  };
  const f = (x) => (x === undefined ? '–' : x.toFixed(2));
  const row = (name, xs, cpu = []) =>
    `| ${name} | ${xs.length} | ${f(q(xs, 0.5))} | ${f(q(xs, 0.95))} | ${f(q(xs, 0.99))} | ${f(q(cpu, 0.5))} | ${f(q(cpu, 0.95))} |`;
  const p95 = q(fullMs, 0.95);
  const out = [
    '',
    `### Merge candidate search (一事一案), ${N.toLocaleString('en')} open cases, SQLite${mmap ? ' (mmap)' : ''}, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| measure | reports | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('candidate search: LSH band query + window query (index only)', sqlMs, sqlCpu),
    row('findMatches as intake calls it: search + reading and scoring the best + decision', fullMs, fullCpu),
    row('findMatches reading and scoring every candidate found', exhaustiveMs),
    row('baseline: score every open case of the community, no index', baseMs, baseCpu),
    '',
    `findMatches p95 ${p95.toFixed(2)} ms wall, ${q(fullCpu, 0.95).toFixed(2)} ms CPU (target < 5 ms); ` +
      `baseline / findMatches at p95: ${(q(baseMs, 0.95) / p95).toFixed(1)}× wall, ` +
      `${(q(baseCpu, 0.95) / q(fullCpu, 0.95)).toFixed(1)}× CPU. Same decision (kind and case) as scoring every candidate ` +
      `found: ${sameAsExhaustive}/${reports.length} (the same automatic join or none: ${sameAuto}/${reports.length}); ` +
      `as the community baseline: ${agree}/${sample.length}.`,
    `Per report: LSH hits p50 ${q(lshHits, 0.5)}, p95 ${q(lshHits, 0.95)}; window rows p50 ${q(windowRows, 0.5)}, ` +
      `p95 ${q(windowRows, 0.95)}; candidates p50 ${q(found, 0.5)}, p95 ${q(found, 0.95)}; scored exactly ` +
      `p50 ${q(scored, 0.5)}, p95 ${q(scored, 0.95)}. Decisions: ${decisions.auto} auto, ` +
      `${decisions.propose} propose, ${decisions.none} none.`,
    `Build: ${N.toLocaleString('en')} open cases over ${grids.length} grids and 365 days, ` +
      `${(N * 32).toLocaleString('en')} band rows, ${(dbBytes / 2 ** 30).toFixed(1)} GiB without the ` +
      `band table's case_id index, ${buildSeconds.toFixed(0)} s; load average ${loadavg()[0].toFixed(1)} ` +
      `on ${cpus().length} CPUs at the end.`,
    '',
  ];
  process.stdout.write(out.join('\n'));
}
