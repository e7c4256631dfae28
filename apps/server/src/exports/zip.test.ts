import { Buffer } from 'node:buffer';
import { crc32 as nodeCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, zip } from './zip.js';

describe('crc32', () => {
  it('matches the standard check value and node:zlib on arbitrary bytes', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc32(bytes) === nodeCrc32(bytes) >>> 0),
      { numRuns: 200 },
    );
  });
});

describe('zip', () => {
  it('writes an empty archive as a bare end-of-central-directory record', () => {
    const empty = zip([]);
    expect(empty.length).toBe(22);
    expect(empty.readUInt32LE(0)).toBe(0x06054b50);
  });

  it('flags non-ASCII entry names as UTF-8 and leaves ASCII names unflagged', () => {
    const archive = zip([{ name: '台账.xml', data: '<a/>' }]);
    expect(archive.readUInt16LE(6) & 0x0800).toBe(0x0800);
    expect(zip([{ name: 'a.xml', data: '<a/>' }]).readUInt16LE(6)).toBe(0);
  });
});
