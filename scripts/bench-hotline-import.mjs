// `node scripts/bench-hotline-import.mjs FILE [--batch 1000]`: throughput and peak memory of the pure
// part of the 12345 import (no database, no grid assignment) on a CSV made by gen-hotline-csv.mjs.
// Needs compiled code: run `npx tsc -b apps/server` first. Each stage runs in its own process so its
// peak RSS is its own; the raw read of the file is the baseline measured in the same run. Not a
// test: nothing here fails because a machine is slow.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!file || !existsSync(file)) {
  process.stderr.write('usage: node scripts/bench-hotline-import.mjs FILE [--batch 1000]\n');
  process.exit(2);
}
const batchSize = Number(option('--batch', '1000'));
const HIGH_WATER = 256 * 1024;
const STAGES = {
  read: 'raw read of the file (baseline)',
  parse: 'CSV parse (decode + records)',
  dryrun: 'dry run: parse + validate + duplicates',
  import: `import: dry-run work + batches of ${batchSize}, no-op sink`,
};

async function runStage(stage) {
  const dist = (p) => join(root, p);
  if (!existsSync(dist('apps/server/dist/imports/csv-reader.js'))) {
    throw new Error('compiled code missing: run `npx tsc -b apps/server` first');
  }
  const { readCsv } = await import(dist('apps/server/dist/imports/csv-reader.js'));
  const { dryRun, runImport, splitHeader } = await import(dist('apps/server/dist/imports/hotline-import.js'));
  const hotline = await import(dist('packages/core/dist/hotline/index.js'));
  const open = () => createReadStream(file, { highWaterMark: HIGH_WATER });
  const validatorFor = (headers) => {
    const resolved = hotline.resolveHotlineMapping(hotline.suggestHotlineMapping(headers), headers);
    if (!resolved.ok) throw new Error(`mapping: ${JSON.stringify(resolved.issues)}`);
    return hotline.hotlineRowValidator(resolved.mapping);
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  let extra = {};
  if (stage === 'read') {
    for await (const chunk of open()) rows += chunk.length; // bytes, reported below
    extra = { bytes: rows };
    rows = 0;
  } else if (stage === 'parse') {
    for await (const row of readCsv(open())) rows += row.cells.length > 0 ? 1 : 0;
    rows -= 1; // the header
  } else {
    const { header, rows: data } = await splitHeader(readCsv(open()));
    const validator = validatorFor(header.cells);
    if (stage === 'dryrun') {
      const report = await dryRun(data, validator);
      rows = report.total;
      extra = { valid: report.valid, errors: report.errorCount, duplicates: report.duplicates };
    } else {
      let batches = 0;
      const result = await runImport(
        data,
        validator,
        { commitBatch: async () => void batches++ },
        { batchSize },
      );
      rows = result.committed;
      extra = { batches };
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { stage, rows, seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra };
}

if (args.includes('--stage')) {
  process.stdout.write(JSON.stringify(await runStage(option('--stage'))) + '\n');
  process.exit(0);
}

const size = statSync(file).size;
const results = [];
for (const stage of Object.keys(STAGES)) {
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), file, '--stage', stage, '--batch', String(batchSize)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) process.exit(child.status ?? 1);
  const r = JSON.parse(child.stdout.trim().split('\n').at(-1));
  results.push(r);
  process.stderr.write(`${stage}: ${r.seconds.toFixed(2)} s\n`);
}
const rows = results.find((r) => r.stage === 'dryrun')?.rows ?? 0;
const baseline = results[0].seconds;
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const lines = [
  `hotline import, pure part — ${file}: ${fmt(rows)} rows, ${(size / 2 ** 20).toFixed(0)} MiB; Node ${process.version}, ${cpus()[0]?.model ?? '?'} ×${cpus().length}`,
  '',
  '| stage | seconds | CPU s | rows/s | MiB/s | peak RSS (MiB) | × baseline time |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${STAGES[r.stage]} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.stage === 'read' ? '–' : fmt(rows / r.seconds)} | ${fmt(size / 2 ** 20 / r.seconds)} | ${fmt(r.maxRssMb)} | ${(r.seconds / baseline).toFixed(1)} |`,
  ),
];
const dry = results.find((r) => r.stage === 'dryrun');
if (dry)
  lines.push(
    '',
    `dry run: ${fmt(dry.valid)} valid, ${fmt(dry.errors)} errors, ${fmt(dry.duplicates)} duplicates`,
  );
lines.push(
  "CPU s includes the garbage collector's helper threads, so it can exceed the wall time on an idle machine;",
);
lines.push('on a busy one the wall time grows and CPU s stays put.');
process.stdout.write(lines.join('\n') + '\n');
