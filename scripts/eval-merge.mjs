// `npm run eval:merge` (after `npm run build`): measures the one-problem-one-case building blocks of
// packages/core/src/merging on the labelled pairs in data/merge-eval/pairs.jsonl and prints
//   1. precision/recall of auto-merge and of "proposed or auto" at the default thresholds,
//   2. a precision/recall table over thresholds, ROC AUC of the text measures, recall by subset,
//   3. LSH banding: share of positive pairs that meet, background candidates per report at 10^6 cases,
//   4. the hot spots found among the evaluation posts (a sanity check, not a measurement).
// Options: --corpus <file.jsonl> estimates the LSH background on another set of posts
// ({subject, text} per line, e.g. the full message board); --json prints the main figures as JSON.
// Not a test and not a benchmark: nothing here fails because a figure is low, and no timings are taken.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const m = await import(join(root, 'packages/core/dist/merging/index.js'));

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const readJsonl = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

const pairs = readJsonl(join(root, 'data/merge-eval/pairs.jsonl'));
const DAY = 86_400_000;
const fullText = (p) => `${p.subject}。${p.text}`;
const asItem = (p) => {
  const text = fullText(p);
  return { id: `${p.source}:${p.id}`, text, profile: m.textProfile(text), time: Date.parse(p.time) };
};

// ---------------------------------------------------------------- scores
const rows = pairs.map((p) => {
  const a = asItem(p.a);
  const b = asItem(p.b);
  const scored = m.scoreCandidate(a, b);
  return {
    same: p.same,
    selectedBy: p.selectedBy,
    sameAuthor: p.sameAuthor,
    gapDays: Math.abs(a.time - b.time) / DAY,
    score: scored.score,
    text: scored.parts.text,
    minhash: m.estimateJaccard(m.minhashSignature(a.text), m.minhashSignature(b.text)),
    a,
    b,
  };
});
const positives = rows.filter((r) => r.same).length;
const negatives = rows.length - positives;

const counts = (list, key, t) => {
  let tp = 0;
  let fp = 0;
  for (const r of list) {
    if (r[key] < t) continue;
    if (r.same) tp++;
    else fp++;
  }
  const pos = list.filter((r) => r.same).length;
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  const recall = pos ? tp / pos : NaN;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { t, predicted: tp + fp, tp, fp, fn: pos - tp, precision, recall, f1 };
};
const auc = (key) => {
  const pos = rows.filter((r) => r.same).map((r) => r[key]);
  const neg = rows.filter((r) => !r.same).map((r) => r[key]);
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
};
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '  - ');
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '   - ');

const { autoThreshold, proposeThreshold } = m.DEFAULT_MERGE_THRESHOLDS;
const auto = counts(rows, 'score', autoThreshold);
const proposed = counts(rows, 'score', proposeThreshold);

const out = [];
const say = (s = '') => out.push(s);
say(`Merge evaluation on data/merge-eval/pairs.jsonl: ${rows.length} labelled pairs,`);
say(`${positives} positives (same matter), ${negatives} negatives. Score = text (cosine of character-bigram`);
say('TF vectors) + time evidence; the posts have no coordinates, grids or categories, so those parts are');
say('neutral and the figures measure the text + time part only.');
say();
say(`At the default thresholds (auto ≥ ${autoThreshold}, propose ≥ ${proposeThreshold}):`);
for (const [name, c] of [
  ['auto-merge', auto],
  ['proposed or auto', proposed],
]) {
  say(
    `  ${name.padEnd(17)} precision ${f3(c.precision)}  recall ${f3(c.recall)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`,
  );
}
say();
say('Threshold table (score ≥ t counts as a match):');
say('     t   pairs    tp   fp  precision  recall    F1');
for (let t = 0.1; t < 0.951; t += 0.05) {
  const c = counts(rows, 'score', Math.round(t * 100) / 100);
  const mark = c.t === autoThreshold ? '  ← auto' : c.t === proposeThreshold ? '  ← propose' : '';
  say(
    `  ${c.t.toFixed(2)}  ${String(c.predicted).padStart(5)} ${String(c.tp).padStart(5)} ${String(c.fp).padStart(4)}` +
      `      ${f3(c.precision)}   ${f3(c.recall)}  ${f3(c.f1)}${mark}`,
  );
}
say();
say(
  `ROC AUC: score ${f3(auc('score'))}, text cosine alone ${f3(auc('text'))}, MinHash Jaccard estimate ${f3(auc('minhash'))}`,
);
say();
say('Recall by subset (proposed or auto / auto):');
const subsets = [
  ['reported ≤ 30 days apart', (r) => r.gapDays <= 30],
  ['reported > 30 days apart', (r) => r.gapDays > 30],
  ['different authors', (r) => !r.sameAuthor],
  ['same author (reposts)', (r) => r.sameAuthor],
  ['selected by place name, low overlap', (r) => r.selectedBy.startsWith('anchor:')],
];
for (const [name, f] of subsets) {
  const list = rows.filter(f);
  const p = counts(list, 'score', proposeThreshold);
  const a = counts(list, 'score', autoThreshold);
  say(
    `  ${name.padEnd(36)} positives ${String(p.tp + p.fn).padStart(3)}   ${f2(p.recall)} / ${f2(a.recall)}`,
  );
}

