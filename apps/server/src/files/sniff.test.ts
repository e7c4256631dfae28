import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimDisagrees, sniff } from './sniff.js';

const b = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** An ISO-BMFF `ftyp` box: size, "ftyp", major brand, minor version, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  return b([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], compatible.join(''), [0, 0, 0, 8], 'meta');
}

describe('sniff', () => {
  const accepted: Array<[string, Uint8Array, string]> = [
    ['JPEG', b([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['PNG', b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'image/png'],
    ['GIF87a', b('GIF87a'), 'image/gif'],
    ['GIF89a', b('GIF89a'), 'image/gif'],
    ['WebP', b('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['PDF', b('%PDF-1.7\n'), 'application/pdf'],
    ['HEIC', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
    ['HEIC (heix)', ftyp('heix', 'mif1'), 'image/heic'],
    ['HEIF mif1 with heic', ftyp('mif1', 'mif1', 'heic'), 'image/heic'],
    ['HEIF mif1 only', ftyp('mif1', 'mif1'), 'image/heif'],
    ['AVIF', ftyp('avif', 'mif1', 'miaf'), 'image/avif'],
    ['AVIF behind mif1', ftyp('mif1', 'avif'), 'image/avif'],
  ];
  it.each(accepted)('accepts %s by its magic bytes', (_name, bytes, mime) => {
    expect(sniff(bytes)).toMatchObject({ ok: true, mime });
  });

  const refused: Array<[string, Uint8Array, RegExp]> = [
    ['SVG', b('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), /SVG/],
    ['SVG with BOM and whitespace', b([0xef, 0xbb, 0xbf], '\n  <SVG>'), /SVG/],
    ['XML', b('<?xml version="1.0"?><svg/>'), /XML/],
    ['HTML', b('<!DOCTYPE html><html>'), /HTML/],
    ['HTML script', b('  <script>alert(1)</script>'), /HTML/],
    ['ZIP', b('PK', [3, 4], 'docx'), /archives/],
    ['gzip', b([0x1f, 0x8b, 8, 0]), /archives/],
    ['PE executable', b('MZ', [0x90, 0]), /executables/],
    ['ELF executable', b([0x7f], 'ELF', [2, 1]), /executables/],
    ['Mach-O', b([0xcf, 0xfa, 0xed, 0xfe]), /executables/],
    ['shell script', b('#!/bin/sh\nrm -rf /'), /scripts/],
    ['TIFF', b('II*', [0]), /TIFF/],
    ['MP4 video', ftyp('isom', 'isom', 'mp41'), /ISO media/],
    ['malformed ftyp', b([0, 0, 0, 3], 'ftypheic'), /malformed/],
    ['plain text', b('hello world'), /unrecognised/],
    ['empty', b(), /empty/],
    ['JPEG magic one byte short', b([0xff, 0xd8]), /unrecognised/],
    ['PDF header not at the start', b(' %PDF-1.7'), /unrecognised/],
  ];
  it.each(refused)('refuses %s with a reason', (_name, bytes, reason) => {
    const r = sniff(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('never throws on random bytes and only calls them images when a known magic matches', () => {
    const magics = [
      [0xff, 0xd8, 0xff],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [...Buffer.from('GIF8')],
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = sniff(bytes);
        if (!r.ok) return typeof r.reason === 'string' && r.reason.length > 0;
        const head = Buffer.from(bytes);
        const magicMatches =
          magics.some((m) => m.every((v, i) => head[i] === v)) ||
          (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') ||
          head.toString('latin1', 4, 8) === 'ftyp' ||
          head.toString('latin1', 0, 5) === '%PDF-';
        return magicMatches;
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the magic whatever follows it (random tails)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const r = sniff(b([0xff, 0xd8, 0xff], [...tail]));
        return r.ok && r.mime === 'image/jpeg';
      }),
    );
  });
});

describe('claimDisagrees', () => {
  it('flags a claim that differs from the content, for logging', () => {
    expect(claimDisagrees('image/jpeg', 'image/jpeg', 'photo.JPG')).toBe(false);
    expect(claimDisagrees('image/jpeg', 'image/jpg')).toBe(false);
    expect(claimDisagrees('image/jpeg', undefined, undefined)).toBe(false);
    expect(claimDisagrees('image/png', 'image/jpeg', 'photo.png')).toBe(true);
    expect(claimDisagrees('image/png', 'image/png', 'photo.html')).toBe(true);
    expect(claimDisagrees('application/pdf', 'application/octet-stream', 'scan.pdf')).toBe(false);
  });
});
