import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  createRouter,
  deserializeModel,
  parseCategoriesCsv,
  routeMessage,
  serializeModel,
  trainClassifier,
} from '@civicgrid/core';
import type { ClassifierModel, LabeledText, MessageRouter } from '@civicgrid/core';
import { out } from './context.js';

/*
 * Smart routing (智能分拨) from the command line. Files are found relative to this module: it runs
 * as packages/cli/dist/classifier-commands.js or inside the bundle apps/server/dist/civicgrid.mjs,
 * both three levels below the repository root, so the same relative URLs work from either.
 *
 * Where the model comes from: a model shipped in apps/server/assets/routing-model.json.gz
 * (written by `trainAndSave`, ~2.3 MB). Loading it takes ~0.2 s; training from the 6,199
 * messages takes ~2 s plus ~4 s for calibrating the confidence, on the CPU the server also
 * needs at start. When the file is missing or of an older format, the model is trained from
 * data/messages/train.jsonl.gz instead (same result: training is deterministic).
 */
const TRAIN_DATA = new URL('../../../data/messages/train.jsonl.gz', import.meta.url);
const SHIPPED_MODEL = new URL('../../../apps/server/assets/routing-model.json.gz', import.meta.url);
const CATEGORIES = new URL('../../../apps/server/assets/categories-3level.csv', import.meta.url);

/** Reads a file, gunzipping it when its name ends in .gz. */
function readMaybeGzip(file: string | URL): string {
  const bytes = readFileSync(file);
  return (String(file).endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Parses JSON lines of `{"text","label"}`; names the first bad line. */
export function parseLabeledLines(text: string, source: string): LabeledText[] {
  const list: LabeledText[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`${source}, line ${i + 1}: not JSON`);
    }
    const r = v as { text?: unknown; label?: unknown };
    if (typeof r?.text !== 'string' || typeof r.label !== 'string' || r.label.trim() === '')
      throw new Error(`${source}, line ${i + 1}: expected {"text": string, "label": string}`);
    list.push({ text: r.text, label: r.label.trim() });
  });
  return list;
}

/** The labelled messages shipped with the repository (data/messages/train.jsonl.gz). */
export function loadTrainingData(): LabeledText[] {
  return parseLabeledLines(readMaybeGzip(TRAIN_DATA), 'data/messages/train.jsonl.gz');
}

/** Reads a model file written by trainAndSave (.json or .json.gz). */
export function loadModelFile(file: string | URL): ClassifierModel {
  return deserializeModel(readMaybeGzip(file));
}

/**
 * The routing model: `path` if given, else the shipped model, else one trained from the shipped
 * messages (onFallback hears why).
 */
export async function loadDefaultModel(
  options: { path?: string; onFallback?: (reason: string) => void } = {},
): Promise<ClassifierModel> {
  if (options.path) return loadModelFile(options.path);
  if (existsSync(SHIPPED_MODEL)) {
    try {
      return loadModelFile(SHIPPED_MODEL);
    } catch (e) {
      options.onFallback?.(`shipped model unusable (${(e as Error).message}); training from the messages`);
    }
  } else options.onFallback?.('no shipped model; training from the messages');
  return trainClassifier(loadTrainingData());
}

/** A router for the model with the shipped 3-level catalogue (level 2/3 suggestions). */
export function createDefaultRouter(model: ClassifierModel): MessageRouter {
  return createRouter(model, parseCategoriesCsv(readFileSync(CATEGORIES, 'utf8')));
}

/** Trains on the shipped messages plus `extraExamples` (operators' corrections, weighted ×3) and writes the model (.gz → gzipped). */
export async function trainAndSave(
  outputPath: string,
  extraExamples: readonly LabeledText[] = [],
): Promise<{
  examples: number;
  corrections: number;
  labels: string[];
  temperature: number;
  bytes: number;
  ms: number;
}> {
  const t0 = performance.now();
  const model = trainClassifier(loadTrainingData(), { corrections: extraExamples });
  const json = serializeModel(model);
  const data = outputPath.endsWith('.gz') ? gzipSync(json, { level: 9 }) : Buffer.from(json);
  writeFileSync(outputPath, data);
  return {
    examples: model.trainedOn.examples,
    corrections: model.trainedOn.corrections,
    labels: model.labels,
    temperature: model.temperature,
    bytes: data.length,
    ms: Math.round(performance.now() - t0),
  };
}

/** Writes a line, waiting when the stream asks to (a slow consumer must not make us buffer everything). */
async function writeLine(output: Writable, value: unknown): Promise<void> {
  if (!output.write(`${JSON.stringify(value)}\n`)) await once(output, 'drain');
}

/** The problem with one input line, or its text. */
function readRecord(line: string): { text: string; id?: unknown } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'expected a JSON object' };
  const r = v as { text?: unknown; id?: unknown };
  if (typeof r.text !== 'string') return { error: 'expected a string "text"' };
  return r.id === undefined ? { text: r.text } : { text: r.text, id: r.id };
}

/**
 * Reads JSON lines `{"text": …}` (an optional "id" is echoed) and writes one JSON line per input
 * line, in order: `{"label","level2","level3","department","confidence"}`, or `{"error","line"}`
 * for a bad line; blank lines are skipped. Returns the counts.
 */
export async function classifyStream(
  input: Readable,
  output: Writable,
  model: ClassifierModel | MessageRouter,
): Promise<{ classified: number; errors: number }> {
  const router = 'model' in model ? model : createDefaultRouter(model);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let classified = 0;
  let errors = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const rec = readRecord(line);
    if ('error' in rec) {
      errors++;
      await writeLine(output, { error: `line ${lineNo}: ${rec.error}`, line: lineNo });
      continue;
    }
    const r = routeMessage(router, rec.text);
    classified++;
    await writeLine(output, {
      ...(rec.id === undefined ? {} : { id: rec.id }),
      label: r.label,
      level2: r.level2,
      level3: r.level3,
      department: r.department,
      confidence: Math.round(r.confidence * 1e4) / 1e4,
    });
  }
  return { classified, errors };
}

/** `civicgrid classify [--model FILE]`: JSON lines in on stdin, routing suggestions out on stdout. */
export async function classifyCommand(opts: { model?: string }): Promise<void> {
  const model = await loadDefaultModel({
    path: opts.model,
    onFallback: (reason) => process.stderr.write(`${reason}\n`),
  });
  const r = await classifyStream(process.stdin, process.stdout, model);
  process.stderr.write(`${r.classified} classified, ${r.errors} bad lines\n`);
}

/** `civicgrid train-classifier --out FILE [--corrections FILE] [--json]` */
export async function trainClassifierCommand(opts: {
  out: string;
  corrections?: string;
  json?: boolean;
}): Promise<void> {
  const extra = opts.corrections ? parseLabeledLines(readMaybeGzip(opts.corrections), opts.corrections) : [];
  const r = await trainAndSave(opts.out, extra);
  out(
    !!opts.json,
    { ...r, file: opts.out },
    () =>
      `trained on ${r.examples} messages (${r.corrections} of them corrections), ${r.labels.length} classes, temperature ${r.temperature.toFixed(3)}: ${opts.out} (${(r.bytes / 1e6).toFixed(1)} MB) in ${(r.ms / 1000).toFixed(1)} s`,
  );
}
