import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeQr } from '../../test/support/qr-decode.js';
import { posterPdf } from './poster-pdf.js';
import type { PosterGrid } from './poster-pdf.js';
import { residentPageUrl } from './qr.js';

const grid = (n: number): PosterGrid => ({
  code: `37011200900100${n}`,
  name: `花园${'一二三'[n - 1]}网格`,
  communityName: '花园社区',
  streetName: '洪家楼街道',
  url: residentPageUrl('https://grid.licheng.gov.cn', `37011200900100${n}`),
});
const GRIDS = [grid(1), grid(2), grid(3)];
const pdf = posterPdf(GRIDS, { title: '花园社区 网格二维码', createdAt: new Date('2026-11-27T08:00:00Z') });
const text = pdf.toString('latin1');

/** The objects of the file by number, from the cross-reference table. */
function objectsByXref(): Map<number, string> {
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe('xref');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
  expect(Number(first)).toBe(0);
  const entries = text
    .slice(startxref)
    .split('\n')
    .slice(2, 2 + Number(count));
  expect(entries[0]).toBe('0000000000 65535 f ');
  const out = new Map<number, string>();
  entries.slice(1).forEach((e, i) => {
    expect(e).toMatch(/^\d{10} 00000 n $/);
    const offset = Number(e.slice(0, 10));
    const head = `${i + 1} 0 obj\n`;
    expect(text.slice(offset, offset + head.length), `object ${i + 1}`).toBe(head);
    out.set(i + 1, text.slice(offset + head.length, text.indexOf('\nendobj\n', offset)));
  });
  return out;
}

/** The decompressed data of a stream object. */
function streamData(obj: string): Buffer {
  const start = obj.indexOf('stream\n') + 'stream\n'.length;
  const length = Number(/\/Length (\d+)/.exec(obj)?.[1]);
  const raw = Buffer.from(obj.slice(start, start + length), 'latin1');
  expect(obj.slice(start + length)).toBe('\nendstream');
  return inflateSync(raw);
}

const hasTool = (name: string): boolean => {
  try {
    execFileSync(name, [name === 'qpdf' ? '--version' : '-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('poster PDF', () => {
  it('is a PDF 1.7 file with a correct cross-reference table and trailer', () => {
    expect(text.startsWith('%PDF-1.7\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const objects = objectsByXref();
    expect(text).toMatch(new RegExp(`/Size ${objects.size + 1} /Root 1 0 R`));
    expect(objects.get(1)).toContain('/Type /Catalog');
  });

  it('has one A4 page per grid', () => {
    const objects = [...objectsByXref().values()];
    const pages = objects.filter((o) => /\/Type \/Page\b(?!s)/.test(o));
    expect(pages).toHaveLength(3);
    expect(objects.find((o) => o.includes('/Type /Pages'))).toContain('/Count 3');
    for (const p of pages) expect(p).toContain('/MediaBox [0 0 595.28 841.89]');
  });

  it('writes Chinese with the standard STSong-Light font (UniGB-UCS2-H), nothing embedded', () => {
    expect(text).toContain('/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H');
    expect(text).toContain('/Registry (Adobe) /Ordering (GB1)');
    expect(text).not.toMatch(/FontFile/);
  });

  it('carries each grid’s name, code, place and the instructions, and a QR code that reads', () => {
    const objects = objectsByXref();
    const contents = [...objects.values()].filter(
      (o) => o.startsWith('<< /Length') && !o.includes('beginbfrange'),
    );
    const pageStreams = contents
      .map((o) => streamData(o).toString('latin1'))
      .filter((s) => s.includes(' re'));
    expect(pageStreams).toHaveLength(3);
    pageStreams.forEach((s, i) => {
      const g = GRIDS[i]!;
      const shown = [...s.matchAll(/<([0-9A-F]+)> Tj/g)].map((m) =>
        Buffer.from(m[1]!, 'hex').swap16().toString('utf16le'),
      );
      expect(shown).toContain(g.name);
      expect(shown).toContain(`网格编码 ${g.code}`);
      // the middle dot is written as U+30FB, the full-width dot of Adobe-GB1
      expect(shown).toContain('洪家楼街道・花园社区');
      expect(shown).toContain('扫码反映问题・一群通办');
      expect(shown).toContain(g.url);
      // the QR code: rectangles on a grid of one module; rebuild the matrix and read it
      const rects = [...s.matchAll(/^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re$/gm)].map((m) =>
        m.slice(1).map(Number),
      );
      const [bx, by, side] = rects[0] as [number, number, number, number];
      const unit = Math.min(...rects.slice(1).map((r) => r[3]!));
      const modules = Math.round(side / unit);
      const m = Array.from({ length: modules - 8 }, () => new Array<boolean>(modules - 8).fill(false));
      for (const [x, y, w] of rects.slice(1) as [number, number, number, number][]) {
        const r = Math.round((by + side - y) / unit) - 5;
        const c0 = Math.round((x - bx) / unit) - 4;
        for (let c = c0; c < c0 + Math.round(w / unit); c++) m[r]![c] = true;
      }
      expect(decodeQr(m).text).toBe(g.url);
    });
  });

  it('passes qpdf --check and pdftotext when they are installed', () => {
    const tools = ['qpdf', 'pdftotext'].filter(hasTool);
    if (tools.length === 0) return; // neither is installed here: the structural checks above stand alone
    const dir = mkdtempSync(join(tmpdir(), 'poster-'));
    try {
      const file = join(dir, 'posters.pdf');
      writeFileSync(file, pdf);
      if (tools.includes('qpdf'))
        expect(execFileSync('qpdf', ['--check', file]).toString()).toMatch(
          /No syntax or stream encoding errors/,
        );
      if (tools.includes('pdftotext')) {
        const out = execFileSync('pdftotext', [file, '-']).toString();
        expect(out).toContain(GRIDS[2]!.code);
        expect(out.split('\f').filter((p) => p.trim())).toHaveLength(3);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs at least one grid', () => {
    expect(() => posterPdf([], { title: 'x', createdAt: new Date(0) })).toThrow(RangeError);
  });
});
