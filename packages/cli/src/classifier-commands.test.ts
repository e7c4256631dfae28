import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { classify, trainClassifier } from '@civicgrid/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  classifyStream,
  createDefaultRouter,
  loadDefaultModel,
  loadModelFile,
  parseLabeledLines,
  trainAndSave,
} from './classifier-commands.js';

const dir = mkdtempSync(join(tmpdir(), 'civicgrid-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = trainClassifier(
  [
    { text: '工厂噪音扰民，废气污染', label: '环境保护' },
    { text: '夜间噪音扰民，污水直排', label: '环境保护' },
    { text: '粉尘污染，噪音扰民', label: '环境保护' },
    { text: '公司拖欠工资，社保没交', label: '劳动和社会保障' },
    { text: '拖欠工资半年，养老保险断缴', label: '劳动和社会保障' },
    { text: '劳动合同到期拖欠工资', label: '劳动和社会保障' },
  ],
  { temperature: 1 },
);

/** A writable that collects lines; `slow` makes it ask for back-pressure after every line. */
function sink(slow = false): { stream: Writable; lines: () => unknown[] } {
  let text = '';
  const stream = new Writable({
    highWaterMark: slow ? 1 : 16384,
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      if (slow) setTimeout(done, 1);
      else done();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('classifyStream', () => {
  it('writes one line per input line in order; a bad line becomes an error naming it, and the rest goes on', async () => {
    const input = Readable.from(
      [
        '{"text":"工厂夜间噪音扰民"}',
        '',
        'not json',
        '{"id":"m-7","text":"公司拖欠工资"}',
        '{"text":42}',
        '[1,2]',
        '{"text":"粉尘污染严重"}',
      ].join('\n'),
    );
    const out = sink();
    const r = await classifyStream(input, out.stream, TINY);
    expect(r).toEqual({ classified: 3, errors: 3 });
    const lines = out.lines() as Array<Record<string, unknown>>;
    expect(lines.map((l) => l.label ?? l.error)).toEqual([
      '环境保护',
      'line 3: not JSON',
      '劳动和社会保障',
      'line 5: expected a string "text"',
      'line 6: expected a JSON object',
      '环境保护',
    ]);
    expect(lines[2]).toMatchObject({ id: 'm-7', department: 'D06' });
    expect(lines[1]).toEqual({ error: 'line 3: not JSON', line: 3 });
    expect(Object.keys(lines[0]!)).toEqual(['label', 'level2', 'level3', 'department', 'confidence']);
    expect(lines[0]).toMatchObject({ department: 'D11', level2: '环境污染', level3: '噪音污染' });
  });

  it('keeps the order under back-pressure from a slow consumer', async () => {
    const texts = Array.from({ length: 60 }, (_, i) => (i % 2 ? `拖欠工资${i}` : `噪音扰民${i}`));
    const out = sink(true);
    await classifyStream(
      Readable.from(texts.map((t) => `${JSON.stringify({ text: t })}\n`)),
      out.stream,
      TINY,
    );
    const labels = (out.lines() as Array<{ label: string }>).map((l) => l.label);
    expect(labels).toEqual(texts.map((_, i) => (i % 2 ? '劳动和社会保障' : '环境保护')));
  });

  it('accepts a ready router as well as a model', async () => {
    const out = sink();
    await classifyStream(Readable.from(['{"text":"噪音"}']), out.stream, createDefaultRouter(TINY));
    expect(out.lines()).toHaveLength(1);
  });
});

describe('parseLabeledLines', () => {
  it('reads {text,label} lines and names the first bad one', () => {
    expect(parseLabeledLines('{"text":"a","label":" x "}\n\n', 'f')).toEqual([{ text: 'a', label: 'x' }]);
    expect(() => parseLabeledLines('{"text":"a","label":"x"}\n{"text":"b"}', 'f.jsonl')).toThrow(
      'f.jsonl, line 2: expected {"text": string, "label": string}',
    );
    expect(() => parseLabeledLines('{', 'f')).toThrow('f, line 1: not JSON');
  });
});

describe('models', () => {
  it('loads the shipped model, trained on the 6,199 shipped messages', async () => {
    const model = await loadDefaultModel({ onFallback: (reason) => expect.fail(reason) });
    expect(model.trainedOn).toEqual({ examples: 6199, corrections: 0 });
    expect(model.labels).toHaveLength(7);
    expect(classify(model, '小区旁边的工厂夜间噪音扰民，废气熏人').label).toBe('环境保护');
    expect(classify(model, '单位拖欠工资，也不给我们交社保').label).toBe('劳动和社会保障');
    expect(classify(model, '孩子学校乱收费，老师强制补课').label).toBe('教育文体');
  });

  it('trains with operators corrections and saves a model that loads back', async () => {
    const file = join(dir, 'model.json.gz');
    const text = '小区门口的共享单车堆积如山，占用盲道';
    expect(classify(await loadDefaultModel(), text).label).not.toBe('交通运输');
    const r = await trainAndSave(file, [{ text, label: '交通运输' }]);
    expect(r).toMatchObject({ examples: 6200, corrections: 1 });
    const model = loadModelFile(file);
    expect(model.trainedOn.corrections).toBe(1);
    expect(classify(model, text).label).toBe('交通运输');
  });
});
