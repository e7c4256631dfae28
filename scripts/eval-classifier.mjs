// `npm run eval:classifier`: how well smart routing (智能分拨) classifies citizen messages. Runs a
// stratified k-fold cross-validation (default k = 5, fixed seed) on data/messages/train.jsonl.gz
// for the default model (NB-weighted linear SVM) and, in the same run, the complement naive-Bayes
// baseline; prints accuracy, macro-F1, per-class F1, the confusion matrix, speed, and what each
// confidence threshold would leave to operators. Not a test: nothing here fails on a slow machine.
//
//   node scripts/eval-classifier.mjs [--k 5] [--seed 20240601] [--sgd] [--json]
//
// --sgd adds softmax regression trained by SGD as a third model; --json prints the figures as JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const routing = await import(join(root, 'packages/core/dist/routing/index.js'));
const { parseCategoriesCsv } = await import(join(root, 'packages/core/dist/timelimits/categories.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
};
const K = arg('k', 5);
const SEED = arg('seed', 20240601);
const asJson = process.argv.includes('--json');
const log = (s = '') => {
  if (!asJson) process.stdout.write(`${s}\n`);
};
const progress = (s) => process.stderr.write(`${s}\n`);

const examples = gunzipSync(readFileSync(join(root, 'data/messages/train.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));
const categories = parseCategoriesCsv(
  readFileSync(join(root, 'apps/server/assets/categories-3level.csv'), 'utf8'),
);

const candidates = [
  { name: 'NB-SVM (default)', options: {} },
  { name: 'complement NB (baseline)', options: routing.NB_BASELINE_OPTIONS },
];
if (process.argv.includes('--sgd'))
  candidates.push({
    name: 'softmax regression (SGD)',
    options: { kind: 'sgd', features: { ngramMin: 1, ngramMax: 3, words: false }, minDf: 2 },
  });

// 1. cross-validation of every candidate on the same folds
const results = [];
for (const c of candidates) {
  progress(`cross-validating ${c.name} (${K} folds)…`);
  const temperatures = [];
  const report = routing.crossValidate(
    examples,
    K,
    SEED,
    (train) => {
      const model = routing.trainClassifier(train, c.options);
      temperatures.push(model.temperature);
      return (text) => routing.classify(model, text);
    },
    () => performance.now(),
  );
  results.push({ ...c, report, temperatures });
}

// 2. the default model on all data: training time, size, prediction speed, routing coverage
progress('training the default model on all messages…');
let t0 = performance.now();
const model = routing.trainClassifier(examples);
const trainAllMs = performance.now() - t0;
t0 = performance.now();
routing.trainClassifier(examples, { temperature: model.temperature });
const trainFitOnlyMs = performance.now() - t0;
const json = routing.serializeModel(model);
const gz = gzipSync(json).length;
const texts = examples.map((e) => e.text);
for (const t of texts.slice(0, 500)) routing.classify(model, t); // warm-up
t0 = performance.now();
for (const t of texts) routing.classify(model, t);
const classifyMs = (performance.now() - t0) / texts.length;
const router = routing.createRouter(model, categories);
for (const t of texts.slice(0, 500)) routing.routeMessage(router, t);
t0 = performance.now();
const routed = texts.map((t) => routing.routeMessage(router, t));
const routeMs = (performance.now() - t0) / texts.length;
const chars = texts.reduce((a, t) => a + t.length, 0) / texts.length;

const THRESHOLDS = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];
const best = results[0];
const table = routing.confidenceTable(best.report.predictions, THRESHOLDS);
const pct = (x) => `${(100 * x).toFixed(1)}%`;
/** Pads to a number of terminal columns (CJK characters take two). */
const pad = (text, cols) => {
  const width = [...text].reduce((w, ch) => w + (ch.codePointAt(0) >= 0x2e80 ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, cols - width));
};
const f3 = (x) => x.toFixed(3);

if (asJson) {
  process.stdout.write(
    `${JSON.stringify(
      {
        k: K,
        seed: SEED,
        messages: examples.length,
        models: results.map((r) => ({
          name: r.name,
          accuracy: r.report.accuracy,
          macroF1: r.report.macroF1,
          perClass: r.report.perClass,
          confusion: r.report.confusion,
          trainMsPerFold: r.report.trainMs / K,
          predictMsPerMessage: r.report.predictMs / examples.length,
          temperatures: r.temperatures,
        })),
        fullModel: { trainAllMs, trainFitOnlyMs, classifyMs, routeMs, jsonBytes: json.length, gzipBytes: gz },
        confidence: table,
      },
      null,
      2,
    )}\n`,
  );
  process.exit(0);
}

const labels = best.report.labels;
log(`# Smart routing: ${K}-fold stratified cross-validation (seed ${SEED})`);
log(
  `${examples.length} labelled messages, ${labels.length} first-level classes, mean length ${chars.toFixed(0)} characters`,
);
log('');
log(
  'model                          accuracy  macro-F1  train s/fold  predict ms/msg  messages/s  temperature',
);
for (const r of results) {
  const ms = r.report.predictMs / examples.length;
  log(
    `${r.name.padEnd(30)} ${f3(r.report.accuracy).padStart(8)}  ${f3(r.report.macroF1).padStart(8)}  ${(r.report.trainMs / K / 1000).toFixed(1).padStart(12)}  ${ms.toFixed(3).padStart(14)}  ${Math.round(
      1000 / ms,
    )
      .toLocaleString('en-US')
      .padStart(10)}  ${r.temperatures.map((t) => t.toPrecision(2)).join(' ')}`,
  );
}
log('(train s/fold includes the internal 3-fold calibration of the confidence, i.e. 4 trainings)');
log('');
log(`${pad('F1 per class', 16)} support  ${results.map((r) => r.name.split(' (')[0].padStart(15)).join('')}`);
labels.forEach((l, i) => {
  const support = best.report.perClass[i].support;
  log(
    `${pad(l, 16)} ${String(support).padStart(7)}  ${results.map((r) => f3(r.report.perClass.find((m) => m.label === l)?.f1 ?? 0).padStart(15)).join('')}`,
  );
});
log('');
log(`confusion matrix of ${best.name} (rows: true class, columns: predicted)`);
log(`${pad('', 16)} ${labels.map((l) => `   ${l.slice(0, 2)}`).join('')}`);
best.report.confusion.forEach((row, i) =>
  log(`${pad(labels[i], 16)} ${row.map((n) => String(n).padStart(7)).join('')}`),
);
log('');
log(
  `confidence threshold (held-out predictions of ${best.name}): dispatch automatically when confidence ≥ t`,
);
log('   t   automatic  accuracy of automatic  to operator');
for (const r of table)
  log(
    `${r.threshold.toFixed(2).padStart(4)}  ${pct(r.coverage).padStart(9)}  ${pct(r.accuracy).padStart(21)}  ${pct(1 - r.coverage).padStart(11)}`,
  );
log('');
log(`default model trained on all ${examples.length} messages`);
log(
  `  training              ${(trainAllMs / 1000).toFixed(1)} s (${(trainFitOnlyMs / 1000).toFixed(1)} s without calibrating the confidence)`,
);
log(
  `  classify              ${classifyMs.toFixed(3)} ms/message (${Math.round(1000 / classifyMs).toLocaleString('en-US')} messages/s)`,
);
log(`  route (+ level 2/3, department) ${routeMs.toFixed(3)} ms/message`);
log(
  `  model                 ${model.vocabulary.hashes.length.toLocaleString('en-US')} features × ${model.labels.length} classes; ${(json.length / 1e6).toFixed(1)} MB JSON, ${(gz / 1e6).toFixed(1)} MB gzipped`,
);
const withL2 = routed.filter((r) => r.level2 !== null).length;
const withL3 = routed.filter((r) => r.level3 !== null).length;
log(
  `  level 2 suggested for ${pct(withL2 / routed.length)}, level 3 for ${pct(withL3 / routed.length)} of the messages (keyword match, unchecked: no labels)`,
);
