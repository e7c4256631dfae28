import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createInflateRaw, crc32, inflateRawSync } from 'node:zlib';
import { importFormatError } from './sheet-row.js';

/*
 * Just enough of ZIP to read an .xlsx without loading it: the central directory names the entries,
 * small parts are inflated in one go, large ones are streamed. Sizes are capped by counting the bytes
 * actually inflated, never by trusting the headers, so a zip bomb stops at the cap.
 */

/** Random access to the bytes of an archive (a buffer, or a file read piece by piece). */
export interface ZipSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** One entry of the central directory. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;
const STREAM_PIECE = 65_536;

const zipError = (reason: string): Error => importFormatError(`XLSX: ${reason}`, { reason });

/** A ZipSource over bytes already in memory. */
export function bufferSource(bytes: Uint8Array): ZipSource {
  return {
    size: bytes.length,
    read: (offset, length) =>
      Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length))),
  };
}

/** A ZipSource over a file, read on demand; close it when done. */
export async function fileSource(path: string): Promise<ZipSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await handle.read(buf, done, buf.length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

const view = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The entries of the archive, from its central directory. */
export async function readCentralDirectory(source: ZipSource, maxEntries = 10_000): Promise<ZipEntryInfo[]> {
  const tailLength = Math.min(source.size, 22 + MAX_COMMENT);
  const tail = view(await source.read(source.size - tailLength, tailLength));
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw zipError('not a ZIP archive (no end of central directory); is the file really .xlsx?');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw zipError('ZIP64 archives are not supported');
  if (count > maxEntries) throw zipError(`too many entries (${count})`);
  if (cdOffset + cdSize > source.size) throw zipError('central directory out of bounds (truncated file?)');
  const cd = view(await source.read(cdOffset, cdSize));
  const entries: ZipEntryInfo[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE)
      throw zipError('corrupt central directory');
    const flags = cd.readUInt16LE(p + 8);
    if (flags & 1) throw zipError('encrypted workbooks are not supported; save it without a password');
    const nameLength = cd.readUInt16LE(p + 28);
    const entry: ZipEntryInfo = {
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localHeaderOffset: cd.readUInt32LE(p + 42),
    };
    if (
      entry.size === 0xffffffff ||
      entry.compressedSize === 0xffffffff ||
      entry.localHeaderOffset === 0xffffffff
    ) {
      throw zipError('ZIP64 entries are not supported');
    }
    entries.push(entry);
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  return entries;
}

/** Offset of an entry's compressed bytes (after its local header). */
async function dataOffset(source: ZipSource, entry: ZipEntryInfo): Promise<number> {
  const local = view(await source.read(entry.localHeaderOffset, 30));
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE) {
    throw zipError(`corrupt local header of ${entry.name}`);
  }
  const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + entry.compressedSize > source.size)
    throw zipError(`${entry.name} runs past the end of the file`);
  return start;
}

function checkMethod(entry: ZipEntryInfo): void {
  if (entry.method !== 0 && entry.method !== 8) {
    throw zipError(
      `${entry.name} uses compression method ${entry.method}; only stored and deflate are supported`,
    );
  }
}

const tooLarge = (entry: ZipEntryInfo, max: number): Error =>
  zipError(`${entry.name} inflates to more than ${max} bytes (limit; a zip bomb?)`);

/** Inflates a small entry in one go, refusing more than `maxBytes` of output and a wrong CRC. */
export async function readEntry(source: ZipSource, entry: ZipEntryInfo, maxBytes: number): Promise<Buffer> {
  checkMethod(entry);
  if (entry.size > maxBytes) throw tooLarge(entry, maxBytes);
  const packed = view(await source.read(await dataOffset(source, entry), entry.compressedSize));
  let data: Buffer;
  try {
    data = entry.method === 0 ? packed : inflateRawSync(packed, { maxOutputLength: maxBytes });
  } catch (e) {
    if (e instanceof RangeError) throw tooLarge(entry, maxBytes);
    throw zipError(`${entry.name} is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  if (data.length > maxBytes) throw tooLarge(entry, maxBytes);
  if (crc32(data) >>> 0 !== entry.crc) throw zipError(`${entry.name} fails its CRC check (damaged file?)`);
  return data;
}

/**
 * Streams an entry's inflated bytes; `onRead` gets the position in the archive as compressed bytes
 * are consumed (for progress). Stops with an error beyond `maxBytes` of output or on a wrong CRC.
 */
export async function* streamEntry(
  source: ZipSource,
  entry: ZipEntryInfo,
  maxBytes: number,
  onRead?: (archiveOffset: number) => void,
): AsyncGenerator<Buffer, void, undefined> {
  checkMethod(entry);
  if (entry.size > maxBytes) throw tooLarge(entry, maxBytes);
  const start = await dataOffset(source, entry);
  async function* packed(): AsyncGenerator<Uint8Array> {
    for (let done = 0; done < entry.compressedSize;) {
      const piece = await source.read(start + done, Math.min(STREAM_PIECE, entry.compressedSize - done));
      if (piece.length === 0) throw zipError(`${entry.name} is truncated`);
      done += piece.length;
      onRead?.(start + done);
      yield piece;
    }
  }
  const output: AsyncIterable<Buffer> =
    entry.method === 0
      ? (async function* () {
          for await (const piece of packed()) yield view(piece);
        })()
      : pipeline(Readable.from(packed()), createInflateRaw(), (): void => undefined);
  let total = 0;
  let crc = 0;
  try {
    for await (const chunk of output) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(entry, maxBytes);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('Z_')) {
      throw zipError(`${entry.name} is corrupt (${e.message})`);
    }
    throw e;
  } finally {
    // stopping early (the reader hit its row limit, or an error) must not leave the inflater running
    if (output instanceof Readable) output.destroy();
  }
  if (crc >>> 0 !== entry.crc) throw zipError(`${entry.name} fails its CRC check (damaged file?)`);
}