// ---------------------------------------------------------------- LSH
const corpusFile = argValue('--corpus');
const corpus = corpusFile
  ? readJsonl(corpusFile).map((p) => fullText(p))
  : [...new Map(rows.flatMap((r) => [r.a, r.b]).map((i) => [i.id, i.text])).values()];
const sigs = corpus.map((t) => m.minhashSignature(t));
const positiveSigs = rows
  .filter((r) => r.same)
  .map((r) => ({ x: m.minhashSignature(r.a.text), y: m.minhashSignature(r.b.text), score: r.score }));
const totalPairs = (corpus.length * (corpus.length - 1)) / 2;
say();
say(
  `LSH banding of the ${m.DEFAULT_NUM_HASHES}-slot MinHash signature. Background from ${corpus.length} posts ` +
    `(${corpusFile ? corpusFile.split('/').pop() : 'the distinct posts of the pairs; duplicates are over-represented'}):`,
);
say('  bands×rows  midpoint  positives meeting (all / proposed / auto)  candidates per report at 10^6 cases');
for (const [bands, rowsPerBand] of [
  [16, 8],
  [32, 4],
  [42, 3],
  [64, 2],
]) {
  const meets = positiveSigs.map(({ x, y, score }) => {
    const kx = new Set(m.lshBandKeys(x, bands, rowsPerBand));
    return { score, meet: m.lshBandKeys(y, bands, rowsPerBand).some((k) => kx.has(k)) };
  });
  const meetShare = (minScore) => {
    const list = meets.filter((e) => e.score >= minScore);
    return list.filter((e) => e.meet).length / list.length;
  };
  const buckets = new Map();
  sigs.forEach((s, i) => {
    for (const k of m.lshBandKeys(s, bands, rowsPerBand)) {
      const b = buckets.get(k);
      if (b) b.push(i);
      else buckets.set(k, [i]);
    }
  });
  const colliding = new Set();
  for (const b of buckets.values()) {
    for (let x = 0; x < b.length; x++)
      for (let y = x + 1; y < b.length; y++) colliding.add(b[x] * corpus.length + b[y]);
  }
  const rate = colliding.size / totalPairs;
  say(
    `  ${`${bands}×${rowsPerBand}`.padEnd(10)}  ${f2((1 / bands) ** (1 / rowsPerBand))}      ` +
      `${f2(meetShare(0))} / ${f2(meetShare(proposeThreshold))} / ${f2(meetShare(autoThreshold))}` +
      `                         ${Math.round(rate * 1e6).toLocaleString('en-US')}`,
  );
}

// ---------------------------------------------------------------- hot spots
// the posts name districts and counties as A2区, A7县 …; the city token "A市" only when nothing finer
const unitOf = (t) => (t.match(/[A-Z]\d+[区县市]/) ?? t.match(/[A-Z]市/) ?? ['?'])[0];
const hotItems = [...new Map(rows.flatMap((r) => [r.a, r.b]).map((i) => [i.id, i])).values()].map((i) => ({
  id: i.id,
  unitCode: unitOf(i.text),
  time: i.time,
  text: i.text,
}));
const spots = m.detectHotSpots(hotItems);
say();
say(
  `Hot spots among the ${hotItems.length} evaluation posts (unit = district token of the text, ≥ 5 similar in 7 days):`,
);
for (const s of spots) {
  const day = (t) => new Date(t).toISOString().slice(0, 10);
  say(
    `  ${s.unitCode.padEnd(4)} ${String(s.memberIds.length).padStart(3)} posts ${day(s.firstTime)}…${day(s.lastTime)}` +
      ` peak ${s.peakCount}/7d  ${s.representativeText.slice(0, 40)}`,
  );
}

if (args.includes('--json')) {
  console.log(
    JSON.stringify({
      pairs: rows.length,
      positives,
      auto,
      proposed,
      auc: auc('score'),
      thresholds: { autoThreshold, proposeThreshold },
    }),
  );
} else {
  console.log(out.join('\n'));
}
