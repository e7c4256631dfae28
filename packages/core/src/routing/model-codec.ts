import { validationError } from '../shared/errors.js';
import type { FieldIssue } from '../shared/errors.js';
import type { ClassifierKind, ClassifierModel } from './classifier.js';
import { createVocabulary } from './vectorize.js';

/*
 * The stored form of a model: one JSON object whose big arrays are little-endian binary in
 * base64 (hashes and document frequencies as uint32, weights as float32). JSON keeps the file
 * readable with any tool (labels, options, temperature at the top); float32 is exactly what the
 * model computes with, so a round trip gives identical predictions. With the default features
 * (~85,000 columns × 7 classes) the file is ~4 MB and ~2.5 MB gzipped; idf is recomputed from df.
 */

export const MODEL_FORMAT = 'civicgrid-text-classifier';
/** Bumped whenever feature extraction or scoring changes meaning: older files are refused. */
export const MODEL_FORMAT_VERSION = 1;

/** The JSON shape of a stored model. */
export interface SerializedModel {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: ClassifierKind;
  labels: string[];
  features: ClassifierModel['features'];
  temperature: number;
  trainedOn: ClassifierModel['trainedOn'];
  documents: number;
  bias: number[];
  /** base64 of uint32 LE. */
  hashes: string;
  /** base64 of uint32 LE. */
  df: string;
  /** base64 of float32 LE, row-major features × labels. */
  weights: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** RFC 4648 base64 with padding. */
function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    line +=
      B64[n >>> 18]! +
      B64[(n >>> 12) & 63]! +
      (i + 1 < bytes.length ? B64[(n >>> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? B64[n & 63]! : '=');
    if (line.length >= 4096) {
      parts.push(line);
      line = '';
    }
  }
  parts.push(line);
  return parts.join('');
}

/** Decodes base64 (with or without padding); null when a character is not base64. */
function fromBase64(text: string): Uint8Array | null {
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) return null;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >>> bits) & 0xff;
    }
  }
  return out;
}

function u32ToBase64(a: Uint32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  a.forEach((x, i) => view.setUint32(i * 4, x, true));
  return toBase64(bytes);
}

function f32ToBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  a.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return toBase64(bytes);
}

/** The model as a JSON string (see SerializedModel). */
export function serializeModel(model: ClassifierModel): string {
  const stored: SerializedModel = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    kind: model.kind,
    labels: model.labels,
    features: model.features,
    temperature: model.temperature,
    trainedOn: model.trainedOn,
    documents: model.vocabulary.documents,
    bias: Array.from(model.bias),
    hashes: u32ToBase64(model.vocabulary.hashes),
    df: u32ToBase64(model.vocabulary.df),
    weights: f32ToBase64(model.weights),
  };
  return JSON.stringify(stored);
}

/** Reads a base64 field of 4-byte little-endian values into a view; records an issue when invalid. */
function readWords(
  s: SerializedModel,
  key: 'hashes' | 'df' | 'weights',
  issues: FieldIssue[],
): DataView | null {
  const bytes = typeof s[key] === 'string' ? fromBase64(s[key]) : null;
  if (!bytes || bytes.length % 4 !== 0) {
    issues.push({ path: key, reason: 'must be base64 of 4-byte values' });
    return null;
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const isPositiveInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0;

/** Checks the scalar fields of a stored model. */
function checkHeader(s: SerializedModel, issues: FieldIssue[]): void {
  if (s.format !== MODEL_FORMAT) issues.push({ path: 'format', reason: `must be '${MODEL_FORMAT}'` });
  if (s.version !== MODEL_FORMAT_VERSION)
    issues.push({
      path: 'version',
      reason: `is ${String(s.version)}, this code reads ${MODEL_FORMAT_VERSION}`,
    });
  if (!['svm', 'sgd', 'complement-nb'].includes(s.kind))
    issues.push({ path: 'kind', reason: 'unknown kind' });
  const labels = Array.isArray(s.labels) ? s.labels : [];
  if (
    labels.length === 0 ||
    labels.some((l) => typeof l !== 'string') ||
    new Set(labels).size !== labels.length
  )
    issues.push({ path: 'labels', reason: 'must be distinct strings' });
  const f = s.features ?? {};
  if (
    !isPositiveInt(f.ngramMin) ||
    !isPositiveInt(f.ngramMax) ||
    f.ngramMin > f.ngramMax ||
    typeof f.words !== 'boolean'
  )
    issues.push({ path: 'features', reason: 'must give ngramMin ≤ ngramMax (positive integers) and words' });
  if (!(typeof s.temperature === 'number' && s.temperature > 0 && Number.isFinite(s.temperature)))
    issues.push({ path: 'temperature', reason: 'must be a positive number' });
  if (!isPositiveInt(s.documents)) issues.push({ path: 'documents', reason: 'must be a positive integer' });
  if (!Array.isArray(s.bias) || s.bias.length !== labels.length || s.bias.some((b) => !Number.isFinite(b)))
    issues.push({ path: 'bias', reason: 'must hold one number per label' });
}

/** Reads a model written by serializeModel; VALIDATION_FAILED names what is wrong. */
export function deserializeModel(json: string): ClassifierModel {
  let s: SerializedModel;
  try {
    s = JSON.parse(json) as SerializedModel;
  } catch {
    throw validationError([{ path: '', reason: 'not JSON' }], 'model file is not JSON');
  }
  if (typeof s !== 'object' || s === null) throw validationError([{ path: '', reason: 'not an object' }]);
  const issues: FieldIssue[] = [];
  checkHeader(s, issues);
  const hashes = readWords(s, 'hashes', issues);
  const df = readWords(s, 'df', issues);
  const weights = readWords(s, 'weights', issues);
  const V = hashes ? hashes.byteLength / 4 : 0;
  if (df && df.byteLength / 4 !== V) issues.push({ path: 'df', reason: 'must have one value per hash' });
  if (weights && Array.isArray(s.labels) && weights.byteLength / 4 !== V * s.labels.length)
    issues.push({ path: 'weights', reason: 'must have hashes × labels values' });
  if (issues.length > 0 || !hashes || !df || !weights)
    throw validationError(issues, `model file is invalid: ${issues[0]?.path}: ${issues[0]?.reason}`);
  const h = Uint32Array.from({ length: V }, (_, i) => hashes.getUint32(i * 4, true));
  const d = Uint32Array.from({ length: V }, (_, i) => df.getUint32(i * 4, true));
  const w = Float32Array.from({ length: weights.byteLength / 4 }, (_, i) => weights.getFloat32(i * 4, true));
  if (w.some((x) => !Number.isFinite(x)))
    throw validationError(
      [{ path: 'weights', reason: 'must be finite numbers' }],
      'model file is invalid: weights',
    );
  return {
    kind: s.kind,
    labels: [...s.labels],
    features: { ngramMin: s.features.ngramMin, ngramMax: s.features.ngramMax, words: s.features.words },
    vocabulary: createVocabulary(h, d, s.documents),
    weights: w,
    bias: Float32Array.from(s.bias),
    temperature: s.temperature,
    trainedOn: {
      examples: Number(s.trainedOn?.examples ?? 0),
      corrections: Number(s.trainedOn?.corrections ?? 0),
    },
  };
}
